"""The 5 × 5 risk matrix: impact across, likelihood up, each cell coloured by its band.

A cell shows how many risks sit there and, when they fit, their short numbers (R4); the rest
become "+2". The cell cursor moves with the arrows (or a click); `enter` (or a double click)
asks for the cell's risks. The widget only draws what it is given (:meth:`RiskGrid.show`):
the screen decides which risks go where (inherent or residual positions, a filter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from kickoff_tui.rules.risk import (
    IMPACT_LABELS,
    IMPACT_SHORT,
    LIKELIHOOD_LABELS,
    LIKELIHOOD_SHORT,
    band,
)
from kickoff_tui.rules.status import shape

#: Cell background per band (theme colours, so the light theme works on a projector too).
BAND_BACKGROUND = {"low": "$success-muted", "medium": "$warning-muted", "high": "$error-muted"}

#: A risk as the grid draws it: its short number and whether it carries a sync conflict.
GridItem = tuple[int, bool]
Cell = tuple[int, int]  # (likelihood, impact), each 1–5


class RiskGrid(Widget, can_focus=True):
    """Likelihood (rows, 5 at the top) × impact (columns), with a cell cursor.

    A subclass draws another 5 × 5 grid (the stakeholder map) by changing the axis labels,
    the item prefix and :meth:`cell_background` / :meth:`corner`.
    """

    #: Row (level 1 first) and column labels, long and short (at most 6 characters).
    ROW_LABELS: tuple[str, ...] = LIKELIHOOD_LABELS
    ROW_SHORT: tuple[str, ...] = LIKELIHOOD_SHORT
    COLUMN_LABELS: tuple[str, ...] = IMPACT_LABELS
    COLUMN_SHORT: tuple[str, ...] = IMPACT_SHORT
    #: Put before an item's number in a cell ("R4").
    PREFIX = "R"

    BINDINGS = [
        Binding("up", "move(1, 0)", "Cell cursor: more likely", show=False, id="risk_grid.move_up"),
        Binding(
            "down", "move(-1, 0)", "Cell cursor: less likely", show=False, id="risk_grid.move_down"
        ),
        Binding(
            "right", "move(0, 1)", "Cell cursor: more impact", show=False, id="risk_grid.move_right"
        ),
        Binding(
            "left", "move(0, -1)", "Cell cursor: less impact", show=False, id="risk_grid.move_left"
        ),
        Binding("enter", "choose", "Go to the cell's risks", show=False, id="risk_grid.choose"),
    ]

    #: (likelihood, impact) of the cell under the cursor.
    cursor: reactive[Cell] = reactive((3, 3))

    class _CellMessage(Message):
        def __init__(self, grid: RiskGrid, cell: Cell) -> None:
            super().__init__()
            self.grid = grid
            self.cell = cell

        @property
        def control(self) -> RiskGrid:
            return self.grid

    class Moved(_CellMessage):
        """The cell cursor moved (arrows or a click)."""

    class Chosen(_CellMessage):
        """`enter` or a double click on a cell: show its risks."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._cells: dict[Cell, list[GridItem]] = {}
        self.marked: int | None = None

    # ------------------------------------------------------------------ data in

    def show(self, cells: Mapping[Cell, Sequence[GridItem]], marked: int | None = None) -> None:
        """Draw these risks per cell (each cell's list in the order to show), `marked` stressed."""
        self._cells = {cell: list(items) for cell, items in cells.items()}
        self.marked = marked
        self.refresh()

    def items(self, cell: Cell) -> list[GridItem]:
        return list(self._cells.get(cell, ()))

    def count(self, cell: Cell) -> int:
        return len(self._cells.get(cell, ()))

    # ------------------------------------------------------------------ keys and mouse

    def action_move(self, d_likelihood: int, d_impact: int) -> None:
        li, im = self.cursor
        new = (max(1, min(5, li + d_likelihood)), max(1, min(5, im + d_impact)))
        if new != self.cursor:
            self.cursor = new
            self.post_message(self.Moved(self, new))

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self, self.cursor))

    def move_to(self, cell: Cell) -> None:
        """Put the cursor on a cell without announcing it (the screen already knows)."""
        self.cursor = cell

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _layout(self) -> tuple[int, int, int, bool]:
        """(label width, cell width, cell height, long labels?) for the current size."""
        width, height = self.size.width, self.size.height
        long = width >= 70
        labels = self.ROW_LABELS if long else self.ROW_SHORT
        label_w = max(len(label) for label in labels) + 3
        cell_w = max(3, (width - label_w) // 5)
        cell_h = max(1, (height - 1) // 5)
        return label_w, cell_w, cell_h, long

    def cell_at(self, x: int, y: int) -> Cell | None:
        label_w, cell_w, cell_h, _ = self._layout()
        column, row = (x - label_w) // cell_w if x >= label_w else -1, y // cell_h
        if 0 <= column < 5 and 0 <= row < 5:
            return (5 - row, column + 1)
        return None

    def on_click(self, event: events.Click) -> None:
        cell = self.cell_at(event.x, event.y)
        if cell is None:
            return
        self.focus()
        if cell != self.cursor:
            self.cursor = cell
            self.post_message(self.Moved(self, cell))
        if event.chain >= 2:
            self.post_message(self.Chosen(self, cell))

    # ------------------------------------------------------------------ drawing

    def cell_background(self, cell: Cell) -> str:
        """A cell's background colour: its band."""
        return BAND_BACKGROUND[band(cell[0] * cell[1])]

    def corner(self, cell: Cell) -> str:
        """What a cell shows, dim, in a corner: its score and its band's shape (what the colour
        means, readable without colour: ●4, ▲8, ■15)."""
        score = cell[0] * cell[1]
        return f"{shape(band(score))}{score}"

    def render(self) -> Content:
        label_w, cell_w, cell_h, long = self._layout()
        l_labels = self.ROW_LABELS if long else self.ROW_SHORT
        lines: list[Content] = []
        for li in range(5, 0, -1):
            cells = [self._cell_lines((li, im), cell_w, cell_h) for im in range(1, 6)]
            for row in range(cell_h):
                label = f"{li} {l_labels[li - 1]}" if row == (cell_h - 1) // 2 else ""
                parts = [
                    Content.styled(
                        label.ljust(label_w - 1)[: label_w - 1] + " ",
                        "bold" if li == self.cursor[0] else "$text-muted",
                    )
                ]
                parts += [cell[row] for cell in cells]
                lines.append(Content.assemble(*parts))
        axis = [Content(" " * label_w)]
        styles = (
            [f"{n} {label}" for n, label in enumerate(self.COLUMN_LABELS, 1)],
            list(self.COLUMN_LABELS),
            [f"{n} {label}" for n, label in enumerate(self.COLUMN_SHORT, 1)],
            list(self.COLUMN_SHORT),
        )
        names = next((style for style in styles if all(len(t) < cell_w for t in style)), styles[-1])
        for im in range(1, 6):
            axis.append(
                Content.styled(
                    names[im - 1].center(cell_w)[:cell_w],
                    "bold" if im == self.cursor[1] else "$text-muted",
                )
            )
        lines.append(Content.assemble(*axis))
        return Content("\n").join(lines)

    def _cell_lines(self, cell: Cell, width: int, height: int) -> list[Content]:
        """The `height` lines of one cell, each exactly `width` cells wide."""
        items = self._cells.get(cell, [])
        base = f"$text on {self.cell_background(cell)}"
        here = cell == self.cursor
        if here:
            base += " reverse bold" if self.has_focus else " bold underline"
        tokens: list[tuple[str, str]] = []
        if items:
            tokens.append((str(len(items)), "bold"))
            tokens += [
                (
                    f"{self.PREFIX}{num}" + ("⚠" if conflict else ""),
                    "reverse" if num == self.marked and not here else "",
                )
                for num, conflict in items
            ]
        rows = _flow(tokens, width - 2, height)
        # The cell's band shape and score, dim, in its top-right corner (or the bottom-right
        # one when the top line is full): what the colour means. One-line cells (80×24)
        # keep the shape alone, so the band still reads without colour.
        mark = self.corner(cell) if height >= 2 else self.corner(cell)[:1]
        for line in (rows[0], rows[-1]):
            used = sum(len(t) for t, _ in line) + max(0, len(line) - 1)
            if mark and used + 1 + len(mark) <= width - 2:
                line.append(
                    (" " * (width - 2 - used - len(mark) - (1 if line else 0)) + mark, "dim")
                )
                break
        out = []
        for tokens_in_row in rows:
            parts: list[Content | tuple[str, str] | str] = [" "]
            for i, (text, style) in enumerate(tokens_in_row):
                if i:
                    parts.append(" ")
                parts.append((text, style) if style else text)
            text_line = Content.assemble(*parts)
            text_line = text_line.pad_right(max(0, width - text_line.cell_length))
            out.append(text_line.truncate(width).stylize_before(base))
        return out


def _flow(tokens: list[tuple[str, str]], width: int, height: int) -> list[list[tuple[str, str]]]:
    """Lay tokens out on `height` lines of `width`; what doesn't fit becomes "+N" at the end.

    The first token (the count) is never dropped.
    """
    rows = _place(tokens, width, height, reserve=False)
    if rows is not None:
        return rows
    rows = [[] for _ in range(height)]
    row, used = 0, 0
    for index, (text, style) in enumerate(tokens):
        sep = 1 if rows[row] else 0
        if used + sep + len(text) > width and rows[row] and row + 1 < height:
            row, used, sep = row + 1, 0, 0
        after = len(tokens) - index - 1
        reserve = 1 + len(f"+{after}") if row == height - 1 and after else 0
        if used + sep + len(text) + reserve > width:
            left = len(tokens) - index
            keep = 1 if row == 0 else 0
            while rows[row] and len(rows[row]) > keep and used + 1 + len(f"+{left}") > width:
                dropped = rows[row].pop()
                used -= len(dropped[0]) + (1 if rows[row] else 0)
                left += 1
            rows[row].append((f"+{left}", "bold"))
            return rows
        rows[row].append((text, style))
        used += sep + len(text)
    return rows


def _place(
    tokens: list[tuple[str, str]], width: int, height: int, *, reserve: bool
) -> list[list[tuple[str, str]]] | None:
    """Every token on `height` lines of `width`, or None when they don't all fit."""
    rows: list[list[tuple[str, str]]] = [[] for _ in range(height)]
    row, used = 0, 0
    for text, style in tokens:
        sep = 1 if rows[row] else 0
        if used + sep + len(text) > width:
            if row + 1 >= height or not rows[row]:
                return None
            row, used, sep = row + 1, 0, 0
            if len(text) > width:
                return None
        rows[row].append((text, style))
        used += sep + len(text)
    return rows
