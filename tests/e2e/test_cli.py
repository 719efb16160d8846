"""The `kickoff` entry point run as a subprocess: what a person typing commands sees."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import kickoff_cmd, subprocess_env


def kickoff(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(**env),
        timeout=120,
    )


def test_help_lists_the_commands_and_the_version_is_printed() -> None:
    result = kickoff("--help")
    assert result.returncode == 0
    assert "A terminal workspace for the 90 days after a kickoff" in result.stdout
    for command in ("init", "demo", "check"):
        assert f"  {command} " in result.stdout
    version = kickoff("--version")
    assert version.returncode == 0 and version.stdout.startswith("kickoff, version ")


def test_help_does_not_import_textual_or_the_store() -> None:
    probe = subprocess.run(
        [
            *kickoff_cmd()[:1],
            "-c",
            "import sys; sys.argv=['kickoff','--help']\n"
            "from kickoff_tui.cli import main\n"
            "try:\n    main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('textual','sqlite_utils','pendulum','sqlite3')))",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]"


def test_init_demo_check(tmp_path: Path) -> None:
    made = kickoff(
        "init",
        "plan.db",
        "--name",
        "Atlas [bold]launch[/]",
        "--kickoff-date",
        "2026-12-01",
        "--timezone",
        "Europe/Paris",
    )
    assert made.returncode == 0, made.stderr
    assert "Created plan.db" in made.stdout and "Tue 01 Dec 2026" in made.stdout
    again = kickoff("init", "plan.db", "--name", "x", "--kickoff-date", "2026-12-01")
    assert again.returncode != 0 and "never overwrites" in again.stderr
    checked = kickoff("check", "--db", "plan.db")
    assert checked.returncode == 0, checked.stderr
    assert "Atlas [bold]launch[/] (kickoff 2026-12-01, Europe/Paris)" in checked.stdout
    assert "Integrity   ok" in checked.stdout

    demo = kickoff("demo", "--db", "demo.db", "--no-open")
    assert demo.returncode == 0, demo.stderr
    assert "Created the demo workspace" in demo.stdout
    counts = kickoff("check", "--db", "demo.db").stdout
    for table, n in (("person", 5), ("objective", 3), ("risk", 8), ("decision", 4), ("standup", 2)):
        assert f"  {table:<16}{n:>6}" in counts
    conn = sqlite3.connect("demo.db")
    assert 18 <= conn.execute("SELECT count(*) FROM card").fetchone()[0] <= 25
    kinds = {r[0] for r in conn.execute("SELECT kind FROM key_result")}
    assert kinds == {
        "increase_to",
        "decrease_to",
        "stay_above",
        "stay_below",
        "milestone",
        "binary",
    }
    windows = {r[0] for r in conn.execute("SELECT window FROM card")}
    assert windows == {"30", "60", "90", "later"}
    # reused, not made twice; --cards adds generated cards once
    reused = kickoff("demo", "--db", "demo.db", "--no-open", "--cards", "100")
    assert "Using the demo workspace" in reused.stdout
    kickoff("demo", "--db", "demo.db", "--no-open", "--cards", "100")
    assert (
        sqlite3.connect("demo.db")
        .execute("SELECT count(*) FROM card WHERE title LIKE '%(%)'")
        .fetchone()[0]
        >= 100
    )


def test_database_resolution_env_then_nearest_parent(tmp_path: Path) -> None:
    kickoff("init", "kickoff.db", "--name", "Parent", "--kickoff-date", "2026-12-01")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    result = subprocess.run(
        [*kickoff_cmd(), "check"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=tmp_path / "sub" / "deeper",
        timeout=60,
    )
    assert "Workspace   Parent" in result.stdout
    kickoff("init", "other.db", "--name", "FromEnv", "--kickoff-date", "2026-12-01")
    result = kickoff("check", KICKOFF_DB=str(tmp_path / "other.db"))
    assert "Workspace   FromEnv" in result.stdout


@pytest.mark.parametrize(
    ("setup", "message", "code"),
    [
        ("text", "is not a SQLite database", 3),
        ("foreign", "is a SQLite database but not a kickoff workspace", 3),
        ("newer", "was saved by a newer kickoff", 4),
        ("missing", "No workspace at", 2),
    ],
)
def test_unusable_files_get_one_sentence_and_an_exit_code(tmp_path, setup, message, code) -> None:
    path = tmp_path / "x.db"
    if setup == "text":
        path.write_text("not a database")
    elif setup == "foreign":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    elif setup == "newer":
        kickoff("init", str(path), "--name", "N", "--kickoff-date", "2026-12-01")
        sqlite3.connect(path).execute("PRAGMA user_version = 42")
    # Opening the UI headless: without a terminal it would be refused before the file is read.
    for args, env in (
        (["check", "--db", str(path)], {}),
        (["--db", str(path)], {"KICKOFF_HEADLESS": "1"}),
    ):
        result = kickoff(*args, **env)
        assert result.returncode == code
        assert message in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert len(result.stderr.strip().splitlines()) == 1


def test_check_before_the_default_workspace_exists_says_how_to_create_it() -> None:
    result = kickoff("check")
    assert result.returncode == 2
    assert "run `kickoff` to create it" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_arguments_say_what_is_expected() -> None:
    result = kickoff("init", "x.db", "--name", "X", "--kickoff-date", "31/12/2026")
    assert result.returncode == 2 and "use YYYY-MM-DD" in result.stderr
    result = kickoff("init", "x.db", "--name", "  ", "--kickoff-date", "2026-12-31")
    assert result.returncode == 2 and "can't be empty" in result.stderr
    result = kickoff(
        "init", "x.db", "--name", "X", "--kickoff-date", "2026-12-31", "--timezone", "Mars/Olympus"
    )
    assert result.returncode != 0 and "not a time zone name" in result.stderr
    assert not Path("x.db").exists()


def test_a_locked_workspace_is_one_sentence(tmp_path: Path) -> None:
    kickoff("init", "w.db", "--name", "W", "--kickoff-date", "2026-12-01")
    holder = subprocess.Popen(
        [
            *kickoff_cmd()[:1],
            "-c",
            "import sqlite3, time\nc = sqlite3.connect('w.db', isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        holder.stdout.readline()
        result = kickoff(
            "demo", "--db", "w.db", "--no-open", "--cards", "5", KICKOFF_BUSY_TIMEOUT_MS="300"
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 6
    assert "is locked by another program" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, False)),
        (["--db", "x.db"], ("x.db", False)),
        (["--read-only", "--db=x.db"], ("x.db", True)),
        (["demo"], None),
        (["--help"], None),
        (["--db"], None),  # click explains the missing value
        (["--db", "a.db", "--db", "b.db"], None),
        (["--db", "--read-only"], None),
    ],
)
def test_only_a_plain_open_skips_the_command_line_parser(args, expected) -> None:
    from kickoff_tui.launch import _plain_open

    assert _plain_open(args) == expected


def test_opening_a_workspace_does_not_import_click(tmp_path: Path) -> None:
    kickoff("demo", "--db", "d.db", "--no-open")
    probe = subprocess.run(
        [
            *kickoff_cmd()[:1],
            "-c",
            "import sys\nfrom kickoff_tui import launch\n"
            "launch.main(['--db', 'd.db'])\nprint('click loaded:', 'click' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(KICKOFF_HEADLESS="1", KICKOFF_EXIT_AFTER_FIRST_FRAME="1"),
    )
    assert "click loaded: False" in probe.stdout, probe.stderr
