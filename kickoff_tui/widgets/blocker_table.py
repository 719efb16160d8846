"""The open blockers along the bottom of the standup screen, in every state."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from kickoff_tui.widgets.tables import KeyTable
from kickoff_tui.widgets.tones import BAD, WARN, Toned, strong

#: From this width the table also shows who raised each blocker and the card it holds up.
WIDE = 100


class BlockerTable(Vertical):
    """Open blockers with their owners (⚠ when one has none past its day); `enter` on a row
    posts `Chosen` (the screen asks for an owner)."""

    class Chosen(Message):
        """The user pressed enter on a blocker."""

    def compose(self) -> ComposeResult:
        yield Static(id="blockers-title", classes="section-title", markup=False)
        yield KeyTable(id="blocker-table", cursor_type="row")

    @property
    def table(self) -> DataTable:
        return self.query_one("#blocker-table", DataTable)

    def show(self, rows: list[dict[str, Any]], width: int) -> None:
        """Show `rows` (store.standups.open_blockers) for a screen `width` columns wide,
        keeping the cursor's place."""
        overdue = sum(1 for b in rows if b["overdue"])
        title = f"Open blockers ({len(rows)})"
        if overdue:
            title += f" · {overdue} without an owner past their day"
        self.query_one("#blockers-title", Static).update(title)
        table = self.table
        keep = table.cursor_row
        table.clear(columns=True)
        wide = width >= WIDE
        table.add_column("#", key="num", width=4)
        text_width = max(20, width - (75 if wide else 35))
        table.add_column("Blocker", key="text", width=text_width)
        table.add_column("Owner", key="owner", width=14)
        table.add_column("Age", key="age", width=5)
        if wide:
            table.add_column("Raised by", key="by", width=14)
            table.add_column("Card", key="card", width=22)
        for b in rows:
            owner = (
                Text(b["owner_name"], overflow="ellipsis", no_wrap=True)
                if b["owner_name"]
                else Toned(
                    "⚠ no owner" if b["overdue"] else "no owner",
                    style=strong(BAD) if b["overdue"] else WARN,
                )
            )
            cells = [
                Text(f"B{b['num']}", style="dim"),
                Text(b["text"] or "", overflow="ellipsis", no_wrap=True),
                owner,
                Text(f"{b['age_days']}d" if b["age_days"] else "today"),
            ]
            if wide:
                cells.append(Text(b["raised_by_name"] or "–", overflow="ellipsis", no_wrap=True))
                cells.append(
                    Text(
                        f"#{b['card_num']} {b['card_title']}" if b["card_num"] else "",
                        overflow="ellipsis",
                        no_wrap=True,
                    )
                )
            table.add_row(*cells, key=b["id"])
        if rows and keep is not None:
            table.move_cursor(row=min(keep, len(rows) - 1), animate=False)

    def highlighted(
        self, rows: list[dict[str, Any]], standup_id: str | None, only_unowned: bool = False
    ) -> str | None:
        """The blocker a form should start on: the row under the cursor when the table has the
        focus, else the first without an owner (raised in `standup_id` when `only_unowned`),
        else the first."""
        table = self.table
        ids = [b["id"] for b in rows]
        if table.has_focus and table.row_count and table.cursor_row < len(ids):
            return ids[table.cursor_row]
        for b in rows:
            if not b["owner_name"] and (b["standup_id"] == standup_id or not only_unowned):
                return b["id"]
        return ids[0] if ids else None

    @on(DataTable.RowSelected, "#blocker-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Chosen())
