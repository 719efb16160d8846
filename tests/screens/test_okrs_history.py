"""A key result's history (h): the table, the plot against the target, and correcting a check-in."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.okr_history import OkrHistoryScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import shows, wait_for
from tests.screens.test_okrs import clear_and_type, form_open, go_to, kr, open_okrs

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_history(app, pilot, ref: str) -> DataTable:
    table = await open_okrs(app, pilot)
    await go_to(pilot, table, ref)
    await pilot.press("h")
    assert await wait_for(pilot, lambda: isinstance(app.screen, OkrHistoryScreen))
    await pilot.pause()
    return app.screen.query_one("#history-table", DataTable)


async def test_the_history_lists_check_ins_and_plots_them_against_the_target(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_history(app, pilot, "KR1")
        assert history.row_count == 5
        assert shows(app, "KR1 Weekly activated teams · check-ins")
        assert shows(app, "5 Nov 21 71 teams 6/10 Ana On the usual path")
        assert shows(app, "120 ┤╌╌╌╌")  # the target line, labelled
        assert shows(app, "day 0")
        assert shows(app, "day 90")
        assert history.cursor_row == 4  # the latest check-in
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, OkrHistoryScreen))


async def test_correcting_a_past_check_in_keeps_the_original(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        history = await open_history(app, pilot, "KR1")
        await pilot.press("up")  # check-in #4 (66 teams)
        await pilot.press("enter")
        form = await form_open(app, pilot)
        assert form.query_one("#field-value", Input).value == "66"
        assert [(f.name, f.label, f.required, f.hint) for f in form.fields] == [
            ("value", "Value", True, ""),
            ("confidence", "Confidence", False, "0–10"),
            ("note", "Note", False, "why it changed; the original stays in the history"),
        ]
        await clear_and_type(pilot, "abc")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)
        await clear_and_type(pilot, "61")
        await pilot.press("tab", "tab")
        await clear_and_type(pilot, "Counted a test team")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, OkrHistoryScreen))
        await pilot.pause()
        row = kr(demo, "Weekly activated teams")
        checkins = demo.rows(
            "SELECT * FROM check_in WHERE key_result_id = ? ORDER BY at, created_at", (row["id"],)
        )
        assert [c["value"] for c in checkins] == [44, 52, 57, 66, 61, 71]
        original, fix = checkins[3], checkins[4]
        assert (fix["corrects_id"], fix["at"], fix["note"]) == (
            original["id"],
            original["at"],
            "Counted a test team",
        )
        assert row["current"] == 71.0  # the latest check-in still counts
        assert history.row_count == 6
        assert shows(app, "4 Nov 14 66 teams 6/10 Ana corrected · Weekly check-in")
        assert shows(app, "5 Nov 14 61 teams 6/10 Ana corrects #4: Counted a test team")
        # a corrected check-in can't be corrected again: the correction can
        assert history.get_row_at(history.cursor_row)[0].plain == "4"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OkrHistoryScreen)
        assert await wait_for(pilot, lambda: shows(app, "Check-in #4 was already corrected by #5"))
        await pilot.press("escape")
        await pilot.pause()
        assert shows(app, "▁▃▄▅█")  # the sparkline follows the correction (was ▁▃▄▇█)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.row("SELECT deleted FROM check_in WHERE id = ?", (fix["id"],))[0] == 1


async def test_correcting_the_latest_check_in_moves_the_key_result(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_history(app, pilot, "KR7")
        await pilot.press("enter")
        await form_open(app, pilot)
        await clear_and_type(pilot, "5")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, OkrHistoryScreen))
        await pilot.pause()
        assert kr(demo, "Paying teams")["current"] == 5.0
        await pilot.press("escape")
        await pilot.pause()
        assert shows(app, "0 → 5 → 25 teams")


async def test_a_tall_screen_plots_the_highlighted_key_result(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        assert not shows(app, "● check-ins")  # an objective row: no plot
        await go_to(pilot, table, "KR2")
        assert shows(app, "14 ┤")
        assert shows(app, "3 ┤╌╌╌")  # its target line, below the values
        assert shows(app, "● check-ins ╌ target")
    small = KickoffApp(demo, poll=False)
    async with small.run_test(size=(80, 24)) as pilot:
        table = await open_okrs(small, pilot)
        await go_to(pilot, table, "KR2")
        assert not shows(small, "● check-ins")  # no room at 80x24: the panel only


async def test_the_open_history_shows_a_check_in_made_elsewhere(demo: Store) -> None:
    from kickoff_tui.store import okrs
    from kickoff_tui.store.ops import Store as StoreClass

    app = KickoffApp(demo, poll=True)
    async with app.run_test(size=(120, 40)) as pilot:
        history = await open_history(app, pilot, "KR7")
        other = StoreClass(demo.path, actor="eunji")  # another program on the same file
        okrs.check_in(other, kr(demo, "Paying teams")["id"], value=9, note="from the CLI")
        other.close()
        assert await wait_for(pilot, lambda: history.row_count == 6, timeout=5)
        assert shows(app, "9 teams")
        assert shows(app, "from the CLI")


async def test_markup_in_a_title_is_shown_as_typed_in_dialog_titles(demo: Store) -> None:
    from kickoff_tui.store import okrs
    from tests.screens.helpers import MARKUP_CORPUS

    obj = demo.row("SELECT id FROM objective WHERE title = 'Prove the paid plan'")[0]
    for text in MARKUP_CORPUS:
        okrs.save_key_result(demo, {"objective_id": obj, "title": text, "target": 5})
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        for num, text in enumerate(MARKUP_CORPUS, start=9):
            await go_to(pilot, table, f"KR{num}")
            await pilot.press("h")
            assert await wait_for(pilot, lambda: isinstance(app.screen, OkrHistoryScreen))
            await pilot.pause()
            assert shows(app, f"KR{num} {text} · check-ins"), text
            await pilot.press("escape")
            await pilot.press("c")
            await form_open(app, pilot)
            assert shows(app, f"Check in KR{num} {text}"), text
            await pilot.press("escape")
            assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "OkrScreen")
