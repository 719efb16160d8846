"""The mark that goes beside every colour-coded status, so it reads without colour.

One scheme everywhere (screens and exports): a shape for how good it is, ● good, ▲ caution,
■ bad (◆ for "keep informed", between the two). A circle, a triangle and a square differ in
monochrome, on a washed-out projector and for red-green colour blindness, where the colours
don't. Where the status is a word ("high", "at risk") the shape goes in front of it
(:func:`labelled`); where it has no word (a progress bar, a card, a grid cell) the shape takes
the word's first letter (:func:`rag_mark`, :func:`band_mark`: ●G ▲Y ■R, ●L ▲M ■H).
"""

from __future__ import annotations

__all__ = [
    "SHAPE",
    "TREND_MARK",
    "band_mark",
    "labelled",
    "rag_mark",
    "shape",
]

#: The shape of each colour-coded status word (RAG, risk band, pace, KPI status, engagement).
SHAPE = {
    # RAG: cards, decisions, KR and objective grades
    "green": "●",
    "yellow": "▲",
    "red": "■",
    # risk bands
    "low": "●",
    "medium": "▲",
    "high": "■",
    # KR / objective pace and KPI status
    "on track": "●",
    "behind": "▲",
    "at risk": "■",
    # the engagement a stakeholder calls for
    "monitor": "●",
    "keep informed": "◆",
    "keep satisfied": "▲",
    "manage closely": "■",
}
#: The direction a key result's check-ins went.
TREND_MARK = {"up": "↑", "down": "↓", "flat": "→"}


def shape(word: str | None) -> str:
    """The shape of a status word; "" for a word without a colour ("no data yet", "dropped")."""
    return SHAPE.get(word or "", "")


def labelled(word: str) -> str:
    """A status word with its shape in front ("■ at risk"); a word without a colour as it is."""
    mark = shape(word)
    return f"{mark} {word}" if mark else word


def rag_mark(rag: str | None) -> str:
    """`●G`, `▲Y` or `■R` for a RAG colour; `·` for none or an unknown value (from a file)."""
    mark = shape(rag)
    return f"{mark}{(rag or '')[:1].upper()}" if rag in ("green", "yellow", "red") and mark else "·"


def band_mark(band: str) -> str:
    """`●L`, `▲M` or `■H` for a risk band; `·` for an unknown one."""
    return f"{SHAPE[band]}{band[:1].upper()}" if band in ("low", "medium", "high") else "·"
