"""Snapshots of the pulse view (demo: P2 open, three answered, focus fell ⚠) and the answer
form, at 80×24 and 120×40.

Look at a changed SVG before accepting it (`pytest --snapshot-report`, then `--snapshot-update`).
"""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from tests.screens.helpers import shows, wait_for

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pulse_results(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    app = KickoffApp(demo, poll=False)

    async def run_before(pilot) -> None:
        app.action_pulse()
        assert await wait_for(pilot, lambda: shows(app, "3 answered"))

    assert snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pulse_answer_form(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    app = KickoffApp(demo, poll=False)

    async def run_before(pilot) -> None:
        app.action_pulse()
        assert await wait_for(pilot, lambda: shows(app, "3 answered"))
        await pilot.press("a")
        assert await wait_for(pilot, lambda: shows(app, "Not anonymous"))
        await pilot.press("4", "2")

    assert snap_compare(app, run_before=run_before, terminal_size=size)
