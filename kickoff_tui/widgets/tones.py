"""What a colour means, in one place: statuses styled by the active theme, never by colour name.

A hard-coded "yellow" vanishes on the light theme and "red" beside "green" is one grey under
kickoff-mono; the theme's own text colours (`$text-success`, `$text-warning`, `$text-error`,
...) are made to read on its background. Screens and widgets style by meaning with these
strings and the status maps below (RAG, risk bands, OKR pace, trends), so every theme draws
them readably and a theme change recolours them:

- `Content` takes the strings as they are (the widget fills in the variables);
- a Rich `Text` with them must be a `Toned`: in a DataTable cell (drawn by Rich, which knows
  no theme variables) a plain Text would silently lose the colour, and shown by Textual (a
  Static, an option list) its parts' styles are read as Rich ones and fail. A Toned fills
  them in each time it is drawn, and the table redraws after a theme change.

`tests/screens/test_tones.py` fails on a colour name in a screen or widget.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Span, Text
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.style import Style

#: Good news: done, on track, answered.
OK = "$text-success"
#: Needs watching: behind, due soon, a conflict to look at.
WARN = "$text-warning"
#: Needs someone now: overdue, at risk, no owner.
BAD = "$text-error"
#: Neutral emphasis that is not a status: people's names, readings on a plot, "mine".
INFO = "$text-primary"
#: Headings inside a panel.
ACCENT = "$text-accent"
#: Less important (no data, none, flat). Rich's dim, not `$text-muted`: that one is relative
#: to the background ("auto 60%"), which a DataTable cell drawn by Rich doesn't know.
MUTED = "dim"


def strong(tone: str) -> str:
    """`tone` in bold: the one thing on a row that must be seen."""
    return f"bold {tone}"


#: A card's, decision's or KR grade's RAG.
RAG = {"green": OK, "yellow": WARN, "red": BAD}
#: A risk's band (rules/risk.py).
BAND = {"low": OK, "medium": WARN, "high": strong(BAD)}
#: A key result's pace (rules/okr.py) and its dropped state in the OKR review.
PACE = {
    "on track": OK,
    "behind": WARN,
    "at risk": strong(BAD),
    "no data yet": MUTED,
    "dropped": MUTED,
}
#: A trend's direction.
TREND = {"up": OK, "down": BAD, "flat": MUTED}


def resolve(style: str | RichStyle) -> str | RichStyle:
    """A style with the active theme's variables filled in (a Rich style), or `style` as it is
    when it has none."""
    if isinstance(style, str) and "$" in style:
        return Style.parse(style).rich_style
    return style


class Toned(Text):
    """A Rich Text whose `$variable` styles (the constants above) take the active theme's
    colours wherever it is shown: drawn by Rich (a DataTable cell) it fills them in each time;
    shown by Textual (a Static, an OptionList, a widget's `render`) it becomes `Content`,
    which keeps them for the widget to fill in. (A plain Text with a `$variable` in a part of
    it fails there: Textual reads its parts' styles as Rich styles.)"""

    @classmethod
    def of(cls, text: Text) -> Toned:
        """`text` (e.g. what `Text.join` made of Toned parts) as a Toned."""
        toned = cls(
            text.plain,
            style=text.style,
            justify=text.justify,
            overflow=text.overflow,
            no_wrap=text.no_wrap,
            end=text.end,
        )
        toned.spans = list(text.spans)
        return toned

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        drawn = self.copy()
        drawn.style = resolve(self.style)
        drawn.spans = [Span(s.start, s.end, resolve(s.style)) for s in self.spans]
        yield from drawn.__rich_console__(console, options)

    def visualize(self, *_: object) -> Content:
        """Textual's visual protocol: the same text and styles as Content."""

        def style(value: str | RichStyle) -> str | Style:
            return value if isinstance(value, str) else Style.from_rich_style(value)

        content = Content(
            self.plain, [ContentSpan(s.start, s.end, style(s.style)) for s in self.spans]
        )
        return content.stylize_before(style(self.style)) if self.style else content
