"""`h` on the risk screen: one risk's score history (when, who, inherent and residual)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kickoff_tui.rules.risk import band
from kickoff_tui.rules.status import labelled
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store.review import local_stamp
from kickoff_tui.store.risks import ScoreEntry
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key
from kickoff_tui.widgets.tones import BAND, Toned


def levels_text(likelihood: int, impact: int) -> Text:
    s = likelihood * impact
    return Toned(f"{likelihood}×{impact} = {s:>2} {labelled(band(s))}", style=BAND[band(s)])


class RiskHistoryScreen(ModalScreen[None], ListFilter):
    """Every change of one risk's levels, newest first."""

    CSS_PATH = "risk_history.tcss"
    BINDINGS = [
        Binding("escape,h,q", "close", "Close", key_display="esc", id="risk_history.dismiss"),
        FILTER_KEY,
    ]

    def __init__(self, title: str, entries: list[ScoreEntry], tz: str) -> None:
        super().__init__()
        self.risk_title = title
        self.entries = entries
        self.tz = tz

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box") as box:
            box.border_title = "Score history"
            box.border_subtitle = "/ filter · esc closes"
            yield Static(self.risk_title, id="history-title", markup=False)
            yield KeyTable(id="history-table", cursor_type="row", zebra_stripes=True)
            yield from self.compose_filter()

    @property
    def table(self) -> KeyTable:
        return self.query_one("#history-table", KeyTable)

    def on_mount(self) -> None:
        self.refilter()
        self.table.focus()

    def refilter(self) -> None:
        """Fill the table (the rows the filter lets through), the cursor kept on its entry."""
        table = self.table
        keep = cursor_key(table)
        table.clear(columns=True)
        table.add_columns("When", "Who", "Inherent (L×I)", "Residual")
        for n, entry in reversed(list(enumerate(self.entries))):
            residual = (
                levels_text(
                    entry.residual_likelihood or entry.likelihood,
                    entry.residual_impact or entry.impact,
                )
                if entry.mitigated
                else Text("–", style="dim")
            )
            table.add_row(
                Text(local_stamp(entry.at, self.tz)),
                Text(entry.by),
                levels_text(entry.likelihood, entry.impact),
                residual,
                key=str(n),
            )
        if not self.entries:
            table.add_row(Text("No score recorded yet.", style="dim"), Text(""), Text(""), Text(""))
        move_to_key(table, keep)

    def action_close(self) -> None:
        """esc: clear the filter first (if any), else close."""
        if not self.clear_filter():
            self.dismiss()
