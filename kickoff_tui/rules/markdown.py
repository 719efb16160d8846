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

__all__ = ["inline"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def inline(text: str | None) -> str:
    """`text` as literal inline Markdown: one line, inline syntax characters escaped."""
    if not text:
        return ""
    lines = [line.strip() for line in str(text).splitlines()]
    flat = " / ".join(line for line in lines if line)
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", flat))
