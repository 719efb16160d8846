"""Standups (read-only for now): past meetings and the open blockers."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import queries


def _minutes(start: str | None, end: str | None) -> str:
    if not start or not end:
        return "–"
    from kickoff_tui.rules.dates import parse_instant

    seconds = (parse_instant(end) - parse_instant(start)).total_seconds()
    return f"{round(seconds / 60)} min"


class StandupScreen(KickoffScreen):
    """The last standups and every blocker still open."""

    MODE = "standup"
    LABEL = "Standup"
    HELP = "Past standups and the blockers still open."

    def compose_body(self) -> ComposeResult:
        yield Static("Past standups", classes="section-title")
        yield DataTable(id="standup-table", cursor_type="row")
        yield Static("Open blockers", classes="section-title")
        yield DataTable(id="blocker-table", cursor_type="row")

    def reload(self) -> None:
        table = self.query_one("#standup-table", DataTable)
        table.clear(columns=True)
        table.add_columns("Date", "Kind", "Duration", "Attended", "Blockers raised", "Resolved")
        for s in queries.standups(self.store):
            table.add_row(
                Text(s["held_on"] or "–"), Text(s["kind"] or ""),
                Text(_minutes(s["started_at"], s["ended_at"])), Text(str(s["attendees"])),
                Text(str(s["blockers_raised"])), Text(str(s["blockers_resolved"])), key=s["id"],
            )
        blockers = self.query_one("#blocker-table", DataTable)
        blockers.clear(columns=True)
        blockers.add_columns("#", "Blocker", "Raised by", "Owner", "Raised")
        for b in queries.open_blockers(self.store):
            blockers.add_row(
                Text(f"B{b['num']}", style="dim"), Text(b["text"] or ""),
                Text(b["raised_by_name"] or "–"),
                Text(b["owner_name"] or "no owner", style="" if b["owner_name"] else "red"),
                Text((b["raised_at"] or "")[:10]), key=b["id"],
            )
