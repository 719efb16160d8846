"""The KPI rule: periods, last-reading values, under runs, missing periods and target status."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.kpi import (
    Reading,
    assess,
    counting,
    expected,
    kpi_problems,
    next_start,
    period_start,
    periods,
    target_status,
)

TODAY = date(2026, 11, 23)  # a Monday
START = date(2026, 9, 1)

frequencies = st.sampled_from(["daily", "weekly", "monthly"])
directions = st.sampled_from(["higher", "lower"])
days = st.integers(min_value=0, max_value=(TODAY - START).days).map(
    lambda n: START + timedelta(days=n)
)
values = st.integers(min_value=0, max_value=40).map(float)


@st.composite
def reading_lists(draw: st.DrawFn, max_size: int = 25) -> list[Reading]:
    items = draw(st.lists(st.tuples(days, values), max_size=max_size))
    return [Reading(f"r{i}", at, value, seq=i) for i, (at, value) in enumerate(items)]


def _assess(readings, frequency, direction, threshold=20.0, today=TODAY, since=None):
    return assess(
        readings,
        frequency=frequency,
        threshold=threshold,
        direction=direction,
        today=today,
        since=since,
    )


@given(days, frequencies)
def test_a_day_falls_in_its_period(day: date, frequency: str) -> None:
    start = period_start(day, frequency)
    after = next_start(start, frequency)
    assert start <= day < after
    assert period_start(after, frequency) == after  # the next period starts where this ends
    if frequency == "weekly":
        assert start.weekday() == 0
    if frequency == "monthly":
        assert start.day == 1 and after.day == 1


@given(reading_lists(), frequencies, directions)
def test_periods_are_contiguous_and_the_value_is_the_last_reading(
    readings: list[Reading], frequency: str, direction: str
) -> None:
    found = periods(readings, frequency=frequency, threshold=20, direction=direction, today=TODAY)
    for a, b in itertools.pairwise(found):
        assert a.end + timedelta(days=1) == b.start
    if found:
        assert found[-1].start <= TODAY <= found[-1].end
    for p in found:
        inside = [r for r in readings if p.start <= r.at <= p.end]
        if inside:
            last = max(inside, key=lambda r: (r.at, r.seq))
            assert p.value == last.value
            assert p.state == (
                "under" if (last.value < 20 if direction == "higher" else last.value > 20) else "ok"
            )
        else:
            assert p.value is None
            assert p.state == ("missing" if p.end < TODAY else "open")


@given(reading_lists(), frequencies, directions)
def test_missing_periods_neither_reset_nor_extend_a_run(
    readings: list[Reading], frequency: str, direction: str
) -> None:
    result = _assess(readings, frequency, direction)
    measured = [p.state for p in result.periods if p.state in ("under", "ok")]
    trailing = len(measured) - len(
        "".join("u" if s == "under" else "o" for s in measured).rstrip("u")
    )
    assert result.under_run == trailing
    assert result.nudged == (trailing >= 2)


@given(reading_lists(max_size=10), frequencies, directions, st.data())
def test_dropping_every_reading_of_a_period_keeps_the_run(
    readings: list[Reading], frequency: str, direction: str, data: st.DataObject
) -> None:
    """Emptying one closed period (making it missing) changes the run only by that period."""
    before = _assess(readings, frequency, direction)
    closed = [p for p in before.periods if p.end < TODAY and p.value is not None]
    if not closed:
        return
    gone = data.draw(st.sampled_from(closed))
    kept = [r for r in readings if not gone.start <= r.at <= gone.end]
    after = _assess(kept, frequency, direction, since=before.periods[0].start)
    states = [
        p.state for p in before.periods if p.start != gone.start and p.state in ("under", "ok")
    ]
    tail = 0
    for s in reversed(states):
        if s != "under":
            break
        tail += 1
    assert after.under_run == tail


def test_two_under_weeks_running_nudge_and_a_good_week_clears_it() -> None:
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    lower = [Reading("a", weeks[0], 24), Reading("b", weeks[1], 28, 1)]
    one = _assess(lower, "weekly", "lower", threshold=26)
    assert not one.nudged  # one under week is not yet a nudge
    two = _assess([*lower, Reading("c", weeks[2], 27, 2)], "weekly", "lower", threshold=26)
    assert two.nudged and two.nudged_since == weeks[2]
    cleared = _assess(
        [*lower, Reading("c", weeks[2], 27, 2), Reading("d", TODAY, 25, 3)],
        "weekly",
        "lower",
        threshold=26,
    )
    assert not cleared.nudged


def test_a_missing_week_between_two_under_weeks_still_nudges_and_is_its_own_nudge() -> None:
    readings = [Reading("a", date(2026, 11, 2), 30), Reading("b", date(2026, 11, 17), 31, 1)]
    result = _assess(readings, "weekly", "lower", threshold=26)
    assert [p.state for p in result.periods] == ["under", "missing", "under", "open"]
    assert result.nudged
    assert not result.missing  # the latest closed week has a reading
    later = _assess(readings, "weekly", "lower", threshold=26, today=date(2026, 11, 30))
    assert later.missing and later.missing_since == date(2026, 11, 30)


@given(reading_lists(), frequencies)
def test_direction_is_a_mirror(readings: list[Reading], frequency: str) -> None:
    mirrored = [Reading(r.id, r.at, -r.value, r.seq) for r in readings]
    up = _assess(readings, frequency, "higher", threshold=20)
    down = _assess(mirrored, frequency, "lower", threshold=-20)
    assert [p.state for p in up.periods] == [p.state for p in down.periods]
    assert up.nudged_since == down.nudged_since


@given(reading_lists(max_size=12), values, frequencies, directions, st.data())
def test_a_correction_supersedes_the_reading_it_corrects(
    readings: list[Reading], value: float, frequency: str, direction: str, data: st.DataObject
) -> None:
    if not readings:
        return
    old = data.draw(st.sampled_from(readings))
    fixed = Reading("fix", old.at, value, seq=old.seq, corrects=old.id)  # in its place
    replaced = [Reading(r.id, r.at, value, r.seq) if r is old else r for r in readings]
    assert [r.value for r in counting([*readings, fixed])] == [r.value for r in counting(replaced)]
    assert old.id not in {r.id for r in counting([*readings, fixed])}
    with_fix = _assess([*readings, fixed], frequency, direction)
    assert with_fix == _assess(replaced, frequency, direction)


@given(values, values, values, st.integers(min_value=-5, max_value=200))
def test_the_expected_line_runs_baseline_to_30_to_90(
    b: float, t30: float, t90: float, day: int
) -> None:
    assert expected(b, t30, t90, 0) == b
    assert expected(b, t30, t90, 30) == t30
    assert expected(b, t30, t90, 90) == t90
    value = expected(b, t30, t90, day)
    lo, hi = (min(b, t30), max(b, t30)) if day <= 30 else (min(t30, t90), max(t30, t90))
    assert lo - 1e-9 <= value <= hi + 1e-9


@given(values, values, st.integers(min_value=0, max_value=120), directions, values)
def test_a_better_value_is_never_more_behind(
    baseline: float, target: float, day: int, direction: str, value: float
) -> None:
    status = target_status(
        value, baseline=baseline, target=target, target_day=30, direction=direction, day=day
    )
    better = value + 1 if direction == "higher" else value - 1
    if status == "on track":
        assert (
            target_status(
                better,
                baseline=baseline,
                target=target,
                target_day=30,
                direction=direction,
                day=day,
            )
            == "on track"
        )


def test_status_against_the_guides_example() -> None:
    """Support resolution hours 26 → 20 → 16: on day 15, 23 h is on track (expected 23), 24 h is
    behind; no reading is no data."""
    kw = {"baseline": 26.0, "target": 20.0, "target_day": 30, "direction": "lower", "day": 15}
    assert target_status(23.0, **kw) == "on track"
    assert target_status(24.0, **kw) == "behind"
    assert target_status(None, **kw) == "no data"


def test_kpi_problems_are_one_sentence_each() -> None:
    assert kpi_problems({"name": " ", "direction": "lower", "frequency": "weekly"}) == {
        "name": "The KPI needs a name, e.g. Support resolution hours.",
        "baseline": "The baseline is needed: a number such as 26.",
        "target_30": "The 30-day target is needed: a number such as 26.",
        "target_90": "The 90-day target is needed: a number such as 26.",
    }
    wrong_way = kpi_problems(
        {
            "name": "Hours",
            "direction": "lower",
            "frequency": "weekly",
            "baseline": 26.0,
            "target_30": 20.0,
            "target_90": 30.0,
        }
    )
    assert "below the baseline" in wrong_way["target_90"]


# ---------------------------------------------------------------- found by mutation testing
# Each test below pins something mutmut showed no test looked at (tests/MUTANTS.md).

import math

import pytest

from kickoff_tui.rules.kpi import sparkline_values, toward


def test_an_unknown_frequency_is_refused_with_its_sentence() -> None:
    for rule in (period_start, next_start):
        with pytest.raises(ValueError) as refused:
            rule(TODAY, "hourly")
        assert str(refused.value) == (
            "Frequency must be one of daily, weekly, monthly, not 'hourly'."
        )


def test_months_follow_each_other() -> None:
    starts = [date(2026, m, 1) for m in range(1, 13)]
    assert [next_start(s, "monthly") for s in starts] == [*starts[1:], date(2027, 1, 1)]
    assert next_start(date(2028, 2, 1), "monthly") == date(2028, 3, 1)


def test_a_reading_dated_after_today_is_not_counted_yet() -> None:
    monday = TODAY
    wednesday = TODAY + timedelta(days=2)
    found = periods(
        [Reading("a", monday, 10.0), Reading("b", wednesday, 30.0, 1)],
        frequency="weekly",
        threshold=20.0,
        direction="higher",
        today=monday,
    )
    assert [(p.value, p.state) for p in found] == [(10.0, "under")]


def test_a_reading_taken_today_makes_a_period() -> None:
    found = periods(
        [Reading("a", TODAY, 25.0)],
        frequency="daily",
        threshold=20.0,
        direction="higher",
        today=TODAY,
    )
    assert [(p.start, p.value, p.state) for p in found] == [(TODAY, 25.0, "ok")]


def test_a_kpi_with_no_readings_yet_is_missing_since_it_started() -> None:
    since = TODAY - timedelta(days=14)  # two Mondays back
    result = _assess([], "weekly", "higher", since=since)
    assert [p.state for p in result.periods] == ["missing", "missing", "open"]
    assert result.missing_since == TODAY


def test_a_daily_kpi_is_missing_yesterday_not_today() -> None:
    result = _assess([Reading("a", TODAY - timedelta(days=2), 25.0)], "daily", "higher")
    assert [p.state for p in result.periods] == ["ok", "missing", "open"]
    assert result.missing_since == TODAY


def test_a_kpi_exactly_at_its_target_is_on_track() -> None:
    """Bug found by mutation testing: 0.3 → 0.9 computed in binary floats expected
    0.9000000000000001 on day 90, so a reading of exactly 0.9 was "behind"."""
    for target_day in (30, 90):
        for day in (target_day, target_day + 10):
            assert (
                target_status(
                    0.9,
                    baseline=0.3,
                    target=0.9,
                    target_day=target_day,
                    direction="higher",
                    day=day,
                )
                == "on track"
            )
    # Half way along 0.1 → 0.4 the line is at 0.25, as typed.
    kw = {"baseline": 0.1, "target": 0.4, "target_day": 30, "day": 15}
    assert target_status(0.25, direction="higher", **kw) == "on track"
    assert target_status(0.25, direction="lower", **kw) == "on track"


def test_the_expected_line_on_day_1_and_at_the_targets() -> None:
    assert expected(0.0, 30.0, 90.0, 1) == 1.0
    assert expected(0.3, 0.9, 0.1, 30) == 0.9
    assert expected(0.1, 0.3, 0.9, 90) == 0.9
    assert expected(0.1, 0.3, 0.9, 91) == 0.9
    assert expected(5.0, 0.3, 0.9, -1) == 5.0


def test_toward_starts_at_the_baseline_and_holds_the_target() -> None:
    assert toward(10.0, 40.0, 30, 0) == 10.0
    assert toward(10.0, 40.0, 30, -3) == 10.0
    assert toward(10.0, 40.0, 30, 15) == 25.0
    assert toward(10.0, 40.0, 30, 45) == 40.0


def test_status_exactly_on_the_line_is_on_track() -> None:
    for direction in ("higher", "lower"):
        kw = {"baseline": 10.0, "target": 40.0, "target_day": 30, "direction": direction}
        assert target_status(25.0, day=15, **kw) == "on track"
    kw = {"baseline": 10.0, "target_day": 30, "direction": "higher", "day": 15}
    assert target_status(math.nan, target=40.0, **kw) == "no data"
    assert target_status(25.0, target=None, **kw) == "no data"


GOOD = {
    "name": "Support resolution hours",
    "direction": "lower",
    "frequency": "weekly",
    "baseline": 26.0,
    "target_30": 20.0,
    "target_90": 16.0,
}


def test_a_good_kpi_has_no_problems() -> None:
    assert kpi_problems(GOOD) == {}
    assert kpi_problems({**GOOD, "threshold": 30}) == {}
    assert kpi_problems({**GOOD, "threshold": None}) == {}
    rising = {**GOOD, "direction": "higher", "target_30": 30.0, "target_90": 40.0}
    assert kpi_problems(rising) == {}
    # Holding the baseline is allowed either way.
    assert kpi_problems({**GOOD, "target_90": 26.0}) == {}
    assert kpi_problems({**rising, "target_90": 26.0}) == {}


def test_each_kpi_field_refused_with_its_sentence() -> None:
    assert kpi_problems({**GOOD, "direction": "sideways", "frequency": None}) == {
        "direction": "Pick whether higher or lower is better.",
        "frequency": "Pick how often it is measured: daily, weekly or monthly.",
    }
    assert kpi_problems({**GOOD, "baseline": math.inf, "target_30": True}) == {
        "baseline": "The baseline must be a finite number.",
        "target_30": "The 30-day target is needed: a number such as 26.",
    }
    for bad in ("12", math.nan, math.inf):
        assert kpi_problems({**GOOD, "threshold": bad}) == {
            "threshold": "The alert threshold must be a number (or empty: the baseline)."
        }
    assert kpi_problems({**GOOD, "target_90": 30.0}) == {
        "target_90": "With lower is better, the 90-day target must be below the baseline or "
        "equal to it."
    }
    assert kpi_problems({**GOOD, "direction": "higher", "target_90": 20.0}) == {
        "target_90": "With higher is better, the 90-day target must be above the baseline or "
        "equal to it."
    }


def test_the_sparkline_leaves_missing_periods_out() -> None:
    result = _assess(
        [Reading("a", date(2026, 11, 2), 24.0), Reading("b", date(2026, 11, 16), 28.0, 1)],
        "weekly",
        "lower",
    )
    assert sparkline_values(result.periods) == [24.0, 28.0]
    assert sparkline_values([]) == []


def test_an_impossible_baseline_in_the_file_gives_no_line_and_no_crash() -> None:
    """A baseline or target that isn't finite (a bad value synced in) draws no line: the status
    is "no data" rather than a verdict against nonsense, and nothing raises, on any day."""
    for bad in (math.inf, -math.inf, math.nan):
        assert math.isnan(expected(bad, 20.0, 16.0, 15))
        for day in (0, 15, 45):
            assert math.isnan(toward(bad, 20.0, 30, day))
            assert math.isnan(toward(26.0, bad, 30, day))
            kw = {"target_day": 30, "direction": "lower", "day": day}
            assert target_status(22.0, baseline=bad, target=20.0, **kw) == "no data"
            assert target_status(22.0, baseline=26.0, target=bad, **kw) == "no data"
