"""A key result counted from its linked cards reads the same on the standup, the OKR screen and
the review: one read model (store.okrs.view), not the stale value stored in the row."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import okrs, standups
from kickoff_tui.store.review import build_review
from tests.screens.helpers import shows, wait_for
from tests.screens.test_standup import at, trio  # noqa: F401 - the fixture

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


def cards_kr(store, ids) -> str:
    """KR1 counts its two cards (one done); the row still says 5 of 10 from before."""
    with store.transaction() as tx:
        obj = tx.create("objective", {"title": "Launch", "owner_id": ids["ana"]})
        kr = tx.create(
            "key_result",
            {
                "objective_id": obj,
                "title": "Guided setup shipped",
                "kind": "milestone",
                "progress_from": "cards",
                "baseline": 0,
                "current": 5,
                "target": 10,
                "owner_id": ids["ana"],
            },
        )
        tx.create("card", {"title": "Wizard", "state": "done", "key_result_id": kr})
        tx.create("card", {"title": "Sample data", "state": "doing", "key_result_id": kr})
    return kr


async def test_the_standup_shows_a_cards_kr_as_the_okr_screen_does(trio) -> None:
    store, ids = trio
    kr_id = cards_kr(store, ids)
    sid = standups.start(store, ids["ana"])
    standups.give_floor(store, sid, ids["ana"])
    since = standups.since_last(store, standups.get(store, sid), ids["ana"])
    assert [s.kr for s in since.krs] == [okrs.view(store).key_result(kr_id)]
    assert since.krs[0].kr.progress == 0.5 and not since.krs[0].due
    review = build_review(store)
    assert review.objectives[0].key_results[0].progress == 0.5
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        assert await wait_for(pilot, lambda: app.current_mode == "standup")
        assert await wait_for(pilot, lambda: shows(app, "Since the last standup"))
        assert shows(app, "1/2 cards done · 50%")
        assert not shows(app, "5 · ") and not shows(app, "never")
        await pilot.press("escape", "2")  # out of the Done field first
        assert await wait_for(pilot, lambda: app.current_mode == "okrs")
        assert await wait_for(pilot, lambda: shows(app, "KR1 Guided setup shipped"))
        assert shows(app, "50%") and shows(app, "1/2")
