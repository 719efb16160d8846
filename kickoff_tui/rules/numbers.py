"""Reading numbers typed by users and showing numbers back to them.

Users type numbers the way their locale writes them ("12,5", "1 000", "45%"); a form must either read
the value they meant or say what it expects, never guess silently into a wrong magnitude.
"""

from __future__ import annotations

import math
import re

__all__ = ["format_number", "parse_number"]

_MINUS_SIGNS = "-\u2212\u2013"  # ASCII hyphen-minus, Unicode minus, en dash (pasted from documents)
_SPACE_GROUP = (
    " \u00a0\u202f\u2009'"  # space, no-break space, narrow no-break, thin space, apostrophe
)

_PLAIN_INT = re.compile(r"\d+")
_DOT_DECIMAL = re.compile(r"\d*\.\d+")
_COMMA_DECIMAL = re.compile(r"\d*,\d+")
# "1,000" or "12,500": a thousands comma in English, a decimal comma elsewhere. Refused.
_AMBIGUOUS_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}")
# Integer part in groups of three with one separator, optional decimal part with another.
_GROUPED = re.compile(
    r"(?P<head>\d{1,3})(?P<groups>(?:(?P<sep>[,. \u00a0\u202f\u2009'])\d{3})(?:(?P=sep)\d{3})*)"
    r"(?:(?P<dec>[.,])(?P<frac>\d+))?"
)


def _shown(text: str) -> str:
    """The user's text, made printable and short enough to quote in a one-line message."""
    shown = "".join(ch if ch.isprintable() else "?" for ch in text.strip())
    return shown if len(shown) <= 20 else shown[:19] + "…"


def _error(text: str) -> ValueError:
    if not text.strip():
        return ValueError("Enter a number such as 12, 12.5, 12,5 or 45%.")
    return ValueError(f"Enter a number such as 12, 12.5, 12,5 or 45% (got '{_shown(text)}').")


def _digits(s: str) -> str | None:
    """Normalise an unsigned number to 'int.frac' form, or None if it isn't one we can read."""
    if _PLAIN_INT.fullmatch(s) or _DOT_DECIMAL.fullmatch(s):
        return s
    if _AMBIGUOUS_COMMA.fullmatch(s):
        raise ValueError(
            f"'{s}' could mean {s.replace(',', '')} or {s.replace(',', '.')}; "
            f"write {s.replace(',', '')} or {s.replace(',', '.')} instead."
        )
    if _COMMA_DECIMAL.fullmatch(s):  # a single comma and no dot is a decimal comma
        return s.replace(",", ".")
    m = _GROUPED.fullmatch(s)
    if m is None:
        return None
    sep, dec = m.group("sep"), m.group("dec")
    if dec is not None and dec == sep:
        return None  # "1,000,5": the decimal mark must differ from the thousands separator
    whole = m.group("head") + re.sub(r"\D", "", m.group("groups"))
    return whole + ("." + m.group("frac") if dec else "")


def parse_number(text: str) -> float:
    """Read a number typed by a user: "12", "12.5", "12,5", "1,000.5", "1 000", "45%", "-3".

    A single comma with no dot is a decimal comma ("12,5" is 12.5); "1,000" could be either, so it is
    refused with a sentence rather than read as one thousand times too small or large; thousands
    separators are recognised when the number also has a decimal mark of the other kind ("1,000.5",
    "1.000,5"), when a space separates groups ("1 000") or when the separator repeats ("1,000,000").
    A trailing percent sign is only a unit: "45%" is 45.0. Raises ValueError with one sentence otherwise.
    """
    if not isinstance(text, str):
        raise _error(str(text))
    s = text.strip()
    if s.endswith("%"):
        s = s[:-1].rstrip()
    sign = 1.0
    if s[:1] == "+":
        s = s[1:]
    elif s[:1] and s[:1] in _MINUS_SIGNS:
        sign, s = -1.0, s[1:]
    digits = _digits(s) if s else None
    if digits is None:
        raise _error(text)
    value = float(digits)
    if not math.isfinite(value):
        raise ValueError(f"'{_shown(text)}' is too large to store; enter a smaller number.")
    return sign * value + 0.0  # + 0.0 turns -0.0 into 0.0


def format_number(x: float) -> str:
    """Show a number with at most 2 decimals, no trailing zeros and never in exponent form.

    12.0 -> "12", 12.5 -> "12.5", 0.333333 -> "0.33", 1e20 -> "100000000000000000000".
    The result always reads back with parse_number. Raises ValueError for NaN and infinities.
    """
    if isinstance(x, bool):
        x = int(x)
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"Can't show {x!r}: only finite numbers can be displayed.")
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s
