"""`kickoff okr checkin` and `kickoff okr list`, run as a script or a CI job would."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from kickoff_tui.exits import NOT_FOUND
from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, KICKOFF_USER="eunji"),
        timeout=120,
    )


def make_demo() -> None:
    made = kickoff("demo", "--db", "demo.db", "--no-open")
    assert made.returncode == 0, made.stderr


def test_list_prints_the_tree_with_progress(tmp_path: Path) -> None:
    make_demo()
    out = kickoff("okr", "list", "--db", "demo.db")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "O1 Launch self-serve onboarding (Ana Silva)  44% yellow · on track"
    assert lines[1] == (
        "  KR1 Weekly activated teams: 40 → 71 → 120 teams  39% red · behind · "
        "confidence 6/10 · last check-in 2d ago · cards 2/4"
    )
    assert "  KR6 SOC 2 Type I report issued: not yet  0% red · at risk" in out.stdout
    assert lines[-3:] == [
        "  KR5: at risk by pace: 0% on day 37 of 90",
        "  KR6: at risk by pace: 0% on day 37 of 90",
        "  KR7: at risk by pace: 24% on day 37 of 90",
    ]


def test_list_json_is_machine_readable(tmp_path: Path) -> None:
    make_demo()
    out = kickoff("okr", "list", "--json", "--db", "demo.db")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["day"] == 37
    assert [o["ref"] for o in data["objectives"]] == ["O1", "O2", "O3"]
    kr7 = data["objectives"][2]["key_results"][0]
    assert {k: kr7[k] for k in ("ref", "title", "current", "target", "progress", "pace")} == {
        "ref": "KR7",
        "title": "Paying teams",
        "current": 6.0,
        "target": 25.0,
        "progress": 0.24,
        "pace": "at risk",
    }
    assert data["needs_attention"][0] == {
        "ref": "KR5",
        "reason": "at risk by pace: 0% on day 37 of 90",
    }


def test_checkin_from_the_shell_writes_one_check_in(tmp_path: Path) -> None:
    make_demo()
    out = kickoff(
        "okr",
        "checkin",
        "KR7",
        "12,5",
        "--confidence",
        "6",
        "--note",
        "nightly [bold]job[/]",
        "--db",
        "demo.db",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Checked in KR7 Paying teams: 12.5 teams (was 6) · 50% · on track"
    db = sqlite3.connect("demo.db")
    db.row_factory = sqlite3.Row
    row = db.execute(
        "SELECT c.*, p.handle FROM check_in c JOIN key_result k ON k.id = c.key_result_id "
        "LEFT JOIN person p ON p.id = c.author_id WHERE k.title = 'Paying teams' "
        "ORDER BY c.at DESC LIMIT 1"
    ).fetchone()
    assert (row["value"], row["confidence"], row["note"], row["handle"], row["at"]) == (
        12.5,
        6,
        "nightly [bold]job[/]",
        "eunji",
        "2026-11-23T09:00:00.000Z",
    )
    assert (
        db.execute("SELECT current FROM key_result WHERE title = 'Paying teams'").fetchone()[0]
        == 12.5
    )
    by_id = db.execute("SELECT id FROM key_result WHERE title = 'API uptime'").fetchone()[0]
    pct = kickoff("okr", "checkin", by_id, "99.7%", "--db", "demo.db")
    assert pct.returncode == 0, pct.stderr
    assert pct.stdout.startswith("Checked in KR4 API uptime: 99.7 % (was 99.95) · 0% · at risk")


def test_checkin_errors_are_one_sentence_and_save_nothing(tmp_path: Path) -> None:
    make_demo()
    count = sqlite3.connect("demo.db").execute("SELECT count(*) FROM check_in").fetchone()[0]
    missing = kickoff("okr", "checkin", "KR99", "1", "--db", "demo.db")
    assert missing.returncode == NOT_FOUND  # not click's usage error 2: scripts tell them apart
    assert missing.stderr.strip() == (
        "kickoff: There is no key result 'KR99'; `kickoff okr list` shows their numbers."
    )
    cases = [
        (["KR7", "lots"], "kickoff: Enter a number such as 12, 12.5, 12,5 or 45% (got 'lots')."),
        (
            ["KR7", "1,000"],
            "kickoff: '1,000' could mean 1000 or 1.000; write 1000 or 1.000 instead.",
        ),
        (
            ["KR7", "5", "--confidence", "11"],
            "kickoff: Confidence must be a whole number from 0 to 10 (got '11').",
        ),
        (
            ["KR7", "5", "--confidence", "high"],
            "kickoff: Confidence must be a whole number from 0 to 10 (got 'high').",
        ),
    ]
    for args, sentence in cases:
        out = kickoff("okr", "checkin", *args, "--db", "demo.db")
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.strip() == sentence
        assert out.stdout == ""
    missing = kickoff("okr", "list", "--db", "nowhere.db")
    assert missing.returncode != 0 and missing.stderr.startswith("kickoff: No workspace at")
    assert (
        sqlite3.connect("demo.db").execute("SELECT count(*) FROM check_in").fetchone()[0] == count
    )


def test_the_okr_commands_do_not_import_textual(tmp_path: Path) -> None:
    make_demo()
    code = (
        "import sys\nfrom kickoff_tui.cli import main\n"
        "try:\n    main(['okr', 'list', '--db', 'demo.db'])\nexcept SystemExit:\n    pass\n"
        "print('TEXTUAL' if any(m.split('.')[0] == 'textual' for m in sys.modules) else 'CLEAN')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "CLEAN", out.stderr
