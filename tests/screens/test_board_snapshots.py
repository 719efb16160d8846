"""Snapshots of the board (demo at day 37, frozen clock): wide, filtered, under NO_COLOR, and the
card editor.

The 80×24 and 120×40 board snapshots are in test_snapshots.py with the other main screens.
Look at a changed SVG before accepting it (`pytest --snapshot-report`, then `--snapshot-update`).
"""

from __future__ import annotations

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store


def test_board_wide(snap_compare, demo: Store) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["1"], terminal_size=(160, 48))


def test_board_filtered_narrow(snap_compare, demo: Store) -> None:
    keys = ["slash", *"@ben", "enter"]
    assert snap_compare(KickoffApp(demo, poll=False), press=keys, terminal_size=(80, 24))


def test_card_editor(snap_compare, demo: Store) -> None:
    assert snap_compare(KickoffApp(demo, poll=False), press=["enter"], terminal_size=(80, 24))


def test_board_no_color(snap_compare, demo: Store, monkeypatch) -> None:
    """NO_COLOR: the kickoff-mono theme, every RAG read by its mark (●G ▲Y ■R), at 80×24."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(KickoffApp(demo, poll=False), press=["1"], terminal_size=(80, 24))
