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


#: The least time `wait_for` waits before it gives up: a guard against a hang, never a
#: deadline. A passing test waits only as long as its condition takes; a slow, shared machine
#: must not fail one (speed is measured in bench/, not asserted here).
HANG_GUARD = 30.0


async def wait_for(
    pilot: Pilot, predicate, timeout: float = HANG_GUARD, step: float = 0.01
) -> bool:
    """Let the app run until `predicate()` is true, the event a test waits on. Gives up (False)
    only after `timeout` or HANG_GUARD seconds, whichever is longer."""
    deadline = time.monotonic() + max(timeout, HANG_GUARD)
    while time.monotonic() < deadline:
        await pilot.pause()
        if predicate():
            return True
        await pilot.pause(step)
    return predicate()
