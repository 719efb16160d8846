"""The write path: every change is an operation, recorded before it is applied.

An operation is ``{id, hlc, by, table, row_id, field, value, base}``: `id` is ``replica:seq``,
`hlc` a hybrid logical clock, `base` the ids of the operations whose values the editor saw.
A field's *heads* are its operations that no other operation names in `base`. One head is the
value; several are a conflict, and every machine shows the same winner, the head with the
highest ``(hlc, id)``. Creating a row is one operation on the pseudo-field ``*`` whose value is
the row's first values. The tables are a materialized view of the operations
(:meth:`Store.rebuild` makes them again from the log alone).

Each edit is one ``BEGIN IMMEDIATE`` transaction that inserts its operations, updates the rows
and writes an ``activity`` line, so an edit is either all there or not there at all.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.store import schema
from kickoff_tui.store.db import open_db
from kickoff_tui.store.errors import (
    InvalidEdit,
    ReadOnlyWorkspace,
    ReplicaClash,
    StoreError,
    UnknownField,
    translate,
)
from kickoff_tui.rules import domains
from kickoff_tui.rules.text import strip_controls, visible
from kickoff_tui.store.ids import HLC_FORM, hlc_next, hlc_ok, hlc_unpack, new_id, new_replica_id

_HLC_FORM = HLC_FORM.fullmatch
#: A sequence number as this program writes it: no sign, no leading zero, within SQLite's range.
_SEQ_FORM = re.compile(r"0|[1-9][0-9]{0,17}").fullmatch

CREATE = "*"

#: Clocks more than this far ahead of this machine's are never adopted (sync holds them back).
MAX_AHEAD_MS = 10 * 60 * 1000


_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def _dumps(value: Any) -> str:
    """Canonical JSON (the same value always gives the same text); cheap for the common cases."""
    if value is None:
        return "null"
    if type(value) is str:
        return _encode_str(value)
    if type(value) is int:
        return str(value)
    if type(value) in (list, tuple) and all(type(x) is str for x in value):
        return "[" + ",".join(map(_encode_str, value)) + "]"  # what json.dumps writes
    return _encode(value)


#: json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), without
#: making a new encoder for every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


@dataclass(frozen=True)
class Op:
    """One recorded change of one field (or the creation of a row, field ``*``)."""

    id: str
    hlc: str
    by: str
    table: str
    row_id: str
    field: str
    value: Any
    base: tuple[str, ...] = ()
    tx: str | None = None

    @property
    def replica(self) -> str:
        return self.id.rsplit(":", 1)[0]

    @property
    def seq(self) -> int:
        return int(self.id.rsplit(":", 1)[1])

    @property
    def at(self) -> str:
        """The wall-clock part of the clock, as ISO-8601 UTC."""
        return clock.iso_from_ms(hlc_unpack(self.hlc)[0])

    def to_dict(self) -> dict[str, Any]:
        """The operation as written to a sync log (keys as in DESIGN.md)."""
        return {
            "id": self.id,
            "hlc": self.hlc,
            "by": self.by,
            "table": self.table,
            "row_id": self.row_id,
            "field": self.field,
            "value": self.value,
            "base": list(self.base),
            "tx": self.tx,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Op:
        """Read an operation from untrusted input; raise InvalidEdit if it is malformed."""
        try:
            op_id, hlc, table, row_id, name = d["id"], d["hlc"], d["table"], d["row_id"], d["field"]
            base, by, tx = d.get("base") or [], d.get("by") or "", d.get("tx")
            if (
                type(op_id) is str
                and type(hlc) is str
                and type(table) is str
                and type(row_id) is str
                and type(name) is str
                and type(by) is str
                and (tx is None or type(tx) is str)
                and type(base) is list
                and (not base or all(type(x) is str for x in base))
                and by.isprintable()
            ):
                # The common case, a line this program wrote: no conversions needed.
                op = cls(op_id, hlc, by, table, row_id, name, d.get("value"), tuple(base), tx)
                hlc_unpack(op.hlc)
                int(op.id.rsplit(":", 1)[1])
                return op
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidEdit(f"Malformed operation ({exc}).") from None
        try:
            if not isinstance(d.get("base") or [], list):
                raise ValueError("base must be a list")
            op = cls(
                id=str(d["id"]),
                hlc=str(d["hlc"]),
                by=strip_controls(str(d.get("by") or "")),  # an author name is text we show
                table=str(d["table"]),
                row_id=str(d["row_id"]),
                field=str(d["field"]),
                value=d.get("value"),
                base=tuple(str(b) for b in d.get("base") or ()),
                tx=None if d.get("tx") is None else str(d["tx"]),
            )
            hlc_unpack(op.hlc)
            op.seq  # noqa: B018 - validates the replica:seq form
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidEdit(f"Malformed operation ({exc}).") from None
        return op

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Op:
        return cls(
            id=row["id"],
            hlc=row["hlc"],
            by=row["by"] or "",
            table=row["tbl"],
            row_id=row["row_id"],
            field=row["field"],
            value=json.loads(row["value"]) if row["value"] is not None else None,
            base=tuple(json.loads(row["base"] or "[]")),
            tx=row["tx"],
        )


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


#: The page cache for a bulk apply (negative: KiB), 64 MiB instead of SQLite's 2 MiB.
BULK_CACHE_KIB = -65536

#: Fields whose concurrent edits settle by themselves (the newest move wins, an activity line
#: says so): a card moved by two people at once is not worth a question.
MOVE_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("card", "window"),
        ("card", "position"),
        ("objective", "position"),
        ("key_result", "position"),
    }
)


@dataclass(frozen=True)
class DeleteConflict:
    """A row deleted on one replica while another edited it without seeing the delete."""

    table: str
    row_id: str
    delete: Op
    edits: tuple[Op, ...]


@dataclass(frozen=True)
class Conflict:
    """A field with several heads: `heads[0]` is the value every machine shows."""

    table: str
    row_id: str
    field: str
    heads: tuple[Op, ...]

    @property
    def winner(self) -> Op:
        return self.heads[0]


def coerce(table: str, fieldname: str, value: Any) -> Any:
    """Check a value against the schema and return it in the column's type.

    Raises InvalidEdit for unknown tables or fields and for values of the wrong type, so an
    operation from an untrusted sync log can never name SQL or store garbage.
    """
    kind = schema.field_type(table, fieldname)
    if kind is None:
        raise InvalidEdit(f"There is no field {fieldname!r} in {table!r}.")
    if value is None:
        return None
    if kind is str and isinstance(value, str):
        return strip_controls(value)
    if kind is int and isinstance(value, int):
        return int(value)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidEdit(f"{table}.{fieldname} must be a finite number.")
        return float(value)
    raise InvalidEdit(f"{table}.{fieldname} must be {kind.__name__}, not {type(value).__name__}.")


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

    def __enter__(self) -> Store:
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

    def meta(self, key: str) -> str | None:
        """A per-machine setting (replica id, actor, sync state); never synced."""
        with self._guard() as conn:
            row = conn.execute("SELECT value FROM local_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str | None) -> None:
        self._check_writable()
        with self._guard() as conn:
            conn.execute(
                "INSERT INTO local_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_metas(self, values: dict[str, str | None]) -> None:
        """Several per-machine settings in one transaction (all saved, or none)."""
        self._check_writable()
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for key, value in values.items():
                    _put_meta(conn, key, value)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def data_version(self) -> int:
        """Changes whenever another connection commits (poll it to notice other processes)."""
        with self._guard() as conn:
            return conn.execute("PRAGMA data_version").fetchone()[0]

    # ------------------------------------------------------------------ reads

    def rows(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read query and return every row."""
        with self._guard() as conn:
            return conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> sqlite3.Row | None:
        with self._guard() as conn:
            return conn.execute(sql, params).fetchone()

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
        self._check_writable()
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                tx = Transaction(self, conn)
                yield tx
                if summary and tx.change:
                    tx.log(summary, entity=entity, entity_id=entity_id, action=action)
                tx._finish()
                conn.execute("COMMIT")
                tx.change.summary = summary or ""
                if record_last:
                    self.last_change = tx.change
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

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
        """A field's current heads, winner first, with values cleaned as the row keeps them."""
        rows = self.rows(
            "SELECT o.* FROM operation_head h JOIN operation o ON o.id = h.op_id "
            "WHERE h.tbl = ? AND h.row_id = ? AND h.field = ? ORDER BY o.hlc DESC, o.id DESC",
            (table, row_id, fieldname),
        )
        heads = []
        for r in rows:
            op = Op.from_row(r)
            heads.append(replace(op, value=coerce(table, fieldname, op.value)))
        return heads

    def conflicts(
        self, table: str | None = None, row_id: str | None = None, *, moves: bool = False
    ) -> list[Conflict]:
        """Every field whose heads hold different values (optionally of one table or row).

        Heads that agree are no conflict (two people marking a card done). Moves (see
        MOVE_FIELDS) are left out unless `moves`: they settle by themselves.
        """
        where, params = "", []
        if table:
            where, params = "WHERE h.tbl = ?", [table]
            if row_id:
                where, params = where + " AND h.row_id = ?", [table, row_id]
        # Fields with several heads come straight from the primary key's order; only those
        # few are then read in full.
        keys = self.rows(
            f"SELECT h.tbl, h.row_id, h.field FROM operation_head h {where} "
            "GROUP BY h.tbl, h.row_id, h.field HAVING count(*) > 1 "
            "ORDER BY h.tbl, h.row_id, h.field",
            params,
        )
        found = []
        for k in keys:
            if not moves and (k["tbl"], k["field"]) in MOVE_FIELDS:
                continue
            heads = tuple(self.heads(*k))
            if len({_dumps(h.value) for h in heads}) > 1:
                found.append(Conflict(k["tbl"], k["row_id"], k["field"], heads))
        return found

    def delete_conflicts(self) -> list[DeleteConflict]:
        """Deleted rows that another replica edited without having seen the delete.

        An edit conflicts with a delete when the delete does not name it in its base (the
        deleter never saw it) and it came from another replica. Every replica finds the same
        ones, since it is computed from the operations alone.
        """
        pairs = self.rows(
            "SELECT d.id AS d_id, e.id AS e_id FROM operation_head hd "
            "JOIN operation d ON d.id = hd.op_id "
            "JOIN operation_head he ON he.tbl = hd.tbl AND he.row_id = hd.row_id "
            "     AND he.field <> 'deleted' "
            "JOIN operation e ON e.id = he.op_id "
            "WHERE hd.field = 'deleted' AND d.value = '1' AND e.replica <> d.replica "
            "  AND NOT EXISTS (SELECT 1 FROM operation_base b "
            "                   WHERE b.base_id = e.id AND b.op_id = d.id)"
        )
        if not pairs:
            return []
        by_row: dict[tuple[str, str], set[str]] = {}
        ops: dict[str, Op] = {}
        for p in pairs:
            for op_id in (p["d_id"], p["e_id"]):
                if op_id not in ops:
                    ops[op_id] = Op.from_row(
                        self.row("SELECT * FROM operation WHERE id = ?", (op_id,))
                    )
            d = ops[p["d_id"]]
            by_row.setdefault((d.table, d.row_id), set()).add(p["e_id"])
        found = []
        for (table, row_id), edit_ids in sorted(by_row.items()):
            deletes = self.heads(table, row_id, "deleted")
            if not deletes or any(h.value != 1 for h in deletes):
                continue  # restored on some replica: that is a same-field conflict, if any
            edits = [
                ops[e]
                for e in sorted(edit_ids)
                if all(e not in d.base and ops[e].replica != d.replica for d in deletes)
            ]
            if edits:
                edits.sort(key=lambda o: (o.hlc, o.id))
                found.append(DeleteConflict(table, row_id, deletes[0], tuple(edits)))
        return found

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
        self._check_writable()
        ops = sorted(ops, key=attrgetter("hlc", "id"))
        with self._guard() as conn:
            try:
                return self._apply_all(conn, ops, meta, checked, [], before_commit)
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
            return self._apply_all(conn, ops, meta, checked, failed, before_commit, one_by_one=True)

    def _apply_all(
        self,
        conn: sqlite3.Connection,
        ops: list[Op],
        meta: dict[str, str] | None,
        checked: bool,
        failed: list[tuple[Op, str]],
        before_commit: Callable[[sqlite3.Connection, list[tuple[Op, str]]], None] | None,
        *,
        one_by_one: bool = False,
    ) -> list[Op]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for key, value in (meta or {}).items():
                _put_meta(conn, key, value)
            applied = []
            newest = _get_meta(conn, "hlc")
            empty = conn.execute("SELECT 1 FROM operation LIMIT 1").fetchone() is None
            if one_by_one:
                for op in ops:
                    conn.execute("SAVEPOINT one")
                    try:
                        if _apply(conn, op, insert=True, checked=checked):
                            applied.append(op)
                    except ReplicaClash:
                        raise
                    except Exception as exc:  # noqa: BLE001 - any refusal quarantines this op only
                        conn.execute("ROLLBACK TO one")
                        failed.append((op, str(exc) or type(exc).__name__))
                    conn.execute("RELEASE one")
            elif empty and len(ops) > 200:
                # A join: the same result as one at a time, several times faster. A
                # bigger page cache while it lasts keeps the indexes' pages in memory.
                cache = conn.execute("PRAGMA cache_size").fetchone()[0]
                conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
                try:
                    applied = _bulk_apply(conn, ops, checked=checked)
                finally:
                    conn.execute(f"PRAGMA cache_size = {int(cache)}")
            else:
                applied = [op for op in ops if _apply(conn, op, insert=True, checked=checked)]
            # The newest clock seen, compared as numbers; never one far ahead of this machine.
            limit = clock.now_ms() + MAX_AHEAD_MS
            for op in reversed(applied):
                stamp = hlc_unpack(op.hlc)
                if stamp[0] <= limit:
                    if newest is None or stamp > hlc_unpack(newest):
                        newest = op.hlc
                    break
            if newest:
                _put_meta(conn, "hlc", newest)
            if before_commit is not None:
                before_commit(conn, failed)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return applied

    def rebuild(self) -> None:
        """Make every table again from the operation log alone."""
        self._check_writable()
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for table in schema.TABLES:
                    conn.execute(f"DELETE FROM {table}")
                conn.execute("DELETE FROM operation_head")
                conn.execute("DELETE FROM operation_base")
                for r in conn.execute("SELECT * FROM operation ORDER BY hlc, id").fetchall():
                    _apply(conn, Op.from_row(r), insert=False)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


