"""SVG snapshots of the Team screen, a person's page and the RACI matrix (demo, frozen clock),
at 80×24 and 120×40."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.preload
def test_team(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["7"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.preload
def test_person_page(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["7", "down", "p"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_raci_matrix(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    """Board `R`, then down to #7 (the first card with roles) and onto @chloe's R."""
    assert snap_compare(
        KickoffApp(demo, poll=False),
        press=["R", *["down"] * 7, "right", "right"],
        terminal_size=size,
    )
