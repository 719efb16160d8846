"""Keys as users expect them (issue 20): every table and list moves with j / k and the arrows,
g / G and home / end go to the top / bottom, on each kind of list kickoff has."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, OptionList

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.conflicts import ConflictsScreen
from kickoff_tui.store import people as ps
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import wait_for
from tests.screens.test_conflicts import open_conflicts, pair


@pytest.mark.preload
async def test_a_table_moves_with_j_k_g_G_home_and_end(demo: Store) -> None:
    """The Team table (a plain DataTable before) moves like every other table."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        assert await wait_for(pilot, lambda: app.current_mode == "team")
        table = app.screen.query_one("#team-table", DataTable)
        assert await wait_for(pilot, lambda: table.row_count > 3)
        table.focus()
        await pilot.pause()
        last = table.row_count - 1
        assert table.cursor_row == 0
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == last
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("end")
        assert table.cursor_row == last
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("down")
        assert table.cursor_row == 1


async def test_the_raci_matrix_goes_to_its_first_and_last_row(demo: Store) -> None:
    """A matrix with a cell cursor: g / G change the row and keep the column."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        await pilot.pause()
        await pilot.press("R")
        table = await _raci_table(app, pilot)
        await pilot.press("right")
        column = table.cursor_coordinate.column
        await pilot.press("G")
        assert table.cursor_coordinate == (table.row_count - 1, column)
        await pilot.press("k")
        assert table.cursor_coordinate.row == table.row_count - 2
        await pilot.press("home")
        assert table.cursor_coordinate == (0, column)


async def _raci_table(app: KickoffApp, pilot) -> DataTable:
    assert await wait_for(pilot, lambda: app.screen.query("#raci-table").first(None) is not None)
    table = app.screen.query_one("#raci-table", DataTable)
    assert await wait_for(pilot, lambda: table.row_count > 3)
    table.focus()
    await pilot.pause()
    return table


async def test_a_list_moves_with_j_k_g_G_home_and_end(workspace: Store, monkeypatch) -> None:
    """An OptionList (here the first-run checklist; conflicts and speakers are the same)."""
    monkeypatch.delenv("KICKOFF_USER")
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        await pilot.press(*"Ana Silva", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FirstRunScreen")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        last = options.option_count - 1
        await pilot.press("g")
        assert options.highlighted == 0
        await pilot.press("j", "j")
        assert options.highlighted == 2
        await pilot.press("k")
        assert options.highlighted == 1
        await pilot.press("G")
        assert options.highlighted == last
        await pilot.press("home")
        assert options.highlighted == 0
        await pilot.press("end")
        assert options.highlighted == last
        await pilot.press("up")
        assert options.highlighted == last - 1


async def test_the_board_goes_to_a_columns_first_and_last_card(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        board = app.screen
        assert await wait_for(pilot, lambda: len(board.current_lane.cards) > 2)
        lane = board.current_lane
        last = len(lane.cards) - 1
        await pilot.press("G")
        assert lane.cursor == last
        await pilot.press("g")
        assert lane.cursor == 0
        await pilot.press("j")
        assert lane.cursor == 1
        await pilot.press("end")
        assert lane.cursor == last
        await pilot.press("home")
        assert lane.cursor == 0


# ---------------------------------------------------------------------- q closes, / filters


@pytest.mark.preload
async def test_slash_filters_the_team_and_esc_brings_everyone_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        assert await wait_for(pilot, lambda: app.current_mode == "team")
        table = app.screen.query_one("#team-table", DataTable)
        assert await wait_for(pilot, lambda: table.row_count > 3)
        everyone = table.row_count
        await pilot.press("slash", *"okafor")
        assert await wait_for(pilot, lambda: names(table) == ["Ben Okafor"])
        await pilot.press("enter")  # keeps the filter, back in the table
        assert app.focused is table and names(table) == ["Ben Okafor"]
        await pilot.press("p")  # the person page of the one row shown
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PersonScreen")
        await pilot.press("q")
        assert await wait_for(pilot, lambda: app.current_mode == "team" and app.screen.is_current)
        assert app.screen.__class__.__name__ == "TeamScreen"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: table.row_count == everyone)


@pytest.mark.preload
async def test_slash_filters_okrs_decisions_and_the_inbox(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await filters(app, pilot, "2", "okrs", "#okr-table")
        await filters(app, pilot, "6", "decisions", "#decision-table")
        await filters(app, pilot, "0", "inbox", "#inbox-table")


async def filters(app: KickoffApp, pilot, key: str, mode: str, table_id: str) -> None:
    """`/` and the longest word of the first row: fewer rows, none lost; esc: all of them."""
    await pilot.press(key)
    assert await wait_for(pilot, lambda: app.current_mode == mode)
    table = app.screen.query_one(table_id, DataTable)
    assert await wait_for(pilot, lambda: table.row_count > 1)
    before = table.row_count
    first = " ".join(getattr(c, "plain", str(c)) for c in table.get_row_at(0))
    word = max(first.split(), key=len)
    await pilot.press("slash", *word)
    assert await wait_for(pilot, lambda: 0 < table.row_count < before), mode
    await pilot.press("escape")
    assert await wait_for(pilot, lambda: table.row_count == before), mode


@pytest.mark.preload
async def test_q_types_in_a_form_field_and_closes_the_form_elsewhere(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        assert await wait_for(pilot, lambda: app.current_mode == "team")
        await pilot.pause()
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        await pilot.press(*"Quinn q")
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-name", Input).value == "Quinn q"
        form.query_one("#form-cancel", Button).focus()
        await pilot.pause()
        await pilot.press("q")  # not in a text field: as esc, so it asks first (typed text)
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("q")  # q on the question is "no": back to the form, text intact
        assert await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#field-name", Input).value == "Quinn q"
        await pilot.press("q", "y")
        assert await wait_for(pilot, lambda: app.current_mode == "team" and app.screen.is_current)
    assert not any(p["name"].startswith("Quinn") for p in ps.everyone(demo))


async def test_q_closes_the_conflicts_view(tmp_path: Path, frozen) -> None:
    _ana, ben, _torn, _gone = pair(tmp_path)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflicts(app, pilot)
        await pilot.press("q")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConflictsScreen))
        assert app.is_running


def names(table: DataTable) -> list[str]:
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]
