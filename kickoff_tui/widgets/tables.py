"""The tables' DataTable (with j / k), row keys and the cursor: which row is highlighted, and
putting the cursor back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Self

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, OptionList
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist, RowKey


class KeyTable(DataTable):
    """The DataTable of every kickoff table: `j` / `k` move down / up as on the board (and in
    vi, less, mutt), besides the arrow keys; `g` / `home` go to the first row and `G` / `end`
    to the last, as in a pager (a DataTable's own home / end scroll sideways, which our tables,
    sized to the width, never need)."""

    # No description: help lists each screen's own keys, and these are the board's (README).
    BINDINGS = [
        Binding("j", "cursor_down", show=False, id="list.down"),
        Binding("k", "cursor_up", show=False, id="list.up"),
        Binding("g,home", "scroll_top", show=False, id="list.top"),
        Binding("G,end", "scroll_bottom", show=False, id="list.bottom"),
    ]

    #: The words of the screen's `/` filter (casefolded): a row is added only when its text
    #: holds every one of them (see `screens.list_filter.ListFilter`).
    filter_words: tuple[str, ...] = ()
    #: Rows added since the table was last cleared (headings aside), and how many of them the
    #: filter let through: the filter's "3 of 11 match".
    offered = 0
    matched = 0
    #: A heading waiting for the first row under it that the filter lets through.
    _pending_heading: tuple[tuple[Any, ...], int | None, str | None, Any] | None = None

    def clear(self, columns: bool = False) -> Self:
        """DataTable.clear, starting the filter's counts again."""
        self.offered = self.matched = 0
        self._pending_heading = None
        return super().clear(columns)

    def add_row(
        self,
        *cells: Any,
        height: int | None = 1,
        key: str | None = None,
        label: Any = None,
        heading: bool = False,
    ) -> RowKey:
        """DataTable.add_row, leaving out a row the filter doesn't match (its key is returned
        all the same; `move_to_key` finds no such row).

        A `heading` (a group's title row) is not counted, and while filtering it is shown
        only above a row of its group that matches.
        """
        if heading:
            if self.filter_words:
                self._pending_heading = (cells, height, key, label)
                return RowKey(key)
            return super().add_row(*cells, height=height, key=key, label=label)
        self.offered += 1
        if self.filter_words and not row_matches(cells, self.filter_words):
            return RowKey(key)
        self.matched += 1
        if self._pending_heading is not None:
            h_cells, h_height, h_key, h_label = self._pending_heading
            self._pending_heading = None
            super().add_row(*h_cells, height=h_height, key=h_key, label=h_label)
        return super().add_row(*cells, height=height, key=key, label=label)


def row_matches(cells: Sequence[Any], words: Sequence[str]) -> bool:
    """Whether the cells' text (plain, casefolded) contains every word."""
    text = " ".join(getattr(cell, "plain", str(cell)) for cell in cells).casefold()
    return all(word in text for word in words)


class KeyList(OptionList):
    """The OptionList of every kickoff list: the same keys as `KeyTable` (`j` / `k`, `g` / `G`;
    home / end and the arrows are the OptionList's own)."""

    BINDINGS = [
        Binding("j", "cursor_down", show=False, id="list.down"),
        Binding("k", "cursor_up", show=False, id="list.up"),
        Binding("g", "first", show=False, id="list.top"),
        Binding("G", "last", show=False, id="list.bottom"),
    ]


def cursor_key(table: DataTable) -> str | None:
    """The key of the highlighted row (None on an empty table)."""
    if not table.row_count:
        return None
    try:
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    except CellDoesNotExist:
        return None


def move_to_key(table: DataTable, key: str | None) -> bool:
    """Put the cursor on the row with `key` (e.g. the same item after a reload); False if absent."""
    if not key:
        return False
    try:
        table.move_cursor(row=table.get_row_index(key), animate=False)
    except RowDoesNotExist:
        return False
    return True


def set_columns(
    table: DataTable,
    columns: Sequence[str],
    rows: Sequence[Sequence[Text]],
    *,
    fill: str,
    width: int,
    fill_min: int,
    key: Callable[[str], str] = str.lower,
) -> None:
    """Clear `table` and add `columns`, each with its width set: the width of its header and
    cells, except `fill`, which takes what the others (2 cells of padding each) and the
    scrollbar leave of `width` (at least `fill_min`).

    Set here rather than measured by the table later: a table rebuilt while a dialog covers it
    (after saving a form) would measure its columns to their headers.
    """
    widths = [
        max([len(name), *(row[i].cell_len for row in rows)]) for i, name in enumerate(columns)
    ]
    others = sum(w + 2 for w, name in zip(widths, columns) if name != fill)
    table.clear(columns=True)
    for name, w in zip(columns, widths):
        table.add_column(
            name, key=key(name), width=max(fill_min, width - others - 4) if name == fill else w
        )
