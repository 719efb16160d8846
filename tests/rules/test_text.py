"""Text pasted into titles and descriptions: no escape sequences may reach a teammate's terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kickoff_tui.rules.text import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Ship the beta  ", "Ship the beta"),
        ("\x1b[31mred\x1b[0m alert", "red alert"),  # CSI colours
        ("\x1b[2J\x1b[HWiped", "Wiped"),  # clear screen, cursor home
        ("\x1b]0;pwned\x07Title", "Title"),  # OSC window title, BEL-terminated
        (
            "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
            "link",
        ),  # OSC 8 hyperlink, ST-terminated
        ("\x1bPq#0;2;0;0;0\x1b\\sixel", "sixel"),  # DCS
        ("\x9b31mC1 CSI", "C1 CSI"),
        ("a\x00b\x07c\x7fd\x85e", "abcd e"),  # NUL, BEL, DEL removed; NEL is a line break
        ("tab\tand\nnew\r\nlines", "tab and new lines"),
        ("many\n\n\t  breaks", "many breaks"),
        ("[bold]not markup[/bold]", "[bold]not markup[/bold]"),
        ("Launch 🚀 中文 👨\u200d👩\u200d👧", "Launch 🚀 中文 👨\u200d👩\u200d👧"),
        ("e\u0301", "e\u0301"),  # combining accent kept
        ("trailing esc\x1b", "trailing esc"),
    ],
)
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


@pytest.mark.parametrize("raw", ["", "   ", "\x1b[0m", "\n\t", None])
def test_empty_title_is_refused(raw):
    with pytest.raises(ValueError) as info:
        clean_line(raw)
    assert str(info.value) == "Title can't be empty."


def test_long_title_is_refused_with_its_length():
    with pytest.raises(ValueError) as info:
        clean_line("x" * 5000)
    assert str(info.value) == "Title is 5000 characters; keep it to at most 200."
    assert clean_line("x" * 200) == "x" * 200


def test_messages_name_the_field():
    with pytest.raises(ValueError, match="^Name can't be empty.$"):
        clean_line(" ", what="Name")
    with pytest.raises(ValueError, match="^Handle is 41 characters; keep it to at most 40.$"):
        clean_line("h" * 41, max_len=40, what="Handle")


def test_length_is_counted_after_cleaning():
    assert clean_line("\x1b[1m" * 100 + "short") == "short"


def test_clean_text_keeps_lines():
    assert clean_text("line 1\r\nline 2\rline 3\n\n- item\n") == "line 1\nline 2\nline 3\n\n- item"
    assert clean_text("\x1b[1mbold\x1b[0m\n\tindented") == "bold\n    indented"
    assert clean_text("") == ""
    assert clean_text(None) == ""
    assert clean_text("  \n  ") == ""


def test_clean_text_length_limit():
    with pytest.raises(ValueError) as info:
        clean_text("y" * 20001)
    assert str(info.value) == "Description is 20001 characters; keep it to at most 20000."
    with pytest.raises(ValueError, match="^Note is 11 characters; keep it to at most 10.$"):
        clean_text("z" * 11, max_len=10, what="Note")


def test_hostile_input_is_cleaned_whole():
    """An unterminated escape sequence 100,000 times over: what is left is the plain text
    (bench/text.py times it: linear, not quadratic)."""
    assert clean_text("\x1b]" * 100_000 + "\x9d" + "a" * 200_000, max_len=10**6) == "a" * 200_000


def _controls(s: str) -> set[str]:
    return {ch for ch in s if unicodedata.category(ch) == "Cc"}


text_with_escapes = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(
            [
                "\x1b",
                "\x1b[",
                "\x1b]",
                "\x1bP",
                "\x07",
                "\x9b",
                "\x9d",
                "\x9c",
                "\x1b\\",
                "\r\n",
                "\t",
                "\n",
                "31m",
                ";",
            ]
        ),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300)
@given(text_with_escapes)
def test_no_control_character_survives(raw):
    try:
        line = clean_line(raw)
    except ValueError:
        line = ""
    assert not _controls(line)
    assert line == line.strip()
    assert _controls(clean_text(raw, max_len=10**6)) <= {"\n"}


@settings(max_examples=200)
@given(text_with_escapes)
def test_cleaning_twice_changes_nothing(raw):
    text = clean_text(raw, max_len=10**6)
    assert clean_text(text, max_len=10**6) == text
    try:
        line = clean_line(raw, max_len=10**6)
    except ValueError:
        return
    assert clean_line(line, max_len=10**6) == line


@given(
    st.text(st.characters(blacklist_categories=("Cc", "Zl", "Zp", "Cs")), min_size=1, max_size=60)
)
def test_ordinary_text_is_left_alone(raw):
    if raw.strip() and raw == raw.strip():
        assert clean_line(raw, max_len=1000) == raw


# ------------------------------------------------------- visible: text leaving for a terminal

from kickoff_tui.rules.text import visible  # noqa: E402


@pytest.mark.parametrize("raw", [None, ""])
def test_nothing_is_shown_as_nothing(raw: str | None) -> None:
    assert visible(raw) == ""
    assert visible(raw, lines=True) == ""


def test_printable_text_is_shown_as_it_is() -> None:
    assert visible("Ship [bold]it[/] 🚀") == "Ship [bold]it[/] 🚀"


def test_every_control_is_shown_as_a_symbol() -> None:
    assert visible("a\x1b[31mb\x00c\x1fd\x7fe\x80f\x9bg") == "a␛[31mb␀c␟d␡e�f�g"


def test_tabs_and_line_feeds_become_spaces_on_one_line() -> None:
    assert visible("a\tb\nc\r\nd") == "a b c␍ d"


def test_with_lines_tabs_and_line_feeds_stay_and_crlf_becomes_a_line_feed() -> None:
    assert visible("a\tb\nc\r\nd\re\x1b", lines=True) == "a\tb\nc\nd␍e␛"
