"""Dates typed in forms, due text on cards, and the timestamps stored in every row."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.dates import human_due, is_late, iso_utc, parse_date, parse_instant

FRIDAY = date(2026, 11, 27)
UTC = timezone.utc
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-24", date(2026, 12, 24)),
        ("2026/12/24", date(2026, 12, 24)),
        ("2027-1-5", date(2027, 1, 5)),
        ("+3d", date(2026, 11, 30)),
        ("+2w", date(2026, 12, 11)),
        ("-1d", date(2026, 11, 26)),
        ("today", FRIDAY),
        ("Tomorrow", date(2026, 11, 28)),
        ("YESTERDAY", date(2026, 11, 26)),
        ("in 3 days", date(2026, 11, 30)),
        ("in 1 day", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 11)),
        ("monday", date(2026, 11, 30)),
        ("Sat", date(2026, 11, 28)),
        ("friday", date(2026, 12, 4)),  # on a Friday, "friday" means next week's
        ("fri", date(2026, 12, 4)),
        ("next friday", date(2026, 12, 4)),  # the Friday of next week
        ("  Next   Thu ", date(2026, 12, 3)),
        ("next monday", date(2026, 11, 30)),
        ("dec 24", date(2026, 12, 24)),
        ("24 dec", date(2026, 12, 24)),
        ("December 24", date(2026, 12, 24)),
        ("nov 27", FRIDAY),  # today is not past
        ("nov 26", date(2027, 11, 26)),  # already past: next year
        ("jan 5", date(2027, 1, 5)),
        ("24 dec 2027", date(2027, 12, 24)),
    ],
)
def test_accepted_dates(text, expected):
    assert parse_date(text, FRIDAY) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 3), date(2026, 12, 11)),  # a Thursday: not tomorrow, next week's
        (date(2026, 11, 30), date(2026, 12, 11)),  # a Monday: next week's, not this week's
        (date(2026, 12, 6), date(2026, 12, 11)),  # a Sunday: the week starting tomorrow
    ],
)
def test_next_weekday_is_that_day_of_next_week(today, expected):
    assert parse_date("next friday", today) == expected
    assert parse_date("friday", date(2026, 12, 3)) == date(2026, 12, 4)  # plain: the next one


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_blank_means_no_date(text):
    assert parse_date(text, FRIDAY) is None


@pytest.mark.parametrize(
    "text", ["xyz", "next", "dec", "24/12/2026", "2026-12-24x", "someday", "+d", "in days"]
)
def test_unreadable_dates_say_what_is_expected(text):
    with pytest.raises(ValueError) as info:
        parse_date(text, FRIDAY)
    assert str(info.value) == (
        f"Can't read '{text.strip()}' as a date: use 2026-12-24, +3d, +2w, tomorrow or next friday."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "There is no 30 February 2026."),
        ("2026-02-29", "There is no 29 February 2026."),
        ("2026-04-31", "There is no 31 April 2026."),
        ("feb 29", "There is no 29 February 2027."),  # Feb 2026 is past, 2027 is not a leap year
        ("2026-13-01", "There is no month 13; use a month from 1 to 12."),
    ],
)
def test_impossible_dates_are_named(text, message):
    with pytest.raises(ValueError) as info:
        parse_date(text, FRIDAY)
    assert str(info.value) == message


def test_leap_day_exists_in_leap_years():
    assert parse_date("2028-02-29", FRIDAY) == date(2028, 2, 29)
    assert parse_date("feb 29", date(2027, 3, 1)) == date(2028, 2, 29)


def test_dates_too_far_away_are_refused():
    with pytest.raises(ValueError, match="too far away"):
        parse_date("+9999999d", FRIDAY)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(WEEKDAYS),
    st.booleans(),
    st.booleans(),
)
def test_weekday_names_mean_the_next_one_strictly_after_today(today, name, short, with_next):
    text = ("next " if with_next else "") + (name[:3] if short else name)
    result = parse_date(text, today)
    assert result.weekday() == WEEKDAYS.index(name)
    if with_next:  # in the week after today's (weeks start on Monday)
        monday = today - timedelta(days=today.weekday())
        assert 7 <= (result - monday).days <= 13
    else:
        assert 1 <= (result - today).days <= 7


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 3000))
def test_relative_offsets(today, n):
    assert parse_date(f"+{n}d", today) == today + timedelta(days=n)
    assert parse_date(f"-{n}d", today) == today - timedelta(days=n)
    assert parse_date(f"+{n}w", today) == today + timedelta(weeks=n)
    assert parse_date(f"in {n} days", today) == today + timedelta(days=n)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(1, 12),
    st.integers(1, 28),
)
def test_month_day_is_never_in_the_past_and_within_a_year(today, month, day):
    result = parse_date(f"{day} {datetime(2000, month, 1):%b}", today)
    assert (result.month, result.day) == (month, day)
    assert today <= result < today + timedelta(days=366)


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (0, "due today"),
        (1, "due tomorrow"),
        (2, "in 2 days"),
        (13, "in 13 days"),
        (14, "in 2 weeks"),
        (20, "in 2 weeks"),
        (21, "in 3 weeks"),
        (-1, "1 day late"),
        (-5, "5 days late"),
        (-30, "30 days late"),
    ],
)
def test_human_due(offset, text):
    assert human_due(FRIDAY + timedelta(days=offset), FRIDAY) == text


def test_is_late():
    assert is_late(FRIDAY - timedelta(days=1), FRIDAY)
    assert not is_late(FRIDAY, FRIDAY)  # due today is not late yet
    assert not is_late(FRIDAY - timedelta(days=1), FRIDAY, done=True)
    assert not is_late(None, FRIDAY)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-11-23T09:30:00.123Z", datetime(2026, 11, 23, 9, 30, 0, 123000, tzinfo=UTC)),
        ("2026-11-23T10:30:00+01:00", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
        ("2026-11-23T01:30:00-08:00", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
        ("2026-11-23T09:30:00", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),  # no offset: UTC
    ],
)
def test_parse_instant(text, instant):
    result = parse_instant(text)
    assert result == instant
    assert result.utcoffset() == timedelta(0)


def test_parse_instant_refuses_garbage():
    with pytest.raises(
        ValueError, match=r"^Can't read 'yesterday' as a date and time: use ISO 8601"
    ):
        parse_instant("yesterday")


def test_iso_utc_format():
    assert (
        iso_utc(datetime(2026, 11, 23, 9, 30, 0, 123999, tzinfo=UTC)) == "2026-11-23T09:30:00.123Z"
    )
    assert iso_utc(datetime(2026, 11, 23, 9, 30)) == "2026-11-23T09:30:00.000Z"
    paris = timezone(timedelta(hours=1))
    assert iso_utc(datetime(2026, 11, 23, 0, 15, tzinfo=paris)) == "2026-11-22T23:15:00.000Z"


aware = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from(
        [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
    ),
)


@given(aware)
def test_timestamps_round_trip_to_the_millisecond(dt):
    text = iso_utc(dt)
    back = parse_instant(text)
    assert timedelta(0) <= dt - back < timedelta(milliseconds=1)
    assert iso_utc(back) == text


@given(aware, aware)
def test_timestamp_text_sorts_in_time_order(a, b):
    if iso_utc(a) < iso_utc(b):
        assert a < b
    if a < b:
        assert iso_utc(a) <= iso_utc(b)


# ------------------------------------------------------------------ the sentences, word for word

TODAY = date(2026, 11, 23)


def _refused(text: str, today: date = TODAY) -> str:
    with pytest.raises(ValueError) as err:
        parse_date(text, today)
    return str(err.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("soon", "soon"),
        ("\x1b[2Jsoon", "?[2Jsoon"),
        ("x" * 20, "x" * 20),
        ("x" * 21, "x" * 19 + "…"),
    ],
)
def test_an_unreadable_date_is_quoted_short_and_printable(text: str, shown: str) -> None:
    assert _refused(text) == (
        f"Can't read '{shown}' as a date: use 2026-12-24, +3d, +2w, tomorrow or next friday."
    )


def test_the_first_and_last_days_of_the_calendar() -> None:
    assert parse_date("0001-01-01", TODAY) == date(1, 1, 1)
    assert parse_date("9999-12-31", TODAY) == date(9999, 12, 31)
    assert _refused("0000-06-01") == "Year 0 is out of range; use a year from 1 to 9999."


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("tomorrow", date.max),
        ("yesterday", date.min),
        ("in 2 days", date.max),
        ("next friday", date.max),
        ("friday", date.max),
    ],
)
def test_a_day_past_the_calendar_is_one_sentence(text: str, today: date) -> None:
    assert _refused(text, today) == (
        f"'{text}' is too far away; pick a date between the years 1 and 9999."
    )


def test_naive_means_utc_whatever_the_machines_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import tzinfo

    class NoOffset(tzinfo):
        def utcoffset(self, dt: datetime | None) -> None:
            return None

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        naive = datetime(2026, 11, 23, 9, 30)
        for value in (naive, naive.replace(tzinfo=NoOffset()), "2026-11-23T09:30:00"):
            dt = parse_instant(value)
            assert dt.utcoffset() == timedelta(0)
            assert (dt.hour, dt.minute) == (9, 30)
        assert iso_utc(naive) == "2026-11-23T09:30:00.000Z"
        assert iso_utc(datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=9)))) == (
            "2026-11-23T09:30:00.000Z"
        )
    finally:
        monkeypatch.undo()
        time.tzset()