class Transaction:
    """The edits inside one :meth:`Store.transaction` block."""

    def __init__(self, store: Store, conn: sqlite3.Connection) -> None:
        self.store = store
        self.conn = conn
        self.change = Change()
        self._seq = int(_get_meta(conn, "seq") or 0)
        self._hlc = _get_meta(conn, "hlc")

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
        _apply(self.conn, op, insert=True, local=True)
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
        _apply(self.conn, op, insert=True, checked=True)  # not local: it is not the newest
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
            _put_meta(self.conn, "seq", str(self._seq))
            if self._hlc:
                _put_meta(self.conn, "hlc", self._hlc)


# ---------------------------------------------------------------------- applying one operation


def _get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM local_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def _put_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO local_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


#: Clocks outside 2000-01-01 .. 9999-12-31 can't be real (and can't be shown as dates).
_HLC_MIN_MS, _HLC_MAX_MS = 946_684_800_000, 253_402_300_799_999


def validate(op: Op) -> None:
    """Raise InvalidEdit if `op` (read from a sync log) could not be applied here."""
    _validate(op, domain=True)


#: (table, field) -> python type, as schema.field_type answers, for the hot path of a join.
_KINDS: dict[tuple[str, str], type] = {
    **{(t, f): k for t, cols in schema.TABLES.items() for f, k in cols.items()},
    **{(t, "deleted"): int for t in schema.TABLES},
}


