"""`kickoff stakeholder`, `kickoff comm` and `kickoff export --charter`, run as a person (or a
script) would: in a fresh workspace and on the demo, without Textual."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, **env),
        timeout=180,
    )


def test_stakeholders_added_and_listed_in_a_fresh_workspace(tmp_path: Path) -> None:
    init = kickoff("init", "plan.db", "--name", "Atlas", "--kickoff-date", "2026-11-02")
    assert init.returncode == 0, init.stderr
    added = kickoff(
        "stakeholder",
        "add",
        "Legal team",
        "--discipline",
        "legal",
        "--influence",
        "4",
        "--interest",
        "2",
        "--db",
        "plan.db",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added S1 Legal team (keep satisfied)."
    bad = kickoff("stakeholder", "add", "X", "--influence", "9", "--db", "plan.db")
    assert bad.returncode == 2 and "9 is not in the range 1<=x<=5" in bad.stderr
    nobody = kickoff("stakeholder", "add", "X", "--owner", "zed", "--db", "plan.db")
    assert nobody.returncode == 8 and "nobody called 'zed'" in nobody.stderr
    listed = kickoff("stakeholder", "list", "--json", "--db", "plan.db")
    (item,) = json.loads(listed.stdout)
    assert (item["name"], item["engagement"], item["shortlisted"]) == (
        "Legal team",
        "keep satisfied",
        None,
    )
    assert item["verdict"] == "not decided: answer 1, 2, 3, 4, 5"
    assert kickoff("stakeholder", "list", "--shortlist", "--db", "plan.db").stdout.strip() == (
        "No shortlisted stakeholders."
    )
    assert "No communications planned yet" in kickoff("comm", "list", "--db", "plan.db").stdout


def test_demo_lists_the_shortlist_the_due_communications_and_the_report(tmp_path: Path) -> None:
    assert kickoff("demo", "--db", "demo.db", "--no-open").returncode == 0
    short = json.loads(
        kickoff("stakeholder", "list", "--shortlist", "--json", "--db", "demo.db").stdout
    )
    assert [s["name"] for s in short] == ["Maria Keller (CEO)", "Pilot customer: Nordwind"]
    table = kickoff("stakeholder", "list", "--db", "demo.db").stdout.splitlines()
    assert table[0].split()[:3] == ["#", "Stakeholder", "Discipline"]
    assert any("off: 5 covered" in line for line in table)
    due = json.loads(kickoff("comm", "list", "--due", "--json", "--db", "demo.db").stdout)
    assert [(c["num"], c["overdue"]) for c in due] == [(3, True)]
    report = kickoff(
        "export", "--format", "md", "--charter", "--out", "report.md", "--db", "demo.db"
    )
    assert report.returncode == 0, report.stderr
    text = Path("report.md").read_text()
    for heading in (
        "# Atlas launch — kickoff report",
        "### Purpose and why now",
        "### Open questions",
        "## The first 30 days",
        "## Top risks",
        "## Stakeholders",
        "## Communication plan",
    ):
        assert heading in text, heading
    assert "**Q2** Do trial accounts keep their data after 30 days? — ⚠ late" in text
    wrong = kickoff("export", "--format", "toml", "--charter", "--db", "demo.db")
    assert wrong.returncode == 2 and "use it with --format md" in wrong.stderr
