"""Due-time rules: 72 hours to a first action, 24 hours to publish, a blocker owned the same day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.due import (
    blocker_owner_due,
    blocker_owner_overdue,
    checkin_stale,
    decision_publication_late,
    decision_publish_due,
    first_action_due,
    kpi_nudge,
)

UTC = timezone.utc
MS = timedelta(milliseconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kickoff", "tz", "due"),
    [
        (date(2026, 12, 1), "UTC", utc(2026, 12, 4)),
        (date(2026, 12, 1), "Europe/Paris", utc(2026, 12, 3, 23)),  # CET midnight is 23:00 UTC
        (date(2026, 12, 1), "America/Los_Angeles", utc(2026, 12, 4, 8)),
        # Paris springs forward on Mar 29: 72 real hours end at 01:00 local on Mar 30.
        (date(2026, 3, 27), "Europe/Paris", utc(2026, 3, 29, 23)),
        # Los Angeles falls back on Nov 1: 72 real hours end at 23:00 local on Nov 1.
        (date(2026, 10, 30), "America/Los_Angeles", utc(2026, 11, 2, 7)),
    ],
)
def test_first_action_is_due_72_hours_after_the_kickoff_day_starts(kickoff, tz, due):
    result = first_action_due(kickoff, tz)
    assert result == due
    assert result.utcoffset() == timedelta(0)


def test_first_action_when_local_midnight_does_not_exist():
    # Santiago skips 00:00-01:00 on 2026-09-06: the day starts at 01:00 -03.
    assert first_action_due(date(2026, 9, 6), "America/Santiago") == utc(2026, 9, 9, 4)


def test_decision_is_due_for_publication_24_hours_after_it_is_decided():
    assert decision_publish_due(utc(2026, 11, 23, 9, 30)) == utc(2026, 11, 24, 9, 30)
    paris = timezone(timedelta(hours=1))
    assert decision_publish_due(datetime(2026, 11, 23, 10, 30, tzinfo=paris)) == utc(
        2026, 11, 24, 9, 30
    )
    assert decision_publish_due(datetime(2026, 11, 23, 9, 30)) == utc(
        2026, 11, 24, 9, 30
    )  # naive is UTC


def test_decision_publication_late_edges():
    decided = utc(2026, 11, 23, 9, 30)
    due = utc(2026, 11, 24, 9, 30)
    assert not decision_publication_late(decided, None, due)  # exactly 24 h: still in time
    assert decision_publication_late(decided, None, due + MS)
    assert not decision_publication_late(decided, due + timedelta(hours=5), due + timedelta(days=3))
    assert not decision_publication_late(None, None, due + timedelta(days=3))  # not decided yet


@pytest.mark.parametrize(
    ("raised", "tz", "due"),
    [
        (utc(2026, 11, 23, 9), "UTC", utc(2026, 11, 24)),
        (utc(2026, 11, 23, 22, 59), "Europe/Paris", utc(2026, 11, 23, 23)),  # 23:59 in Paris
        (
            utc(2026, 11, 23, 23, 0),
            "Europe/Paris",
            utc(2026, 11, 24, 23),
        ),  # 00:00 next day in Paris
        (
            utc(2026, 3, 29, 10),
            "Europe/Paris",
            utc(2026, 3, 29, 22),
        ),  # 23-hour DST day, CEST midnight
        (
            utc(2026, 11, 1, 6, 30),
            "America/Los_Angeles",
            utc(2026, 11, 1, 7),
        ),  # 23:30 PDT on Oct 31
        (
            utc(2026, 11, 1, 12),
            "America/Los_Angeles",
            utc(2026, 11, 2, 8),
        ),  # 25-hour DST day, PST midnight
    ],
)
def test_blocker_needs_an_owner_by_local_midnight(raised, tz, due):
    assert blocker_owner_due(raised, tz) == due


def test_blocker_owner_overdue_edges():
    raised = utc(2026, 11, 23, 22, 59)  # 23:59 in Paris
    midnight = utc(2026, 11, 23, 23)
    assert not blocker_owner_overdue(raised, None, midnight - MS, "Europe/Paris")
    assert blocker_owner_overdue(raised, None, midnight, "Europe/Paris")
    assert not blocker_owner_overdue(
        raised, raised + MS, midnight + timedelta(days=2), "Europe/Paris"
    )
    # The same blocker in a UTC workspace still has the rest of the UTC day.
    assert not blocker_owner_overdue(raised, None, midnight, "UTC")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(
        ["UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham"]
    ),
)
def test_blocker_is_due_within_a_day_and_never_before_it_was_raised(raised, tz):
    due = blocker_owner_due(raised, tz)
    assert raised < due <= raised + timedelta(hours=25)


def test_checkin_stale_after_14_days():
    last = utc(2026, 11, 1, 9)
    assert not checkin_stale(last, last + timedelta(days=14) - MS)
    assert checkin_stale(last, last + timedelta(days=14))
    assert not checkin_stale(last, last + timedelta(days=6), days=7)
    assert checkin_stale(last, last + timedelta(days=7), days=7)


def test_checkin_stale_without_any_check_in():
    created = utc(2026, 11, 1, 9)
    assert not checkin_stale(None, created + timedelta(days=13), since=created)
    assert checkin_stale(None, created + timedelta(days=14), since=created)
    assert checkin_stale(None, created)  # nothing to measure from: ask for a check-in
    # A check-in resets the clock even if the KR is old.
    assert not checkin_stale(
        created + timedelta(days=20), created + timedelta(days=21), since=created
    )


@pytest.mark.parametrize(
    ("readings", "threshold", "higher_is_better", "periods", "nudge"),
    [
        ([10, 8, 7], 9, True, 2, True),  # under threshold two periods running
        ([8, 10], 9, True, 2, False),
        ([10, 8], 9, True, 2, False),  # only one period under
        ([7], 9, True, 2, False),  # not enough history yet
        ([], 9, True, 2, False),
        ([9, 9], 9, True, 2, False),  # on the threshold is fine
        ([12, 13], 10, False, 2, True),  # lower is better: over threshold is wrong
        ([13, 9], 10, False, 2, False),
        ([1, 1, 1], 5, True, 3, True),
        ([6, 1, 1], 5, True, 3, False),
    ],
)
def test_kpi_nudge(readings, threshold, higher_is_better, periods, nudge):
    assert (
        kpi_nudge(readings, threshold, higher_is_better=higher_is_better, periods=periods) is nudge
    )


def test_kpi_nudge_needs_at_least_one_period():
    with pytest.raises(ValueError, match="at least 1"):
        kpi_nudge([1, 2], 5, periods=0)


@given(st.lists(st.floats(-1e6, 1e6), max_size=10), st.floats(-1e6, 1e6), st.booleans())
def test_a_good_reading_always_clears_the_nudge(readings, threshold, higher_is_better):
    good = threshold + (1 if higher_is_better else -1)
    assert not kpi_nudge([*readings, good], threshold, higher_is_better=higher_is_better)


def test_due_times_do_not_depend_on_the_machines_timezone():
    import pendulum

    expected = (
        first_action_due(date(2026, 11, 23), "Europe/Paris"),
        blocker_owner_due(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc), "Europe/Paris"),
    )
    pendulum.set_local_timezone(pendulum.timezone("Asia/Tokyo"))
    try:
        assert first_action_due(date(2026, 11, 23), "Europe/Paris") == expected[0]
        assert (
            blocker_owner_due(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc), "Europe/Paris")
            == expected[1]
        )
    finally:
        pendulum.set_local_timezone()
    assert expected == (utc(2026, 11, 25, 23), utc(2026, 11, 23, 23))


def test_a_stored_kickoff_day_reads_as_a_date():
    assert first_action_due("2026-11-23", "UTC") == utc(2026, 11, 26, 0)  # type: ignore[arg-type]


def test_kpi_nudge_defaults_to_higher_is_better_over_two_periods():
    assert kpi_nudge([10, 8, 7], 9)
    assert not kpi_nudge([8, 10, 7], 9)  # only the last period under
    assert not kpi_nudge([7], 9)


def test_kpi_nudge_over_one_period():
    assert kpi_nudge([10, 7], 9, periods=1)
    assert not kpi_nudge([7, 10], 9, periods=1)


def test_lower_is_better_on_the_threshold_is_fine():
    assert not kpi_nudge([10, 10], 10, higher_is_better=False)
    assert kpi_nudge([11, 10.5], 10, higher_is_better=False)


def test_due_times_in_a_half_hour_timezone():
    assert first_action_due(date(2026, 11, 23), "Asia/Kolkata") == datetime(
        2026, 11, 25, 18, 30, tzinfo=timezone.utc
    )
    assert blocker_owner_due(
        datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc), "Asia/Kolkata"
    ) == datetime(2026, 11, 23, 18, 30, tzinfo=timezone.utc)
