"""The monthly OKR review: the exact edits and decision each verdict makes, its sentences, and
how a key result moved since the last review."""

from __future__ import annotations

from typing import Any

import pytest

from kickoff_tui.rules.okr_review import Step, confidence_trend, value_at, verdict_plan

KR: dict[str, Any] = {
    "row_kind": "key_result",
    "row_id": "k1",
    "ref": "KR3",
    "title": "Paying teams",
    "objective_id": "o1",
    "owner_id": "p1",
}
OBJ: dict[str, Any] = {**KR, "row_kind": "objective", "row_id": "o1", "ref": "O1", "title": "Grow"}


def decision(title: str, context: str = "Monthly OKR review.", **links: str) -> Step:
    values = {"title": title, "context": context, "status": "accepted", "owner_id": "p1"}
    return Step("decision", None, {**values, **links})


def test_dropping_a_key_result_deletes_it_and_records_why() -> None:
    assert verdict_plan("drop", **KR, note="  no longer a goal ") == [
        Step("delete_kr", "k1"),
        decision("Dropped KR3: Paying teams", "Monthly OKR review: no longer a goal"),
    ]


def test_dropping_an_objective_deletes_it_and_records_it() -> None:
    assert verdict_plan("drop", **OBJ) == [
        Step("delete_objective", "o1"),
        decision("Dropped the objective O1: Grow"),
    ]


def test_adjusting_records_the_old_and_new_target_linked_to_the_key_result() -> None:
    assert verdict_plan("adjust", **KR, old_target=1200.5, new_target=900, note="") == [
        Step("update_kr", "k1", {"target": 900.0}),
        decision("KR3 target 1200.5 → 900: Paying teams", key_result_id="k1"),
    ]


def test_adjusting_a_target_that_had_none_shows_a_dash() -> None:
    steps = verdict_plan("adjust", **KR, new_target=5)
    assert steps[1].values["title"] == "KR3 target – → 5: Paying teams"


def test_adding_a_key_result_without_a_target() -> None:
    assert verdict_plan("add", **OBJ, new_title=" NPS above 40 ", note="new focus") == [
        Step("add_kr", "o1", {"objective_id": "o1", "title": "NPS above 40"}),
        decision("Added a key result: NPS above 40", "Monthly OKR review: new focus"),
    ]


def test_a_long_title_is_cut_for_the_decision() -> None:
    steps = verdict_plan("drop", **{**KR, "title": "x" * 300})
    assert steps[1].values["title"] == ("Dropped KR3: " + "x" * 300)[:200]


def test_a_decision_without_an_owner() -> None:
    steps = verdict_plan("drop", **{**KR, "owner_id": None})
    assert steps[1].values["owner_id"] is None


@pytest.mark.parametrize(
    ("row", "verdict", "sentence"),
    [
        (OBJ, "adjust", "A verdict on an objective is one of keep, drop, add (got 'adjust')."),
        (KR, "kill", "A verdict on a key result is one of keep, adjust, drop, add (got 'kill')."),
    ],
)
def test_a_verdict_that_cannot_apply_gets_one_sentence(
    row: dict[str, Any], verdict: str, sentence: str
) -> None:
    with pytest.raises(ValueError) as err:
        verdict_plan(verdict, **row, new_target=3)
    assert str(err.value) == sentence


def test_an_unknown_kind_of_row_takes_no_verdict_and_the_sentence_names_the_kinds() -> None:
    with pytest.raises(ValueError) as err:
        verdict_plan("keep", **{**KR, "row_kind": "kpi"})
    assert str(err.value) == "A verdict is given to an objective or a key result (got 'kpi')."


@pytest.mark.parametrize(
    ("verdict", "extra", "sentence"),
    [
        ("adjust", {"old_target": 120}, "Adjusting needs the new target."),
        ("adjust", {"old_target": 120, "new_target": 120.0}, "KR3's target is already 120."),
        ("add", {}, "Adding a key result needs its title."),
        ("add", {"new_title": "  "}, "Adding a key result needs its title."),
    ],
)
def test_a_verdict_missing_what_it_needs_gets_one_sentence(
    verdict: str, extra: dict[str, Any], sentence: str
) -> None:
    with pytest.raises(ValueError) as err:
        verdict_plan(verdict, **KR, **extra)
    assert str(err.value) == sentence


def test_value_at_counts_only_check_ins_strictly_before_the_instant() -> None:
    times = ["2026-10-24T10:00:00Z", "2026-10-31T10:00:00Z"]
    assert value_at([1.0, 2.0], times, "2026-10-31T10:00:00Z") == 1.0
    assert value_at([1.0, 2.0], times, "2026-10-31T10:00:01Z") == 2.0


def test_confidence_trend_arrows() -> None:
    assert confidence_trend([7, 3, 7]) == "7 → 7/10 →"
    assert confidence_trend([4, 9, 5]) == "4 → 5/10 ↑"
    assert confidence_trend([6, 2, 5]) == "6 → 5/10 ↓"
    assert confidence_trend([None, 6, None]) == "6/10"  # type: ignore[list-item]
    assert confidence_trend([None]) == "–"  # type: ignore[list-item]
