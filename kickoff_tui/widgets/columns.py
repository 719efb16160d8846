"""Rows of cells laid out in columns that fit the width they are given, one line per row.

A calm, read-only table for pages like the review: no cursor, no borders. One column is the
flexible one (a title): it takes the room that is left and is cut with an ellipsis. When even
that is too narrow, whole columns are dropped in the order given, so an 80-column terminal shows
fewer facts instead of a mangled line. Cells are :class:`~textual.content.Content`, so user text
is never read as markup and styles may use theme variables ($text-error) that follow the theme.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Cell = Content | str


def _content(cell: Cell) -> Content:
    if isinstance(cell, Content):
        return cell
    return Content(" ".join(str(cell).split()))


def layout(
    rows: Sequence[Sequence[Cell]],
    width: int,
    *,
    flex: int = 1,
    drop: Sequence[int] = (),
    min_flex: int = 16,
    gap: int = 2,
) -> list[Content]:
    """Lay `rows` out in `width` cells: one Content line per row, never wider than `width`.

    Rows may be shorter than others (missing cells are blank). Right-aligned columns aren't
    needed here: numbers are written with their units.
    """
    cells = [[_content(c) for c in row] for row in rows]
    if not cells:
        return []
    ncols = max(len(r) for r in cells)
    natural = [0] * ncols
    for row in cells:
        for i, c in enumerate(row):
            natural[i] = max(natural[i], c.cell_length)
    shown = [i for i in range(ncols) if natural[i] > 0 or i == flex]

    def flex_room(cols: list[int]) -> int:
        fixed = sum(natural[i] for i in cols if i != flex) + gap * (len(cols) - 1)
        return width - fixed

    for victim in drop:
        if flex_room(shown) >= min(min_flex, natural[flex] if flex < ncols else 0):
            break
        if victim in shown and victim != flex:
            shown.remove(victim)
    widths = {i: natural[i] for i in shown}
    if flex in widths:
        widths[flex] = max(1, min(natural[flex], flex_room(shown)))
    lines = []
    for row in cells:
        parts: list[Content] = []
        for n, i in enumerate(shown):
            cell = row[i] if i < len(row) else Content("")
            last = n == len(shown) - 1
            cell = cell.truncate(widths[i], ellipsis=True, pad=not last)
            parts.append(cell)
        line = Content(" " * gap).join(parts).rstrip()
        if line.cell_length > width:
            line = line.truncate(width, ellipsis=True)
        lines.append(line)
    return lines


class Columns(Widget):
    """A read-only block of rows in columns (see :func:`layout`); its height is its row count."""

    DEFAULT_CSS = """
    Columns {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[list[Cell]] = []
        self._flex = 1
        self._drop: tuple[int, ...] = ()
        self._min_flex = 16

    def set_rows(
        self,
        rows: Sequence[Sequence[Cell]],
        *,
        flex: int = 1,
        drop: Sequence[int] = (),
        min_flex: int = 16,
    ) -> None:
        """Show `rows` (the previous ones are replaced); see :func:`layout` for the rest."""
        self._rows = [list(r) for r in rows]
        self._flex = flex
        self._drop = tuple(drop)
        self._min_flex = min_flex
        self.refresh(layout=True)

    @property
    def plain_rows(self) -> list[str]:
        """The rows as plain text (for tests and exports)."""
        return [" ".join(_content(c).plain for c in row) for row in self._rows]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows)

    def render(self) -> Content:
        width = self.content_size.width or self.size.width
        lines = layout(self._rows, width, flex=self._flex, drop=self._drop, min_flex=self._min_flex)
        return Content("\n").join(lines)
