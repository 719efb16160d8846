"""The stakeholder map: its read model, the writes, and the nudge "next contact is past".

Each write is one transaction through the operation path (:meth:`Store.create`/`update`), so
undo, sync and the activity feed work as for every other table. The shortlist verdict and the
engagement a cell calls for are pure rules (:mod:`kickoff_tui.rules.kickoff`), computed when read,
never stored: two people answering different questions at once merge field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.kickoff import (
    ATTITUDES,
    DISCIPLINE_LABELS,
    DISCIPLINES,
    QUESTION_FIELDS,
    engagement,
    shortlist,
)
from kickoff_tui.rules.nudges import Nudge, numbered
from kickoff_tui.rules.risk import clamp_level
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

EDITABLE = (
    "name",
    "discipline",
    "internal",
    "influence",
    "interest",
    "attitude",
    "expectation",
    "owner_id",
    "last_contact",
    "next_contact",
    "notes",
    *QUESTION_FIELDS,
)
LEVEL_NAMES = {"influence": "Influence", "interest": "Interest"}


def today_of(store: Store) -> date:
    """Today in the workspace's time zone."""
    return clock.today(store.workspace().get("timezone") or "UTC")


def stakeholders(store: Store, today: date | None = None) -> list[dict[str, Any]]:
    """Every live stakeholder by number, with what the map, the CLI and the report show:
    `num`, `owner_name`, `verdict` (rules.kickoff.Verdict), `engagement`, `flags` (a next
    contact in the past, impossible stored values) and `conflict` (a field in sync conflict).
    Levels outside 1–5 already in the file are drawn at the nearest level and flagged."""
    today = today or today_of(store)
    rows = store.rows(
        f"""SELECT s.*, p.name AS owner_name, p.handle AS owner_handle
              FROM {queries.numbered("stakeholder")} s
              LEFT JOIN person p ON p.id = s.owner_id AND p.deleted = 0
             WHERE s.deleted = 0 ORDER BY s.num"""
    )
    conflicted = queries.conflicted_ids(store, "stakeholder")
    out = []
    for row in rows:
        item = dict(row)
        flags = []
        for name in ("influence", "interest"):
            if domains.level(item[name]) is None:
                flags.append(f"{name} {domains.BAD} (stored {item[name]!r})")
                raw = item[name]
                item[name] = clamp_level(int(raw)) if isinstance(raw, (int, float)) else 3
        item["verdict"] = shortlist(tuple(item[f] for f in QUESTION_FIELDS))
        item["engagement"] = engagement(item["influence"], item["interest"])
        item["discipline_label"] = DISCIPLINE_LABELS.get(
            item["discipline"] or "", item["discipline"] or ""
        )
        nxt = domains.day(item["next_contact"])
        if item["next_contact"] and nxt is None:
            flags.append(f"next contact {domains.BAD}")
        elif nxt is not None and nxt < today:
            flags.append(f"contact overdue since {nxt:%b} {nxt.day}")
        item["flags"] = flags
        item["conflict"] = item["id"] in conflicted
        out.append(item)
    return out


def _live(store: Store, stakeholder_id: str) -> dict[str, Any]:
    return queries.live(store, "stakeholder", stakeholder_id, "stakeholder")


def iso_day(value: Any, what: str) -> str | None:
    """A date given as a date or YYYY-MM-DD text, as YYYY-MM-DD; None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InvalidEdit(f"{what} must be a date like 2026-12-24 (got {value!r}).")


def _yes_no(value: Any, n: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1) and isinstance(value, int):
        return value
    raise InvalidEdit(f"Question {n} is answered yes or no (got {value!r}).")


def checked(values: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
    """A stakeholder's new values cleaned and checked; InvalidEdit with one sentence if not."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidEdit(f"A stakeholder has no field {min(unknown)!r}.")
    merged = {**(before or {}), **values}
    out = dict(values)
    try:
        out["name"] = clean_line(merged.get("name"), max_len=120, what="Name")
        for name, label in (("expectation", "What we expect"), ("notes", "Notes")):
            if name in values:
                out[name] = clean_text(values[name], what=label) or None
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    discipline = merged.get("discipline") or "other"
    if discipline not in DISCIPLINES:
        raise InvalidEdit(
            f"Discipline is one of {', '.join(DISCIPLINES)} (got {str(discipline)[:40]!r})."
        )
    out["discipline"] = discipline
    for name, label in LEVEL_NAMES.items():
        level = merged.get(name, 3)
        if domains.level(level) is None:
            raise InvalidEdit(f"{label} must be a whole number from 1 to 5 (got {level!r}).")
        out[name] = level
    attitude = merged.get("attitude")
    if attitude not in (None, "", *ATTITUDES):
        raise InvalidEdit(f"Attitude is one of {', '.join(ATTITUDES)} (got {attitude!r}).")
    if "attitude" in values:
        out["attitude"] = attitude or None
    internal = merged.get("internal", 1)
    if internal not in (0, 1, True, False):
        raise InvalidEdit(f"Internal is yes or no (got {internal!r}).")
    out["internal"] = int(internal)
    for name, label in (("last_contact", "Last contact"), ("next_contact", "Next contact")):
        if name in values:
            out[name] = iso_day(values[name], label)
    for n, name in enumerate(QUESTION_FIELDS, 1):
        if name in values:
            out[name] = _yes_no(values[name], n)
    return out


