"""The RACI matrix (board R): cards × people, r/a/c/i set a role, one A per card."""

from __future__ import annotations

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import cards, people as ps, raci
from kickoff_tui.store.ops import Store
from tests.screens.helpers import shows, wait_for


def roles_of(store: Store, card_id: str) -> dict[str, str]:
    return {
        store.get("person", pid)["handle"]: role
        for pid, role in cards.links(store, card_id)["raci"].items()
    }


async def open_matrix(app: KickoffApp, pilot) -> None:
    await pilot.pause()
    await pilot.press("R")
    assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RaciScreen")
    await pilot.pause()


async def test_keys_set_roles_and_a_second_a_moves(workspace: Store) -> None:
    ana = ps.add_person(workspace, {"name": "Ana Silva"})
    ps.add_person(workspace, {"name": "Ben Okafor"})
    card = cards.create_card(workspace, {"title": "Pick a vendor"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_matrix(app, pilot)
        assert shows(app, "⚠ #1 Pick a vendor")
        await pilot.press("a")  # @ana
        assert await wait_for(pilot, lambda: roles_of(workspace, card) == {"ana": "A"})
        await pilot.press("right", "a")  # @ben takes the A
        assert await wait_for(pilot, lambda: roles_of(workspace, card) == {"ben": "A"})
        assert "#1 has one accountable person: A moved from @ana to @ben." in [
            n.message for n in app._notifications
        ]
        await pilot.press("left", "r")
        assert await wait_for(pilot, lambda: roles_of(workspace, card) == {"ben": "A", "ana": "R"})
        assert not shows(app, "⚠ #1")
        await pilot.press("space")
        assert await wait_for(pilot, lambda: roles_of(workspace, card) == {"ben": "A"})
        assert shows(app, "⚠ no R")
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: roles_of(workspace, card) == {"ben": "A", "ana": "R"})
        await pilot.press("escape")
        assert await wait_for(
            pilot,
            lambda: app.current_mode == "board" and app.screen.__class__.__name__ == "BoardScreen",
        )
    assert raci.matrix(workspace)["cards"][0]["missing"] == ""
    assert ana


async def test_deactivated_people_leave_the_columns_unless_they_hold_a_role(
    workspace: Store,
) -> None:
    ana = ps.add_person(workspace, {"name": "Ana Silva"})
    ben = ps.add_person(workspace, {"name": "Ben Okafor"})
    cy = ps.add_person(workspace, {"name": "Cy Lee"})
    card = cards.create_card(workspace, {"title": "Pick a vendor"})
    raci.set_role(workspace, card, ben, "R")
    ps.set_active(workspace, ben, False)
    ps.set_active(workspace, cy, False)
    assert [p["id"] for p in raci.matrix(workspace)["people"]] == [ana, ben]
