"""OKR scoring as a user sees it: progress bars, grades, pace and form validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kickoff_tui.rules.okr import (
    KIND_LABELS,
    KR_KINDS,
    expected_progress,
    grade,
    kr_problems,
    kr_progress,
    objective_progress,
    pace,
)

finite = st.floats(allow_nan=False, allow_infinity=False)
anything = st.one_of(st.none(), st.floats(), st.integers(-(10**6), 10**6), st.booleans())


def test_every_kind_has_a_label():
    assert set(KIND_LABELS) == set(KR_KINDS)
    assert KIND_LABELS["increase_to"] == "increase to"
    assert KIND_LABELS["stay_below"] == "stay below"


@pytest.mark.parametrize(
    ("kind", "baseline", "target", "current", "expected"),
    [
        ("increase_to", 10, 20, 15, 0.5),
        ("increase_to", 10, 20, 10, 0.0),
        ("increase_to", 10, 20, 20, 1.0),
        ("increase_to", 10, 20, 25, 1.0),  # overshooting caps at 100%
        ("increase_to", 10, 20, 5, 0.0),  # wrong direction is 0, never negative
        ("increase_to", None, 10, 5, 0.5),  # no baseline means 0
        ("decrease_to", 100, 50, 75, 0.5),
        ("decrease_to", 100, 50, 120, 0.0),
        ("decrease_to", 100, 50, 40, 1.0),
        ("increase_to", 10, 10, 10, 1.0),  # baseline == target: reached
        ("increase_to", 10, 10, 9, 0.0),
        ("decrease_to", 10, 10, 10, 1.0),
        ("decrease_to", 10, 10, 11, 0.0),
        ("stay_above", None, 99.9, 99.9, 1.0),
        ("stay_above", None, 99.9, 99.8, 0.0),
        ("stay_below", None, 200, 200, 1.0),
        ("stay_below", None, 200, 201, 0.0),
        ("milestone", None, 4, 3, 0.75),
        ("milestone", None, 4, 5, 1.0),
        ("milestone", None, 0, 3, 0.0),  # no milestones defined
        ("milestone", None, 4, -1, 0.0),
        ("binary", None, None, 0, 0.0),
        ("binary", None, None, 1, 1.0),
        ("binary", None, 1, True, 1.0),
        ("binary", None, None, 0.5, 0.0),
    ],
)
def test_kr_progress_examples(kind, baseline, target, current, expected):
    assert kr_progress(kind, baseline, target, current) == expected


@pytest.mark.parametrize("kind", KR_KINDS)
def test_no_check_in_yet_is_zero_for_every_kind(kind):
    assert kr_progress(kind, 0, 10, None) == 0.0


def test_decimal_values_score_as_typed():
    # 0.1 -> 1.1 with 0.8 reached is exactly 70%: it must show green, not 69.99...% yellow.
    p = kr_progress("increase_to", 0.1, 1.1, 0.8)
    assert p == 0.7
    assert grade(p) == "green"
    assert kr_progress("decrease_to", 0.3, 0.1, 0.2) == 0.5


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("kind", KR_KINDS)
def test_non_finite_numbers_never_give_nan(kind, bad):
    if kind in ("increase_to", "decrease_to"):
        assert kr_progress(kind, bad, 10, 5) == 0.0
    if kind != "binary":
        assert kr_progress(kind, 0, bad, 5) == 0.0
    assert kr_progress(kind, 0, 10, bad) == 0.0


def test_unknown_kind_is_refused():
    with pytest.raises(
        ValueError, match=r"^Kind must be one of increase to, .* or binary \(got 'grow'\)\.$"
    ):
        kr_progress("grow", 0, 1, 1)


@settings(max_examples=300)
@given(st.sampled_from(KR_KINDS), anything, anything, anything)
def test_progress_is_always_between_0_and_1(kind, baseline, target, current):
    p = kr_progress(kind, baseline, target, current)
    assert isinstance(p, float)
    assert 0.0 <= p <= 1.0


@settings(max_examples=300)
@given(st.sampled_from(["increase_to", "decrease_to"]), finite, finite, finite, finite)
def test_moving_toward_the_target_never_lowers_progress(kind, baseline, target, current, closer):
    if not min(current, target) <= closer <= max(current, target):
        current, closer = closer, current
    assume(min(current, target) <= closer <= max(current, target))
    assert kr_progress(kind, baseline, target, closer) >= kr_progress(
        kind, baseline, target, current
    )


@settings(max_examples=200)
@given(st.sampled_from(["increase_to", "decrease_to"]), finite, finite)
def test_a_valid_kr_starts_at_0_and_ends_at_1(kind, baseline, target):
    if kr_problems(kind, baseline, target, 1, None):
        return
    assert kr_progress(kind, baseline, target, baseline) == 0.0
    assert kr_progress(kind, baseline, target, target) == 1.0


def test_objective_is_the_weighted_mean():
    assert objective_progress([(1.0, 3), (0.0, 1)]) == 0.75
    assert objective_progress([(0.5, 1), (0.5, 1)]) == 0.5


def test_objective_ignores_zero_and_negative_weights():
    assert objective_progress([(1.0, 0), (0.2, 1), (0.9, -2)]) == 0.2
    assert objective_progress([(1.0, 0)]) == 0.0
    assert objective_progress([]) == 0.0


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(min_value=1e-300, max_value=1e300)),
        min_size=1,
        max_size=20,
    )
)
def test_objective_lies_within_its_key_results(items):
    p = objective_progress(items)
    assert min(q for q, _ in items) <= p <= max(q for q, _ in items)


@pytest.mark.parametrize(
    ("progress", "colour"),
    [
        (1.0, "green"),
        (0.7, "green"),
        (0.6999, "yellow"),
        (0.4, "yellow"),
        (0.3999, "red"),
        (0.0, "red"),
    ],
)
def test_grade_boundaries(progress, colour):
    assert grade(progress) == colour


@given(st.floats(0, 1), st.floats(0, 1))
def test_more_progress_never_gives_a_worse_grade(p, q):
    order = {"red": 0, "yellow": 1, "green": 2}
    lo, hi = sorted((p, q))
    assert order[grade(lo)] <= order[grade(hi)]


@pytest.mark.parametrize(
    ("day", "expected"), [(-5, 0.0), (0, 0.0), (45, 0.5), (90, 1.0), (120, 1.0)]
)
def test_expected_progress(day, expected):
    assert expected_progress(day) == expected


def test_expected_progress_with_other_durations():
    assert expected_progress(15, duration=30) == 0.5
    with pytest.raises(ValueError, match="at least 1 day"):
        expected_progress(3, duration=0)


@pytest.mark.parametrize(
    ("progress", "day", "verdict"),
    [
        (0.475, 45, "on track"),  # exactly 0.95 x 0.5
        (0.4749, 45, "behind"),
        (0.375, 45, "behind"),  # exactly 0.75 x 0.5 is not yet at risk
        (0.3749, 45, "at risk"),
        (0.0, 0, "on track"),  # nothing expected on kickoff day
        (0.0, -3, "on track"),
        (0.95, 120, "on track"),  # after day 90, 100% is expected
        (0.9, 120, "behind"),
        (0.7, 90, "at risk"),
    ],
)
def test_pace_boundaries(progress, day, verdict):
    assert pace(progress, day) == verdict


def test_nothing_measured_is_no_data_yet_not_at_risk():
    assert pace(0.0, 45, has_data=False) == "no data yet"
    assert pace(0.0, 45) == "at risk"


def test_problem_sentences_for_direction_mistakes():
    assert kr_problems("increase_to", 10, 10, 1, 5) == [
        "Baseline and target are both 10; an 'increase to' key result needs a target different "
        "from its baseline."
    ]
    assert kr_problems("decrease_to", 2.5, 2.5, 1, None) == [
        "Baseline and target are both 2.5; a 'decrease to' key result needs a target different "
        "from its baseline."
    ]
    assert kr_problems("increase_to", 10, 5, 1, None) == [
        "Target 5 is below the baseline 10; an 'increase to' key result needs a target above its "
        "baseline (choose 'decrease to' to go down)."
    ]
    assert kr_problems("decrease_to", 10, 15, 1, None) == [
        "Target 15 is above the baseline 10; a 'decrease to' key result needs a target below its "
        "baseline (choose 'increase to' to go up)."
    ]


def test_valid_key_results_have_no_problems():
    assert kr_problems("increase_to", 10, 20, 1, 7) == []
    assert kr_problems("decrease_to", None, -5, 0.5, None) == []
    assert kr_problems("stay_above", None, 99.9, 2, 0) == []
    assert kr_problems("milestone", None, 4, 1, 10) == []
    assert kr_problems("binary", None, None, 1, 7.0) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("grow", 0, 1, 1, None),
            "Kind must be one of increase to, decrease to, stay above, stay below, "
            "milestone or binary (got 'grow').",
        ),
        (("increase_to", 0, 10, 0, None), "Weight must be a number greater than 0 (got 0)."),
        (("increase_to", 0, 10, -1.5, None), "Weight must be a number greater than 0 (got -1.5)."),
        (
            ("increase_to", 0, 10, None, None),
            "Weight must be a number greater than 0 (got nothing).",
        ),
        (("increase_to", 0, 10, 1, 11), "Confidence must be a whole number from 0 to 10 (got 11)."),
        (
            ("increase_to", 0, 10, 1, 7.5),
            "Confidence must be a whole number from 0 to 10 (got 7.5).",
        ),
        (("increase_to", 0, 10, 1, -1), "Confidence must be a whole number from 0 to 10 (got -1)."),
        (
            ("milestone", None, 2.5, 1, None),
            "A milestone key result needs a whole number of milestones "
            "(1 or more) as its target (got 2.5).",
        ),
        (
            ("milestone", None, 0, 1, None),
            "A milestone key result needs a whole number of milestones "
            "(1 or more) as its target (got 0).",
        ),
        (("stay_above", None, None, 1, None), "Enter a target for this key result."),
        (("stay_below", None, math.inf, 1, None), "Target must be a finite number."),
    ],
)
def test_problem_sentences(args, message):
    assert kr_problems(*args) == [message]


def test_all_problems_are_reported_at_once():
    problems = kr_problems("increase_to", 10, 10, 0, 12)
    assert len(problems) == 3
    assert all(p.endswith(".") and p[0].isupper() for p in problems)


# ---------------------------------------------------------------- found by mutation testing
# Each test below pins something mutmut showed no test looked at (tests/MUTANTS.md).

from kickoff_tui.rules.okr import (
    checkin_problem,
    direction,
    kr_field_problems,
    kr_value_text,
    measured,
    trend,
    weight_problems,
)


def test_an_unreadable_progress_grades_red_and_paces_at_risk():
    assert grade(math.nan) == "red"
    assert grade(math.inf) == "red"
    assert pace(math.nan, 45) == "at risk"


def test_pace_on_day_1_and_on_kickoff_day():
    """Day 1 already expects something: 0 % is at risk. Kickoff day expects nothing."""
    assert pace(0.0, 1) == "at risk"
    assert pace(-0.2, 0) == "on track"


def test_a_one_day_plan_is_a_plan():
    assert expected_progress(1, duration=1) == 1.0
    assert expected_progress(0, duration=1) == 0.0
    assert pace(1.0, 1, duration=1) == "on track"
    assert pace(0.5, 1, duration=1) == "at risk"
    for duration in (0, -1):
        with pytest.raises(ValueError) as refused:
            pace(0.5, 10, duration=duration)
        assert str(refused.value) == f"The plan must last at least 1 day (got {duration})."


def test_each_field_gets_its_own_sentence():
    """The form shows each sentence under its own field."""
    assert kr_field_problems("increase_to", math.nan, 10, 1, None) == {
        "baseline": "Baseline must be a finite number."
    }
    assert kr_field_problems("stay_above", None, None, 1, None) == {
        "target": "Enter a target for this key result."
    }
    assert kr_field_problems("stay_below", 3, math.inf, 1, None) == {
        "target": "Target must be a finite number."
    }
    assert kr_field_problems("increase_to", 10, 5, 1, None) == {
        "target": "Target 5 is below the baseline 10; an 'increase to' key result needs a target "
        "above its baseline (choose 'decrease to' to go down)."
    }
    assert kr_field_problems("decrease_to", 10, 15, 1, None) == {
        "target": "Target 15 is above the baseline 10; a 'decrease to' key result needs a target "
        "below its baseline (choose 'increase to' to go up)."
    }
    assert kr_field_problems("milestone", None, 0, 1, None) == {
        "target": "A milestone key result needs a whole number of milestones (1 or more) as its "
        "target (got 0)."
    }
    # Only the first problem of a field is shown.
    assert kr_field_problems("increase_to", 0, 10, -1, 12) == {
        "weight": "Weight must be a number greater than 0 (got -1).",
        "confidence": "Confidence must be a whole number from 0 to 10 (got 12).",
    }


def test_no_baseline_means_starting_from_zero():
    assert kr_problems("increase_to", None, 0.5, 1, None) == []
    assert kr_problems("increase_to", None, -5, 1, None) == [
        "Target -5 is below the baseline 0; an 'increase to' key result needs a target above its "
        "baseline (choose 'decrease to' to go down)."
    ]
    assert kr_problems("decrease_to", None, 5, 1, None) == [
        "Target 5 is above the baseline 0; a 'decrease to' key result needs a target below its "
        "baseline (choose 'increase to' to go up)."
    ]
    assert kr_problems("increase_to", None, 0, 1, None) == [
        "Baseline and target are both 0; an 'increase to' key result needs a target different "
        "from its baseline."
    ]


def test_one_milestone_is_enough():
    assert kr_problems("milestone", None, 1, 1, None) == []


def test_refused_numbers_are_shown_as_typed():
    """A whole float shows without ".0"; what isn't a number shows as it is."""
    assert kr_problems("increase_to", 0, 10, 1, 12.0) == [
        "Confidence must be a whole number from 0 to 10 (got 12)."
    ]
    assert kr_problems("increase_to", 0, 10, 1, math.inf) == [
        "Confidence must be a whole number from 0 to 10 (got inf)."
    ]
    assert weight_problems(0.0) == "Weight must be a number greater than 0 (got 0)."
    assert weight_problems(-2.0) == "Weight must be a number greater than 0 (got -2)."
    assert weight_problems(math.nan) == "Weight must be a number greater than 0 (got nan)."
    assert weight_problems(0.25) is None