def number_of(store: Store, stakeholder_id: str) -> int:
    found = store.row(
        f"SELECT num FROM {queries.numbered('stakeholder')} WHERE id = ?", (stakeholder_id,)
    )
    return found["num"] if found else 0


def save_stakeholder(
    store: Store, values: dict[str, Any], stakeholder_id: str | None = None
) -> str:
    """Create a stakeholder (no id) or change one; return its id."""
    if stakeholder_id is None:
        values = checked(values)
        return store.create("stakeholder", values, summary=f"Added stakeholder: {values['name']}")
    before = _live(store, stakeholder_id)
    values = checked(values, before)
    store.update(
        "stakeholder",
        stakeholder_id,
        values,
        summary=f"Edited stakeholder S{number_of(store, stakeholder_id)} {values['name']}",
    )
    return stakeholder_id


def answer(store: Store, stakeholder_id: str, answers: dict[str, Any]) -> str:
    """Save the five shortlist answers (only the question fields); return the new verdict."""
    if set(answers) - set(QUESTION_FIELDS):
        raise InvalidEdit("Only the five shortlist questions can be answered here.")
    row = _live(store, stakeholder_id)
    values = {
        name: _yes_no(answers[name], n)
        for n, name in enumerate(QUESTION_FIELDS, 1)
        if name in answers
    }
    verdict = shortlist(tuple(values.get(f, row[f]) for f in QUESTION_FIELDS)).summary()
    store.update(
        "stakeholder",
        stakeholder_id,
        values,
        summary=f"Answered the shortlist for S{number_of(store, stakeholder_id)} "
        f"{row['name']}: {verdict}",
    )
    return verdict


def move_stakeholder(
    store: Store, stakeholder_id: str, d_influence: int, d_interest: int
) -> tuple[int, int]:
    """Move a stakeholder one step on the grid; return the new (influence, interest).
    A move off the edge is refused with a sentence and nothing is written."""
    row = _live(store, stakeholder_id)
    num = number_of(store, stakeholder_id)
    inf = domains.level(row["influence"]) or 3
    inr = domains.level(row["interest"]) or 3
    new = (clamp_level(inf + d_influence), clamp_level(inr + d_interest))
    if new == (inf, inr):
        if d_influence:
            edge = "the highest influence (5)" if d_influence > 0 else "the lowest influence (1)"
        else:
            edge = "the highest interest (5)" if d_interest > 0 else "the lowest interest (1)"
        raise InvalidEdit(f"S{num} is already at {edge}.")
    store.update(
        "stakeholder",
        stakeholder_id,
        {"influence": new[0], "interest": new[1]},
        action="move",
        summary=f"Moved S{num} {row['name']} to influence {new[0]}, interest {new[1]} "
        f"({engagement(*new)})",
    )
    return new


def contacted(store: Store, stakeholder_id: str, on: date, next_contact: date | None) -> None:
    """Record a contact today (last contact) and the next one planned."""
    row = _live(store, stakeholder_id)
    store.update(
        "stakeholder",
        stakeholder_id,
        {
            "last_contact": on.isoformat(),
            "next_contact": next_contact.isoformat() if next_contact else None,
        },
        summary=f"Contacted S{number_of(store, stakeholder_id)} {row['name']}",
    )


def delete_stakeholder(store: Store, stakeholder_id: str) -> None:
    row = _live(store, stakeholder_id)
    store.delete(
        "stakeholder",
        stakeholder_id,
        summary=f"Deleted stakeholder S{number_of(store, stakeholder_id)} {row['name']}",
    )


def names(store: Store) -> list[tuple[str, str]]:
    """(label "S3 Name", id) of every live stakeholder, for pickers."""
    return [
        (f"S{r['num']} {r['name']}", r["id"])
        for r in store.rows(
            f"SELECT id, num, name FROM {queries.numbered('stakeholder')} "
            "WHERE deleted = 0 ORDER BY num"
        )
    ]


def nudges(store: Store, today: date) -> list[Nudge]:
    """Stakeholders whose next contact date is past."""

    def past(s: Mapping[str, Any]) -> date | None:
        nxt = domains.day(s["next_contact"])
        return nxt if nxt is not None and nxt < today else None

    return numbered(
        stakeholders(store, today),
        "stakeholder-contact",
        "S",
        "name",
        "kickoff",
        since=past,
        why=lambda s, nxt: f"Next contact with {s['name']} was due {nxt:%b} {nxt.day}.",
    )
