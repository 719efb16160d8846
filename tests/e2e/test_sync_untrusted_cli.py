"""`kickoff sync` with a hostile line in a teammate's log, run as the installed command: the
line is reported once as `ops/<file>:LINE: why`, everything else applies, and `kickoff sync
held` lists it until it can be applied (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

from kickoff_tui import clock
from kickoff_tui.store.ids import hlc_pack
from kickoff_tui.store.ops import Op, Store
from tests.e2e.test_sync_cli import edit, kickoff, start


def _a_bad_line_in_anas_log(tmp_path: Path) -> tuple[Path, str, int, str]:
    """Ana and ben share a folder; ana's log ends with a bad line and then a good one.

    Returns ben's workspace, ana's replica, the bad line's number and the card the good
    line turns red."""
    folder = tmp_path / "drive" / "atlas"
    ana = start(tmp_path, folder)
    ben = tmp_path / "ben.db"
    assert kickoff("sync", "join", str(folder), "--db", str(ben), who="ben").returncode == 0
    card = edit(ana, "Plan", "ana")
    assert kickoff("sync", "--db", str(ana)).returncode == 0
    with Store(ana) as s:
        replica = s.replica
    log = folder / "ops" / f"{replica}.jsonl"
    bad = Op(
        f"{replica}:9000", hlc_pack(clock.now_ms(), 0), "ana", "risk", "r1", "likelihood", 10**23
    )
    later = Op(f"{replica}:9001", hlc_pack(clock.now_ms(), 1), "ana", "card", card, "rag", "red")
    with log.open("a") as f:
        f.write(json.dumps(bad.to_dict()) + "\n" + json.dumps(later.to_dict()) + "\n")
    line = len(log.read_text().splitlines()) - 1
    return ben, replica, line, card


def test_a_bad_line_is_reported_once_and_listed_until_applied(tmp_path: Path) -> None:
    ben, replica, line, card = _a_bad_line_in_anas_log(tmp_path)
    first = kickoff("sync", "--db", str(ben), who="ben")
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert (
        f"kickoff: ops/{replica}.jsonl:{line}: Operation {replica}:9000: risk.likelihood is "
        "too large a number" in first.stderr
    )
    with Store(ben) as s:
        assert s.get("card", card)["rag"] == "red"
    again = kickoff("sync", "--db", str(ben), who="ben")
    assert f"ops/{replica}.jsonl:{line}" not in again.stderr
    assert "1 more line of the sync folder is still held back" in again.stderr
    listed = kickoff("sync", "held", "--db", str(ben), who="ben")
    assert listed.returncode == 0 and f"ops/{replica}.jsonl:{line}: " in listed.stdout


def test_sync_json_gives_scripts_the_counts_and_the_held_line(tmp_path: Path) -> None:
    ben, replica, line, card = _a_bad_line_in_anas_log(tmp_path)
    out = kickoff("sync", "--json", "--db", str(ben), who="ben")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)  # nothing but JSON on stdout
    assert report["changes"] == {"ana": 2}
    assert report["conflicts"] == 0 and report["held"] == 1 and report["clashes"] == []
    [problem] = report["problems"]
    assert (problem["file"], problem["line"]) == (f"ops/{replica}.jsonl", line)
    assert problem["reason"].startswith(
        f"Operation {replica}:9000: risk.likelihood is too large a number"
    )
    with Store(ben) as s:
        assert s.get("card", card)["rag"] == "red"
