"""The risk grid's cells when more risks sit in one than its lines can list: the count, the
numbers that fit, and "+N" for the rest, so that no risk is silently missing."""

from __future__ import annotations

import re

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import risks as rk
from kickoff_tui.store.ops import Store
from tests.screens.helpers import screen_text, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


def possible_moderate(store: Store, n: int) -> None:
    """`n` risks, all Possible × Moderate (likelihood 3, impact 3)."""
    for i in range(n):
        rk.save_risk(store, {"title": f"risk {i}", "likelihood": 3, "impact": 3})


def grid_lines(app: KickoffApp, first: str, last: str) -> list[str]:
    """The screen's lines from the one holding `first` to the one holding `last`."""
    lines = screen_text(app).splitlines()
    start = next(i for i, line in enumerate(lines) if first in line)
    end = next(i for i, line in enumerate(lines) if last in line)
    return lines[start : end + 1]


async def open_grid(app: KickoffApp, pilot) -> None:
    await pilot.press("3")
    assert await wait_for(pilot, lambda: app.current_mode == "risks" and "Poss" in screen_text(app))
    await pilot.pause()


@pytest.mark.parametrize(
    ("risks", "shown"),
    [
        (2, ["2", "R1", "R2"]),  # they fit: all listed, no "+"
        (3, ["3", "R1", "+2"]),  # they don't: the count, the first number, "+" the rest
    ],
)
async def test_a_cell_at_80x24_lists_what_fits_and_counts_the_rest(
    workspace: Store, risks: int, shown: list[str]
) -> None:
    possible_moderate(workspace, risks)
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(app, pilot)
        row = next(line for line in screen_text(app).splitlines() if line.startswith("3 Poss."))
        assert row[28:37].split() == shown  # the third column: 9 characters wide at 80


async def test_a_taller_cell_lists_over_its_lines_and_counts_every_risk_it_leaves_out(
    workspace: Store,
) -> None:
    possible_moderate(workspace, 14)
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_grid(app, pilot)
        lines = grid_lines(app, "5 Almost certain", "1 Rare")
        at = next(i for i, line in enumerate(lines) if line.startswith("3 Possible"))
        cell = [line[46:60] for line in lines[at - 1 : at + 2]]  # 3 lines, 14 characters wide
        assert cell == ["14 R1 R2 R3   ", "R4 R5 R6 R7   ", "R8 R9 R10 +4  "]
        shown = [int(n) for n in re.findall(r"R(\d+)", " ".join(cell))]
        hidden = int(re.search(r"\+(\d+)", cell[-1]).group(1))
        assert shown == list(range(1, 11)) and len(shown) + hidden == 14
