"""Opening files that are not usable workspaces: one clear sentence, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from kickoff_tui.store import db as dbmod
from kickoff_tui.store.errors import (
    CorruptWorkspace,
    NewerSchema,
    NotAWorkspace,
    NotSQLite,
    ReadOnlyWorkspace,
    WorkspaceLocked,
    WorkspaceNotFound,
)
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace


def make(path: Path) -> Path:
    init_workspace(path, name="T", kickoff_date=date(2026, 10, 17)).close()
    return path


def test_a_new_file_gets_the_schema_version_and_our_application_id(tmp_path: Path) -> None:
    path = make(tmp_path / "w.db")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x4B49434B
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"workspace", "card", "key_result", "risk", "standup", "activity", "operation"} <= tables


def test_every_synced_table_has_the_common_columns(tmp_path: Path) -> None:
    from kickoff_tui.store import schema

    conn = sqlite3.connect(make(tmp_path / "w.db"))
    for table in schema.TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        assert cols[0] == "id"
        assert {"created_at", "updated_at", "updated_by", "deleted"} <= set(cols), table


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound, match="kickoff init"):
        Store(tmp_path / "nope.db")


def test_a_text_file_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello, these are my notes\n")
    with pytest.raises(NotSQLite, match="not a SQLite database"):
        Store(path)


def test_someone_elses_sqlite_file_is_not_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAWorkspace, match="its tables are invoices"):
        Store(path)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM invoices").fetchone()[0] == 0


def test_a_workspace_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = make(tmp_path / "w.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchema, match="newer kickoff .schema 99"):
        Store(path)
    assert path.read_bytes() == before


def test_an_older_workspace_is_upgraded_by_the_numbered_migrations(tmp_path, monkeypatch) -> None:
    path = make(tmp_path / "w.db")

    def m2(db):
        db["card"].add_column("estimate", int)

    version = len(dbmod.MIGRATIONS) + 1
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, m2])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", version)
    store = Store(path)
    assert store.row("PRAGMA user_version")[0] == version
    assert "estimate" in [r[1] for r in store.rows("PRAGMA table_info(card)")]
    assert store.workspace()["name"] == "T"


def test_a_version_1_file_gets_the_standup_turn_columns_and_card_index(tmp_path: Path) -> None:
    path = make(tmp_path / "w.db")
    conn = sqlite3.connect(path)
    for name in ("current_speaker_id", "turn_started_at", "paused_at", "paused_seconds"):
        conn.execute(f"ALTER TABLE standup DROP COLUMN {name}")
    conn.execute("DROP INDEX idx_card_created_at_id")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(path)
    cols = [r[1] for r in store.rows("PRAGMA table_info(standup)")]
    assert {"current_speaker_id", "turn_started_at", "paused_at", "paused_seconds"} <= set(cols)
    assert store.row("SELECT 1 FROM sqlite_master WHERE name = 'idx_card_created_at_id'")
    assert store.row("PRAGMA user_version")[0] == dbmod.SCHEMA_VERSION
    store.close()


def test_a_corrupt_file_says_so(tmp_path: Path) -> None:
    path = make(tmp_path / "w.db")
    store = Store(path)
    with store.transaction() as tx:
        for n in range(300):
            tx.create("card", {"title": f"card {n} " + "x" * 200})
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):  # scribble over every page but the first
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptWorkspace, match="damaged"):
        s = Store(path)
        s.rows("SELECT * FROM card")


def test_asking_for_read_only_refuses_writes_and_keeps_the_file(tmp_path: Path) -> None:
    path = make(tmp_path / "w.db")
    before = path.read_bytes()
    store = Store(path, readonly=True)
    assert store.readonly
    assert store.workspace()["name"] == "T"
    with pytest.raises(ReadOnlyWorkspace, match="read-only"):
        store.create("card", {"title": "x"})
    store.close()
    assert path.read_bytes() == before


@contextmanager
def unwritable(*paths: Path):
    """Make `paths` unwritable even for root (chattr +i), or by mode bits for other users."""
    as_root = os.geteuid() == 0
    for p in paths:
        if as_root:
            subprocess.run(["chattr", "+i", str(p)], check=True)
        else:
            os.chmod(p, 0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p in paths:
            if as_root:
                subprocess.run(["chattr", "-i", str(p)], check=True)
            else:
                os.chmod(p, 0o755 if p.is_dir() else 0o644)


def test_a_file_this_user_cannot_write_opens_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = make(folder / "w.db")
    before = path.read_bytes()
    with unwritable(path, folder):
        store = Store(path)
        assert store.readonly
        assert store.workspace()["name"] == "T"
        with pytest.raises(
            ReadOnlyWorkspace, match=r"read-only for you \(the file's permissions\), so changes"
        ):
            store.create("card", {"title": "x"})
        store.close()
    assert path.read_bytes() == before


def test_a_lock_held_longer_than_the_timeout_is_one_sentence(tmp_path, monkeypatch) -> None:
    path = make(tmp_path / "w.db")
    monkeypatch.setenv("KICKOFF_BUSY_TIMEOUT_MS", "300")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = Store(path)  # reading still works while another program writes
        assert store.workspace()["name"] == "T"
        # It waits as long as asked for the lock (the setting itself, not a stopwatch: a
        # loaded machine stretches any timing), then says so in one sentence.
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 300
        with pytest.raises(WorkspaceLocked, match="locked by another program"):
            store.create("card", {"title": "x"})
        assert store.rows("SELECT count(*) FROM card")[0][0] == 0
    finally:
        holder.kill()
        holder.wait()
    store.create("card", {"title": "x"})  # and once the lock is gone, writing works again
