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
