"""Standup rules: speaker order, turn and meeting clocks, and when a timer turns yellow or red.

Instants are aware datetimes passed in by the caller (from `kickoff_tui.clock`), so every rule here
can be tested with made-up times.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

__all__ = [
    "WARN_RATIO",
    "format_clock",
    "level",
    "meeting_elapsed",
    "move",
    "shuffled",
    "speaker_share",
    "step",
    "turn_seconds",
]

#: A timer turns yellow once this share of its limit is used, and red when it is over.
WARN_RATIO = 0.8


def format_clock(seconds: float) -> str:
    """Seconds as a clock reading: "0:07", "12:48", "1:02:03" (the sign is dropped)."""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def level(elapsed: float, limit: float) -> str:
    """ "ok", "warn" (at least 80 % of `limit` used) or "over" (past it); no limit is always ok."""
    if limit <= 0:
        return "ok"
    if elapsed > limit:
        return "over"
    if elapsed >= WARN_RATIO * limit:
        return "warn"
    return "ok"


def speaker_share(timebox_min: int, present: int) -> int:
    """Each present speaker's fair share of the timebox, in whole seconds."""
    return max(int(timebox_min or 0), 0) * 60 // max(present, 1)


def turn_seconds(spoken: int | None, turn_started_at: datetime | None, now: datetime) -> int:
    """A speaker's time: what was banked in earlier turns plus the running turn, if any."""
    running = 0
    if turn_started_at is not None:
        running = max(0, int((now - turn_started_at).total_seconds()))
    return int(spoken or 0) + running


def meeting_elapsed(
    started_at: datetime,
    now: datetime,
    *,
    paused_seconds: int | None = 0,
    paused_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> int:
    """Seconds of meeting time used: wall time since the start, less the time spent paused."""
    end = ended_at or now
    paused = int(paused_seconds or 0)
    if paused_at is not None and ended_at is None:
        paused += max(0, int((now - paused_at).total_seconds()))
    return max(0, int((end - started_at).total_seconds()) - paused)


def shuffled(ids: Sequence[str], seed: str) -> list[str]:
    """`ids` in a random order that is the same for the same seed (e.g. the meeting's date)."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


def step(order: Sequence[str], away: Sequence[str], current: str | None, delta: int) -> str | None:
    """The present speaker `delta` places (+1 next, -1 previous) from `current`, skipping away ones.

    None means nobody: past the last speaker (everyone has spoken) or before the first. From
    nobody, previous is the last present speaker and next is nobody again.
    """
    present = [p for p in order if p not in set(away)]
    if not present:
        return None
    if current is None:
        return present[-1] if delta < 0 else None
    if current not in order:
        return present[0]
    index = list(order).index(current)
    candidates = order[index + 1 :] if delta > 0 else list(reversed(order[:index]))
    for person in candidates:
        if person not in away:
            return person
    return None if delta > 0 else current


def move(order: Sequence[str], person: str, delta: int) -> list[str]:
    """`order` with `person` moved `delta` places (negative is earlier), kept within the list."""
    result = list(order)
    if person not in result:
        return result
    index = result.index(person)
    target = min(max(index + delta, 0), len(result) - 1)
    result.insert(target, result.pop(index))
    return result
