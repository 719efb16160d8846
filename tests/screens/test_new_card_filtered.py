"""A new card made on a filtered board takes what the filter names (its key result, owner,
state, colour, tags) so that it shows; when the filter would still hide it, the board says so."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.rules.card_filter import new_card_defaults, parse_filter
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import wait_for
from tests.screens.test_okrs import go_to, open_okrs


def made(store: Store, title: str) -> dict:
    row = store.row(
        "SELECT c.*, p.handle FROM card c LEFT JOIN person p ON p.id = c.owner_id "
        "WHERE c.title = ? AND c.deleted = 0",
        (title,),
    )
    return dict(row) if row else {}


def test_what_a_filter_names_for_a_new_card() -> None:
    assert new_card_defaults(parse_filter("kr:3 ship @ben doing red tag:ops")) == {
        "kr_num": 3,
        "owner": "ben",
        "state": "doing",
        "rag": "red",
        "tags": "ops",
    }
    assert new_card_defaults(parse_filter("@ana @ben todo doing", mine="chloe")) == {
        "owner": "chloe"
    }
    assert new_card_defaults(parse_filter("words only #12")) == {}


@pytest.mark.preload
async def test_n_on_a_board_opened_with_b_gets_the_key_result_and_shows(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    kr3 = demo.row(
        "SELECT id FROM key_result WHERE deleted = 0 ORDER BY created_at, id LIMIT 1 OFFSET 2"
    )[0]
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR3")
        await pilot.press("b")
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        assert await wait_for(pilot, lambda: app.screen.filter_text == "kr:3")
        board = app.screen
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"Tour for admins", "ctrl+s")
        assert await wait_for(pilot, lambda: bool(made(demo, "Tour for admins")))
        assert made(demo, "Tour for admins")["key_result_id"] == kr3
        await pilot.pause()
        assert board.current_card()["title"] == "Tour for admins"  # shown, cursor on it
        assert not [n for n in app._notifications if n.title == "Hidden by the filter"]


async def test_n_with_an_owner_and_state_filter_fills_them_in(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("slash", *"@ben blocked", "enter", "n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"Vendor contract", "ctrl+s")
        assert await wait_for(pilot, lambda: bool(made(demo, "Vendor contract")))
        card = made(demo, "Vendor contract")
        assert (card["handle"], card["state"]) == ("ben", "blocked")
        await pilot.pause()
        assert app.screen.current_card()["title"] == "Vendor contract"


async def test_a_new_card_the_filter_still_hides_is_announced(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("slash", *"wizard", "enter", "n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"Pricing page", "ctrl+s")
        assert await wait_for(pilot, lambda: bool(made(demo, "Pricing page")))
        num = demo.row("SELECT count(*) FROM card")[0]
        assert await wait_for(
            pilot, lambda: any(n.title == "Hidden by the filter" for n in app._notifications)
        )
        said = [n.message for n in app._notifications if n.title == "Hidden by the filter"]
        assert said == [
            f"#{num} Pricing page is saved, but the filter “wizard” hides it. esc shows every card."
        ]
