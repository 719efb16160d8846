"""Several programs on one file, and a program killed in the middle of a write."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from kickoff_tui.store.db import integrity
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace
from tests.conftest import subprocess_env

WRITER = """
import sys
from kickoff_tui.store.ops import Store
store = Store(sys.argv[1], actor=sys.argv[2])
card = store.create("card", {"title": sys.argv[2]})
for n in range(int(sys.argv[3])):
    store.update("card", card, {"description": f"{sys.argv[2]} {n}"}, summary=f"edit {n}")
    store.create("check_in", {"note": f"{sys.argv[2]} {n}"})
print("done", flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    init_workspace(path, name="T", kickoff_date=date(2026, 10, 17)).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, "150"],
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("ana", "ben")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert out.strip() == "done", err
    store = Store(path)
    for who in ("ana", "ben"):
        card = store.row("SELECT * FROM card WHERE title = ?", (who,))
        assert card["description"] == f"{who} 149"
        assert store.row("SELECT count(*) FROM check_in WHERE note LIKE ?", (f"{who} %",))[0] == 150
        assert store.row("SELECT count(*) FROM activity WHERE actor = ?", (who,))[0] == 150
    ops = store.operations()
    assert len({o.id for o in ops}) == len(ops)  # one replica, every sequence number once
    assert sorted(o.seq for o in ops) == list(range(1, len(ops) + 1))
    assert integrity(store.conn) == ["ok"]


BIG_WRITE = """
import sys
from kickoff_tui.store.ops import Store
store = Store(sys.argv[1])
with store.transaction("big import") as tx:
    for n in range(1, 200_001):
        tx.create("card", {"title": f"bulk {n}"})
        if n % 1000 == 0:
            print(f"wrote {n}", flush=True)  # inside the transaction, not committed yet
print("finished", flush=True)
"""


def test_kill_9_in_the_middle_of_a_write_leaves_nothing_half_applied(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    store = init_workspace(path, name="T", kickoff_date=date(2026, 10, 17))
    store.create("card", {"title": "before"}, summary="before")
    ops_before = len(store.operations())
    store.close()
    for written in (1000, 5000, 20000):
        proc = subprocess.Popen(
            [sys.executable, "-c", BIG_WRITE, str(path)],
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        # Kill it once it says it has written this many cards inside its open transaction
        # (the event itself, not a guess at how long that takes on a busy machine).
        for line in proc.stdout:
            if line.strip() == f"wrote {written}":
                break
        else:
            raise AssertionError(f"the writer ended before writing {written} cards")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL  # killed, not finished: mid-transaction
        assert "finished" not in proc.stdout.read()
        store = Store(path)
        assert integrity(store.conn) == ["ok"]
        assert store.row("SELECT count(*) FROM card WHERE title LIKE 'bulk %'")[0] == 0
        assert len(store.operations()) == ops_before
        assert store.row("SELECT title FROM card")["title"] == "before"
        store.create("card", {"title": "after"})  # the file still takes writes
        ops_before += 1
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM card").fetchone()[0] == 4
