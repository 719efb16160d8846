"""The review's "Needs someone" line: the team's nudges counted per kind, in two lines at most.

With a dozen kinds of nudge the headings ("Stakeholders past their next contact") wrapped over
four or five lines at 80 columns. Each kind now says itself in two or three words; when those
don't fit in two lines at the widget's width, the counts are added up per part of the
workspace (cards, KRs, risks, ...). Lines break between counts, never inside one. The inbox
(0) lists every item.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kickoff_tui.rules.nudges import per_area, short_label

#: The most lines the counts take when they can fit.
MAX_LINES = 2
HEAD = Content.styled("Needs someone: ", "bold")
HINT = Content.styled("(0: the inbox)", "$text-muted")
SEP = " · "


def _pack(pairs: list[tuple[str, int]], hint: bool, width: int) -> list[Content]:
    """The counts packed into lines of `width` cells, each "label count" kept whole."""
    pieces = [Content.assemble(f"{label} ", (str(n), "bold $text-warning")) for label, n in pairs]
    if hint:
        pieces.append(HINT)
    lines: list[Content] = []
    line = HEAD
    started = False  # the line holds a piece already
    for piece in pieces:
        gap = SEP if started and piece is not HINT else "  " if started else ""
        if started and line.cell_length + len(gap) + piece.cell_length > width:
            lines.append(line)
            line, gap = Content(""), ""
        line = Content.assemble(line, gap, piece)
        started = True
    lines.append(line)
    return lines


def counts_lines(counts: list[tuple[str, int]], width: int) -> list[Content]:
    """The counts, (kind, count), in lines of `width` cells, two at most when they can: short
    labels per kind, else one count per part of the workspace; the "(0: the inbox)" hint goes
    first when room is short."""
    if not counts:
        return [Content.styled("Nothing needs anyone today.", "$text-success")]
    per_kind = [(short_label(kind), n) for kind, n in counts]
    areas = per_area(counts)
    for pairs, hint in ((per_kind, True), (per_kind, False), (areas, True)):
        lines = _pack(pairs, hint, width)
        if len(lines) <= MAX_LINES:
            return lines
    return _pack(areas, False, width)


class NudgeCounts(Widget):
    """How many nudges of each kind the team has (the review page, above the objectives)."""

    DEFAULT_CSS = "NudgeCounts { height: auto; }"

    counts: reactive[tuple[tuple[str, int], ...]] = reactive((), layout=True)

    def render(self) -> Content:
        return Content("\n").join(counts_lines(list(self.counts), self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(counts_lines(list(self.counts), width))
