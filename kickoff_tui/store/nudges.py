"""Nudges from what the workspace already holds: cards, key results, blockers, decisions, risks
and first actions. Each function is one inbox source, ``(store, today) -> list[Nudge]``,
registered in `store.inbox.SOURCES`.

They read through the existing read models (`okrs.view`, `risks.register`,
`review.decision_log`, `standups.open_blockers`, `people.first_actions`), so the inbox says
exactly what the OKR, risk, decision, standup and team screens say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules.dates import human_due
from kickoff_tui.rules.domains import day as _day
from kickoff_tui.rules.due import CHECKIN_STALE_DAYS
from kickoff_tui.rules.nudges import Nudge
from kickoff_tui.store.review import local_day

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: "Due this week": a card due within this many days from today (today included).
DUE_SOON_DAYS = 7

#: The cards' columns a nudge reads, numbered as queries.numbered numbers them (by creation,
#: tombstones counted): at 10,000 cards, numbering `SELECT *` (every description) took most of
#: the time `kickoff` spends deciding whether to open on the inbox.
_CARD_NUMBERS = (
    "(SELECT id, title, state, due, owner_id, updated_at, deleted, "
    "row_number() OVER (ORDER BY created_at, id) AS num FROM card)"
)


def _local_day(instant: Any, tz: str) -> date | None:
    """A stored instant's day in the workspace timezone, or None when unreadable."""
    return local_day(instant, tz) if isinstance(instant, str) else None


def _tz(store: Store) -> str:
    return str(store.workspace().get("timezone") or "UTC")


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _card_kinds(row: sqlite3.Row, today: date, horizon: str) -> list[str]:
    """The nudge kinds a card not done raises: late or due within the week (up to `horizon`),
    and blocked."""
    due = _day(row["due"])
    kinds = (
        [] if due is None or row["due"] > horizon else ["card-late" if due < today else "card-due"]
    )
    return kinds + (["card-blocked"] if row["state"] == "blocked" else [])


#: The cards that may raise a nudge (`c`, with the week's horizon as the last parameter).
_CARDS_NUDGING = (
    "c.deleted = 0 AND coalesce(c.state, 'todo') != 'done' "
    "AND (c.state = 'blocked' OR (c.due IS NOT NULL AND c.due <= ?))"
)


def cards(store: Store, today: date) -> list[Nudge]:
    """Cards not done that are late, due within a week, or blocked (since they were blocked)."""
    horizon = (today + timedelta(days=DUE_SOON_DAYS - 1)).isoformat()
    rows = store.rows(
        f"""SELECT c.id, c.num, c.title, c.state, c.due, c.owner_id, c.updated_at,
                   CASE WHEN c.state = 'blocked' THEN
                     (SELECT max(a.at) FROM activity a
                       WHERE a.entity = 'card' AND a.entity_id = c.id AND a.deleted = 0
                         AND json_valid(a.detail)
                         AND json_extract(a.detail, '$.state[1]') = 'blocked') END AS blocked_at
              FROM {_CARD_NUMBERS} c
             WHERE {_CARDS_NUDGING}""",
        (horizon,),
    )
    tz = _tz(store)
    found: dict[str, list[Nudge]] = {"card-late": [], "card-due": [], "card-blocked": []}
    for c in rows:
        ref, title = f"#{c['num']}", c["title"] or ""
        due = _day(c["due"])
        for kind in _card_kinds(c, today, horizon):
            if kind == "card-late" and due is not None:
                why = f"{human_due(due, today)} (was due {due:%b} {due.day})"
                since = due
            elif kind == "card-due" and due is not None:
                text = human_due(due, today)
                why = text if text.startswith("due") else f"due {text}"
                since = due
            else:
                since = _local_day(c["blocked_at"] or c["updated_at"], tz) or today
                why = (
                    f"blocked for {_days((today - since).days)}"
                    if since < today
                    else "blocked today"
                )
            found[kind].append(Nudge(kind, ref, title, why, c["owner_id"], since, "board", c["id"]))
    return found["card-late"] + found["card-due"] + found["card-blocked"]


def my_cards(store: Store, today: date, person_id: str) -> Iterator[str]:
    """The keys of the card nudges that need `person_id`, as `cards` finds them, without
    numbering every card or reading when each was blocked: the cheap check of whether the app
    opens on the inbox (store.inbox.due_for) stops at the first one not snoozed."""
    horizon = (today + timedelta(days=DUE_SOON_DAYS - 1)).isoformat()
    for c in store.rows(
        f"SELECT c.id, c.state, c.due FROM card c WHERE c.owner_id = ? AND {_CARDS_NUDGING}",
        (person_id, horizon),
    ):
        for kind in _card_kinds(c, today, horizon):
            yield f"{kind}:{c['id']}"