_new, _set = object.__new__, object.__setattr__


def _op(
    op_id: str,
    hlc: str,
    by: str,
    table: str,
    row_id: str,
    name: str,
    value: Any,
    base: tuple[str, ...],
    tx: str | None,
) -> Op:
    """Op(...) for values already checked, twice as fast: one frozen __dict__, not 9 setattrs."""
    op = _new(Op)
    _set(
        op,
        "__dict__",
        {
            "id": op_id,
            "hlc": hlc,
            "by": by,
            "table": table,
            "row_id": row_id,
            "field": name,
            "value": value,
            "base": base,
            "tx": tx,
        },
    )
    return op


#: Fields whose values have a domain beyond their type (see rules/domains.py).
_DOMAIN_KEYS = frozenset(
    {
        *domains.CHOICES,
        *domains.RANGES,
        *domains.DAYS,
        *domains.DUES,
        *domains.INSTANTS,
        *domains.SHAPES,  # timezone, times, monthly day, pulse questions and answers
    }
)


def _domain(table: str, name: str) -> Any:
    """How a value of `table.name` is checked beyond its type, as :func:`domains.problem`
    does: None (not at all), a frozenset of choices, a (low, high) range, or a predicate."""
    key = (table, name)
    if name == "deleted":
        return frozenset({0, 1})
    if key in domains.CHOICES:
        return frozenset(domains.CHOICES[key])
    if key in domains.RANGES:
        return domains.RANGES[key]
    if key in _DOMAIN_KEYS:
        return lambda value: domains.problem(table, name, value) is None
    return None


