"""A line filter that shows control characters as symbols on every screen of the app.

The store strips escape sequences from what it writes, but a row edited with another program,
an author name or replica id from a teammate's log or a file name can still carry them; Textual
would send them to the terminal raw (a window title change, a cleared screen). This filter sees
every line of every widget just before it is drawn, so no screen needs to remember it.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from kickoff_tui.rules.text import visible


class VisibleControls(LineFilter):
    """Replace control characters in drawn text with their symbols (ESC as ␛)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(text.isprintable() for text, _style, control in segments if not control):
            return segments
        return [seg if seg.control or seg.text.isprintable()
                else Segment(visible(seg.text), seg.style) for seg in segments]
