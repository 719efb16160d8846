"""Snapshots of the review page (normal and presenting) and the decision log, demo at day 37.

Look at a changed SVG before accepting it (`pytest --snapshot-report`, then `--snapshot-update`).
"""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("keys", [["5"], ["5", "P"]], ids=["normal", "presenting"])
def test_review(snap_compare, demo: Store, keys: list[str], size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=keys, terminal_size=size)


def test_decision_log(snap_compare, demo: Store) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["6"], terminal_size=(80, 24))
