"""`kickoff calendar --ics FILE` (or `--ics -` for stdout): the team's rhythm as iCalendar.

RFC 5545, written with the `icalendar` package (imported here only, when the command runs):
the recurring standup and monthly OKR review with RRULEs in the workspace's time zone (its
VTIMEZONE included, so a calendar app keeps 09:30 across DST changes), the retrospectives, the
day-30/60/90 milestones, the pulse days, and open cards', decisions' and mitigations' due dates
as all-day events. UIDs come from the workspace's and each record's ids, so importing a newer
file updates the events instead of adding copies. No Textual here.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kickoff_tui.cli import _db, db_option, fail, guarded, open_store

if TYPE_CHECKING:
    from kickoff_tui.store.cadence import Plan
    from kickoff_tui.store.ops import Store

PRODID = "-//kickoff-tui//team rhythm//EN"


def to_ics(plan: Plan) -> bytes:
    """The plan as an iCalendar file (bytes, CRLF lines as RFC 5545 asks)."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    from kickoff_tui import clock

    stamp = clock.now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", plan.name)
    cal.add("x-wr-timezone", plan.timezone)
    zone = ZoneInfo(plan.timezone)
    for m in plan.meetings:
        event = Event()
        event.add("uid", m.uid)
        event.add("dtstamp", stamp)
        event.add("summary", m.summary)
        event.add("dtstart", m.start.astimezone(zone))
        event.add("duration", timedelta(minutes=m.minutes))
        if m.description:
            event.add("description", m.description)
        if m.rrule:
            event.add("rrule", {k: v for k, v in m.rrule.items() if v is not None})
        cal.add_component(event)
    for d in plan.days:
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("summary", d.summary)
        event.add("dtstart", d.day)
        event.add("dtend", d.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        if d.description:
            event.add("description", d.description)
        if d.rrule:
            event.add("rrule", d.rrule)
        cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def build(store: Store) -> bytes:
    """The workspace's calendar file."""
    from kickoff_tui.store.cadence import plan

    return to_ics(plan(store))


@click.command("calendar")
@click.option(
    "--ics",
    "target",
    required=True,
    metavar="FILE",
    help="Write an iCalendar file (RFC 5545) here; - prints it.",
)
@db_option
@click.pass_context
@guarded
def calendar(ctx: click.Context, target: str, db: str | None) -> None:
    """Write the team's calendar: standups, OKR reviews, retros, day 30/60/90, due dates."""
    store = open_store(_db(ctx, db))
    try:
        data = build(store)
        ws = store.workspace()
    finally:
        store.close()
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(target)
    if path.is_dir():
        fail(f"{target} is a folder; give a file name such as team.ics.", 2)
    try:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        fail(f"Can't write {target}: {exc.strerror or exc}.", 1)
    events = data.count(b"BEGIN:VEVENT")
    missing = [
        label
        for key, label in (("standup_time", "standup time"), ("okr_review_day", "OKR review day"))
        if not ws.get(key)
    ]
    hint = f" Not set yet: {', '.join(missing)} (kickoff workspace set --help)." if missing else ""
    click.echo(f"Wrote {events} events to {target} (time zone {ws.get('timezone')}).{hint}")