def key_results(store: Store, today: date) -> list[Nudge]:
    """Key results without a check-in for 14 days, and those at risk by pace (okrs.view, the one
    read model of a key result's progress)."""
    from kickoff_tui.store.okrs import view

    okr = view(store)
    tz = _tz(store)
    created = {
        r["id"]: r["created_at"]
        for r in store.rows("SELECT id, created_at FROM key_result WHERE deleted = 0")
    }
    out: list[Nudge] = []
    for obj in okr.objectives:
        for kr in obj.key_results:
            last = _local_day(kr.last_at, tz)
            start = last or _local_day(created.get(kr.id), tz) or today
            if kr.stale:
                why = (
                    f"no check-in for {_days(kr.days_since)}"
                    if kr.days_since is not None
                    else f"no check-in since it was set ({_days((today - start).days)})"
                )
                since = min(today, start + timedelta(days=CHECKIN_STALE_DAYS))
                out.append(
                    Nudge("kr-stale", kr.ref, kr.title, why, kr.owner_id, since, "okrs", kr.id)
                )
            if kr.pace == "at risk":
                why = f"at risk by pace: {kr.progress:.0%} on day {okr.day}"
                out.append(
                    Nudge("kr-pace", kr.ref, kr.title, why, kr.owner_id, start, "okrs", kr.id)
                )
    return out


def blockers(store: Store, today: date) -> list[Nudge]:
    """Open blockers still without an owner after the day they were raised (the same-day rule);
    they need whoever raised them to find an owner."""
    from kickoff_tui.store.standups import open_blockers

    tz = _tz(store)
    out: list[Nudge] = []
    for b in open_blockers(store):
        if not b["overdue"]:
            continue
        raised = _local_day(b["raised_at"], tz) or today
        since = min(today, raised + timedelta(days=1))
        why = f"no owner since {raised:%b} {raised.day} (raised {_days(b['age_days'])} ago)"
        out.append(
            Nudge(
                "blocker-unowned",
                f"B{b['num']}",
                b["text"] or "",
                why,
                b["raised_by"],
                since,
                "standup",
                b["id"],
            )
        )
    return out


def decisions(store: Store, today: date) -> list[Nudge]:
    """Decisions accepted more than 24 hours ago and not published yet."""
    from kickoff_tui.rules.due import decision_publish_due
    from kickoff_tui.store.review import decision_log

    tz = _tz(store)
    out: list[Nudge] = []
    for d in decision_log(store):
        if not d["late"]:
            continue
        decided = _local_day(d["decided_at"], tz) or today
        try:
            since = _local_day(decision_publish_due(d["decided_at"]).isoformat(), tz) or decided
        except ValueError:
            since = decided
        why = f"accepted {decided:%b} {decided.day}, not published within 24 h"
        out.append(
            Nudge(
                "decision-unpublished",
                f"D{d['num']}",
                d["title"] or "",
                why,
                d["owner_id"],
                min(since, today),
                "decisions",
                d["id"],
            )
        )
    return out


def risks(store: Store, today: date) -> list[Nudge]:
    """Risks past their next review, and risks past their mitigation date (risk.attention)."""
    from kickoff_tui.store.risks import register

    out: list[Nudge] = []
    for r in register(store, today):
        ref, title = f"R{r['num']}", r["title"] or ""
        review, due = _day(r["next_review"]), _day(r["due"])
        if "review overdue" in r["flags"] and review is not None:
            why = f"review overdue since {review:%b} {review.day}"
            out.append(
                Nudge("risk-review", ref, title, why, r["owner_id"], review, "risks", r["id"])
            )
        if "mitigation overdue" in r["flags"] and due is not None:
            why = f"mitigation was due {due:%b} {due.day}"
            out.append(
                Nudge("risk-mitigation", ref, title, why, r["owner_id"], due, "risks", r["id"])
            )
    return out


def first_actions(store: Store, today: date) -> list[Nudge]:
    """Active people whose first action is not done 72 hours after the kickoff (or who have none
    by then)."""
    from kickoff_tui import clock
    from kickoff_tui.store.people import first_actions as firsts

    tz = _tz(store)
    now = clock.now()
    found = firsts(store, now)
    out: list[Nudge] = []
    for p in store.rows(
        "SELECT id, name, handle FROM person WHERE deleted = 0 AND coalesce(active, 1) = 1 "
        "ORDER BY name COLLATE NOCASE, id"
    ):
        first = found.get(p["id"])
        if first is None or first["due"] is None or now <= first["due"]:
            continue
        if first["state"] == "none":
            why = "no first action yet, 72 h after the kickoff"
            title = p["name"] or p["handle"] or "?"
        elif first["state"] == "late" and not first.get("done"):
            why = f"first action #{first['card_num']} not done in 72 h"
            title = first["title"] or ""
        else:
            continue
        since = _local_day(first["due"].isoformat(), tz) or today
        out.append(
            Nudge(
                "first-action",
                f"@{p['handle']}" if p["handle"] else "@?",
                title,
                why,
                p["id"],
                min(since, today),
                "team",
                p["id"],
            )
        )
    return out
