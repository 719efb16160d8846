"""The monochrome theme kickoff starts with when NO_COLOR is set (https://no-color.org).

Textual itself turns every colour to grey under NO_COLOR; a theme made for colour then
leaves greys that barely differ (a success-tinted cell next to an error-tinted one). This
one is made of greys far apart, so the cursor, panels and the risk grid's bands stay
distinct; the statuses themselves read by their marks (rules/status.py), never by shade.
"""

from __future__ import annotations

import os

from textual.theme import Theme

MONO_THEME = "kickoff-mono"

MONO = Theme(
    name=MONO_THEME,
    dark=True,
    primary="#d0d0d0",
    secondary="#a0a0a0",
    accent="#ffffff",
    foreground="#e8e8e8",
    background="#000000",
    surface="#141414",
    panel="#2a2a2a",
    boost="#303030",
    # Bad is brightest, good dimmest: what needs attention stands out in grey too.
    error="#ffffff",
    warning="#c8c8c8",
    success="#8c8c8c",
    variables={
        "block-cursor-background": "#e8e8e8",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#ffffff",
        "input-selection-background": "#606060",
    },
)


def no_color() -> bool:
    """Whether the user asked for no colour: NO_COLOR set and not empty (no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))
