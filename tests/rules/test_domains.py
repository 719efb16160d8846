"""What a stored field may hold: the sentence sync gives for an impossible value, and the
defensive readers screens use for values already in the file. Pure and fast."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules import domains
from kickoff_tui.rules.domains import INT_MAX, INT_MIN, day, instant, level, problem


def test_deleted_is_0_or_1_and_nothing_else() -> None:
    assert problem("card", "deleted", 0) is None
    assert problem("card", "deleted", 1) is None
    assert problem("card", "deleted", True) == "card.deleted must be 0 or 1, not True"
    assert problem("risk", "deleted", 2) == "risk.deleted must be 0 or 1, not 2"
    assert problem("card", "deleted", None) == "card.deleted must be 0 or 1, not None"
    assert problem("card", "deleted", "1") == "card.deleted must be 0 or 1, not '1'"


def test_no_value_is_fine_and_free_text_is_not_checked() -> None:
    assert problem("risk", "likelihood", None) is None
    assert problem("workspace", "timezone", None) is None
    assert problem("card", "title", "anything at all") is None


def test_numbers_must_fit_sqlite() -> None:
    assert problem("card", "num", INT_MAX) is None
    assert problem("card", "num", INT_MIN) is None
    assert problem("card", "num", INT_MAX + 1) == (
        "card.num is too large a number (9223372036854775808)"
    )
    assert problem("card", "num", INT_MIN - 1) == (
        "card.num is too large a number (-9223372036854775809)"
    )
    # Also in a field with a range: the size is what's wrong.
    assert problem("risk", "impact", 2**70) == (
        "risk.impact is too large a number (1180591620717411303424)"
    )


def test_ranges() -> None:
    assert problem("risk", "likelihood", 1) is None
    assert problem("risk", "likelihood", 5) is None
    assert problem("risk", "likelihood", 0) == "risk.likelihood must be 1–5, not 0"
    assert problem("risk", "residual_impact", 99) == "risk.residual_impact must be 1–5, not 99"
    assert problem("check_in", "confidence", 0) is None
    assert problem("check_in", "confidence", 11) == "check_in.confidence must be 0–10, not 11"
    assert problem("stakeholder", "q_assigned", 2) == "stakeholder.q_assigned must be 0–1, not 2"


def test_choices() -> None:
    assert problem("card", "state", "doing") is None
    assert problem("card", "state", "later") == (
        "card.state must be one of todo, doing, blocked, done, not 'later'"
    )
    assert problem("kpi", "frequency", "hourly") == (
        "kpi.frequency must be one of daily, weekly, monthly, not 'hourly'"
    )


def test_dates() -> None:
    assert problem("standup", "held_on", "2026-12-03") is None
    assert problem("standup", "held_on", "soon") == (
        "standup.held_on must be a date (YYYY-MM-DD), not 'soon'"
    )
    assert problem("card", "due", "2026-12-03") is None
    assert problem("card", "due", "2026-12-03T17:00:00Z") is None
    assert problem("card", "due", "tomorrow!!") == "card.due must be a date, not 'tomorrow!!'"
    assert problem("check_in", "at", "2026-12-03T09:00:00Z") is None
    assert problem("check_in", "at", "2026-13-03") == (
        "check_in.at must be a date and time (ISO 8601), not '2026-13-03'"
    )


def test_a_day_field_holds_exactly_an_iso_day() -> None:
    """Not just its first ten characters: "2026-12-03 junk" is no day (a due may add a time)."""
    assert domains.exact_day("2026-12-03") == date(2026, 12, 3)
    for bad in ("2026-12-03 junk", "2026-12-03T09:00:00Z", "20261203", "2026-W49-4", "2026-2-3"):
        assert domains.exact_day(bad) is None
    assert domains.exact_day("2026-02-29") is None and domains.exact_day(date(2026, 1, 1)) is None
    assert problem("retro", "held_on", "2026-12-03 junk") == (
        "retro.held_on must be a date (YYYY-MM-DD), not '2026-12-03 junk'"
    )
    assert problem("card", "due", "2026-12-03 junk") == (
        "card.due must be a date, not '2026-12-03 junk'"
    )
    assert problem("risk", "due", "2026-12-03 17:00") is None
    assert problem("risk", "due", "2026-12-03x17:00") == (
        "risk.due must be a date, not '2026-12-03x17:00'"
    )


def test_workspace_settings() -> None:
    assert problem("workspace", "okr_review_day", "first-tue") is None
    assert problem("workspace", "okr_review_day", "10") is None
    assert problem("workspace", "okr_review_day", "first Tuesday") == (
        "workspace.okr_review_day must be a day such as 10 or first-tue, not 'first Tuesday'"
    )
    for field in ("standup_time", "review_time"):
        assert problem("workspace", field, "00:00") is None
        assert problem("workspace", field, "23:59") is None
        for bad in ("24:00", "9:30", "09:60", "09:30 ", 930):
            assert problem("workspace", field, bad) == (
                f"workspace.{field} must be a time of day (HH:MM), not {bad!r}"
            )
    assert problem("workspace", "timezone", "Europe/Paris") is None
    assert problem("workspace", "timezone", "Mars/Olympus") == (
        "workspace.timezone must be a time zone such as Europe/Paris, not 'Mars/Olympus'"
    )


def test_pulse_json() -> None:
    assert problem("pulse", "questions", '["a", "b", "c"]') is None
    assert problem("pulse", "questions", '["a"]') == (
        "pulse.questions must be a JSON list of 3–5 questions, not '[\"a\"]'"
    )
    assert problem("pulse_answer", "answers", "[1, null, 5]") is None
    assert problem("pulse_answer", "answers", "[6]") == (
        "pulse_answer.answers must be a JSON list of 1–5 answers, not '[6]'"
    )


def test_long_values_are_cut_in_the_sentence() -> None:
    assert problem("card", "state", "x" * 38) == (
        f"card.state must be one of todo, doing, blocked, done, not '{'x' * 38}'"
    )
    assert problem("card", "state", "x" * 39) == (
        f"card.state must be one of todo, doing, blocked, done, not '{'x' * 38}…"
    )


def test_level() -> None:
    assert level(1) == 1
    assert level(5) == 5
    assert level(3) == 3
    for bad in (0, 6, 3.0, True, "3", None):
        assert level(bad) is None, bad
    assert level(0, lo=0, hi=10) == 0
    assert level(10, lo=0, hi=10) == 10
    assert level(11, lo=0, hi=10) is None


def test_day() -> None:
    assert day(date(2026, 12, 3)) == date(2026, 12, 3)
    assert day("2026-12-03") == date(2026, 12, 3)
    assert day("2026-12-03T23:30:00+05:00") == date(2026, 12, 3)
    for bad in ("2026-12-3", "2026-12", "", "2026-02-30", "soon soon!", 20261203, None):
        assert day(bad) is None, bad
    assert day(datetime(2026, 12, 3, 9, 0)) is None


def test_instant() -> None:
    assert instant("2026-12-03T09:00:00+01:00") == datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert instant("2026-12-03") == datetime(2026, 12, 3, tzinfo=UTC)
    aware = datetime(2026, 12, 3, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert instant(aware) == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    for bad in ("2026-12-0", "not a date", "2026-13-03", 1764745200, None):
        assert instant(bad) is None, bad
    # Past the last representable instant once made UTC: unreadable, not a crash.
    assert instant("9999-12-31T23:59:59-05:00") is None


def test_timezone() -> None:
    assert domains.timezone("Europe/Paris") == "Europe/Paris"
    assert domains.timezone(" Asia/Tokyo ") == "Asia/Tokyo"
    assert domains.timezone("UTC") == "UTC"
    for bad in ("", "   ", "Mars/Olympus", "../../etc/passwd", "x" * 65, 5, None):
        assert domains.timezone(bad) is None, bad


@given(st.text(max_size=60))
def test_any_text_in_a_checked_field_gives_a_sentence_or_none(text: str) -> None:
    for table, name in [
        ("workspace", "timezone"),
        ("standup", "held_on"),
        ("card", "due"),
        ("check_in", "at"),
        ("workspace", "standup_time"),
        ("workspace", "okr_review_day"),
        ("pulse", "questions"),
    ]:
        found = problem(table, name, text)
        assert found is None or found.startswith(f"{table}.{name} must be")


@pytest.mark.parametrize("value", [0, 1, 2, 3, 4, 5])
def test_risk_levels_match_the_reader(value: int) -> None:
    """What sync accepts, the grid can read, and the other way round."""
    ok = problem("risk", "likelihood", value) is None
    assert ok == (level(value) is not None)


def test_iso_basic_format_instants_and_dues() -> None:
    """ISO 8601's basic format (no dashes) is an instant, but not a due: a due starts with the
    day as YYYY-MM-DD, which is what the board reads; a bare 8-digit date is too short to be a
    stored instant."""
    assert problem("card", "due", "20261203T0900") == "card.due must be a date, not '20261203T0900'"
    assert problem("check_in", "at", "20261203T090000Z") is None
    assert instant("20261203") is None
    assert day("20261203") is None
