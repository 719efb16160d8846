"""Switching between the main screens (keys 1–6): screens built in the background after the
first frame show at once, with fresh data, at the terminal's current size and theme."""

from __future__ import annotations

import asyncio

import pytest
from textual.color import Color
from textual.widgets import DataTable

from kickoff_tui.app import SCREENS, KickoffApp
from kickoff_tui.store import okrs
from kickoff_tui.store.ops import Store
from tests.screens.helpers import screen_text, shows, wait_for

#: What this file tests: screens built in the background (tests/conftest.py, background_builds).
pytestmark = pytest.mark.preload


def built(app: KickoffApp) -> bool:
    """Every main screen is built and has loaded its data."""
    stacks = app._screen_stacks
    return app._preloading is None and all(
        mode in stacks and getattr(stacks[mode][0], "loaded", False) for mode in SCREENS
    )


async def test_every_screen_is_built_after_the_first_frame_and_shows_on_its_key(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: built(app), timeout=10)
        screens = {mode: app._screen_stacks[mode][0] for mode in SCREENS}
        assert app.current_mode == "board"  # building them showed none of them
        for mode, (key, label, _) in [*list(SCREENS.items())[1:], ("board", SCREENS["board"])]:
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screens[mode], mode  # the same screen, not a new one
            nav = next(line for line in screen_text(app).splitlines() if "1 Board" in line)
            assert f"{key} {label}" in nav
        await pilot.press("2")
        await pilot.pause()
        assert shows(app, "KR1 Weekly activated teams Ana 40 → 71 → 120 teams")
        assert shows(app, "c Check-in")  # the footer has the OKR screen's keys
        await pilot.press("3")
        await pilot.pause()
        assert not shows(app, "c Check-in")


async def test_a_hidden_screen_shows_what_another_program_changed_meanwhile(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: built(app), timeout=10)
        kr1 = demo.row("SELECT id FROM key_result WHERE title = 'Weekly activated teams'")[0]
        other = Store(demo.path, actor="ben")
        okrs.check_in(other, kr1, value=88)
        other.close()
        app._poll()  # what the poll timer does each second
        await pilot.press("2")
        await pilot.pause()
        assert shows(app, "40 → 88 → 120 teams")
        assert not shows(app, "40 → 71 → 120 teams")


async def test_a_screen_built_at_one_size_shows_at_the_new_size(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: built(app), timeout=10)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("2")
        assert await wait_for(pilot, lambda: "Objective / key result" in screen_text(app))
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Objective / key result" in line)
        assert "Owner" not in header and "Cards" not in header
        assert all(len(line) <= 80 for line in text.splitlines())
        assert app.screen.query_one("#okr-table", DataTable).size.width <= 80


async def test_a_screen_built_in_the_dark_theme_shows_in_the_light_one(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: built(app), timeout=10)
        dark = app.screen.styles.background
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        light = Color.parse(app.current_theme.background)
        assert app.current_theme.dark is False
        assert app.screen.styles.background == light != dark


async def test_keys_work_while_the_screens_are_still_being_built(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")  # the decision log may be built yet or not: either way it shows
        assert await wait_for(pilot, lambda: app.current_mode == "decisions")
        await pilot.press("2")
        assert await wait_for(pilot, lambda: shows(app, "KR1 Weekly activated teams"))
        assert await wait_for(pilot, lambda: built(app), timeout=10)
        assert app.current_mode == "okrs"


async def test_quitting_while_a_screen_is_being_built_exits_cleanly(demo: Store) -> None:
    """ctrl+q pressed while a screen is half-built in the background: no traceback, exit 0."""
    app = KickoffApp(demo, poll=False)
    started = []
    preload_next = app._preload_next

    def preload_then_quit() -> None:
        preload_next()
        if app._preloading is not None and not started:
            started.append(app._preloading)
            app.set_timer(0.001, lambda: app.run_action("app.quit"))

    app._preload_next = preload_then_quit
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app._exit, timeout=10)
        await pilot.pause()
    assert started, "no screen was being built when the key was pressed"
    assert app.return_code == 0
    assert app._exception is None


async def test_a_test_that_ends_while_a_screen_is_being_built_ends_cleanly(demo: Store) -> None:
    """Leaving run_test (as every test does) while the standup screen is half-built in the
    background: the build finishes first, so its first load finds its widgets (it raised
    `NoMatches id='before'` as Textual closed the screen under it)."""
    app = KickoffApp(demo, poll=False)
    building = asyncio.Event()
    preload_next = app._preload_next

    def preload_then_flag() -> None:
        preload_next()
        if type(app._preloading).__name__ == "StandupScreen":
            building.set()

    app._preload_next = preload_then_flag
    async with app.run_test(size=(80, 24)):
        await building.wait()
        standup = app._preloading
        assert standup is not None and not standup.loaded  # still being built as the test ends
    assert standup.loaded
    assert app._exception is None
