"""Typing fast in a text field: keys typed right after `/` go into the board's filter, not to
the board, and editing keys (ctrl+u, backspace) act in the order they were typed, so the
filter no longer empties itself when it is cleared and typed again."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.board import BoardScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import wait_for
from tests.screens.test_form import FIELDS, FormApp
from tests.screens.test_typeahead import burst

CTRL_U = ("ctrl+u", None)


def operations(store: Store) -> int:
    return store.row("SELECT count(*) FROM operation")[0]


async def settle(pilot) -> None:
    for _ in range(5):
        await pilot.pause()


async def test_filters_typed_fast_after_slash_go_into_the_box(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    before = operations(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen
        box = board.query_one("#board-filter", Input)
        for word in ("ana", "red", "chloe", "tag:ops"):
            burst(app, ("slash", "/"), CTRL_U, word)
            assert await wait_for(pilot, lambda w=word: board.filter_text == w), box.value
            await settle(pilot)
            assert app.screen is board  # no key reached the board: n opened no card
            assert box.value == word and board.filter_text == word
            burst(app, ("enter", "\r"))
            assert await wait_for(pilot, lambda: app.focused is None)
    assert operations(demo) == before  # r recoloured nothing, d deleted nothing


async def test_clearing_and_retyping_the_filter_fast_keeps_the_new_words(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen
        await pilot.press("slash")
        await pilot.pause()
        box = board.query_one("#board-filter", Input)
        assert box.has_focus
        for word in ("ana", "red", "ben", "done"):
            burst(app, CTRL_U, word)
            assert await wait_for(pilot, lambda w=word: board.filter_text == w)
            await settle(pilot)
            assert box.value == word and board.filter_text == word, box.value
        shown = {c["state"] for w in ("30", "60", "90", "later") for c in board.lane(w).cards}
        assert shown == {"done"}  # the filter still applies: not every card came back


async def test_backspace_typed_fast_in_a_form_field_edits_in_order() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.pause()
        burst(app, "Helo", ("backspace", None), "lo world", ("backspace", None), "d!")
        title = app.dialog.query_one("#field-title", Input)
        assert await wait_for(pilot, lambda: title.value.endswith("!"))
        await settle(pilot)
        assert title.value == "Hello world!"
