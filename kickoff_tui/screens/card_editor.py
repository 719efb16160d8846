"""The card editor: the shared modal form (widgets/form.py) with a card's fields.

Dependencies are typed as card numbers ("4 12") and RACI as handle:role pairs ("ana:A ben:R"),
which stays usable with thousands of cards and fits 80×24. A dependency loop or a second A is
refused in the form with one sentence; saving is one transaction (store/cards.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kickoff_tui.rules.card_filter import CardFilter, new_card_defaults
from kickoff_tui.rules.cards import RAGS, STATES, find_cycle, parse_raci, parse_tags
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS, format_range
from kickoff_tui.store import cards as store_cards
from kickoff_tui.store import people as people_store
from kickoff_tui.store import queries
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import Field, FormScreen


def card_form(
    store: Store,
    card: dict[str, Any] | None,
    *,
    window: str,
    kickoff: date | None,
    today: date,
    me: str | None = None,
    prefill: dict[str, Any] | None = None,
) -> FormScreen:
    """The form for a new card (card None, in `window`, with the fields in `prefill` already
    filled in) or for editing `card`."""
    people_rows = queries.people(store, keep=[(card or {}).get("owner_id")])
    people = [(p["name"] or p["handle"] or "?", p["id"]) for p in people_rows]
    # RACI handles: everyone, so a deactivated person's past role on this card is kept
    handles = {
        (p["handle"] or "").lower(): p["id"] for p in people_store.everyone(store) if p["handle"]
    }
    handle_of = {pid: h for h, pid in handles.items()}
    krs = [(f"KR{k['num']} {k['title']}", k["id"]) for k in queries.titles(store, "key_result")]
    windows = [
        (f"{WINDOW_LABELS[w]}  ({format_range(w, kickoff)})" if kickoff else WINDOW_LABELS[w], w)
        for w in WINDOWS
    ]
    card_id = card["id"] if card else None
    linked = store_cards.links(store, card_id) if card_id else {"depends_on": [], "raci": {}}
    c = card or prefill or {}

    def deps_parse(text: str) -> list[str]:
        found: list[str] = []
        for ref in text.replace(",", " ").split():
            target = queries.resolve_ref(store, "card", ref)
            if target is None:
                shown = "".join(ch if ch.isprintable() else "?" for ch in ref)[:20]
                raise ValueError(f"There is no card {shown}: type card numbers, e.g. 4 12.")
            if target == card_id:
                raise ValueError("A card can't depend on itself.")
            if target not in found:
                found.append(target)
        return found

    def check(values: dict[str, Any]) -> dict[str, str]:
        deps = values.get("depends_on") or []
        if card_id and deps:
            loop = find_cycle(store_cards.dependency_edges(store), card_id, deps)
            if loop:
                nums = queries.numbers(store, "card", loop)
                path = " waits for ".join(
                    "this card" if x == card_id else f"#{nums.get(x, '?')}" for x in loop
                )
                return {"depends_on": f"That would make a loop: {path}. Remove one of them."}
        return {}

    owner = c.get("owner_id", me)
    return FormScreen(
        f"Edit #{card['num']}" if card else f"New card in {WINDOW_LABELS[window]}",
        [
            Field("title", "Title", value=c.get("title"), required=True, max_len=200),
            Field("owner_id", "Owner", kind="choice", value=owner, choices=people),
            Field(
                "window",
                "Window",
                kind="choice",
                value=c.get("window", window),
                required=True,
                choices=windows,
            ),
            Field(
                "state",
                "State",
                kind="choice",
                value=c.get("state", "todo"),
                required=True,
                choices=[(s, s) for s in STATES],
            ),
            Field(
                "rag",
                "RAG",
                kind="choice",
                value=c.get("rag", "green"),
                required=True,
                choices=[(r, r) for r in RAGS],
            ),
            Field(
                "due", "Due", kind="date", value=c.get("due"), hint="2026-12-24, +3d or next friday"
            ),
            Field(
                "deliverable",
                "Done when",
                value=c.get("deliverable"),
                max_len=500,
                hint="the deliverable / definition of done",
            ),
            Field(
                "key_result_id",
                "Key result",
                kind="choice",
                value=c.get("key_result_id"),
                choices=krs,
            ),
            Field(
                "depends_on",
                "Depends on",
                parse=deps_parse,
                value=" ".join(str(d["num"]) for d in linked["depends_on"]) or None,
                hint="card numbers, e.g. 4 12",
            ),
            Field(
                "raci",
                "RACI",
                parse=lambda text: parse_raci(text, handles),
                value=" ".join(
                    f"{handle_of.get(pid, '?')}:{role}" for pid, role in linked["raci"].items()
                )
                or None,
                hint="handle:role, e.g. ana:A ben:R (one A at most)",
            ),
            Field("tags", "Tags", parse=parse_tags, value=c.get("tags"), hint="e.g. ops q1"),
            Field("description", "Description", kind="textarea", value=c.get("description")),
        ],
        check=check,
        today=today,
    )


def split_values(result: dict[str, Any]) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    """The form's result as (card fields, dependency ids, RACI {person id: role})."""
    values = dict(result)
    deps = values.pop("depends_on", None) or []
    raci = values.pop("raci", None) or {}
    if isinstance(values.get("due"), date):
        values["due"] = values["due"].isoformat()
    return values, deps, raci


def filter_prefill(store: Store, card_filter: CardFilter) -> dict[str, Any]:
    """A new card's fields taken from the board's active filter (`kr:3`, `@ben` or only mine,
    a state, a colour, tags), so that the card shows once added."""
    wanted = new_card_defaults(card_filter)
    prefill: dict[str, Any] = {}
    if "kr_num" in wanted:
        kr_id = queries.resolve_ref(store, "key_result", str(wanted["kr_num"]))
        if kr_id:
            prefill["key_result_id"] = kr_id
    if "owner" in wanted:
        who = wanted["owner"]
        people = queries.people(store)
        exact = [p["id"] for p in people if (p["handle"] or "").lower() == who]
        starts = [
            p["id"]
            for p in people
            if (p["handle"] or "").lower().startswith(who)
            or (p["name"] or "").lower().startswith(who)
        ]
        found = exact or starts
        if len(found) == 1:
            prefill["owner_id"] = found[0]
    for name in ("state", "rag", "tags"):
        if name in wanted:
            prefill[name] = wanted[name]
    return prefill
