"""The team's rhythm as dates: weekly standups, the monthly OKR review, retrospectives, pulse
checks and the day-30/60/90 milestones, in the workspace's time zone.

Pure (no I/O, no clock: "now" is an argument). Local times are wall-clock times in the
workspace's zone, so a 09:30 standup stays at 09:30 across a DST change; a time the change
skips (02:30 on the spring-forward night) happens an hour later, and a time it repeats happens
the first time. A monthly day past the month's end ("the 31st" in February) falls on the
month's last day, and the iCalendar rules written for it (:func:`monthly_rrule`) say the same.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: iCalendar's weekday codes, in WEEKDAYS order.
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = ("first", "second", "third", "fourth", "last")
#: How often a retrospective is held besides the one at day 90.
RETRO_EVERY = ("day90", "fortnightly", "monthly")
#: How often a pulse check opens (and so how long each stays open).
PULSE_EVERY = ("weekly", "fortnightly")
MILESTONES = (30, 60, 90)
#: Lengths of the meetings the guides name, in minutes.
OKR_REVIEW_MIN = 60
RETRO_MIN = 90


# ---------------------------------------------------------------------- reading settings


def check_monthly(text: str) -> str:
    """A monthly day as typed ("10", "10th", "first Tuesday", "last fri", "1st tue") in its
    stored form ("10", "first-tue"), or ValueError with one sentence."""
    raw = " ".join(str(text).strip().lower().replace("-", " ").split())
    m = re.fullmatch(r"(?:day )?(\d{1,2})(?:st|nd|rd|th)?", raw)
    if m:
        n = int(m.group(1))
        if 1 <= n <= 31:
            return str(n)
    m = re.fullmatch(r"(first|second|third|fourth|last|1st|2nd|3rd|4th) ([a-z]+)", raw)
    if m:
        ordinal = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}.get(
            m.group(1), m.group(1)
        )
        for short, full in zip(WEEKDAYS, DAY_NAMES):
            if len(m.group(2)) >= 2 and full.lower().startswith(m.group(2)):
                return f"{ordinal}-{short}"
    shown = str(text).strip()[:30]
    raise ValueError(
        f"{shown!r} is not a day of the month; use a day (10, 31st: the last day in shorter "
        "months) or a weekday such as 'first Tuesday' or 'last Friday'."
    )


def check_every(setting: str, text: str) -> str:
    """How often retros ("day90", "fortnightly", "monthly") or pulses ("weekly",
    "fortnightly") happen, as typed ("2w", "every two weeks" work too), or ValueError."""
    raw = str(text).strip().lower()
    aliases = {
        "2w": "fortnightly",
        "biweekly": "fortnightly",
        "every two weeks": "fortnightly",
        "every 2 weeks": "fortnightly",
        "day 90": "day90",
        "90": "day90",
        "month": "monthly",
        "week": "weekly",
    }
    value = aliases.get(raw, raw)
    allowed = RETRO_EVERY if setting == "retro_every" else PULSE_EVERY
    if value not in allowed:
        what = "A retrospective" if setting == "retro_every" else "A pulse"
        raise ValueError(f"{what} can be {', '.join(allowed)}, not {str(text).strip()[:20]!r}.")
    return value


def monthly_ok(value: object) -> bool:
    """Whether a stored monthly day is in its stored form."""
    if not isinstance(value, str):
        return False
    try:
        return check_monthly(value) == value
    except ValueError:
        return False


def monthly_label(spec: str) -> str:
    """ "10" -> "day 10", "first-tue" -> "first Tuesday"."""
    if spec.isdigit():
        return f"day {spec}"
    ordinal, _, short = spec.partition("-")
    return f"{ordinal} {DAY_NAMES[WEEKDAYS.index(short)]}"


# ---------------------------------------------------------------------- dates


def monthly_date(year: int, month: int, spec: str) -> date:
    """The day of `month` a monthly meeting falls on: the n-th (the month's last day when it
    has fewer), or the first…fourth/last given weekday."""
    last = calendar.monthrange(year, month)[1]
    if spec.isdigit():
        return date(year, month, min(int(spec), last))
    ordinal, _, short = spec.partition("-")
    weekday = WEEKDAYS.index(short)
    if ordinal == "last":
        end = date(year, month, last)
        return end - timedelta(days=(end.weekday() - weekday) % 7)
    first = date(year, month, 1)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    return first + timedelta(weeks=ORDINALS.index(ordinal))


def next_monthly(spec: str, on_or_after: date) -> date:
    """The first monthly meeting day on or after `on_or_after`."""
    year, month = on_or_after.year, on_or_after.month
    while True:
        day = monthly_date(year, month, spec)
        if day >= on_or_after:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def at_local(day: date, hhmm: str, tz: str) -> datetime:
    """`day` at wall-clock `hhmm` in `tz`, as an aware datetime in that zone. A time skipped by
    a DST change moves forward by the gap; a repeated one is its first occurrence."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    zone = ZoneInfo(tz)
    naive = datetime.combine(day, time(hour, minute))
    # Round-trip through UTC: a skipped wall time comes back shifted past the gap.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def next_weekly(weekday: str, hhmm: str, tz: str, now: datetime) -> datetime:
    """The next meeting on `weekday` at `hhmm` (local to `tz`) starting at or after `now`."""
    zone = ZoneInfo(tz)
    local_today = now.astimezone(zone).date()
    target = WEEKDAYS.index(weekday)
    day = local_today + timedelta(days=(target - local_today.weekday()) % 7)
    when = at_local(day, hhmm, tz)
    if when < now:
        when = at_local(day + timedelta(days=7), hhmm, tz)
    return when


