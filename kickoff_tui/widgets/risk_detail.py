"""The risk screen's detail panel: the selected risk's facts, score, dates and links."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.content import Content
from textual.widgets import Static

from kickoff_tui.rules.risk import IMPACT_LABELS, LIKELIHOOD_LABELS, band
from kickoff_tui.rules.status import labelled
from kickoff_tui.widgets.tones import BAND

Cell = tuple[int, int]


def short_date(value: str | None) -> str:
    """ "Dec 3" for a date (or the start of a timestamp); "–" for none."""
    if not value:
        return "–"
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{d:%b} {d.day}"


def cell_name(cell: Cell) -> str:
    """ "Likely × Major" for a (likelihood, impact) cell."""
    return f"{LIKELIHOOD_LABELS[cell[0] - 1]} × {IMPACT_LABELS[cell[1] - 1]}"


class RiskDetail(Static):
    """One risk in full beside the grid (the list shows it in a line)."""

    def say(self, text: str) -> None:
        """No risk to show: say why, muted."""
        self.update(Content.styled(text, "$text-muted"))

    def show(self, r: dict[str, Any], *, wide: bool) -> None:
        """Show risk `r` (a row of store.risks); `wide` adds the cell's name to the score."""
        s, res = r["score"], r["residual_score"]
        score_line = Content.styled(f"{s} {labelled(band(s))}", BAND[band(s)])
        if wide:
            score_line = Content.assemble(
                score_line, (f" ({cell_name((r['likelihood'], r['impact']))})", "$text-muted")
            )
        if r["mitigated"]:
            score_line = Content.assemble(
                score_line, " → ", (f"{res} {labelled(band(res))}", BAND[band(res)])
            )
        facts = [r["owner_name"] or "no owner", r["treatment"] or "", r["status"] or ""]
        lines = [
            Content.assemble((f"R{r['num']} ", "$text-muted"), (r["title"] or "", "bold")),
            Content(" · ".join(f for f in facts if f)),
            score_line,
        ]
        if r["conflict"]:
            lines.append(
                Content.styled(
                    "⚠ edited on two machines at once: resolve on sync", "bold $text-warning"
                )
            )
        if r["flags"]:
            lines.append(Content.styled("⚠ " + ", ".join(r["flags"]), "bold $text-error"))
        dates = []
        if r["due"]:
            dates.append(f"due {short_date(r['due'])}")
        if r["next_review"]:
            dates.append(f"review {short_date(r['next_review'])}")
        if dates:
            lines.append(Content(", ".join(dates)))
        for label, value in (
            ("Mitigation", r["mitigation"]),
            ("Cause", r["cause"]),
            ("Consequence", r["consequence"]),
        ):
            if value:
                lines.append(
                    Content.assemble((f"{label} ", "$text-muted"), " ".join(value.split()))
                )
        links = []
        if r["objective_title"]:
            links.append(f"objective {r['objective_title']}")
        if r["card_num"]:
            links.append(f"card #{r['card_num']}")
        if links:
            lines.append(Content.assemble(("Linked ", "$text-muted"), "; ".join(links)))
        self.update(Content("\n").join(lines))
