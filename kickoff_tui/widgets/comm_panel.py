"""The Kickoff page's communication plan tab: who is told what, how and when, soonest first,
overdue items ⚠; the selected one in full under the list. Draws what the screen gives it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kickoff_tui.widgets.charter_panel import attention_line, one_line, short_day
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, Toned, strong

#: From this width the list shows the owner and the channel.
WIDE = 110


class CommPanel(Vertical):
    """The communication plan as a list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="comm-attention", markup=False)
        yield KeyTable(id="comm-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="comm-detail", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#comm-table", KeyTable)

    def show(self, plan: list[dict[str, Any]], width: int, select: str | None = None) -> None:
        self.rows = {c["id"]: c for c in plan}
        late = [f"C{c['num']} {', '.join(c['flags'])}" for c in plan if c["flags"]]
        strip = self.query_one("#comm-attention", Static)
        strip.set_class(bool(late), "-flagged")
        strip.update(attention_line(late))
        keep = select or cursor_key(self.table)
        wide = width >= WIDE
        columns = ["#", "Audience", "What", "When", "Next"]
        if wide:
            columns = ["#", "Audience", "What", "Channel", "When", "Owner", "Next"]
        cells = []
        for c in plan:
            due = c["next_due"]
            row = [
                Text(f"C{c['num']}" + ("⚠" if c["conflict"] else ""), style="dim"),
                Text(one_line(c["audience_label"])[:24]),
                Text(one_line(c["message"]), overflow="ellipsis", no_wrap=True),
            ]
            if wide:
                row.append(Text(one_line(c["channel"])[:20]))
            row.append(Text(c["cadence_label"]))
            if wide:
                row.append(
                    Text(c["owner_name"] or "no owner", style="" if c["owner_name"] else "dim")
                )
            row.append(
                Toned(
                    ("⚠ " if c["overdue"] else "")
                    + (short_day(due.isoformat()) if due else "done"),
                    style=strong(BAD) if c["overdue"] else ("" if due else "dim"),
                )
            )
            cells.append(row)
        set_columns(self.table, columns, cells, fill="What", width=width, fill_min=12)
        for c, row in zip(plan, cells):
            self.table.add_row(*row, key=c["id"])
        if not move_to_key(self.table, keep) and plan:
            self.table.move_cursor(row=0, animate=False)
        self.show_detail()

    def current(self) -> dict[str, Any] | None:
        return self.rows.get(cursor_key(self.table) or "")

    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        panel = self.query_one("#comm-detail", Static)
        c = self.current()
        if c is None:
            panel.update(
                Content.styled(
                    "No communications planned yet: press n to plan the first one.", "$text-muted"
                )
            )
            return
        due = c["next_due"]
        lines = [
            Content.assemble((f"C{c['num']} ", "$text-muted"), (one_line(c["message"]), "bold")),
            Content(
                f"To {one_line(c['audience_label'])} · {one_line(c['channel']) or 'no channel'} · "
                f"{c['cadence_label']} · {c['owner_name'] or 'no owner'}"
            ),
            Content(
                f"Next due {short_day(due.isoformat()) if due else '– (done)'} · "
                f"last done {short_day(c['last_done'])} · x marks it done"
            ),
        ]
        if c["flags"]:
            lines.append(Content.styled("⚠ " + ", ".join(c["flags"]), "bold $text-error"))
        panel.update(Content("\n").join(lines))
