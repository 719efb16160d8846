"""The retro's "from the data" list, word for word and in its columns, and its vote order."""

from __future__ import annotations

from kickoff_tui.rules.retro import KrMove, from_the_data, ranked


def lines(items: list) -> list[tuple[str, str]]:
    return [(i.kind, i.text) for i in items]


def test_pulse_questions_that_moved_half_a_point_or_more() -> None:
    pulses = [
        ("Energy", 3.6, 4.1),  # +0.4999999999999996 in floats: still half a point
        ("Focus", 4.1, 3.6),
        ("Support", 3.0, 3.4),  # too small a move either way
        ("Clarity", 3.4, 3.0),
        ("Pace", 1.0, 4.5),
    ]
    assert lines(from_the_data([], [], [], pulses)) == [
        ("well", "Pulse Energy rose from 3.6 to 4.1"),
        ("not_well", "Pulse Focus fell from 4.1 to 3.6"),
        ("well", "Pulse Pace rose from 1.0 to 4.5"),
    ]


def test_movers_show_their_points_moved() -> None:
    moves = [KrMove("KR1", "Sign-ups", 0.0, 1.0), KrMove("KR2", "Churn", 0.9, 0.2)]
    assert lines(from_the_data(moves, [], [])) == [
        ("well", "KR1 moved most: Sign-ups (+100 pts)"),
        ("not_well", "KR2 moved least: Churn (-70 pts)"),
    ]


def test_late_cards_most_late_first_then_by_number() -> None:
    late = [("#2", "Alpha", 3), ("#1", "Zulu", 3), ("#3", "Mid", 1)]
    assert lines(from_the_data([], late, [])) == [
        ("not_well", "#1 late by 3 days: Zulu"),
        ("not_well", "#2 late by 3 days: Alpha"),
        ("not_well", "#3 late by 1 day: Mid"),
    ]


def test_past_three_late_cards_the_rest_are_counted() -> None:
    late = [(f"#{n}", "x", 10 - n) for n in range(1, 5)]
    assert lines(from_the_data([], late, []))[3:] == [("not_well", "… and 1 more cards late")]


def test_risks_that_happened_and_past_three_a_count() -> None:
    risks = [("R1", "API"), ("R2", "Budget"), ("R3", "Hiring")]
    assert lines(from_the_data([], [], risks)) == [
        ("not_well", "R1 happened: API"),
        ("not_well", "R2 happened: Budget"),
        ("not_well", "R3 happened: Hiring"),
    ]
    more = from_the_data([], [], [*risks, ("R4", "Vendor"), ("R5", "Scope")])
    assert lines(more)[3:] == [("not_well", "… and 2 more risks happened")]


def test_an_item_without_votes_comes_after_one_with_a_vote() -> None:
    assert ranked(["a", "b"], {"b": 1}) == ["b", "a"]


def test_a_card_due_today_is_not_late_yet() -> None:
    from datetime import date

    from kickoff_tui.rules.retro import days_late

    today = date(2026, 11, 23)
    assert days_late(today, "doing", today) == 0
    assert days_late(date(2026, 11, 22), None, today) == 1


def test_an_action_card_without_a_state_is_to_do() -> None:
    from kickoff_tui.rules.retro import action_outcome

    assert action_outcome("card", None, True) == "not done (to do)"
    assert action_outcome("risk", "open", True) == "recorded"
