"""The standup screen's *before* state: the past standups and the hint to start today's."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from kickoff_tui.rules import minutes as mn
from kickoff_tui.rules.standup import format_clock
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key


class PastStandups(Vertical):
    """A table of past standups; `enter` on one posts `Opened` (the screen shows its summary)."""

    class Opened(Message):
        """The user chose a past standup."""

        def __init__(self, standup_id: str) -> None:
            super().__init__()
            self.standup_id = standup_id

    def compose(self) -> ComposeResult:
        yield Static("Past standups", classes="section-title")
        yield KeyTable(id="past-table", cursor_type="row")
        yield Static(id="before-hint", classes="hint", markup=False)

    @property
    def table(self) -> DataTable:
        return self.query_one("#past-table", DataTable)

    def show(self, rows: list[dict[str, Any]], *, readonly: bool) -> None:
        """Fill the table with `rows` (store.standups.past) and say what can be done."""
        table = self.table
        keep = cursor_key(table)  # the same standup after a reload (or the filter, /)
        table.clear(columns=True)
        table.add_columns("#", "Date", "Length", "Attended", "Blockers", "Resolved", "Decisions")
        for s in rows:
            held = date.fromisoformat(s["held_on"]) if s["held_on"] else None
            length = format_clock(s["seconds"]) if s["seconds"] is not None else "–"
            if s["started_at"] and not s["ended_at"]:
                length += " running"
            table.add_row(
                Text(f"S{s['num']}", style="dim"),
                Text(mn.day_label(held) if held else "–"),
                Text(length),
                Text(str(s["attendees"])),
                Text(str(s["blockers_raised"])),
                Text(str(s["blockers_resolved"])),
                Text(str(s["decisions"])),
                key=s["id"],
            )
        move_to_key(table, keep)
        hint = "s  start today's standup"
        if rows:
            hint += "   ·   enter  show a past standup's summary"
        else:
            hint = "No standups yet. " + hint
        if readonly:
            hint = "Read-only: standups can be looked at, not run."
        self.query_one("#before-hint", Static).update(hint)

    def highlighted(self) -> str | None:
        """The standup under the cursor, if any."""
        table = self.table
        if table.row_count and table.cursor_row is not None:
            return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return None

    @on(DataTable.RowSelected, "#past-table")
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.Opened(event.row_key.value))
