"""Row keys and the DataTable cursor: which row is highlighted, and putting the cursor back."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist


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
