"""KPIs: periods, under-threshold runs, missing readings and status against the 30/90-day targets.

A KPI is measured at a frequency (daily, weekly from Monday, monthly). Its readings are bucketed
into those periods on the workspace's calendar (a reading's `at` is already a local day); a
period's value is its last reading. A period is *under* when its value is on the wrong side of the
alert threshold; two under periods running raise a nudge. A closed period without a reading is
*missing*: it raises its own nudge and neither resets nor extends an under run. Pure: no I/O, no
clock (the caller passes `today`, in the workspace time zone).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

DIRECTIONS = ("higher", "lower")
DIRECTION_LABELS = {"higher": "higher is better", "lower": "lower is better"}
FREQUENCIES = ("daily", "weekly", "monthly")
#: Under periods in a row that raise a nudge.
UNDER_RUN = 2
#: The plan's target days.
DAY_30, DAY_90 = 30, 90


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading as the rule sees it: its local day, value and order of recording.

    `seq` orders readings of the same day (the later recorded wins); `corrects` names the
    reading it supersedes, if any.
    """

    id: str
    at: date
    value: float
    seq: int = 0
    corrects: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a KPI's frequency: its first and last day, its value, and its state.

    `state` is "under", "ok", "missing" (closed without a reading) or "open" (the current
    period, no reading yet).
    """

    start: date
    end: date
    value: float | None
    state: str
    reading_day: date | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the rule says about a KPI today."""

    periods: tuple[Period, ...]
    under_run: int  # under periods in the current run (missing periods skipped)
    nudged_since: date | None  # the day the run reached UNDER_RUN, when it has
    missing_since: date | None  # the day after the latest closed period, when it is missing

    @property
    def nudged(self) -> bool:
        return self.nudged_since is not None

    @property
    def missing(self) -> bool:
        return self.missing_since is not None


# ---------------------------------------------------------------------- periods


def period_start(day: date, frequency: str) -> date:
    """The first day of the period holding `day` (weeks start on Monday)."""
    if frequency == "daily":
        return day
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    raise ValueError(f"Frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}.")


def next_start(start: date, frequency: str) -> date:
    """The first day of the period after the one starting on `start`."""
    if frequency == "daily":
        return start + timedelta(days=1)
    if frequency == "weekly":
        return start + timedelta(days=7)
    if frequency == "monthly":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    raise ValueError(f"Frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}.")


def counting(readings: Iterable[Reading]) -> list[Reading]:
    """The readings that count (none superseded by a correction), by day then recording order."""
    items = list(readings)
    superseded = {r.corrects for r in items if r.corrects}
    return sorted((r for r in items if r.id not in superseded), key=lambda r: (r.at, r.seq, r.id))


def is_under(value: float, threshold: float, direction: str) -> bool:
    """Whether `value` is on the wrong side of `threshold` (equal is not under)."""
    return value < threshold if direction == "higher" else value > threshold


def periods(
    readings: Iterable[Reading],
    *,
    frequency: str,
    threshold: float,
    direction: str,
    today: date,
    since: date | None = None,
) -> list[Period]:
    """Every period from the first (the one holding `since` or the first reading, whichever is
    earlier) to the one holding `today`, each with its last reading's value and its state.
    Readings after `today` are left out."""
    counted = [r for r in counting(readings) if r.at <= today and math.isfinite(r.value)]
    starts = [d for d in [since, *(r.at for r in counted[:1])] if d is not None and d <= today]
    if not starts:
        return []
    last: dict[date, Reading] = {}
    for r in counted:
        last[period_start(r.at, frequency)] = r  # later readings overwrite earlier ones
    out: list[Period] = []
    start = period_start(min(starts), frequency)
    current = period_start(today, frequency)
    while start <= current:
        after = next_start(start, frequency)
        end = after - timedelta(days=1)
        reading = last.get(start)
        if reading is not None:
            state = "under" if is_under(reading.value, threshold, direction) else "ok"
            out.append(Period(start, end, reading.value, state, reading.at))
        else:
            out.append(Period(start, end, None, "missing" if end < today else "open"))
        start = after
    return out


