"""The merge engine: applying operations, a field's heads and winner, conflicts, the bulk join.

A field's *heads* are its operations that no other operation names in `base`. One head is the
value; several are a conflict, and every machine shows the same winner, the head with the
highest ``(hlc, id)``. Applying is idempotent and order-independent (set union), so any replica
that has the same operations has the same tables. A join into an empty file takes
:func:`bulk_apply` (one pass in memory, each row inserted once), which a test checks equals
applying the operations one by one.

These functions work on a connection inside the caller's transaction; the
:class:`~kickoff_tui.store.ops.Store` holds the lock and opens it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.text import strip_controls
from kickoff_tui.store import schema
from kickoff_tui.store.connection import get_meta, put_meta
from kickoff_tui.store.errors import ReplicaClash
from kickoff_tui.store.ids import hlc_unpack
from kickoff_tui.store.opformat import _KINDS, CREATE, Op, _dumps, _encode_str, _validate, coerce

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: Clocks more than this far ahead of this machine's are never adopted (sync holds them back).
MAX_AHEAD_MS = 10 * 60 * 1000

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


# ---------------------------------------------------------------------- heads and conflicts


def heads(store: Store, table: str, row_id: str, fieldname: str) -> list[Op]:
    """A field's current heads, winner first, with values cleaned as the row keeps them."""
    rows = store.rows(
        "SELECT o.* FROM operation_head h JOIN operation o ON o.id = h.op_id "
        "WHERE h.tbl = ? AND h.row_id = ? AND h.field = ? ORDER BY o.hlc DESC, o.id DESC",
        (table, row_id, fieldname),
    )
    found = []
    for r in rows:
        op = Op.from_row(r)
        found.append(replace(op, value=coerce(table, fieldname, op.value)))
    return found


def conflicts(
    store: Store, table: str | None = None, row_id: str | None = None, *, moves: bool = False
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
    keys = store.rows(
        f"SELECT h.tbl, h.row_id, h.field FROM operation_head h {where} "
        "GROUP BY h.tbl, h.row_id, h.field HAVING count(*) > 1 "
        "ORDER BY h.tbl, h.row_id, h.field",
        params,
    )
    found = []
    for k in keys:
        if not moves and (k["tbl"], k["field"]) in MOVE_FIELDS:
            continue
        field_heads = tuple(heads(store, k["tbl"], k["row_id"], k["field"]))
        if len({_dumps(h.value) for h in field_heads}) > 1:
            found.append(Conflict(k["tbl"], k["row_id"], k["field"], field_heads))
    return found


def delete_conflicts(store: Store) -> list[DeleteConflict]:
    """Deleted rows that another replica edited without having seen the delete.

    An edit conflicts with a delete when the delete does not name it in its base (the
    deleter never saw it) and it came from another replica. Every replica finds the same
    ones, since it is computed from the operations alone.
    """
    pairs = store.rows(
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
                row = store.row("SELECT * FROM operation WHERE id = ?", (op_id,))
                assert row is not None  # named by a head a moment ago, in the same read
                ops[op_id] = Op.from_row(row)
        d = ops[p["d_id"]]
        by_row.setdefault((d.table, d.row_id), set()).add(p["e_id"])
    found = []
    for (table, row_id), edit_ids in sorted(by_row.items()):
        deletes = heads(store, table, row_id, "deleted")
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


# ---------------------------------------------------------------------- applying many


def apply_all(
    conn: sqlite3.Connection,
    ops: list[Op],
    *,
    checked: bool,
    failed: list[tuple[Op, str]],
    one_by_one: bool = False,
) -> list[Op]:
    """Apply `ops` (sorted by clock) inside the caller's transaction; return the new ones and
    move this machine's clock to the newest one seen (never one far ahead of this machine).

    `one_by_one`: each in a savepoint, and an operation the file refuses goes to `failed`
    (with why) while every other one applies. An empty file and many operations take
    :func:`bulk_apply`.
    """
    applied: list[Op] = []
    newest = get_meta(conn, "hlc")
    empty = conn.execute("SELECT 1 FROM operation LIMIT 1").fetchone() is None
    if one_by_one:
        for op in ops:
            conn.execute("SAVEPOINT one")
            try:
                if apply_one(conn, op, insert=True, checked=checked):
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
            applied = bulk_apply(conn, ops, checked=checked)
        finally:
            conn.execute(f"PRAGMA cache_size = {int(cache)}")
    else:
        applied = [op for op in ops if apply_one(conn, op, insert=True, checked=checked)]
    # The newest clock seen, compared as numbers; never one far ahead of this machine.
    limit = clock.now_ms() + MAX_AHEAD_MS
    for op in reversed(applied):
        stamp = hlc_unpack(op.hlc)
        if stamp[0] <= limit:
            if newest is None or stamp > hlc_unpack(newest):
                newest = op.hlc
            break
    if newest:
        put_meta(conn, {"hlc": newest})
    return applied


def rebuild(conn: sqlite3.Connection) -> None:
    """Make every table again from the operation log alone (inside the caller's transaction)."""
    for table in schema.TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM operation_head")
    conn.execute("DELETE FROM operation_base")
    for r in conn.execute("SELECT * FROM operation ORDER BY hlc, id").fetchall():
        apply_one(conn, Op.from_row(r), insert=False)


# ---------------------------------------------------------------------- applying one operation


def apply_one(
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


def bulk_apply(conn: sqlite3.Connection, ops: list[Op], *, checked: bool = False) -> list[Op]:
    """Apply `ops` (sorted by clock) to a workspace that has no operations yet.

    Computes in memory what :func:`apply_one` would leave one operation at a time (heads, the
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

        def clean(table: str, fieldname: str, value: Any) -> Any:
            if type(value) is str:
                return value if value.isprintable() else strip_controls(value)
            if type(value) is int and _KINDS.get((table, fieldname)) is float:
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
