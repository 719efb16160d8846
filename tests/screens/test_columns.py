"""The Columns layout: rows fit the width they get, dropping the least important columns."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from kickoff_tui.widgets.columns import layout

ROWS = [
    ["O1", "Launch self-serve onboarding", "71 → 120 teams", "44%", "Ana Silva"],
    ["KR12", "日本語のタイトル 😀", "8 → 3 days", "100%", "Chloé Martin"],
]


def plain(lines: list[Content]) -> list[str]:
    return [line.plain for line in lines]


def test_wide_rows_keep_every_column_aligned() -> None:
    lines = plain(layout(ROWS, 100, flex=1))
    assert lines[0] == "O1    Launch self-serve onboarding  71 → 120 teams  44%   Ana Silva"
    # the third column starts at the same cell on both rows, wide characters and all
    assert cell_len(lines[1][: lines[1].index("8 → 3")]) == lines[0].index("71 →")


def test_narrow_rows_drop_columns_in_order_then_cut_the_title() -> None:
    lines = layout(ROWS, 44, flex=1, drop=(4, 2), min_flex=20)
    assert plain(lines)[0] == "O1    Launch self-serve onboarding  44%"
    assert all(line.cell_length <= 44 for line in lines)
    tight = layout(ROWS, 30, flex=1, drop=(4, 2), min_flex=20)
    assert all(line.cell_length <= 30 for line in tight)
    assert plain(tight)[0] == "O1    Launch self-serve…  44%"


def test_wide_characters_count_as_two_cells() -> None:
    lines = layout(ROWS, 40, flex=1, drop=(4, 2))
    assert all(line.cell_length <= 40 for line in lines)
    assert "…" in lines[1].plain or "😀" in lines[1].plain


def test_markup_in_cells_is_text() -> None:
    lines = layout([["[b]x[/b]", "[@click=app.quit]y[/]"]], 40, flex=1)
    assert lines[0].plain == "[b]x[/b]  [@click=app.quit]y[/]"
