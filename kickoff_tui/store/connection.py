"""Two things every writer does with a connection: one atomic block, and per-machine settings.

:func:`atomic` is the only ``BEGIN IMMEDIATE`` / ``COMMIT`` / ``ROLLBACK`` in the store
(:meth:`Store.atomic <kickoff_tui.store.ops.Store.atomic>` wraps it with the store's lock).
:func:`get_meta` and :func:`put_meta` are the only reads and writes of ``local_meta`` by key
(replica id, clock, sequence, sync offsets, drafts): settings of this machine, never synced.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

__all__ = ["atomic", "get_meta", "put_meta"]


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: ``BEGIN IMMEDIATE`` (the write lock at once, so two writers queue
    instead of failing on upgrade), ``COMMIT`` at the end of the block, ``ROLLBACK`` on any
    exception (KeyboardInterrupt included), which is raised again."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A per-machine setting, or None when unset."""
    row = conn.execute("SELECT value FROM local_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0]) if row[0] is not None else None


def put_meta(conn: sqlite3.Connection, values: Mapping[str, str | None]) -> None:
    """Set per-machine settings (inside the caller's transaction, if any)."""
    conn.executemany(
        "INSERT INTO local_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )
