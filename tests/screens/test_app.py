"""The app shell driven with the keys a person presses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kickoff_tui import config
from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from tests.screens.helpers import MARKUP_CORPUS, screen_text, wait_for


@pytest.mark.preload
async def test_number_keys_switch_between_the_four_screens(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.current_mode == "board"
        text = screen_text(app)
        assert "Atlas launch" in text and "Day 37 of 90" in text
        assert "Ship the guided setup" in text
        await pilot.press("2")
        assert app.current_mode == "okrs"
        assert "Weekly activated teams" in screen_text(app)
        await pilot.press("3")
        assert app.current_mode == "risks"
        assert "API can't take 3× traffic" in screen_text(app)
        await pilot.press("4")
        assert app.current_mode == "standup"
        assert "Load-test environment not provisioned" in screen_text(app)
        await pilot.press("1")
        assert app.current_mode == "board"


async def test_question_mark_lists_the_keys_and_escape_closes_it(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "Keys — Board" in text
        assert "Go to OKRs" in text
        await pilot.press("end")  # the last keys are below the fold once 7 screens are listed
        await pilot.pause()
        text = screen_text(app)
        for line in (
            "Go to Team",
            "Undo the last change",
            "Light / dark theme",
            "Quit",
            "Command palette",
        ):
            assert line in text
        assert "Focus Next" not in text  # Textual's own plumbing is not our help
        await pilot.press("escape")
        await pilot.pause()
        assert "Keys — Board" not in screen_text(app)


@pytest.mark.preload
async def test_palette_reaches_every_screen(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to risks")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.current_mode == "risks")


async def test_light_theme_is_one_key_away_and_remembered(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test() as pilot:
        dark = app.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert config.get("theme") == "textual-light"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == dark
        await pilot.press("ctrl+t")
        await pilot.pause()
    again = KickoffApp(demo, poll=False)
    async with again.run_test():
        assert again.theme == "textual-light"


@pytest.mark.preload
async def test_markup_looking_text_is_shown_exactly_as_typed(workspace: Store) -> None:
    with workspace.transaction() as tx:
        person = tx.create("person", {"name": "[b]Bo[/b]", "handle": "[/]"})
        objective = tx.create("objective", {"title": MARKUP_CORPUS[3], "owner_id": person})
        for n, text in enumerate(MARKUP_CORPUS):
            tx.create("card", {"title": text, "owner_id": person, "window": ["30", "60"][n % 2]})
        tx.create(
            "key_result",
            {
                "objective_id": objective,
                "title": MARKUP_CORPUS[5],
                "kind": "increase_to",
                "baseline": 0,
                "target": 10,
            },
        )
        tx.create("risk", {"title": MARKUP_CORPUS[4], "likelihood": 2, "impact": 3})
        tx.create(
            "blocker", {"text": MARKUP_CORPUS[0] + " blocked", "raised_at": "2026-11-20T09:00:00Z"}
        )
    workspace.update("workspace", workspace.workspace()["id"], {"name": "[red]Team[/red] [/]"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        text = screen_text(app)
        assert "[red]Team[/red] [/]" in text  # header
        for title in MARKUP_CORPUS:
            assert title in text, title
        assert "@[/]" in text
        await pilot.press("2")
        text = screen_text(app)
        assert MARKUP_CORPUS[3] in text and MARKUP_CORPUS[5] in text and "[b]Bo[/b]" in text
        await pilot.press("3")
        assert MARKUP_CORPUS[4] in screen_text(app)
        await pilot.press("4")
        assert "[/] blocked" in screen_text(app)
        assert app.is_running  # [@click=app.quit] did not quit
        card = workspace.rows("SELECT id FROM card LIMIT 1")[0]["id"]
        app.session.edit(
            workspace.update,
            "card",
            card,
            {"state": "done"},
            summary="Moved [@click=app.quit]x[/] to done",
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Undid: Moved [@click=app.quit]x[/] to done" in screen_text(app)
        assert app.is_running


async def test_undo_reverts_the_last_change_of_this_session(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    card = demo.row("SELECT id, title, window FROM card WHERE title LIKE 'Ship the guided%'")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.session.edit(
            demo.update,
            "card",
            card["id"],
            {"window": "90", "position": "z"},
            summary="Moved #7 to 61–90",
        )
        await pilot.pause()
        assert demo.get("card", card["id"])["window"] == "90"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.get("card", card["id"])["window"] == "60"
        assert "Undid: Moved #7 to 61–90" in screen_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Nothing to undo" in screen_text(app)


async def test_changes_by_another_program_appear_within_two_seconds(demo: Store) -> None:
    app = KickoffApp(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        other = Store(demo.path, actor="ben")
        other.create(
            "card", {"title": "From elsewhere", "window": "30"}, summary="Added from elsewhere"
        )
        other.close()
        assert await wait_for(pilot, lambda: "From elsewhere" in screen_text(app), timeout=2.5)


async def test_a_read_only_workspace_says_so_and_refuses_changes(
    tmp_path: Path, demo: Store
) -> None:
    demo.close()
    store = Store(demo.path, readonly=True)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        text = screen_text(app)
        assert "Read-only: demo.db was opened with --read-only." in text
        assert "Atlas launch" in text  # the banner doesn't cover the header
        card = store.rows("SELECT id FROM card LIMIT 1")[0]["id"]
        assert app.session.edit(store.update, "card", card, {"state": "done"}, summary="x") is None
        await pilot.pause()
        assert "Not saved" in screen_text(app)
        assert [n.message for n in app._notifications] == [
            "demo.db was opened with --read-only, so changes can't be saved."
        ]
        assert app.session.undo_stack == []


async def test_a_malformed_config_is_said_once_and_never_overwritten(demo: Store) -> None:
    path = config.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('theme = "textual-light"\nkeymap = [\n')  # a half-typed line
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert len(said) == 1 and said[0].startswith(f"{path} is not valid TOML (")
        assert said[0].endswith("so the default settings are used; fix or delete it.")
        await pilot.press("ctrl+t")  # a theme change doesn't replace the file with one line
        await pilot.pause()
    assert path.read_text() == 'theme = "textual-light"\nkeymap = [\n'


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[?1049l\x9b31m"


@pytest.mark.preload
async def test_control_characters_already_in_the_file_never_reach_the_terminal(demo: Store) -> None:
    """Rows edited with another program (sqlite-utils) and synced authors can carry escapes;
    every screen shows them as symbols instead of retitling or clearing the terminal."""
    import re

    with demo._guard() as conn:  # as another program would: straight into the tables
        conn.execute(
            "UPDATE card SET title = 'Ship ' || ? , updated_by = ? WHERE title LIKE 'Ship%'",
            (HOSTILE, HOSTILE),
        )
        conn.execute("UPDATE risk SET title = ? || title", (HOSTILE,))
        conn.execute("UPDATE decision SET title = ? || title", (HOSTILE,))
        conn.execute("UPDATE key_result SET title = ? || title", (HOSTILE,))
        conn.execute("UPDATE blocker SET text = ? || text", (HOSTILE,))
        conn.execute("UPDATE activity SET actor = ?, summary = ? || summary", (HOSTILE, HOSTILE))
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            raw = re.findall(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)
            assert not raw, (key, raw)
        await pilot.press("1")
        assert await wait_for(pilot, lambda: "␛]0;pwned␇" in screen_text(app)), screen_text(app)
        # the symbols take cells the escapes didn't: the line keeps its width (and its border)
        line = next(ln for ln in screen_text(app).splitlines() if "␛]0;pwned␇" in ln)
        assert len(line) == 120 and line.rstrip().endswith("▕"), line


@pytest.mark.parametrize(
    ("key", "table_id"), [("2", "okr-table"), ("6", "decision-table"), ("4", "past-table")]
)
@pytest.mark.preload
async def test_j_and_k_move_in_every_table_as_on_the_board(demo: Store, key, table_id) -> None:
    from textual.widgets import DataTable

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        table = app.screen.query_one(f"#{table_id}", DataTable)
        table.focus()
        await pilot.pause()
        start = table.cursor_row
        await pilot.press("j")
        assert table.cursor_row == start + 1
        await pilot.press("k")
        assert table.cursor_row == start


async def test_at_most_two_notifications_newest_first_and_never_over_a_forms_buttons(
    demo: Store,
) -> None:
    from textual.widgets._toast import Toast

    def toasts() -> list[Toast]:
        return sorted(app.screen.query(Toast), key=lambda t: t.region.y)

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        for n in range(3):
            app.notify(f"Note {n}", markup=False, timeout=120)
        assert await wait_for(pilot, lambda: len(toasts()) == 2 and toasts()[0].region)
        assert [str(t.render()).strip() for t in toasts()] == ["Note 2", "Note 1"]
        await pilot.press("enter")  # the card editor fills the height at 80×24
        assert await wait_for(pilot, lambda: app.screen.query("#form-buttons"))
        app.notify("Note 3", markup=False, timeout=120)
        assert await wait_for(
            pilot,
            lambda: (
                [str(t.render()).strip() for t in toasts()] == ["Note 3", "Note 2"]
                and toasts()[-1].region
            ),
        )
        buttons = app.screen.query_one("#form-buttons").region
        assert all(not t.region.overlaps(buttons) for t in toasts())


@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5", "6"])
@pytest.mark.preload
async def test_the_footer_fits_80_columns_with_help_always_visible(demo: Store, key) -> None:
    """Textual's footer cut its keys at the edge ("? He▏^p palette"): only whole keys, `?` last."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        assert await wait_for(
            pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith("? Help")
        )
        assert "palette" not in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(56, 24)  # narrower still: fewer keys, `?` stays
        assert await wait_for(
            pilot, lambda: screen_text(app).splitlines()[-1].rstrip().endswith("? Help")
        )
        await pilot.resize_terminal(120, 30)  # wide: Textual's roomy footer and the palette key
        assert await wait_for(pilot, lambda: "^p palette" in screen_text(app).splitlines()[-1])
        assert "? Help" in screen_text(app).splitlines()[-1]
