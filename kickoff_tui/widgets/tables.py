"""The tables' DataTable (with j / k), row keys and the cursor: which row is highlighted, and
putting the cursor back."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


class KeyTable(DataTable):
    """The DataTable of every kickoff table: `j` / `k` move down / up as on the board (and in
    vi, less, mutt), besides the arrow keys."""

    # No description: help lists each screen's own keys, and these are the board's (README).
    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
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
