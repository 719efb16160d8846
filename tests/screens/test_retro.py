"""The retrospective with the keys a team presses: it starts from the data, items are added
and voted, and two items become cards with owners in the next window."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.retro import RetroScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


def person(store: Store, handle: str) -> str:
    return store.row("SELECT id FROM person WHERE handle = ?", (handle,))["id"]


async def open_retro(app: KickoffApp, pilot) -> RetroScreen:
    await pilot.press("5")
    assert await wait_for(pilot, lambda: app.current_mode == "review")
    await pilot.press("R")
    assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.press("y")
    assert await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
    await pilot.pause()
    return app.screen


async def form(app: KickoffApp, pilot) -> FormScreen:
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    return app.screen


async def test_two_items_become_cards_with_owners_in_the_next_window(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_retro(app, pilot)
        # what became of the day-30 retro's actions, and what the data brings
        assert shows(app, "Last retro (2026-11-16): card #9 Ben done · card #12 Eun-ji not done")
        assert shows(app, "moved most")
        await pilot.press("right", "right")  # the Change column
        await pilot.press("a")
        f = await form(app, pilot)
        assert f.query_one("#field-kind", Select).value == "change"
        f.query_one("#field-text", Input).focus()
        await pilot.press(*"Demo every Friday", "ctrl+s")
        assert await wait_for(pilot, lambda: shows(app, "Demo every Friday"))
        await pilot.press("plus")
        assert await wait_for(pilot, lambda: shows(app, "Demo every Friday — Ana Silva · 1 vote"))
        await pilot.press("c")
        f = await form(app, pilot)
        assert f.query_one("#field-window", Select).value == "90"  # day 37: the next window
        f.query_one("#field-owner_id", Select).value = person(demo, "dev")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert await wait_for(pilot, lambda: shows(app, "→ card #"))
        # a "didn't go well" item from the data becomes a card too
        await pilot.press("left")
        await pilot.press("c")
        f = await form(app, pilot)
        title = f.query_one("#field-title", Input).value
        f.query_one("#field-owner_id", Select).value = person(demo, "ben")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert await wait_for(
            pilot, lambda: len(demo.rows("SELECT 1 FROM card WHERE tags = 'retro'")) == 2
        )
        cards = demo.rows("SELECT * FROM card WHERE tags = 'retro' ORDER BY created_at, id")
        assert [(c["title"], c["owner_id"], c["window"]) for c in cards] == [
            ("Demo every Friday", person(demo, "dev"), "90"),
            (title, person(demo, "ben"), "90"),
        ]
        linked = demo.rows(
            "SELECT action_id FROM retro_item WHERE action_kind = 'card' "
            "AND retro_id = (SELECT id FROM retro WHERE ended_at IS NULL)"
        )
        assert sorted(r["action_id"] for r in linked) == sorted(c["id"] for c in cards)


async def test_votes_are_one_per_person_and_can_be_taken_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_retro(app, pilot)
        await pilot.press("plus")
        assert await wait_for(pilot, lambda: shows(app, "· 1 vote"))
        await pilot.press("plus")  # again: taken back
        assert await wait_for(pilot, lambda: shows(app, "· 0 votes"))
        assert demo.row("SELECT count(*) FROM retro_vote WHERE deleted = 0")[0] == 6  # day 30's
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        await pilot.press("x")  # the retro as Markdown, beside the workspace file
        written = demo.path.with_name("demo-retros") / "2026-11-23.md"
        assert await wait_for(pilot, written.exists)
        assert written.read_text(encoding="utf-8").startswith("# Retrospective — Atlas launch")


async def test_the_review_page_points_at_the_retro_from_day_80(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        assert await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.pause()
        assert not shows(app, "Time for the retrospective")  # day 37
        ws = demo.row("SELECT id FROM workspace")["id"]
        app.session.edit(demo.update, "workspace", ws, {"kickoff_date": "2026-09-04"})  # day 80
        assert await wait_for(pilot, lambda: shows(app, "Time for the retrospective: press R."))


async def test_a_teammates_item_and_vote_show_up_after_a_sync(tmp_path, frozen) -> None:
    from datetime import date

    from kickoff_tui.store import retro as rt
    from kickoff_tui.store import sync
    from kickoff_tui.store.workspace import init_workspace

    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    ana.create("person", {"name": "Ana Silva", "handle": "ana"})
    ben_id = ana.create("person", {"name": "Ben Okafor", "handle": "ben"})
    retro = rt.start_retro(ana)
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    app = KickoffApp(ana, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "R")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        item = rt.add_item(ben, retro, "change", "Pair on the load test", ben_id)
        rt.toggle_vote(ben, item, ben_id)
        sync.sync(ben)
        sync.sync(ana)
        app.session.changed()  # what the app's own sync does after it imported changes
        assert await wait_for(pilot, lambda: shows(app, "+1 Pair on the load test"))
    ben.close()
