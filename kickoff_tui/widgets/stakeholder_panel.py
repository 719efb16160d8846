"""The Kickoff page's stakeholder map tab: the influence × interest grid with the selected
stakeholder beside it, the ⚠ strip and the list.

Like the risk matrix: arrows move the cell cursor, which scopes the list to that cell (esc: all
again); the list's highlighted row is the selected stakeholder, marked on the grid. The panel
keeps what is shown (scope, shortlisted only) and draws what the screen gives it; the screen
writes. The page's `/` filter (screens/list_filter.py) sets the list's `filter_words`, and the
grid shows the stakeholders it lets through.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from kickoff_tui.rules.kickoff import QUESTION_FIELDS
from kickoff_tui.rules.status import labelled
from kickoff_tui.widgets.charter_panel import one_line, short_day
from kickoff_tui.widgets.stakeholder_grid import LEVELS, StakeholderGrid
from kickoff_tui.widgets.tables import KeyTable, fields_text, fill_filtered, passes_filter
from kickoff_tui.widgets.tones import BAD, OK, Toned, strong

Cell = tuple[int, int]
#: From this width the list has the owner and the next contact.
WIDE = 110
#: What the `/` filter matches besides the list's cells (the owner is a column from WIDE only).
SEARCHED = ("discipline_label", "owner_name", "expectation", "attitude")
VERDICT_STYLE = {True: "bold $text-success", False: "$text-error", None: "$text-warning"}


def position(s: dict[str, Any]) -> Cell:
    return (s["influence"], s["interest"])


def answers_line(s: dict[str, Any]) -> Content:
    """ "1✓ 2✓ 3✗ 4? 5✓": each answer, red where it keeps them off."""
    against = set(s["verdict"].against)
    parts: list[Content | str] = []
    for n, name in enumerate(QUESTION_FIELDS, 1):
        value = s[name]
        mark = "?" if value not in (0, 1) else ("yes" if value else "no")
        style = "bold $text-error" if n in against else ("$text-muted" if mark == "?" else "")
        parts += [" " if n > 1 else "", Content.styled(f"{n}:{mark}", style)]
    return Content.assemble(*parts)


class StakeholderPanel(Vertical):
    """The stakeholder map: grid, selected stakeholder, ⚠ strip and list."""

    #: Only the shortlisted stakeholders (s).
    shortlisted_only: reactive[bool] = reactive(False, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.everyone: list[dict[str, Any]] = []
        self.rows: dict[str, dict[str, Any]] = {}
        self.scope: Cell | None = None
        self.selected_id: str | None = None
        self.width = 80
        #: (stakeholders the `/` filter lets through, of those offered: everyone or the
        #: shortlisted).
        self.counts = (0, 0)

    def compose(self) -> ComposeResult:
        with Horizontal(id="map-top"):
            with Vertical(id="map-matrix"):
                yield StakeholderGrid(id="map-grid")
                yield Static(id="map-caption", markup=False)
            yield Static(id="map-detail", markup=False)
        yield Static(id="map-attention", markup=False)
        yield KeyTable(id="map-table", cursor_type="row", zebra_stripes=True)

    @property
    def grid(self) -> StakeholderGrid:
        return self.query_one("#map-grid", StakeholderGrid)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#map-table", KeyTable)

    # ------------------------------------------------------------------ drawing

    def show(self, everyone: list[dict[str, Any]], width: int, select: str | None = None) -> None:
        self.everyone = everyone
        self.width = width
        if select:
            self.selected_id = select
            found = next((s for s in everyone if s["id"] == select), None)
            if found is not None:
                self.grid.move_to(position(found))
                if self.scope is not None:
                    self.scope = position(found)
        self.redraw()

    def offered(self) -> list[dict[str, Any]]:
        """Everyone, or only the shortlisted (s)."""
        return [s for s in self.everyone if s["verdict"].on or not self.shortlisted_only]

    def redraw(self) -> None:
        """Draw the grid, the list, the strip and the panel; the `/` filter (the list's
        `filter_words`) narrows the grid and the list alike."""
        offered = self.offered()
        wide = self.width >= WIDE
        rows = {s["id"]: (self._cells(s, wide), fields_text(s, SEARCHED)) for s in offered}
        visible = [s for s in offered if passes_filter(rows[s["id"]], self.table.filter_words)]
        self.counts = (len(visible), len(offered))
        grid: dict[Cell, list[tuple[int, bool]]] = {}
        for s in visible:
            grid.setdefault(position(s), []).append((s["num"], s["conflict"]))
        scoped = [s for s in offered if self.scope is None or position(s) == self.scope]
        ids = {s["id"] for s in visible}
        self.rows = {s["id"]: s for s in scoped if s["id"] in ids}
        columns = ["#", "Stakeholder", "Inf", "Int", "Engagement", "Shortlist"]
        self.selected_id = fill_filtered(
            self.table,
            columns + ["Owner", "Next contact"] if wide else columns,
            {s["id"]: rows[s["id"]] for s in scoped},
            fill="Stakeholder",
            width=self.width,
            keep=self.selected_id,
        )
        selected = self.rows.get(self.selected_id or "")
        if selected is not None and self.scope is None:
            self.grid.move_to(position(selected))
        self.grid.show(grid, marked=selected["num"] if selected else None)
        self._caption()
        self._attention()
        self.show_detail()

    def _cells(self, s: dict[str, Any], wide: bool) -> list[Text]:
        verdict = s["verdict"]
        row = [
            Text(f"S{s['num']}", style="dim"),
            Text(
                ("⚠ " if s["conflict"] else "") + one_line(s["name"]),
                overflow="ellipsis",
                no_wrap=True,
            ),
            Text(str(s["influence"])),
            Text(str(s["interest"])),
            Text(labelled(s["engagement"])),
            Toned(
                "✓ yes"
                if verdict.on
                else (
                    "off: " + ",".join(map(str, verdict.against)) if verdict.on is False else "?"
                ),
                style=strong(OK) if verdict.on else (BAD if verdict.on is False else "dim"),
            ),
        ]
        if wide:
            row.append(Text(s["owner_name"] or "no owner", style="" if s["owner_name"] else "dim"))
            late = any(f.startswith("contact overdue") for f in s["flags"])
            row.append(
                Toned(
                    ("⚠ " if late else "") + short_day(s["next_contact"]),
                    style=strong(BAD) if late else "",
                )
            )
        return row

    def _caption(self) -> None:
        from kickoff_tui.rules.kickoff import engagement

        count, total = self.counts

        cell = self.grid.cursor
        wide = self.width >= WIDE
        what = (
            f"influence {LEVELS[cell[0] - 1].lower()} × interest {LEVELS[cell[1] - 1].lower()}"
            if wide
            else f"{cell[0]}×{cell[1]}"
        )
        filtered = bool(self.table.filter_words)
        if self.scope is not None:
            shown = "list: cell (esc: all)"
        else:
            shown = f"list: {count} of {total}" if filtered else f"list: all {count}"
        if self.shortlisted_only:
            shown += ", shortlisted"
        if filtered and self.scope is not None:
            shown += ", filtered"
        self.query_one("#map-caption", Static).update(
            Content.assemble(
                (labelled(engagement(*cell)), "bold"),
                f" · {what} · {self.grid.count(cell)} · ",
                (shown, "$text-muted"),
            )
        )

    def _attention(self) -> None:
        strip = self.query_one("#map-attention", Static)
        flagged = [s for s in self.everyone if s["flags"]]
        strip.set_class(bool(flagged), "-flagged")
        if not flagged:
            strip.update(
                Content.styled(
                    "Nothing needs attention: every next contact is ahead.", "$text-muted"
                )
            )
            return
        items = [
            Content.assemble((f"S{s['num']} ", "bold"), ", ".join(s["flags"])) for s in flagged
        ]
        strip.update(Content.assemble(("⚠ ", "bold"), Content(" · ").join(items)))

    def show_detail(self) -> None:
        panel = self.query_one("#map-detail", Static)
        s = self.current()
        if s is None:
            if not self.everyone:
                text = "No stakeholders yet. Press n to add the first one."
            elif self.shortlisted_only and not self.offered():
                text = "Nobody is shortlisted yet: a answers the five questions; s shows all."
            elif self.table.filter_words and not self.counts[0]:
                text = "No stakeholder matches the filter. Press esc to clear it."
            else:
                text = "No stakeholder here. Press n to add one in this cell, esc for all."
            panel.update(Content.styled(text, "$text-muted"))
            return
        verdict = s["verdict"]
        facts = [
            s["discipline_label"],
            "internal" if s["internal"] else "external",
            s["attitude"] or "",
        ]
        lines = [
            Content.assemble((f"S{s['num']} ", "$text-muted"), (one_line(s["name"]), "bold")),
            Content(" · ".join(f for f in facts if f)),
            Content.assemble(
                (labelled(s["engagement"]), "bold"), f" · owner {s['owner_name'] or 'none'}"
            ),
            Content.assemble((verdict.summary(), VERDICT_STYLE[verdict.on]), "  ", answers_line(s)),
            Content(
                f"contact last {short_day(s['last_contact'])}, next {short_day(s['next_contact'])}"
            ),
        ]
        if s["conflict"]:
            lines.append(
                Content.styled("⚠ edited on two machines at once: resolve with !", "$text-warning")
            )
        if s["flags"]:
            lines.append(Content.styled("⚠ " + ", ".join(s["flags"]), "bold $text-error"))
        if s["expectation"]:
            lines.append(Content.assemble(("Expect ", "$text-muted"), one_line(s["expectation"])))
        if s["notes"]:
            lines.append(Content.assemble(("Notes ", "$text-muted"), one_line(s["notes"])))
        panel.update(Content("\n").join(lines))

    # ------------------------------------------------------------------ selection

    def current(self) -> dict[str, Any] | None:
        return self.rows.get(self.selected_id or "")

    @on(DataTable.RowHighlighted, "#map-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if key not in self.rows:
            return
        self.selected_id = key
        s = self.rows[key]
        if self.scope is None:
            self.grid.move_to(position(s))
        self.grid.marked = s["num"]
        self.grid.refresh()
        self._caption()
        self.show_detail()

    @on(StakeholderGrid.Moved)
    def _moved(self, event: StakeholderGrid.Moved) -> None:
        self.scope = event.cell
        self.selected_id = None
        self.redraw()

    @on(StakeholderGrid.Chosen)
    def _chosen(self, event: StakeholderGrid.Chosen) -> None:
        self.scope = event.cell
        self.redraw()
        if self.rows:
            self.table.focus()

    def back(self) -> None:
        """esc (once the page's filter is cleared): leave the list, then the cell (back to
        everyone)."""
        if self.table.has_focus:
            self.grid.focus()
        elif self.scope is not None:
            self.scope = None
            self.redraw()

    def show_everyone(self) -> None:
        """List every cell's stakeholders (a `/` filter searches them all)."""
        if self.scope is not None:
            self.scope = None
            self.redraw()

    def watch_shortlisted_only(self) -> None:
        self.redraw()
