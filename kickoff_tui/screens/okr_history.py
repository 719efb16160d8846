"""A key result's check-in history: a table and a plot of value over time against the target.

`enter` (or `e`) corrects the highlighted check-in: the correction is a new check-in in its place
and the original stays in the table, struck through.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.screens.check_in import value_check
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store import okrs
from kickoff_tui.store.standups import local_day, me
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import FormScreen
from kickoff_tui.widgets.form_fields import confidence, correction
from kickoff_tui.widgets.okr_plot import OkrPlot, points_from
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key
from kickoff_tui.widgets.with_session import WithSession

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp


class OkrHistoryScreen(WithSession, ModalScreen[None], ListFilter):
    """Check-ins of one key result, oldest first, with corrections."""

    CSS_PATH = "okrs.tcss"
    BINDINGS = [
        Binding("escape,h,q", "close", "Close", id="okr_history.close"),
        Binding("e", "correct", "Correct", id="okr_history.correct"),
        FILTER_KEY,
    ]

    app: KickoffApp

    def __init__(self, key_result_id: str) -> None:
        super().__init__()
        self.key_result_id = key_result_id
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box"):
            yield OkrPlot(id="history-plot")
            yield KeyTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield from self.compose_filter()
            yield Static(id="history-help", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#history-table", KeyTable)

    def refilter(self) -> None:
        self.reload()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        store = self.store
        data = okrs.view(store)
        kr = data.key_result(self.key_result_id)
        box = self.query_one("#history-box")
        if kr is None:
            self.dismiss(None)
            return
        box.border_title = Content(f"{kr.ref} {kr.title} · check-ins")  # literal: no markup
        box.border_subtitle = "enter correct · / filter · esc close"
        tz = self.session.workspace.get("timezone") or "UTC"
        kickoff = self.session.workspace.get("kickoff_date")
        start = date.fromisoformat(kickoff) if kickoff else None
        rows = okrs.history(store, self.key_result_id)
        self.rows = {r["id"]: r for r in rows}
        unit = f" {kr.unit}" if kr.unit else ""
        table = self.query_one(DataTable)
        keep = self._current_id()
        table.clear(columns=True)
        columns = ["#", "Date", "Value", "Conf", "By", "Note"]
        lines: list[tuple[str, list[Text]]] = []
        for r in rows:
            day = local_day(r["at"], tz)
            struck = "strike dim" if r["corrected_by"] else ""
            note = r["note"] or ""
            if r["corrects_num"]:
                note = f"corrects #{r['corrects_num']}" + (f": {note}" if note else "")
            if r["corrected_by"]:
                note = "corrected" + (f" · {note}" if note else "")
            lines.append(
                (
                    r["id"],
                    [
                        Text(str(r["num"]), style="dim"),
                        Text(f"{day:%b} {day.day}" if day else "–", style=struck),
                        Text(
                            ("–" if r["value"] is None else format_number(r["value"])) + unit,
                            style=struck or "bold",
                        ),
                        Text(
                            "–" if r["confidence"] is None else f"{r['confidence']}/10",
                            style=struck,
                        ),
                        Text((r["author_name"] or "").split(" ")[0], style=struck),
                        Text(
                            " ".join(note.split()), style=struck, overflow="ellipsis", no_wrap=True
                        ),
                    ],
                )
            )
        widths = [
            max([len(name), *(cells[i].cell_len for _, cells in lines)])
            for i, name in enumerate(columns)
        ]
        room = (
            (self.query_one("#history-box").content_size.width or 96)
            - sum(widths[:-1])
            - 2 * len(columns)
            - 2
        )
        widths[-1] = max(10, min(widths[-1], room))
        for name, width in zip(columns, widths):
            table.add_column(name, key=name, width=width)
        for key, cells in lines:
            table.add_row(*cells, key=key)
        if not move_to_key(table, keep) and rows:
            table.move_cursor(row=len(rows) - 1)
        target = kr.target if kr.kind != "binary" else 1.0
        points = points_from(
            ((r["at"], r["value"]) for r in rows if not r["corrected_by"]),
            start or clock.today(tz),
            tz,
        )
        self.query_one(OkrPlot).show(points, target, kr.baseline)
        self.query_one("#history-help", Static).update(
            f"{len(rows)} check-ins · target {'–' if target is None else format_number(target)}"
            f"{unit} · struck-through rows were corrected and no longer count"
        )

    def on_workspace_changed(self) -> None:
        """A teammate's check-in (or a sync) shows up while the history is open."""
        self.reload()

    def _current_id(self) -> str | None:
        return cursor_key(self.query_one(DataTable))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_correct()

    @changes
    @opens_form("okr-history-form")
    async def action_correct(self) -> None:
        """Correct the highlighted check-in (a new check-in in its place)."""
        row = self.rows.get(self._current_id() or "")
        if row is None:
            self.notify("No check-ins yet: press c on the key result to record one.", markup=False)
            return
        if row["corrected_by"]:
            fix = self.rows.get(row["corrected_by"])
            self.notify(
                f"Check-in #{row['num']} was already corrected by #{fix['num'] if fix else '?'}; "
                "correct that one instead.",
                markup=False,
            )
            return
        found = self.store.get("key_result", self.key_result_id)
        kind = (found or {}).get("kind") or "increase_to"
        result = await self.app.push_screen_wait(
            FormScreen(
                f"Correct check-in #{row['num']}",
                correction(row["value"], row["note"], confidence(row["confidence"])),
                submit="Correct",
                check=lambda v: value_check(kind, v),
            )
        )
        if result is None:
            return
        saved = self.session.edit(
            okrs.correct_check_in,
            self.store,
            row["id"],
            value=result["value"],
            confidence=result["confidence"],
            note=result["note"],
            author_id=me(self.store),
        )
        if saved:
            self.reload()

    def action_close(self) -> None:
        """esc: clear the filter first (if any), else close."""
        if not self.clear_filter():
            self.dismiss(None)
