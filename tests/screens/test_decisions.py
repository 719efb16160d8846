"""The decision log (6): record, edit, supersede and publish with the keys a person presses."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_log(app: KickoffApp, pilot) -> DataTable:
    await pilot.press("6")
    assert await wait_for(pilot, lambda: app.current_mode == "decisions")
    await pilot.pause()
    return app.screen.query_one(DataTable)


async def highlight(pilot, table: DataTable, num: int) -> None:
    """Move the cursor down to decision D`num` (the log is newest first)."""
    while not screen_of(table).startswith(f"D{num}"):
        await pilot.press("down")
    await pilot.pause()


def screen_of(table: DataTable) -> str:
    return table.get_row_at(table.cursor_row)[0].plain


async def form_open(app, pilot) -> FormScreen:
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    return app.screen


def decision(store: Store, title: str) -> dict:
    return dict(store.row("SELECT * FROM decision WHERE title = ?", (title,)))


async def test_the_log_flags_decisions_not_published_within_24_hours(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        table = await open_log(app, pilot)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == [
            "D4",
            "D3",
            "D2",
            "D1",
        ]
        assert shows(
            app,
            "D3 Delay annual plans to the 61–90 window accepted ▲ yellow "
            "Ana Silva Nov 16 ⚠ overdue",
        )
        assert shows(
            app,
            "D2 Sample data on sign-up instead of an emp… accepted ● green "
            "Chloé Martin Oct 29 Oct 29",
        )
        assert shows(app, "Affects")
        await highlight(pilot, table, 3)
        assert shows(app, "⚠ not published within 24 h: press p")


async def test_the_log_at_80_columns_keeps_the_essentials(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_log(app, pilot)
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        assert shows(app, "D3 Delay annual plans to the 61–90 w… accepted ▲ yellow Ana ⚠ overdue")
        # what doesn't fit in the table is in the panel under it
        assert shows(app, "proposed · ● green · Ben Okafor · due 2026-11-28")


async def test_saving_from_the_form_at_80_columns_keeps_the_columns_whole(demo: Store) -> None:
    """The log is rebuilt while the form still covers it; its columns must not shrink."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_log(app, pilot)
        await pilot.press("n")
        await form_open(app, pilot)
        await pilot.press(*"Freeze the API")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert shows(app, "D5 Freeze the API")
        assert shows(app, "proposed")
        assert shows(app, "D3 Delay annual plans to the 61–90 w… accepted ▲ yellow Ana ⚠ overdue")


async def test_n_records_a_decision_and_accepting_starts_the_24_hours(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_log(app, pilot)
        await pilot.press("n")
        form = await form_open(app, pilot)
        await pilot.press(*MARKUP_CORPUS[4])
        form.query_one("#field-card_id", Input).value = "99"
        await pilot.pause()
        assert shows(app, "There is no card 99: type its number, e.g. 12.")
        form.query_one("#field-card_id", Input).value = "#10"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = decision(demo, MARKUP_CORPUS[4])
        assert row["status"] == "proposed" and row["decided_at"] is None
        assert row["card_id"] == demo.row("SELECT id FROM card WHERE title LIKE 'Run the load%'")[0]
        assert row["owner_id"] == demo.row("SELECT id FROM person WHERE handle = 'ana'")[0]
        assert shows(app, f"D5 {MARKUP_CORPUS[4]} proposed")
        assert shows(app, "card #10 Run the load test at 3× traffic")  # the panel shows the link
        await pilot.press("enter")  # edit the new one (the cursor is on it)
        form = await form_open(app, pilot)
        assert form.query_one("#field-title", Input).value == MARKUP_CORPUS[4]
        form.query_one("#field-status", Select).value = "accepted"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert decision(demo, MARKUP_CORPUS[4])["decided_at"] == "2026-11-23T09:00:00.000Z"
        assert shows(app, "accepted ● green Ana Silva Nov 23 by Nov 24")
        assert app.is_running


async def test_s_supersedes_in_one_change_that_undoes_as_one(demo: Store) -> None:
    first = decision(demo, "Weekly standup moves to Tuesday 09:30")
    demo.update("decision", first["id"], {"due": "2026-12-18"})
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        table = await open_log(app, pilot)
        await highlight(pilot, table, 1)
        await pilot.press("s")
        form = await form_open(app, pilot)
        title = form.query_one("#field-title", Input)
        assert title.value == "Weekly standup moves to Tuesday 09:30"
        title.value = "Weekly standup moves to Wednesday 09:30"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        old = decision(demo, "Weekly standup moves to Tuesday 09:30")
        new = decision(demo, "Weekly standup moves to Wednesday 09:30")
        assert old["status"] == "superseded"
        assert new["supersedes_id"] == old["id"] and new["status"] == "accepted"
        assert new["due"] == "2026-12-18"  # the replacement keeps the due date
        assert [n.message for n in app._notifications] == ["D1 is superseded by the new decision."]
        assert shows(app, "supersedes D1")
        await highlight(pilot, table, 1)
        assert shows(app, "superseded by D5")
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert [n.message for n in app._notifications][-1] == "D1 is already superseded by D5."
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert decision(demo, "Weekly standup moves to Tuesday 09:30")["status"] == "accepted"
        assert decision(demo, "Weekly standup moves to Wednesday 09:30")["deleted"] == 1


async def test_p_publishes_copies_and_writes_the_entry(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        table = await open_log(app, pilot)
        await pilot.press("p")  # D4 is only proposed
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "D4 is still proposed: accept or reject it before publishing it."
        ]
        assert decision(demo, "Postgres read replicas for reporting")["published_at"] is None
        await highlight(pilot, table, 3)
        await pilot.press("p")
        await pilot.pause()
        row = decision(demo, "Delay annual plans to the 61–90 window")
        assert row["published_at"] == "2026-11-23T09:00:00.000Z"
        assert app.clipboard.startswith("### D3 — Delay annual plans to the 61–90 window\n")
        assert "- **Published:** 2026-11-23 09:00 (UTC)" in app.clipboard
        written = demo.path.resolve().with_name("demo-decisions") / (
            "D3-delay-annual-plans-to-the-61-90-window.md"
        )
        assert written.read_text(encoding="utf-8") == app.clipboard
        assert [n.message for n in app._notifications][-1] == (
            "Published D3: sent to the terminal's clipboard (OSC 52; some terminals and tmux "
            f"ignore it); written to {written}."
        )
        assert shows(app, "accepted ▲ yellow Ana Silva Nov 16 Nov 23")
        assert "⚠ overdue" not in screen_text(app)
        await pilot.press("p")  # again: nothing new is saved, the entry is copied again
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].startswith(
            "Already published D3: sent to the terminal's clipboard"
        )
        assert len(app.session.undo_stack) == 1
