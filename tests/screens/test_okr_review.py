"""The monthly OKR review (OKRs, R) with the keys a team presses: a verdict that changes a
target edits the key result, logs a decision and moves on to the next row."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.okr_review import OkrReviewScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def start_review(app: KickoffApp, pilot) -> OkrReviewScreen:
    await pilot.press("2")
    assert await wait_for(pilot, lambda: app.current_mode == "okrs")
    await pilot.press("R")
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    assert app.screen.query_one("#field-attendees", Input).value == "ana ben chloe dev eunji"
    await pilot.press("ctrl+s")
    assert await wait_for(pilot, lambda: isinstance(app.screen, OkrReviewScreen))
    await pilot.pause()
    return app.screen


async def go_to(pilot, screen: OkrReviewScreen, ref: str) -> None:
    table = screen.table
    table.move_cursor(row=0)
    while table.get_row_at(table.cursor_row)[0].plain != ref:
        await pilot.press("down")
    await pilot.pause()


async def test_a_verdict_that_adjusts_a_target_changes_it_and_logs_a_decision(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_review(app, pilot)
        assert shows(app, "0 of 11 verdicts · last review 2026-11-16")
        await go_to(pilot, screen, "KR7")
        assert shows(app, "Now 24% ■ at risk · last review 16% ■ at risk on 2026-11-16")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        form = app.screen
        form.query_one("#field-verdict", Select).value = "adjust"
        form.query_one("#field-new_target", Input).focus()
        await pilot.press(*"20")
        form.query_one("#field-note", Input).focus()
        await pilot.press(*"Annual plans moved to later")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert await wait_for(pilot, lambda: shows(app, "1 of 11 verdicts"))
        kr = demo.row("SELECT * FROM key_result WHERE title = 'Paying teams'")
        assert kr["target"] == 20
        decision = demo.row("SELECT * FROM decision WHERE key_result_id = ?", (kr["id"],))
        assert decision["title"] == "KR7 target 25 → 20: Paying teams"
        assert decision["status"] == "accepted"
        assert "Annual plans moved to later" in decision["context"]
        verdict = demo.row(
            "SELECT * FROM okr_verdict WHERE key_result_id = ? AND verdict = 'adjust'", (kr["id"],)
        )
        assert (verdict["old_target"], verdict["new_target"]) == (25, 20)
        assert verdict["decision_id"] == decision["id"]
        assert shows(app, "adjust the target 25 → 20")
        # the cursor went on to the next row without a verdict
        assert screen.table.get_row_at(screen.table.cursor_row)[0].plain == "KR8"
        # each edit undoes on its own: the verdict, the decision, then the target
        for _ in range(3):
            await pilot.press("ctrl+z")
            await pilot.pause()
        assert demo.get("key_result", kr["id"])["target"] == 25


async def test_the_pace_column_marks_each_pace_with_its_shape_like_the_okr_screen(
    demo: Store,
) -> None:
    """Colour is never the only signal: "■ at risk", "▲ behind", "● on track" as on `2`."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_review(app, pilot)
        table = screen.table
        pace = [str(c.label) for c in table.columns.values()].index("Pace")
        shown = {
            table.get_row_at(i)[0].plain: table.get_row_at(i)[pace].plain
            for i in range(table.row_count)
        }
        assert shown["KR7"] == "■ at risk"
        marks = {text.split(" ", 1)[0] for text in shown.values() if text != "no data yet"}
        assert marks <= {"●", "▲", "■"} and "●" in marks, shown
        assert shows(app, "■ at risk")


async def test_a_bad_verdict_is_one_sentence_and_nothing_is_saved(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await start_review(app, pilot)
        await go_to(pilot, screen, "KR7")
        ops = len(demo.operations())
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        app.screen.query_one("#field-verdict", Select).value = "adjust"
        app.screen.query_one("#field-new_target", Input).focus()
        await pilot.press(*"25")  # the target it has already
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert await wait_for(pilot, lambda: shows(app, "KR7's target is already 25."))
        assert len(demo.operations()) == ops
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())


async def test_keep_everything_then_end_and_the_review_is_saved(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_review(app, pilot)
        for _ in range(3):
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
            await pilot.pause()
            await pilot.press("ctrl+s")  # keep is the default verdict
            assert await wait_for(pilot, lambda: app.screen is screen)
            await pilot.pause()
        assert await wait_for(pilot, lambda: shows(app, "3 of 11 verdicts"))
        await pilot.press("E")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: shows(app, "ended"))
        rows = demo.rows("SELECT * FROM okr_review ORDER BY held_on DESC")
        assert rows[0]["ended_at"] and rows[0]["held_on"] == "2026-11-23"
        assert (
            demo.row("SELECT count(*) FROM okr_verdict WHERE review_id = ?", (rows[0]["id"],))[0]
            == 3
        )
