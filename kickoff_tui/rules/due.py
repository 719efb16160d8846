"""Due-time rules from the kickoff guides: first action within 72 hours, decisions published within
24 hours, a blocker owned the same day, stale check-ins and KPI nudges.

Every instant returned is an aware UTC datetime; `now` is passed in by the caller. Instants may be
given as datetimes (naive means UTC) or as stored ISO-8601 strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from kickoff_tui.rules.dates import parse_instant
from kickoff_tui.rules.windows import zone

if TYPE_CHECKING:
    import pendulum

__all__ = [
    "CHECKIN_STALE_DAYS",
    "DECISION_PUBLISH_HOURS",
    "FIRST_ACTION_HOURS",
    "blocker_owner_due",
    "blocker_owner_overdue",
    "checkin_stale",
    "decision_publication_late",
    "decision_publish_due",
    "first_action_due",
    "kpi_nudge",
]

FIRST_ACTION_HOURS = 72
DECISION_PUBLISH_HOURS = 24
CHECKIN_STALE_DAYS = 14


def _utc(dt: datetime) -> datetime:
    return parse_instant(dt)


def _as_utc(local: pendulum.DateTime) -> datetime:
    u = local.in_timezone("UTC")
    return datetime(u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond, tzinfo=UTC)


def first_action_due(kickoff: date, tz: str) -> datetime:
    """A plan's first action is due 72 elapsed hours after the start of the kickoff day in `tz`.

    Across a DST change the local clock then reads 23:00 or 01:00, because hours, not days, are counted.
    """
    if isinstance(kickoff, str):
        kickoff = date.fromisoformat(kickoff)
    import pendulum

    start = pendulum.datetime(kickoff.year, kickoff.month, kickoff.day, tz=zone(tz))
    return _as_utc(start) + timedelta(hours=FIRST_ACTION_HOURS)


def decision_publish_due(decided_at: datetime) -> datetime:
    """A decision should be published within 24 hours of being decided."""
    return _utc(decided_at) + timedelta(hours=DECISION_PUBLISH_HOURS)


def decision_publication_late(
    decided_at: datetime | None, published_at: datetime | None, now: datetime
) -> bool:
    """True while a decided decision is still unpublished more than 24 hours after the decision."""
    if decided_at is None or published_at is not None:
        return False
    return _utc(now) > decision_publish_due(decided_at)


def blocker_owner_due(raised_at: datetime, tz: str) -> datetime:
    """A blocker needs an owner the day it is raised: due at the next local midnight in `tz`."""
    import pendulum

    local = pendulum.instance(_utc(raised_at)).in_timezone(zone(tz))
    next_day = local.date() + timedelta(days=1)
    return _as_utc(pendulum.datetime(next_day.year, next_day.month, next_day.day, tz=zone(tz)))


def blocker_owner_overdue(
    raised_at: datetime, owned_at: datetime | None, now: datetime, tz: str
) -> bool:
    """True while a blocker still has no owner and the local day it was raised on is over."""
    if owned_at is not None:
        return False
    return _utc(now) >= blocker_owner_due(raised_at, tz)


def checkin_stale(
    last_at: datetime | None,
    now: datetime,
    *,
    since: datetime | None = None,
    days: int = CHECKIN_STALE_DAYS,
) -> bool:
    """True when a key result has had no check-in for `days` days (14 by default).

    Without any check-in the time is counted from `since` (e.g. when the key result was created);
    with neither, the key result is stale.
    """
    ref = last_at if last_at is not None else since
    if ref is None:
        return True
    return _utc(now) - _utc(ref) >= timedelta(days=days)


def kpi_nudge(
    readings: Sequence[float],
    threshold: float,
    *,
    higher_is_better: bool = True,
    periods: int = 2,
) -> bool:
    """True when the last `periods` readings are all on the wrong side of the threshold.

    Wrong side means below it when higher is better, above it otherwise; a reading equal to the
    threshold is fine. Fewer readings than `periods` never nudge.
    """
    if periods < 1:
        raise ValueError(f"The number of periods must be at least 1 (got {periods}).")
    if len(readings) < periods:
        return False
    recent = list(readings)[-periods:]
    if higher_is_better:
        return all(r < threshold for r in recent)
    return all(r > threshold for r in recent)
