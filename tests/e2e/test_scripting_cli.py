"""`kickoff` as shells, scripts and cron jobs use it, run as the real entry point: completion,
no terminal, the object commands with --json, `-` for import and export, exit codes, config.toml
and the package metadata."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kickoff_tui.exits import EXIT_CODES, NOT_FOUND
from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env

ROOT = Path(__file__).resolve().parents[2]


def kickoff(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run `kickoff` without a terminal (pipes for all three streams), as a script does."""
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        env=subprocess_env(**{"KICKOFF_NOW": FROZEN_NOW, "KICKOFF_USER": "ana", **env}),
        timeout=120,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    made = kickoff("demo", "--db", "demo.db", "--no-open")
    assert made.returncode == 0, made.stderr
    return tmp_path / "demo.db"


def rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


# ---------------------------------------------------------------------- 1. shell completion


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "_kickoff_completion()"),
        ("zsh", "#compdef kickoff"),
        ("fish", "complete --no-files --command kickoff"),
    ],
)
def test_completion_prints_the_script_instead_of_opening_the_ui(tmp_path, shell, marker) -> None:
    # Headless, so that opening the UI (the bug) ends by itself instead of waiting for keys.
    result = kickoff(
        _KICKOFF_COMPLETE=f"{shell}_source",
        KICKOFF_HEADLESS="1",
        KICKOFF_EXIT_AFTER_FIRST_FRAME="1",
    )
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "kickoff:first-frame" not in result.stderr
    assert not (tmp_path / "data" / "kickoff.db").exists()  # no workspace made on the way


def complete(words: str, shell: str = "bash", **env: str) -> list[str]:
    """What the shell would offer after `words` (the last word is the one being completed)."""
    parts = words.split(" ")
    result = kickoff(
        _KICKOFF_COMPLETE=f"{shell}_complete",
        COMP_WORDS=words,
        COMP_CWORD=str(len(parts) - 1),
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stdout.splitlines() if line]


def test_completion_offers_card_kr_standup_numbers_and_handles(demo_db: Path) -> None:
    cards = complete("kickoff card move ", KICKOFF_DB=str(demo_db))
    assert "plain,12" in cards and "plain,21" in cards
    assert complete("kickoff okr checkin --db demo.db KR") == [f"plain,KR{n}" for n in range(1, 9)]
    described = complete("kickoff okr checkin --db demo.db KR7", shell="zsh")
    assert described == ["plain", "KR7", "Paying teams"]
    assert complete("kickoff minutes --db demo.db --standup S") == ["plain,S1", "plain,S2"]
    assert complete("kickoff card list --db demo.db --owner b") == ["plain,ben"]
    assert complete("kickoff card add x --db demo.db --kr KR") == [
        f"plain,KR{n}" for n in range(1, 9)
    ]
    # No workspace to read: nothing offered, nothing said.
    assert complete("kickoff card move ", KICKOFF_DB="missing.db") == []


def test_completing_numbers_does_not_import_textual(demo_db: Path) -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom kickoff_tui.launch import main\n"
            "try:\n    main([])\nexcept SystemExit:\n    pass\n"
            "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=subprocess_env(
            _KICKOFF_COMPLETE="bash_complete",
            COMP_WORDS="kickoff card done ",
            COMP_CWORD="3",
            KICKOFF_DB=str(demo_db),
        ),
    )
    assert "plain,12" in probe.stdout.splitlines()
    assert probe.stdout.splitlines()[-1] == "CLEAN", probe.stderr


# ---------------------------------------------------------------------- 2. no terminal


NO_TERMINAL = "kickoff: The kickoff UI needs a terminal, but standard input and output are not one"


