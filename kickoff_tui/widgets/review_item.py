"""The monthly OKR review's panel: everything about the objective or key result on the table,
now and at the last review, its check-ins, confidence, blockers, risks and verdict."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr_review import VERDICT_LABELS
from kickoff_tui.rules.status import labelled
from kickoff_tui.store.okr_review import ReviewItem

PACE_STYLE = {
    "on track": "$text-success",
    "behind": "$text-warning",
    "at risk": "$text-error",
}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def verdict_text(verdict: dict | None) -> str:
    """ "adjust the target 80 → 60", "keep", or "" (no verdict yet)."""
    if not verdict:
        return ""
    label = VERDICT_LABELS.get(verdict.get("verdict") or "", "?")
    if verdict.get("verdict") == "adjust" and verdict.get("new_target") is not None:
        old = verdict.get("old_target")
        label += f" {'–' if old is None else format_number(old)} → "
        label += format_number(verdict["new_target"])
    return label


class ReviewItemPanel(Static):
    """The highlighted row of the review in full (all text literal: no markup)."""

    def show(self, item: ReviewItem | None, previous: str | None) -> None:
        if item is None:
            self.update("No objectives yet: add them on the OKRs screen (2).")
            return
        then = (
            f"{_pct(item.then_progress)} {labelled(item.then_pace or '')} on {previous}".strip()
            if previous and item.then_progress is not None
            else "first review"
            if not previous
            else "no check-in before it"
        )
        lines = [
            Content.assemble(
                (f"{item.ref} ", "bold"),
                (item.title, "bold"),
                ("  " + item.value_text, "$text-muted"),
            ),
            Content.assemble(
                "Now ",
                (f"{_pct(item.progress)} {labelled(item.pace)}", PACE_STYLE.get(item.pace, "")),
                " · last review ",
                (then, "$text-muted"),
                f" · {item.checkins_since} check-in{'s' if item.checkins_since != 1 else ''} since",
                *((f" · confidence {item.confidence}",) if item.confidence else ()),
            ),
        ]
        if item.blockers:
            lines.append(Content.assemble(("Blockers ", "$text-error"), "; ".join(item.blockers)))
        if item.risks:
            lines.append(Content.assemble(("Risks ", "$text-warning"), "; ".join(item.risks)))
        verdict = item.verdict
        if verdict:
            note = " ".join(str(verdict.get("note") or "").split())
            lines.append(
                Content.assemble(
                    ("Verdict ", "bold $text-success"),
                    verdict_text(verdict),
                    *((f" — {note}",) if note else ()),
                )
            )
        else:
            lines.append(Content.styled("No verdict yet: enter records one.", "$text-muted"))
        self.update(Content("\n").join(lines))
