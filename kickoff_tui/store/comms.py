"""The communication plan: who is told what, how and when; the writes and the "overdue" nudge.

The next due date is never stored: it follows from the cadence, the first date, the kickoff and
the last time it was done (:func:`kickoff_tui.rules.kickoff.next_due`), so marking an item done on
two machines at once can't leave two different "next" dates behind.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules import domains
from kickoff_tui.rules.kickoff import CADENCE_LABELS, CADENCES, next_due, overdue
from kickoff_tui.rules.nudges import Nudge, numbered
from kickoff_tui.rules.text import clean_line
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.stakeholders import iso_day, today_of

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

EDITABLE = ("audience", "stakeholder_id", "message", "channel", "cadence", "starts", "owner_id")


def plan(store: Store, today: date | None = None) -> list[dict[str, Any]]:
    """Every live communication, soonest due first (finished ones last), with `num`,
    `audience_label`, `cadence_label`, `owner_name`, `next_due` (a date or None when nothing
    is left to do), `overdue`, `flags` and `conflict`."""
    today = today or today_of(store)
    kickoff = domains.day(store.workspace().get("kickoff_date"))
    rows = store.rows(
        f"""SELECT c.*, p.name AS owner_name, s.name AS stakeholder_name
              FROM {queries.numbered("comm")} c
              LEFT JOIN person p ON p.id = c.owner_id AND p.deleted = 0
              LEFT JOIN stakeholder s ON s.id = c.stakeholder_id AND s.deleted = 0
             WHERE c.deleted = 0 ORDER BY c.num"""
    )
    conflicted = queries.conflicted_ids(store, "comm")
    out = []
    for row in rows:
        item = dict(row)
        flags = []
        cadence = item["cadence"] or "once"
        if cadence not in CADENCES:
            flags.append(f"cadence {domains.BAD}")
        item["cadence_label"] = CADENCE_LABELS.get(cadence, f"{cadence} {domains.BAD}")
        item["audience_label"] = item["stakeholder_name"] or item["audience"] or "everyone"
        due = next_due(
            cadence, domains.day(item["starts"]), domains.day(item["last_done"]), kickoff
        )
        item["next_due"] = due
        item["overdue"] = overdue(due, today)
        if item["overdue"] and due is not None:
            flags.append(f"overdue since {due:%b} {due.day}")
        item["flags"] = flags
        item["conflict"] = item["id"] in conflicted
        out.append(item)
    out.sort(key=lambda c: (c["next_due"] is None, c["next_due"] or date.max, c["num"]))
    return out


def checked(values: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
    """A communication's values cleaned and checked; InvalidEdit with one sentence if not."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidEdit(f"A communication has no field {min(unknown)!r}.")
    merged = {**(before or {}), **values}
    out = dict(values)
    try:
        out["message"] = clean_line(merged.get("message"), max_len=300, what="What they are told")
        if "channel" in values:
            out["channel"] = clean_line(values["channel"] or "-", max_len=80, what="Channel")
            if out["channel"] == "-":
                out["channel"] = None
        audience = merged.get("audience")
        out["audience"] = clean_line(audience, max_len=120, what="Audience") if audience else None
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    if not out["audience"] and not merged.get("stakeholder_id"):
        out["audience"] = "everyone"
    cadence = merged.get("cadence") or "once"
    if cadence not in CADENCES:
        raise InvalidEdit(f"Cadence is one of {', '.join(CADENCES)} (got {str(cadence)[:40]!r}).")
    out["cadence"] = cadence
    out["starts"] = iso_day(merged.get("starts"), "The date")
    if cadence == "once" and out["starts"] is None:
        raise InvalidEdit("A one-off communication needs its date.")
    return out


def number_of(store: Store, comm_id: str) -> int:
    found = store.row(f"SELECT num FROM {queries.numbered('comm')} WHERE id = ?", (comm_id,))
    return found["num"] if found else 0


def _live(store: Store, comm_id: str) -> dict[str, Any]:
    return queries.live(store, "comm", comm_id, "communication")


def save_comm(store: Store, values: dict[str, Any], comm_id: str | None = None) -> str:
    """Create a communication (no id) or change one; return its id."""
    if comm_id is None:
        values = checked(values)
        return store.create("comm", values, summary=f"Planned communication: {values['message']}")
    before = _live(store, comm_id)
    values = checked(values, before)
    store.update(
        "comm",
        comm_id,
        values,
        summary=f"Edited communication C{number_of(store, comm_id)} {values['message']}",
    )
    return comm_id


def mark_done(store: Store, comm_id: str, on: date) -> date | None:
    """Mark a communication done on `on`; return when it is next due (None: finished)."""
    row = _live(store, comm_id)
    store.update(
        "comm",
        comm_id,
        {"last_done": on.isoformat()},
        summary=f"Done: communication C{number_of(store, comm_id)} {row['message']}",
    )
    kickoff = domains.day(store.workspace().get("kickoff_date"))
    return next_due(row["cadence"] or "once", domains.day(row["starts"]), on, kickoff)


def delete_comm(store: Store, comm_id: str) -> None:
    row = _live(store, comm_id)
    store.delete(
        "comm",
        comm_id,
        summary=f"Deleted communication C{number_of(store, comm_id)} {row['message']}",
    )


def nudges(store: Store, today: date) -> list[Nudge]:
    """Communications whose next due date is past."""
    return numbered(
        plan(store, today),
        "comm-due",
        "C",
        "message",
        "kickoff",
        since=lambda c: c["next_due"] if c["overdue"] else None,
        why=lambda c, due: (
            f"Tell {c['audience_label']} ({c['channel'] or 'no channel'}): due {due:%b} {due.day}."
        ),
    )
