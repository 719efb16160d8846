"""The Store and its transactions: the one way to read a workspace file and to change it.

Every change is an operation, recorded before it is applied (:mod:`.opformat` says what an
operation is, :mod:`.merge` how operations become tables, heads and conflicts). Each edit is one
:meth:`Store.transaction`: a ``BEGIN IMMEDIATE`` block (:meth:`Store.atomic`) that inserts its
operations, updates the rows and writes an ``activity`` line, so an edit is either all there or
not there at all. The tables are a materialized view of the operations (:meth:`Store.rebuild`
makes them again from the log alone).

The names other modules have always imported from here (``Op``, ``CREATE``, ``coerce``,
``read_op``, ``validate``, ``Conflict``, ``MOVE_FIELDS``, ...) stay importable from here.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Self

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.text import strip_controls
from kickoff_tui.store import merge, schema
from kickoff_tui.store.connection import atomic, get_meta, put_meta
from kickoff_tui.store.db import open_db
from kickoff_tui.store.errors import (
    InvalidEdit,
    ReadOnlyWorkspace,
    ReplicaClash,
    StoreError,
    translate,
)
from kickoff_tui.store.ids import hlc_next, new_id, new_replica_id
from kickoff_tui.store.merge import (
    BULK_CACHE_KIB,
    MAX_AHEAD_MS,
    MOVE_FIELDS,
    Conflict,
    DeleteConflict,
)
from kickoff_tui.store.opformat import (
    _KINDS,
    _SPECS,
    CREATE,
    Op,
    _dumps,
    coerce,
    read_op,
    validate,
)

#: Parameters of a query: positional (a tuple or list) or named (a dict).
Params = Sequence[Any] | Mapping[str, Any]

__all__ = [
    "BULK_CACHE_KIB",
    "CREATE",
    "MAX_AHEAD_MS",
    "MOVE_FIELDS",
    "_KINDS",
    "_SPECS",
    "Change",
    "Conflict",
    "DeleteConflict",
    "FieldChange",
    "Op",
    "Store",
    "Transaction",
    "_dumps",
    "coerce",
    "read_op",
    "validate",
]


@dataclass(frozen=True)
class FieldChange:
    """A field's value before and after an edit (what undo puts back)."""

    table: str
    row_id: str
    field: str
    old: Any
    new: Any


@dataclass
class Change:
    """What one transaction did: its operations, field changes and created rows."""

    tx: str | None = None
    ops: list[Op] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""

    def __bool__(self) -> bool:
        return bool(self.ops)


