"""kill -9 in the middle of `kickoff import` and `kickoff sync join` (issue 12): no half-made
workspace that `check` calls fine and a retry refuses; `check` says what to run, and running
the same command again finishes the job.

Each test kills a real `kickoff` subprocess at a point it can see: after the import printed
its first progress line (operations are being written), and once the joiner's own log has
appeared in the sync folder (the join has started reading the team's logs).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from kickoff_tui.store import export as ex
from kickoff_tui.store.ops import Store
from tests.conftest import kickoff_cmd, subprocess_env


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(**env),
        timeout=300,
    )


def big_demo(tmp_path: Path, cards: int) -> Path:
    db = tmp_path / "demo.db"
    made = run("demo", "--db", str(db), "--cards", str(cards), "--no-open")
    assert made.returncode == 0, made.stderr
    return db


def test_kill_9_during_import_leaves_nothing_that_passes_for_a_workspace(tmp_path: Path) -> None:
    source = tmp_path / "big.toml"
    assert (
        run(
            "export",
            "--format",
            "toml",
            "--db",
            str(big_demo(tmp_path, 4000)),
            "--out",
            str(source),
        ).returncode
        == 0
    )
    target = tmp_path / "copy.db"
    proc = subprocess.Popen(
        [*kickoff_cmd(), "import", str(source), "--db", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    for line in proc.stderr:  # the kill lands while operations are being written
        if "imported operations:" in line:
            break
    else:
        raise AssertionError(f"the import never reported progress: {proc.wait()}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert "100%" not in line
    check = run("check", "--db", str(target))
    assert check.returncode != 0 and "Integrity   ok" not in check.stdout
    assert "run the same command again" in check.stderr, check.stderr
    again = run("import", str(source), "--db", str(target))
    assert again.returncode == 0, again.stderr
    assert run("check", "--db", str(target)).returncode == 0
    with Store(target) as copy:
        assert ex.workspace_toml(copy) == source.read_text()
    assert not Path(f"{target}.partial").exists()


def test_kill_9_during_sync_join_lets_the_same_join_finish(tmp_path: Path) -> None:
    ana = big_demo(tmp_path, 6000)
    folder = tmp_path / "shared"
    assert run("sync", "init", str(folder), "--db", str(ana)).returncode == 0, "attach"
    logs_before = set((folder / "ops").iterdir())
    ben = tmp_path / "ben.db"
    proc = subprocess.Popen(
        [*kickoff_cmd(), "sync", "join", str(folder), "--db", str(ben)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=subprocess_env(KICKOFF_USER="ben"),
    )
    deadline = time.monotonic() + 120
    while set((folder / "ops").iterdir()) == logs_before:  # ben's own log: the join has begun
        assert proc.poll() is None, "the join ended before it could be interrupted"
        assert time.monotonic() < deadline, "the join never started"
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    check = run("check", "--db", str(ben))
    assert check.returncode != 0 and "Integrity   ok" not in check.stdout
    assert "run the same command again" in check.stderr, check.stderr
    again = run("sync", "join", str(folder), "--db", str(ben), KICKOFF_USER="ben")
    assert again.returncode == 0, again.stderr
    with Store(ana) as a, Store(ben) as b:
        for table in ("card", "objective", "risk", "decision"):
            rows = f"SELECT * FROM {table} ORDER BY id"
            assert [dict(r) for r in a.rows(rows)] == [dict(r) for r in b.rows(rows)], table
