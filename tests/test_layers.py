"""The layers hold (issue 18): screens and widgets hold no SQL and reach the store only
through the session and named store functions.

import-linter (`lint-imports`, contracts in pyproject.toml) checks who imports whom; these
tests check what imports can't see: SQL text in strings, raw-SQL calls, and reaching into the
app's state instead of `self.session`. Each failure names the file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kickoff_tui"
UI_FILES = sorted([*PACKAGE.glob("screens/*.py"), *PACKAGE.glob("widgets/*.py")])

#: SQL as this code base writes it (upper-case keywords), so that interface text such as
#: "Select a card from the list" is not mistaken for a query.
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(TABLE|INDEX|VIEW)\b|\bPRAGMA\s+\w|\bWHERE\s+\w+\s*(=|IN\b|IS\b)"
    r"|\bORDER\s+BY\b|\bLEFT\s+JOIN\b|\bJOIN\s+\w+\s+\w*\s*ON\b"
)
#: Drivers a screen must not import: reads are named store functions returning plain data.
DRIVERS = {"sqlite3", "sqlite_utils"}
#: Store methods that take SQL text.
RAW_SQL_CALLS = {"execute", "executemany", "executescript", "rows", "row"}

#: The app's attributes that are the session's, and its private ones: screens use
#: `self.session`. (`_css_update_count` is Textual's own private counter, not the app's state:
#: it moves into textual_compat.py, whose test checks every private Textual name.)
APP_STATE = re.compile(
    r"\bapp\.(edit|store|workspace|generation|undo_stack|changed|_safe|_data_version)\b"
    r"|\bapp\._(?!css_update_count\b)\w+"
)
#: Files still allowed to reach into the app's state while they move onto `self.session`
#: (none now: every screen and widget uses the session).
APP_STATE_ALLOWED: set[str] = set()


def _name(path: Path, root: Path = PACKAGE) -> str:
    return path.relative_to(root).as_posix()


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal (f-string parts included) with its line."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def sql_findings(path: Path, root: Path = PACKAGE) -> list[str]:
    """'file:line what' for each piece of SQL, SQL driver import or raw-SQL call in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = _name(path, root)
    found = []
    seen: set[int] = set()
    for line, text in _strings(tree):
        match = SQL.search(text)
        if match and line not in seen:  # one finding per line (an f-string has several parts)
            seen.add(line)
            found.append(f"{where}:{line} SQL in a string: {match.group(0)[:40]!r}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            if name.split(".")[0] in DRIVERS:
                found.append(f"{where}:{node.lineno} imports {name}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RAW_SQL_CALLS
            and node.args
            and isinstance(node.args[0], (ast.Constant, ast.JoinedStr, ast.BinOp))
        ):
            found.append(f"{where}:{node.lineno} runs SQL: .{node.func.attr}(...)")
    return found


def test_the_check_sees_sql_in_a_screen(tmp_path: Path) -> None:
    """The check itself can fail: a query, a driver import and a raw call are each named."""
    screen = tmp_path / "kickoff_tui" / "screens" / "bad.py"
    screen.parent.mkdir(parents=True)
    screen.write_text(
        "import sqlite3\n"
        "from sqlite_utils import Database\n"
        "HINT = 'Select a card from the list'\n"
        "def load(store, table):\n"
        "    return store.rows(\n"
        "        f'SELECT id, title FROM {table} WHERE deleted = 0 ORDER BY num'\n"
        "    )\n",
        encoding="utf-8",
    )
    assert sql_findings(screen, root=tmp_path / "kickoff_tui") == [
        "screens/bad.py:6 SQL in a string: 'SELECT id, title FROM'",
        "screens/bad.py:1 imports sqlite3",
        "screens/bad.py:2 imports sqlite_utils",
        "screens/bad.py:5 runs SQL: .rows(...)",
    ]


def test_screens_and_widgets_hold_no_sql() -> None:
    assert any(_name(p) == "screens/standup.py" for p in UI_FILES)  # standup is covered too
    found = [finding for path in UI_FILES for finding in sql_findings(path)]
    assert not found, "SQL belongs in a named store function:\n" + "\n".join(found)


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: _name(p))
def test_screens_and_widgets_use_the_session_not_the_apps_state(path: Path) -> None:
    if _name(path) in APP_STATE_ALLOWED:
        # Still converting (see APP_STATE_ALLOWED): assert the exception is still needed, so
        # the allow-list can't outlive it silently.
        assert APP_STATE.search(path.read_text(encoding="utf-8"))
        return
    found = [
        f"{_name(path)}:{n} {m.group(0)}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for m in APP_STATE.finditer(line)
    ]
    assert not found, "use self.session (or app.session) instead:\n" + "\n".join(found)
