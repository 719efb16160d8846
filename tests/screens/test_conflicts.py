"""The conflicts view (!) and syncing while the app is open, with the keys a person presses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import OptionList

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.conflicts import ConflictsScreen
from kickoff_tui.store import sync
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace
from kickoff_tui.widgets.form import FormScreen
from tests.screens.helpers import shows, wait_for

SIZES = [(80, 24), (120, 40)]


def pair(tmp_path: Path) -> tuple[Store, Store, str, str]:
    """ana and ben on one sync folder: a title both changed, and a card ana deleted that ben
    edited."""
    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    torn = ana.create("card", {"title": "Plan the pilot"}, summary="x")
    gone = ana.create("card", {"title": "Old idea"}, summary="x")
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    ben, _ = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")
    # With the clock frozen, ana's later clock makes her value the winner on every machine.
    ana.update("workspace", sync.workspace_id(ana), {"vision": "Pilot by spring"})
    ana.update("card", torn, {"title": "Plan the [bold]pilot[/] (ana)"}, summary="a")
    ben.update("card", torn, {"title": "Plan the pilot (ben)"}, summary="b")
    ana.delete("card", gone, summary="deleted")
    ben.update("card", gone, {"rag": "red"}, summary="b")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    return ana, ben, torn, gone


async def open_conflicts(app: KickoffApp, pilot) -> ConflictsScreen:
    await pilot.press("exclamation_mark")
    assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
    await pilot.pause()
    return app.screen


async def test_conflicts_are_listed_with_each_value_who_and_when(tmp_path: Path, frozen) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_conflicts(app, pilot)
        assert shows(app, "2 conflicts — every machine shows the later change (“shown now”)")
        assert shows(app, "⚠ Card “Plan the [bold]pilot[/] (ana)” · title")
        assert shows(app, "keep Plan the [bold]pilot[/] (ana) — ana, Nov 23 09:00 (shown now)")
        assert shows(app, "keep Plan the pilot (ben) — ben, Nov 23 09:00")
        assert ana.get("card", torn)["title"] == ben.get("card", torn)["title"]
        assert shows(
            app,
            "⚠ Card “Old idea” — deleted by ana (Nov 23 09:00); ben edited rag — restore or delete",
        )
        assert shows(app, "restore (keep ben's edits)") and shows(app, "delete for good")


async def test_keeping_a_value_resolves_it_everywhere_and_undo_puts_it_back(
    tmp_path: Path, frozen
) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_conflicts(app, pilot)
        await pilot.press("down", "enter")  # the second value: ben's
        assert await wait_for(pilot, lambda: shows(app, "1 conflict "))
        assert ben.get("card", torn)["title"] == "Plan the pilot (ben)"
        assert ben.conflicts() == []
        await pilot.press("ctrl+z")
        assert await wait_for(
            pilot, lambda: ben.get("card", torn)["title"] == "Plan the [bold]pilot[/] (ana)"
        )
    sync.sync(ben), sync.sync(ana)
    assert (
        ana.conflicts() == [] and ana.get("card", torn)["title"] == "Plan the [bold]pilot[/] (ana)"
    )


async def test_a_merged_value_is_typed_and_syncs(tmp_path: Path, frozen) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflicts(app, pilot)
        await pilot.press("m")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        field = form.query_one("#field-title")
        field.value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and shows(app, "Title can't be empty")
        assert len(ben.conflicts()) == 1  # nothing saved
        field.value = "Plan the pilot (both)"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConflictsScreen))
        assert ben.get("card", torn)["title"] == "Plan the pilot (both)"
    sync.sync(ben), sync.sync(ana)
    assert ana.get("card", torn)["title"] == "Plan the pilot (both)" and ana.conflicts() == []


@pytest.mark.parametrize("choice", ["restore", "delete"])
async def test_a_row_deleted_by_one_and_edited_by_another(
    tmp_path: Path, frozen, choice: str
) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    app = KickoffApp(ana, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_conflicts(app, pilot)
        listing = app.screen.query_one(OptionList)
        for _ in range(10):  # down past the title's values to the choice
            current = listing.get_option_at_index(listing.highlighted)
            if current.id and current.id.endswith(choice):
                break
            await pilot.press("down")
        assert shows(app, "restore (keep ben's edits)")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: ana.delete_conflicts() == [])
        assert not shows(app, "deleted by")
    sync.sync(ana), sync.sync(ben)
    expected = (0, "red") if choice == "restore" else (1, "red")
    for s in (ana, ben):
        row = s.get("card", gone)
        assert (row["deleted"], row["rag"]) == expected
        assert s.delete_conflicts() == []


async def test_a_teammates_edit_on_the_shared_folder_appears_without_a_key(tmp_path: Path) -> None:
    """The app's own folder poll brings it in (every 2 s; bench/sync.py times it)."""
    ana, ben, torn, gone = pair(tmp_path)
    app = KickoffApp(ben)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: "synced" in app.status_text or "⚠" in app.status_text)
        card = ana.create("card", {"title": "Fresh from ana"}, summary="Added Fresh from ana")
        sync.sync(ana)
        assert await wait_for(pilot, lambda: ben.get("card", card) is not None)
        assert "⚠2" in app.status_text  # the two conflicts are still open
        await pilot.press("S")
        assert await wait_for(
            pilot, lambda: any("nothing new" in str(n.message) for n in app._notifications)
        )


