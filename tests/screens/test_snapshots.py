"""SVG snapshots of every main screen on the demo workspace (frozen clock), small and large.

Review a changed snapshot by eye (`pytest --snapshot-report`) before accepting it with
`pytest --snapshot-update`.
"""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", ["1", "2", "3", "4"], ids=["board", "okrs", "risks", "standup"])
@pytest.mark.preload
def test_screen(snap_compare, demo: Store, key: str, size: tuple[int, int]) -> None:
    app = KickoffApp(demo, poll=False)
    assert snap_compare(app, press=[key], terminal_size=size)


def test_help(snap_compare, demo: Store) -> None:
    assert snap_compare(
        KickoffApp(demo, poll=False), press=["question_mark"], terminal_size=(80, 24)
    )
