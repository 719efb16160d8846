"""Reading the screen as a person would: the visible text, row by row."""

from __future__ import annotations

import time

from textual.app import App
from textual.pilot import Pilot

#: Text that looks like Rich/Textual markup. Every screen must show it exactly as typed.
MARKUP_CORPUS = [
    "[/]",
    "[WIP] ship",
    "a[/x] b",
    "[@click=app.quit]x[/]",
    "[bold red]loud[/bold red]",
    "[link=https://example.com]click[/link]",
    "50% [done]",
    "\\[escaped]",
]


def screen_text(app: App) -> str:
    """Everything visible on the current screen, as plain text lines."""
    update = app.screen._compositor.render_full_update(simplify=True)
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip) for line in update.strips
    )


def shows(app: App, text: str) -> bool:
    """Whether `text` is on screen, even when wrapped over lines inside a box or column."""
    import re

    flat = re.sub(r"[│┃▕▏|╭╮╰╯─]+", " ", screen_text(app))
    return " ".join(text.split()) in " ".join(flat.split())


async def wait_for(pilot: Pilot, predicate, timeout: float = 3.0, step: float = 0.05) -> bool:
    """Let the app run until `predicate()` is true (or `timeout` wall-clock seconds pass)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause()
        if predicate():
            return True
        await pilot.pause(step)
    return predicate()