async def test_sync_now_without_a_folder_says_how_to_attach_one(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("S")
        assert await wait_for(
            pilot,
            lambda: any("kickoff sync init DIR" in str(n.message) for n in app._notifications),
        )


async def test_no_conflicts_says_so(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflicts(app, pilot)
        assert shows(app, "No conflicts")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConflictsScreen))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot(snap_compare, tmp_path: Path, frozen, size) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    assert snap_compare(KickoffApp(ben, poll=False), press=["exclamation_mark"], terminal_size=size)


@pytest.mark.preload
async def test_a_decision_in_conflict_carries_a_warning_in_the_log(tmp_path: Path, frozen) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    decision = ana.create("decision", {"title": "Use Postgres"}, summary="d")
    sync.sync(ana), sync.sync(ben)
    ana.update("decision", decision, {"status": "accepted"}, summary="a")
    ben.update("decision", decision, {"status": "rejected"}, summary="b")
    sync.sync(ana), sync.sync(ben)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("6")
        assert await wait_for(pilot, lambda: shows(app, "⚠ Use Postgres"))
        await pilot.press("exclamation_mark")
        assert await wait_for(pilot, lambda: shows(app, "⚠ Decision “Use Postgres” · status"))


async def test_a_missing_sync_folder_shows_in_the_status_once(tmp_path: Path) -> None:
    import shutil

    ana, ben, torn, gone = pair(tmp_path)
    shutil.rmtree(tmp_path / "shared")  # the drive is not mounted
    app = KickoffApp(ben)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: app.status_text == "sync failed")
        assert shows(app, "sync failed")
        await pilot.pause(2.5)  # another round fails the same way: no second notification
        said = [n for n in app._notifications if "is not there" in str(n.message)]
        assert len(said) == 1 and "(is the drive mounted?)" in str(said[0].message)


async def test_a_bad_line_in_the_folder_is_told_once(tmp_path: Path) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    log = sync.folder_of(ana) / "ops" / f"{ana.replica}.jsonl"
    with log.open("a") as f:
        f.write("{not json\n")
    app = KickoffApp(ben)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(
            pilot, lambda: any("not a JSON line" in str(n.message) for n in app._notifications)
        )
        await pilot.pause(2.5)
        said = [n for n in app._notifications if "not a JSON line" in str(n.message)]
        assert len(said) == 1
        assert str(said[0].message).startswith(f"ops/{ana.replica}.jsonl:")


async def test_deleted_on_one_side_and_restored_on_the_other_reads_as_words(
    tmp_path: Path, frozen
) -> None:
    ana, ben, torn, gone = pair(tmp_path)
    ana.resolve_delete(ana.delete_conflicts()[0], restore=False)
    ben.resolve_delete(ben.delete_conflicts()[0], restore=True)
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_conflicts(app, pilot)
        assert shows(app, "⚠ Card “Old idea” · deleted")
        assert shows(app, "keep deleted — ana") and shows(app, "keep not deleted — ben")
