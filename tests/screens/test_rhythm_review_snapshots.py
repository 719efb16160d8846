"""Snapshots of the monthly OKR review session and the retro board, demo at day 37, with a
review under way (one verdict that adjusted a target) and a retro with items and votes.

Look at a changed SVG before accepting it (`pytest --snapshot-report`, then `--snapshot-update`).
"""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import okr_review as orv
from kickoff_tui.store import retro as rt
from kickoff_tui.store.ops import Store

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload

SIZES = [(80, 24), (120, 40)]


def _ids(store: Store) -> dict[str, str]:
    return {r["handle"]: r["id"] for r in store.rows("SELECT id, handle FROM person")}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_okr_review_session(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    team = _ids(demo)
    review = orv.start_review(demo, [team["ana"], team["ben"], team["eunji"]], team["ana"])
    kr = demo.row("SELECT id FROM key_result WHERE title = 'Paying teams'")["id"]
    obj = demo.row("SELECT objective_id FROM key_result WHERE id = ?", (kr,))[0]
    orv.apply_verdict(demo, review, obj, "keep", author_id=team["ana"])
    orv.apply_verdict(
        demo,
        review,
        kr,
        "adjust",
        note="Annual plans moved to later",
        new_target=20,
        author_id=team["ana"],
    )
    assert snap_compare(KickoffApp(demo, poll=False), press=["2", "R"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_retro_board(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    team = _ids(demo)
    retro = rt.start_retro(demo, team["ana"])
    keep = rt.add_item(demo, retro, "well", "Check-ins every Friday stuck", team["ben"])
    change = rt.add_item(demo, retro, "change", "Demo to a customer every two weeks", team["eunji"])
    for who in ("ana", "ben", "dev"):
        rt.toggle_vote(demo, change, team[who])
    rt.toggle_vote(demo, keep, team["chloe"])
    rt.make_action(demo, change, "card", {"owner_id": team["eunji"]})
    assert snap_compare(KickoffApp(demo, poll=False), press=["5", "R"], terminal_size=size)
