"""Jumping to a record on its own screen with the cursor on it (the inbox's `enter`, search).

A record is named by its screen (an app mode: "board", "okrs", "risks", "standup",
"decisions", "team", ...) and its id. The screen's own `cursor_to` puts the cursor on it when
the screen has one (the board: its lanes, clearing a filter that hides the card); otherwise the
first of its tables that holds a row with that key gets the cursor and the focus (the standup's
blockers, the risk register).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.widgets import DataTable

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.screens.base import KickoffScreen

#: Records shown in a dialog rather than on a main screen: the app action that opens it
#: (an open pulse: its answer form).
DIALOGS = {"pulse": "answer_pulse"}

#: How long a jump waits for a screen never shown before to be built (it takes tens of ms).
BUILD_WAIT = 5.0
_STEP = 0.01


def put_cursor(screen: KickoffScreen, record_id: str) -> bool:
    """Put `screen`'s cursor on `record_id`; False when it shows no such record."""
    from kickoff_tui.widgets.tables import move_to_key

    select = getattr(screen, "select", None)
    if callable(select):  # the board: lanes, not a table
        if select(record_id):
            return True
        set_filter = getattr(screen, "set_filter", None)
        if callable(set_filter) and bool(getattr(screen, "filter_text", None)):
            set_filter("")  # a filter hid it: show everything rather than nothing
            return bool(select(record_id))
        return False
    for attempt in range(2):
        for table in screen.query(DataTable):
            if move_to_key(table, record_id):
                table.focus()
                return True
        clear_filter = getattr(screen, "clear_filter", None)
        if attempt or not callable(clear_filter) or not getattr(screen, "filter_words", ()):
            break
        clear_filter()  # the filter (/) hid it: show everything rather than nothing
    return False


async def jump(app: KickoffApp, mode: str, record_id: str, what: str = "") -> bool:
    """Show the screen `mode` and put its cursor on `record_id`; says so when it can't."""
    from kickoff_tui.app import SCREENS

    if mode in DIALOGS:
        await app.run_action(DIALOGS[mode])
        return True
    if mode not in SCREENS:
        app.notify(f"Nowhere to show {what or 'that'}.", markup=False)
        return False
    app.action_go(mode)
    waited = 0.0
    while True:
        screen = app.kickoff_screen
        if screen is not None and screen.MODE == mode and screen.loaded and screen.is_current:
            break
        if waited >= BUILD_WAIT:
            return False
        await asyncio.sleep(_STEP)
        waited += _STEP
    if put_cursor(screen, record_id):
        return True
    app.notify(
        f"{what or 'That item'} is not on the {SCREENS[mode][1]} screen any more.", markup=False
    )
    return False
