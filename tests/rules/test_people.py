"""People rules: handles, emails, the standup settings and the first-action status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kickoff_tui.rules.people import (
    check_email,
    check_handle,
    check_time,
    check_timebox,
    check_weekday,
    derive_handle,
    first_action_status,
)


def test_handle_is_the_first_name_then_the_last_initial_then_numbered() -> None:
    assert derive_handle("Ana Silva") == "ana"
    assert derive_handle("Ana Silva", ["ANA"]) == "anas"
    assert derive_handle("Ana Silva", ["ana", "anas"]) == "ana2"
    assert derive_handle("Ana Silva", ["ana", "anas", "ana2"]) == "ana3"
    assert derive_handle("Ana Silva", ["ana", "anas", "ana2", "ana3"]) == "ana4"
    assert derive_handle("Ana Maria Silva", ["ana"]) == "anas"  # the last name's initial
    assert derive_handle("Ana", ["ana"]) == "ana2"


def test_handle_drops_accents_and_punctuation_and_is_short() -> None:
    assert derive_handle("  Élodie   O'Brien-Smith ", ["elodie"]) == "elodieo"
    assert derive_handle("!!! Zoë") == "zoe"
    assert derive_handle("Bartholomew-Alexander-Maximilian Xu") == "bartholomewalexandermaxi"


def test_a_name_without_letters_gets_a_placeholder_handle() -> None:
    assert derive_handle("") == "person"
    assert derive_handle("李 !!", ["person"]) == "person2"


def test_check_handle_cleans_and_accepts() -> None:
    assert check_handle("  @Ana.Silva_2-x ") == "ana.silva_2-x"
    assert check_handle("a" * 32) == "a" * 32
    assert check_handle("@Xavier") == "xavier"


def test_an_empty_handle_is_refused() -> None:
    with pytest.raises(ValueError) as err:
        check_handle(" @ ")
    assert str(err.value) == "A handle can't be empty."


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ana silva", "'ana silva'"),
        (".ana", "'.ana'"),
        ("a" * 33, repr("a" * 33)),
        ("an\x1ba", "'an?a'"),
        ("x!" * 30, repr(("x!" * 30)[:40])),
    ],
)
def test_a_bad_handle_gets_one_sentence(text: str, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_handle(text)
    assert str(err.value) == (
        f"{shown} is not a handle: use up to 32 letters, digits, '.', '_' or '-' with no "
        "spaces, e.g. ana or ana.silva."
    )


def test_check_email() -> None:
    assert check_email("  ana@example.com ") == "ana@example.com"
    long_ok = "a" * 188 + "@example.com"
    assert check_email(long_ok) == long_ok


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ana", "'ana'"),
        ("ana@example", "'ana@example'"),
        ("a@@b.c", "'a@@b.c'"),
        ("a" * 189 + "@example.com", repr(("a" * 189 + "@example.com")[:60])),
    ],
)
def test_a_bad_email_gets_one_sentence(text: str, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_email(text)
    assert str(err.value) == f"{shown} is not an email address, e.g. ana@example.com."


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ana@x.org\x1b[31m", "'ana@x.org?[31m'"),
        ("ana@x.org\nben@y.org", "'ana@x.org?ben@y.org'"),
        ("a\t@b.co", "'a?@b.co'"),
        ("ana@x\x00.org", "'ana@x?.org'"),
        ("ana@x.org\x9b2J", "'ana@x.org?2J'"),
    ],
)
def test_an_email_with_control_characters_is_refused(text: str, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_email(text)
    assert str(err.value) == (
        f"{shown} is not an email address: it has control characters "
        "(a tab, line break or escape code)."
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("mon", "mon"),
        ("Monday", "mon"),
        ("mo", "mon"),
        (" TU ", "tue"),
        ("wednes", "wed"),
        ("th", "thu"),
        ("fr", "fri"),
        ("sa", "sat"),
        ("sunday", "sun"),
    ],
)
def test_check_weekday(text: str, day: str) -> None:
    assert check_weekday(text) == day


@pytest.mark.parametrize(
    ("text", "shown"),
    [("m", "'m'"), ("", "''"), ("mondays", "'mondays'"), ("x" * 30, repr("x" * 20))],
)
def test_a_bad_weekday_gets_one_sentence(text: str, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        check_weekday(text)
    assert str(err.value) == f"{shown} is not a weekday; use mon, tue, wed, thu, fri, sat or sun."


@pytest.mark.parametrize(
    ("text", "time"),
    [("9:30", "09:30"), (" 23:59 ", "23:59"), ("0h05", "00:05"), ("7.45", "07:45")],
)
def test_check_time(text: str, time: str) -> None:
    assert check_time(text) == time


@pytest.mark.parametrize("text", ["24:00", "12:60", "9", "930", "9:3", "x" * 30])
def test_a_bad_time_gets_one_sentence(text: str) -> None:
    with pytest.raises(ValueError) as err:
        check_time(text)
    assert str(err.value) == (f"{text.strip()[:20]!r} is not a time of day; use HH:MM, e.g. 09:30.")


@pytest.mark.parametrize(("value", "minutes"), [(15, 15), ("30", 30), (" 20.0 ", 20), (22.0, 22)])
def test_check_timebox(value: float | str, minutes: int) -> None:
    assert check_timebox(value) == minutes


@pytest.mark.parametrize("value", [14, 31, "14.5", 20.5, "nan", "abc", "", "x" * 30])
def test_a_timebox_outside_the_guides_gets_one_sentence(value: float | str) -> None:
    with pytest.raises(ValueError) as err:
        check_timebox(value)
    assert str(err.value) == (
        "The standup timebox must be 15 to 30 minutes, the guides' range for a tactical "
        f"standup (got {str(value).strip()[:20]})."
    )


NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_first_action_none_yet() -> None:
    assert first_action_status(has_card=False, done_at=None, due=NOW, now=NOW) == (
        "none",
        "none yet",
    )
    assert first_action_status(has_card=True, done_at=None, due=None, now=NOW) == (
        "none",
        "none yet",
    )


def test_first_action_done_on_time_or_late() -> None:
    due = NOW
    assert first_action_status(has_card=True, done_at=due, due=due, now=NOW) == (
        "done",
        "done on time",
    )
    late = due + timedelta(seconds=1)
    assert first_action_status(has_card=True, done_at=late, due=due, now=NOW) == (
        "late",
        "⚠ late (done after due)",
    )


def test_first_action_open_is_due_then_late() -> None:
    def status(left: timedelta) -> tuple[str, str]:
        return first_action_status(has_card=True, done_at=None, due=NOW + left, now=NOW)

    assert status(timedelta(hours=5, minutes=59)) == ("due", "due in 5 h")
    assert status(timedelta(hours=1)) == ("due", "due in 1 h")
    assert status(timedelta(minutes=59, seconds=59)) == ("due", "due in 59 min")
    assert status(timedelta(minutes=2)) == ("due", "due in 2 min")
    assert status(timedelta(seconds=20)) == ("due", "due in 1 min")
    assert status(timedelta(0)) == ("due", "due in 1 min")
    assert status(timedelta(seconds=-1)) == ("late", "⚠ late")
