"""The one place that reads the wall clock, so tests and snapshots can freeze it.

Set `KICKOFF_NOW` (ISO-8601, e.g. ``2026-11-23T09:00:00Z``) or call :func:`freeze` to stop
time; everything in kickoff asks this module for "now" instead of calling the clock itself.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime

_frozen: datetime | None = None


def _parse(text: str) -> datetime:
    dt = datetime.fromisoformat(text.strip())
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def freeze(when: datetime | str | None) -> None:
    """Stop the clock at `when` (None starts it again)."""
    global _frozen
    _frozen = _parse(when) if isinstance(when, str) else when


def now() -> datetime:
    """The current time as an aware UTC datetime."""
    if _frozen is not None:
        return _frozen.astimezone(UTC)
    fake = os.environ.get("KICKOFF_NOW")
    if fake:
        return _parse(fake).astimezone(UTC)
    return datetime.now(UTC)


def now_ms() -> int:
    """Milliseconds since the epoch (frozen when the clock is)."""
    if _frozen is None and not os.environ.get("KICKOFF_NOW"):
        return time.time_ns() // 1_000_000
    return int(now().timestamp() * 1000)


def today(tz: str = "UTC") -> date:
    """Today's date in timezone `tz`."""
    current = now()
    if tz and tz != "UTC":
        from zoneinfo import ZoneInfo

        try:
            current = current.astimezone(ZoneInfo(tz))
        except (KeyError, ValueError):
            pass
    return current.date()


def iso(dt: datetime | None = None) -> str:
    """`dt` (default now) as ISO-8601 UTC with milliseconds: 2026-11-23T09:30:00.123Z."""
    dt = (dt or now()).astimezone(UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def iso_from_ms(ms: int) -> str:
    """Milliseconds since the epoch as the same ISO-8601 UTC form."""
    return iso(datetime.fromtimestamp(ms / 1000, UTC))