#: (table, field) -> (python type, its domain as _domain gives it).
_SPECS: dict[tuple[str, str], tuple[type, Any]] = {
    key: (kind, _domain(*key)) for key, kind in _KINDS.items()
}
_INT_MIN, _INT_MAX = domains.INT_MIN, domains.INT_MAX


def _value_ok(table: str, name: str, value: Any) -> bool:
    """True when :func:`_validate` would accept `value` for `table.name` as it is (text is
    checked for lone surrogates by the caller)."""
    spec = _SPECS.get((table, name))
    if spec is None:
        return False
    if value is None:
        return name != "deleted"
    kind, domain = spec
    t = type(value)
    if t is str:
        if kind is not str:
            return False
    elif t is int:
        if kind is str or not _INT_MIN <= value <= _INT_MAX:
            return False
    elif t is float:
        if kind is not float or value - value != 0.0:  # NaN and infinities are refused
            return False
    else:
        return False
    if domain is None:
        return True
    kind = type(domain)
    if kind is frozenset:
        return value in domain
    if kind is tuple:
        return domain[0] <= value <= domain[1]
    return domain(value)


def read_op(d: Any, *, unicode_checked: bool = False) -> Op:
    """An operation from one line of a sync log: :meth:`Op.from_dict` then :func:`validate`.

    The usual line (written by this program: plain types, known fields) takes a short path;
    anything else takes the long one, which raises InvalidEdit with the precise reason.
    `unicode_checked`: the caller knows the line holds no lone surrogate (no ``\\ud8``
    escape in its bytes), so its text needn't be checked again here.
    """
    try:
        if not unicode_checked:
            _encode(d).encode("utf-8")  # a lone surrogate anywhere: the long way says so
        op_id, hlc, table, name, base = d["id"], d["hlc"], d["table"], d["field"], d["base"]
        row_id, by, tx, value = d["row_id"], d["by"], d["tx"], d["value"]
        if (
            type(op_id) is str
            and type(hlc) is str
            and type(table) is str
            and type(row_id) is str
            and type(name) is str
            and type(by) is str
            and (tx is None or type(tx) is str)
            and type(base) is list
            and (
                not base
                or (len(base) == 1 and type(base[0]) is str)
                or all(type(x) is str for x in base)
            )
            and op_id.isprintable()
            and row_id.isprintable()
            and by.isprintable()
            and (tx is None or tx.isprintable())
            and (
                not base
                or (base[0].isprintable() if len(base) == 1 else "".join(base).isprintable())
            )
            and len(hlc) == 21
            and _HLC_FORM(hlc) is not None
            and _HLC_MIN_MS <= int(hlc[:15]) <= _HLC_MAX_MS
            and _SEQ_FORM(op_id.rpartition(":")[2]) is not None
        ):
            if name != CREATE:
                ok = _value_ok(table, name, value)
            elif type(value) is dict and table in schema.TABLES:
                ok = True
                for k, v in value.items():
                    if not _value_ok(table, k, v):
                        ok = False
                        break
            else:
                ok = False
            if ok:
                return _op(op_id, hlc, by, table, row_id, name, value, tuple(base), tx)
    except (KeyError, TypeError, ValueError, IndexError, UnicodeEncodeError, RecursionError):
        pass
    op = Op.from_dict(d)
    _validate(op, domain=True)
    return op


