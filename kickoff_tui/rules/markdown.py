"""Putting user text into Markdown without letting it add structure.

The minutes are pasted into chat, so a card called "*urgent* [see](http://x)" must come out as
those characters, not as emphasis and a link. Two measures, both minimal:

- user text is only ever placed *inside* a line after fixed text ("- Done: ", "**B3** "), never at
  the start of one, so line-start syntax (headings, lists, quotes, tables, fences) can't trigger;
  line breaks in user text are joined with " / " to keep it on that line;
- inside the line, the characters that start inline syntax are backslash-escaped: ``\\ ` * _ [ ]
  < > | ~`` and ``&`` when it would start an entity (``&amp;``). Everything else ("R&D", "50%",
  "#12", emoji) is left as typed, so the raw text stays readable.
"""

from __future__ import annotations

import re

__all__ = ["block", "escape", "inline", "one_line", "table"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a line a heading or a list item when it starts one: "# x", "- x", "+ x", "1. x".
_LINE_START = re.compile(r"^(\d*)([-=+#.)])")


def escape(text: object) -> str:
    """The one Markdown escaper: inline syntax characters (``<`` ``>`` included, so no HTML
    gets through) and ``&`` before an entity backslash-escaped; line breaks left as they are.
    Every user- or sync-supplied value in an export goes through it (dates and states too)."""
    if text is None or text == "":
        return ""
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", str(text)))


def inline(text: object, joiner: str = " / ") -> str:
    """`text` as literal inline Markdown: one line (its lines joined by `joiner`), escaped."""
    if text is None or text == "":
        return ""
    lines = [line.strip() for line in str(text).splitlines()]
    return escape(joiner.join(line for line in lines if line))


def one_line(text: object) -> str:
    """User text made literal in Markdown, line breaks and runs of spaces made one space (for
    headings, list items, table cells)."""
    if text is None:
        return ""
    return escape(" ".join(str(text).split()))


def block(text: object) -> str:
    """Multi-line user text made literal in Markdown, keeping its paragraphs and lines (a line
    that would start a heading or a list item has that character escaped)."""
    lines = []
    for raw in str(text or "").splitlines():
        line = _LINE_START.sub(r"\1\\\2", escape(raw.strip()), count=1)
        if line:
            lines.append(line)
    # Two trailing spaces are a Markdown hard break: the author's line breaks stay.
    return "  \n".join(lines)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table's lines: the header, its rule, a line a row. The cells are already
    escaped; an empty one is a space, so the row keeps its columns."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines
