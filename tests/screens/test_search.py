"""ctrl+p finds any record by words or by number and jumps to it with the cursor on it."""

from __future__ import annotations

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.tables import cursor_key
from tests.screens.helpers import wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


def _first_hit(app: KickoffApp) -> str:
    lists = app.screen.query(CommandList)
    if not lists or not lists.first().option_count:
        return ""
    return str(lists.first().get_option_at_index(0).prompt)


async def search_for(app: KickoffApp, pilot, query: str, expect: str) -> None:
    """ctrl+p, type `query`, wait until the first hit is `expect`, press enter."""
    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*query)
    assert await wait_for(pilot, lambda: _first_hit(app).startswith(expect)), _first_hit(app)
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))


def _id(store: Store, table: str, title: str) -> str:
    return store.row(f"SELECT id FROM {table} WHERE title = ?", (title,))["id"]


async def test_a_card_by_words_opens_on_the_board_with_the_cursor_on_it(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")  # from another screen
        assert await wait_for(pilot, lambda: app.current_mode == "risks")
        await search_for(app, pilot, "load test", "#10 Run the load test")
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        board = app.screen
        card = _id(demo, "card", "Run the load test at 3× traffic")
        assert await wait_for(pilot, lambda: (board.current_card() or {}).get("id") == card)


async def test_a_risk_and_a_key_result_by_number(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await search_for(app, pilot, "R4", "R4 Trials don't reach value")
        assert await wait_for(pilot, lambda: app.current_mode == "risks")
        risk = demo.row("SELECT id FROM risk WHERE title LIKE 'Trials don''t reach%'")["id"]
        assert await wait_for(
            pilot, lambda: isinstance(app.focused, DataTable) and cursor_key(app.focused) == risk
        )

        await search_for(app, pilot, "KR3", "KR3 Onboarding milestones")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs")
        kr = _id(demo, "key_result", "Onboarding milestones shipped")
        assert await wait_for(pilot, lambda: cursor_key(app.screen.table) == kr)


async def test_a_risk_by_words_and_a_person_by_handle(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await search_for(app, pilot, "auditor slot", "R2 SOC 2 auditor slot slips")
        assert await wait_for(pilot, lambda: app.current_mode == "risks")
        risk = _id(demo, "risk", "SOC 2 auditor slot slips")
        assert await wait_for(pilot, lambda: cursor_key(app.screen.table) == risk)

        await search_for(app, pilot, "@dev", "@dev Dev Patel")
        assert await wait_for(pilot, lambda: app.current_mode == "team")
        dev = demo.row("SELECT id FROM person WHERE handle = 'dev'")["id"]
        assert await wait_for(pilot, lambda: cursor_key(app.screen.table) == dev)
