"""The Kickoff page (8): a lead writes the charter, asks a question, maps and shortlists a
stakeholder, plans and sends a communication — pressing the keys, checking the file and the
screen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Select, Static, TextArea

from kickoff_tui import clock
from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.help import HelpScreen
from kickoff_tui.screens.kickoff import KickoffPage
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_kickoff(app: KickoffApp, pilot) -> KickoffPage:
    await pilot.press("8")
    assert await wait_for(pilot, lambda: app.current_mode == "kickoff")
    await pilot.pause()
    assert isinstance(app.screen, KickoffPage)
    return app.screen


async def form_open(app, pilot) -> FormScreen:
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    return app.screen


async def save(app, pilot) -> None:
    await pilot.press("ctrl+s")
    assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
    await pilot.pause()


def detail(screen: KickoffPage) -> str:
    """The panel beside the stakeholder grid (it wraps, so it is read whole)."""
    return " ".join(screen.query_one("#map-detail", Static).render().plain.split())


def one(store: Store, sql: str) -> dict:
    row = store.row(sql)
    assert row is not None, sql
    return dict(row)


async def test_a_lead_writes_the_charter_and_a_question_from_a_fresh_workspace(
    workspace: Store,
) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kickoff(app, pilot)
        assert shows(app, "c Charter") and shows(app, "Purpose and why now")
        assert shows(app, "not written yet: e to write")
        await pilot.press("e")
        form = await form_open(app, pilot)
        assert form.query_one("#field-purpose", TextArea).has_focus
        await pilot.press(*"Ship it", "enter", *MARKUP_CORPUS[4])
        await save(app, pilot)
        purpose = one(workspace, "SELECT purpose FROM charter WHERE id = 'charter'")["purpose"]
        assert purpose == f"Ship it\n{MARKUP_CORPUS[4]}"
        assert shows(app, MARKUP_CORPUS[4])  # as typed, never as markup
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert one(workspace, "SELECT purpose FROM charter")["purpose"] is None

        await pilot.press("n")
        await form_open(app, pilot)
        await pilot.press(*"Who signs off pricing?")
        await save(app, pilot)
        q = one(workspace, "SELECT * FROM question")
        tomorrow = clock.today("UTC") + timedelta(days=1)
        assert (q["text"], q["answer_by"]) == ("Who signs off pricing?", tomorrow.isoformat())
        assert shows(app, "Q1 by")
        await pilot.press("a")  # the cursor is on the new question
        form = await form_open(app, pilot)
        await pilot.press(*"Maria")
        await save(app, pilot)
        q = one(workspace, "SELECT * FROM question")
        assert q["answer"] == "Maria" and q["answered_at"] == clock.today("UTC").isoformat()
        assert shows(app, "Q1 ✓ answered")


async def test_a_stakeholder_is_mapped_shortlisted_and_moved_with_the_keys(
    workspace: Store,
) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_kickoff(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert detail(screen) == "No stakeholders yet. Press n to add the first one."
        await pilot.press("n")
        form = await form_open(app, pilot)
        await pilot.press(*"Legal team")
        form.query_one("#field-discipline", Select).value = "legal"
        form.query_one("#field-influence", Select).value = 5
        form.query_one("#field-interest", Select).value = 4
        await save(app, pilot)
        s = one(workspace, "SELECT * FROM stakeholder")
        assert (s["name"], s["discipline"], s["influence"], s["interest"]) == (
            "Legal team",
            "legal",
            5,
            4,
        )
        assert screen.map_panel.grid.count((5, 4)) == 1
        assert "not decided: answer 1, 2, 3, 4, 5" in detail(screen)

        await pilot.press("a")
        form = await form_open(app, pilot)
        for name, value in zip(
            ("q_affects", "q_expect", "q_relationship", "q_replaceable", "q_assigned"),
            (1, 1, 1, 1, 0),
        ):
            form.query_one(f"#field-{name}", Select).value = value
        await save(app, pilot)
        assert one(workspace, "SELECT q_replaceable FROM stakeholder")["q_replaceable"] == 1
        assert "off: 4 replaceable" in detail(screen)  # which answer keeps them off
        assert shows(app, "off: 4")  # in the list too
        await pilot.press("s")  # shortlisted only: nobody
        await pilot.pause()
        assert screen.map_panel.grid.count((5, 4)) == 0
        await pilot.press("s")
        await pilot.pause()

        await pilot.press("shift+left")
        await pilot.pause()
        assert one(workspace, "SELECT interest FROM stakeholder")["interest"] == 3
        assert screen.map_panel.grid.count((5, 3)) == 1
        await pilot.press("shift+up")  # already at the top: refused, nothing written
        await pilot.pause()
        assert one(workspace, "SELECT influence FROM stakeholder")["influence"] == 5
        assert any("already at the highest influence" in n.message for n in app._notifications)

        await pilot.press("d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
        assert one(workspace, "SELECT deleted FROM stakeholder")["deleted"] == 1


async def test_a_communication_is_planned_and_marked_done_which_schedules_the_next(
    workspace: Store,
) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kickoff(app, pilot)
        await pilot.press("p", "n")
        form = await form_open(app, pilot)
        form.query_one("#field-cadence", Select).value = "once"
        await pilot.press("tab", "tab", *"Launch mail")  # stakeholder, group, then what
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # a one-off needs its date
        assert shows(app, "A one-off communication needs its date.")
        form.query_one("#field-cadence", Select).value = "weekly"
        await save(app, pilot)
        c = one(workspace, "SELECT * FROM comm")
        assert (c["message"], c["cadence"], c["audience"]) == ("Launch mail", "weekly", "everyone")
        assert shows(app, "⚠ C1 overdue since Oct 17")  # weekly from the kickoff, never done
        await pilot.press("x")
        await pilot.pause()
        today = clock.today("UTC")
        assert one(workspace, "SELECT last_done FROM comm")["last_done"] == today.isoformat()
        assert shows(app, "Nothing late")


async def test_the_demo_page_shows_what_is_late_and_keys_of_other_tabs_do_nothing(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kickoff(app, pilot)
        text = screen_text(app)
        assert "⚠ Q2 unanswered since Oct" in text and "C3 overdue since" in text
        before = demo.row("SELECT count(*) FROM operation")[0]
        await pilot.press("x", "l", "shift+up")  # plan and map keys, on the charter tab
        await pilot.pause()
        assert demo.row("SELECT count(*) FROM operation")[0] == before
        footer = text.splitlines()[-1]
        assert "Charter" in footer and "Done" not in footer and "? Help" in footer
        await pilot.press("m")
        await pilot.pause()
        assert shows(app, "⚠ S2 contact overdue since")
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        assert shows(app, "The kickoff: the charter and its open questions (c)")
        table = app.screen.query_one(DataTable)
        rows = " ".join(
            " ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)
        )
        for words in (
            "Map: only shortlisted",
            "contacted today",
            "five shortlist",
            "more interest",
        ):
            assert words in rows, words


async def test_the_footer_and_tabs_fit_at_80_columns(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kickoff(app, pilot)
        for tab in "cmp":
            await pilot.press(tab)
            await pilot.pause()
            lines = screen_text(app).splitlines()
            assert "8 Kickoff" in lines[1]
            assert lines[-1].rstrip().endswith("? Help")
            assert "Stakeholders" in lines[2] and "Communication" in lines[2]


async def test_a_stakeholder_edited_on_two_machines_is_marked_and_resolved_in_conflicts(
    tmp_path,
) -> None:
    from kickoff_tui.screens.conflicts import ConflictsScreen
    from kickoff_tui.store import stakeholders as sh
    from kickoff_tui.store import sync
    from kickoff_tui.store.workspace import init_workspace

    ana = init_workspace(tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17))
    sync.attach(ana, tmp_path / "shared")
    sid = sh.save_stakeholder(ana, {"name": "Legal team"})
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    sh.save_stakeholder(ana, {"notes": "ana's"}, sid)
    sh.save_stakeholder(ben, {"notes": "ben's"}, sid)
    sync.sync(ben), sync.sync(ana)
    app = KickoffApp(ana, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_kickoff(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert shows(app, "⚠ Legal team")
        assert "edited on two machines at once" in detail(screen)
        await pilot.press("exclamation_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        await pilot.pause()
        assert shows(app, "Stakeholder “Legal team” · notes")


async def test_with_eight_tabs_at_80_columns_a_sync_status_still_shows(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kickoff(app, pilot)
        app.set_status("sync failed")
        await pilot.pause()
        nav = screen_text(app).splitlines()[1]
        assert nav.rstrip().endswith("sync failed")
        assert "8 Kickoff" in nav and "Decisions" not in nav  # the others: their keys
        app.set_status("")
        await pilot.pause()
        nav = screen_text(app).splitlines()[1]
        assert "6 Decisions" in nav and "8 Kickoff" in nav


async def test_read_only_map_and_plan_keys_say_so_and_write_nothing(demo: Store) -> None:
    demo.close()
    store = Store(demo.path, readonly=True)
    before = store.row("SELECT count(*) FROM operation")[0]
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_kickoff(app, pilot)
        for tab, keys in (("m", ["n", "e", "a", "l", "d", "shift+up"]), ("p", ["n", "x", "d"])):
            await pilot.press(tab)
            await pilot.pause()
            for key in keys:
                app.clear_notifications()
                await pilot.press(key)
                await pilot.pause()
                assert not isinstance(app.screen, (FormScreen, ConfirmScreen)), (tab, key)
                assert [n.message for n in app._notifications] == [
                    "Read-only: demo.db was opened with --read-only, so nothing can be changed."
                ], (tab, key)
    assert store.row("SELECT count(*) FROM operation")[0] == before
    store.close()


async def test_impossible_values_already_in_the_file_show_with_a_warning(demo: Store) -> None:
    import sqlite3

    from click.testing import CliRunner

    from kickoff_tui.cli import main

    path = demo.path
    demo.close()
    with sqlite3.connect(path) as c:  # what sqlite-utils in a teammate's hands can leave
        c.execute("UPDATE workspace SET timezone = 'Mars/Olympus'")
        c.execute("UPDATE stakeholder SET influence = 99, next_contact = 'soon', q_affects = 7")
        c.execute("UPDATE comm SET cadence = 'hourly', starts = 'x', last_done = 'y'")
        c.execute("UPDATE question SET answer_by = 'garbage'")
    store = Store(path)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_kickoff(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert "influence ?⚠ (stored 99)" in detail(screen)
        assert screen.map_panel.grid.count((5, 4)) >= 1  # drawn at the nearest level
        await pilot.press("p")
        await pilot.pause()
        assert "cadence ?⚠" in screen_text(app)
    store.close()
    runner = CliRunner()
    for args in (
        ["stakeholder", "list"],
        ["comm", "list", "--json"],
        ["export", "--format", "md", "--charter"],
    ):
        result = runner.invoke(main, [*args, "--db", str(path)])
        assert result.exit_code == 0, (args, result.output)
