"""Esc on a form: an untouched form closes at once, a changed one asks "Discard changes?"
first (as ctrl+q asks before quitting), and esc closing an open dropdown leaves the form open."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import shows, wait_for
from tests.screens.test_form import FIELDS, FormApp


async def test_esc_on_a_changed_form_asks_and_n_goes_back_with_the_text() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press(*"half typed", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert shows(app, "Discard changes?")
        assert shows(app, "What you typed in “New card” is not saved yet.")
        assert app.result == "unset"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is app.dialog
        assert app.screen.query_one("#field-title", Input).value == "half typed"
        await pilot.press("escape", "escape")  # esc in the question also goes back
        await pilot.pause()
        assert app.screen is app.dialog and app.result == "unset"
        await pilot.press("escape", "y")
        await pilot.pause()
    assert app.result is None


async def test_esc_on_an_untouched_form_closes_at_once() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmScreen, FormScreen))
    assert app.result is None


async def test_esc_closing_a_dropdown_leaves_the_form_open() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        owner = app.dialog.query_one("#field-owner", Select)
        owner.focus()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: owner.expanded)
        await pilot.press("escape")
        await pilot.pause()
        assert not owner.expanded
        assert app.screen is app.dialog and app.result == "unset"
        await pilot.press("enter", "down", "enter")  # pick a value: the form has a change now
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_esc_after_editing_a_card_asks_and_y_writes_nothing(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    before = demo.row("SELECT count(*) FROM operation")[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        await pilot.press("ctrl+u", *"Renamed", "tab", "tab")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and shows(app, "Discard changes?")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-title", Input).value == "Renamed"
        await pilot.press("escape", "y")
        assert await wait_for(
            pilot, lambda: not isinstance(app.screen, (FormScreen, ConfirmScreen))
        )
    assert demo.row("SELECT count(*) FROM operation")[0] == before
    assert demo.row("SELECT count(*) FROM card WHERE title = 'Renamed'")[0] == 0
