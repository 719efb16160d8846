"""A KPI's history: its readings against the baseline → 30 → 90-day target line, and a table.

`enter` (or `e`) corrects the highlighted reading: the correction is a new reading on the same
day and the original stays in the table, struck through. `r` records a new reading.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store import kpis
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.kpi_plot import KpiPlot
from kickoff_tui.widgets.okr_plot import points_from
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key
from kickoff_tui.widgets.with_session import WithSession


class KpiHistoryScreen(WithSession, ModalScreen[None], ListFilter):
    """Readings of one KPI, oldest first, with corrections, under a plot."""

    CSS_PATH = "kpi_history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,q", "close", "Close", id="kpi_history.close"),
        Binding("e", "correct", "Correct", id="kpi_history.correct"),
        Binding("r", "record", "Record", id="kpi_history.record"),
        FILTER_KEY,
    ]

    def __init__(self, kpi_id: str) -> None:
        super().__init__()
        self.kpi_id = kpi_id
        self.rows: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="kpi-history-box"):
            yield KpiPlot(id="kpi-history-plot")
            yield KeyTable(id="kpi-history-table", cursor_type="row", zebra_stripes=True)
            yield from self.compose_filter()
            yield Static(id="kpi-history-help", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#kpi-history-table", KeyTable)

    def refilter(self) -> None:
        self.reload()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        store = self.session.store
        k = kpis.find(store, self.kpi_id)
        if k is None:
            self.dismiss(None)
            return
        box = self.query_one("#kpi-history-box")
        box.border_title = Content(f"{k.ref} {k.name} · readings")  # literal: no markup
        box.border_subtitle = "r record · enter correct · / filter · esc close"
        rows = kpis.history(store, self.kpi_id)
        self.rows = {r["id"]: r for r in rows}
        unit = f" {k.unit}" if k.unit else ""
        table = self.query_one(DataTable)
        keep = cursor_key(table)
        table.clear(columns=True)
        for name in ("#", "Day", "Period", "Value", "By"):
            table.add_column(name, key=name)
        table.add_column("Note", key="Note", width=30)
        for r in rows:
            struck = "strike dim" if r["corrected_by"] else ""
            day = _day(r["at"])
            note = r["note"] or ""
            if r["corrects_num"]:
                note = f"corrects #{r['corrects_num']}" + (f": {note}" if note else "")
            if r["corrected_by"]:
                note = "corrected" + (f" · {note}" if note else "")
            value = "–" if r["value"] is None else format_number(r["value"]) + unit
            table.add_row(
                Text(str(r["num"]), style="dim"),
                Text(f"{day:%b} {day.day}" if day else "?⚠", style=struck),
                Text(kpis.period_label(day, k.frequency) if day else "", style=struck or "dim"),
                Text(value, style=struck or "bold"),
                Text((r["author_name"] or "").split(" ")[0], style=struck),
                Text(" ".join(note.split()), style=struck, overflow="ellipsis", no_wrap=True),
                key=r["id"],
            )
        if not move_to_key(table, keep) and rows:
            table.move_cursor(row=len(rows) - 1)
        kickoff = self.session.workspace.get("kickoff_date")
        tz = self.session.workspace.get("timezone") or "UTC"
        start = _day(kickoff) or clock.today(tz)
        counted = [(r["at"], r["value"]) for r in rows if not r["corrected_by"] and _day(r["at"])]
        self.query_one(KpiPlot).show(
            points_from(counted, start, tz),
            baseline=k.baseline,
            target_30=k.target_30,
            target_90=k.target_90,
            threshold=k.threshold,
        )
        state = (
            f"⚠ {k.assessment.under_run} {kpis.PERIOD_WORD[k.frequency]}s past the threshold"
            if k.nudged
            else "no reading last period"
            if k.missing
            else f"30 days {k.status_30} · 90 days {k.status_90}"
        )
        self.query_one("#kpi-history-help", Static).update(
            f"{len(rows)} readings · {k.targets_text()} · threshold {k.number(k.threshold)} · "
            f"{state} · struck-through rows were corrected"
        )

    def on_workspace_changed(self) -> None:
        """A teammate's reading (or a sync) shows up while the history is open."""
        self.reload()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_correct()

    @changes
    @opens_form("kpi-history-form")
    async def action_correct(self) -> None:
        """Correct the highlighted reading (a new reading in its place)."""
        from kickoff_tui.widgets.kpi_forms import correction_form, me_id

        row = self.rows.get(cursor_key(self.query_one(DataTable)) or "")
        if row is None:
            self.notify("No readings yet: press r to record one.", markup=False)
            return
        if row["corrected_by"]:
            fix = self.rows.get(row["corrected_by"])
            self.notify(
                f"Reading #{row['num']} was already corrected by #{fix['num'] if fix else '?'}; "
                "correct that one instead.",
                markup=False,
            )
            return
        result = await self.app.push_screen_wait(
            correction_form(row["num"], row["value"], row["note"])
        )
        if result is None:
            return
        session = self.session
        if session.edit(
            kpis.correct_reading,
            session.store,
            row["id"],
            value=result["value"],
            note=result["note"],
            author_id=me_id(session),
        ):
            self.reload()

    @changes
    @opens_form("kpi-history-form")
    async def action_record(self) -> None:
        """Record a new reading (prefilled with the period to record)."""
        from kickoff_tui.widgets.kpi_forms import record_reading

        k = kpis.find(self.session.store, self.kpi_id)
        if k is None:
            return
        if await record_reading(self.app, self.session, k) is not None:
            self.reload()

    def action_close(self) -> None:
        """esc: clear the filter first (if any), else close."""
        if not self.clear_filter():
            self.dismiss(None)


def _day(value: Any) -> date | None:
    from kickoff_tui.rules import domains

    return domains.day(value)