def _validate(op: Op, *, domain: bool = False) -> None:
    """Raise InvalidEdit unless `op` can be stored: its clock, id, table, fields and their
    types (and, with `domain`, what each field may hold: a sync log's line is held to that;
    an import of the file's own export, or a rebuild, keeps what the file already held)."""
    ids = (op.id, op.row_id, op.tx or "", *op.base)
    if not all(i.isprintable() for i in ids):
        raise InvalidEdit(f"Operation {visible(op.id)} has control characters in its ids.")
    try:
        ms, _counter = hlc_unpack(op.hlc)
    except ValueError:
        raise InvalidEdit(f"Operation {op.id} has an unreadable clock {op.hlc!r}.") from None
    if not hlc_ok(op.hlc):
        raise InvalidEdit(f"Operation {op.id} has a clock not in the fixed form ({op.hlc!r}).")
    if not _HLC_MIN_MS <= ms <= _HLC_MAX_MS:
        raise InvalidEdit(f"Operation {op.id} has a clock outside any real date ({op.hlc}).")
    if op.seq < 0 or op.seq > domains.INT_MAX or op.id.rpartition(":")[2] != str(op.seq):
        raise InvalidEdit(f"Operation {op.id!r} has an id not in the form replica:number.")
    if op.table not in schema.TABLES:
        raise UnknownField(f"Operation {op.id} names an unknown table {op.table!r}.")
    if op.field == CREATE:
        if not isinstance(op.value, dict):
            raise InvalidEdit(f"Operation {op.id} creates a row without values.")
        values = op.value
    else:
        values = {op.field: op.value}
    for k, v in values.items():
        if schema.field_type(op.table, k) is None:
            raise UnknownField(f"There is no field {k!r} in {op.table!r}.")
        coerce(op.table, k, v)
        why = domains.problem(op.table, k, v) if domain or k == "deleted" else None
        if why is None and type(v) is int and not domains.INT_MIN <= v <= domains.INT_MAX:
            why = f"{op.table}.{k} is too large a number"
        if why:
            raise InvalidEdit(f"Operation {op.id}: {why}.")
    try:
        _dumps(op.to_dict()).encode("utf-8")
    except UnicodeEncodeError:
        shown = op.id.encode("utf-8", "replace").decode("utf-8")
        raise InvalidEdit(
            f"Operation {shown} holds text that is not valid Unicode (a lone surrogate)."
        ) from None


