"""What each stored field may hold beyond its type: enumerations, ranges, dates, time zones.

A value can be well-typed and still impossible (a likelihood of 99, a timezone `Mars/Olympus`,
`check_in.at` = "soon"). Sync refuses such values when it reads an operation
(:func:`problem`), and screens and commands use :func:`level`, :func:`day`, :func:`instant`
and :func:`timezone` to read stored values defensively: a bad value already in the file is
shown as ``?`` with a ⚠, never a crash. Pure: no I/O beyond the time zone database.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from kickoff_tui.rules.cadence import PULSE_EVERY, RETRO_EVERY, monthly_ok
from kickoff_tui.rules.cards import RACI_ROLES, RAGS, STATES
from kickoff_tui.rules.dates import parse_instant
from kickoff_tui.rules.kickoff import ATTITUDES, CADENCES, DISCIPLINES, QUESTION_FIELDS
from kickoff_tui.rules.kpi import DIRECTIONS as KPI_DIRECTIONS
from kickoff_tui.rules.kpi import FREQUENCIES as KPI_FREQUENCIES
from kickoff_tui.rules.okr import KR_KINDS
from kickoff_tui.rules.pulse import load_answers, load_questions
from kickoff_tui.rules.risk import STATUSES as RISK_STATUSES
from kickoff_tui.rules.risk import TREATMENTS
from kickoff_tui.rules.windows import WINDOWS

#: How a bad stored value is shown.
BAD = "?⚠"

DECISION_STATUSES = ("proposed", "accepted", "rejected", "superseded")

#: (table, field) -> the values it may take.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("card", "window"): WINDOWS,
    ("card", "state"): STATES,
    ("card", "rag"): RAGS,
    ("key_result", "kind"): KR_KINDS,
    ("risk", "treatment"): TREATMENTS,
    ("risk", "status"): RISK_STATUSES,
    ("decision", "status"): DECISION_STATUSES,
    ("decision", "rag"): RAGS,
    ("raci", "role"): RACI_ROLES,
    ("workspace", "standup_cadence"): ("daily", "weekly"),
    ("standup", "kind"): ("daily", "weekly"),
    ("okr_verdict", "verdict"): ("keep", "adjust", "drop", "add"),
    ("retro_item", "kind"): ("well", "not_well", "change"),
    ("retro_item", "action_kind"): ("card", "risk", "decision"),
    ("retro_item", "source"): ("data",),
    ("workspace", "retro_every"): RETRO_EVERY,
    ("workspace", "pulse_every"): PULSE_EVERY,
    ("kpi", "direction"): KPI_DIRECTIONS,
    ("kpi", "frequency"): KPI_FREQUENCIES,
    ("stakeholder", "discipline"): DISCIPLINES,
    ("stakeholder", "attitude"): ATTITUDES,
    ("comm", "cadence"): CADENCES,
}

#: (table, field) -> (lowest, highest) for whole numbers.
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    **{
        ("risk", f): (1, 5)
        for f in ("likelihood", "impact", "residual_likelihood", "residual_impact")
    },
    ("key_result", "confidence"): (0, 10),
    ("check_in", "confidence"): (0, 10),
    ("workspace", "standup_timebox_min"): (1, 24 * 60),
    ("standup", "timebox_min"): (1, 24 * 60),
    ("standup", "paused_seconds"): (0, 10**9),
    ("standup", "ended_unowned"): (0, 1),
    ("standup_entry", "speak_seconds"): (0, 10**9),
    ("okr_verdict", "confidence"): (0, 10),
    ("retro", "day"): (-(10**6), 10**6),
    ("stakeholder", "influence"): (1, 5),
    ("stakeholder", "interest"): (1, 5),
    ("stakeholder", "internal"): (0, 1),
    **{("stakeholder", f): (0, 1) for f in QUESTION_FIELDS},
}

#: Fields holding a calendar date (YYYY-MM-DD).
DAYS = frozenset(
    {
        ("workspace", "kickoff_date"),
        ("standup", "held_on"),
        ("okr_review", "held_on"),
        ("retro", "held_on"),
        ("pulse", "opens_on"),
        ("pulse", "closes_on"),
        ("kpi_reading", "at"),
        ("question", "answer_by"),
        ("question", "answered_at"),
        ("stakeholder", "last_contact"),
        ("stakeholder", "next_contact"),
        ("comm", "starts"),
        ("comm", "last_done"),
    }
)

#: Fields holding a date, or a date and time (a due day may carry a time).
DUES = frozenset(
    {
        ("card", "due"),
        ("key_result", "due"),
        ("risk", "due"),
        ("risk", "next_review"),
        ("decision", "due"),
    }
)

#: Fields holding an instant (ISO-8601).
INSTANTS = frozenset(
    {
        ("check_in", "at"),
        ("standup", "started_at"),
        ("standup", "ended_at"),
        ("standup", "turn_started_at"),
        ("standup", "paused_at"),
        ("blocker", "raised_at"),
        ("blocker", "owned_at"),
        ("blocker", "resolved_at"),
        ("decision", "decided_at"),
        ("decision", "published_at"),
        ("activity", "at"),
        ("card", "first_action_due"),
        ("okr_review", "ended_at"),
        ("retro", "ended_at"),
        ("pulse_answer", "answered_at"),
    }
)

#: Fields checked by their own rule in :func:`problem` (beyond the sets above).
SHAPES = frozenset(
    {
        ("workspace", "timezone"),
        ("workspace", "okr_review_day"),
        ("workspace", "standup_time"),
        ("workspace", "review_time"),
        ("pulse", "questions"),
        ("pulse_answer", "answers"),
    }
)

#: HH:MM, 00:00 to 23:59.
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")

#: SQLite's INTEGER range.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def problem(table: str, name: str, value: Any) -> str | None:
    """Why `value` can't be `table.name` (one clause), or None when it is fine.

    The value's type was checked already; None (no value) is fine except for `deleted`.
    """
    if name == "deleted":
        return (
            None
            if value in (0, 1) and type(value) is int
            else f"{table}.deleted must be 0 or 1, not {_shown(value)}"
        )
    if value is None:
        return None
    key = (table, name)
    if type(value) is int and not INT_MIN <= value <= INT_MAX:
        return f"{table}.{name} is too large a number ({_shown(value)})"
    if key in RANGES:
        lo, hi = RANGES[key]
        if not lo <= value <= hi:
            return f"{table}.{name} must be {lo}–{hi}, not {_shown(value)}"
    elif key in CHOICES:
        if value not in CHOICES[key]:
            return f"{table}.{name} must be one of {', '.join(CHOICES[key])}, not {_shown(value)}"
    elif key in DAYS:
        if exact_day(value) is None:
            return f"{table}.{name} must be a date (YYYY-MM-DD), not {_shown(value)}"
    elif key in DUES:
        if not _due_ok(value):
            return f"{table}.{name} must be a date, not {_shown(value)}"
    elif key in INSTANTS:
        if instant(value) is None:
            return f"{table}.{name} must be a date and time (ISO 8601), not {_shown(value)}"
    elif key == ("workspace", "okr_review_day"):
        if not monthly_ok(value):
            return f"workspace.okr_review_day must be a day such as 10 or first-tue, not {_shown(value)}"
    elif key in (("workspace", "standup_time"), ("workspace", "review_time")):
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            return f"{table}.{name} must be a time of day (HH:MM), not {_shown(value)}"
    elif key == ("pulse", "questions"):
        if load_questions(value) is None:
            return f"pulse.questions must be a JSON list of 3–5 questions, not {_shown(value)}"
    elif key == ("pulse_answer", "answers"):
        if load_answers(value) is None:
            return f"pulse_answer.answers must be a JSON list of 1–5 answers, not {_shown(value)}"
    elif key == ("workspace", "timezone") and timezone(value) is None:
        return f"workspace.timezone must be a time zone such as Europe/Paris, not {_shown(value)}"
    return None


def level(value: Any, lo: int = 1, hi: int = 5) -> int | None:
    """A whole number within lo..hi as stored, or None (missing or impossible)."""
    if type(value) is int and lo <= value <= hi:
        return value
    return None


def day(value: Any) -> date | None:
    """A stored YYYY-MM-DD date (the date part of an instant too), or None if unreadable."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


#: Exactly a day as this program writes one (ASCII digits: `\d` would take other scripts' too).
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def exact_day(value: Any) -> date | None:
    """`value` when it is exactly an ISO day (YYYY-MM-DD, a real date), else None.

    What a date field from elsewhere (a sync log) must hold: :func:`day` reads only the first
    ten characters, so "2026-12-03 junk" would pass it and be kept as typed.
    """
    if type(value) is not str or not _ISO_DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _due_ok(value: Any) -> bool:
    """A due value: an ISO day, or an ISO day and a time ("2026-12-03T17:00:00Z")."""
    if exact_day(value) is not None:
        return True
    return (
        type(value) is str
        and value[10:11] in ("T", " ")
        and exact_day(value[:10]) is not None
        and instant(value) is not None
    )


def instant(value: Any) -> datetime | None:
    """A stored ISO-8601 instant as aware UTC, or None if unreadable."""
    if not isinstance(value, (str, datetime)) or (isinstance(value, str) and len(value) < 10):
        return None
    try:
        return parse_instant(value)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=64)
def timezone(value: Any) -> str | None:
    """`value` if it names a time zone this machine knows, else None."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return value.strip()
