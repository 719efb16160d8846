"""`kickoff kpi record`, `kpi list --json` and `kpi import`, run as a script or a CI job would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from kickoff_tui.exits import NOT_FOUND
from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        check=False,
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, KICKOFF_USER="ben"),
        timeout=120,
    )


def kpi_list() -> dict:
    out = kickoff("kpi", "list", "--json", "--db", "demo.db")
    assert out.returncode == 0, out.stderr
    return {k["ref"]: k for k in json.loads(out.stdout)["kpis"]}


def test_record_list_and_import_with_a_bad_row(tmp_path: Path) -> None:
    made = kickoff("demo", "--db", "demo.db", "--no-open")
    assert made.returncode == 0, made.stderr
    before = kpi_list()
    assert before["K1"]["nudged"] and before["K1"]["last_value"] == 28.0

    # A good week for support hours: by name, today; the run of under weeks is broken.
    out = kickoff("kpi", "record", "Support resolution hours", "22", "--db", "demo.db")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Recorded K1 Support resolution hours: 22 h (26 → 20 → 16 h;")
    after = kpi_list()
    assert (after["K1"]["last_value"], after["K1"]["nudged"], after["K1"]["last_day"]) == (
        22.0,
        False,
        "2026-11-23",
    )

    # By number, on a past day, with a note.
    out = kickoff(
        "kpi", "record", "K2", "61", "--at", "2026-11-22", "--note", "launch", "--db", "demo.db"
    )
    assert out.returncode == 0, out.stderr
    assert kpi_list()["K2"]["values"][-1] == 61.0

    # Refusals: one sentence each, nothing written.
    for args, code, sentence in [
        (("K9", "3"), NOT_FOUND, "There is no KPI 'K9'"),
        (("K1", "lots"), 2, "Enter a number such as 12"),
        (("K1", "3", "--at", "2026-02-30"), 8, "'2026-02-30' is not a day"),
        (("K1", "3", "--at", "2026-12-24"), 8, "can't be dated after today"),
    ]:
        out = kickoff("kpi", "record", *args, "--db", "demo.db")
        assert (out.returncode, out.stdout) == (code, ""), args
        assert sentence in out.stderr and "Traceback" not in out.stderr
    assert kpi_list()["K1"]["values"] == after["K1"]["values"]

    # An import with a bad row on line 4 imports nothing; fixed, it imports every row.
    rows = [
        "kpi,at,value,note",
        "K3,2026-11-22,9.3,",
        '"Weekly active teams",2026-11-15,57,"re-counted, by hand"',
        "K1,2026-11-31,20,",
    ]
    Path("readings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    unchanged = kpi_list()
    out = kickoff("kpi", "import", "readings.csv", "--db", "demo.db")
    assert out.returncode == 8
    assert out.stderr.strip() == (
        "kickoff: Line 4: '2026-11-31' is not a day: write it as YYYY-MM-DD, e.g. 2026-12-01."
    )
    assert kpi_list() == unchanged
    Path("readings.csv").write_text("\n".join(rows[:3]) + "\n", encoding="utf-8")
    out = kickoff("kpi", "import", "readings.csv", "--db", "demo.db")
    assert (out.returncode, out.stdout.strip()) == (0, "Imported 2 readings from readings.csv.")
    assert kpi_list()["K3"]["values"] == [8.4, 9.3]  # November's value is its last reading

    text = kickoff("kpi", "list", "--db", "demo.db")
    assert text.returncode == 0
    assert text.stdout.splitlines()[1].split()[:2] == ["K1", "Support"]
