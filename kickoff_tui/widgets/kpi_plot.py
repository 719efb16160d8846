"""A KPI's readings over the 90 days against its target line: baseline → 30-day → 90-day target.

Braille dots as in the key-result plot (each cell holds 2×4 dots). The target line is the value
expected each day (straight from the baseline on day 0 to the 30-day target on day 30, then to
the 90-day target on day 90), drawn in green; the readings are joined in cyan, each a heavier
dot, and the alert threshold is a dim dashed line when it differs from the baseline.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from kickoff_tui.rules.kpi import DAY_90, expected
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.widgets.okr_plot import PlotPoint
from kickoff_tui.widgets.tones import INFO, MUTED, OK, WARN, Toned, strong

#: Braille dot bits by (x in 0..1, y in 0..3) within one cell.
DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


def kpi_plot_lines(
    points: Sequence[PlotPoint],
    *,
    baseline: float,
    target_30: float,
    target_90: float,
    threshold: float | None = None,
    width: int,
    height: int,
) -> list[Text]:
    """The plot as `height` lines of Text: a y-axis label column, the chart, the day axis."""
    pts_in = [p for p in points if math.isfinite(p.value)]
    span = [baseline, target_30, target_90, *(p.value for p in pts_in)]
    if threshold is not None:
        span.append(threshold)
    lo, hi = min(span), max(span)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    label_w = max(len(format_number(v)) for v in (hi, lo, target_30, target_90)) + 1
    cols = max(8, width - label_w - 1)
    rows = max(3, height - 2)
    dot_w, dot_h = cols * 2, rows * 4
    last_day = max([DAY_90, *(p.day for p in pts_in)])

    def x_of(day: float) -> int:
        return min(dot_w - 1, max(0, round(day / last_day * (dot_w - 1))))

    def y_of(value: float) -> int:  # 0 at the top
        return min(dot_h - 1, max(0, round((hi - value) / (hi - lo) * (dot_h - 1))))

    readings = [[0] * cols for _ in range(rows)]
    target = [[0] * cols for _ in range(rows)]

    def dot(grid: list[list[int]], x: int, y: int) -> None:
        grid[y // 4][x // 2] |= DOTS[x % 2][y % 4]

    for x in range(dot_w):
        day = x / (dot_w - 1) * last_day
        dot(target, x, y_of(expected(baseline, target_30, target_90, round(day))))
    pts = [(x_of(p.day), y_of(p.value)) for p in pts_in]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(steps + 1):
            dot(readings, round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps))
    for x, y in pts:
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            if x + dx < dot_w and y + dy < dot_h:
                dot(readings, x + dx, y + dy)
    labels = {0: format_number(hi), rows - 1: format_number(lo)}
    for value in (target_90, target_30, baseline):
        labels.setdefault(y_of(value) // 4, format_number(value))
    threshold_row = (
        y_of(threshold) // 4 if threshold is not None and threshold != baseline else None
    )
    lines = []
    for r in range(rows):
        label = labels.get(r, "")
        line = Text(label.rjust(label_w - 1) + " ", style="dim")
        line.append("┤" if label else "│", style="dim")
        for c in range(cols):
            if readings[r][c]:
                line.append(chr(0x2800 + readings[r][c]), style=strong(INFO))
            elif target[r][c]:
                line.append(chr(0x2800 + target[r][c]), style=OK)
            elif r == threshold_row:
                line.append("╌", style=f"{MUTED} {WARN}")
            else:
                line.append(" ")
        lines.append(line)
    axis = Text(" " * label_w + "└" + "─" * cols, style="dim")
    mid = x_of(30) // 2
    ticks = " " * (label_w + 1) + "day 0".ljust(max(6, mid)) + "day 30"
    ticks = ticks.ljust(label_w + 1 + cols - 6) + f"day {round(last_day)}"
    return [*lines, axis, Text(ticks, style="dim")]


class KpiPlot(Widget):
    """A KPI's readings against its baseline → 30 → 90 target line (set with :meth:`show`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._points: list[PlotPoint] = []
        self._line: tuple[float, float, float, float | None] = (0.0, 0.0, 0.0, None)

    def show(
        self,
        points: Sequence[PlotPoint],
        *,
        baseline: float,
        target_30: float,
        target_90: float,
        threshold: float | None = None,
    ) -> None:
        self._points = list(points)
        self._line = (baseline, target_30, target_90, threshold)
        self.refresh()

    def render(self) -> Text:
        baseline, t30, t90, threshold = self._line
        lines = kpi_plot_lines(
            self._points,
            baseline=baseline,
            target_30=t30,
            target_90=t90,
            threshold=threshold,
            width=self.size.width or 60,
            height=max(4, (self.size.height or 8) - 1),
        )
        legend = Text.assemble(
            ("● readings", strong(INFO)), "   ", ("⠉ target: baseline → 30 → 90 days", OK)
        )
        if threshold is not None and threshold != baseline:
            legend.append_text(Text.assemble("   ", ("╌ alert threshold", f"{MUTED} {WARN}")))
        return Toned.of(Text("\n").join([*lines, legend]))
