"""`?` help at 80×24: a scrolling list whose last section can be reached, searchable with `/`."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.help import HelpScreen
from kickoff_tui.store.ops import Store
from tests.screens.helpers import shows, wait_for

EVERYWHERE = ["^z Undo the last change", "S Sync now", "! Conflicts", "^q Quit"]


async def test_board_help_scrolls_to_the_everywhere_keys_at_80x24(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert shows(app, "n New card in this window")
        assert not shows(app, "^q Quit")  # it doesn't all fit: the list scrolls
        await pilot.press("end")
        await pilot.pause()
        for row in EVERYWHERE:
            assert shows(app, row), row
        assert not shows(app, "n New card in this window")
        await pilot.press("home")
        await pilot.pause()
        assert shows(app, "n New card in this window") and not shows(app, "^q Quit")
        # j and pgdn walk down to the same place; g goes back to the top
        await pilot.press(*["j"] * 3, "pagedown", "pagedown")
        await pilot.pause()
        assert shows(app, "^q Quit")
        await pilot.press("g")
        await pilot.pause()
        assert shows(app, "n New card in this window")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


@pytest.mark.preload
async def test_standup_help_reaches_its_last_keys_with_the_arrow(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        assert await wait_for(pilot, lambda: app.current_mode == "standup")
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one(DataTable)
        await pilot.press(*["down"] * table.row_count)
        await pilot.pause()
        assert shows(app, "^q Quit") and shows(app, "ctrl+p Command palette")


async def test_slash_searches_the_keys_and_esc_clears_the_search_first(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("slash", *"sync")
        await pilot.pause()
        assert shows(app, "S Sync now") and shows(app, "Everywhere")
        assert not shows(app, "n New card") and not shows(app, "This screen")
        await pilot.press("escape")  # leaves the search: every key again, help still open
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and shows(app, "n New card in this window")
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert shows(app, "No key matches “zzz”.")
        await pilot.press("escape", "escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