def test_without_a_terminal_the_ui_is_refused_in_one_sentence(tmp_path: Path, demo_db) -> None:
    for args in (["--db", "demo.db"], ["--read-only", "--db", "demo.db"], [], ["demo"]):
        result = kickoff(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith(NO_TERMINAL), args
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""  # no escape codes drawn into a file
    # Refused before anything was made: no default workspace, no demo in the data folder.
    assert not (tmp_path / "data").exists()
    # Only standard output redirected (`kickoff > file` typed in a terminal) is refused too.
    out = tmp_path / "out.txt"
    with out.open("w") as f:
        redirected = subprocess.run(
            [*kickoff_cmd(), "--db", "demo.db"],
            stdout=f,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env=subprocess_env(),
        )
    assert redirected.returncode == 2 and "needs a terminal" in redirected.stderr
    assert out.read_text() == ""
    # Scripted commands are unaffected.
    assert kickoff("demo", "--db", "other.db", "--no-open").returncode == 0
    assert kickoff("check", "--db", "demo.db").returncode == 0


# ---------------------------------------------------------------------- 3. metadata


def test_license_and_metadata() -> None:
    license_text = (ROOT / "LICENSE").read_text()
    assert license_text.startswith("MIT License")
    assert "Copyright (c) 2026 kickoff-tui developers" in license_text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert project["authors"] == [{"name": "kickoff-tui developers"}]
    assert "Environment :: Console" in project["classifiers"]
    assert (
        f"Programming Language :: Python :: {sys.version_info[0]}.{sys.version_info[1]}"
        in project["classifiers"]
    )
    # Project URLs must be web addresses an index can open (a relative file name is refused by
    # PyPI); kickoff has none public yet, so none is made up.
    assert all(url.startswith("https://") for url in project.get("urls", {}).values())


# ---------------------------------------------------------------------- 4. config.toml


def test_config_path_and_a_malformed_config(tmp_path: Path, demo_db: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    shown = kickoff("config", "path")
    assert shown.returncode == 0 and shown.stdout == f"{config}\n" and shown.stderr == ""
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord\n')  # unterminated string
    said = kickoff("config", "path")
    assert said.returncode == 0 and said.stdout == f"{config}\n"
    assert said.stderr.startswith(f"kickoff: {config} is not valid TOML (")
    assert said.stderr.strip().endswith("so the default settings are used; fix or delete it.")
    assert len(said.stderr.splitlines()) == 1
    # The app reads it too: one sentence on stderr, the defaults used, the file left alone.
    app = kickoff("--db", "demo.db", KICKOFF_HEADLESS="1", KICKOFF_EXIT_AFTER_FIRST_FRAME="1")
    assert app.returncode == 0, app.stderr
    assert app.stderr.count("is not valid TOML") == 1
    assert config.read_text() == 'theme = "nord\n'
    config.write_bytes(b'theme = "\xff"\n')
    assert "is not UTF-8 text" in kickoff("config", "path").stderr


# ---------------------------------------------------------------------- 5. a CLI for every object


def test_card_list_filters_and_json(demo_db: Path) -> None:
    text = kickoff("card", "list", "--db", "demo.db")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["#", "Card", "Window", "State", "RAG", "Owner", "Due", "KR"]
    assert len(lines) == 1 + 21
    doing = json.loads(
        kickoff(
            "card",
            "list",
            "--state",
            "doing",
            "--state",
            "blocked",
            "--window",
            "60",
            "--json",
            "--db",
            "demo.db",
        ).stdout
    )
    assert {c["state"] for c in doing} == {"doing", "blocked"}
    assert {c["window"] for c in doing} == {"60"}
    from kickoff_tui.commands import card

    assert all(tuple(c) == card.JSON_FIELDS for c in doing)  # the documented, stable order
    card12 = next(c for c in doing if c["num"] == 12)
    assert {k: card12[k] for k in ("title", "owner", "owner_name", "kr", "rag")} == {
        "title": "Trial email sequence",
        "owner": "eunji",
        "owner_name": "Eun-ji Kim",
        "kr": "KR1",
        "rag": "green",
    }
    mine = json.loads(kickoff("card", "list", "--owner", "ana", "--json", "--db", "demo.db").stdout)
    assert [c["num"] for c in mine] == [1, 13, 19, 21]
    none = kickoff("card", "list", "--owner", "nobody", "--db", "demo.db")
    assert none.returncode == 0 and none.stdout == "No cards match.\n"
    bad = kickoff("card", "list", "--window", "45", "--db", "demo.db")
    assert bad.returncode == 2 and "'45' is not one of '30', '60', '90', 'later'" in bad.stderr


def test_lists_fit_an_80_column_terminal_and_are_never_cut_into_a_pipe(demo_db: Path) -> None:
    import os

    parent, child = os.openpty()
    try:
        run = subprocess.run(
            [*kickoff_cmd(), "card", "list", "--db", "demo.db"],
            stdout=child,
            stderr=subprocess.PIPE,
            timeout=120,
            env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, COLUMNS="80"),
        )
        assert run.returncode == 0, run.stderr
        shown = b""
        while not shown.endswith(b"\n") or b"#21" not in shown:
            shown += os.read(parent, 65536)
    finally:
        os.close(child)
        os.close(parent)
    lines = shown.decode().replace("\r\n", "\n").splitlines()
    assert len(lines) == 22 and max(len(line) for line in lines) <= 80
    assert any("Instrument the activation…" in line for line in lines)
    piped = kickoff("card", "list", "--db", "demo.db", COLUMNS="80").stdout
    assert "Instrument the activation funnel" in piped


def test_card_add_move_done_write_operations_that_sync(tmp_path: Path, demo_db: Path) -> None:
    assert kickoff("sync", "init", str(tmp_path / "shared"), "--db", "demo.db").returncode == 0
    # Each write a minute later than the last (a card's number is its rank by creation time).
    minutes = iter(range(1, 60))

    def later(*args: str, **env: str) -> subprocess.CompletedProcess:
        return kickoff(*args, KICKOFF_NOW=f"2026-11-23T10:{next(minutes):02d}:00Z", **env)

    added = later(
        "card",
        "add",
        "Write the launch FAQ",
        "--window",
        "60",
        "--owner",
        "ben",
        "--due",
        "+3d",
        "--kr",
        "KR2",
        "--db",
        "demo.db",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added #22 Write the launch FAQ to 31–60\n"
    [(card_id, window, due, handle, kr)] = rows(
        demo_db,
        "SELECT c.id, c.window, c.due, p.handle, k.title FROM card c "
        "JOIN person p ON p.id = c.owner_id JOIN key_result k ON k.id = c.key_result_id "
        "WHERE c.title = 'Write the launch FAQ'",
    )
    assert (window, due, handle, kr) == ("60", "2026-11-26", "ben", "Median days to first value")
    # Defaults: the window today falls in (day 37: 31–60) and you as the owner, as the form does.
    plain = later("card", "add", "Tidy the backlog", "--db", "demo.db")
    assert plain.stdout == "Added #23 Tidy the backlog to 31–60\n"
    assert rows(
        demo_db,
        "SELECT p.handle FROM card c JOIN person p ON p.id = c.owner_id "
        "WHERE c.title = 'Tidy the backlog'",
    ) == [("ana",)]

    moved = later("card", "move", "22", "--window", "90", "--db", "demo.db")
    assert moved.returncode == 0 and moved.stdout == "Moved #22 Write the launch FAQ to 61–90\n"
    again = later("card", "move", "#22", "--window", "90", "--db", "demo.db")
    assert again.returncode == 0 and again.stdout == "#22 is already in 61–90.\n"
    done = later("card", "done", "22", "--db", "demo.db")
    assert done.returncode == 0 and done.stdout == "Marked #22 Write the launch FAQ done\n"
    assert later("card", "done", "22", "--db", "demo.db").stdout == "#22 is already done.\n"
    assert rows(demo_db, "SELECT window, state FROM card WHERE id = ?", (card_id,)) == [
        ("90", "done")
    ]
    # The activity feed says it, in the user's name, as an edit in the app would.
    assert [
        r[0]
        for r in rows(
            demo_db,
            "SELECT summary FROM activity WHERE entity_id = ? ORDER BY at, rowid",
            (card_id,),
        )
    ] == [
        "Added #22 Write the launch FAQ to 31–60",
        "Moved #22 Write the launch FAQ to 61–90",
        "Marked #22 Write the launch FAQ done",
    ]
    # A moved card whose due date is past its new window is moved, with the board's warning.
    warned = later("card", "move", "8", "--window", "30", "--db", "demo.db")
    assert warned.returncode == 0
    assert warned.stderr == (
        "kickoff: warning: It is due Dec 1, after the 0–30 window ends (Nov 16).\n"
    )
    # Operations, so sync carries them: a teammate joining the folder gets the card as it is.
    assert later("sync", "--db", "demo.db").returncode == 0
    joined = later("sync", "join", str(tmp_path / "shared"), "--db", "ben.db", KICKOFF_USER="ben")
    assert joined.returncode == 0, joined.stderr
    assert rows(
        tmp_path / "ben.db", "SELECT window, state, due FROM card WHERE id = ?", (card_id,)
    ) == [("90", "done", "2026-11-26")]


def test_card_errors_are_one_sentence_and_save_nothing(demo_db: Path) -> None:
    count = rows(demo_db, "SELECT count(*) FROM operation")[0][0]
    cases = [
        (
            ["card", "move", "99", "--window", "90"],
            NOT_FOUND,
            "kickoff: There is no card '99'; `kickoff card list` shows their numbers.",
        ),
        (
            ["card", "done", "nope"],
            NOT_FOUND,
            "kickoff: There is no card 'nope'; `kickoff card list` shows their numbers.",
        ),
        (
            ["card", "add", "X", "--kr", "KR99"],
            NOT_FOUND,
            "kickoff: There is no key result 'KR99'; `kickoff okr list` shows their numbers.",
        ),
        (
            ["card", "add", "X", "--owner", "zed"],
            NOT_FOUND,
            "kickoff: There is no one called 'zed' in this workspace; give a handle such as ana.",
        ),
        (
            ["card", "add", "X", "--due", "someday"],
            2,
            "kickoff: --due: Can't read 'someday' as a date: use 2026-12-24, +3d, +2w, tomorrow "
            "or next friday.",
        ),
        (["card", "add", " \t "], 2, "kickoff: The card's title can't be empty."),
    ]
    for args, code, sentence in cases:
        result = kickoff(*args, "--db", "demo.db")
        assert (result.returncode, result.stderr.strip()) == (code, sentence), args
        assert result.stdout == ""
    usage = kickoff("card", "move", "12", "--db", "demo.db")  # --window missing: click's usage
    assert usage.returncode == 2 and "Missing option '--window'" in usage.stderr
    assert rows(demo_db, "SELECT count(*) FROM operation")[0][0] == count


def test_decision_blocker_and_standup_lists(demo_db: Path) -> None:
    from kickoff_tui.commands import blocker, decision, standup

    decisions = json.loads(kickoff("decision", "list", "--json", "--db", "demo.db").stdout)
    assert all(tuple(d) == decision.JSON_FIELDS for d in decisions)
    assert [d["num"] for d in decisions] == [4, 3, 2, 1]
    unpublished = json.loads(
        kickoff("decision", "list", "--unpublished", "--json", "--db", "demo.db").stdout
    )
    assert [(d["num"], d["status"], d["published_at"], d["late"]) for d in unpublished] == [
        (3, "accepted", None, True)
    ]
    text = kickoff("decision", "list", "--db", "demo.db").stdout.splitlines()
    assert text[0].split() == ["#", "Decision", "Status", "Owner", "Decided", "Published"]
    assert text[2].split("  ")[:2] == ["D3", "Delay annual plans to the 61–90 window"]
    assert text[2].endswith("accepted  ana    2026-11-16  late")

    blockers = json.loads(kickoff("blocker", "list", "--json", "--db", "demo.db").stdout)
    assert len(blockers) == 4 and sum(1 for b in blockers if b["resolved_at"]) == 1
    assert all(tuple(b) == blocker.JSON_FIELDS for b in blockers)
    still = json.loads(kickoff("blocker", "list", "--open", "--json", "--db", "demo.db").stdout)
    assert [b["num"] for b in still] == [2, 3, 4]
    assert [b["needs_owner"] for b in still] == [False, False, True]
    assert (still[0]["card"], still[0]["owner"], still[0]["owner_name"]) == (
        "#10",
        "dev",
        "Dev Patel",
    )

    standups = json.loads(kickoff("standup", "list", "--json", "--db", "demo.db").stdout)
    assert all(tuple(s) == standup.JSON_FIELDS for s in standups)
    assert [(s["num"], s["held_on"], s["attendees"]) for s in standups] == [
        (2, "2026-11-16", 4),
        (1, "2026-11-09", 5),
    ]
    listed = kickoff("standup", "list", "--db", "demo.db").stdout.splitlines()
    assert listed[1].startswith("S2  2026-11-16  14 min")


def test_check_json(demo_db: Path) -> None:
    result = kickoff("check", "--json", "--db", "demo.db")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["workspace"]["name"] == "Atlas launch" and data["integrity"] == "ok"
    assert data["rows"]["card"] == {"live": 21, "deleted": 0}
    assert data["operations"] > 0 and data["conflicts"] == 0
    assert data["warnings"] == []


def test_check_names_a_stored_timezone_it_cannot_use_in_text_and_json(demo_db: Path) -> None:
    """A teammate's hand edit left a time zone kickoff doesn't know: check says so, and what it
    uses instead, in both forms (the JSON had no word of it)."""
    with sqlite3.connect(demo_db) as conn:
        conn.execute("UPDATE workspace SET timezone = 'Mars/Olympus'")
    text = kickoff("check", "--db", "demo.db")
    assert text.returncode == 0, text.stderr
    assert "  ⚠ timezone ? (stored 'Mars/Olympus'; UTC is used)" in text.stdout
    data = json.loads(kickoff("check", "--json", "--db", "demo.db").stdout)
    assert data["warnings"] == ["timezone ? (stored 'Mars/Olympus'; UTC is used)"]


@pytest.mark.parametrize("command", ["card", "decision", "blocker", "standup"])
def test_every_list_has_json_and_help_examples(command: str) -> None:
    shown = kickoff(command, "list", "--help")
    assert shown.returncode == 0
    assert "--json" in shown.stdout and "Examples:" in shown.stdout


def test_object_commands_do_not_import_textual(demo_db: Path) -> None:
    code = (
        "import sys\nfrom kickoff_tui.cli import main\n"
        "for args in (['card', 'list'], ['card', 'done', '3'], ['decision', 'list'],\n"
        "             ['blocker', 'list'], ['standup', 'list'], ['config', 'path']):\n"
        "    try:\n        main([*args, '--db', 'demo.db'] if args[0] != 'config' else args)\n"
        "    except SystemExit:\n        pass\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "CLEAN", out.stderr


# ---------------------------------------------------------------------- 6. `-`


def test_export_to_stdout_and_import_from_stdin(tmp_path: Path, demo_db: Path) -> None:
    exported = kickoff("export", "--format", "toml", "--out", "-", "--db", "demo.db")
    assert exported.returncode == 0 and not (tmp_path / "-").exists()
    assert exported.stdout.startswith("# kickoff workspace export") or "[[card]]" in exported.stdout
    imported = kickoff("import", "-", "--db", "copy.db", stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    assert (
        "Created copy.db (Atlas launch," in imported.stdout
        and "from standard input" in imported.stdout
    )
    again = kickoff("export", "--format", "toml", "--out", "-", "--db", "copy.db")
    assert again.stdout == exported.stdout
    md = kickoff("export", "--format", "md", "--out", "-", "--db", "demo.db")
    assert md.stdout.startswith("# Atlas launch — weekly review")
    no_db = kickoff("import", "-", stdin=exported.stdout)
    assert no_db.returncode == 2 and "needs --db for the new workspace" in no_db.stderr
    csv = kickoff("export", "--format", "csv", "--out", "-", "--db", "demo.db")
    assert csv.returncode == 2 and "needs a folder, not `-`" in csv.stderr
    binary = subprocess.run(
        [*kickoff_cmd(), "import", "-", "--db", "b.db"],
        input=b"\xff\xfe",
        capture_output=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert binary.returncode == 2 and b"not a UTF-8 text file" in binary.stderr
    assert not (tmp_path / "b.db").exists()


# ---------------------------------------------------------------------- 7. exit codes, variables


def test_exit_codes_are_in_the_help_and_the_readme() -> None:
    from kickoff_tui.store import errors, sync

    helped = kickoff("--help").stdout
    readme = (ROOT / "README.md").read_text()
    table = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", readme, re.M))
    for code, meaning in EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", helped, re.M), code
        assert str(code) in table, code
    assert set(map(int, table)) == {code for code, _ in EXIT_CODES}
    assert NOT_FOUND != 2  # click's usage error

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    used = {errors.StoreError.exit_code, *(c.exit_code for c in subclasses(errors.StoreError))}
    assert sync.SyncError in set(subclasses(errors.StoreError))
    assert used <= {code for code, _ in EXIT_CODES}


def test_every_kickoff_variable_the_code_reads_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    read = set()
    for path in (ROOT / "kickoff_tui").rglob("*.py"):
        read |= set(re.findall(r"\bKICKOFF_[A-Z_]+[A-Z]\b", path.read_text()))
    assert {"KICKOFF_DB", "KICKOFF_NOW", "KICKOFF_USER"} <= read
    missing = sorted(v for v in read if f"`{v}`" not in readme)
    assert missing == []