def _apply(
    conn: sqlite3.Connection, op: Op, *, insert: bool, local: bool = False, checked: bool = False
) -> bool:
    """Record `op`, move the field's heads and update the row; False if it was already here."""
    if not local and not checked:
        _validate(op)
    value_json = _dumps(op.value)
    base_json = _dumps(list(op.base))
    if insert:
        replica, _, seq = op.id.rpartition(":")
        cur = conn.execute(
            "INSERT OR IGNORE INTO operation (id, replica, seq, hlc, by, tbl, row_id, field, value, base, tx) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                op.id,
                replica,
                int(seq),
                op.hlc,
                op.by,
                op.table,
                op.row_id,
                op.field,
                value_json,
                base_json,
                op.tx,
            ),
        )
        if cur.rowcount == 0:
            same = conn.execute(
                "SELECT 1 FROM operation WHERE id = ? AND hlc = ? AND tbl = ? AND row_id = ? "
                "AND field = ? AND value IS ? AND base = ?",
                (op.id, op.hlc, op.table, op.row_id, op.field, value_json, base_json),
            ).fetchone()
            if same is None:
                raise ReplicaClash(
                    f"Operation {op.id} arrived twice with different content: two machines are "
                    "using the same replica id. Give one of them a fresh copy with `kickoff sync join`."
                )
            return False
    table = op.table
    if op.field == CREATE:
        _materialize_create(conn, op, local=local)
        return True
    for b in op.base:
        conn.execute(
            "INSERT OR IGNORE INTO operation_base (base_id, op_id) VALUES (?, ?)", (b, op.id)
        )
        conn.execute(
            "DELETE FROM operation_head WHERE tbl = ? AND row_id = ? AND field = ? AND op_id = ?",
            (table, op.row_id, op.field, b),
        )
    if not local:
        superseded = conn.execute(
            "SELECT 1 FROM operation_base b JOIN operation o ON o.id = b.op_id "
            "WHERE b.base_id = ? AND o.field = ? LIMIT 1",
            (op.id, op.field),
        ).fetchone()
        if superseded:
            _touch(conn, op)
            return True
    conn.execute(
        "INSERT INTO operation_head (tbl, row_id, field, op_id) VALUES (?, ?, ?, ?)",
        (table, op.row_id, op.field, op.id),
    )
    if local:
        value = op.value
    else:
        value = _winner_value(conn, table, op.row_id, op.field)
    if local:
        # A local operation is the newest of its row by construction.
        conn.execute(
            f'UPDATE {table} SET "{op.field}" = ?, updated_at = ?, updated_by = ? WHERE id = ?',
            (value, op.at, op.by, op.row_id),
        )
    else:
        value = coerce(table, op.field, value)  # a log's text may carry escape sequences
        conn.execute(f'UPDATE {table} SET "{op.field}" = ? WHERE id = ?', (value, op.row_id))
        _touch(conn, op)
    return True


