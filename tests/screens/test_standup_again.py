"""A second standup on the same day: `s` asks first, an empty standup can be cancelled with
`x` (ctrl+z brings it back), and `kickoff minutes --standup DATE` refuses a date with two."""

from __future__ import annotations

import subprocess

import pytest
from textual.widgets import Button

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import standups
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen
from tests.conftest import kickoff_cmd, subprocess_env
from tests.screens.helpers import shows, wait_for
from tests.screens.test_standup import at, trio  # noqa: F401 - the fixture


def live(store: Store) -> list[str]:
    return [
        r["id"]
        for r in store.rows("SELECT id FROM standup WHERE deleted = 0 ORDER BY started_at, id")
    ]


async def start_today(app: KickoffApp, pilot) -> None:
    """The standup screen (4), then s: today's first standup, with this user's Done field."""
    await pilot.press("4")
    assert await wait_for(pilot, lambda: app.current_mode == "standup")
    await pilot.press("s")
    assert await wait_for(pilot, lambda: app.screen.state == "during")


@pytest.mark.preload
async def test_s_after_todays_standup_ended_asks_and_x_cancels_the_empty_one(trio) -> None:
    store, ids = trio
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start_today(app, pilot)
        await pilot.press(*"Shipped it")
        at(47 * 60)
        await pilot.press("escape", "e")
        assert await wait_for(pilot, lambda: app.screen.state == "after")
        first = live(store)
        assert len(first) == 1
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert shows(app, "Today's standup S1 ended at 09:47. Start another?")
        assert shows(app, "S1 stays as it is.")
        # Starting another loses nothing: not the red button of a destructive question.
        assert app.screen.query_one("#confirm-yes", Button).variant == "primary"
        await pilot.press("n")
        await pilot.pause()
        assert live(store) == first and app.screen.state == "after"
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: app.screen.state == "during")
        assert len(live(store)) == 2
        assert shows(app, "Standup S2")
        await pilot.press("escape", "x")  # nothing typed in S2: it can be cancelled
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert shows(app, "Cancel the standup S2?")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: app.screen.state != "during")
        assert live(store) == first
        assert (
            store.row(
                "SELECT count(*) FROM standup_entry WHERE deleted = 0 AND standup_id != ?",
                (first[0],),
            )[0]
            == 0
        )
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: len(live(store)) == 2)


@pytest.mark.preload
async def test_x_refuses_a_standup_something_was_typed_in(trio) -> None:
    store, ids = trio
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start_today(app, pilot)
        await pilot.press(*"Shipped it", "escape", "x")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert [n.message for n in app._notifications] == [
            "S1 can't be cancelled: something was recorded in it (an entry, a blocker or a "
            "decision). End it with e instead."
        ]
        assert len(live(store)) == 1 and app.screen.state == "during"


def test_minutes_refuses_a_date_with_two_standups_and_lists_them(trio) -> None:
    store, ids = trio
    at(0)
    first = standups.start(store, ids["ana"])
    standups.save_field(store, first, ids["ana"], "done", "The real one")
    at(47 * 60)
    standups.end(store, first)
    at(62 * 60)
    second = standups.start(store, ids["ana"])
    at(65 * 60)
    standups.end(store, second)
    path = str(store.path)
    store.close()
    env = subprocess_env(KICKOFF_NOW="2026-11-23T12:00:00Z")
    out = subprocess.run(
        [*kickoff_cmd(), "minutes", "--standup", "2026-11-23", "--db", path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    assert "2 standups were held on 2026-11-23: S1 (09:00–09:47), S2 (10:02–10:05)." in out.stderr
    assert "--standup S2" in out.stderr and "Traceback" not in out.stderr
    picked = subprocess.run(
        [*kickoff_cmd(), "minutes", "--standup", "S1", "--db", path],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert picked.returncode == 0 and "The real one" in picked.stdout
