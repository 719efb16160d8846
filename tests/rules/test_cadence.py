"""Cadence dates: month ends, "first Tuesday", DST changes in the workspace's zone, the
iCalendar rules agreeing with the dates shown, and the "Next:" line."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules import cadence as cd

PARIS = "Europe/Paris"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("10", "10"),
        ("31st", "31"),
        ("day 3", "3"),
        ("first Tuesday", "first-tue"),
        ("1st tue", "first-tue"),
        ("Last friday", "last-fri"),
        ("third-wed", "third-wed"),
    ],
)
def test_monthly_days_are_read_as_people_type_them(typed: str, stored: str) -> None:
    assert cd.check_monthly(typed) == stored
    assert cd.monthly_ok(stored)


@pytest.mark.parametrize("typed", ["0", "32", "fifth monday", "first blursday", "soon", ""])
def test_impossible_monthly_days_are_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(ValueError, match="not a day of the month"):
        cd.check_monthly(typed)


def test_the_31st_falls_on_the_last_day_of_short_months() -> None:
    assert cd.monthly_date(2027, 2, "31") == date(2027, 2, 28)
    assert cd.monthly_date(2028, 2, "31") == date(2028, 2, 29)  # leap year
    assert cd.monthly_date(2027, 4, "31") == date(2027, 4, 30)
    assert cd.monthly_date(2027, 3, "31") == date(2027, 3, 31)
    assert cd.monthly_date(2027, 2, "30") == date(2027, 2, 28)


def test_first_tuesday_and_last_friday() -> None:
    assert cd.monthly_date(2026, 12, "first-tue") == date(2026, 12, 1)
    assert cd.monthly_date(2027, 2, "first-tue") == date(2027, 2, 2)
    assert cd.monthly_date(2026, 12, "last-fri") == date(2026, 12, 25)
    assert cd.next_monthly("first-tue", date(2026, 12, 2)) == date(2027, 1, 5)
    assert cd.next_monthly("31", date(2027, 2, 1)) == date(2027, 2, 28)


def test_a_weekly_standup_keeps_its_local_time_across_the_spring_dst_change() -> None:
    # Paris moves to summer time on Sunday 29 March 2026: 09:30 stays 09:30 on the wall.
    before = cd.next_weekly("fri", "09:30", PARIS, datetime(2026, 3, 26, 12, tzinfo=UTC))
    after = cd.next_weekly("fri", "09:30", PARIS, before + timedelta(minutes=1))
    assert (before.hour, before.minute, after.hour, after.minute) == (9, 30, 9, 30)
    assert before.astimezone(UTC).hour == 8 and after.astimezone(UTC).hour == 7
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=7, hours=-1)


def test_a_weekly_standup_keeps_its_local_time_across_the_autumn_dst_change() -> None:
    before = cd.next_weekly("fri", "09:30", PARIS, datetime(2026, 10, 22, 12, tzinfo=UTC))
    after = cd.next_weekly("fri", "09:30", PARIS, before + timedelta(minutes=1))
    assert (after.hour, after.minute) == (9, 30)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=7, hours=1)


def test_a_time_the_clock_skips_moves_past_the_gap_and_a_repeated_one_is_the_first() -> None:
    skipped = cd.at_local(date(2026, 3, 29), "02:30", PARIS)
    assert (skipped.hour, skipped.minute) == (3, 30)
    repeated = cd.at_local(date(2026, 10, 25), "02:30", PARIS)
    assert repeated.utcoffset() == timedelta(hours=2)  # summer time, the first 02:30


def test_the_next_standup_is_later_today_then_next_week() -> None:
    morning = datetime(2026, 12, 1, 7, tzinfo=UTC)  # a Tuesday, 08:00 in Paris
    assert cd.next_weekly("tue", "09:30", PARIS, morning).date() == date(2026, 12, 1)
    noon = datetime(2026, 12, 1, 11, tzinfo=UTC)
    assert cd.next_weekly("tue", "09:30", PARIS, noon).date() == date(2026, 12, 8)


def test_a_daily_standup_skips_the_weekend() -> None:
    friday_evening = datetime(2026, 12, 4, 18, tzinfo=UTC)
    assert cd.next_weekday_meeting("09:30", PARIS, friday_evening).date() == date(2026, 12, 7)


def test_milestones_and_retros_count_from_the_kickoff() -> None:
    kickoff = date(2026, 10, 5)
    assert cd.milestones(kickoff) == [
        (30, date(2026, 11, 4)),
        (60, date(2026, 12, 4)),
        (90, date(2027, 1, 3)),
    ]
    assert cd.retro_days("day90") == [90]
    assert cd.retro_days("monthly") == [30, 60, 90]
    assert cd.retro_days("fortnightly") == [14, 28, 42, 56, 70, 84, 90]
    assert cd.retro_dates(kickoff, "monthly")[0] == (30, date(2026, 11, 4))  # a Wednesday
    assert cd.workday(date(2026, 12, 5)) == date(2026, 12, 7)  # Saturday → Monday
    assert cd.workday(date(2026, 12, 6)) == date(2026, 12, 7)
    assert cd.pulse_days("weekly") == 7 and cd.pulse_days("fortnightly") == 14


def test_the_next_line_reads_like_the_issue() -> None:
    rhythm = cd.Rhythm(
        timezone=PARIS,
        kickoff=date(2026, 10, 12),
        standup_day="tue",
        standup_time="09:30",
        okr_review_day="10",
        review_time="10:00",
    )
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)  # Thursday 3 December
    line = cd.next_line(rhythm, now, ("closes", date(2026, 12, 4)))
    assert line == (
        "Next: standup Tue 09:30 · OKR review Thu 10 Dec · pulse closes tomorrow · day 60 in 8 days"
    )


def test_the_next_line_says_nothing_when_nothing_is_set() -> None:
    assert cd.next_line(cd.Rhythm(), datetime(2026, 12, 3, tzinfo=UTC)) == ""


def test_an_okr_review_already_held_today_points_to_next_month() -> None:
    rhythm = cd.Rhythm(okr_review_day="3", review_time="10:00")
    assert "OKR review today" in cd.next_line(rhythm, datetime(2026, 12, 3, 9, tzinfo=UTC))
    later = cd.next_line(rhythm, datetime(2026, 12, 3, 11, tzinfo=UTC))
    assert "OKR review Sun 3 Jan" in later


specs = st.one_of(
    st.integers(1, 31).map(str),
    st.tuples(st.sampled_from(cd.ORDINALS), st.sampled_from(cd.WEEKDAYS)).map("-".join),
)


@given(specs, st.integers(2000, 2100), st.integers(1, 12))
def test_monthly_days_are_in_their_month_and_mean_what_they_say(
    spec: str, year: int, month: int
) -> None:
    day = cd.monthly_date(year, month, spec)
    assert (day.year, day.month) == (year, month)
    last = calendar.monthrange(year, month)[1]
    if spec.isdigit():
        assert day.day == min(int(spec), last)
    else:
        ordinal, _, short = spec.partition("-")
        assert day.weekday() == cd.WEEKDAYS.index(short)
        if ordinal == "last":
            assert day.day + 7 > last
        else:
            assert (day.day - 1) // 7 == cd.ORDINALS.index(ordinal)


@given(specs, st.dates(date(2000, 1, 1), date(2099, 1, 1)))
def test_the_rrule_a_calendar_app_expands_gives_the_same_days(spec: str, start: date) -> None:
    rule = cd.monthly_rrule(spec)
    text = "COUNT=14;" + ";".join(
        f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}" for k, v in rule.items()
    )
    first = cd.next_monthly(spec, start)
    expanded = list(rrulestr(text, dtstart=datetime.combine(first, datetime.min.time())))
    expected = [first]
    for _ in range(13):
        expected.append(cd.next_monthly(spec, expected[-1] + timedelta(days=1)))
    assert [d.date() for d in expanded] == expected


@given(
    st.sampled_from(cd.WEEKDAYS),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from([PARIS, "America/New_York", "Australia/Sydney", "UTC"]),
    st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
)
def test_the_next_weekly_meeting_is_soon_on_its_weekday_at_its_wall_time(
    weekday: str, hour: int, minute: int, tz: str, now: datetime
) -> None:
    when = cd.next_weekly(weekday, f"{hour:02d}:{minute:02d}", tz, now)
    assert now <= when <= now + timedelta(days=7, hours=2)
    local = when.astimezone(ZoneInfo(tz))
    assert local.weekday() == cd.WEEKDAYS.index(weekday)
    shifted = (local.hour, local.minute) != (hour, minute)
    # Only a wall time skipped by a DST change moves, and then by the gap (≤ 1 h here).
    if shifted:
        gap = (local.hour * 60 + local.minute) - (hour * 60 + minute)
        assert 0 < gap <= 60


@given(
    st.builds(
        cd.Rhythm,
        timezone=st.sampled_from([PARIS, "America/Sao_Paulo", "Pacific/Chatham", "UTC"]),
        kickoff=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2035, 1, 1))),
        standup_cadence=st.sampled_from(["daily", "weekly"]),
        standup_day=st.one_of(st.none(), st.sampled_from(cd.WEEKDAYS)),
        standup_time=st.one_of(st.none(), st.sampled_from(["00:00", "02:30", "09:30", "23:59"])),
        okr_review_day=st.one_of(st.none(), specs),
        review_time=st.one_of(st.none(), st.just("10:00")),
        retro_every=st.one_of(st.none(), st.sampled_from(cd.RETRO_EVERY)),
        pulse_every=st.one_of(st.none(), st.sampled_from(cd.PULSE_EVERY)),
    ),
    st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1), timezones=st.just(UTC)),
)
def test_the_next_line_is_one_line_for_any_settings(rhythm: cd.Rhythm, now: datetime) -> None:
    line = cd.next_line(rhythm, now)
    assert line == "" or (line.startswith("Next: ") and "\n" not in line)
    standup = cd.next_standup(rhythm, now)
    if standup is not None:
        assert now <= standup <= now + timedelta(days=8)


# ---------------------------------------------------------------- found by mutation testing
# Each test below pins something mutmut showed no test looked at (tests/MUTANTS.md).

LA = "America/Los_Angeles"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1", "1"),
        ("1st", "1"),
        ("2nd mon", "second-mon"),
        ("3rd wed", "third-wed"),
        ("4th fri", "fourth-fri"),
        ("first tu", "first-tue"),
        ("last Sunday", "last-sun"),
    ],
)
def test_more_monthly_days_as_typed(typed: str, stored: str) -> None:
    assert cd.check_monthly(typed) == stored


def test_a_refused_monthly_day_is_quoted_trimmed_and_cut() -> None:
    for typed, shown in [
        ("  fifth monday ", "'fifth monday'"),
        ("first t", "'first t'"),  # one letter is not a weekday
        ("x" * 40, repr("x" * 30)),
    ]:
        with pytest.raises(ValueError) as refused:
            cd.check_monthly(typed)
        assert str(refused.value) == (
            f"{shown} is not a day of the month; use a day (10, 31st: the last day in shorter "
            "months) or a weekday such as 'first Tuesday' or 'last Friday'."
        )


def test_only_a_stored_form_is_a_stored_monthly_day() -> None:
    assert not cd.monthly_ok(10)
    assert not cd.monthly_ok(None)
    assert not cd.monthly_ok("first Tuesday")
    assert cd.monthly_ok("last-sun")


def test_monthly_labels() -> None:
    assert cd.monthly_label("10") == "day 10"
    assert cd.monthly_label("first-tue") == "first Tuesday"
    assert cd.monthly_label("last-sun") == "last Sunday"


def test_how_often_as_typed_and_refused() -> None:
    assert cd.check_every("retro_every", " 2w ") == "fortnightly"
    assert cd.check_every("retro_every", "Every two weeks") == "fortnightly"
    assert cd.check_every("retro_every", "every 2 weeks") == "fortnightly"
    assert cd.check_every("retro_every", "biweekly") == "fortnightly"
    assert cd.check_every("retro_every", "day 90") == "day90"
    assert cd.check_every("retro_every", "90") == "day90"
    assert cd.check_every("retro_every", "month") == "monthly"
    assert cd.check_every("pulse_every", "week") == "weekly"
    assert cd.check_every("pulse_every", "fortnightly") == "fortnightly"
    with pytest.raises(ValueError) as refused:
        cd.check_every("retro_every", " weekly ")
    assert str(refused.value) == "A retrospective can be day90, fortnightly, monthly, not 'weekly'."
    with pytest.raises(ValueError) as refused:
        cd.check_every("pulse_every", "monthly")
    assert str(refused.value) == "A pulse can be weekly, fortnightly, not 'monthly'."
    with pytest.raises(ValueError) as refused:
        cd.check_every("pulse_every", "every single day of the week")
    assert str(refused.value) == "A pulse can be weekly, fortnightly, not 'every single day of '."


def test_meetings_are_found_on_the_workspace_calendar_not_utcs() -> None:
    """02:00 UTC on Tuesday is still Monday evening in Los Angeles: a 19:00 meeting is today."""
    now = datetime(2026, 12, 8, 2, tzinfo=UTC)
    evening = datetime(2026, 12, 7, 19, tzinfo=ZoneInfo(LA))
    assert cd.next_weekly("mon", "19:00", LA, now) == evening
    assert cd.next_weekday_meeting("19:00", LA, now) == evening
    rhythm = cd.Rhythm(timezone=LA, kickoff=date(2026, 11, 7))
    assert cd.next_line(rhythm, now) == "Next: day 30 today"


def test_a_meeting_starting_now_is_the_next_one() -> None:
    now = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # Tuesday 09:30 in Paris
    assert cd.next_weekly("tue", "09:30", PARIS, now) == now
    assert cd.next_weekday_meeting("09:30", PARIS, now) == now


def test_a_daily_standup_shows_on_the_next_line() -> None:
    rhythm = cd.Rhythm(timezone=PARIS, standup_cadence="daily", standup_time="09:30")
    now = datetime(2026, 12, 4, 18, tzinfo=UTC)  # Friday evening
    assert cd.next_line(rhythm, now) == "Next: standup Mon 09:30"
    weekly_without_day = cd.Rhythm(timezone=PARIS, standup_time="09:30")
    assert cd.next_line(weekly_without_day, now) == ""


def test_a_meeting_a_week_away_shows_its_date() -> None:
    rhythm = cd.Rhythm(timezone="UTC", standup_day="mon", standup_time="09:00")
    monday = datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert cd.next_line(rhythm, monday) == "Next: standup Mon 14 Dec 09:00"
    sunday = datetime(2026, 12, 6, 10, tzinfo=UTC)
    assert cd.next_line(rhythm, sunday) == "Next: standup tomorrow 09:00"
    tuesday = datetime(2026, 12, 8, 10, tzinfo=UTC)
    assert cd.next_line(rhythm, tuesday) == "Next: standup Mon 09:00"


def test_okr_review_dates_on_the_next_line() -> None:
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)  # Thursday 3 December
    for spec, shown in [
        ("3", "today"),
        ("4", "tomorrow"),
        ("5", "Sat 5 Dec"),
        ("2", "Sat 2 Jan"),
    ]:
        rhythm = cd.Rhythm(okr_review_day=spec)
        assert cd.next_line(rhythm, now) == f"Next: OKR review {shown}"
    # A review starting this very minute has not passed.
    rhythm = cd.Rhythm(okr_review_day="3", review_time="09:00")
    assert cd.next_line(rhythm, now) == "Next: OKR review today"


def test_retros_and_milestones_on_the_next_line() -> None:
    kickoff = date(2026, 10, 5)  # a Monday; fortnightly retros on Mondays 19 Oct, 2 Nov, ...
    rhythm = cd.Rhythm(kickoff=kickoff, retro_every="fortnightly")

    def line(today: date) -> str:
        return cd.next_line(rhythm, datetime.combine(today, datetime.min.time(), tzinfo=UTC))

    assert line(date(2026, 10, 19)) == "Next: retro today · day 30 in 16 days"
    assert line(date(2026, 10, 18)) == "Next: retro tomorrow · day 30 in 17 days"
    assert line(date(2026, 10, 6)) == "Next: retro Mon 19 Oct · day 30 in 29 days"
    assert line(date(2026, 10, 5)) == "Next: retro Mon 19 Oct · day 30 in 30 days"
    assert line(date(2026, 10, 4)) == "Next: day 30 in 31 days"  # 15 days before the retro
    assert line(date(2026, 11, 3)) == "Next: retro Mon 16 Nov · day 30 in 1 day"
    assert line(date(2026, 11, 4)) == "Next: retro Mon 16 Nov · day 30 today"
    # The day-90 retro is the day-90 milestone: not listed twice.
    assert line(date(2026, 12, 30)) == "Next: day 90 in 4 days"
    assert line(date(2027, 1, 4)) == ""
    plain = cd.Rhythm(kickoff=kickoff)
    assert cd.next_line(plain, datetime(2026, 10, 6, tzinfo=UTC)) == "Next: day 30 in 29 days"


def test_monthly_rrules_exactly() -> None:
    assert cd.monthly_rrule("1") == {"FREQ": "MONTHLY", "BYMONTHDAY": 1}
    assert cd.monthly_rrule("28") == {"FREQ": "MONTHLY", "BYMONTHDAY": 28}
    assert cd.monthly_rrule("30") == {
        "FREQ": "MONTHLY",
        "BYMONTHDAY": [28, 29, 30],
        "BYSETPOS": -1,
    }
    assert cd.monthly_rrule("first-mon") == {"FREQ": "MONTHLY", "BYDAY": "1MO"}
    assert cd.monthly_rrule("fourth-sun") == {"FREQ": "MONTHLY", "BYDAY": "4SU"}
    assert cd.monthly_rrule("last-fri") == {"FREQ": "MONTHLY", "BYDAY": "-1FR"}
