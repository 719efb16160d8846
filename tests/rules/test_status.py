"""The shape beside every colour-coded status word: what a user reads without colour."""

from __future__ import annotations

import pytest

from kickoff_tui.rules.status import SHAPE, band_mark, labelled, rag_mark, shape


@pytest.mark.parametrize(
    ("word", "mark"),
    [
        ("green", "●"),
        ("yellow", "▲"),
        ("red", "■"),
        ("low", "●"),
        ("medium", "▲"),
        ("high", "■"),
        ("on track", "●"),
        ("behind", "▲"),
        ("at risk", "■"),
        ("keep informed", "◆"),
    ],
)
def test_each_status_word_has_its_shape(word: str, mark: str) -> None:
    assert shape(word) == mark
    assert labelled(word) == f"{mark} {word}"


@pytest.mark.parametrize("word", ["no data yet", "dropped", "", None])
def test_a_word_without_a_colour_has_no_shape_and_stays_as_it_is(word: str | None) -> None:
    assert shape(word) == ""
    if word is not None:
        assert labelled(word) == word


def test_rag_marks_are_shape_and_initial() -> None:
    assert [rag_mark(r) for r in ("green", "yellow", "red")] == ["●G", "▲Y", "■R"]


@pytest.mark.parametrize("value", [None, "", "blue", "GREEN", "low", "at risk"])
def test_no_or_an_unknown_rag_is_a_dot(value: str | None) -> None:
    # "low" and "at risk" have shapes, but they are not RAG colours.
    assert rag_mark(value) == "·"


def test_band_marks_are_shape_and_initial() -> None:
    assert [band_mark(b) for b in ("low", "medium", "high")] == ["●L", "▲M", "■H"]


@pytest.mark.parametrize("value", ["", "green", "HIGH", "severe"])
def test_an_unknown_band_is_a_dot(value: str) -> None:
    assert band_mark(value) == "·"


def test_three_shapes_that_differ_without_colour() -> None:
    assert len({SHAPE["green"], SHAPE["yellow"], SHAPE["red"]}) == 3
