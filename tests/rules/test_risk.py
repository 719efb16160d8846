"""Risk matrix: scores, bands, review dates and residual checks as shown on the risk screen."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.risk import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    REVIEW_DAYS,
    STATUSES,
    TREATMENTS,
    band,
    next_review,
    residual_problem,
    residual_score,
    score,
)

level = st.integers(1, 5)
BAND_ORDER = {"low": 0, "medium": 1, "high": 2}


def test_labels_read_from_level_1_to_5():
    assert LIKELIHOOD_LABELS[0] == "Rare" and LIKELIHOOD_LABELS[4] == "Almost certain"
    assert IMPACT_LABELS[0] == "Insignificant" and IMPACT_LABELS[4] == "Severe"
    assert len(LIKELIHOOD_LABELS) == len(IMPACT_LABELS) == 5
    assert TREATMENTS == ("mitigate", "accept", "avoid", "transfer")
    assert STATUSES == ("open", "mitigating", "closed", "accepted")


def test_score_is_likelihood_times_impact():
    assert score(1, 1) == 1
    assert score(3, 4) == 12
    assert score(5, 5) == 25


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, 3.0, "3", None, True])
def test_score_refuses_levels_outside_1_to_5(bad):
    with pytest.raises(
        ValueError,
        match=r"^Likelihood must be a whole number from 1 \(Rare\) to 5 \(Almost certain\)",
    ):
        score(bad, 3)
    with pytest.raises(
        ValueError, match=r"^Impact must be a whole number from 1 \(Insignificant\) to 5 \(Severe\)"
    ):
        score(3, bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (10, "medium"),
        (11, "high"),
        (12, "high"),
        (25, "high"),
    ],
)
def test_band_boundaries(value, expected):
    assert band(value) == expected
    assert band(float(value)) == expected  # a score read back as 12.0 bands the same


@pytest.mark.parametrize("bad", [0, 26, -3, 4.5, None, True])
def test_band_refuses_impossible_scores(bad):
    with pytest.raises(ValueError, match="^A risk score must be a whole number from 1 to 25"):
        band(bad)


def test_review_defaults_by_band():
    assert REVIEW_DAYS == {"high": 14, "medium": 30, "low": 90}
    start = date(2026, 12, 20)
    assert next_review(12, start) == date(2027, 1, 3)  # high: two weeks, across the new year
    assert next_review(25, start) == date(2027, 1, 3)
    assert next_review(10, start) == date(2027, 1, 19)  # medium: 30 days
    assert next_review(5, start) == date(2027, 1, 19)
    assert next_review(4, start) == date(2027, 3, 20)  # low: 90 days
    assert next_review(1, date(2028, 2, 1)) == date(2028, 5, 1)  # leap year counted


@given(level, level, level, level)
def test_higher_levels_never_score_or_band_lower(l1, i1, l2, i2):
    if l1 <= l2 and i1 <= i2:
        assert score(l1, i1) <= score(l2, i2)
        assert BAND_ORDER[band(score(l1, i1))] <= BAND_ORDER[band(score(l2, i2))]


@given(st.integers(1, 25), st.integers(1, 25))
def test_band_and_review_are_monotone_in_score(s1, s2):
    lo, hi = sorted((s1, s2))
    assert BAND_ORDER[band(lo)] <= BAND_ORDER[band(hi)]
    today = date(2026, 11, 23)
    assert next_review(hi, today) <= next_review(lo, today)  # worse risks are reviewed sooner


def test_residual_score():
    assert residual_score(4, 5, None, None) is None
    assert residual_score(4, 5, 2, 3) == 6
    assert residual_score(4, 5, 2, None) == 10  # impact unchanged by mitigation


@pytest.mark.parametrize(("rl", "ri"), [(None, None), (4, 4), (2, None), (None, 1), (1, 1)])
def test_residual_at_or_below_inherent_is_fine(rl, ri):
    assert residual_problem(4, 4, rl, ri) is None


def test_residual_above_inherent_is_explained():
    assert residual_problem(3, 4, 4, None) == (
        "Residual likelihood (Likely) can't be higher than the likelihood before mitigation (Possible)."
    )
    assert residual_problem(3, 2, None, 5) == (
        "Residual impact (Severe) can't be higher than the impact before mitigation (Minor)."
    )
    assert residual_problem(1, 1, 2, 2) == (
        "Residual likelihood and impact (Unlikely, Minor) can't be higher than before mitigation "
        "(Rare, Insignificant)."
    )


def test_residual_out_of_range_is_explained():
    assert residual_problem(3, 3, 6, None) == (
        "Residual likelihood must be a whole number from 1 (Rare) to 5 (Almost certain) (got 6)."
    )
    assert residual_problem(3, 3, None, 0) == (
        "Residual impact must be a whole number from 1 (Insignificant) to 5 (Severe) (got 0)."
    )


@given(level, level, st.one_of(st.none(), level), st.one_of(st.none(), level))
def test_an_accepted_residual_never_scores_above_the_inherent_risk(li, im, rl, ri):
    if residual_problem(li, im, rl, ri) is None and (rl is not None or ri is not None):
        assert residual_score(li, im, rl, ri) <= score(li, im)


# ---------------------------------------------------------------------- the risk screen's rules

from kickoff_tui.rules.risk import IMPACT_SHORT, LIKELIHOOD_SHORT, attention, clamp_level  # noqa: E402

TODAY = date(2026, 11, 23)


def test_short_labels_fit_a_narrow_grid_and_keep_their_order():
    assert all(len(label) <= 6 for label in LIKELIHOOD_SHORT + IMPACT_SHORT)
    for short, full in zip(LIKELIHOOD_SHORT + IMPACT_SHORT, LIKELIHOOD_LABELS + IMPACT_LABELS):
        assert full.lower().startswith(short.rstrip(".").lower())


@pytest.mark.parametrize(("value", "expected"), [(-3, 1), (0, 1), (1, 1), (3, 3), (5, 5), (6, 5)])
def test_a_move_past_the_edge_of_the_grid_stays_on_it(value, expected):
    assert clamp_level(value) == expected


def risk(**values):
    base = {
        "likelihood": 2,
        "impact": 2,
        "owner_id": "p1",
        "mitigation": "plan",
        "treatment": "mitigate",
        "status": "open",
        "due": None,
        "next_review": "2026-12-01",
    }
    base.update(values)
    return base


def test_a_calm_risk_needs_no_attention():
    assert attention(risk(), TODAY) == []
    assert (
        attention(risk(next_review="2026-11-23", due="2026-11-23"), TODAY) == []
    )  # today is not late


def test_late_reviews_and_mitigations_are_flagged():
    assert attention(risk(next_review="2026-11-22"), TODAY) == ["review overdue"]
    assert attention(risk(due="2026-11-01"), TODAY) == ["mitigation overdue"]
    # an accepted risk has no mitigation to be late with, but its review still comes round
    assert attention(
        risk(due="2026-11-01", status="accepted", next_review="2026-11-01"), TODAY
    ) == ["review overdue"]


def test_high_risks_need_an_owner_and_a_mitigation():
    high = risk(likelihood=3, impact=4, owner_id=None, mitigation="  ")
    assert attention(high, TODAY) == ["no owner", "no mitigation"]
    assert attention({**high, "treatment": "accept"}, TODAY) == ["no owner"]
    # the boundary: 10 is medium, so the same gaps are not flagged
    assert attention(risk(likelihood=2, impact=5, owner_id=None, mitigation=None), TODAY) == []


def test_closed_risks_never_need_attention():
    assert (
        attention(
            risk(
                likelihood=5,
                impact=5,
                owner_id=None,
                mitigation=None,
                status="closed",
                next_review="2026-01-01",
                due="2026-01-01",
            ),
            TODAY,
        )
        == []
    )


def test_unreadable_dates_are_not_flags():
    assert attention(risk(next_review="someday", due=""), TODAY) == []


def test_a_bad_level_is_quoted_back_in_the_sentence():
    with pytest.raises(ValueError) as err:
        score(7, 3)
    assert str(err.value) == (
        "Likelihood must be a whole number from 1 (Rare) to 5 (Almost certain) (got 7)."
    )
    with pytest.raises(ValueError) as err:
        score(3, "4")
    assert str(err.value) == (
        "Impact must be a whole number from 1 (Insignificant) to 5 (Severe) (got '4')."
    )


def test_a_high_risk_with_an_owner_and_a_mitigation_is_calm():
    assert attention(risk(likelihood=4, impact=4), TODAY) == []


def test_a_high_risk_without_a_mitigation_is_flagged_unless_accepted():
    high = risk(likelihood=5, impact=3, mitigation=None)
    assert attention(high, TODAY) == ["no mitigation"]
    assert attention({**high, "status": None}, TODAY) == ["no mitigation"]
    assert attention({**high, "status": "accepted"}, TODAY) == []


def test_stored_timestamps_count_by_their_day_and_odd_values_are_not_flags():
    assert attention(risk(next_review="2026-11-22T23:59:00Z"), TODAY) == ["review overdue"]
    assert attention(risk(next_review="2026-11-23T00:00:00Z"), TODAY) == []
    # a number or a date object where a day should be (a hand-edited file)
    assert attention(risk(next_review=20261101, due=1), TODAY) == []
    assert attention(risk(next_review=date(2026, 11, 1)), TODAY) == ["review overdue"]
