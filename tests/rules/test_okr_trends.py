"""OKR rules added for the OKR screen: per-field problems, direction, trend and nudges."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.okr import (
    KR_KINDS,
    direction,
    kr_count_nudge,
    kr_field_problems,
    kr_problems,
    kr_progress,
    objective_count_nudge,
    trend,
    weight_problems,
)

finite = st.floats(-1e6, 1e6, allow_nan=False)


def test_each_problem_lands_on_its_field():
    assert kr_field_problems("increase_to", 5, 5, 0, 11) == {
        "target": "Baseline and target are both 5; an 'increase to' key result needs a target "
        "different from its baseline.",
        "weight": "Weight must be a number greater than 0 (got 0).",
        "confidence": "Confidence must be a whole number from 0 to 10 (got 11).",
    }
    assert kr_field_problems("sideways", 0, 1, 1, None) == {
        "kind": "Kind must be one of increase to, decrease to, stay above, stay below, milestone "
        "or binary (got 'sideways')."
    }
    assert kr_field_problems("binary", None, None, 1, 5) == {}


@given(
    st.sampled_from(KR_KINDS),
    st.one_of(st.none(), finite),
    st.one_of(st.none(), finite),
    st.one_of(st.none(), finite),
    st.one_of(st.none(), st.integers(-5, 15)),
)
def test_field_problems_are_the_same_sentences_as_the_list(kind, baseline, target, weight, conf):
    by_field = kr_field_problems(kind, baseline, target, weight, conf)
    assert set(by_field.values()) <= set(kr_problems(kind, baseline, target, weight, conf))
    assert bool(by_field) == bool(kr_problems(kind, baseline, target, weight, conf))


def test_weight_must_be_greater_than_zero():
    assert weight_problems(0.5) is None
    assert weight_problems(0) == "Weight must be a number greater than 0 (got 0)."
    assert weight_problems(-2) == "Weight must be a number greater than 0 (got -2)."
    assert weight_problems(None) == "Weight must be a number greater than 0 (got nothing)."
    assert weight_problems(float("nan")) == "Weight must be a number greater than 0 (got nan)."


def test_direction_and_trend_follow_what_better_means():
    assert direction("increase_to", 0, 10) == 1
    assert direction("decrease_to", 14, 3) == -1
    assert direction("stay_below", 5, 2) == -1
    assert direction("stay_above", 99, 99.9) == 1
    assert trend("increase_to", 0, 10, [1, 2, 4]) == "up"
    assert trend("increase_to", 0, 10, [4, 2]) == "down"
    assert trend("decrease_to", 14, 3, [13, 12, 10]) == "up"  # going down is progress
    assert trend("stay_below", 5, 2, [3, 4]) == "down"
    assert trend("increase_to", 0, 10, [5, 5]) == "flat"
    assert trend("increase_to", 0, 10, [5]) == "flat"
    assert trend("increase_to", 0, 10, []) == "flat"


@given(st.sampled_from(["increase_to", "decrease_to"]), finite, finite, finite, finite)
def test_an_up_trend_never_lowers_progress(kind, baseline, target, before, after):
    if trend(kind, baseline, target, [before, after]) == "up" and baseline != target:
        assert kr_progress(kind, baseline, target, after) >= kr_progress(
            kind, baseline, target, before
        )


def test_objective_shape_nudges():
    assert kr_count_nudge(0) == "has no key results; aim for 2–4"
    assert kr_count_nudge(1) == "has 1 key result; aim for 2–4"
    assert kr_count_nudge(2) is None
    assert kr_count_nudge(4) is None
    assert kr_count_nudge(5) == "has 5 key results; keep it to 4 or fewer"
    assert objective_count_nudge(5) is None
    assert objective_count_nudge(6) == "6 objectives; the seeds advise at most 5 to stay focused"


def test_a_checked_in_value_must_suit_the_kind():
    from kickoff_tui.rules.okr import checkin_problem

    assert checkin_problem("binary", 1) is None and checkin_problem("binary", 0) is None
    assert checkin_problem("binary", 2) == "A binary key result is 1 (done) or 0 (not yet) (got 2)."
    assert checkin_problem("milestone", 3) is None
    assert checkin_problem("milestone", 2.5) == (
        "Count the milestones done as a whole number, 0 or more (got 2.5)."
    )
    assert checkin_problem("milestone", -1) is not None
    assert checkin_problem("increase_to", -12.5) is None
    assert checkin_problem("increase_to", float("nan")) is not None
