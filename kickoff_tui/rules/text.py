"""Cleaning user text before it is stored: no terminal escape sequences or control characters.

Titles and descriptions are pasted from terminals, chat and documents; an ESC sequence stored in a
title would repaint a teammate's terminal. Markup-looking text ("[bold]") and emoji are left alone:
rendering it safely is the widgets' job.
"""

from __future__ import annotations

import re

__all__ = ["clean_line", "clean_text", "strip_controls", "visible"]

# String sequences (OSC, DCS, SOS, PM, APC) end at BEL or ST; the body stops at any new introducer,
# which keeps matching linear on hostile input. Unterminated ones fall through to the short-ESC rule.
_STRING_START = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
_ESCAPES = re.compile(
    _STRING_START
    + r"[^\x07\x1b\x9c\x90\x98\x9d\x9e\x9f]*(?:\x07|\x1b\\|\x9c)"  # OSC/DCS/... with terminator
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI (7- and 8-bit), e.g. colours, cursor moves
    r"|\x1b[ -/]*[0-~]"  # other ESC sequences, and bare introducers of unterminated ones
    r"|\x1b"  # a lone ESC at the end
)
# C0 and C1 controls and DEL, except the whitespace ones handled separately.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_LINE_SPACE = re.compile(r"[ \t\n]*[\t\n][ \t\n]*")


def strip_controls(s: str | None) -> str:
    """`s` without terminal escape sequences or control characters (line breaks become \n).

    The store applies this to every text value it keeps, whatever its source (a form, the CLI,
    a teammate's sync log, an import), so no row can repaint or retitle a terminal.
    """
    if not s:
        return ""
    if s.isprintable():
        return s
    s = _ESCAPES.sub("", s)
    s = _CONTROLS.sub("", s)
    return _BREAKS.sub("\n", s)


_strip_controls = strip_controls

#: Every C0 and C1 control and DEL, tab and line feed included (`visible` decides on those).
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, ESC is ␛
    return "␡" if code == 0x7F else "�"


def visible(s: str | None, *, lines: bool = False) -> str:
    """`s` safe to put on a terminal: every control character shown as a symbol (ESC as ␛).

    The one rendering helper for text leaving the program (the app's screens through a line
    filter, the command line's output): whatever a row, a sync log or a file name carries, no
    escape sequence reaches the terminal. With `lines`, line feeds and tabs are kept (and CR LF
    becomes a line feed); without, they become spaces.
    """
    if not s:
        return ""
    if s.isprintable():
        return s
    if lines:
        s = s.replace("\r\n", "\n")
        return _ANY_CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else _picture(m), s)
    return _ANY_CONTROL.sub(lambda m: " " if m.group() in "\n\t" else _picture(m), s)


def _check_length(s: str, max_len: int, what: str) -> str:
    if len(s) > max_len:
        raise ValueError(f"{what} is {len(s)} characters; keep it to at most {max_len}.")
    return s


def clean_line(s: str | None, max_len: int = 200, what: str = "Title") -> str:
    """One line of user text: escape sequences and control characters removed, tabs and line breaks
    turned into single spaces, ends stripped. Raises ValueError when empty or longer than `max_len`.
    """
    s = _LINE_SPACE.sub(" ", _strip_controls(s)).strip()
    if not s:
        raise ValueError(f"{what} can't be empty.")
    return _check_length(s, max_len, what)


def clean_text(s: str | None, max_len: int = 20000, what: str = "Description") -> str:
    """Multi-line user text: like clean_line but line breaks are kept (normalised to \\n) and tabs
    become four spaces; may be empty. Raises ValueError when longer than `max_len`.
    """
    s = _strip_controls(s).replace("\t", "    ").strip()
    return _check_length(s, max_len, what)
