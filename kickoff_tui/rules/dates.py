"""Dates typed by users ("+3d", "next friday", "dec 24"), human due text, and ISO-8601 UTC instants.

`today` is always passed in by the caller, so these rules never read the clock and are easy to test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = ["human_due", "is_late", "iso_utc", "parse_date", "parse_instant"]

_WEEKDAYS = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)})
_MONTHS["sept"] = 9

_ISO = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")
_OFFSET = re.compile(r"([+-])(\d{1,7}) ?(d|days?|w|weeks?)?")
_IN = re.compile(r"in (\d{1,7}) ?(d|days?|w|weeks?)")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"([a-z]+)\.?"
_YEAR = r"(?:,? (\d{4}))?"
_MONTH_DAY = re.compile(_MONTH + " " + _DAY + _YEAR)
_DAY_MONTH = re.compile(_DAY + " " + _MONTH + _YEAR)


def _shown(text: str) -> str:
    shown = "".join(ch if ch.isprintable() else "?" for ch in text.strip())
    return shown if len(shown) <= 20 else shown[:19] + "…"


def _unreadable(text: str) -> ValueError:
    return ValueError(
        f"Can't read '{_shown(text)}' as a date: use 2026-12-24, +3d, +2w, tomorrow or next friday."
    )


def _make(year: int, month: int, day: int) -> date:
    """Build a date, or say in one sentence why that day doesn't exist."""
    if not 1 <= year <= 9999:
        raise ValueError(f"Year {year} is out of range; use a year from 1 to 9999.")
    if not 1 <= month <= 12:
        raise ValueError(f"There is no month {month}; use a month from 1 to 12.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"There is no {day} {_MONTH_NAMES[month - 1]} {year}.") from None


def _shift(text: str, today: date, days: int) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:
        raise ValueError(
            f"'{_shown(text)}' is too far away; pick a date between the years 1 and 9999."
        ) from None


def parse_date(text: str, today: date) -> date | None:
    """Read a date typed in a form; blank means no date (None).

    Accepts 2026-12-24, 2026/12/24, +3d, +2w, -1d, today, tomorrow, yesterday, in 3 days, in 2 weeks,
    weekday names or abbreviations (the next one strictly after today), "next friday" (the
    Friday of next week, Monday to Sunday, as most people mean it: on a Thursday, not
    tomorrow but eight days later), and "dec 24" / "24 dec" (this year, or next year if that
    day has passed). Case-insensitive.
    Raises ValueError with one sentence for anything else or for a day that doesn't exist.
    """
    if text is None:
        return None
    t = " ".join(text.strip().lower().split())
    if not t:
        return None
    if t == "today":
        return today
    if t == "tomorrow":
        return _shift(text, today, 1)
    if t == "yesterday":
        return _shift(text, today, -1)
    if m := _ISO.fullmatch(t):
        return _make(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    if m := _OFFSET.fullmatch(t):
        n = int(m.group(2)) * (7 if (m.group(3) or "d").startswith("w") else 1)
        return _shift(text, today, n if m.group(1) == "+" else -n)
    if m := _IN.fullmatch(t):
        n = int(m.group(1)) * (7 if m.group(2).startswith("w") else 1)
        return _shift(text, today, n)
    name = t.removeprefix("next ")
    if name in _WEEKDAYS:
        if name != t:  # "next friday": that day in the week after this one
            return _shift(text, today, 7 - today.weekday() + _WEEKDAYS[name])
        ahead = (_WEEKDAYS[name] - today.weekday() - 1) % 7 + 1  # 1..7: never today
        return _shift(text, today, ahead)
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        if (m := pattern.fullmatch(t)) and m.group(month_group) in _MONTHS:
            month, day = _MONTHS[m.group(month_group)], int(m.group(day_group))
            if m.group(3):
                return _make(int(m.group(3)), month, day)
            year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
            return _make(year, month, day)
    raise _unreadable(text)


def human_due(due: date, today: date) -> str:
    """Due date relative to today: "due today", "due tomorrow", "in 3 days", "in 2 weeks", "5 days late"."""
    days = (due - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days < 0:
        return "1 day late" if days == -1 else f"{-days} days late"
    if days >= 14:
        return f"in {days // 7} weeks"
    return f"in {days} days"


def is_late(due: date | None, today: date, done: bool = False) -> bool:
    """True when something not done was due before today (due today is not late yet)."""
    return not done and due is not None and due < today


def parse_instant(s: str | datetime) -> datetime:
    """Read an ISO-8601 timestamp ("...Z" or "+02:00"; no offset means UTC) as an aware UTC datetime."""
    if isinstance(s, datetime):
        dt = s
    else:
        try:
            dt = datetime.fromisoformat(s.strip())
        except (ValueError, AttributeError):
            raise ValueError(
                f"Can't read '{_shown(str(s))}' as a date and time: use ISO 8601 such as 2026-11-23T09:30:00Z."
            ) from None
    if dt.tzinfo is None or dt.utcoffset() is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def iso_utc(dt: datetime) -> str:
    """Format an instant as "2026-11-23T09:30:00.123Z": UTC, milliseconds, sortable as text.

    Naive datetimes are taken to be UTC; sub-millisecond digits are dropped (never rounded up).
    """
    u = parse_instant(dt)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
        f".{u.microsecond // 1000:03d}Z"
    )
