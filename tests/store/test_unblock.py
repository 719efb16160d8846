"""`b` `b` returns a card to the state it had before it was blocked (done stays done)."""

from __future__ import annotations

from kickoff_tui.app import KickoffApp
from kickoff_tui.rules.cards import state_before_block
from kickoff_tui.store import cards
from kickoff_tui.store.ops import Store
from tests.screens.helpers import shows, wait_for


def test_the_state_before_the_latest_block_from_the_states_in_order() -> None:
    assert state_before_block(["todo", "doing", "done", "blocked"]) == "done"
    assert state_before_block(["todo", "blocked"]) == "todo"
    assert state_before_block(["done", "blocked", "doing", "blocked"]) == "doing"
    assert state_before_block(["todo", "blocked", "blocked"]) == "todo"  # two machines at once
    assert state_before_block(["blocked"]) == "doing"  # created blocked: nothing to go back to
    assert state_before_block([None, "weird", "blocked"]) == "doing"
    assert state_before_block([]) == "doing"


def test_unblocking_returns_each_state_and_syncs_as_one_change(workspace: Store) -> None:
    for start in ("todo", "doing", "done"):
        card_id = cards.create_card(workspace, {"title": f"A {start} card", "state": start})
        assert cards.set_blocked(workspace, card_id) == "blocked"
        assert cards.set_blocked(workspace, card_id) == start
        assert workspace.get("card", card_id)["state"] == start
        assert workspace.last_change.summary.endswith(f"(back to {start})")
    created_blocked = cards.create_card(workspace, {"title": "Stuck", "state": "blocked"})
    assert cards.set_blocked(workspace, created_blocked) == "doing"


async def test_b_b_on_a_done_card_leaves_it_done(demo: Store) -> None:
    done = demo.row(
        "SELECT id, title FROM card WHERE state = 'done' AND window = '60' AND deleted = 0"
    )
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.select(done["id"])
        await pilot.press("b")
        assert await wait_for(pilot, lambda: demo.get("card", done["id"])["state"] == "blocked")
        assert app.screen.current_card()["state"] == "blocked"
        await pilot.press("b")
        assert await wait_for(pilot, lambda: demo.get("card", done["id"])["state"] != "blocked")
        assert demo.get("card", done["id"])["state"] == "done"
        assert app.screen.current_card()["state"] == "done"
        assert shows(app, "●")
