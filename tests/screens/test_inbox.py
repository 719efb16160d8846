"""The inbox (0): mine by default, `a` for the team, `enter` jumps to the item with the cursor on
it, `z` snoozes it on this machine, and the app opens on it when something is due for me."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable

from kickoff_tui.app import KickoffApp
from kickoff_tui.launch import start_mode
from kickoff_tui.store import inbox
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.tables import cursor_key
from tests.screens.helpers import HANG_GUARD, screen_text, shows, wait_for


async def open_inbox(app: KickoffApp, pilot) -> DataTable:
    await pilot.press("0")
    assert await wait_for(pilot, lambda: app.current_mode == "inbox" and app.screen.loaded)
    await pilot.pause()
    return app.screen.query_one("#inbox-table", DataTable)


def keys(table: DataTable) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


async def cursor_on(pilot, table: DataTable, key: str) -> None:
    """Press j or k until the cursor is on the row `key` (as a person would)."""
    for _ in range(table.row_count + 1):
        if cursor_key(table) == key:
            return
        await pilot.press("j" if table.get_row_index(key) > table.cursor_row else "k")
        await pilot.pause()
    raise AssertionError(f"never reached {key}")


@pytest.mark.preload
async def test_mine_by_default_grouped_oldest_first_and_a_for_the_team(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_inbox(app, pilot)
        assert shows(app, "Mine · 4 items · a: the whole team")
        assert shows(app, "Cards blocked (1)") and shows(app, "#13 Hire a second SRE")
        assert shows(app, "Decisions not published (1)")
        assert not shows(app, "Draft the SOC 2 control list")  # Ben's
        assert "Who" not in screen_text(app).splitlines()[3]  # all mine: no "who" column
        # the cursor starts on the first item, never on a heading
        assert cursor_key(table).startswith("card-blocked:")

        mine = cursor_key(table)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "The whole team · 20 items · a: mine"))
        assert cursor_key(table) == mine  # the same item, now among the team's
        assert shows(app, "Cards late (2)") and shows(app, "First actions not done in 72 h (3)")
        assert shows(app, "#6 Draft the SOC") and shows(
            app, "7 days late (was due Nov 16) Ben Okafor"
        )
        late = [k for k in keys(table) if k.startswith("card-late:")]
        titles = [app.screen.items[k].nudge.title for k in late]
        assert titles == ["Draft the SOC 2 control list", "Run the load test at 3× traffic"]
        # j and k step over the group headings
        for _ in range(table.row_count):
            await pilot.press("j")
            assert not cursor_key(table).startswith("group:")
        for _ in range(table.row_count):
            await pilot.press("k")
            assert not cursor_key(table).startswith("group:")

        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "Mine · 4 items"))


@pytest.mark.preload
async def test_a_long_reason_leaves_the_titles_their_share_at_120_columns(demo: Store) -> None:
    """The team's Why column is cut at half the room it shares with the titles; the panel under
    the table says the whole reason."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_inbox(app, pilot)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "The whole team · 20 items"))
        width = {str(c.label): c.width for c in table.columns.values()}
        assert width["Title"] >= width["Why"] >= 30
        assert shows(app, "Go/no-go for the public launch")  # a title read whole
        (question,) = [k for k in keys(table) if k.startswith("question-late:")]
        whole = "Kickoff question unanswered since Oct 19: answer and publish it."
        assert not shows(app, whole)
        await cursor_on(pilot, table, question)
        assert await wait_for(pilot, lambda: shows(app, whole))  # the detail panel
        assert whole in str(app.screen.query_one("#inbox-detail").render())


@pytest.mark.preload
async def test_enter_jumps_to_each_kind_on_its_screen_with_the_cursor_on_it(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_inbox(app, pilot)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "The whole team"))
        everything = inbox.gather(demo, inbox.today(demo))
        for kind in (
            "card-late",
            "kr-pace",
            "kpi-under",
            "blocker-unowned",
            "decision-unpublished",
            "risk-review",
            "first-action",
        ):
            nudge = next(n for n in everything if n.kind == kind)
            table = await open_inbox(app, pilot)
            await cursor_on(pilot, table, nudge.key)
            await pilot.press("enter")
            mode = nudge.screen
            assert await wait_for(pilot, lambda m=mode: app.current_mode == m), kind
            screen = app.screen
            if kind == "card-late":
                assert await wait_for(pilot, lambda s=screen: s.current_card() is not None)
                assert screen.current_card()["id"] == nudge.record_id
            else:
                focused = app.focused
                assert isinstance(focused, DataTable), kind
                assert cursor_key(focused) == nudge.record_id, kind


