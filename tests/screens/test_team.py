"""The Team screen (7) and the person page, with the keys a person presses."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import people as ps
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import MARKUP_CORPUS, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_team(app: KickoffApp, pilot) -> DataTable:
    await pilot.press("7")
    assert await wait_for(pilot, lambda: app.current_mode == "team")
    await pilot.pause()
    return app.screen.query_one(DataTable)


async def form_open(app, pilot) -> FormScreen:
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    return app.screen


def names(table: DataTable) -> list[str]:
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


async def test_the_demo_team_shows_every_first_action_state(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        table = await open_team(app, pilot)
        assert names(table) == [
            "Ana Silva (me)",
            "Ben Okafor",
            "Chloé Martin",
            "Dev Patel",
            "Eun-ji Kim",
        ]
        assert shows(app, "Ana Silva (me) @ana Product lead 3 1 1 1 done on time")
        assert shows(app, "Ben Okafor @ben Engineering lead 3 3 2 1 ⚠ late")
        assert shows(app, "Eun-ji Kim @eunji Marketing 4 2 2 1 due in 30 h")
        assert shows(app, "Dev Patel @dev Data engineer 2 0 1 1 none yet")
        assert shows(app, "First action done on time · #1 Write the kickoff brief and share it")
        assert shows(app, "Ana Silva · @ana · Product lead · ana@example.com")


async def test_n_adds_a_person_with_a_derived_handle_and_ctrl_z_undoes(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_team(app, pilot)
        assert shows(app, "Nobody on the team yet. Press n to add the first person")
        await pilot.press("n")
        await form_open(app, pilot)
        await pilot.press(*"Ana Silva", "tab", "tab", *"Product lead", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        row = workspace.row("SELECT * FROM person")
        assert (row["name"], row["handle"], row["role"], row["active"]) == (
            "Ana Silva",
            "ana",
            "Product lead",
            1,
        )
        assert await wait_for(pilot, lambda: names(table) == ["Ana Silva"])
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: table.row_count == 0)
        assert workspace.row("SELECT deleted FROM person")[0] == 1


async def test_a_duplicate_handle_is_refused_in_the_form(workspace: Store) -> None:
    ps.add_person(workspace, {"name": "Ana Silva"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_team(app, pilot)
        await pilot.press("n")
        form = await form_open(app, pilot)
        await pilot.press(*"Ana Sousa", "tab", *"ana", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert shows(app, "@ana is already someone's handle; pick another.")
        form.query_one("#field-handle", Input).value = "ana two"
        await pilot.pause()
        assert shows(app, "'ana two' is not a handle")
        await pilot.press("escape")
        assert await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, FormScreen) is False
                or app.screen.__class__.__name__ == "ConfirmScreen"
            ),
        )
        assert len(ps.everyone(workspace)) == 1


async def test_an_email_pasted_with_an_escape_code_is_refused_in_the_form(
    workspace: Store,
) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_team(app, pilot)
        await pilot.press("n")
        form = await form_open(app, pilot)
        await pilot.press(*"Ana Silva")
        form.query_one("#field-email", Input).value = "ana@x.org\x1b[31m"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert shows(
            app,
            "'ana@x.org?[31m' is not an email address: it has control characters "
            "(a tab, line break or escape code).",
        )
        assert ps.everyone(workspace) == []


async def test_enter_edits_and_d_deactivates_then_reactivates(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        table = await open_team(app, pilot)
        await pilot.press("down")  # Ben
        await pilot.press("enter")
        form = await form_open(app, pilot)
        form.query_one("#field-role", Input).value = "CTO"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: ps.find(demo, "ben")["role"] == "CTO")
        await pilot.press("d")
        assert await wait_for(pilot, lambda: ps.find(demo, "ben")["active"] == 0)
        assert await wait_for(pilot, lambda: "Ben Okafor (inactive)" in names(table))
        # past records keep the name; pickers and speakers leave him out
        from kickoff_tui.store import cards, queries

        assert sum(c["owner_name"] == "Ben Okafor" for c in cards.board(demo)) == 5

        assert "ben" not in {p["handle"] for p in queries.people(demo)}
        while not names(table)[table.cursor_row].startswith("Ben"):
            await pilot.press("down")
        await pilot.press("d")
        assert await wait_for(pilot, lambda: ps.find(demo, "ben")["active"] == 1)


async def test_f_sets_a_first_action_and_m_says_this_is_me(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_team(app, pilot)
        for _ in range(3):
            await pilot.press("down")  # Dev Patel: none yet
        await pilot.press("f")
        await form_open(app, pilot)
        await pilot.press(*"8", "ctrl+s")
        dev = ps.find(demo, "dev")
        assert await wait_for(pilot, lambda: ps.find(demo, "dev")["first_action_card_id"])
        card = demo.get("card", ps.find(demo, "dev")["first_action_card_id"])
        assert card["title"] == "Sample data on sign-up"
        await pilot.press("m")
        assert await wait_for(pilot, lambda: ps.me(demo) == dev["id"])
        assert demo.meta(ps.ME_KEY) == dev["id"]
        assert shows(app, "Dev Patel (me)")


async def test_p_opens_the_person_page(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_team(app, pilot)
        await pilot.press("p")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "PersonScreen")
        await pilot.pause()
        assert shows(app, "Ana Silva @ana · Product lead · ana@example.com")
        assert shows(app, "Why Atlas launch exists")
        assert shows(app, "#1 Write the kickoff brief and share it (done)")
        assert shows(app, "RACI roles")
        await pilot.press("escape")
        assert await wait_for(
            pilot,
            lambda: app.current_mode == "team" and app.screen.__class__.__name__ == "TeamScreen",
        )


async def test_names_with_markup_show_as_typed(workspace: Store) -> None:
    for i, text in enumerate(MARKUP_CORPUS):
        ps.add_person(workspace, {"name": text, "handle": f"p{i}", "role": text})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        table = await open_team(app, pilot)
        assert sorted(names(table)) == sorted(MARKUP_CORPUS)


async def test_a_person_edited_on_two_machines_shows_a_conflict(tmp_path) -> None:
    from datetime import date

    from kickoff_tui.store import sync
    from kickoff_tui.store.workspace import init_workspace

    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    sync.attach(ana, tmp_path / "shared")
    cy = ps.add_person(ana, {"name": "Cy Lee"})
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    ps.edit_person(ana, cy, {"role": "Buyer"})
    ps.edit_person(ben, cy, {"role": "Procurement"})
    sync.sync(ben), sync.sync(ana)
    app = KickoffApp(ana, poll=False)
    async with app.run_test(size=(100, 24)) as pilot:
        table = await open_team(app, pilot)
        assert names(table) == ["⚠ Cy Lee"]
        await pilot.press("exclamation_mark")
        assert await wait_for(pilot, lambda: shows(app, "Person “Cy Lee”"))
    ana.close(), ben.close()


async def test_the_review_shows_each_persons_first_action(demo: Store) -> None:
    from kickoff_tui.widgets.columns import Columns

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        assert await wait_for(pilot, lambda: app.current_mode == "review")
        await pilot.pause()
        rows = app.screen.query_one("#review-first-actions", Columns).plain_rows
        assert rows == [
            "Ana Silva done on time #1 Write the kickoff brief and share it",
            "Ben Okafor ⚠ late #6 Draft the SOC 2 control list",
            "Chloé Martin none yet ",
            "Dev Patel none yet ",
            "Eun-ji Kim due in 30 h #11 Pricing page A/B test",
        ]
