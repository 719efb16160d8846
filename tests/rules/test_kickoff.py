"""The kickoff rules: shortlist verdict, engagement quadrant, communication cadence."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.kickoff import engagement, next_due, overdue, shortlist

answers = st.lists(st.sampled_from([True, False, None]), min_size=5, max_size=5)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


def test_shortlisted_when_one_to_three_yes_and_four_five_no() -> None:
    verdict = shortlist([1, 1, 1, 0, 0])
    assert verdict.on is True
    assert verdict.summary() == "shortlisted"


def test_the_answer_that_keeps_someone_off_is_named() -> None:
    verdict = shortlist([True, True, True, True, False])
    assert verdict.on is False
    assert verdict.against == (4,)
    assert verdict.summary() == "off: 4 replaceable"


def test_missing_answers_leave_it_open_unless_one_already_keeps_them_off() -> None:
    assert shortlist([True, None, True, False, None]).summary() == "not decided: answer 2, 5"
    assert shortlist([False, None, None, None, None]).on is False


@given(answers)
def test_verdict_is_consistent_with_the_answers(given_answers: list[bool | None]) -> None:
    verdict = shortlist(given_answers)
    wanted = [True, True, True, False, False]
    wrong = [
        n for n, (a, w) in enumerate(zip(given_answers, wanted), 1) if a is not None and a != w
    ]
    assert list(verdict.against) == wrong
    assert verdict.on is (False if wrong else (None if None in given_answers else True))
    # Changing an answer that keeps someone off to the wanted one never makes things worse.
    if wrong:
        fixed = list(given_answers)
        fixed[wrong[0] - 1] = wanted[wrong[0] - 1]
        assert len(shortlist(fixed).against) == len(wrong) - 1


def test_an_impossible_stored_answer_counts_as_not_answered() -> None:
    assert shortlist([1, 1, 7, 0, 0]).missing == (3,)


@given(st.integers(1, 5), st.integers(1, 5))
def test_engagement_quadrants(influence: int, interest: int) -> None:
    got = engagement(influence, interest)
    if influence >= 3 and interest >= 3:
        assert got == "manage closely"
    elif influence >= 3:
        assert got == "keep satisfied"
    elif interest >= 3:
        assert got == "keep informed"
    else:
        assert got == "monitor"
    # More influence never asks for less engagement.
    order = ["monitor", "keep informed", "keep satisfied", "manage closely"]
    if influence < 5:
        assert order.index(engagement(influence + 1, interest)) >= order.index(got)


def test_once_is_due_on_its_day_until_done() -> None:
    assert next_due("once", date(2026, 3, 2), None, None) == date(2026, 3, 2)
    assert next_due("once", date(2026, 3, 2), date(2026, 3, 2), None) is None


def test_weekly_after_done_is_the_next_date_of_the_series() -> None:
    first = date(2026, 3, 2)  # a Monday
    assert next_due("weekly", first, None, None) == first
    assert next_due("weekly", first, date(2026, 3, 2), None) == date(2026, 3, 9)
    assert next_due("weekly", first, date(2026, 3, 4), None) == date(2026, 3, 9)
    assert next_due("biweekly", first, date(2026, 3, 2), None) == date(2026, 3, 16)


def test_monthly_keeps_the_day_of_month_and_clamps_short_months() -> None:
    first = date(2026, 1, 31)
    assert next_due("monthly", first, date(2026, 1, 31), None) == date(2026, 2, 28)
    assert next_due("monthly", first, date(2026, 2, 28), None) == date(2026, 3, 31)


def test_day_30_60_90_count_from_the_kickoff() -> None:
    kickoff = date(2026, 1, 5)
    assert next_due("day30", None, None, kickoff) == date(2026, 2, 4)
    assert next_due("day60", None, date(2026, 3, 4), kickoff) is None  # done two days before
    assert next_due("day90", None, date(2026, 1, 20), kickoff) == date(2026, 4, 5)
    assert next_due("day30", None, None, None) is None


@given(st.sampled_from(["weekly", "biweekly", "monthly"]), days, st.integers(0, 800))
def test_a_recurring_item_is_next_due_after_it_was_done(
    cadence: str, first: date, after: int
) -> None:
    done = first + timedelta(days=after)
    due = next_due(cadence, first, done, None)
    assert due is not None
    assert due > done
    gap = {"weekly": 7, "biweekly": 14, "monthly": 31}[cadence]
    assert (due - done).days <= gap
    assert not overdue(due, done)


def test_overdue_means_before_today() -> None:
    today = date(2026, 3, 2)
    assert overdue(today - timedelta(days=1), today)
    assert not overdue(today, today)
    assert not overdue(None, today)


def test_sync_refuses_impossible_kickoff_values() -> None:
    from kickoff_tui.rules.domains import problem

    assert problem("stakeholder", "influence", 9) == "stakeholder.influence must be 1–5, not 9"
    assert problem("stakeholder", "q_affects", 2) is not None
    assert problem("stakeholder", "discipline", "astrology") is not None
    assert problem("comm", "cadence", "hourly") is not None
    assert problem("question", "answer_by", "soon") is not None
    assert problem("comm", "starts", "2026-12-01") is None
    assert problem("stakeholder", "attitude", "supporter") is None


# ---------------------------------------------------------------- found by mutation testing
# Each test below pins something mutmut showed no test looked at (tests/MUTANTS.md).

from kickoff_tui.rules.kickoff import Verdict


def test_shortlist_verdicts_exactly() -> None:
    assert shortlist([1, 1, 1, 0, 0]) == Verdict(True, (), ())
    assert shortlist([0, 1, 1, 1, None]) == Verdict(False, (1, 4), (5,))
    assert shortlist([1, 1, 1, 1, 1]).summary() == "off: 4 replaceable, 5 covered"
    # A sixth answer (from a file) is ignored.
    assert shortlist([1, 1, 1, 0, 0, None]) == Verdict(True, (), ())


def test_communications_due_at_day_60_and_the_run_up() -> None:
    kickoff = date(2026, 10, 1)
    due = date(2026, 11, 30)
    assert next_due("day60", None, None, kickoff) == due
    # Done in the week before counts; eight days before is too early.
    assert next_due("day60", None, due - timedelta(days=7), kickoff) is None
    assert next_due("day60", None, due - timedelta(days=8), kickoff) == due
    # An unknown cadence (from a file) is never due.
    assert next_due("yearly", kickoff, None, kickoff) is None
