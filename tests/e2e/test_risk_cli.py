"""`kickoff risk list` run as a person (or a script) would."""

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


def test_risk_list_prints_the_register_with_flags(tmp_path: Path) -> None:
    assert kickoff("demo", "--db", "demo.db", "--no-open").returncode == 0
    table = kickoff("risk", "list", "--db", "demo.db")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "#",
        "Risk",
        "Owner",
        "Score",
        "Residual",
        "Treatment",
        "Status",
        "Due",
        "Review",
        "Attention",
    ]
    assert [line.split()[0] for line in lines[1:]] == [
        "R1",
        "R4",
        "R7",
        "R2",
        "R3",
        "R5",
        "R8",
        "R6",
    ]
    assert lines[1].split()[-8:] == [
        "20",
        "high",
        "8",
        "medium",
        "mitigate",
        "mitigating",
        "2026-12-01",
        "2026-11-30",
    ]
    assert lines[3].endswith("2026-11-16  review overdue, no owner, no mitigation")
    # --db before the subcommand works too
    assert kickoff("--db", "demo.db", "risk", "list").stdout == table.stdout


def test_risk_list_json_and_min_score(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    result = kickoff("risk", "list", "--json", "--min-score", "12", "--db", "demo.db")
    assert result.returncode == 0, result.stderr
    risks = json.loads(result.stdout)
    assert [(r["num"], r["score"], r["band"]) for r in risks] == [
        (1, 20, "high"),
        (4, 16, "high"),
        (7, 12, "high"),
        (2, 12, "high"),
    ]
    api = risks[0]
    assert api["title"] == "API can't take 3× traffic" and api["owner"] == "Ben Okafor"
    assert (api["residual_likelihood"], api["residual_impact"], api["residual_score"]) == (2, 4, 8)
    assert api["flags"] == [] and api["conflict"] is False
    sre = risks[2]
    assert sre["owner"] is None and sre["residual_likelihood"] is None
    assert sre["flags"] == ["review overdue", "no owner", "no mitigation"]
    none = kickoff("risk", "list", "--min-score", "25", "--db", "demo.db")
    assert none.returncode == 0 and none.stdout.strip() == "No risks with a score of 25 or more."


def test_risk_list_errors_are_one_sentence(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    for bad in ("30", "0", "high"):
        result = kickoff("risk", "list", "--min-score", bad, "--db", "demo.db")
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"kickoff: --min-score must be a whole number from 1 to 25 (got '{bad}')."
        )
    missing = kickoff("risk", "list", "--db", "nope.db")
    assert missing.returncode != 0 and missing.stderr.startswith("kickoff: No workspace at nope.db")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_risk_list_does_not_import_textual(tmp_path: Path) -> None:
    kickoff("demo", "--db", "demo.db", "--no-open")
    probe = subprocess.run(
        [
            *kickoff_cmd()[:1],
            "-c",
            "import sys; sys.argv=['kickoff','risk','list','--db','demo.db']\n"
            "from kickoff_tui.cli import main\n"
            "try:\n    main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW),
        timeout=60,
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]"
