"""A line filter that shows control characters as symbols on every screen of the app.

The store strips escape sequences from what it writes, but a row edited with another program,
an author name or replica id from a teammate's log or a file name can still carry them; Textual
would send them to the terminal raw (a window title change, a cleared screen). This filter sees
every line of every widget just before it is drawn, so no screen needs to remember it.

Control characters take no cells when a line is laid out, and their symbols take one each, so
the filter gives the line back its width: it takes the extra cells from the spaces that pad it
(the gap before a column's border), or crops the line's end when there are none.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from kickoff_tui.rules.text import visible


class VisibleControls(LineFilter):
    """Replace control characters in drawn text with their symbols (ESC as ␛)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(text.isprintable() for text, _style, control in segments if not control):
            return segments
        width = sum(cell_len(s.text) for s in segments if not s.control)
        shown = [
            seg if seg.control or seg.text.isprintable() else Segment(visible(seg.text), seg.style)
            for seg in segments
        ]
        extra = sum(cell_len(s.text) for s in shown if not s.control) - width
        for i in range(len(shown) - 1, -1, -1):  # take the extra cells from padding spaces
            if extra <= 0:
                break
            text, style, control = shown[i]
            if control:
                continue
            spaces = len(text) - len(text.rstrip(" "))
            take = min(extra, spaces)
            if take:
                shown[i] = Segment(text[: len(text) - take], style)
                extra -= take
        if extra > 0:
            shown = Segment.adjust_line_length(shown, width)
        return shown
