"""30-60-90 windows: which column a date lands in, counted on the workspace's own calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.windows import (
    WINDOW_LABELS,
    WINDOWS,
    day_of,
    format_range,
    local_date,
    window_of,
    window_range,
)

KICKOFF = date(2026, 12, 1)
UTC = timezone.utc


def test_labels_use_an_en_dash():
    assert WINDOWS == ("30", "60", "90", "later")
    assert WINDOW_LABELS == {"30": "0–30", "60": "31–60", "90": "61–90", "later": "Later"}


@pytest.mark.parametrize(
    ("day", "window"),
    [
        (-100, "30"),
        (-1, "30"),
        (0, "30"),
        (30, "30"),
        (31, "60"),
        (60, "60"),
        (61, "90"),
        (90, "90"),
        (91, "later"),
        (400, "later"),
    ],
)
def test_window_boundaries(day, window):
    when = KICKOFF + timedelta(days=day)
    assert day_of(when, KICKOFF) == day
    assert window_of(when, KICKOFF) == window


def test_window_ranges_and_headers():
    assert window_range("30", KICKOFF) == (date(2026, 12, 1), date(2026, 12, 31))
    assert window_range("60", KICKOFF) == (date(2027, 1, 1), date(2027, 1, 30))
    assert window_range("90", KICKOFF) == (date(2027, 1, 31), date(2027, 3, 1))
    assert window_range("later", KICKOFF) == (date(2027, 3, 2), None)
    assert format_range("30", KICKOFF) == "Dec 1 – Dec 31"
    assert format_range("60", KICKOFF) == "Jan 1 – Jan 30"
    assert format_range("90", KICKOFF) == "Jan 31 – Mar 1"
    assert format_range("later", KICKOFF) == "from Mar 2"


def test_unknown_window_is_refused():
    with pytest.raises(ValueError, match="^Window must be one of 30, 60, 90 or later"):
        window_range("45", KICKOFF)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-60, 400))
def test_every_date_falls_inside_the_range_of_its_window(kickoff, offset):
    when = kickoff + timedelta(days=offset)
    window = window_of(when, kickoff)
    first, last = window_range(window, kickoff)
    if offset >= 0:  # days before kickoff are shown in the first column but lie before its range
        assert first <= when and (last is None or when <= last)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_windows_tile_the_plan_without_gaps(kickoff):
    ends = [window_range(w, kickoff) for w in WINDOWS]
    for (_, last), (first, _) in zip(ends, ends[1:]):
        assert first == last + timedelta(days=1)


def test_a_date_is_a_calendar_day_in_every_timezone():
    assert local_date(date(2026, 12, 31), "Pacific/Kiritimati") == date(2026, 12, 31)
    assert local_date("2026-12-31", "America/Los_Angeles") == date(2026, 12, 31)


def test_instants_are_read_in_the_workspace_timezone():
    late_evening_utc = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(late_evening_utc, "UTC") == date(2026, 12, 31)
    assert local_date(late_evening_utc, "Europe/Paris") == date(2027, 1, 1)
    assert local_date(late_evening_utc, "America/Los_Angeles") == date(2026, 12, 31)
    assert local_date(datetime(2026, 12, 31, 23, 30), "Europe/Paris") == date(
        2027, 1, 1
    )  # naive is UTC
    assert local_date("2026-12-31T23:30:00Z", "Europe/Paris") == date(2027, 1, 1)
    assert local_date("2027-01-01T00:30:00+01:00", "UTC") == date(2026, 12, 31)


def test_day_30_ends_at_local_midnight_in_paris_in_winter():
    kickoff = date(2026, 1, 1)  # day 30 is Jan 31, CET (UTC+1)
    assert window_of(datetime(2026, 1, 31, 22, 59, 59, tzinfo=UTC), kickoff, "Europe/Paris") == "30"
    assert window_of(datetime(2026, 1, 31, 23, 0, tzinfo=UTC), kickoff, "Europe/Paris") == "60"
    assert window_of(datetime(2026, 1, 31, 23, 0, tzinfo=UTC), kickoff, "UTC") == "30"


def test_day_30_ends_at_local_midnight_in_paris_after_the_spring_dst_change():
    kickoff = date(2026, 3, 1)  # clocks go forward on Mar 29; day 30 is Mar 31, CEST (UTC+2)
    assert day_of(datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC), kickoff, "Europe/Paris") == 30
    assert day_of(datetime(2026, 3, 31, 22, 0, tzinfo=UTC), kickoff, "Europe/Paris") == 31
    assert window_of(datetime(2026, 3, 31, 22, 0, tzinfo=UTC), kickoff, "Europe/Paris") == "60"


def test_day_30_ends_at_local_midnight_in_los_angeles_after_the_autumn_dst_change():
    kickoff = date(2026, 10, 3)  # clocks go back on Nov 1; day 30 is Nov 2, PST (UTC-8)
    assert (
        window_of(datetime(2026, 11, 3, 7, 59, 59, tzinfo=UTC), kickoff, "America/Los_Angeles")
        == "30"
    )
    assert (
        window_of(datetime(2026, 11, 3, 8, 0, tzinfo=UTC), kickoff, "America/Los_Angeles") == "60"
    )
    # The same instant is already day 31 in UTC: the workspace timezone decides.
    assert window_of(datetime(2026, 11, 3, 7, 0, tzinfo=UTC), kickoff, "UTC") == "60"


def test_day_60_and_90_boundaries_in_a_non_utc_timezone():
    kickoff = date(2026, 9, 1)
    tz = "America/Los_Angeles"  # day 60 = Oct 31 (PDT, UTC-7), day 90 = Nov 30 (PST, UTC-8)
    assert window_of(datetime(2026, 11, 1, 6, 59, tzinfo=UTC), kickoff, tz) == "60"
    assert window_of(datetime(2026, 11, 1, 7, 0, tzinfo=UTC), kickoff, tz) == "90"
    assert window_of(datetime(2026, 12, 1, 7, 59, tzinfo=UTC), kickoff, tz) == "90"
    assert window_of(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), kickoff, tz) == "later"


def test_work_before_kickoff_belongs_to_the_first_window():
    assert day_of(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), KICKOFF, "Europe/Paris") == -1
    assert window_of(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), KICKOFF, "Europe/Paris") == "30"


def test_unknown_timezone_is_one_sentence():
    with pytest.raises(
        ValueError,
        match=r"^Unknown timezone 'Mars/Base'; use a name such as Europe/Paris or UTC\.$",
    ):
        window_of(datetime(2026, 12, 2, tzinfo=UTC), KICKOFF, "Mars/Base")


def test_an_empty_or_missing_timezone_is_one_sentence() -> None:
    """Mutation testing found these unchecked (an `or` turned into `and` passed)."""
    import pytest

    from kickoff_tui.rules.windows import zone

    for bad in ("", "   ", None):
        with pytest.raises(ValueError, match="Unknown timezone .*use a name such as Europe/Paris"):
            zone(bad)  # type: ignore[arg-type]
    assert zone(" UTC ").name == "UTC"


def test_local_day_is_none_for_what_cannot_be_read() -> None:
    """The one local day: a day for a readable instant or date, None for anything else (never
    an exception, so a hand-edited value never stops a screen or an export)."""
    from kickoff_tui.rules.windows import local_day

    assert local_day("2026-11-23T23:30:00Z", "Europe/Paris") == date(2026, 11, 24)
    assert local_day("2026-11-23", "Europe/Paris") == date(2026, 11, 23)
    for bad in (None, "", "2026-11-23 09:00 oops", "yesterday", "2026-13-45T00:00:00Z"):
        assert local_day(bad, "Europe/Paris") is None
    assert local_day("2026-11-23T23:30:00Z", "Not/AZone") is None


def test_local_stamp_shows_a_stored_instant_in_the_workspace_timezone() -> None:
    from kickoff_tui.rules.windows import local_stamp

    assert local_stamp("2026-11-23T23:30:00.123Z", "Europe/Paris") == "2026-11-24 00:30"
    assert local_stamp("2026-11-23T09:05:59Z", "UTC") == "2026-11-23 09:05"
    assert local_stamp(None, "UTC") == ""
    assert local_stamp("", "UTC") == ""
    # unreadable text or an unknown timezone: the text as it is, never an error
    assert local_stamp("last tuesday", "UTC") == "last tuesday"
    assert local_stamp("2026-11-23T09:05:00Z", "Mars/Olympus") == "2026-11-23T09:05:00Z"


def test_a_stored_kickoff_day_and_the_default_timezone() -> None:
    from kickoff_tui.rules.windows import day_of, window_of

    late_evening = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    assert day_of(late_evening, "2026-11-01") == 30  # type: ignore[arg-type]
    assert window_of(late_evening, "2026-11-01") == "30"  # type: ignore[arg-type]
    assert day_of("2026-12-02T00:30:00Z", date(2026, 11, 1)) == 31
    assert window_of("2026-12-02T00:30:00Z", date(2026, 11, 1)) == "60"


def test_something_that_is_not_a_date_gets_one_sentence() -> None:
    from kickoff_tui.rules.windows import local_date

    with pytest.raises(ValueError) as err:
        local_date(20261201, "UTC")  # type: ignore[arg-type]
    assert str(err.value) == "Expected a date, a datetime or an ISO-8601 string (got int)."
