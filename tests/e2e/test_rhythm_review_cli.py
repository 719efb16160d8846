"""`kickoff okr-review list`, `kickoff retro list` and their Markdown exports, as a script runs them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=180,
        check=False,
    )


def test_lists_and_markdown_of_the_reviews_and_retros(tmp_path: Path) -> None:
    assert kickoff("demo", "--db", "demo.db", "--no-open").returncode == 0
    listed = kickoff("okr-review", "list", "--db", "demo.db")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[1].startswith("2026-11-16  11        0        ended")
    retros = json.loads(kickoff("retro", "list", "--json", "--db", "demo.db").stdout)
    assert [(r["held_on"], r["items"], r["votes"], r["actions"]) for r in retros] == [
        ("2026-11-16", 4, 6, 2)
    ]
    md = kickoff("export", "--format", "md", "--okr-review", "last", "--db", "demo.db")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Monthly OKR review — Atlas launch — 2026-11-16")
    by_day = kickoff("export", "--format", "md", "--okr-review", "2026-11-16", "--db", "demo.db")
    assert by_day.stdout == md.stdout
    out = kickoff("export", "--format", "md", "--retro", "last", "--db", "demo.db", "--out", "r.md")
    assert out.stdout.strip() == "Wrote the retrospective to r.md"
    assert "→ card #9 Ben" in Path("r.md").read_text(encoding="utf-8")


def test_bad_requests_get_one_sentence(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    missing = kickoff("export", "--format", "md", "--retro", "2001-01-01", "--db", "demo.db")
    assert missing.returncode == 13
    assert missing.stderr.strip() == (
        "kickoff: No retrospective was held on 2001-01-01 (kickoff retro list)."
    )
    bad = kickoff("export", "--format", "md", "--okr-review", "soon", "--db", "demo.db")
    assert bad.returncode == 2 and "neither `last` nor a day" in bad.stderr
    assert "Traceback" not in bad.stderr + missing.stderr
    empty = kickoff("init", "new.db", "--name", "N", "--kickoff-date", "2026-11-01")
    assert empty.returncode == 0, empty.stderr
    none = kickoff("okr-review", "list", "--db", "new.db")
    assert none.stdout.startswith("No OKR reviews yet")