@pytest.mark.preload
async def test_enter_on_an_open_pulse_opens_its_answer_form(demo: Store) -> None:
    from kickoff_tui.screens.pulse_answer import PulseAnswerScreen

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_inbox(app, pilot)
        pulse = next(n for n in inbox.gather(demo, inbox.today(demo)) if n.kind == "pulse-open")
        await cursor_on(pilot, table, pulse.key)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseAnswerScreen))


@pytest.mark.preload
async def test_enter_on_a_card_hidden_by_the_boards_filter_clears_the_filter(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.set_filter("no card has this in its title")
        table = await open_inbox(app, pilot)
        key = cursor_key(table)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        board = app.screen
        assert await wait_for(pilot, lambda: board.current_card() is not None)
        assert board.filter_text == ""
        assert board.current_card()["id"] == key.split(":", 1)[1]


@pytest.mark.preload
async def test_z_snoozes_until_tomorrow_on_this_machine_and_Z_brings_it_back(demo: Store) -> None:
    ops = demo.row("SELECT count(*) FROM operation")[0]
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_inbox(app, pilot)
        first = cursor_key(table)
        await pilot.press("z")
        assert await wait_for(
            pilot, lambda: shows(app, "Mine · 3 items · 1 snoozed until tomorrow")
        )
        assert first not in keys(table)
        said = [n.message for n in app._notifications]
        assert "Snoozed #13 until tomorrow, Tue Nov 24 (on this machine only)." in said
        assert not cursor_key(table).startswith("group:")
        assert inbox.snoozed(demo, inbox.today(demo)) == {first}
        assert demo.row("SELECT count(*) FROM operation")[0] == ops  # nothing synced

        await pilot.press("Z")
        assert await wait_for(pilot, lambda: shows(app, "Mine · 4 items"))
        assert first in keys(table)


async def test_the_app_opens_on_the_inbox_when_something_is_due_for_me(
    demo: Store, isolated: Path
) -> None:
    assert start_mode(demo) == "inbox"
    app = KickoffApp(demo, poll=False, start=start_mode(demo))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.screen.loaded)
        assert await wait_for(pilot, lambda: shows(app, "Mine · 4 items"))
        assert app.current_mode == "inbox"

    (isolated / "config").mkdir(exist_ok=True)
    (isolated / "config" / "config.toml").write_text("open_on_inbox = false\n")
    assert start_mode(demo) is None
    (isolated / "config" / "config.toml").write_text("")
    for key in [k for k in inbox.gather(demo, inbox.today(demo))]:
        inbox.snooze(demo, key.key, inbox.today(demo))
    assert start_mode(demo) is None  # everything of mine snoozed: nothing due for me


async def test_opening_on_the_inbox_paints_first_and_gathers_after(
    demo: Store, monkeypatch
) -> None:
    """Every nudge is gathered after the first frame (10,000 cards: 0.4 s); the frame says the
    inbox is looking meanwhile, and the items come in without a key."""
    gathered = threading.Event()
    real = inbox.view

    def slow_view(*args, **kwargs):
        gathered.wait(HANG_GUARD)  # until the test has seen the first frame
        return real(*args, **kwargs)

    monkeypatch.setattr(inbox, "view", slow_view)
    app = KickoffApp(demo, poll=False, preload=False, start="inbox")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.first_frame_done)
        assert shows(app, "Looking for what needs you…")
        gathered.set()
        assert await wait_for(pilot, lambda: shows(app, "Mine · 4 items"))
        assert shows(app, "#13 Hire a second SRE")
        await pilot.press("0")  # later loads read at once, as before
        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "The whole team · 20 items"))


@pytest.mark.preload
async def test_without_knowing_who_i_am_the_inbox_is_the_teams(workspace: Store) -> None:
    from kickoff_tui.store import cards

    cards.create_card(workspace, {"title": "Overdue [b]thing[/b]", "due": "2026-10-20"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_inbox(app, pilot)
        assert shows(app, "The whole team (say who you are")
        assert shows(app, "Overdue [b]thing[/b]")  # user text is never markup
        await pilot.press("a")
        assert await wait_for(
            pilot,
            lambda: any(n.message.startswith("Say who you are first") for n in app._notifications),
        )
        assert shows(app, "The whole team (say who you are")


@pytest.mark.preload
async def test_the_review_shows_the_teams_counts(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        assert await wait_for(pilot, lambda: app.current_mode == "review" and app.screen.loaded)
        assert await wait_for(
            pilot,
            lambda: shows(app, "Needs someone: cards 4 · KRs 3 · KPIs 1 · blockers 1"),
        )
        assert shows(app, "first actions 3 · pulse 1")