def test_checkin_values_refused_with_their_sentence():
    assert checkin_problem("increase_to", None) == (
        "Enter the value as a number such as 12, 12.5, 12,5 or 45%."
    )
    assert checkin_problem("increase_to", math.nan) == (
        "Enter the value as a number such as 12, 12.5, 12,5 or 45%."
    )
    assert checkin_problem("binary", 2) == (
        "A binary key result is 1 (done) or 0 (not yet) (got 2)."
    )
    assert checkin_problem("milestone", 1.5) == (
        "Count the milestones done as a whole number, 0 or more (got 1.5)."
    )
    assert checkin_problem("milestone", -1) == (
        "Count the milestones done as a whole number, 0 or more (got -1)."
    )
    # Nothing done yet is a fine check-in.
    assert checkin_problem("milestone", 0) is None
    assert checkin_problem("binary", 0) is None
    assert checkin_problem("increase_to", -3.5) is None


def test_direction_of_better():
    assert direction("increase_to", 0, 10) == 1
    assert direction("decrease_to", 10, 0) == -1
    # No baseline: the way from 0 to the target decides, even against the kind.
    assert direction("increase_to", None, 0.5) == 1
    assert direction("decrease_to", None, 5) == 1
    assert direction("increase_to", None, -5) == -1
    # Nothing to read the way from: the kind decides.
    assert direction("increase_to", math.nan, 5) == 1
    assert direction("decrease_to", math.nan, 5) == -1
    assert direction("increase_to", 5, None) == 1
    assert direction("decrease_to", 5, None) == -1
    assert direction("increase_to", 5, 5) == 1
    assert direction("decrease_to", 5, 5) == -1
    assert direction("stay_below", 0, 3) == -1
    assert direction("stay_above", 0, 3) == 1
    assert direction("milestone", 0, 3) == 1


