"""Remappable keys (issue 20): every binding has an id, `kickoff_tui/keymap.py` lists them all
(for `kickoff keys`), and `[keymap]` in config.toml remaps them; a bad entry is said once."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from textual.widgets import DataTable

from kickoff_tui import config, keymap
from kickoff_tui.app import KickoffApp, is_key_name
from kickoff_tui.exits import NOT_FOUND
from kickoff_tui.screens.help import HelpScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from tests.conftest import kickoff_cmd, subprocess_env
from tests.keymap_table import declared
from tests.screens.helpers import wait_for


def test_the_table_of_ids_is_the_bindings_the_code_declares() -> None:
    """Every binding has an id, and KEYS has each id once, with the code's keys and (when the
    code gives one) its description: `kickoff keys` never lies about a key."""
    table = {bid: (keys, what) for bid, keys, what in keymap.KEYS}
    assert len(table) == len(keymap.KEYS), "an id is listed twice in keymap.KEYS"
    code = declared()
    assert [bid for bid, _, _ in code] == list(table), "run `python -m tests.keymap_table`"
    for bid, keys, what in code:
        assert table[bid][0] == keys, bid
        assert table[bid][1] == (what or table[bid][1]) and table[bid][1], bid


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("a", True),
        ("A", True),
        ("ctrl+n", True),
        ("shift+alt+up", True),
        ("question_mark", True),
        ("slash", True),
        ("?", True),
        ("f5", True),
        ("pageup", True),
        ("escape", True),
        ("space", True),
        ("", False),
        ("ctlr+n", False),
        ("ctrl+", False),
        ("enterr", False),
        ("pgup", False),
        ("<any>", False),
        (" ", False),
    ],
)
def test_key_names_are_those_textual_knows(key: str, ok: bool) -> None:
    assert is_key_name(key) is ok


def test_a_bad_entry_is_one_sentence_and_the_rest_apply() -> None:
    good, problems = keymap.check(
        {
            "board.new": "a",
            "list.down": "n, j",
            "board.nope": "x",
            "board.rag": 3,
            "board.delete": "ctrl+bogus",
        },
        is_key_name,
    )
    assert good == {"board.new": "a", "list.down": "n,j"}
    assert problems == [
        (
            "[keymap] 'board.nope' is not a key binding id (`kickoff keys` lists them), so it is "
            "ignored."
        ),
        (
            '[keymap] \'board.rag\' should be a key name in quotes, such as "a" or "ctrl+n", '
            "so it is ignored."
        ),
        "[keymap] 'board.delete' = 'ctrl+bogus': 'ctrl+bogus' is not a key name, so it is ignored.",
    ]
    assert keymap.check(["board.new"], is_key_name)[0] == {}
    # unquoted, TOML makes board.new a table in a table: still the id board.new
    assert keymap.check({"board": {"new": "a"}}, is_key_name) == ({"board.new": "a"}, [])
    source = '# mine\n[keymap]\n"board.new" = "a"\nboard.rag = 3  # one\n[notify]\nx = 1\n'
    assert keymap.line_of(source, "board.rag") == 4
    assert keymap.line_of(source, "board.new") == 3
    assert keymap.line_of(source, "x") is None


@pytest.mark.preload
async def test_a_remapped_key_works_and_a_bad_entry_is_said_once(
    demo: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.config_path().parent.mkdir(parents=True, exist_ok=True)
    config.config_path().write_text(
        '[keymap]\n"board.new" = "a"\n"list.down" = "n"\n"bored.new" = "x"\n',
        encoding="utf-8",
    )
    said: list[str] = []
    app = KickoffApp(demo, poll=False)
    real_notify = app.notify

    def notify(message: Any, **kwargs: Any) -> None:
        said.append(str(message))
        real_notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        await pilot.pause()
        await pilot.press("a")  # the new-card key, remapped from n
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.press("question_mark")  # help shows the key in effect
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        rows = help_rows(app.screen)
        assert ("a", "New card in this window, after the cursor") in rows
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("7")  # the team: "n" now moves down its table
        assert await wait_for(pilot, lambda: app.current_mode == "team")
        table = app.screen.query_one("#team-table")
        assert await wait_for(pilot, lambda: table.row_count > 3)
        table.focus()
        await pilot.pause()
        await pilot.press("n", "n")
        assert table.cursor_row == 2
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("1", "2", "1")
        await pilot.pause()
    assert [s for s in said if "bored.new" in s] == [
        (
            "Line 4: [keymap] 'bored.new' is not a key binding id (`kickoff keys` lists them), so "
            "it is ignored."
        )
    ], said


def help_rows(screen: HelpScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#help-keys", DataTable)
    return [
        (row[0].plain.strip(), row[1].plain)
        for row in (table.get_row_at(i) for i in range(table.row_count))
    ]


def test_kickoff_keys_lists_ids_keys_and_what_they_do() -> None:
    result = subprocess.run(
        [*kickoff_cmd(), "keys", "board"],
        capture_output=True,
        check=False,
        text=True,
        env=subprocess_env(COLUMNS="100"),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "KEYS", "WHAT", "IT", "DOES"]
    assert any(line.split()[:2] == ["board.new", "n"] for line in lines)
    assert all(line.startswith("board.") for line in lines[1:])


def test_kickoff_keys_with_an_unknown_area_says_so() -> None:
    result = subprocess.run(
        [*kickoff_cmd(), "keys", "bord"],
        capture_output=True,
        check=False,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.returncode == NOT_FOUND
    assert "No key binding id starts with 'bord'; the areas are app, board," in result.stderr
