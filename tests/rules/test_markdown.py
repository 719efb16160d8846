"""User text in the minutes stays literal Markdown, checked with a real CommonMark parser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kickoff_tui.rules.markdown import inline
from tests.screens.helpers import MARKUP_CORPUS

MD = MarkdownIt("commonmark")

HOSTILE = [
    "*urgent* and __bold__",
    "[click](http://evil.example) ![img](x.png)",
    "`code` and ``more``",
    "<script>alert(1)</script> <http://auto.link>",
    "a | table | row",
    "~~struck~~",
    "R&D costs &amp; &#65; entities",
    "# not a heading",
    "1. not a list",
    "- not a bullet\n> not a quote\n---",
    "back\\slash \\* kept",
    "line one\n\nline two",
    *MARKUP_CORPUS,
]


def rendered_text(text: str) -> tuple[list[str], str]:
    """Token types of the list item's inline content, and the text a reader sees."""
    tokens = MD.parse(f"- Done: {inline(text)}")
    assert [t.type for t in tokens] == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ]
    children = tokens[3].children or []
    return sorted({c.type for c in children}), "".join(c.content for c in children)


def flat(text: str) -> str:
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())


def test_hostile_text_stays_one_plain_list_item() -> None:
    for text in HOSTILE:
        types, shown = rendered_text(text)
        assert types == ["text"], (text, types)
        assert shown == "Done: " + flat(text), text


def test_ordinary_text_is_left_readable() -> None:
    assert inline("Ship 50% of #12 for R&D 🚀") == "Ship 50% of #12 for R&D 🚀"
    assert inline("a *b* c") == "a \\*b\\* c"
    assert inline("two\nlines") == "two / lines"
    assert inline(None) == ""


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"])
        | st.sampled_from(list("\\`*_[]<>|~&#!-+=.:()\n "))
    )
)
def test_any_text_renders_as_itself(text: str) -> None:
    types, shown = rendered_text(text)
    assert set(types) <= {"text"}
    # CommonMark folds runs of spaces only around line ends; compare as a reader would.
    assert " ".join(shown.split()) == " ".join(("Done: " + flat(text)).split())


def test_every_markdown_helper_escapes_the_same_way() -> None:
    """One Markdown escaping: the review, a decision's entry and the minutes all show "&amp;" as
    typed (an escaper that left `&` alone turned it into "&" in the pasted entry)."""
    from kickoff_tui.rules.markdown import block, escape, one_line

    typed = "R&D &amp; *ops*"
    shown = r"R&D \&amp; \*ops\*"
    assert escape(typed) == inline(typed) == one_line(typed) == block(typed) == shown
    assert block("# not a heading\n- not a list") == "\\# not a heading  \n\\- not a list"


def test_nothing_stays_nothing() -> None:
    """An empty field adds no characters to a heading, a list item or an entry."""
    from kickoff_tui.rules.markdown import block, escape, one_line

    for helper in (escape, inline, one_line, block):
        assert helper(None) == "", helper
        assert helper("") == "", helper
    assert one_line("  spaced \n  out\t") == "spaced out"