def test_trend_follows_the_last_step():
    assert trend("increase_to", 0, 10, [1, 1.5]) == "up"
    assert trend("increase_to", 0, 10, [1.5, 1]) == "down"
    assert trend("decrease_to", 10, 0, [5, 4.5]) == "up"
    assert trend("stay_below", None, 3, [2, 2.5]) == "down"
    assert trend("increase_to", 0, 10, [1, math.nan, 1]) == "flat"
    assert trend("increase_to", 0, 10, [3]) == "flat"


def test_measured_means_a_finite_value():
    assert measured(0) and measured(0.0) and measured(-2.5)
    assert not measured(None)
    assert not measured(math.nan)
    assert not measured(math.inf)


def test_value_text_as_shown_on_the_okr_screen():
    assert kr_value_text("increase_to", 71, 120, "teams", 0.5) == "71 → 120 teams"
    assert kr_value_text("increase_to", 71, 120, "teams", 0.5, baseline=40) == (
        "40 → 71 → 120 teams"
    )
    assert kr_value_text("decrease_to", 3.5, 2, None, 0.5, baseline=5.0) == "5 → 3.5 → 2"
    assert kr_value_text("increase_to", None, 120, "", 0.0) == "– → 120"
    assert kr_value_text("increase_to", math.nan, math.inf, "x", 0.0) == "– → – x"
    assert kr_value_text("increase_to", 1, 2, None, 0.5, baseline=math.nan) == "1 → 2"
    assert kr_value_text("milestone", 2, 4, "steps", 0.5, baseline=0) == "2 → 4 steps"
    assert kr_value_text("stay_above", 85, 80, "%", 1.0) == "85 % (keep ≥ 80)"
    assert kr_value_text("stay_below", 3, 2, "incidents", 0.0) == "3 incidents (keep ≤ 2)"
    assert kr_value_text("stay_below", None, None, None, 0.0) == "– (keep ≤ –)"
    assert kr_value_text("binary", 1, None, None, 1.0) == "done"
    assert kr_value_text("binary", 0, None, None, 0.99) == "not yet"


def test_milestones_count_done_over_total():
    assert kr_progress("milestone", None, 1, 1) == 1.0
    assert kr_progress("milestone", None, 4, 3) == 0.75
    # A baseline on a milestone key result is not a starting point: 3 of 4 done is 75 %.
    assert kr_progress("milestone", 2, 4, 3) == 0.75
    # No milestones planned: nothing to be done yet counts as no progress.
    assert kr_progress("milestone", None, 0, 0) == 0.0


def test_objective_progress_never_passes_100_percent():
    assert objective_progress([(1.5, 1)]) == 1.0
    assert objective_progress([(1.5, 1), (0.5, 1)]) == 0.75
