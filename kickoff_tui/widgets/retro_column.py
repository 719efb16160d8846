"""One column of the retro board (went well / didn't go well / change): its title and its
items, most voted first. It tells the screen which item is highlighted (a message up); the
screen fills it (a method call down)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from kickoff_tui.rules.retro import KIND_LABELS
from kickoff_tui.store.retro import RetroItem
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key
from kickoff_tui.widgets.tones import INFO, OK, Toned, strong


class RetroColumn(Vertical):
    """A column of retro items: votes (● when one is mine), the text, an arrow when it became
    an action."""

    class Highlighted(Message):
        """The item under this column's cursor changed (or the column got the focus)."""

        def __init__(self, column: RetroColumn, item_id: str | None) -> None:
            super().__init__()
            self.column = column
            self.item_id = item_id

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="retro-column")
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield Static(KIND_LABELS[self.kind], classes="retro-column-title", markup=False)
        yield KeyTable(cursor_type="row", show_header=False, classes="retro-items")

    @property
    def table(self) -> KeyTable:
        return self.query_one(KeyTable)

    @property
    def current(self) -> str | None:
        key = cursor_key(self.table)
        return None if key is None or key.startswith("empty-") else key

    def show(self, items: list[RetroItem], width: int) -> None:
        """Fill the column (keeping the cursor on the same item). An item wraps onto as many
        lines as it needs; its votes lead it ("+2", with ● when one of them is mine)."""
        table = self.table
        keep = cursor_key(table)
        table.clear(columns=True)
        table.add_column("item", key="item", width=max(8, width - 5))
        for item in items:
            line = Toned()
            if item.votes:
                line.append(f"+{item.votes}", style="bold")
                line.append("● " if item.mine else " ", style=strong(INFO))
            if item.action:
                line.append("→ ", style=strong(OK))
            line.append(item.text, style="italic" if item.author == "from the data" else "")
            table.add_row(line, key=item.id, height=None)
        if not items:
            # A heading row: not counted by `/`, and hidden while it filters.
            table.add_row(Text("nothing yet", style="dim"), key=f"empty-{self.kind}", heading=True)
        move_to_key(table, keep)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.table.has_focus:  # rows highlighted while filling a column don't count
            self.post_message(self.Highlighted(self, self.current))

    def on_descendant_focus(self) -> None:
        self.add_class("-active")
        self.post_message(self.Highlighted(self, self.current))

    def on_descendant_blur(self) -> None:
        self.remove_class("-active")
