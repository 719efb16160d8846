"""`kickoff calendar --ics`: the file a calendar app imports, parsed back with icalendar and its
recurrences expanded (dateutil, icalendar's own dependency) across a DST change."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from kickoff_tui.store.ops import Store
from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        check=False,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=180,
    )


def ok(*args: str) -> str:
    result = kickoff(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def paris_workspace() -> None:
    # Kickoff Thu 1 Oct 2026: the 90 days cross Paris's change to winter time (25 October).
    ok("init", "t.db", "--name", "Atlas", "--kickoff-date", "2026-10-01")
    ok(
        "workspace", "set", "--db", "t.db", "--timezone", "Europe/Paris", "--standup-day", "tue",
        "--standup-time", "09:30", "--okr-review", "31", "--review-time", "14:00",
        "--retro", "monthly", "--pulse", "fortnightly",
    )  # fmt: skip


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def expand(event, until: datetime) -> list[datetime]:
    """Occurrences as a calendar app computes them: the RRULE from DTSTART in its zone."""
    start = event.decoded("DTSTART")
    rule = event["RRULE"].to_ical().decode()
    return [d for d in rrulestr(rule, dtstart=start) if d <= until]


def test_the_ics_keeps_the_standup_at_0930_paris_time_across_dst(tmp_path: Path) -> None:
    paris_workspace()
    said = ok("calendar", "--db", "t.db", "--ics", "team.ics")
    assert said.startswith("Wrote ") and "team.ics (time zone Europe/Paris)" in said
    cal = Calendar.from_ical((tmp_path / "team.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    found = events(cal)
    standup = found["standup"]
    assert standup["DTSTART"].params["TZID"] == "Europe/Paris"
    assert standup["RRULE"]["FREQ"] == ["WEEKLY"] and standup["RRULE"]["BYDAY"] == ["TU"]
    assert standup.decoded("DURATION").total_seconds() == 15 * 60
    end = datetime(2027, 1, 1, tzinfo=UTC)
    times = expand(standup, end)
    assert times[0].date() == date(2026, 10, 6)  # the first Tuesday after the kickoff
    assert all(t.weekday() == 1 and (t.hour, t.minute) == (9, 30) for t in times)
    utc_hours = {t.astimezone(UTC).hour for t in times}
    assert utc_hours == {7, 8}  # 07:30Z in summer time, 08:30Z after 25 October
    assert len(times) == 13
    # The monthly OKR review on "the 31st": the last day of 30-day months, in the zone.
    review = found["okr-review"]
    days = [t.date() for t in expand(review, end)]
    # (31 December is past day 90, 30 December: the series ends there, UNTIL in UTC.)
    assert days == [date(2026, 10, 31), date(2026, 11, 30)]
    assert review["RRULE"]["UNTIL"] == [datetime(2026, 12, 30, 22, 59, tzinfo=UTC)]
    assert all(t.tzinfo is not None and t.utcoffset() for t in expand(review, end))
    # Milestones and retros.
    assert found["day-60"].decoded("DTSTART") == date(2026, 11, 30)
    assert found["retro-day-30"].decoded("DTSTART") == datetime(
        2026, 11, 2, 14, tzinfo=ZoneInfo("Europe/Paris")
    )  # day 30 is Saturday 31 October: held the Monday after
    assert found["pulse"]["RRULE"]["INTERVAL"] == [2]


def test_uids_are_stable_so_a_reimport_updates_the_due_dates(tmp_path: Path) -> None:
    paris_workspace()
    ok("card", "add", "Book the launch venue", "--due", "2026-11-20", "--db", "t.db")
    first = Calendar.from_ical(ok("calendar", "--db", "t.db", "--ics", "-").encode())
    store = Store(tmp_path / "t.db")  # a teammate moves the due date (any write path)
    (card_id,) = [r["id"] for r in store.rows("SELECT id FROM card")]
    store.update("card", card_id, {"due": "2026-11-27"})
    store.close()
    second = Calendar.from_ical(ok("calendar", "--db", "t.db", "--ics", "-").encode())
    assert sorted(events(first)) == sorted(events(second))
    (card_uid,) = [uid for uid in events(second) if uid.startswith("card-")]
    card = events(second)[card_uid]
    assert str(card["SUMMARY"]) == "#1 Book the launch venue"
    assert card.decoded("DTSTART") == date(2026, 11, 27)
    assert events(first)[card_uid].decoded("DTSTART") == date(2026, 11, 20)


def test_calendar_never_loads_textual_and_a_folder_is_refused(tmp_path: Path) -> None:
    paris_workspace()
    (tmp_path / "out").mkdir()
    refused = kickoff("calendar", "--db", "t.db", "--ics", "out")
    assert refused.returncode == 2
    assert refused.stderr.strip() == "kickoff: out is a folder; give a file name such as team.ics."
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys\nfrom kickoff_tui.cli import main\n"
                "try:\n    main(['calendar', '--db', 't.db', '--ics', 'x.ics'])\n"
                "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
                "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
            ),
        ],
        capture_output=True,
        check=False,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=120,
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]", probe.stderr
