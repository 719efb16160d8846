"""Text from a teammate's log is cleaned where it enters the store (issue 12): an author name
loses its escape sequences, an operation whose ids carry control characters is refused."""

from __future__ import annotations

import pytest

from kickoff_tui.rules.text import visible
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import read_op

LINE = {
    "id": "bob:1",
    "hlc": "001790000000000-00000",
    "by": "bob",
    "table": "card",
    "row_id": "c1",
    "field": "title",
    "value": "x",
    "base": [],
    "tx": None,
}


def test_an_author_name_loses_its_escape_sequences() -> None:
    op = read_op({**LINE, "by": "b\x1b]0;pwned\x07o\x1b[2Jb\x9b"})
    assert op.by == "bob"


@pytest.mark.parametrize("key", ["id", "row_id", "tx"])
def test_ids_with_control_characters_are_refused(key: str) -> None:
    value = "bob\x1b[2J:1" if key == "id" else "c\x1b]0;x\x07"
    with pytest.raises(InvalidEdit, match="control characters"):
        read_op({**LINE, key: value})


def test_visible_draws_every_control_character_and_keeps_lines_only_when_asked() -> None:
    hostile = "a\x1b]0;t\x07b\x9b2Jc\x7fd\x00e\tf\ng"
    assert visible(hostile) == "a␛]0;t␇b�2Jc␡d␀e f g"
    assert visible(hostile, lines=True) == "a␛]0;t␇b�2Jc␡d␀e\tf\ng"
    assert visible("plain [b]text[/b] 🚀") == "plain [b]text[/b] 🚀"