def _winner_value(conn: sqlite3.Connection, table: str, row_id: str, fieldname: str) -> Any:
    row = conn.execute(
        "SELECT o.value FROM operation_head h JOIN operation o ON o.id = h.op_id "
        "WHERE h.tbl = ? AND h.row_id = ? AND h.field = ? ORDER BY o.hlc DESC, o.id DESC LIMIT 1",
        (table, row_id, fieldname),
    ).fetchone()
    return None if row is None or row[0] is None else json.loads(row[0])


def _touch(conn: sqlite3.Connection, op: Op) -> None:
    """updated_at/updated_by follow the row's newest operation, whatever order they came in."""
    newest = conn.execute(
        "SELECT id, hlc, by FROM operation WHERE tbl = ? AND row_id = ? "
        "ORDER BY hlc DESC, id DESC LIMIT 1",
        (op.table, op.row_id),
    ).fetchone()
    if newest is not None and newest[0] == op.id:
        conn.execute(
            f"UPDATE {op.table} SET updated_at = ?, updated_by = ? WHERE id = ?",
            (op.at, op.by, op.row_id),
        )


def _materialize_create(conn: sqlite3.Connection, op: Op, *, local: bool) -> None:
    values = dict(op.value) if local else {k: coerce(op.table, k, v) for k, v in op.value.items()}
    values.setdefault("deleted", 0)
    at = op.at
    updated_at, updated_by = at, op.by
    if not local:
        # Field edits that arrived before the creation (from another replica's log) win.
        for r in conn.execute(
            "SELECT DISTINCT field FROM operation_head WHERE tbl = ? AND row_id = ?",
            (op.table, op.row_id),
        ).fetchall():
            values[r[0]] = coerce(op.table, r[0], _winner_value(conn, op.table, op.row_id, r[0]))
        newest = conn.execute(
            "SELECT hlc, by FROM operation WHERE tbl = ? AND row_id = ? "
            "ORDER BY hlc DESC, id DESC LIMIT 1",
            (op.table, op.row_id),
        ).fetchone()
        updated_at = clock.iso_from_ms(hlc_unpack(newest[0])[0])
        updated_by = newest[1]
    cols = ["id", *values, "created_at", "updated_at", "updated_by"]
    placeholders = ", ".join("?" for _ in cols)
    quoted = ", ".join(f'"{c}"' for c in cols)
    conn.execute(
        f"INSERT OR IGNORE INTO {op.table} ({quoted}) VALUES ({placeholders})",
        (op.row_id, *values.values(), at, updated_at, updated_by),
    )


