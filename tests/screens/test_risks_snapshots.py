"""SVG snapshots of the risk matrix beyond the plain screen (test_snapshots.py has that): the
residual grid with a cell's risks in focus, and the score history, at 80×24 and 120×40."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_residual_cell(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    """`t` then `enter`: R1 on the residual grid, its cell's risks listed and in focus."""
    assert snap_compare(KickoffApp(demo, poll=False), press=["3", "t", "enter"], terminal_size=size)


def test_history(snap_compare, demo: Store) -> None:
    assert snap_compare(
        KickoffApp(demo, poll=False),
        press=["3", "enter", "shift+down", "h"],
        terminal_size=(80, 24),
    )