def next_weekday_meeting(hhmm: str, tz: str, now: datetime) -> datetime:
    """A daily standup: the next Monday-to-Friday at `hhmm` at or after `now`."""
    zone = ZoneInfo(tz)
    day = now.astimezone(zone).date()
    while True:
        when = at_local(day, hhmm, tz)
        if day.weekday() < 5 and when >= now:
            return when
        day += timedelta(days=1)


def milestones(kickoff: date) -> list[tuple[int, date]]:
    """(30, day 30), (60, …), (90, …): the check-points counted from the kickoff date."""
    return [(n, kickoff + timedelta(days=n)) for n in MILESTONES]


def retro_days(every: str | None) -> list[int]:
    """Days after the kickoff a retrospective is held: always day 90, and every 14 days
    (14 … 84) or at days 30 and 60 before it when asked."""
    extra = {"fortnightly": list(range(14, 90, 14)), "monthly": [30, 60]}.get(every or "", [])
    return [*extra, 90]


def workday(day: date) -> date:
    """`day`, or the Monday after when it falls on a weekend (a retro is held on a workday)."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def retro_dates(kickoff: date, every: str | None) -> list[tuple[int, date]]:
    """(day number, date) of each retrospective, moved off weekends."""
    return [(n, workday(kickoff + timedelta(days=n))) for n in retro_days(every)]


def pulse_days(every: str | None) -> int:
    """How many days a pulse stays open: 7 weekly, 14 every two weeks."""
    return 14 if every == "fortnightly" else 7


# ---------------------------------------------------------------------- iCalendar rules


def monthly_rrule(spec: str) -> dict[str, object]:
    """The RRULE of a monthly meeting (icalendar's dict form), with the same days as
    :func:`monthly_date`: the 31st is the last existing of the 28th…31st (BYSETPOS=-1)."""
    if spec.isdigit():
        n = int(spec)
        if n <= 28:
            return {"FREQ": "MONTHLY", "BYMONTHDAY": n}
        return {"FREQ": "MONTHLY", "BYMONTHDAY": list(range(28, n + 1)), "BYSETPOS": -1}
    ordinal, _, short = spec.partition("-")
    nth = -1 if ordinal == "last" else ORDINALS.index(ordinal) + 1
    return {"FREQ": "MONTHLY", "BYDAY": f"{nth}{ICAL_DAYS[WEEKDAYS.index(short)]}"}


# ---------------------------------------------------------------------- the "Next:" line


@dataclass(frozen=True)
class Rhythm:
    """The cadence settings, as stored (None: not set)."""

    timezone: str = "UTC"
    kickoff: date | None = None
    standup_cadence: str | None = "weekly"
    standup_day: str | None = None
    standup_time: str | None = None
    okr_review_day: str | None = None
    review_time: str | None = None
    retro_every: str | None = None
    pulse_every: str | None = None


def _short(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day < today + timedelta(days=7):
        return f"{day:%a}"
    return f"{day:%a} {day.day} {day:%b}"


def _dated(day: date, today: date) -> str:
    if day in (today, today + timedelta(days=1)):
        return _short(day, today)
    return f"{day:%a} {day.day} {day:%b}"


def next_standup(rhythm: Rhythm, now: datetime) -> datetime | None:
    """When the next standup starts, or None when its time (and weekday) isn't set."""
    if not rhythm.standup_time:
        return None
    if rhythm.standup_cadence == "daily":
        return next_weekday_meeting(rhythm.standup_time, rhythm.timezone, now)
    if not rhythm.standup_day:
        return None
    return next_weekly(rhythm.standup_day, rhythm.standup_time, rhythm.timezone, now)


def next_parts(rhythm: Rhythm, now: datetime, pulse: tuple[str, date] | None = None) -> list[str]:
    """The pieces of the "Next:" line, soonest kind first: the standup, the OKR review, the
    pulse (`pulse` is ("closes", day) for an open one or ("opens", day) for the next), a retro
    within two weeks, and the next of days 30/60/90."""
    zone = ZoneInfo(rhythm.timezone)
    today = now.astimezone(zone).date()
    parts: list[str] = []
    standup = next_standup(rhythm, now)
    if standup is not None:
        parts.append(f"standup {_short(standup.date(), today)} {standup:%H:%M}")
    if rhythm.okr_review_day:
        review = next_monthly(rhythm.okr_review_day, today)
        passed = rhythm.review_time and at_local(review, rhythm.review_time, rhythm.timezone) < now
        if review == today and passed:
            review = next_monthly(rhythm.okr_review_day, today + timedelta(days=1))
        parts.append(f"OKR review {_dated(review, today)}")
    if pulse is not None:
        what, day = pulse
        parts.append(f"pulse {what} {_short(day, today)}")
    if rhythm.kickoff is not None:
        for n, day in retro_dates(rhythm.kickoff, rhythm.retro_every):
            if today <= day <= today + timedelta(days=14) and n != 90:
                parts.append(f"retro {_dated(day, today)}")
                break
        for n, day in milestones(rhythm.kickoff):
            if day >= today:
                left = (day - today).days
                parts.append(
                    f"day {n} "
                    + ("today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}")
                )
                break
    return parts


def next_line(rhythm: Rhythm, now: datetime, pulse: tuple[str, date] | None = None) -> str:
    """ "Next: standup Tue 09:30 · OKR review Thu 10 Dec · pulse closes Fri · day 60 in 23
    days", or "" when no cadence is set and the 90 days are over."""
    parts = next_parts(rhythm, now, pulse)
    return "Next: " + " · ".join(parts) if parts else ""