def _default_actor() -> str:
    env = os.environ.get("KICKOFF_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


class Store:
    """A workspace file: read models run through :meth:`rows`, every write through :meth:`transaction`.

    One connection, shared by the UI thread and workers under a lock (sqlite3 connections
    are safe across threads when serialized). Each process is a replica with its own
    operation sequence; several processes on one file share it, serialized by the write lock.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = False,
        actor: str | None = None,
        readonly: bool = False,
    ):
        self.path = Path(path)
        self._lock = threading.RLock()
        self.conn, self.readonly = open_db(self.path, create=create, readonly=readonly)
        #: Read-only because it was asked for (--read-only), not because of the file.
        self.readonly_asked = self.readonly and readonly
        self.conn.row_factory = sqlite3.Row
        self.replica = self.meta("replica_id") or ""
        if not self.replica and not self.readonly:
            self.replica = new_replica_id()
            self.set_meta("replica_id", self.replica)
        who = actor or os.environ.get("KICKOFF_USER") or self.meta("actor") or _default_actor()
        self.actor = strip_controls(who) or "me"  # it goes into every operation's `by`
        #: The last edit committed through this store (the app keeps these for undo).
        self.last_change: Change | None = None

    # ------------------------------------------------------------------ housekeeping

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Hold the connection lock and turn sqlite3 errors into sentences."""
        with self._lock:
            try:
                yield self.conn
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the connection, under the lock: committed at the end of
        the block, rolled back on any exception (SQLite's errors become sentences)."""
        self._check_writable()
        with self._guard() as conn, atomic(conn):
            yield conn

    def meta(self, key: str) -> str | None:
        """A per-machine setting (replica id, actor, sync state); never synced."""
        with self._guard() as conn:
            return get_meta(conn, key)

    def set_meta(self, key: str, value: str | None) -> None:
        self._check_writable()
        with self._guard() as conn:
            put_meta(conn, {key: value})

    def set_metas(self, values: dict[str, str | None]) -> None:
        """Several per-machine settings in one transaction (all saved, or none)."""
        with self.atomic() as conn:
            put_meta(conn, values)

    def data_version(self) -> int:
        """Changes whenever another connection commits (poll it to notice other processes)."""
        return int(self.one("PRAGMA data_version")[0])

    # ------------------------------------------------------------------ reads

    def rows(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a read query and return every row."""
        with self._guard() as conn:
            found: list[sqlite3.Row] = conn.execute(sql, params).fetchall()
        return found

    def row(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a read query, or None when it has none."""
        with self._guard() as conn:
            found: sqlite3.Row | None = conn.execute(sql, params).fetchone()
        return found

    def one(self, sql: str, params: Params = ()) -> sqlite3.Row:
        """The first row of a query that always has one (``SELECT count(*) ...``)."""
        found = self.row(sql, params)
        if found is None:
            raise StoreError(f"{self.path.name}: a query that always answers found nothing.")
        return found

    def get(self, table: str, row_id: str) -> dict[str, Any] | None:
        """One row as a dict (deleted rows included), or None."""
        if table not in schema.TABLES:
            raise InvalidEdit(f"There is no table {table!r}.")
        found = self.row(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        return None if found is None else dict(found)

    def workspace(self) -> dict[str, Any]:
        """The workspace row (name, kickoff date, timezone, standup settings)."""
        found = self.row(
            "SELECT * FROM workspace WHERE deleted = 0 ORDER BY created_at, id LIMIT 1"
        )
        if found is None:
            raise StoreError(f"{self.path.name} has no workspace settings yet.")
        ws = dict(found)
        if domains.timezone(ws.get("timezone") or "UTC") is None:
            # A zone this machine doesn't know (a teammate's sqlite-utils edit): work in UTC,
            # and say so where the workspace is shown.
            ws["timezone_unknown"] = ws["timezone"]
            ws["timezone"] = "UTC"
        if domains.day(ws.get("kickoff_date")) is None:
            ws["kickoff_date_unknown"] = ws["kickoff_date"]
            ws["kickoff_date"] = (
                domains.day(ws.get("created_at")) or clock.now().date()
            ).isoformat()
        return ws

    # ------------------------------------------------------------------ writes

    @property
    def readonly_why(self) -> str:
        """Why nothing can be changed, as the start of a sentence ("" when it can be)."""
        if not self.readonly:
            return ""
        if self.readonly_asked:
            return f"{self.path.name} was opened with --read-only"
        return f"{self.path.name} is read-only for you (the file's permissions)"

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyWorkspace(f"{self.readonly_why}, so changes can't be saved.")

    @contextmanager
    def transaction(
        self,
        summary: str | None = None,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        record_last: bool = True,
    ) -> Iterator[Transaction]:
        """One edit: all its operations, row updates and activity line commit together.

        With `summary`, an activity line is written (who, when, what changed). The
        finished :class:`Change` is at ``tx.change`` after the block, and at
        ``last_change`` unless `record_last` is off (background work such as sync, which
        must not pass for the user's last edit).
        """
        with self.atomic() as conn:
            tx = Transaction(self, conn)
            yield tx
            if summary and tx.change:
                tx.log(summary, entity=entity, entity_id=entity_id, action=action)
            tx._finish()
        tx.change.summary = summary or ""
        if record_last:
            self.last_change = tx.change

    def create(self, table: str, values: dict[str, Any], *, summary: str | None = None) -> str:
        """Create a row; return its id."""
        with self.transaction(summary, entity=table, action="create") as tx:
            row_id = tx.create(table, values)
        return row_id

    def update(
        self,
        table: str,
        row_id: str,
        values: dict[str, Any],
        *,
        summary: str | None = None,
        action: str = "update",
    ) -> Change:
        """Change fields of a row; only fields whose value differs become operations."""
        with self.transaction(summary, entity=table, entity_id=row_id, action=action) as tx:
            tx.update(table, row_id, values)
        return tx.change

    def delete(self, table: str, row_id: str, *, summary: str | None = None) -> Change:
        """Tombstone a row (a delete is an operation on its ``deleted`` field)."""
        return self.update(table, row_id, {"deleted": 1}, summary=summary, action="delete")

    def undo(self, change: Change, *, summary: str | None = None) -> Change:
        """Put back what `change` did, as new operations (so the undo syncs too)."""
        with self.transaction(
            summary or f"Undid: {change.summary}".rstrip(": "), action="undo"
        ) as tx:
            for fc in reversed(change.fields):
                tx.update(fc.table, fc.row_id, {fc.field: fc.old})
            for table, row_id in change.created:
                tx.update(table, row_id, {"deleted": 1})
        return tx.change

    # ------------------------------------------------------------------ operations

    def heads(self, table: str, row_id: str, fieldname: str) -> list[Op]:
        """A field's current heads, winner first (:func:`merge.heads`)."""
        return merge.heads(self, table, row_id, fieldname)

    def conflicts(
        self, table: str | None = None, row_id: str | None = None, *, moves: bool = False
    ) -> list[Conflict]:
        """Every field whose heads disagree, moves left out unless `moves` (:func:`merge.conflicts`)."""
        return merge.conflicts(self, table, row_id, moves=moves)

    def delete_conflicts(self) -> list[DeleteConflict]:
        """Deleted rows another replica edited without seeing the delete (:func:`merge.delete_conflicts`)."""
        return merge.delete_conflicts(self)

    def resolve_delete(
        self, conflict: DeleteConflict, *, restore: bool, summary: str | None = None
    ) -> Change:
        """Settle "deleted by X; you edited Y": bring the row back, or delete it for good."""
        verb = "Restored" if restore else "Deleted"
        with self.transaction(
            summary or f"{verb} a {conflict.table.replace('_', ' ')} edited after its delete",
            entity=conflict.table,
            entity_id=conflict.row_id,
            action="resolve",
        ) as tx:
            tx.update(conflict.table, conflict.row_id, {"deleted": 0 if restore else 1}, force=True)
        return tx.change

    def settle_moves(self) -> list[Conflict]:
        """Settle move conflicts where this replica's move lost: keep the winner's value as a
        new operation and post an activity line saying so. Returns the conflicts settled.

        Only a replica that lost does this, and all of them write the same value, so the
        settlement never becomes a conflict of its own. The settlement carries the winner's
        clock, not a new one: a move made after the winner (by anyone, before or after the
        settlement reaches them) still beats it, as it beat the winner.
        """
        settled: list[Conflict] = []
        if self.row("SELECT 1 FROM operation WHERE replica = ? LIMIT 1", (self.replica,)) is None:
            return settled  # nothing of mine to lose (a fresh join): no query over every head
        for c in self.conflicts(moves=True):
            if (c.table, c.field) not in MOVE_FIELDS:
                continue
            if not any(h.replica == self.replica for h in c.heads[1:]):
                continue
            row = self.get(c.table, c.row_id) or {}
            label = row.get("title") or c.table.replace("_", " ")
            others = sorted({h.by or h.replica for h in c.heads})
            what = "window" if c.field == "window" else "position"
            with self.transaction(
                f"{label} was moved by {' and '.join(others)} at once; kept "
                f"{c.winner.by or c.winner.replica}'s {what}",
                entity=c.table,
                entity_id=c.row_id,
                action="resolve",
                record_last=False,
            ) as tx:
                tx.restate(c.winner)
            settled.append(c)
        return settled

    def resolve(self, conflict: Conflict, value: Any, *, summary: str | None = None) -> Change:
        """Settle a conflict with `value` (one of the heads' or a merged one)."""
        with self.transaction(
            summary or f"Resolved a conflict on {conflict.table}.{conflict.field}",
            entity=conflict.table,
            entity_id=conflict.row_id,
            action="resolve",
        ) as tx:
            tx.update(conflict.table, conflict.row_id, {conflict.field: value}, force=True)
        return tx.change

    def operations(self, *, after_hlc: str | None = None) -> list[Op]:
        """The whole log in clock order (or only what came after a clock value)."""
        sql = "SELECT * FROM operation"
        params: list[Any] = []
        if after_hlc:
            sql += " WHERE hlc > ?"
            params.append(after_hlc)
        return [Op.from_row(r) for r in self.rows(sql + " ORDER BY hlc, id", params)]

    def apply(
        self,
        ops: Iterable[Op],
        *,
        meta: dict[str, str] | None = None,
        checked: bool = False,
        failed: list[tuple[Op, str]] | None = None,
        before_commit: Callable[[sqlite3.Connection, list[tuple[Op, str]]], None] | None = None,
    ) -> list[Op]:
        """Apply operations from elsewhere (sync) in one transaction; return the new ones.

        Idempotent: an operation already here is skipped. The same id with different content
        raises ReplicaClash (two machines sharing a replica id) and nothing is applied.
        `meta` (per-machine settings such as how far a log was read) commits with them.
        `checked`: every op already passed :func:`validate` (sync checks each line itself).
        With `failed`, an operation this file can't store is left out (with why) and every
        other one still applies; `before_commit(conn, failed)` runs inside the transaction.
        """
        ordered = sorted(ops, key=attrgetter("hlc", "id"))
        try:
            return self._apply_all(ordered, meta, checked, [], before_commit)
        except ReplicaClash:
            raise
        except (
            sqlite3.Error,
            StoreError,
            ValueError,
            TypeError,
            OverflowError,
            KeyError,
            RecursionError,
        ):
            if failed is None:
                raise
        # One operation the file refuses: apply them one by one, each in a savepoint.
        return self._apply_all(ordered, meta, checked, failed, before_commit, one_by_one=True)

    def _apply_all(
        self,
        ops: list[Op],
        meta: dict[str, str] | None,
        checked: bool,
        failed: list[tuple[Op, str]],
        before_commit: Callable[[sqlite3.Connection, list[tuple[Op, str]]], None] | None,
        *,
        one_by_one: bool = False,
    ) -> list[Op]:
        with self.atomic() as conn:
            put_meta(conn, meta or {})
            applied = merge.apply_all(
                conn, ops, checked=checked, failed=failed, one_by_one=one_by_one
            )
            if before_commit is not None:
                before_commit(conn, failed)
        return applied

    def rebuild(self) -> None:
        """Make every table again from the operation log alone."""
        with self.atomic() as conn:
            merge.rebuild(conn)


class Transaction:
    """The edits inside one :meth:`Store.transaction` block."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self.store = store
        self.conn = conn
        self.change = Change()
        self._seq = int(get_meta(conn, "seq") or 0)
        self._hlc = get_meta(conn, "hlc")

    def _next(self) -> tuple[str, str]:
        self._seq += 1
        self._hlc = hlc_next(self._hlc, clock.now_ms())
        op_id = f"{self.store.replica}:{self._seq}"
        if self.change.tx is None:
            self.change.tx = op_id
        return op_id, self._hlc

    def _record(
        self, table: str, row_id: str, fieldname: str, value: Any, base: tuple[str, ...]
    ) -> Op:
        op_id, hlc = self._next()
        op = Op(op_id, hlc, self.store.actor, table, row_id, fieldname, value, base, self.change.tx)
        merge.apply_one(self.conn, op, insert=True, local=True)
        self.change.ops.append(op)
        return op

    def create(self, table: str, values: dict[str, Any], *, row_id: str | None = None) -> str:
        """Create a row from `values` (schema defaults fill the gaps); return its id."""
        if table not in schema.TABLES:
            raise InvalidEdit(f"There is no table {table!r}.")
        first = dict(schema.DEFAULTS.get(table, {}))
        first.update(values)
        first = {k: coerce(table, k, v) for k, v in first.items() if k != "deleted"}
        first = {k: v for k, v in first.items() if v is not None}
        row_id = row_id or new_id()
        self._record(table, row_id, CREATE, first, ())
        self.change.created.append((table, row_id))
        return row_id

    def update(
        self, table: str, row_id: str, values: dict[str, Any], *, force: bool = False
    ) -> list[FieldChange]:
        """Change fields of an existing row; unchanged fields write nothing (unless `force`)."""
        if table not in schema.TABLES:
            raise InvalidEdit(f"There is no table {table!r}.")
        current = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if current is None:
            raise InvalidEdit(f"That {table.replace('_', ' ')} no longer exists.")
        changes = []
        for fieldname, value in values.items():
            value = coerce(table, fieldname, value)
            old = current[fieldname]
            if old == value and not force:
                continue
            if fieldname == "deleted" and value == 1:
                # A delete names every value it saw, so an edit the deleter never saw
                # shows up as "deleted by X; you edited Y" (see Store.delete_conflicts).
                base = tuple(
                    r[0]
                    for r in self.conn.execute(
                        "SELECT op_id FROM operation_head WHERE tbl = ? AND row_id = ? "
                        "ORDER BY field = 'deleted' DESC, field, op_id",
                        (table, row_id),
                    )
                )
            else:
                base = tuple(
                    r[0]
                    for r in self.conn.execute(
                        "SELECT op_id FROM operation_head WHERE tbl = ? AND row_id = ? AND field = ?",
                        (table, row_id, fieldname),
                    )
                )
            self._record(table, row_id, fieldname, value, base)
            fc = FieldChange(table, row_id, fieldname, old, value)
            self.change.fields.append(fc)
            changes.append(fc)
        return changes

    def delete(self, table: str, row_id: str) -> list[FieldChange]:
        return self.update(table, row_id, {"deleted": 1})

    def restate(self, winner: Op) -> Op:
        """Settle a field's heads on `winner`'s value with `winner`'s clock: one head again,
        and it wins or loses against any other edit exactly as `winner` would."""
        base = tuple(
            r[0]
            for r in self.conn.execute(
                "SELECT op_id FROM operation_head WHERE tbl = ? AND row_id = ? AND field = ?",
                (winner.table, winner.row_id, winner.field),
            )
        )
        self._seq += 1
        op_id = f"{self.store.replica}:{self._seq}"
        if self.change.tx is None:
            self.change.tx = op_id
        op = Op(
            op_id,
            winner.hlc,
            self.store.actor,
            winner.table,
            winner.row_id,
            winner.field,
            winner.value,
            base,
            self.change.tx,
        )
        merge.apply_one(self.conn, op, insert=True, checked=True)  # not local: it is not the newest
        self.change.ops.append(op)
        return op

    def log(
        self,
        summary: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
    ) -> str:
        """Write the activity line for this edit (it syncs like any other row)."""
        if entity_id is None:
            made = [c for c in self.change.created if entity in (None, c[0])]
            if made:
                entity, entity_id = made[0]
        detail = {
            fc.field: [fc.old, fc.new]
            for fc in self.change.fields
            if fc.table != "activity" and (entity_id is None or fc.row_id == entity_id)
        }
        return self.create(
            "activity",
            {
                "at": clock.iso(),
                "actor": self.store.actor,
                "entity": entity,
                "entity_id": entity_id,
                "action": action or "update",
                "summary": summary,
                "detail": _dumps(detail) if detail else None,
            },
        )

    def _finish(self) -> None:
        if self.change.ops:
            put_meta(self.conn, {"seq": str(self._seq)})
            if self._hlc:
                put_meta(self.conn, {"hlc": self._hlc})
