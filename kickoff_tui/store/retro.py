"""The retrospective: three columns of items with authors and votes, actions made from items,
and the saved retro as Markdown.

A retro is a ``retro`` row; its items are ``retro_item`` rows (synced, so items typed on one
machine show on every other), votes are ``retro_vote`` rows whose id is "<item>.<person>", so one
person's vote is one row however many machines record it, and two people voting at once merge.
Starting a retro pre-fills "from the data" items (see :func:`kickoff_tui.rules.retro.from_the_data`).
An item becomes an action through the card, risk or decision store functions, each run as an
ordinary edit (:func:`make_action`), and the item keeps a link to what it became, so the next
retro shows what became of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.markdown import escape
from kickoff_tui.rules.okr import kr_progress
from kickoff_tui.rules.okr_review import value_at
from kickoff_tui.rules.retro import (
    KIND_LABELS,
    KINDS,
    KrMove,
    action_outcome,
    days_late,
    from_the_data,
    next_window,
    ranked,
    risk_happened,
    vote_counts,
)
from kickoff_tui.rules.text import clean_line
from kickoff_tui.store import cards, okrs, queries, risks
from kickoff_tui.store import review as rv
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okr_review import Runner, direct

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

ITEM_MAX = 200


# ---------------------------------------------------------------------- read model


@dataclass
class RetroItem:
    id: str
    kind: str
    text: str
    author: str  # a name, or "from the data"
    votes: int
    mine: bool  # I voted for it
    action_kind: str | None
    action_id: str | None
    action: str  # "→ card #41 (Ben)", "→ decision D7", ""


@dataclass
class PastAction:
    """An action from the last retro, and what became of it."""

    text: str
    action: str
    outcome: str


@dataclass
class RetroBoard:
    id: str
    held_on: str
    day: int
    ended: bool
    columns: dict[str, list[RetroItem]]
    last_actions: list[PastAction] = field(default_factory=list)
    last_held_on: str | None = None

    def item(self, item_id: str) -> RetroItem | None:
        return next((i for col in self.columns.values() for i in col if i.id == item_id), None)


def retros(store: Store) -> list[dict[str, Any]]:
    """Every retro, newest first, with its item, vote and action counts."""
    return [
        dict(r)
        for r in store.rows(
            """SELECT r.*,
                  (SELECT count(*) FROM retro_item i WHERE i.retro_id = r.id AND i.deleted = 0)
                    AS items,
                  (SELECT count(*) FROM retro_vote v JOIN retro_item i ON i.id = v.item_id
                    WHERE i.retro_id = r.id AND v.deleted = 0 AND i.deleted = 0) AS votes,
                  (SELECT count(*) FROM retro_item i WHERE i.retro_id = r.id AND i.deleted = 0
                    AND i.action_id IS NOT NULL) AS actions
                 FROM retro r WHERE r.deleted = 0
                ORDER BY r.held_on DESC, r.created_at DESC, r.id DESC"""
        )
    ]


def open_retro(store: Store) -> str | None:
    """The retro still running (not ended), or None."""
    row = store.row(
        "SELECT id FROM retro WHERE deleted = 0 AND ended_at IS NULL "
        "ORDER BY held_on DESC, created_at DESC LIMIT 1"
    )
    return row["id"] if row else None


def find_retro(store: Store, which: str) -> str | None:
    """A retro named "last" (the newest) or by its day (YYYY-MM-DD), or None."""
    found = retros(store)
    if which == "last":
        return found[0]["id"] if found else None
    return next((r["id"] for r in found if r["held_on"] == which), None)


def _previous(store: Store, retro: dict[str, Any]) -> dict[str, Any] | None:
    row = store.row(
        "SELECT * FROM retro WHERE deleted = 0 AND id != ? "
        "AND (held_on < ? OR (held_on = ? AND created_at < ?)) "
        "ORDER BY held_on DESC, created_at DESC LIMIT 1",
        (retro["id"], retro["held_on"], retro["held_on"], retro["created_at"]),
    )
    return dict(row) if row else None


def _action_label(store: Store, kind: str | None, action_id: str | None) -> tuple[str, str]:
    """("→ card #41 Ben", outcome) for an item's action."""
    if not kind or not action_id:
        return "", ""
    if kind == "card":
        card = cards.card(store, action_id)
        if card is None:
            return "→ a card", action_outcome(kind, None, False)
        owner = (card["owner_name"] or "").split(" ")[0]
        label = f"→ card #{card['num']}" + (f" {owner}" if owner else "")
        return label, action_outcome(kind, card["state"], True)
    table = "risk" if kind == "risk" else "decision"
    prefix = "R" if kind == "risk" else "D"
    row = store.row(
        f"SELECT num, deleted FROM {queries.numbered(table)} WHERE id = ?", (action_id,)
    )
    if row is None:
        return f"→ {table}", action_outcome(kind, None, False)
    return f"→ {table} {prefix}{row['num']}", action_outcome(kind, None, not row["deleted"])


