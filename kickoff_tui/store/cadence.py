"""The team's rhythm read from the workspace: the cadence settings and the "Next:" line.

`next_line(store, now)` is what the review page and the inbox header show ("Next: standup Tue
09:30 · OKR review Thu 10 Dec · pulse closes Fri · day 60 in 23 days"); the dates come from
:mod:`kickoff_tui.rules.cadence`. A bad value already in the file is left out of the line,
never a crash.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kickoff_tui.rules import cadence as cd
from kickoff_tui.rules import domains

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction


def rhythm_of(ws: dict[str, Any]) -> cd.Rhythm:
    """The cadence settings of a workspace row; unreadable values count as not set."""

    def ok(key: str) -> Any:
        value = ws.get(key)
        return value if domains.problem("workspace", key, value) is None else None

    return cd.Rhythm(
        timezone=domains.timezone(ws.get("timezone")) or "UTC",
        kickoff=domains.day(ws.get("kickoff_date")),
        standup_cadence=ok("standup_cadence") or "weekly",
        standup_day=ws.get("standup_day") if ws.get("standup_day") in cd.WEEKDAYS else None,
        standup_time=ok("standup_time"),
        okr_review_day=ok("okr_review_day"),
        review_time=ok("review_time"),
        retro_every=ok("retro_every"),
        pulse_every=ok("pulse_every"),
    )


def rhythm(store: Store) -> cd.Rhythm:
    """This workspace's cadence settings."""
    return rhythm_of(store.workspace())


def next_line(store: Store, now: datetime) -> str:
    """The one "Next: …" line for the review page and the inbox ("" when nothing is set)."""
    from kickoff_tui.store import pulses

    settings = rhythm(store)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    current = pulses.current(store, today)
    pulse: tuple[str, Any] | None = None
    if current is not None and current["status"] == "open":
        pulse = ("closes", current["closes_on"])
    elif current is not None and current["status"] == "scheduled":
        pulse = ("opens", current["opens_on"])
    elif settings.pulse_every:
        last = pulses.last_closed_on(store)
        if last is not None:
            pulse = ("due", max(today, last + timedelta(days=1)))
    return cd.next_line(settings, now, pulse)


def seed_demo(tx: Transaction, people: dict[str, str], today: date) -> None:
    """The demo's rhythm: standup Tuesdays 09:30, OKR review on the first Tuesday at 10:00,
    weekly pulses (one closed, one open: see `pulses.seed_demo`)."""
    from kickoff_tui.store import pulses

    row = tx.conn.execute("SELECT id FROM workspace WHERE deleted = 0 LIMIT 1").fetchone()
    if row is not None:
        tx.update(
            "workspace",
            row[0],
            {
                "standup_day": "tue",
                "standup_time": "09:30",
                "okr_review_day": "first-tue",
                "review_time": "10:00",
                "retro_every": "day90",
                "pulse_every": "weekly",
            },
        )
    pulses.seed_demo(tx, people, today)
