"""Snapshots of the inbox, demo at day 37: mine at 80×24, the whole team at 120×40.

Look at a changed SVG before accepting it (`pytest --snapshot-report`, then `--snapshot-update`).
"""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


@pytest.mark.parametrize(
    ("keys", "size"),
    [(["0"], (80, 24)), (["0", "a"], (80, 24)), (["0", "a"], (120, 40))],
    ids=["mine-80x24", "team-80x24", "team-120x40"],
)
def test_inbox(snap_compare, demo: Store, keys: list[str], size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=keys, terminal_size=size)
