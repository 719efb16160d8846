"""Clicking a tab in the nav bar shows its screen, as its key does."""

from __future__ import annotations

import pytest

from kickoff_tui.app import SCREENS, KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.nav import NavTab
from tests.screens.helpers import screen_text, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def test_a_click_on_every_tab_shows_that_screen(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        order = [*list(SCREENS)[1:], "board"]
        for mode in order:
            tab = next(t for t in app.screen.query(NavTab) if t.mode == mode)
            assert await pilot.click(tab)
            assert await wait_for(pilot, lambda m=mode: app.current_mode == m), mode
            key, label, _ = SCREENS[mode]
            current = next(t for t in app.screen.query(NavTab) if t.has_class("-current"))
            assert current.mode == mode  # the clicked tab is now the highlighted one
            assert f"{key} {label}" in screen_text(app)
