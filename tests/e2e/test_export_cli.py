"""`kickoff export` and `kickoff import` run as a person (or a cron job) would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kickoff_tui.store import schema
from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, **env),
        timeout=180,
    )


def test_export_import_export_on_the_command_line(tmp_path: Path) -> None:
    assert kickoff("demo", "--db", "demo.db", "--no-open").returncode == 0
    made = kickoff("export", "--format", "toml", "--db", "demo.db", "--out", "plan.toml")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Wrote the workspace to plan.toml"
    imported = kickoff("import", "plan.toml")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Created plan.db (Atlas launch, ")
    assert "Open it with: kickoff --db plan.db" in imported.stdout
    again = kickoff("export", "--format", "toml", "--db", "plan.db")  # to standard output
    assert again.returncode == 0
    assert again.stdout == Path("plan.toml").read_text(encoding="utf-8")
    refused = kickoff("import", "plan.toml")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "kickoff: plan.db already exists; import never overwrites "
        "a workspace. Pick a new path with --db."
    )
    other = kickoff("import", "plan.toml", "--db", "copy.db")
    assert other.returncode == 0 and Path("copy.db").exists()


def test_markdown_and_csv_exports(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    md = kickoff("export", "--format", "md", "--db", "demo.db", "--since", "2026-11-20")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Atlas launch — weekly review")
    assert "## Since Fri 20 Nov 2026: " in md.stdout
    assert "Blocked #13 Hire a second SRE" in md.stdout
    assert "Marked #9 Status page and uptime alerts done" not in md.stdout  # the 19th
    out = kickoff("export", "--format", "csv", "--db", "demo.db")
    assert out.returncode == 0, out.stderr
    tables = len(schema.TABLES)
    assert f"Wrote {tables} CSV files (one per table) into demo-csv/" in out.stdout
    assert Path("demo-csv/card.csv").read_text(encoding="utf-8").startswith("id,title,")
    bad = kickoff("export", "--format", "md", "--db", "demo.db", "--since", "last week")
    assert bad.returncode == 2 and "use YYYY-MM-DD" in bad.stderr


def test_long_exports_print_progress_on_stderr(tmp_path: Path) -> None:
    kickoff("demo", "--db", "big.db", "--no-open", "--cards", "1500")
    result = kickoff("export", "--format", "toml", "--db", "big.db", "--out", "big.toml")
    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) >= 2 and all(line.startswith("kickoff: exported rows: ") for line in lines)
    assert lines[-1].endswith("(100%)")
    imported = kickoff("import", "big.toml", "--db", "copy.db")
    assert imported.returncode == 0
    assert "kickoff: imported operations: " in imported.stderr


def test_bad_input_is_one_sentence(tmp_path: Path) -> None:
    Path("notes.toml").write_text("this is = = not toml", encoding="utf-8")
    for args, message, code in [
        (("import", "missing.toml"), "There is no file missing.toml.", 2),
        (("import", "notes.toml"), "This is not valid TOML", 8),
        (("export", "--format", "toml", "--db", "nope.db"), "No workspace at nope.db", 2),
    ]:
        result = kickoff(*args)
        assert result.returncode == code, (args, result.stderr)
        assert message in result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not Path("notes.db").exists()


def test_export_and_import_do_not_import_textual(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom kickoff_tui.cli import main\n"
            "for args in (['export', '--format', 'toml', '--db', 'demo.db', '--out', 'a.toml'],\n"
            "             ['export', '--format', 'md', '--db', 'demo.db', '--out', 'a.md'],\n"
            "             ['export', '--format', 'csv', '--db', 'demo.db'],\n"
            "             ['import', 'a.toml', '--db', 'b.db']):\n"
            "    try:\n        main(args)\n    except SystemExit as exit:\n"
            "        assert not exit.code, exit.code\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=120,
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]", probe.stderr
