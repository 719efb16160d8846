"""The monthly review's verdicts and the retro's votes, data list and next window, as a team
would meet them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.okr_review import confidence_trend, value_at, verdict_plan
from kickoff_tui.rules.retro import (
    KrMove,
    action_outcome,
    days_late,
    from_the_data,
    next_window,
    ranked,
    risk_happened,
    vote_counts,
)

KR = {
    "row_kind": "key_result",
    "row_id": "k1",
    "ref": "KR3",
    "title": "Paying teams",
    "objective_id": "o1",
}


def test_keep_changes_nothing() -> None:
    assert verdict_plan("keep", **KR, note="fine") == []


def test_adjusting_a_target_edits_the_kr_then_logs_a_decision_linked_to_it() -> None:
    steps = verdict_plan("adjust", **KR, old_target=120, new_target=90, note="too ambitious")
    assert [s.kind for s in steps] == ["update_kr", "decision"]
    assert steps[0].row_id == "k1" and steps[0].values == {"target": 90.0}
    decision = steps[1].values
    assert decision["title"] == "KR3 target 120 → 90: Paying teams"
    assert decision["key_result_id"] == "k1" and decision["status"] == "accepted"
    assert "too ambitious" in decision["context"]


def test_adjusting_needs_a_new_and_different_target() -> None:
    with pytest.raises(ValueError, match="needs the new target"):
        verdict_plan("adjust", **KR, old_target=120)
    with pytest.raises(ValueError, match="already 120"):
        verdict_plan("adjust", **KR, old_target=120, new_target=120)


def test_an_objective_has_no_target_to_adjust_but_can_be_dropped() -> None:
    obj = {**KR, "row_kind": "objective", "row_id": "o1", "ref": "O1"}
    with pytest.raises(ValueError, match="keep, drop, add"):
        verdict_plan("adjust", **obj, new_target=3)
    assert [s.kind for s in verdict_plan("drop", **obj)] == ["delete_objective", "decision"]


def test_adding_a_kr_goes_under_the_objective_and_needs_a_title() -> None:
    steps = verdict_plan("add", **KR, new_title="  NPS above 40 ", new_target=40)
    assert steps[0].kind == "add_kr" and steps[0].row_id == "o1"
    assert steps[0].values == {"objective_id": "o1", "title": "NPS above 40", "target": 40.0}
    with pytest.raises(ValueError, match="needs its title"):
        verdict_plan("add", **KR, new_title=" ")


def test_value_at_the_last_review_is_the_last_check_in_before_it() -> None:
    times = ["2026-10-24T10:00:00Z", "2026-10-31T10:00:00Z", "2026-11-07T10:00:00Z"]
    assert value_at([1, 2, 3], times, "2026-11-01T00:00:00Z") == 2
    assert value_at([1, 2, 3], times, "2026-10-01T00:00:00Z") is None


def test_confidence_trend_says_first_last_and_which_way() -> None:
    assert confidence_trend([6, 7, 8]) == "6 → 8/10 ↑"
    assert confidence_trend([7, 4]) == "7 → 4/10 ↓"
    assert confidence_trend([5]) == "5/10"
    assert confidence_trend([]) == "–"


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"))))
def test_one_vote_per_person_per_item_however_often_recorded(pairs) -> None:
    counts = vote_counts(pairs + pairs)
    for item in "abc":
        assert counts.get(item, 0) == len({p for i, p in pairs if i == item})


def test_most_voted_first_ties_keep_their_order() -> None:
    assert ranked(["a", "b", "c"], {"c": 2, "b": 2}) == ["b", "c", "a"]


def test_the_data_brings_movers_late_cards_and_risks_that_happened() -> None:
    moves = [
        KrMove("KR1", "Sign-ups", 0.1, 0.6),
        KrMove("KR2", "Activation", 0.2, 0.25),
        KrMove("KR3", "Paying", 0.3, 0.3),
        KrMove("KR4", "Uptime", 0.5, 0.9),
    ]
    items = from_the_data(moves, [("#4", "Pricing page", 3), ("#9", "SSO", 12)], [("R2", "API")])
    texts = [(i.kind, i.text) for i in items]
    assert texts[:2] == [
        ("well", "KR1 moved most: Sign-ups (+50 pts)"),
        ("well", "KR4 moved most: Uptime (+40 pts)"),
    ]
    assert ("not_well", "KR3 moved least: Paying (+0 pts)") in texts
    assert ("not_well", "KR2 moved least: Activation (+5 pts)") in texts
    late = [t for k, t in texts if "late" in t]
    assert late == ["#9 late by 12 days: SSO", "#4 late by 3 days: Pricing page"]
    assert texts[-1] == ("not_well", "R2 happened: API")


def test_a_kr_that_did_not_move_is_never_called_the_one_that_moved_most() -> None:
    items = from_the_data([KrMove("KR1", "A", 0.4, 0.4)], [], [])
    assert [i.text for i in items] == ["KR1 moved least: A (+0 pts)"]


def test_long_lists_end_with_a_count() -> None:
    cards = [(f"#{n}", "x", n) for n in range(1, 6)]
    assert from_the_data([], cards, [])[-1].text == "… and 2 more cards late"


def test_risks_happen_at_almost_certain_unless_closed() -> None:
    assert risk_happened(5, "open") and not risk_happened(5, "closed")
    assert not risk_happened(4, "open")


def test_days_late() -> None:
    today = date(2026, 11, 23)
    assert days_late(date(2026, 11, 20), "doing", today) == 3
    assert days_late(date(2026, 11, 20), "done", today) == 0
    assert days_late(None, "todo", today) == 0


@pytest.mark.parametrize(
    ("day", "window"), [(0, "60"), (30, "60"), (31, "90"), (60, "90"), (61, "later"), (85, "later")]
)
def test_an_action_lands_in_the_next_window(day: int, window: str) -> None:
    assert next_window(day) == window


def test_what_became_of_an_action() -> None:
    assert action_outcome("card", "done", True) == "done"
    assert action_outcome("card", "doing", True) == "not done (doing)"
    assert action_outcome("card", "done", False) == "deleted"
    assert action_outcome("decision", None, True) == "recorded"
    assert action_outcome(None, None, False) == ""