def _bulk_apply(conn: sqlite3.Connection, ops: list[Op], *, checked: bool = False) -> list[Op]:
    """Apply `ops` (sorted by clock) to a workspace that has no operations yet.

    Computes in memory what :func:`_apply` would leave one operation at a time (heads, the
    winning values, rows with their created/updated stamps) and writes each table once:
    every row is inserted with its final values, never updated field by field.
    """
    unique: dict[str, Op] = {}
    for op in ops:
        if not checked:
            _validate(op)
        seen = unique.setdefault(op.id, op)
        if seen is not op and _dumps(seen.to_dict()) != _dumps(op.to_dict()):
            raise ReplicaClash(
                f"Operation {op.id} arrived twice with different content: two machines are "
                "using the same replica id. Give one of them a fresh copy with `kickoff sync join`."
            )
    if len(unique) != len(ops):
        ops = list(unique.values())
    # One pass in clock order: the operation rows, their bases, which operations a later one
    # of the same field supersedes, each row's creation and its newest operation.
    op_rows: list[tuple[Any, ...]] = []
    base_rows: list[tuple[str, str]] = []
    superseded: set[str] = set()
    newest: dict[tuple[str, str], Op] = {}
    creates: dict[tuple[str, str], Op] = {}
    edits: list[Op] = []
    dumps, enc, get = _dumps, _encode_str, unique.get
    for o in ops:
        op_id, table, row_id, name, base, value = o.id, o.table, o.row_id, o.field, o.base, o.value
        replica, _, seq = op_id.rpartition(":")
        op_rows.append(
            (
                op_id,
                replica,
                int(seq),
                o.hlc,
                o.by,
                table,
                row_id,
                name,
                enc(value) if type(value) is str else dumps(value),
                "[" + enc(base[0]) + "]" if len(base) == 1 else dumps(base),
                o.tx,
            )
        )
        newest[(table, row_id)] = o
        if name == CREATE:
            if (table, row_id) not in creates:
                creates[(table, row_id)] = o
            continue
        edits.append(o)
        for b in base:
            base_rows.append((b, op_id))
            x = get(b)
            if x is not None and x.field == name and x.row_id == row_id and x.table == table:
                superseded.add(b)
    # The secondary indexes of the tables filled here are made again after their rows, from
    # their own definitions: one sort each instead of scattered inserts. Inside this
    # transaction, so they are back whether it commits or rolls back. Unique ones stay.
    tables = sorted({"operation", *(t for t, _ in creates)})
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE 'CREATE UNIQUE%' "
        f"AND tbl_name IN ({', '.join('?' for _ in tables)}) ORDER BY name",
        tables,
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.executemany(
        "INSERT INTO operation (id, replica, seq, hlc, by, tbl, row_id, field, value, base, tx) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        op_rows,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO operation_base (base_id, op_id) VALUES (?, ?)", base_rows
    )
    # The heads: edits no edit of their field supersedes. In clock order, so the last head
    # of a field is its winner, the highest (hlc, id).
    head_rows: list[tuple[str, str, str, str]] = []
    winners: dict[tuple[str, str], dict[str, Op]] = {}
    for o in edits:
        op_id = o.id
        if op_id not in superseded:
            table, row_id, name = o.table, o.row_id, o.field
            head_rows.append((table, row_id, name, op_id))
            found = winners.get((table, row_id))
            if found is None:
                winners[(table, row_id)] = {name: o}
            else:
                found[name] = o
    conn.executemany(
        "INSERT INTO operation_head (tbl, row_id, field, op_id) VALUES (?, ?, ?, ?)", head_rows
    )
    stamps: dict[str, str] = {}
    seconds: dict[int, str] = {}

    def at(op: Op) -> str:  # op.at, made once per millisecond, its date and time once per second
        key = op.hlc.partition("-")[0]
        text = stamps.get(key)
        if text is None:
            second, milli = divmod(int(key), 1000)
            if second >= 2**32:  # past 2106, ms / 1000 loses a millisecond here and there
                text = op.at
            else:
                day = seconds.get(second)
                if day is None:
                    day = seconds[second] = clock.iso_from_ms(second * 1000)[:-4]  # "…:SS."
                text = f"{day}{milli:03d}Z"
            stamps[key] = text
        return text

    if checked:  # values are of the right types already: only clean text and widen numbers

        def clean(table: str, name: str, value: Any) -> Any:
            if type(value) is str:
                return value if value.isprintable() else strip_controls(value)
            if type(value) is int and _KINDS.get((table, name)) is float:
                return float(value)
            return value
    else:
        clean = coerce

    batches: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = {}
    for (table, row_id), create in creates.items():
        values = {}
        for name, v in create.value.items():
            values[name] = (
                v if checked and type(v) is str and v.isprintable() else clean(table, name, v)
            )
        values.setdefault("deleted", 0)
        won = winners.get((table, row_id))
        if won:
            for name, o in won.items():
                values[name] = clean(table, name, o.value)
        last = newest[(table, row_id)]
        key = (table, tuple(values))
        rows = batches.get(key)
        if rows is None:
            rows = batches[key] = []
        rows.append((row_id, *values.values(), at(create), at(last), last.by))
    for (table, names), rows in batches.items():
        cols = ("id", *names, "created_at", "updated_at", "updated_by")
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        conn.executemany(f"INSERT OR IGNORE INTO {table} ({quoted}) VALUES ({marks})", rows)
    for _name, sql in indexes:
        conn.execute(sql)
    return ops
