"""A new workspace's first open: who are you, then the first-run checklist."""

from __future__ import annotations

from textual.widgets import OptionList

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import cards, charter
from kickoff_tui.store import people as ps
from kickoff_tui.store.first_run import checklist
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import shows, wait_for


async def test_first_open_asks_who_i_am_then_shows_the_checklist(
    workspace: Store, monkeypatch
) -> None:
    monkeypatch.delenv("KICKOFF_USER")
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        await pilot.press(*"Ana Silva", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FirstRunScreen")
        await pilot.pause()
        assert shows(app, "1 ☐ Add your team (1 person so far) (7, then n)")
        assert shows(app, "5 ☐ Pick each person's first action (0 of 1)")
        assert shows(app, "6 ☐ Write the charter (0 of 7 sections) (8, then e)")
        await pilot.press("1")
        assert await wait_for(
            pilot,
            lambda: app.current_mode == "team" and app.screen.__class__.__name__ == "TeamScreen",
        )


def test_the_checklist_ticks_itself_off_from_the_data(workspace: Store) -> None:
    assert [i["done"] for i in checklist(workspace)] == [False] * 6
    a = ps.add_person(workspace, {"name": "Ana"})
    ps.add_person(workspace, {"name": "Ben"})
    card = cards.create_card(workspace, {"title": "First", "window": "30"})
    ps.set_first_action(workspace, a, card)
    done = {i["key"]: i["done"] for i in checklist(workspace)}
    assert done == {
        "team": True,
        "okrs": False,
        "plan": True,
        "risks": False,
        "first": False,
        "charter": False,
    }
    charter.save_section(workspace, "purpose", "Ship the self-serve plan.")
    assert {i["key"]: i["done"] for i in checklist(workspace)}["charter"] is True


async def test_the_palette_opens_the_checklist_and_enter_jumps(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_first_run()
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FirstRunScreen")
        await pilot.press("down", "down", "enter")  # from the first open line to the third
        assert await wait_for(
            pilot,
            lambda: app.current_mode == "board" and app.screen.__class__.__name__ == "BoardScreen",
        )
        assert not app.screen.query(OptionList)


async def test_the_charter_step_jumps_to_the_kickoff_page_and_ticks_when_written(
    workspace: Store,
) -> None:
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_first_run()
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FirstRunScreen")
        await pilot.press("6")
        assert await wait_for(pilot, lambda: app.current_mode == "kickoff")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "KickoffPage")
        await pilot.pause()
        await pilot.press("e")  # the step's hint: 8, then e writes the highlighted section
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"Ship the self-serve plan", "ctrl+s")
        assert await wait_for(pilot, lambda: charter.charter(workspace).sections["purpose"] != "")
        app.action_first_run()
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "FirstRunScreen")
        assert await wait_for(pilot, lambda: shows(app, "6 ✓ Write the charter (1 of 7 sections)"))
