"""The 30-60-90 windows: which part of the plan a date falls in, counted in the workspace timezone.

Day 0 is the kickoff date. Instants are turned into calendar dates in the workspace timezone first, so
a card finished at 23:30 in Paris counts on the Paris day, whatever the machine's clock zone is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from kickoff_tui.rules.dates import parse_instant

if TYPE_CHECKING:
    import pendulum

# pendulum is imported where a timezone is needed, not at module import: it costs ~40 ms of
# start-up, and the first frame only needs date arithmetic.

__all__ = [
    "WINDOWS",
    "WINDOW_LABELS",
    "day_of",
    "format_range",
    "local_date",
    "local_day",
    "local_stamp",
    "window_of",
    "window_of_day",
    "window_range",
    "zone",
]

WINDOWS = ("30", "60", "90", "later")
WINDOW_LABELS = {"30": "0–30", "60": "31–60", "90": "61–90", "later": "Later"}
_FIRST_DAY = {"30": 0, "60": 31, "90": 61, "later": 91}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def zone(tz: str) -> pendulum.Timezone:
    """The IANA timezone `tz`; raises ValueError with one sentence for an unknown name."""
    import pendulum
    from pendulum.tz.exceptions import InvalidTimezone

    try:
        if not isinstance(tz, str) or not tz.strip():
            raise InvalidTimezone(tz)
        return pendulum.timezone(tz.strip())
    except (InvalidTimezone, ValueError):
        raise ValueError(
            f"Unknown timezone '{tz}'; use a name such as Europe/Paris or UTC."
        ) from None


def local_date(when: date | datetime | str, tz: str) -> date:
    """The calendar date of `when` in timezone `tz`.

    A `date` (or a date-only string "2026-12-01") is already a calendar date and passes through;
    a datetime (naive means UTC) or an ISO-8601 timestamp is converted to `tz`.
    """
    if isinstance(when, str):
        text = when.strip()
        if len(text) == 10:
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        when = parse_instant(text)
    if isinstance(when, datetime):
        import pendulum

        local = pendulum.instance(parse_instant(when)).in_timezone(zone(tz))
        return date(local.year, local.month, local.day)
    if isinstance(when, date):
        return date(when.year, when.month, when.day)
    raise ValueError(
        f"Expected a date, a datetime or an ISO-8601 string (got {type(when).__name__})."
    )


def local_day(instant: str | None, tz: str) -> date | None:
    """The workspace-local calendar day of a stored instant (or date), or None when it is
    absent or unreadable: a bad value (a teammate's hand edit) never stops a screen or an export.
    """
    if not instant:
        return None
    try:
        return local_date(instant, tz)
    except (ValueError, OverflowError):
        return None


def local_stamp(instant: str | None, tz: str) -> str:
    """A stored instant as 'YYYY-MM-DD HH:MM' in the workspace timezone ('' when absent, the
    text as it is when unreadable)."""
    if not instant:
        return ""
    try:
        import pendulum

        local = pendulum.instance(parse_instant(instant)).in_timezone(zone(tz))
    except (ValueError, OverflowError):
        return instant
    return f"{local:%Y-%m-%d %H:%M}"


def _kickoff(kickoff: date | str) -> date:
    return date.fromisoformat(kickoff) if isinstance(kickoff, str) else kickoff


def day_of(when: date | datetime | str, kickoff: date, tz: str = "UTC") -> int:
    """Days since kickoff (day 0) of `when`, in timezone `tz`; negative before kickoff."""
    return (local_date(when, tz) - _kickoff(kickoff)).days


def window_of_day(day: int) -> str:
    """Window of a plan day: 30 up to day 30 (and before kickoff), 60 to day 60, 90 to day 90, then later."""
    if day <= 30:
        return "30"
    if day <= 60:
        return "60"
    if day <= 90:
        return "90"
    return "later"


def window_of(when: date | datetime | str, kickoff: date, tz: str = "UTC") -> str:
    """Window ("30", "60", "90" or "later") that `when` falls in; dates before kickoff belong to "30"."""
    return window_of_day(day_of(when, kickoff, tz))


def _check(window: str) -> None:
    if window not in _FIRST_DAY:
        raise ValueError(f"Window must be one of 30, 60, 90 or later (got '{window}').")


def window_range(window: str, kickoff: date) -> tuple[date, date | None]:
    """First and last date of a window (inclusive); "later" is open-ended (last is None)."""
    _check(window)
    start = _kickoff(kickoff)
    first = start + timedelta(days=_FIRST_DAY[window])
    if window == "later":
        return first, None
    return first, start + timedelta(days=int(window))


def _short(d: date) -> str:
    return f"{_MONTH_ABBR[d.month - 1]} {d.day}"


def format_range(window: str, kickoff: date) -> str:
    """A window's dates for column headers: "Dec 1 – Dec 31", or "from Mar 2" for "later"."""
    first, last = window_range(window, kickoff)
    if last is None:
        return f"from {_short(first)}"
    return f"{_short(first)} – {_short(last)}"
