"""`2`: objectives and their key results — progress, grade, confidence, pace, trend, nudges.

A grouped table: each objective with its weighted roll-up, then its key results. Narrow terminals
drop the owner, kind, values and cards columns; the panel under the table shows everything about
the highlighted row. The "needs attention" strip above the table says which key results have gone
two weeks without a check-in or are at risk by pace, and which objectives have too few or too many
key results.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr import KIND_LABELS, KR_KINDS
from kickoff_tui.rules.status import TREND_MARK, labelled, rag_mark
from kickoff_tui.screens.base import FilteredScreen
from kickoff_tui.screens.check_in import check_in
from kickoff_tui.store import okrs, queries
from kickoff_tui.store.okrs import KrView, ObjectiveView, OkrView
from kickoff_tui.store.ops import Store
from kickoff_tui.store.standups import me
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen
from kickoff_tui.widgets.form_fields import confidence
from kickoff_tui.widgets.kpi_table import KpiPanel
from kickoff_tui.widgets.okr_plot import OkrPlot, points_from
from kickoff_tui.widgets.sparkline import sparkline
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, PACE, RAG, TREND, WARN, Toned, strong

KIND_SHORT = {
    "increase_to": "incr.",
    "decrease_to": "decr.",
    "stay_above": "above",
    "stay_below": "below",
    "milestone": "miles.",
    "binary": "binary",
}
#: From this width the table also shows owner, values and linked cards; from WIDEST the kind
#: too (below it, the values say it: "keep ≥ 99.9", "2 → 5 milestones", and the panel names it).
WIDE = 110
WIDEST = 140
#: From this height the highlighted key result's check-ins are plotted under the panel.
TALL = 34
CHECKINS = "checkins"  # the "progress from" choice meaning: from check-ins (stored as NULL)
DELETE_KRS = "__delete__"


def bar(progress: float, width: int = 10) -> str:
    filled = round(min(max(progress, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled)


def _first(name: str | None) -> str:
    return (name or "").split(" ")[0]


class OkrScreen(FilteredScreen):
    """Each objective with its weighted roll-up, then its key results."""

    CSS_PATH = "okrs.tcss"
    MODE = "okrs"
    LABEL = "OKRs"
    HELP = (
        "Objectives and their key results, with progress, confidence and pace against the "
        "90 days. Grades: ●G green ≥ 70%, ▲Y yellow 40–70%, ■R red below."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "check_in", "Check-in", id="okrs.check_in"),
        Binding(
            "n", "new", "New", tooltip="New key result (objective row) or objective", id="okrs.new"
        ),
        Binding("o", "new_objective", "New objective", show=False, id="okrs.new_objective"),
        Binding("enter", "edit", "Edit", id="okrs.edit"),
        Binding("d", "delete", "Delete", id="okrs.delete"),
        Binding("h", "history", "History", id="okrs.history"),
        Binding("b", "board", "Cards", tooltip="Board filtered to its cards", id="okrs.cards"),
        Binding(
            "R",
            "app.okr_review",
            "Review",
            key_display="R",
            show=False,
            tooltip="Monthly OKR review",
            id="okrs.okr_review",
        ),
    ]
    EXTRA_HELP: ClassVar[list[tuple[str, str]]] = [
        ("click a row twice", "Edit that objective or key result"),
        ("ctrl+z", "Undo the last check-in, edit or delete"),
        ("tab", "To the KPI table and back: there r records a reading, n, enter, d, h"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: OkrView | None = None
        self.rows: dict[str, ObjectiveView | KrView] = {}
        self._width: int | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="okr-attention")
        yield KeyTable(id="okr-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="okr-detail")
        yield OkrPlot(id="okr-plot")
        yield KpiPanel(id="kpi-panel")

    # ------------------------------------------------------------------ reading

    @property
    def table(self) -> KeyTable:
        return self.query_one("#okr-table", KeyTable)

    def filter_lists(self) -> list[Widget]:
        """`/` narrows the key results and the KPIs alike."""
        return [self.table, self.query_one(KpiPanel).table]

    def on_resize(self) -> None:
        if self._width is not None and self._width != self.size.width:
            self.load()
        else:
            self._show_plot(self.current())
            self.query_one(KpiPanel).fold()

    def reload(self) -> None:
        keep = self.current_id()
        data = okrs.view(self.store)
        self.data = data
        self.rows = {}
        self._width = self.size.width or self.app.size.width
        columns = ["#", "Objective / key result"]
        if self._width >= WIDE:
            columns += [
                "Owner",
                *(["Kind"] if self._width >= WIDEST else []),
                "Base → now → target",
            ]
        columns += ["Progress", "Conf", "Pace", "Trend", "Last"]
        if self._width >= WIDE:
            columns += ["Cards"]
        rows: list[tuple[str, list[Text]]] = []
        for obj in data.objectives:
            self.rows[obj.id] = obj
            cells = self._objective_cells(obj)
            rows.append((obj.id, [cells.get(name, Text("")) for name in columns]))
            for kr in obj.key_results:
                self.rows[kr.id] = kr
                cells = self._kr_cells(kr)
                rows.append((kr.id, [cells.get(name, Text("")) for name in columns]))
        table = self.table
        set_columns(
            table,
            columns,
            [row for _, row in rows],
            fill="Objective / key result",
            width=self._width,
            fill_min=14,
            key=str,
        )
        for key, row_cells in rows:
            table.add_row(*row_cells, key=key)
        move_to_key(table, keep)
        self._show_attention(data)
        self._show_detail()
        self.query_one(KpiPanel).reload(self._width)

    @on(KpiPanel.Saved)
    def _kpi_saved(self, message: KpiPanel.Saved) -> None:
        self.show_record(message.kpi_id)

    @on(KpiPanel.HistoryAsked)
    def _kpi_history(self, message: KpiPanel.HistoryAsked) -> None:
        from kickoff_tui.screens.kpi_history import KpiHistoryScreen

        self.app.push_screen(KpiHistoryScreen(message.kpi_id))

    def cursor_to(self, record_id: str) -> None:
        """A key result or objective in the OKR table, or a KPI in the KPI table."""
        if not self.query_one(KpiPanel).cursor_to(record_id):
            super().cursor_to(record_id)

    @staticmethod
    def _objective_cells(obj: ObjectiveView) -> dict[str, Text]:
        """The objective's row by column name (columns a width leaves out are not shown)."""
        return {
            "#": Toned(
                ("⚠" if obj.conflict else "") + obj.ref,
                style=strong(WARN) if obj.conflict else "bold",
            ),
            "Objective / key result": Text(
                obj.title, style="bold", overflow="ellipsis", no_wrap=True
            ),
            "Owner": Text(_first(obj.owner_name)),
            "Base → now → target": Text(f"{len(obj.key_results)} KRs", style="dim"),
            "Progress": Toned(
                f"{rag_mark(obj.grade)} {bar(obj.progress, 6)} {obj.progress:>4.0%}",
                style=strong(RAG[obj.grade]),
            ),
            "Pace": Toned(labelled(obj.pace), style=PACE.get(obj.pace, "")),
        }

    @staticmethod
    def _kr_cells(kr: KrView) -> dict[str, Text]:
        """The key result's row by column name."""
        if kr.days_since is None:
            last = Toned("never", style=strong(BAD) if kr.stale else "dim")
        else:
            last = Toned(f"{kr.days_since}d", style=strong(BAD) if kr.stale else "")
        return {
            "#": Toned(("⚠" if kr.conflict else "") + kr.ref, style=WARN if kr.conflict else "dim"),
            "Objective / key result": Text(" " + kr.title, overflow="ellipsis", no_wrap=True),
            "Owner": Text(_first(kr.owner_name), style="" if kr.owner_name else "dim"),
            "Kind": Text(KIND_SHORT.get(kr.kind, kr.kind), style="dim"),
            "Base → now → target": Text(kr.value_text(), overflow="ellipsis", no_wrap=True),
            "Progress": Toned(
                f"{rag_mark(kr.grade)} {bar(kr.progress, 6)} {kr.progress:>4.0%}",
                style=RAG[kr.grade],
            ),
            "Conf": Toned(
                "–" if kr.confidence is None else f"{kr.confidence}/10",
                style=BAD if kr.confidence is not None and kr.confidence < 5 else "",
            ),
            "Pace": Toned(labelled(kr.pace), style=PACE.get(kr.pace, "")),
            "Trend": Toned(
                sparkline(kr.values, 6) + TREND_MARK.get(kr.trend, ""),
                style=TREND[kr.trend],
            ),
            "Last": last,
            "Cards": Text(
                f"{kr.cards_done}/{kr.cards}" if kr.cards else "–", style="" if kr.cards else "dim"
            ),
        }

    def _show_attention(self, data: OkrView) -> None:
        strip = self.query_one("#okr-attention", Static)
        if not data.nudges:
            strip.update(
                Content.styled(
                    "✓ Nothing needs attention: every key result checked in "
                    "within 14 days and none at risk by pace.",
                    "$text-success",
                )
            )
            strip.set_class(False, "-warn")
            return
        groups: dict[str, list[str]] = {}
        for n in data.nudges:
            if n.kind == "pace":
                kr = data.key_result(n.row_id or "")
                groups.setdefault("At risk by pace", []).append(
                    f"{n.ref} {kr.progress:.0%}" if kr else n.ref
                )
            elif n.kind == "stale":
                kr = data.key_result(n.row_id or "")
                since = "never" if kr is None or kr.days_since is None else f"{kr.days_since}d"
                groups.setdefault("No check-in for 14 days", []).append(f"{n.ref} ({since})")
            else:
                groups.setdefault("Shape", []).append(f"{n.ref} {n.reason}")
        parts = [Content.styled("Needs attention ", "bold $text-warning")]
        lines = []
        for label, items in groups.items():
            lead = "" if label == "Shape" else f"{label}: "
            lines.append(Content.assemble((lead, "bold"), " · ".join(items)))
        strip.update(Content.assemble(*parts, Content("\n").join(lines)))
        strip.set_class(True, "-warn")

    def current_id(self) -> str | None:
        return cursor_key(self.table)

    def current(self) -> ObjectiveView | KrView | None:
        return self.rows.get(self.current_id() or "")

    def current_kr(self) -> KrView | None:
        row = self.current()
        if isinstance(row, KrView):
            return row
        self.notify(
            "Pick a key result first (the rows under an objective)."
            if row
            else "No key results yet: press n to add an objective.",
            markup=False,
        )
        return None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#okr-detail", Static)
        row = self.current()
        self._show_plot(row)
        if row is None:
            detail.update(
                Content.styled(
                    "The filter hides every objective and key result. esc clears it."
                    if self.table.offered
                    else "No objectives yet. Press n to add the first one (3–5 objectives, "
                    "2–4 key results each).",
                    "$text-muted",
                )
            )
            return
        if isinstance(row, ObjectiveView):
            facts = [
                Content.styled(f"{rag_mark(row.grade)} {row.progress:.0%}", strong(RAG[row.grade])),
                Content(labelled(row.pace)),
                Content(row.owner_name or "no owner"),
                Content(f"{len(row.key_results)} key results"),
                Content(f"weight {format_number(row.weight)}"),
            ]
            if row.conflict:
                facts.append(Content.styled("⚠ edited on two machines", "bold $text-warning"))
            lines = [
                Content.assemble((f"{row.ref} ", "$text-muted"), (row.title, "bold")),
                Content(" · ").join(facts),
            ]
            if row.description:
                lines.append(Content(" ".join(row.description.split())))
            lines.append(Content.styled("n new key result · enter edit · d delete", "$text-muted"))
            detail.update(Content("\n").join(lines))
            return
        kr = row
        facts = [
            Content(KIND_LABELS.get(kr.kind, kr.kind)),
            Content(kr.value_text()),
            Content.styled(f"{rag_mark(kr.grade)} {kr.progress:.0%}", strong(RAG[kr.grade])),
            Content(labelled(kr.pace)),
            Content("confidence –" if kr.confidence is None else f"confidence {kr.confidence}/10"),
        ]
        when = (
            "no check-in yet"
            if kr.days_since is None
            else "checked in today"
            if kr.days_since == 0
            else f"last check-in {kr.days_since} day{'s' if kr.days_since != 1 else ''} ago"
        )
        more = [Content(kr.owner_name or "no owner"), Content(when)]
        if kr.cards:
            more.append(
                Content(
                    f"cards {kr.cards_done}/{kr.cards} done"
                    + (" (drive its progress)" if kr.from_cards else "")
                )
            )
        else:
            more.append(Content.styled("no linked cards", "$text-muted"))
        if kr.due:
            more.append(Content(f"due {kr.due}"))
        if kr.conflict:
            more.append(Content.styled("⚠ edited on two machines", "bold $text-warning"))
        lines = [
            Content.assemble((f"{kr.ref} ", "$text-muted"), (kr.title, "bold")),
            Content(" · ").join(facts),
            Content(" · ").join(more),
            Content.styled(
                "c check-in · h history · b cards on the board · enter edit", "$text-muted"
            ),
        ]
        detail.update(Content("\n").join(lines))

    def _show_plot(self, kr: ObjectiveView | KrView | None) -> None:
        """Plot a key result's check-ins under the panel when the screen is tall enough."""
        plot = self.query_one("#okr-plot", OkrPlot)
        shown = isinstance(kr, KrView) and (self.size.height or self.app.size.height) >= TALL
        if plot.display != shown:
            plot.display = shown  # only this widget changes: no restyle of the whole screen
        if not isinstance(kr, KrView) or not shown:
            return
        ws = self.session.workspace
        tz = ws.get("timezone") or "UTC"
        try:
            kickoff = date.fromisoformat(ws.get("kickoff_date") or "")
        except ValueError:
            kickoff = clock.today(tz)
        target = 1.0 if kr.kind == "binary" else kr.target
        plot.show(points_from(zip(kr.checked_at, kr.values), kickoff, tz), target, kr.baseline)

    # ------------------------------------------------------------------ check-in

    @changes
    @opens_form("okr-form")
    async def action_check_in(self) -> None:
        """Record a check-in on the highlighted key result."""
        kr = self.current_kr()
        if kr is not None:
            await check_in(self.app, self.store, kr, me(self.store))

    # ------------------------------------------------------------------ forms

    def _people(self, owner: str | None = None) -> list[tuple[str, str]]:
        return [
            (p["name"] or p["handle"] or "?", p["id"])
            for p in queries.people(self.store, keep=[owner])
        ]

    def _objective_fields(self, obj: ObjectiveView | None) -> list[Field]:
        return [
            Field(
                "title",
                "Objective",
                value=obj.title if obj else None,
                required=True,
                max_len=200,
                hint="qualitative and inspiring, e.g. Launch self-serve onboarding",
            ),
            Field(
                "owner_id",
                "Owner",
                kind="choice",
                choices=self._people(obj.owner_id if obj else None),
                value=obj.owner_id if obj else me(self.store),
            ),
            Field(
                "weight",
                "Weight",
                kind="number",
                value=obj.weight if obj else 1.0,
                hint="its share in the roll-up; greater than 0",
            ),
            Field(
                "description",
                "Description",
                kind="textarea",
                value=obj.description if obj else None,
            ),
        ]

    def _kr_fields(self, kr: KrView | None, objective_id: str) -> list[Field]:
        assert self.data is not None
        objectives = [(f"{o.ref} {o.title}", o.id) for o in self.data.objectives]
        stored = self.store.get("key_result", kr.id) if kr else None
        return [
            Field(
                "title",
                "Key result",
                value=kr.title if kr else None,
                required=True,
                max_len=200,
                hint="measurable, e.g. Weekly activated teams",
            ),
            Field(
                "objective_id",
                "Objective",
                kind="choice",
                choices=objectives,
                value=objective_id,
                required=True,
            ),
            Field(
                "kind",
                "Kind",
                kind="choice",
                required=True,
                choices=[(KIND_LABELS[k], k) for k in KR_KINDS],
                value=kr.kind if kr else "increase_to",
            ),
            Field(
                "baseline",
                "Baseline",
                kind="number",
                value=stored["baseline"] if stored else 0.0,
                hint="where it starts, e.g. 40",
            ),
            Field(
                "target",
                "Target",
                kind="number",
                value=stored["target"] if stored else None,
                hint="120, 99.9, 45%; binary: empty",
            ),
            Field(
                "unit", "Unit", value=kr.unit if kr else None, max_len=20, hint="teams, %, days…"
            ),
            Field(
                "owner_id",
                "Owner",
                kind="choice",
                choices=self._people(kr.owner_id if kr else None),
                value=kr.owner_id if kr else me(self.store),
            ),
            Field(
                "weight",
                "Weight",
                kind="number",
                value=kr.weight if kr else 1.0,
                hint="its share in the objective's roll-up; greater than 0",
            ),
            confidence(kr.confidence if kr else 5),
            Field(
                "due",
                "Due",
                kind="date",
                value=kr.due if kr else None,
                hint="2027-01-15, +30d, friday",
            ),
            Field(
                "progress_from",
                "Progress from",
                kind="choice",
                required=True,
                choices=[
                    ("check-ins", CHECKINS),
                    ("linked cards, done/total (milestone)", "cards"),
                ],
                value="cards" if kr and kr.from_cards else CHECKINS,
            ),
        ]

    @staticmethod
    def _kr_values(result: dict[str, Any]) -> dict[str, Any]:
        values = dict(result)
        if values.get("progress_from") == CHECKINS:
            values["progress_from"] = None
        if isinstance(values.get("due"), date):
            values["due"] = values["due"].isoformat()
        return values

    def _kr_check(self, values: dict[str, Any]) -> dict[str, str]:
        return okrs.key_result_problems(self._kr_values(values))

    @changes
    @opens_form("okr-form")
    async def action_new(self) -> None:
        """A new key result in the highlighted objective, or a new objective when there is none."""
        row = self.current()
        if row is None:
            await self._new_objective()
            return
        objective_id = row.id if isinstance(row, ObjectiveView) else row.objective_id
        obj = self.data.objective(objective_id) if self.data else None
        title = f"New key result for {obj.ref}" if obj else "New key result"
        result = await self.app.push_screen_wait(
            FormScreen(title, self._kr_fields(None, objective_id), check=self._kr_check)
        )
        if result is None:
            return
        new_id = self.session.edit(okrs.save_key_result, self.store, self._kr_values(result))
        self.show_record(new_id)

    @changes
    @opens_form("okr-form")
    async def action_new_objective(self) -> None:
        """A new objective at the end."""
        await self._new_objective()

    async def _new_objective(self) -> None:
        result = await self.app.push_screen_wait(
            FormScreen("New objective", self._objective_fields(None), check=okrs.objective_problems)
        )
        if result is None:
            return
        new_id = self.session.edit(okrs.save_objective, self.store, result)
        self.show_record(new_id)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    @changes
    @opens_form("okr-form")
    async def action_edit(self) -> None:
        """Edit the highlighted objective or key result."""
        row = self.current()
        if row is None:
            self.notify("Nothing to edit yet: press n to add an objective.", markup=False)
            return
        if isinstance(row, ObjectiveView):
            result = await self.app.push_screen_wait(
                FormScreen(
                    f"Edit {row.ref}", self._objective_fields(row), check=okrs.objective_problems
                )
            )
            if result is not None:
                self.session.edit(okrs.save_objective, self.store, result, row.id)
            return
        result = await self.app.push_screen_wait(
            FormScreen(
                f"Edit {row.ref}", self._kr_fields(row, row.objective_id), check=self._kr_check
            )
        )
        if result is not None:
            self.session.edit(okrs.save_key_result, self.store, self._kr_values(result), row.id)

    @changes
    @opens_form("okr-form")
    async def action_delete(self) -> None:
        """Delete the highlighted row (an objective's key results: delete or move them)."""
        row = self.current()
        if row is None:
            return
        if isinstance(row, KrView):
            checkins = len(row.values)
            detail = (
                f"Its {checkins} check-ins stay in the file"
                + (f"; its {row.cards} cards lose the link" if row.cards else "")
                + ". ctrl+z undoes it."
            )
            await self._delete_if_confirmed(row, detail, okrs.delete_key_result)
            return
        if not row.key_results:
            detail = "It has no key results. ctrl+z undoes it."
            await self._delete_if_confirmed(row, detail, okrs.delete_objective)
            return
        assert self.data is not None
        count = len(row.key_results)
        choices = [(f"Delete its {count} key results too", DELETE_KRS)]
        choices += [
            (f"Move them to {o.ref} {o.title}", o.id)
            for o in self.data.objectives
            if o.id != row.id
        ]
        result = await self.app.push_screen_wait(
            FormScreen(
                Content(f"Delete {row.ref} {row.title}?"),
                [
                    Field(
                        "krs",
                        f"Its {count} KRs",
                        kind="choice",
                        choices=choices,
                        required=True,
                        value=DELETE_KRS if len(choices) == 1 else None,
                        hint="ctrl+z undoes the whole delete",
                    ),
                ],
                submit="Delete",
            )
        )
        if result is None:
            return
        move_to = None if result["krs"] == DELETE_KRS else result["krs"]
        self.session.edit(okrs.delete_objective, self.store, row.id, move_to=move_to)

    async def _delete_if_confirmed(
        self, row: ObjectiveView | KrView, detail: str, delete: Callable[[Store, str], object]
    ) -> None:
        """Ask "Delete O1 …?" with `detail`; on yes, `delete` the row in one undoable edit."""
        if await self.app.push_screen_wait(
            ConfirmScreen(f"Delete {row.ref} {row.title}?", detail=detail)
        ):
            self.session.edit(delete, self.store, row.id)

    # ------------------------------------------------------------------ history, board

    def action_history(self) -> None:
        """Show the highlighted key result's check-ins: a table and a plot; correct one there."""
        kr = self.current_kr()
        if kr is None:
            return
        from kickoff_tui.screens.okr_history import OkrHistoryScreen

        self.app.push_screen(OkrHistoryScreen(kr.id))

    def action_board(self) -> None:
        """Show the board filtered to the highlighted key result's cards."""
        kr = self.current_kr()
        if kr is None:
            return
        self.app.open_board(f"kr:{kr.num}")
