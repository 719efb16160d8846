"""Who am I (asked on first open, palette) and the workspace settings form."""

from __future__ import annotations

from textual.widgets import Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import cards, people as ps
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import shows, wait_for


async def form_open(app, pilot, title: str) -> FormScreen:
    assert await wait_for(
        pilot, lambda: isinstance(app.screen, FormScreen) and title in app.screen.form_title.plain
    )
    await pilot.pause()
    return app.screen


async def test_first_open_asks_who_i_am_and_adds_me(workspace: Store, monkeypatch) -> None:
    monkeypatch.delenv("KICKOFF_USER")
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await form_open(app, pilot, "Who are you? Add yourself to the team")
        await pilot.press(*"Ana Silva", "ctrl+s")
        assert await wait_for(pilot, lambda: ps.me(workspace) is not None)
        me = workspace.get("person", ps.me(workspace))
        assert (me["name"], me["handle"]) == ("Ana Silva", "ana")
        assert workspace.actor == "ana"
    # asked once: the next open does not ask again
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert not isinstance(app.screen, FormScreen)


async def test_first_open_with_a_team_picks_me_and_esc_asks_no_more(
    workspace: Store, monkeypatch
) -> None:
    monkeypatch.delenv("KICKOFF_USER")
    workspace.actor = "someone-else"
    ps.add_person(workspace, {"name": "Ana Silva"})
    ben = ps.add_person(workspace, {"name": "Ben Okafor"})
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await form_open(app, pilot, "Who are you on this machine?")
        form.query_one("#field-me", Select).value = ben
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: ps.me(workspace) == ben)
    workspace.set_meta(ps.ME_KEY, None)
    workspace.set_meta("me_asked", None)
    workspace.actor = "someone-else"
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await form_open(app, pilot, "Who are you on this machine?")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: workspace.meta("me_asked") == "1")
        assert ps.me(workspace) is None


async def test_kickoff_user_is_never_asked(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert not isinstance(app.screen, FormScreen)


async def test_settings_form_redates_windows_after_saying_how_many(workspace: Store) -> None:
    late = cards.create_card(workspace, {"title": "Late", "window": "60", "due": "2026-12-01"})
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_settings()
        form = await form_open(app, pilot, "Workspace settings")
        form.query_one("#field-kickoff_date", Input).value = "2026-11-05"
        form.query_one("#field-standup_timebox_min", Input).value = "45"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows(app, "Timebox (min) must be from 15 to 30 (got 45).")
        form.query_one("#field-standup_timebox_min", Input).value = "20"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert shows(app, "1 card changes window. Save?")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: workspace.workspace()["kickoff_date"] == "2026-11-05")
        assert workspace.get("card", late)["window"] == "30"
        assert workspace.workspace()["standup_timebox_min"] == 20
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: workspace.workspace()["kickoff_date"] == "2026-10-17")
        assert workspace.get("card", late)["window"] == "60"
