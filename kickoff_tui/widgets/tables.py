"""The tables' DataTable (with j / k), row keys and the cursor: which row is highlighted, and
putting the cursor back."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
        search: str = "",
    ) -> RowKey:
        """DataTable.add_row, leaving out a row the filter doesn't match (its key is returned
        all the same; `move_to_key` finds no such row).

        A `heading` (a group's title row) is not counted, and while filtering it is shown
        only above a row of its group that matches. `search`: more of the record's text the
        filter matches though no column shows it (a risk's cause, an owner's full name).
        """
        if heading:
            if self.filter_words:
                self._pending_heading = (cells, height, key, label)
                return RowKey(key)
            return super().add_row(*cells, height=height, key=key, label=label)
        self.offered += 1
        if self.filter_words and not passes_filter((cells, search), self.filter_words):
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


#: A row to add: its cells, and more of the record's text the filter matches (`search`).
SearchRow = tuple[Sequence[Text], str]


def fields_text(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """A record's `fields` (those set) as one text: what the filter also matches in a row
    whose columns don't show them (`KeyTable.add_row`'s `search`)."""
    return " ".join(str(record[f]) for f in fields if record.get(f))


def passes_filter(row: SearchRow, words: Sequence[str]) -> bool:
    """Whether the filter's `words` let the row through (as `KeyTable.add_row` decides)."""
    cells, search = row
    return row_matches((*cells, search), words)


def fill_filtered(
    table: KeyTable,
    columns: Sequence[str],
    rows: Mapping[str, SearchRow],
    *,
    fill: str,
    width: int,
    keep: str | None,
) -> str | None:
    """Fill `table` with `rows` by key, those the `/` filter lets through: the columns sized
    to all of them, so that they keep still while the filter narrows the rows; the cursor
    back on `keep`, or else on the first row. Returns the key under the cursor (None: no row).

    For a list under a grid (risks, stakeholders): the grid shows what `passes_filter`.
    """
    set_columns(
        table, columns, [cells for cells, _ in rows.values()], fill=fill, width=width, fill_min=12
    )
    for key, (cells, search) in rows.items():
        table.add_row(*cells, key=key, search=search)
    if move_to_key(table, keep):
        return keep
    if not table.row_count:
        return None
    table.move_cursor(row=0, animate=False)
    return cursor_key(table)


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
