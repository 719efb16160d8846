"""The risk register (read-only for now), highest score first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from kickoff_tui.rules.risk import band
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import queries

BAND_STYLE = {"low": "green", "medium": "yellow", "high": "bold red"}


class RiskScreen(KickoffScreen):
    """Every open risk with its inherent and residual score."""

    MODE = "risks"
    LABEL = "Risks"
    HELP = "Risks ranked by likelihood × impact, with owners and mitigations."

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="risk-table", cursor_type="row", zebra_stripes=True)

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("#", "Risk", "Owner", "Score", "Residual", "Treatment", "Status", "Review")
        for r in queries.risks(self.store):
            table.add_row(
                Text(f"R{r['num']}", style="dim"),
                Text(r["title"]),
                Text(r["owner_name"] or "no owner", style="" if r["owner_name"] else "red"),
                Text(f"{r['score']:>2} {band(r['score'])}", style=BAND_STYLE[band(r["score"])]),
                Text(f"{r['residual_score']:>2} {band(r['residual_score'])}",
                     style=BAND_STYLE[band(r["residual_score"])]),
                Text(r["treatment"] or ""),
                Text(r["status"] or ""),
                Text(r["next_review"] or "–"),
                key=r["id"],
            )