def board(store: Store, retro_id: str, me: str | None = None) -> RetroBoard:
    """The retro's three columns (most voted first), and what became of the last one's actions."""
    retro = store.get("retro", retro_id)
    if retro is None or retro["deleted"]:
        raise InvalidEdit("That retrospective no longer exists.")
    items = store.rows(
        "SELECT i.*, p.name AS author_name FROM retro_item i "
        "LEFT JOIN person p ON p.id = i.author_id "
        "WHERE i.retro_id = ? AND i.deleted = 0 ORDER BY i.created_at, i.id",
        (retro_id,),
    )
    votes = store.rows(
        "SELECT v.item_id, v.person_id FROM retro_vote v JOIN retro_item i ON i.id = v.item_id "
        "WHERE i.retro_id = ? AND v.deleted = 0",
        (retro_id,),
    )
    counts = vote_counts((v["item_id"], v["person_id"]) for v in votes)
    mine = {v["item_id"] for v in votes if me and v["person_id"] == me}
    columns: dict[str, list[RetroItem]] = {kind: [] for kind in KINDS}
    by_id: dict[str, RetroItem] = {}
    for r in items:
        label, _ = _action_label(store, r["action_kind"], r["action_id"])
        item = RetroItem(
            id=r["id"],
            kind=r["kind"] if r["kind"] in KINDS else "change",
            text=r["text"] or "",
            author="from the data" if r["source"] == "data" else (r["author_name"] or "?"),
            votes=counts.get(r["id"], 0),
            mine=r["id"] in mine,
            action_kind=r["action_kind"],
            action_id=r["action_id"],
            action=label,
        )
        by_id[item.id] = item
        columns[item.kind].append(item)
    for kind, column in columns.items():
        order = ranked([i.id for i in column], counts)
        columns[kind] = [by_id[i] for i in order]
    previous = _previous(store, retro)
    past: list[PastAction] = []
    if previous:
        for r in store.rows(
            "SELECT * FROM retro_item WHERE retro_id = ? AND deleted = 0 "
            "AND action_id IS NOT NULL ORDER BY created_at, id",
            (previous["id"],),
        ):
            label, outcome = _action_label(store, r["action_kind"], r["action_id"])
            past.append(PastAction(r["text"] or "", label, outcome))
    return RetroBoard(
        id=retro_id,
        held_on=retro["held_on"] or "",
        day=retro["day"] if retro["day"] is not None else 0,
        ended=bool(retro["ended_at"]),
        columns=columns,
        last_actions=past,
        last_held_on=previous["held_on"] if previous else None,
    )


def data_items(store: Store, since: str | None = None) -> list[tuple[str, str]]:
    """What the data brings to a retro (kind, text): key results that moved most and least
    since `since` (a day; default the kickoff), cards late, risks that happened, and the pulse
    questions that rose or fell since the pulse before the latest one."""
    plan = rv.plan_day(store)
    start = domains.day(since) or plan.kickoff
    cutoff = rv.day_start_iso(start + timedelta(days=1) if since else start, plan.tz)
    moves = []
    for obj in okrs.view(store).objectives:
        for kr in obj.key_results:
            before = value_at(kr.values, kr.checked_at, cutoff)
            try:
                then = (
                    kr_progress(kr.kind, kr.baseline, kr.target, before)
                    if before is not None
                    else 0.0
                )
            except ValueError:
                then = 0.0
            moves.append(KrMove(kr.ref, kr.title, then, kr.progress))
    late = []
    for card in cards.board(store):
        days = days_late(domains.day(card["due"]), card["state"], plan.today)
        if days:
            late.append((f"#{card['num']}", card["title"] or "", days))
    happened = [
        (f"R{r['num']}", r["title"] or "")
        for r in queries.risks(store)
        if risk_happened(domains.level(r["likelihood"]), r["status"])
    ]
    return [(i.kind, i.text) for i in from_the_data(moves, late, happened, _pulse_moves(store))]


