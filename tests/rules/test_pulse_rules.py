"""Pulse rules: answers, results from three answers, the ⚠ drop, the sparkline, and what sync
accepts for the pulse fields."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules import domains
from kickoff_tui.rules import pulse as pr

Q = ["Energy", "Focus", "Support"]


def test_answers_parse_from_the_shell_with_skips() -> None:
    assert pr.parse_answers("4,3,-", Q) == [4, 3, None]
    assert pr.parse_answers("4 3 5", Q) == [4, 3, 5]
    with pytest.raises(ValueError, match="Give 3 answers"):
        pr.parse_answers("4,3", Q)
    with pytest.raises(ValueError, match=r"Focus: answer 1 to 5 \(got '0'\)"):
        pr.parse_answers("4,0,3", Q)
    with pytest.raises(ValueError, match="at least one"):
        pr.parse_answers("- - -", Q)


def test_questions_are_three_to_five_and_different() -> None:
    assert pr.check_questions(["Energy", " Focus ", "", "Joy"]) == ["Energy", "Focus", "Joy"]
    with pytest.raises(ValueError, match="3 to 5 questions"):
        pr.check_questions(["Energy", "Focus"])
    with pytest.raises(ValueError, match="different"):
        pr.check_questions(["Energy", "energy", "Focus"])


def test_results_are_empty_below_three_answers() -> None:
    two = pr.results(Q, [[5, 5, 5], [1, 1, 1]], ["x"], [])
    assert (two.enough, two.questions, two.texts) == (False, [], [])
    assert pr.averages(Q, [[5, 5, 5], [1, 1, 1]]) == {}


def test_a_drop_of_half_a_point_is_flagged_and_a_smaller_one_is_not() -> None:
    history = [{"Energy": 4.0, "Focus": 4.2, "Support": 3.0}]
    res = pr.results(Q, [[4, 4, 3], [3, 4, 3], [3, 3, 3], [4, 4, 3]], [], history)
    energy, focus, support = res.questions
    assert energy.trend == (4.0, 3.5) and energy.dropped  # exactly 0.5 lower: ⚠
    assert focus.trend == (4.2, 3.75) and not focus.dropped  # 0.45 lower
    assert not support.dropped
    # A pulse that didn't ask the question (or had too few answers) is a gap in the trend.
    gap = pr.results(Q, [[2, 2, 2]] * 3, [], [{"Energy": 4.0}, {}])
    assert gap.questions[0].trend == (4.0, None, 2.0) and gap.questions[0].dropped
    assert gap.questions[1].trend == (None, None, 2.0) and not gap.questions[1].dropped


def test_sparkline_spans_the_scale() -> None:
    assert pr.sparkline([1.0, 3.0, 5.0, None]) == "▁▅█ "


def test_sync_refuses_impossible_pulse_values() -> None:
    assert domains.problem("pulse_answer", "answers", json.dumps([1, 5, None])) is None
    assert domains.problem("pulse_answer", "answers", json.dumps([6])) is not None
    assert domains.problem("pulse_answer", "answers", "not json") is not None
    assert domains.problem("pulse", "questions", json.dumps(["a", "b"])) is not None
    assert domains.problem("pulse", "questions", json.dumps(["a", "b", "c"])) is None
    assert domains.problem("pulse", "opens_on", "soon") is not None
    assert domains.problem("workspace", "okr_review_day", "first-tue") is None
    assert domains.problem("workspace", "okr_review_day", "fifth-tue") is not None
    assert domains.problem("workspace", "review_time", "25:00") is not None
    assert domains.problem("workspace", "pulse_every", "daily") is not None


answer = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3)


@given(st.lists(answer, min_size=0, max_size=12))
def test_results_count_every_answer_once(answers: list[list[int | None]]) -> None:
    res = pr.results(Q, answers, [], [])
    assert res.answered == len(answers)
    assert res.enough == (len(answers) >= pr.MIN_ANSWERS)
    for i, q in enumerate(res.questions):
        given_ = [a[i] for a in answers if a[i] is not None]
        assert sum(q.counts) == q.answered == len(given_)
        if given_:
            assert q.average is not None and 1 <= q.average <= 5
        else:
            assert q.average is None


def test_bars_show_how_many_gave_each_answer() -> None:
    assert pr.bars((0, 1, 12, 3, 0)) == "1:0 2:1 3:12 4:3 5:0"


def _refused(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as err:
        call(*args)
    return str(err.value)


def test_question_sentences() -> None:
    assert pr.check_questions(["Energy", "  ", "Focus", "Joy", "Pace", "Trust"]) == [
        "Energy",
        "Focus",
        "Joy",
        "Pace",
        "Trust",
    ]
    assert _refused(pr.check_questions, ["A", "B", "C", "D", "E", "F"]) == (
        "A pulse asks 3 to 5 questions (got 6)."
    )
    assert _refused(pr.check_questions, ["Energy", "energy", "Focus"]) == (
        "Each question of a pulse must be different."
    )
    assert _refused(pr.check_questions, ["Energy", "Focus", "x" * 61]) == (
        "A question is 61 characters; keep it to at most 60."
    )
    assert pr.check_questions(["Energy", "Focus", "x" * 60])[2] == "x" * 60


def test_stored_questions_are_read_only_when_sound() -> None:
    five = ["a", "b", "c", "d", "x" * 200]
    assert pr.load_questions(json.dumps(five)) == five
    for bad in (
        ["a", "b", "c", "d", "e", "f"],
        ["a", "b", "x" * 201],
        ["a", "b", " "],
        ["a", "b", 3],
        {"a": 1},
    ):
        assert pr.load_questions(json.dumps(bad)) is None
    assert pr.load_questions(["a", "b", "c"]) is None  # not stored text
    assert pr.load_questions("not json") is None


def test_stored_answers_are_read_only_when_sound() -> None:
    assert pr.load_answers("[1, 2, 3, 4, 5]") == [1, 2, 3, 4, 5]
    assert pr.load_answers("[null, 5]") == [None, 5]
    for bad in ("[1, 2, 3, 4, 5, 1]", "7", '"x"', "[0]", "[6]", "[2.0]", "[true]", "nope"):
        assert pr.load_answers(bad) is None
    assert pr.load_answers([1, 2, 3]) is None  # not stored text


def test_an_answer_is_one_to_five() -> None:
    assert [pr.check_answer(v, "Energy") for v in ("1", " 5 ", 3)] == [1, 5, 3]
    assert _refused(pr.check_answer, "6", "Energy") == "Energy: answer 1 to 5 (got '6')."
    assert _refused(pr.check_answer, "x" * 30, "Focus") == (
        f"Focus: answer 1 to 5 (got {'x' * 20!r})."
    )


def test_answer_sentences() -> None:
    assert _refused(pr.parse_answers, "4", Q) == (
        "Give 3 answers, one per question (Energy, Focus, Support), e.g. 4,4,4; - skips one."
    )
    assert _refused(pr.parse_answers, "- - -", Q) == "Answer at least one question (1–5)."


def test_tally_counts_each_answer_and_skips_missing_ones() -> None:
    # an answer list shorter than the questions (the pulse gained a question later)
    rows = pr.tally(Q, [[5, 4], [4, None, 1], [4]])
    energy, focus, support = rows
    assert (energy.answered, energy.average, energy.counts) == (3, 4.33, (0, 0, 0, 2, 1))
    assert (focus.answered, focus.average, focus.counts) == (1, 4.0, (0, 0, 0, 1, 0))
    assert (support.answered, support.average, support.counts) == (1, 1.0, (1, 0, 0, 0, 0))
    assert pr.tally(Q, [[2, 1, 2], [1, 1, 1], [2, 1, 2]])[0].average == 1.67


def test_results_name_each_question_and_sort_the_texts() -> None:
    res = pr.results(Q, [[5, 5, 5]] * 3, ["More focus", "", "A quiet room"], [])
    assert [q.question for q in res.questions] == Q
    assert res.texts == ["A quiet room", "More focus"]
    assert res.enough and res.answered == 3


def test_averages_from_three_answers_on() -> None:
    assert pr.averages(Q, [[5, 4, 3], [4, 4, 3], [3, 4, None]]) == {
        "Energy": 4.0,
        "Focus": 4.0,
        "Support": 3.0,
    }
