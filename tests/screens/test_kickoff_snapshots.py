"""SVG snapshots of the Kickoff page (8) on the demo: the charter tab, the stakeholder grid with
the selected stakeholder and the ⚠ strip, and the communication plan, at 80×24 and 120×40."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kickoff_charter(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["8"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kickoff_stakeholder_grid(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    """`m`: the grid, S1 selected beside it, the overdue contacts, the list."""
    assert snap_compare(KickoffApp(demo, poll=False), press=["8", "m"], terminal_size=size)


def test_kickoff_plan(snap_compare, demo: Store) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["8", "p"], terminal_size=(80, 24))