def _pulse_moves(store: Store) -> list[tuple[str, float, float]]:
    """The latest pulse with results (three answers or more): each question's average before
    and now, as ("P2: Focus", 5.0, 4.0), where there is a pulse before it to compare with."""
    from kickoff_tui.store import pulses

    today = pulses.today_here(store)
    for pulse in reversed(pulses.pulses(store, today)):
        results = pulses.results(store, pulse, today)
        if not results.enough:
            continue
        moved = []
        for q in results.questions:
            earlier = [v for v in q.trend[:-1] if v is not None]
            if q.average is not None and earlier:
                moved.append((f"{pulse.ref}: {q.question}", earlier[-1], q.average))
        return moved
    return []


# ---------------------------------------------------------------------- writes


def start_retro(store: Store, facilitator_id: str | None = None) -> str:
    """Open a retro today, pre-filled with what the data says since the last one."""
    plan = rv.plan_day(store)
    last = store.row(
        "SELECT held_on FROM retro WHERE deleted = 0 ORDER BY held_on DESC, created_at DESC LIMIT 1"
    )
    prefill = data_items(store, last["held_on"] if last else None)
    with store.transaction(
        f"Started the retrospective of {plan.today.isoformat()}", entity="retro", action="create"
    ) as tx:
        retro_id = tx.create(
            "retro",
            {"held_on": plan.today.isoformat(), "day": plan.day, "facilitator_id": facilitator_id},
        )
        for kind, text in prefill:
            tx.create(
                "retro_item",
                {"retro_id": retro_id, "kind": kind, "text": text[:ITEM_MAX], "source": "data"},
            )
    return retro_id


def _running(store: Store, retro_id: str) -> dict[str, Any]:
    retro = queries.live(store, "retro", retro_id, "retrospective")
    if retro["ended_at"]:
        raise InvalidEdit(f"The retrospective of {retro['held_on']} has ended.")
    return retro


def add_item(store: Store, retro_id: str, kind: str, text: str, author_id: str | None) -> str:
    """Add an item to a column (went well / didn't go well / change); returns its id."""
    _running(store, retro_id)
    if kind not in KINDS:
        raise InvalidEdit(f"A retro item goes in one of {', '.join(KIND_LABELS.values())}.")
    try:
        clean = clean_line(text, max_len=ITEM_MAX, what="The item")
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    return store.create(
        "retro_item",
        {"retro_id": retro_id, "kind": kind, "text": clean, "author_id": author_id},
        summary=f"Retro, {KIND_LABELS[kind].lower()}: {clean}",
    )


def toggle_vote(store: Store, item_id: str, person_id: str | None) -> bool:
    """Vote for an item, or take the vote back: True when the person now votes for it.
    One vote per person per item (the row id is the pair)."""
    if not person_id:
        raise InvalidEdit("Say who you are first (palette: Who am I…), so your vote counts once.")
    item = queries.live(store, "retro_item", item_id, "retro item")
    _running(store, item["retro_id"])
    vote_id = f"{item_id}.{person_id}"
    current = store.get("retro_vote", vote_id)
    text = (item["text"] or "")[:60]
    if current is None:
        with store.transaction(f"Voted for: {text}", entity="retro_item", entity_id=item_id) as tx:
            tx.create("retro_vote", {"item_id": item_id, "person_id": person_id}, row_id=vote_id)
        return True
    voting = bool(current["deleted"])
    store.update(
        "retro_vote",
        vote_id,
        {"deleted": 0 if voting else 1},
        summary=f"{'Voted for' if voting else 'Took back the vote for'}: {text}",
        action="vote",
    )
    return voting


def link_action(store: Store, item_id: str, kind: str, action_id: str) -> None:
    """Remember what an item became (a card, a risk update or a decision)."""
    item = queries.live(store, "retro_item", item_id, "retro item")
    store.update(
        "retro_item",
        item_id,
        {"action_kind": kind, "action_id": action_id},
        summary=f"Retro item became a {kind}: {(item['text'] or '')[:60]}",
        action="action",
    )


