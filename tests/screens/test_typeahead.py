"""Keys typed quickly after the key that opens a form go into the form, never to the screen
behind it (where `H` moves a card and `d` asks to delete one)."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.notifications import Notify
from textual.widgets import Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import cards as store_cards
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import shows, wait_for

#: Keys arrive while screens are built in the background, as for a user (tests/conftest.py).
pytestmark = pytest.mark.preload

CTRL_S = ("ctrl+s", "\x13")


def burst(app: KickoffApp, *keys: str | tuple[str, str]) -> None:
    """Keys arriving together, as from a fast typist or a paste of key presses: all of them
    reach the app before it has handled the first (Pilot.press waits after each key)."""
    for key in keys:
        for name, char in (
            [key] if isinstance(key, tuple) else [("space" if ch == " " else ch, ch) for ch in key]
        ):
            app.post_message(events.Key(name, char))


def title_field(app: KickoffApp) -> Input | None:
    """The open form's title field, once the form has it (pushed is not yet composed)."""
    screen = app.screen
    if not isinstance(screen, FormScreen):
        return None
    found = screen.query("#field-title")
    return found.first(Input) if found else None


def placement(store: Store) -> list[tuple[str, str]]:
    return [(c["title"], c["window"]) for c in store_cards.board(store)]


async def test_a_title_typed_right_after_n_goes_into_the_new_card(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = placement(demo)
        burst(app, "n", "Hello world [WIP]", CTRL_S)
        assert await wait_for(
            pilot,
            lambda: (
                not isinstance(app.screen, FormScreen)
                and any(t == "Hello world [WIP]" for t, _ in placement(demo))
            ),
        )
        after = [p for p in placement(demo) if p[0] != "Hello world [WIP]"]
        assert after == before  # no H moved a card, no d asked to delete one
        assert ("Hello world [WIP]", "60") in placement(demo)
        assert shows(app, "#22 Hello world [WIP]")


async def test_keys_typed_while_the_form_opens_keep_their_order(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "n", "Ship", " it")
        assert await wait_for(pilot, lambda: title_field(app) is not None)
        title = title_field(app)
        assert await wait_for(pilot, lambda: title.value == "Ship it"), title.value
        await pilot.press("!", "backspace", "?")  # typed once the form is up: after the rest
        assert title.value == "Ship it?"
        await pilot.press("escape", "y")  # y: discard what was typed
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert not any(t.startswith("Ship it") for t, _ in placement(demo))


async def test_y_typed_right_after_d_answers_the_question(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chosen = app.screen.current_card()["title"]
        burst(app, "d", "y")
        assert await wait_for(pilot, lambda: all(t != chosen for t, _ in placement(demo)))
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen"


async def test_keys_after_an_action_that_shows_no_form_work_as_usual(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    # Every notification as it reaches the app: on a loaded machine the first one can expire
    # before the second arrives, and `o` sets only_mine before its own notification lands.
    said: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            said.append(message.notification.message)

    async with app.run_test(size=(80, 24), notifications=True, message_hook=hook) as pilot:
        await pilot.pause()
        screen = app.screen
        burst(app, "d", "o")  # nothing to delete: a hint, then `o` still shows only my cards
        assert await wait_for(pilot, lambda: len(said) == 2)
        assert screen.only_mine
        assert said == [
            "No card here: press n to add one.",
            f"Only @{workspace.actor}'s cards (0).",
        ]


async def test_keys_still_arriving_while_the_form_mounts_come_after_the_held_ones(
    demo: Store,
) -> None:
    """As from a terminal: the rest of the title arrives in pieces while the form is built."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "n", "Move ")
        pieces = iter(["stand", "ups ", "to ", "Monday"])
        while (piece := next(pieces, None)) is not None:
            await asyncio.sleep(0.02)  # the form takes longer than this to open
            burst(app, piece)
        assert await wait_for(pilot, lambda: title_field(app) is not None)
        title = title_field(app)
        assert await wait_for(pilot, lambda: title.value == "Move standups to Monday"), title.value


async def test_a_key_arriving_just_as_the_form_takes_the_held_ones_comes_after_them(
    demo: Store,
) -> None:
    """The narrowest window of the race above, made to happen every time: the form has focus
    and its held keys are about to be pressed when the next piece of the title arrives."""
    app = KickoffApp(demo, poll=False)
    sent: list[str] = []

    def late_piece(message: object) -> None:
        if app.typeahead.releasing and not sent:
            sent.append("Monday")
            burst(app, "Monday")

    async with app.run_test(size=(80, 24), message_hook=late_piece) as pilot:
        await pilot.pause()
        burst(app, "n", "Move standups to ")
        assert await wait_for(pilot, lambda: title_field(app) is not None)
        title = title_field(app)
        assert await wait_for(pilot, lambda: title.value == "Move standups to Monday"), title.value
        assert sent == ["Monday"]
