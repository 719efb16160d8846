"""The RACI matrix (board `R`, or the palette): cards × active people, one letter per cell.

Arrow keys move; `r` `a` `c` `i` set the role, `space`/`backspace` clear it. At most one A per
card: a second A moves it (with a message). Rows with no A or no R carry ⚠. The card column is
frozen, so at 80 columns the people columns scroll sideways under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules.windows import WINDOW_LABELS
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store import raci as store_raci
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key
from kickoff_tui.widgets.tones import INFO, MUTED, OK, WARN, Toned, strong
from kickoff_tui.widgets.with_session import WithSession

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp

#: Width of the frozen card column.
CARD_WIDTH = 30
ROLE_STYLE = {"R": strong(OK), "A": strong(WARN), "C": INFO, "I": MUTED}


class RaciScreen(WithSession, ListFilter):
    """Who is Responsible, Accountable, Consulted and Informed on each card."""

    CSS_PATH = "team.tcss"
    LABEL = "RACI"
    HELP = (
        "Cards × people. r a c i set the role in the cell, space or backspace clears it. "
        "One A per card: a second A moves it. ⚠ marks a card with no A or no R."
    )
    BINDINGS = [
        Binding("r", "role('R')", "R", tooltip="Responsible: does the work", id="raci.role_R"),
        Binding(
            "a",
            "role('A')",
            "A",
            tooltip="Accountable: one per card, signs it off",
            id="raci.role_A",
        ),
        Binding("c", "role('C')", "C", tooltip="Consulted: asked before", id="raci.role_C"),
        Binding("i", "role('I')", "I", tooltip="Informed: told after", id="raci.role_I"),
        Binding(
            "space,backspace",
            "role(None)",
            "Clear",
            key_display="space",
            tooltip="Clear the role in the cell",
            id="raci.role_clear",
        ),
        Binding("escape,q", "close", "Back", id="raci.close"),
        FILTER_KEY,
    ]

    app: KickoffApp

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {"cards": [], "people": []}

    def compose(self) -> ComposeResult:
        yield Header()
        yield KeyTable(id="raci-table", cursor_type="cell", fixed_columns=1, zebra_stripes=True)
        yield Static(id="raci-status", markup=False)
        yield from self.compose_filter()
        yield Footer()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#raci-table", KeyTable)

    def on_mount(self) -> None:
        self.sub_title = "RACI matrix"
        self.reload()
        self.table.focus()
        # start on the first card's first person, not on the frozen column
        if self.table.row_count > 1 and self.data["people"]:
            self.table.move_cursor(row=1, column=1, animate=False)

    def refilter(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.table
        keep = table.cursor_coordinate if table.row_count else None
        keep_card = cursor_key(table)
        self.data = store_raci.matrix(self.store)
        table.clear(columns=True)
        table.add_column("Card", width=CARD_WIDTH, key="card")
        for p in self.data["people"]:
            label = f"@{p['handle']}" + ("" if p["active"] else "·")
            table.add_column(label, width=max(3, len(label)), key=p["id"])
        window = None
        for c in self.data["cards"]:
            if c["window"] != window:
                window = c["window"]
                table.add_row(
                    Text(f"{WINDOW_LABELS.get(window, window)} days", style="bold"),
                    *[Text("") for _ in self.data["people"]],
                    key=f"window:{window}",
                    heading=True,  # while filtering: only above a card that matches
                )
            flag = Toned("⚠ ", style=strong(WARN)) if c["missing"] else Text("")
            title = Toned.assemble(
                flag, (f"#{c['num']} ", "dim"), c["title"] or "", no_wrap=True, overflow="ellipsis"
            )
            cells = []
            for p in self.data["people"]:
                role = c["roles"].get(p["id"], "")
                cells.append(
                    Toned(role or "·", style=ROLE_STYLE.get(role, "dim"), justify="center")
                )
            table.add_row(title, *cells, key=c["id"])
        if keep is not None and table.row_count:
            if move_to_key(table, keep_card):  # the same card, whatever the filter shows
                keep = keep._replace(row=table.cursor_row)
            table.move_cursor(
                row=min(keep.row, table.row_count - 1),
                column=min(keep.column, len(self.data["people"])),
                animate=False,
            )
        self._status()

    def _cell(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        table = self.table
        if not table.row_count:
            return None, None
        coord = table.cursor_coordinate
        key = cursor_key(table)
        card = next((c for c in self.data["cards"] if c["id"] == key), None)
        people = self.data["people"]
        person = people[coord.column - 1] if 1 <= coord.column <= len(people) else None
        return card, person

    def on_data_table_cell_highlighted(self) -> None:
        self._status()

    def _status(self) -> None:
        status = self.query_one("#raci-status", Static)
        if not self.data["cards"]:
            status.update("No cards yet: add them on the board (1, then n).")
            return
        if not self.data["people"]:
            status.update("Nobody on the team yet: add people on the Team screen (7, then n).")
            return
        card, person = self._cell()
        if card is None:
            status.update("Move to a card's row (↑ ↓) and a person's column (← →).")
            return
        parts = [f"#{card['num']} {card['title']}"]
        if person is not None:
            role = card["roles"].get(person["id"])
            parts.append(
                f"@{person['handle']}: "
                + (f"{role} {store_raci.ROLE_NAMES[role]}" if role else "no role")
            )
        if card["missing"]:
            parts.append(f"⚠ no {card['missing'].replace(', ', ' and no ')}")
        status.update(Text(" · ".join(parts), no_wrap=True, overflow="ellipsis"))

    @changes
    def action_role(self, role: str | None) -> None:
        """Set (or clear) the role of the person in the highlighted cell."""
        card, person = self._cell()
        if card is None or person is None:
            self.notify("Pick a cell: a card's row and a person's column.", markup=False)
            return
        before = self.store.last_change
        moved = self.session.edit(store_raci.set_role, self.store, card["id"], person["id"], role)
        if self.store.last_change is not before:
            self.reload()
        if moved:
            self.notify(moved, markup=False, timeout=6)

    def action_close(self) -> None:
        """esc: clear the filter first (if any), else back to the board."""
        if not self.clear_filter():
            self.dismiss(None)