def assess(
    readings: Iterable[Reading],
    *,
    frequency: str,
    threshold: float,
    direction: str,
    today: date,
    since: date | None = None,
) -> Assessment:
    """The periods, the current under run and the nudges it raises (see the module doc)."""
    found = periods(
        readings,
        frequency=frequency,
        threshold=threshold,
        direction=direction,
        today=today,
        since=since,
    )
    run = 0
    reached: date | None = None
    for p in found:
        if p.state == "under":
            run += 1
            if run == UNDER_RUN:
                reached = p.reading_day
        elif p.state == "ok":
            run, reached = 0, None
    closed = [p for p in found if p.end < today]
    missing_since = (
        closed[-1].end + timedelta(days=1) if closed and closed[-1].state == "missing" else None
    )
    return Assessment(tuple(found), run, reached if run >= UNDER_RUN else None, missing_since)


# ---------------------------------------------------------------------- targets


def _along(start: float, end: float, share: Fraction) -> float:
    """`start` + (`end` - `start`) × `share`, computed on the decimal values as typed (0.3 is three
    tenths, not its binary neighbour), so the line reaches `end` exactly: a KPI read at exactly
    its target is on track. NaN when an end isn't finite (a bad value from a file): no line."""
    if not (math.isfinite(start) and math.isfinite(end)):
        return math.nan
    a, b = Fraction(repr(float(start))), Fraction(repr(float(end)))
    return float(a + (b - a) * share)


def expected(baseline: float, target_30: float, target_90: float, day: int) -> float:
    """The value expected on plan day `day`: baseline on day 0, straight to the 30-day target on
    day 30, then straight to the 90-day target on day 90, and the 90-day target after."""
    if day <= 0:
        return baseline
    if day <= DAY_30:
        return _along(baseline, target_30, Fraction(day, DAY_30))
    if day <= DAY_90:
        return _along(target_30, target_90, Fraction(day - DAY_30, DAY_90 - DAY_30))
    return target_90


def toward(baseline: float, target: float, target_day: int, day: int) -> float:
    """The value expected on `day` on the straight line from the baseline (day 0) to `target`
    (on `target_day`), holding the target after it."""
    return _along(baseline, target, Fraction(min(max(day, 0), target_day), target_day))


def on_track(value: float, wanted: float, direction: str) -> bool:
    """Whether `value` is at least as good as `wanted` for the KPI's direction."""
    return value >= wanted if direction == "higher" else value <= wanted


def target_status(
    value: float | None,
    *,
    baseline: float,
    target: float | None,
    target_day: int,
    direction: str,
    day: int,
) -> str:
    """ "on track", "behind" or "no data" against one target (30- or 90-day) on plan day `day`:
    the latest value against the value expected that day on the line from the baseline."""
    if value is None or target is None or not math.isfinite(value):
        return "no data"
    wanted = toward(baseline, target, target_day, day)
    if math.isnan(wanted):
        return "no data"
    return "on track" if on_track(value, wanted, direction) else "behind"


# ---------------------------------------------------------------------- checking values


def kpi_problems(values: dict[str, object]) -> dict[str, str]:
    """What a KPI form or import must refuse (field -> one sentence)."""
    problems: dict[str, str] = {}
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        problems["name"] = "The KPI needs a name, e.g. Support resolution hours."
    if values.get("direction") not in DIRECTIONS:
        problems["direction"] = "Pick whether higher or lower is better."
    if values.get("frequency") not in FREQUENCIES:
        problems["frequency"] = "Pick how often it is measured: daily, weekly or monthly."
    for key, label in (
        ("baseline", "The baseline"),
        ("target_30", "The 30-day target"),
        ("target_90", "The 90-day target"),
    ):
        value = values.get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems[key] = f"{label} is needed: a number such as 26."
        elif not math.isfinite(value):
            problems[key] = f"{label} must be a finite number."
    threshold = values.get("threshold")
    if threshold is not None and (
        not isinstance(threshold, (int, float)) or not math.isfinite(threshold)
    ):
        problems["threshold"] = "The alert threshold must be a number (or empty: the baseline)."
    direction = values.get("direction")
    b, t90 = values.get("baseline"), values.get("target_90")
    if not problems and direction in DIRECTIONS:
        assert isinstance(b, (int, float)) and isinstance(t90, (int, float))
        if direction == "higher" and t90 < b or direction == "lower" and t90 > b:
            better = "above" if direction == "higher" else "below"
            problems["target_90"] = (
                f"With {DIRECTION_LABELS[str(direction)]}, the 90-day target must be {better} "
                "the baseline or equal to it."
            )
    return problems


def sparkline_values(found: Sequence[Period]) -> list[float]:
    """The period values to draw as a trend (missing periods left out)."""
    return [p.value for p in found if p.value is not None]
