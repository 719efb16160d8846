"""`3`: the risk matrix — a 5 × 5 likelihood × impact grid over the risk register.

The grid (impact across, likelihood up) shows how many risks sit in each cell, coloured by
band; `t` switches between inherent and residual (after mitigation) positions. Under it, the
list of risks in the selected cell (or all of them, by score). Shift+arrows move the selected
risk on the grid; each move is one undoable edit and lands in the risk's score history (`h`).
Risks past their review or mitigation date, and high risks without an owner or a mitigation,
are listed in the "needs attention" strip.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.risk import (
    IMPACT_LABELS,
    IMPACT_SHORT,
    LIKELIHOOD_LABELS,
    LIKELIHOOD_SHORT,
    STATUSES,
    TREATMENTS,
    band,
    residual_problem,
)
from kickoff_tui.rules.status import labelled, shape
from kickoff_tui.screens.base import KickoffScreen, card_ref_parser
from kickoff_tui.screens.list_filter import ListFilter
from kickoff_tui.store import queries
from kickoff_tui.store import risks as rk
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen
from kickoff_tui.widgets.form_fields import grid_cell, levels
from kickoff_tui.widgets.risk_detail import Cell, RiskDetail, cell_name, short_date
from kickoff_tui.widgets.risk_grid import RiskGrid
from kickoff_tui.widgets.tables import KeyTable, fields_text, fill_filtered, passes_filter
from kickoff_tui.widgets.tones import BAD, BAND, Toned, strong

#: From this width the list has a column for everything; below, treatment is in the panel.
WIDE = 110
#: From this height the grid's cells are three lines tall.
TALL = 34
#: What the `/` filter matches besides the list's cells (some show only from WIDE columns, or
#: not at all).
SEARCHED = (
    "owner_name",
    "owner_handle",
    "cause",
    "consequence",
    "mitigation",
    "treatment",
    "status",
    "band",
)


class RiskScreen(ListFilter, KickoffScreen):
    """The risk matrix and the register under it; `/` narrows both (screens/list_filter.py:
    not `base.FilteredScreen`, whose hidden `/` would come first in this footer)."""

    CSS_PATH = "risks.tcss"
    MODE = "risks"
    LABEL = "Risks"
    HELP = (
        "Risks on a 5 × 5 likelihood × impact grid, coloured by band (low 1–4, "
        "medium 5–10, high 12–25), with owners, mitigations and review dates."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "t",
            "toggle_residual",
            "Residual",
            tooltip="Grid: inherent or residual positions",
            id="risks.toggle_residual",
        ),
        Binding("n", "new", "New", tooltip="New risk in the selected cell", id="risks.new"),
        Binding("e", "edit", "Edit", tooltip="Edit the selected risk", id="risks.edit"),
        Binding(
            "d",
            "delete",
            "Delete",
            tooltip="Delete the selected risk (asks first)",
            id="risks.delete",
        ),
        Binding(
            "h",
            "history",
            "History",
            tooltip="Score history of the selected risk",
            id="risks.history",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter by title, owner, cause, status…",
            id="risks.filter",
        ),
        Binding(
            "shift+up",
            "move(1, 0)",
            "Likelihood +1",
            show=False,
            tooltip="Selected risk: one step more likely",
            id="risks.move_up",
        ),
        Binding(
            "shift+down",
            "move(-1, 0)",
            "Likelihood −1",
            show=False,
            tooltip="Selected risk: one step less likely",
            id="risks.move_down",
        ),
        Binding(
            "shift+right",
            "move(0, 1)",
            "Impact +1",
            show=False,
            tooltip="Selected risk: one step more impact",
            id="risks.move_right",
        ),
        Binding(
            "shift+left",
            "move(0, -1)",
            "Impact −1",
            show=False,
            tooltip="Selected risk: one step less impact",
            id="risks.move_left",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Back: filter → list → grid → all risks",
            id="risks.back",
        ),
    ]
    EXTRA_HELP: ClassVar[list[tuple[str, str]]] = [
        ("enter", "Grid: that cell's risks · list: edit"),
        ("click a cell twice", "Go to that cell's risks"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.residual = False
        #: The cell whose risks the list shows; None: all risks.
        self.scope: Cell | None = None
        self.register: list[dict[str, Any]] = []
        self.rows: dict[str, dict[str, Any]] = {}
        self.selected_id: str | None = None
        #: How many risks the filter lets through (all of them without one).
        self.matching = 0
        self._width: int | None = None
        self._placed = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="risk-top"):
            with Vertical(id="risk-matrix"):
                yield RiskGrid(id="risk-grid")
                yield Static(id="risk-caption", markup=False)
            yield RiskDetail(id="risk-detail", markup=False)
        yield Static(id="risk-attention", markup=False)
        yield KeyTable(id="risk-table", cursor_type="row", zebra_stripes=True)

    # ------------------------------------------------------------------ parts

    @property
    def grid(self) -> RiskGrid:
        return self.query_one("#risk-grid", RiskGrid)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#risk-table", KeyTable)

    def on_mount(self) -> None:
        # KickoffScreen.on_mount runs after this one (Textual calls both): it loads the data.
        self._size_classes()
        self.grid.focus()

    def on_resize(self) -> None:
        self._size_classes()
        if self._width is not None and self._width != self.size.width:
            self.load()

    def _size_classes(self) -> None:
        size = self.size if self.size.width else self.app.size
        self.set_class(size.height >= TALL, "-tall")
        self.set_class(size.width >= WIDE, "-wide")

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        tz = self.session.workspace.get("timezone") or "UTC"
        self.register = rk.register(self.store, clock.today(tz))
        if not self._placed and self.register:
            # Start on the cell of the highest risk, showing every risk.
            self.grid.move_to(rk.position(self.register[0], False))
            self._placed = True
        self._show()

    def _score_of(self, r: dict[str, Any]) -> int:
        return r["residual_score"] if self.residual else r["score"]

    def _show(self) -> None:
        """Draw the grid, the list, the strip and the panel from the register in memory; the
        `/` filter narrows the grid and the list alike."""
        self._width = self.size.width or self.app.size.width
        wide = self._width >= WIDE
        rows = {r["id"]: (self._cells(r, wide), fields_text(r, SEARCHED)) for r in self.register}
        visible = [r for r in self.register if passes_filter(rows[r["id"]], self.filter_words)]
        self.matching = len(visible)
        grid: dict[Cell, list[tuple[int, bool]]] = {}
        for r in sorted(visible, key=lambda r: r["num"]):
            grid.setdefault(rk.position(r, self.residual), []).append((r["num"], r["conflict"]))
        offered = [
            r
            for r in self.register
            if self.scope is None or rk.position(r, self.residual) == self.scope
        ]
        other = "score" if self.residual else "residual_score"
        offered.sort(key=lambda r: (-self._score_of(r), -r[other], r["num"]))
        ids = {r["id"] for r in visible}
        self.rows = {r["id"]: r for r in offered if r["id"] in ids}
        self.selected_id = fill_filtered(
            self.table,
            self._columns(wide),
            {r["id"]: rows[r["id"]] for r in offered},
            fill="Risk",
            width=self._width,
            keep=self.selected_id,
        )
        selected = self.rows.get(self.selected_id or "")
        if selected is not None and self.scope is None:
            self.grid.move_to(rk.position(selected, self.residual))
        self.grid.show(grid, marked=selected["num"] if selected else None)
        self._show_caption()
        self._show_attention()
        self._show_detail()
        if self.filter_words:
            self.show_filter_count()

    def filter_counts(self) -> tuple[int, int]:
        """The risks the filter lets through, of the whole register (as the grid shows them,
        whichever cell the list is scoped to)."""
        return self.matching, len(self.register)

    def refilter(self) -> None:
        self._show()

    @staticmethod
    def _columns(wide: bool) -> list[str]:
        if wide:
            return [
                "#",
                "Risk",
                "Owner",
                "Score",
                "Residual",
                "Treatment",
                "Status",
                "Due",
                "Review",
            ]
        return ["#", "Risk", "Owner", "Score", "Status", "Due", "Review"]

    def _cells(self, r: dict[str, Any], wide: bool) -> list[Text]:
        flags = r["flags"]
        owner = r["owner_name"] or ""
        if owner and not wide:
            owner = owner.split(" ")[0]
        cells = [
            Text(f"R{r['num']}", style="dim"),
            Text(
                ("⚠ " if r["conflict"] else "") + (r["title"] or ""),
                overflow="ellipsis",
                no_wrap=True,
            ),
            Toned(
                owner or "no owner",
                style=strong(BAD) if "no owner" in flags else ("" if owner else "dim"),
            ),
        ]
        score, residual = r["score"], r["residual_score"]
        if wide:
            cells.append(Toned(f"{score:>2} {labelled(band(score))}", style=BAND[band(score)]))
            if r["mitigated"]:
                cells.append(
                    Toned.assemble(
                        ("→ ", "dim"),
                        (f"{residual:>2} {labelled(band(residual))}", BAND[band(residual)]),
                    )
                )
            else:
                cells.append(Text("–", style="dim"))
            cells.append(Text(r["treatment"] or ""))
        else:
            # Narrow: the band's shape after each score (12■→6▲), so it reads without colour.
            parts: list[tuple[str, str]] = [(f"{score:>2}{shape(band(score))}", BAND[band(score)])]
            if r["mitigated"]:
                parts += [
                    ("→", "dim"),
                    (f"{residual}{shape(band(residual))}", BAND[band(residual)]),
                ]
            cells.append(Toned.assemble(*parts))
        cells.append(Text(r["status"] or ""))
        cells.append(
            Toned(short_date(r["due"]), style=strong(BAD) if "mitigation overdue" in flags else "")
        )
        cells.append(
            Toned(
                short_date(r["next_review"]), style=strong(BAD) if "review overdue" in flags else ""
            )
        )
        return cells

    def _show_caption(self) -> None:
        count, total = self.matching, len(self.register)
        cell = self.grid.cursor
        n = self.grid.count(cell)
        s = cell[0] * cell[1]
        mode = "Residual" if self.residual else "Inherent"
        tall = self.has_class("-tall")
        if self.scope is None and self.filter_words:  # short: the cell's name comes first
            shown = f"list: {count} of {total}" if not tall else f"List: {count} of {total} risks"
        elif self.scope is None:
            shown = f"list: all {count}" if not tall else f"List: all {count} risks"
        else:
            shown = "list: cell" if not tall else "List: the risks in this cell (esc: all)"
        if self.filter_words and self.scope is not None:
            shown += ", filtered"
        name = (
            cell_name(cell)
            if tall or self.has_class("-wide")
            else (f"{LIKELIHOOD_SHORT[cell[0] - 1]}×{IMPACT_SHORT[cell[1] - 1]}")
        )
        first = Content.assemble(
            (mode, "bold"),
            f" · {name} ",
            (f"{s} {labelled(band(s))}", BAND[band(s)]),
            f" · {n}",
        )
        caption = Content("\n" if tall else " · ").join(
            [first, Content.styled(shown, "$text-muted")]
        )
        self.query_one("#risk-caption", Static).update(caption)

    def _show_attention(self) -> None:
        strip = self.query_one("#risk-attention", Static)
        flagged = rk.needing_attention(self.register)  # the whole register, filter or not
        strip.set_class(bool(flagged), "-flagged")
        if not flagged:
            strip.update(
                Content.styled(
                    "Nothing needs attention: reviews and mitigations are "
                    "on time; high risks have owners and plans.",
                    "$text-muted",
                )
            )
            return
        items = [
            Content.assemble((f"R{r['num']} ", "bold"), ", ".join(r["flags"])) for r in flagged
        ]
        strip.update(Content.assemble(("⚠ Needs attention: ", "bold"), Content(" · ").join(items)))

    def _show_detail(self) -> None:
        panel = self.query_one("#risk-detail", RiskDetail)
        r = self.rows.get(self.selected_id or "")
        if r is not None:
            panel.show(r, wide=self.has_class("-wide"))
        elif self.scope is not None:
            panel.say(f"No risks in {cell_name(self.scope)}. Press n to add one here.")
        elif self.filter_words:
            panel.say("No risk matches the filter. Press esc to clear it.")
        else:
            panel.say("No risks yet. Press n to add the first one in the selected cell.")

    # ------------------------------------------------------------------ selection

    def current(self, *, say: bool = True) -> dict[str, Any] | None:
        """The selected risk (the highlighted row of the list)."""
        found = self.rows.get(self.selected_id or "")
        if found is None and say:
            self.notify(
                "No risk selected: pick a cell with enter, or press n to add one.", markup=False
            )
        return found

    @on(DataTable.RowHighlighted, "#risk-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key not in self.rows:
            return  # a row of a list since redrawn
        if key == self.selected_id and self.grid.marked is not None:
            return
        self.selected_id = key
        r = self.rows.get(key or "")
        if r is not None:
            if self.scope is None:
                self.grid.move_to(rk.position(r, self.residual))
            self.grid.marked = r["num"]
            self.grid.refresh()
            self._show_caption()
        self._show_detail()

    @on(RiskGrid.Moved)
    def _cell_moved(self, event: RiskGrid.Moved) -> None:
        self.scope = event.cell
        self.selected_id = None
        self._show()

    @on(RiskGrid.Chosen)
    def _cell_chosen(self, event: RiskGrid.Chosen) -> None:
        self.scope = event.cell
        self.selected_id = None
        self._show()
        if self.rows:
            self.table.focus()
        else:
            self.notify(
                f"No risks in {cell_name(event.cell)}: press n to add one here.", markup=False
            )

    @on(DataTable.RowSelected, "#risk-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        """esc: clear the filter, then leave the list, then the cell (back to all risks)."""
        if self.clear_filter():
            return
        if self.table.has_focus:
            self.grid.focus()
        elif self.scope is not None:
            self.scope = None
            self._show()

    def action_toggle_residual(self) -> None:
        """Switch the grid between inherent and residual positions."""
        self.residual = not self.residual
        r = self.current(say=False)
        if r is not None:
            self.grid.move_to(rk.position(r, self.residual))
            if self.scope is not None:
                self.scope = self.grid.cursor
        self._show()

    def action_filter(self) -> None:
        """`/` (screens/list_filter.py), over every risk rather than the selected cell's."""
        if self.scope is not None:
            self.scope = None
            self._show()
        super().action_filter()

    # ------------------------------------------------------------------ writes

    @changes
    def action_move(self, d_likelihood: int, d_impact: int) -> None:
        """Move the selected risk one step on the grid (inherent or residual, as shown)."""
        r = self.current()
        if r is None:
            return
        new = self.session.edit(
            rk.move_risk, self.store, r["id"], d_likelihood, d_impact, residual=self.residual
        )
        if new is None:
            return
        self.selected_id = r["id"]
        self.grid.move_to(new)
        if self.scope is not None:
            self.scope = new
        self.load()

    def _fields(self, r: dict[str, Any] | None, cell: Cell) -> list[Field]:
        store = self.store
        people = [
            (p["name"] or p["handle"] or "?", p["id"])
            for p in queries.people(store, keep=[(r or {}).get("owner_id")])
        ]
        objectives = [
            (f"O{o['num']} {o['title']}", o["id"]) for o in queries.titles(store, "objective")
        ]
        r = r or {}

        likelihoods, impacts = levels(LIKELIHOOD_LABELS), levels(IMPACT_LABELS)
        return [
            Field("title", "Title", value=r.get("title"), required=True, max_len=200),
            Field("cause", "Cause", kind="textarea", value=r.get("cause")),
            Field("consequence", "Consequence", kind="textarea", value=r.get("consequence")),
            *grid_cell(
                r, cell, ("likelihood", "Likelihood", likelihoods), ("impact", "Impact", impacts)
            ),
            Field("owner_id", "Owner", kind="choice", value=r.get("owner_id"), choices=people),
            Field(
                "treatment",
                "Treatment",
                kind="choice",
                required=True,
                value=r.get("treatment") or "mitigate",
                choices=[(t, t) for t in TREATMENTS],
            ),
            Field("mitigation", "Mitigation", kind="textarea", value=r.get("mitigation")),
            Field(
                "due",
                "Mitigation due",
                kind="date",
                value=r.get("due"),
                hint="2026-12-24, +2w, next friday",
            ),
            Field(
                "residual_likelihood",
                "Res. likelihood",
                kind="choice",
                value=r.get("residual_likelihood"),
                choices=likelihoods,
            ),
            Field(
                "residual_impact",
                "Res. impact",
                kind="choice",
                value=r.get("residual_impact"),
                choices=impacts,
                hint="residual: after mitigation, at most the inherent levels; "
                "blank if not assessed yet",
            ),
            Field(
                "status",
                "Status",
                kind="choice",
                required=True,
                value=r.get("status") or "open",
                choices=[(s, s) for s in STATUSES],
            ),
            Field(
                "objective_id",
                "Objective",
                kind="choice",
                value=r.get("objective_id"),
                choices=objectives,
            ),
            Field(
                "card_id",
                "Card #",
                value=r.get("card_num"),
                parse=card_ref_parser(store),
                hint="the board card it affects, by number",
            ),
            Field(
                "next_review",
                "Next review",
                kind="date",
                value=r.get("next_review"),
                hint="blank: by band — high in 14 days, medium 30, low 90",
            ),
        ]

    @staticmethod
    def _check(values: dict[str, Any]) -> dict[str, str]:
        """The whole form: residual levels can't be above the inherent ones."""
        problem = residual_problem(
            values["likelihood"],
            values["impact"],
            values.get("residual_likelihood"),
            values.get("residual_impact"),
        )
        if not problem:
            return {}
        field = (
            "residual_impact" if problem.startswith("Residual impact") else "residual_likelihood"
        )
        return {field: problem}

    @changes
    @opens_form("risk-form")
    async def action_new(self) -> None:
        """A new risk in the selected cell."""
        cell = self.grid.cursor
        result = await self.app.push_screen_wait(
            FormScreen(f"New risk — {cell_name(cell)}", self._fields(None, cell), check=self._check)
        )
        if result is None:
            return
        new_id = self.session.edit(rk.save_risk, self.store, result)
        if new_id:
            self.selected_id = new_id
            cell = (result["likelihood"], result["impact"])
            self.grid.move_to(cell)
            self.scope = cell
            self.residual = False
            self.load()

    @changes
    @opens_form("risk-form")
    async def action_edit(self) -> None:
        """Edit the selected risk."""
        r = self.current()
        if r is None:
            return
        result = await self.app.push_screen_wait(
            FormScreen(
                f"Edit R{r['num']}", self._fields(r, rk.position(r, False)), check=self._check
            )
        )
        if result is None:
            return
        if self.session.edit(rk.save_risk, self.store, result, r["id"]):
            self.selected_id = r["id"]
            fresh = self.store.get("risk", r["id"]) or r
            if self.scope is not None:
                self.scope = rk.position(fresh, self.residual)
            self.grid.move_to(rk.position(fresh, self.residual))
            self.load()

    @changes
    @opens_form("risk-form")
    async def action_delete(self) -> None:
        """Delete the selected risk, after asking."""
        r = self.current()
        if r is None:
            return
        sure = await self.app.push_screen_wait(
            ConfirmScreen(
                f"Delete R{r['num']} {r['title']}?",
                detail="Its history goes with it; ctrl+z brings it back.",
            )
        )
        if sure:
            self.session.edit(rk.delete_risk, self.store, r["id"])
            self.selected_id = None
            self.load()

    def action_history(self) -> None:
        """Show the selected risk's score history."""
        r = self.current()
        if r is None:
            return
        from kickoff_tui.screens.risk_history import RiskHistoryScreen

        entries = self.session.safe(rk.score_history, self.store, r["id"])
        if entries is None:
            return
        tz = self.session.workspace.get("timezone") or "UTC"
        self.app.push_screen(RiskHistoryScreen(f"R{r['num']} {r['title']}", entries, tz))
