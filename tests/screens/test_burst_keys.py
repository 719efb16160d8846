"""Keys sent in one burst (tmux send-keys, a fast typist) each act, in order: the retro board's
columns and the monthly OKR review's form (opened with R, then typed into at once)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.okr_review import OkrReviewScreen
from kickoff_tui.screens.retro import RetroScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import shows, wait_for
from tests.screens.test_retro import open_retro
from tests.screens.test_typeahead import burst

pytestmark = pytest.mark.preload  # every test here switches screens

RIGHT, LEFT, HOME = ("right", None), ("left", None), ("home", None)


async def test_right_right_in_one_burst_moves_two_columns_on_the_retro_board(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_retro(app, pilot)
        table = screen.query_one("#retro-change").table
        assert screen.column == "well"
        burst(app, RIGHT, RIGHT)
        assert await wait_for(pilot, lambda: app.focused is table)
        await pilot.pause()
        assert screen.column == "change" and app.focused is table
        active = [c.kind for c in screen.query(".retro-column") if c.has_class("-active")]
        assert active == ["change"]  # the column that looks chosen is the one keys act on
        burst(app, LEFT, LEFT, LEFT)  # round the board: change → not well → well → change
        assert await wait_for(pilot, lambda: app.focused is table and screen.column == "change")
        for _ in range(3):
            await pilot.pause()
        assert screen.column == "change" and app.focused is table


async def test_keys_typed_right_after_R_go_into_the_review_form(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs")
        await pilot.pause()
        burst(app, "R", HOME, RIGHT, RIGHT, RIGHT, "x", ("ctrl+s", "\x13"))
        assert await wait_for(pilot, lambda: isinstance(app.screen, (FormScreen,)))
        field = app.screen.query_one("#field-attendees", Input)
        # every key acted, in order: "ana" then x, and ctrl+s tried to save
        assert await wait_for(pilot, lambda: field.value == "anax ben chloe dev eunji")
        assert await wait_for(pilot, lambda: shows(app, "There is nobody called 'anax'"))
        assert not isinstance(app.screen, OkrReviewScreen)


async def test_y_typed_right_after_R_starts_the_retro(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        assert await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.pause()
        burst(app, "R", "y")  # the y answers "Start a retrospective?"
        assert await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
