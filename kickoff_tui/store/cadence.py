"""The team's rhythm read from the workspace: the cadence settings and the "Next:" line.

`next_line(store, now)` is what the review page and the inbox header show ("Next: standup Tue
09:30 · OKR review Thu 10 Dec · pulse closes Fri · day 60 in 23 days"); the dates come from
:mod:`kickoff_tui.rules.cadence`. A bad value already in the file is left out of the line,
never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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


# ---------------------------------------------------------------------- the calendar


@dataclass(frozen=True)
class Meeting:
    """A timed event: `start` is aware, in the workspace's zone; `rrule` repeats it."""

    uid: str
    summary: str
    start: datetime
    minutes: int
    rrule: dict[str, object] | None = None
    description: str = ""


@dataclass(frozen=True)
class AllDay:
    """An all-day event (a milestone, a due date); `rrule` repeats it (pulses)."""

    uid: str
    summary: str
    day: date
    description: str = ""
    rrule: dict[str, object] | None = None


@dataclass(frozen=True)
class Plan:
    """Everything `kickoff calendar` writes, as plain data."""

    name: str
    timezone: str
    meetings: list[Meeting]
    days: list[AllDay]


def _until(rhythm: cd.Rhythm) -> datetime | None:
    """The end of day 90 (local), in UTC as RFC 5545 asks for UNTIL with a TZID start."""
    if rhythm.kickoff is None:
        return None
    end = cd.at_local(rhythm.kickoff + timedelta(days=90), "23:59", rhythm.timezone)
    return end.astimezone(UTC)


def _meetings(rhythm: cd.Rhythm, timebox: int, uid: Callable[[str], str]) -> list[Meeting]:
    if rhythm.kickoff is None:
        return []
    tz, until = rhythm.timezone, _until(rhythm)
    start = cd.at_local(rhythm.kickoff, "00:00", tz)
    out = []
    first = cd.next_standup(rhythm, start)
    if first is not None:
        days = (
            "MO,TU,WE,TH,FR"
            if rhythm.standup_cadence == "daily"
            else cd.ICAL_DAYS[cd.WEEKDAYS.index(rhythm.standup_day or "mon")]
        )
        out.append(
            Meeting(
                uid("standup"),
                "Standup",
                first,
                timebox,
                {"FREQ": "WEEKLY", "BYDAY": days.split(","), "UNTIL": until},
                "Key results and blockers, timeboxed (kickoff: 4 Standup).",
            )
        )
    at = rhythm.review_time or "10:00"
    if rhythm.okr_review_day:
        day = cd.next_monthly(rhythm.okr_review_day, rhythm.kickoff + timedelta(days=1))
        out.append(
            Meeting(
                uid("okr-review"),
                "Monthly OKR review",
                cd.at_local(day, at, tz),
                cd.OKR_REVIEW_MIN,
                {**cd.monthly_rrule(rhythm.okr_review_day), "UNTIL": until},
                f"Every month on the {cd.monthly_label(rhythm.okr_review_day)}: trends and "
                "adjustments of each objective and key result.",
            )
        )
    for n, day in cd.retro_dates(rhythm.kickoff, rhythm.retro_every):
        out.append(
            Meeting(
                uid(f"retro-day-{n}"),
                f"Retrospective (day {n})",
                cd.at_local(day, at, tz),
                cd.RETRO_MIN,
                None,
                "What worked, what didn't, what to change; actions into the next plan.",
            )
        )
    return out


def _days(store: Store, rhythm: cd.Rhythm, uid: Callable[[str], str]) -> list[AllDay]:
    from kickoff_tui.store import pulses, queries

    out: list[AllDay] = []
    if rhythm.kickoff is not None:
        for n, day in cd.milestones(rhythm.kickoff):
            out.append(AllDay(uid(f"day-{n}"), f"Day {n} of 90", day, "Check-point of the plan."))
        if rhythm.pulse_every:
            every = pulses.pulses(store, date.max)
            first = every[0].opens_on if every else rhythm.kickoff
            out.append(
                AllDay(
                    uid("pulse"),
                    "Pulse check opens",
                    first,
                    "3–5 questions, under 30 seconds: kickoff pulse answer.",
                    {
                        "FREQ": "WEEKLY",
                        "INTERVAL": 2 if rhythm.pulse_every == "fortnightly" else 1,
                        "UNTIL": rhythm.kickoff + timedelta(days=90),
                    },
                )
            )
    sources = (
        ("card", "#{num} {title}", "card", "state != 'done'", "Card due"),
        ("decision", "D{num} {title}", "decision", "status = 'proposed'", "Decision due"),
        ("risk", "R{num} mitigation: {title}", "risk", "status = 'open'", "Mitigation due"),
    )
    for table, label, kind, live, what in sources:
        extra = ", mitigation" if table == "risk" else ""
        for r in store.rows(
            f"SELECT id, num, title, due{extra} FROM {queries.numbered(table)} "
            f"WHERE deleted = 0 AND due IS NOT NULL AND {live} ORDER BY num"
        ):
            due = domains.day(r["due"])
            if due is None:
                continue
            detail = (r["mitigation"] if table == "risk" else None) or what
            out.append(
                AllDay(
                    uid(f"{kind}-{r['id']}"),
                    label.format(num=r["num"], title=r["title"] or "(untitled)"),
                    due,
                    detail,
                )
            )
    return out


def plan(store: Store) -> Plan:
    """The team's calendar: the recurring meetings (in the workspace's zone), the day-30/60/90
    milestones, the pulse days, and open cards', decisions' and mitigations' due dates. UIDs
    are the workspace's and the record's ids, so importing again updates each event."""
    ws = store.workspace()
    settings = rhythm_of(ws)
    host = f"{ws['id']}.kickoff"

    def uid(key: str) -> str:
        return f"{key}@{host}"

    timebox = domains.level(ws.get("standup_timebox_min"), 1, 24 * 60) or 15
    return Plan(
        name=str(ws.get("name") or "kickoff"),
        timezone=settings.timezone,
        meetings=_meetings(settings, timebox, uid),
        days=_days(store, settings, uid),
    )
