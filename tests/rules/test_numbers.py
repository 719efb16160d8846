"""Numbers typed into forms and shown back: what users type must read as what they meant."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kickoff_tui.rules.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("12.5", 12.5),
        ("12,5", 12.5),  # a single comma is a decimal comma
        ("1,000.5", 1000.5),
        ("1.000,5", 1000.5),
        ("1 000", 1000.0),
        ("1\u00a0000,25", 1000.25),  # no-break space from a French spreadsheet
        ("1,000,000", 1000000.0),
        ("45%", 45.0),
        ("45 %", 45.0),
        ("-3", -3.0),
        ("\u22123", -3.0),  # Unicode minus pasted from a document
        ("+2", 2.0),
        ("  7  ", 7.0),
        (".5", 0.5),
        ("-0", 0.0),
    ],
)
def test_accepted_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e3",
        "12.",
        "1..2",
        "1,000,5",
        "12,5.3",
        "1 00",
        "- 3",
        "%",
        "-",
        "1.2.3",
        "0x10",
        "12abc",
        "1_000",
    ],
)
def test_rejected_numbers_say_what_is_expected(text):
    with pytest.raises(ValueError) as info:
        parse_number(text)
    assert (
        str(info.value) == f"Enter a number such as 12, 12.5, 12,5 or 45% (got '{text.strip()}')."
    )


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_input_asks_for_a_number(text):
    with pytest.raises(ValueError, match=r"^Enter a number such as 12, 12\.5, 12,5 or 45%\.$"):
        parse_number(text)


def test_long_input_is_shortened_in_the_message():
    with pytest.raises(ValueError) as info:
        parse_number("twelve and a half thousand units")
    assert (
        str(info.value)
        == "Enter a number such as 12, 12.5, 12,5 or 45% (got 'twelve and a half t…')."
    )


def test_numbers_too_large_to_store_are_refused():
    with pytest.raises(ValueError, match="too large to store"):
        parse_number("9" * 400)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12.0, "12"),
        (12.5, "12.5"),
        (0.333333, "0.33"),
        (2 / 3, "0.67"),
        (-12.345, "-12.35"),
        (-0.001, "0"),  # never "-0"
        (1e20, "100000000000000000000"),
        (1e-9, "0"),
        (7, "7"),
        (10**30, "1000000000000000000000000000000"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_format_refuses_non_finite(bad):
    with pytest.raises(ValueError, match="finite"):
        format_number(bad)


@given(st.integers(-(10**13), 10**13))
def test_two_decimal_values_round_trip_exactly(cents):
    x = cents / 100
    assert parse_number(format_number(x)) == x


@settings(max_examples=300)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_shown_numbers_read_back_as_shown(x):
    shown = format_number(x)
    back = parse_number(shown)
    assert abs(back - x) <= 0.005 + abs(x) * 1e-15
    assert format_number(back) == shown
    assert "e" not in shown


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda f: round(f, 2)))
def test_european_comma_reads_like_the_dot(x):
    shown = format_number(x)
    assert parse_number(shown.replace(".", ",")) == parse_number(shown)
    assert parse_number(shown + "%") == parse_number(shown)


@pytest.mark.parametrize("text", ["1,000", "12,500", "999,999"])
def test_a_lone_comma_before_three_digits_is_ambiguous_and_refused(text: str) -> None:
    """'1,000' is a thousand in English and one in French: never guess a magnitude."""
    with pytest.raises(ValueError, match="could mean"):
        parse_number(text)
    assert parse_number("0,125") == 0.125  # a leading 0 can only be a decimal comma


# ------------------------------------------------------------------ the sentences, word for word


def _refused(text: object) -> str:
    with pytest.raises(ValueError) as err:
        parse_number(text)  # type: ignore[arg-type]
    return str(err.value)


def test_an_ambiguous_comma_names_both_readings() -> None:
    assert _refused("12,500") == (
        "'12,500' could mean 12500 or 12.500; write 12500 or 12.500 instead."
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("abc", "abc"),
        (" 12 kg ", "12 kg"),
        ("1\x1b2", "1?2"),
        ("9" * 19 + "x", "9" * 19 + "x"),
        ("9" * 20 + "x", "9" * 19 + "…"),
        (12j, "12j"),  # not text at all
        (None, "None"),
    ],
)
def test_what_is_not_a_number_is_quoted_back(text: object, shown: str) -> None:
    assert _refused(text) == f"Enter a number such as 12, 12.5, 12,5 or 45% (got '{shown}')."


def test_minus_zero_is_zero() -> None:
    assert math.copysign(1.0, parse_number("-0")) == 1.0
    assert format_number(parse_number("-0,0")) == "0"


def test_booleans_show_as_numbers() -> None:
    assert format_number(True) == "1"  # type: ignore[arg-type]
    assert format_number(False) == "0"  # type: ignore[arg-type]
