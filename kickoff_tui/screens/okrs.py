"""Objectives and key results (read-only for now): progress, grade, confidence."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr import KIND_LABELS, grade, kr_progress, objective_progress
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import queries

GRADE_STYLE = {"green": "green", "yellow": "yellow", "red": "red"}


def bar(progress: float, width: int = 10) -> str:
    filled = round(progress * width)
    return "█" * filled + "░" * (width - filled)


class OkrScreen(KickoffScreen):
    """Each objective with its weighted roll-up, then its key results."""

    MODE = "okrs"
    LABEL = "OKRs"
    HELP = "Objectives and their key results, with progress against the 90 days."

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="okr-table", cursor_type="row", zebra_stripes=True)

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns("#", "Objective / key result", "Owner", "Kind", "Now → target", "Progress", "Conf")
        for obj in queries.okr_tree(self.store):
            progresses = []
            rows = []
            for kr in obj["key_results"]:
                p = kr_progress(kr["kind"], kr["baseline"], kr["target"], kr["current"])
                progresses.append((p, kr["weight"] or 1.0))
                unit = f" {kr['unit']}" if kr["unit"] else ""
                now = "–" if kr["current"] is None else format_number(kr["current"])
                rows.append((
                    Text(f"KR{kr['num']}", style="dim"),
                    Text(f"  {kr['title']}"),
                    Text(kr["owner_name"] or "–"),
                    Text(KIND_LABELS.get(kr["kind"], kr["kind"] or "")),
                    Text(f"{now} → {format_number(kr['target'])}{unit}" if kr["target"] is not None else now),
                    Text(f"{bar(p)} {p:>4.0%}", style=GRADE_STYLE[grade(p)]),
                    Text("–" if kr["confidence"] is None else f"{kr['confidence']}/10"),
                ))
            total = objective_progress(progresses)
            table.add_row(
                Text(f"O{obj['num']}", style="bold"), Text(obj["title"], style="bold"),
                Text(obj["owner_name"] or "–"), Text(""), Text(""),
                Text(f"{bar(total)} {total:>4.0%}", style=f"bold {GRADE_STYLE[grade(total)]}"),
                Text(""), key=obj["id"],
            )
            for row in rows:
                table.add_row(*row)