def make_action(
    store: Store, item_id: str, kind: str, values: dict[str, Any], *, run: Runner = direct
) -> str | None:
    """Turn an item into an action: a card (`values`: title, owner_id, window), a risk update
    (risk_id, status, note added to its mitigation) or a decision (title, owner_id). The
    action and the link are two ordinary edits through `run`; None when one was refused."""
    item = queries.live(store, "retro_item", item_id, "retro item")
    _running(store, item["retro_id"])
    if item["action_id"]:
        raise InvalidEdit("That item is already an action.")
    made: str | None
    if kind == "card":
        if not values.get("owner_id"):
            raise InvalidEdit("An action card needs an owner.")
        retro = queries.live(store, "retro", item["retro_id"], "retrospective")
        window = values.get("window") or next_window(retro["day"] or 0)
        made = run(
            cards.create_card,
            store,
            {
                "title": values.get("title") or item["text"],
                "owner_id": values["owner_id"],
                "window": window,
                "tags": "retro",
            },
        )
    elif kind == "risk":
        risk = queries.live(store, "risk", values.get("risk_id") or "", "risk")
        note = f"Retro {item['text']}".strip()
        mitigation = "\n".join(x for x in (risk["mitigation"], note) if x)
        update: dict[str, Any] = {"mitigation": mitigation}
        if values.get("status"):
            update["status"] = values["status"]
        made = run(risks.save_risk, store, update, risk["id"])
    elif kind == "decision":
        made = run(
            rv.save_decision,
            store,
            {
                "title": values.get("title") or item["text"],
                "context": f"From the retrospective: {item['text']}",
                "owner_id": values.get("owner_id"),
                "status": values.get("status") or "proposed",
            },
        )
    else:
        raise InvalidEdit("An action is a card, a risk update or a decision.")
    if made is None:
        return None
    run(link_action, store, item_id, kind, made)
    return str(made)


def end_retro(store: Store, retro_id: str) -> None:
    retro = queries.live(store, "retro", retro_id, "retrospective")
    if retro["ended_at"]:
        return
    store.update(
        "retro",
        retro_id,
        {"ended_at": clock.iso()},
        summary=f"Ended the retrospective of {retro['held_on']}",
        action="end",
    )


# ---------------------------------------------------------------------- Markdown


def retro_markdown(store: Store, retro_id: str) -> str:
    """The retro as a Markdown document: the three columns with votes and actions, and what
    became of the last retro's actions."""
    b = board(store, retro_id)
    ws = store.workspace()
    lines = [
        f"# Retrospective — {escape(ws.get('name') or '')} — {b.held_on} (day {b.day})",
        "",
    ]
    if b.last_held_on:
        lines += [f"## Actions from the retro of {b.last_held_on}", ""]
        lines += [
            f"- {escape(a.text)} {escape(a.action)}: **{a.outcome}**" for a in b.last_actions
        ] or ["- none"]
        lines.append("")
    for kind in KINDS:
        lines += [f"## {KIND_LABELS[kind]}", ""]
        column = b.columns[kind]
        for item in column:
            votes = f" (+{item.votes})" if item.votes else ""
            action = f" {escape(item.action)}" if item.action else ""
            lines.append(f"- {escape(item.text)} — {escape(item.author)}{votes}{action}")
        if not column:
            lines.append("- nothing")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------- demo


def seed_demo(
    tx: Transaction, kickoff: date, people: dict[str, str], cards_by_key: dict[str, str]
) -> None:
    """The demo's day-30 retro (ended): a few items with votes, two of them turned into
    cards (one done since, one not), so the next retro shows what became of them."""
    held = kickoff + timedelta(days=30)
    retro_id = tx.create(
        "retro",
        {
            "held_on": held.isoformat(),
            "day": 30,
            "facilitator_id": people["ana"],
            "ended_at": clock.iso(datetime.combine(held, time(16), UTC)),
        },
    )
    items = [
        ("well", "Interviews gave us the onboarding checklist", "chloe", ("ana", "dev"), None),
        ("not_well", "Outages found by customers before us", "ben", ("ben", "ana"), "c9"),
        ("not_well", "Standups ran over the timebox", "dev", ("eunji",), None),
        ("change", "Start the trial emails before the pricing test", "eunji", ("eunji",), "c12"),
    ]
    for kind, text, author, voters, card in items:
        item_id = tx.create(
            "retro_item",
            {
                "retro_id": retro_id,
                "kind": kind,
                "text": text,
                "author_id": people[author],
                "action_kind": "card" if card else None,
                "action_id": cards_by_key[card] if card else None,
            },
        )
        for who in voters:
            tx.create(
                "retro_vote",
                {"item_id": item_id, "person_id": people[who]},
                row_id=f"{item_id}.{people[who]}",
            )
