"""A key result's check-ins over the 90 days, against its target line, in braille dots.

Each character cell holds 2×4 dots, so a 60×8 plot has 120×32 points. The x axis runs from day 0
to day 90 (or to the last check-in, if later), the y axis spans the baseline, the target and every
value. The target is a dashed line; the check-ins are joined by a line, each one a heavier dot.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.widget import Widget

from kickoff_tui.rules.numbers import format_number
from kickoff_tui.widgets.tones import INFO, OK, Toned, strong

#: Braille dot bits by (x in 0..1, y in 0..3) within one cell.
_DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


@dataclass(frozen=True)
class PlotPoint:
    day: float
    value: float


def points_from(
    checkins: Iterable[tuple[str, float | None]], kickoff: date, tz: str
) -> list[PlotPoint]:
    """(instant, value) check-ins as points on the plan's days (day 0 = the kickoff date)."""
    from kickoff_tui.rules.windows import local_date

    return [
        PlotPoint((local_date(at, tz) - kickoff).days, value)
        for at, value in checkins
        if value is not None and math.isfinite(value)
    ]


def plot_lines(
    points: Sequence[PlotPoint],
    target: float | None,
    *,
    width: int,
    height: int,
    days: float = 90,
    baseline: float | None = None,
) -> list[Text]:
    """The plot as `height` lines of Text: a y-axis label column, then the chart cells."""
    values = [p.value for p in points if math.isfinite(p.value)]
    span = [
        *values,
        *([target] if target is not None else []),
        *([baseline] if baseline is not None else []),
    ]
    if not span:
        return [Text("No check-ins yet: press c on the key result to record one.", style="dim")]
    lo, hi = min(span), max(span)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    labels = [format_number(hi), format_number(lo)]
    if target is not None:
        labels.append(format_number(target))
    label_w = max(len(s) for s in labels) + 1
    cols = max(8, width - label_w - 1)
    rows = max(3, height - 2)
    dot_w, dot_h = cols * 2, rows * 4
    last_day = max([days, *(p.day for p in points)])

    def x_of(day: float) -> int:
        return min(dot_w - 1, max(0, round(day / last_day * (dot_w - 1)))) if last_day > 0 else 0

    def y_of(value: float) -> int:  # 0 at the top
        return min(dot_h - 1, max(0, round((hi - value) / (hi - lo) * (dot_h - 1))))

    grid = [[0] * cols for _ in range(rows)]

    def dot(x: int, y: int) -> None:
        grid[y // 4][x // 2] |= _DOTS[x % 2][y % 4]

    pts = [(x_of(p.day), y_of(p.value)) for p in points if math.isfinite(p.value)]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            dot(round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps))
    for x, y in pts:
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            if x + dx < dot_w and y + dy < dot_h:
                dot(x + dx, y + dy)
    target_row = y_of(target) // 4 if target is not None else None
    lines = []
    for r in range(rows):
        line = Text()
        if r == 0:
            label = format_number(hi)
        elif r == rows - 1:
            label = format_number(lo)
        elif r == target_row:
            label = format_number(target)  # type: ignore[arg-type]
        else:
            label = ""
        line.append(label.rjust(label_w - 1) + " ", style="dim")
        line.append("┤" if label else "│", style="dim")
        for c in range(cols):
            bits = grid[r][c]
            if bits:
                line.append(chr(0x2800 + bits), style=strong(INFO))
            elif r == target_row:
                line.append("╌", style=OK)
            else:
                line.append(" ")
        lines.append(line)
    axis = Text(" " * label_w + "└" + "─" * cols, style="dim")
    ticks = Text(
        " " * (label_w + 1) + "day 0".ljust(cols - 6) + f"day {round(last_day)}", style="dim"
    )
    return [*lines, axis, ticks]


class OkrPlot(Widget):
    """Value over time against the target line (set with :meth:`show`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._points: list[PlotPoint] = []
        self._target: float | None = None
        self._baseline: float | None = None

    def show(
        self, points: Sequence[PlotPoint], target: float | None, baseline: float | None = None
    ) -> None:
        self._points, self._target, self._baseline = list(points), target, baseline
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width or 60, self.size.height or 8
        lines = plot_lines(
            self._points,
            self._target,
            width=width,
            height=max(4, height - 1),
            baseline=self._baseline,
        )
        legend = Text.assemble(("● check-ins", strong(INFO)), "   ", ("╌ target", OK))
        return Toned.of(Text("\n").join([*lines, legend]))
