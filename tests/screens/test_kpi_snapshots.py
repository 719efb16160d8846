"""SVG snapshots of the KPI table (OKR screen, tab) and a KPI's history, on the demo (frozen
clock). Review a changed snapshot by eye before accepting it with `--snapshot-update`."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_kpi_table(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["2", "tab"], terminal_size=size)


def test_kpi_history(snap_compare, demo: Store) -> None:
    assert snap_compare(
        KickoffApp(demo, poll=False), press=["2", "tab", "h"], terminal_size=(80, 24)
    )
