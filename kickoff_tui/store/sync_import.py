"""Reading teammates' logs: every line untrusted, the unit of failure one line (or one log).

A log whose header doesn't name this workspace and its replica is refused whole; a line that
can't be read, names an unknown table or field, breaks a field's domain, carries an op id of
another replica, or has a clock too far ahead is kept in ``sync_held`` (per machine), reported
once and tried again on later syncs. Everything else is applied in one transaction per batch
(:meth:`Store.apply`), with how far each log was read (``sync.read:<log>``) committed with it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.store import schema
from kickoff_tui.store.errors import InvalidEdit, ReplicaClash, UnknownField
from kickoff_tui.store.merge import MAX_AHEAD_MS
from kickoff_tui.store.opformat import FORMAT, Op, log_line, read_op
from kickoff_tui.store.ops import Store
from kickoff_tui.store.sync_state import (
    K_READ,
    OPS_DIR,
    Problem,
    SyncError,
    SyncResult,
    _log_path,
    workspace_id,
)

#: An operation stamped more than MAX_AHEAD_MS ahead of this machine's clock waits (held back,
#: never applied and never adopted as this machine's clock) until this machine's time catches up.

#: Characters a replica id is made of; a log's file name starts with its replica id, followed
#: by anything else only when a sync client renamed a copy ("ana (conflicted copy).jsonl").
_REPLICA = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _code() -> str:
    """What this kickoff knows: lines held as unknown or impossible are tried again when it
    changes (an upgrade), and only then."""
    from kickoff_tui.rules import domains

    fields = sorted(f"{t}.{f}" for t, cols in schema.TABLES.items() for f in cols)
    text = "|".join(
        [
            str(FORMAT),
            *fields,
            repr(sorted(domains.CHOICES.items())),
            repr(sorted(domains.RANGES.items())),
        ]
    )
    return hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass
class _Held:
    """A line of a log that is not applied (yet): a row of the local table sync_held."""

    file: str
    start: int
    stop: int
    line: int
    kind: str  # unreadable | invalid | unknown | ahead | refused
    reason: str
    replica: str | None = None
    by: str | None = None
    ms: int | None = None
    raw: bytes = b""

    @property
    def problem(self) -> Problem:
        return Problem(f"{OPS_DIR}/{self.file}", max(self.line, 0), self.reason)


@dataclass
class _Batch:
    name: str
    ops: list[Op]
    meta: dict[str, str]
    held: list[_Held] = field(default_factory=list)
    #: (file, start) of sync_held rows settled by this batch; start None: every row of the file.
    done: list[tuple[str, int | None]] = field(default_factory=list)
    #: Where the new lines were read from: (byte offset, number of the first line).
    read_at: tuple[int, int] = (0, 0)


@dataclass
class _Reader:
    """Reads the lines of one log into operations and held lines."""

    store: Store
    name: str
    replica: str
    wsid: str
    now_ms: int
    batch: _Batch

    def line(self, raw: bytes, start: int, n: int) -> bool:
        """Take one complete line (without its newline) at byte `start`; False refuses the log."""
        raw = raw.rstrip(b"\r")
        stop = start + len(raw) + 1
        d = None
        if raw[:1] == b"{" and raw[-1:] == b"}":  # the usual line: see _scan
            try:
                text = raw.decode("utf-8")
                d, end = _scan(text, 0)
                if end != len(text):
                    d = None
            except (UnicodeDecodeError, ValueError, StopIteration, RecursionError):
                d = None
        if d is None:
            if not raw.strip():
                return True
            try:
                d = json.loads(raw)  # bytes: UTF-8 is decoded by the parser
            except (UnicodeDecodeError, ValueError, RecursionError):
                self.hold(start, stop, n, "unreadable", "not a JSON line; skipped", raw)
                return True
        if isinstance(d, dict) and "kickoff" in d:
            if d.get("workspace") != self.wsid:
                self.batch.held.append(
                    _Held(
                        self.name,
                        -1,
                        0,
                        n,
                        "refused",
                        "belongs to another workspace; the whole log was refused",
                    )
                )
                return False
            return True
        try:
            if not isinstance(d, dict):
                raise InvalidEdit("not an operation")
            op = read_op(d)
        except UnknownField as exc:
            self.hold(
                start,
                stop,
                n,
                "unknown",
                f"{exc.message.rstrip('.')} (from a newer kickoff?); kept until an upgrade",
                raw,
            )
            return True
        except InvalidEdit as exc:
            self.hold(start, stop, n, "invalid", f"{exc.message.rstrip('.')}; quarantined", raw)
            return True
        except (RecursionError, MemoryError, OverflowError):
            self.hold(start, stop, n, "invalid", "not an operation; quarantined", raw)
            return True
        if op.replica != self.replica:
            self.hold(
                start,
                stop,
                n,
                "invalid",
                f"operation {op.id} does not belong to this log (it is {self.replica}'s); "
                "quarantined",
                raw,
            )
            return True
        if op.replica == self.store.replica:
            mine = self.store.row("SELECT * FROM operation WHERE id = ?", (op.id,))
            if mine is not None and log_line(Op.from_row(mine)) == log_line(op):
                return True  # a copy of my own log (a sync client's "conflicted copy")
            raise ReplicaClash(
                f"{OPS_DIR}/{self.name}:{n} carries operation {op.id} of this machine's own "
                "replica: two machines are using the same replica id. Give one of them a fresh "
                "copy with `kickoff sync join`."
            )
        ms = int(op.hlc[:15])
        if ms > self.now_ms + MAX_AHEAD_MS:
            self.batch.held.append(
                _Held(
                    self.name,
                    start,
                    stop,
                    n,
                    "ahead",
                    "stamped by a clock running ahead; waits",
                    op.replica,
                    op.by or op.replica,
                    ms,
                    raw,
                )
            )
            return True
        self.batch.ops.append(op)
        return True

    def hold(self, start: int, stop: int, n: int, kind: str, reason: str, raw: bytes) -> None:
        self.batch.held.append(
            _Held(
                self.name,
                start,
                stop,
                n,
                kind,
                reason,
                self.replica,
                None,
                None,
                bytes(raw[:100_000]),
            )
        )

    def lines(self, data: bytes, offset: int, first: int) -> bool:
        """Take every complete line of `data` (read at byte `offset`; line numbers from `first`).

        The usual line (one UTF-8 object this program wrote, of this log's replica, on time)
        goes straight through here; any other takes :meth:`line`, which says why."""
        pos, n = 0, first
        take, scan, read = self.line, _scan, read_op
        ops = self.batch.ops
        replica = self.replica if self.replica != self.store.replica else None
        limit = self.now_ms + MAX_AHEAD_MS
        for raw in data.split(b"\n")[:-1]:
            op = None
            if raw[:1] == b"{" and raw[-1:] == b"}":
                try:
                    text = raw.decode("utf-8")
                    d, end = scan(text, 0)
                    if (
                        end == len(text)
                        and type(d) is dict
                        and "kickoff" not in d
                        and b"\\ud" not in raw
                        and b"\\uD" not in raw
                    ):
                        op = read(d, unicode_checked=True)
                except (UnicodeDecodeError, ValueError, StopIteration, RecursionError, InvalidEdit):
                    op = None
            if op is not None and op.id.rpartition(":")[0] == replica and int(op.hlc[:15]) <= limit:
                ops.append(op)
            elif not take(raw, offset + pos, n):
                return False
            pos += len(raw) + 1
            n += 1
        return True


def _log_replica(name: str, header: Any, wsid: str) -> tuple[str | None, str]:
    """(the replica whose log this is, '') or (None, why the whole log is refused)."""
    if not isinstance(header, dict) or header.get("kickoff") != "ops":
        return None, "does not start with a kickoff header; the whole log was refused"
    if header.get("workspace") != wsid:
        return None, "belongs to another workspace; the whole log was refused"
    fmt = header.get("format", FORMAT)
    if type(fmt) is not int or fmt > FORMAT:
        return None, "was written by a newer kickoff; upgrade to read it"
    stem = name[: -len(".jsonl")]
    replica = header.get("replica")
    if replica is None:
        found = _REPLICA.match(stem)
        replica = found.group(0) if found else None
    rest = stem[len(replica) :] if isinstance(replica, str) and stem.startswith(replica) else None
    if (
        not isinstance(replica, str)
        or not _REPLICA.fullmatch(replica)
        or rest is None
        or (rest and (rest[0] == "_" or (rest[0].isascii() and rest[0].isalnum())))
    ):
        return None, (
            f"its header names replica {str(replica)[:40]!r}, not the one in its file "
            "name; the whole log was refused"
        )
    return replica, ""


def _read_log(store: Store, path: Path, wsid: str, now_ms: int) -> _Batch | None:
    """The complete new lines of one log, as operations and held lines; None when nothing new."""
    name = path.name
    key = K_READ + name
    offset, lines, replica = 0, 0, ""
    saved = store.meta(key)
    if saved:
        parts = saved.split(" ")
        offset, lines = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        replica = parts[2] if len(parts) > 2 else ""
    batch = _Batch(name, [], {})
    try:
        size = path.stat().st_size
        if size == offset:
            return None
        if size < offset:  # replaced by a shorter file: read it again (applying is idempotent)
            offset, lines, replica = 0, 0, ""
            batch.done.append((name, None))
        with path.open("rb") as f:
            if offset == 0 or not replica:
                head = f.readline(1 << 20)
                if not head.endswith(b"\n"):
                    return None  # the header is not complete yet
                try:
                    header = json.loads(head)
                except (ValueError, RecursionError):
                    header = None
                found, why = _log_replica(name, header, wsid)
                if found is None:
                    if (
                        store.row(
                            "SELECT 1 FROM sync_held WHERE file = ? AND start = -1 AND reason = ?",
                            (name, why),
                        )
                        is not None
                    ):
                        return None  # refused before, and told then
                    batch.held.append(_Held(name, -1, 0, 1, "refused", why))
                    batch.meta, batch.ops = {}, []
                    return batch
                replica = found
                batch.done.append((name, -1))
                if offset == 0:
                    offset, lines = len(head), 1
            f.seek(offset)
            data = f.read()
    except OSError as exc:
        batch.held.append(
            _Held(name, -1, 0, 0, "refused", f"can't be read ({exc.strerror or exc})")
        )
        return batch
    end = data.rfind(b"\n") + 1  # a torn last line waits until it is complete
    reader = _Reader(store, name, replica, wsid, now_ms, batch)
    if end and not reader.lines(data[:end], offset, lines + 1):
        batch.ops, batch.meta = [], {}
        batch.held = [h for h in batch.held if h.kind == "refused"]
        return batch
    read = data[:end].count(b"\n")
    batch.meta = {key: f"{offset + end} {lines + read} {replica}"}
    batch.read_at = (offset, lines + 1)
    return batch


def _retry(store: Store, folder: Path, wsid: str, now_ms: int, code: str) -> list[_Batch]:
    """Held lines that may go through now: unreadable ones read again from their file, those
    stamped ahead once this clock caught up, unknown or impossible ones after an upgrade."""
    rows = store.rows(
        "SELECT file, start, stop, line, kind, raw, replica FROM sync_held WHERE start >= 0 AND "
        "(kind = 'unreadable' OR (kind = 'ahead' AND ms <= ?) "
        " OR (kind IN ('unknown', 'invalid') AND code IS NOT ?)) ORDER BY file, start",
        (now_ms + MAX_AHEAD_MS, code),
    )
    batches: dict[str, _Batch] = {}
    for r in rows:
        name = r["file"]
        batch = batches.get(name)
        if batch is None:
            batch = batches[name] = _Batch(name, [], {})
        raw = bytes(r["raw"] or b"")
        if r["kind"] == "unreadable":
            try:
                with (folder / OPS_DIR / name).open("rb") as f:
                    f.seek(r["start"])
                    now = f.read(r["stop"] - r["start"])
            except OSError:
                continue
            if now.rstrip(b"\n").rstrip(b"\r") == raw or not now.endswith(b"\n"):
                continue  # still as it was
            raw_region = now
        else:
            raw_region = raw + b"\n"
        batch.done.append((name, r["start"]))
        reader = _Reader(store, name, r["replica"] or "", wsid, now_ms, batch)
        try:
            reader.lines(raw_region, r["start"], r["line"])
        except ReplicaClash:
            batch.done.pop()
    return list(batches.values())


#: json.loads without its per-call checks, for the usual line: one UTF-8 object and nothing
#: around it. Any other line (other encodings, a BOM, spaces, junk) goes through json.loads
#: itself, so what parses and what is refused stays exactly as json.loads decides.
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # CPython's, not in typeshed


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_on = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a join makes ~10 objects per operation and
    none of them cyclic, and collections of a growing heap cost a third of its time.
    Counted, so overlapping syncs in two threads leave the collector as they found it."""
    global _gc_pauses, _gc_was_on
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_on = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_on:
                gc.enable()


def import_logs(store: Store, folder: Path, result: SyncResult | None = None) -> SyncResult:
    """Read every other log from where it stopped and apply what is new."""
    with _gc_paused():
        return _import_logs(store, folder, result or SyncResult())


def _import_logs(store: Store, folder: Path, result: SyncResult) -> SyncResult:
    wsid = workspace_id(store) or ""
    mine = _log_path(folder, store.replica).name
    try:
        paths = sorted(p for p in (folder / OPS_DIR).glob("*.jsonl") if p.name != mine)
    except OSError as exc:
        raise SyncError(f"Can't read {folder / OPS_DIR}: {exc.strerror or exc}.") from None
    now_ms = clock.now_ms()
    code = _code()
    batches = []
    if store.row("SELECT 1 FROM sync_held WHERE start >= 0 LIMIT 1") is not None:
        batches += _retry(store, folder, wsid, now_ms, code)
    for p in paths:
        try:
            p.name.encode("utf-8")
        except UnicodeEncodeError:
            shown = p.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            batches.append(
                _Batch(
                    shown,
                    [],
                    {},
                    [
                        _Held(
                            shown,
                            -1,
                            0,
                            0,
                            "refused",
                            "its file name is not valid UTF-8; the whole log was refused (rename it)",
                        )
                    ],
                )
            )
            continue
        try:
            batch = _read_log(store, p, wsid, now_ms)
        except ReplicaClash as exc:
            result.clashes.append(exc.message)
            continue
        if batch is not None:
            batches.append(batch)
    if not batches:
        return result
    failed: list[tuple[Op, str]] = []
    applied = _apply_batches(store, folder, batches, code, result, failed)
    result.applied += len(applied)
    txs: dict[str, str] = {}
    for op in applied:
        txs.setdefault(op.tx or op.id, op.by or op.replica)
    result.changes.update(txs.values())
    return result


def _apply_batches(
    store: Store,
    folder: Path,
    batches: list[_Batch],
    code: str,
    result: SyncResult,
    failed: list[tuple[Op, str]],
) -> list[Op]:
    """Apply every batch's operations with its read offsets and held lines, in one
    transaction; a log whose operation ids clash is refused and the others still apply; an
    operation the file refuses is quarantined and every other one applies."""

    def record(conn: Any, failed: list[tuple[Op, str]], kept: list[_Batch]) -> None:
        new: list[_Held] = []
        again = {d for b in kept for d in b.done}
        for b in kept:
            for name, start in b.done:
                if start is None:
                    conn.execute("DELETE FROM sync_held WHERE file = ?", (name,))
                else:
                    conn.execute(
                        "DELETE FROM sync_held WHERE file = ? AND start = ?", (name, start)
                    )
            new += b.held
        for op, why in failed:
            holder = next((b for b in kept if op in b.ops), None)
            name, n, start = _locate(folder, holder, op) if holder else ("?", 0, 0)
            new.append(
                _Held(
                    name,
                    start,
                    start + 1,
                    n,
                    "invalid",
                    f"operation {op.id} can't be stored here ({why}); quarantined",
                    op.replica,
                    op.by,
                    None,
                    log_line(op)[:-1],
                )
            )
        for h in new:
            cur = conn.execute(
                "INSERT OR IGNORE INTO sync_held (file, start, stop, line, kind, reason, replica, "
                "by, ms, code, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    h.file,
                    h.start,
                    h.stop,
                    h.line,
                    h.kind,
                    h.reason,
                    h.replica,
                    h.by,
                    h.ms,
                    code,
                    h.raw,
                ),
            )
            if cur.rowcount and h.kind != "ahead" and (h.file, h.start) not in again:
                result.problems.append(h.problem)
            elif not cur.rowcount and h.kind in ("unknown", "invalid"):
                conn.execute(
                    "UPDATE sync_held SET code = ? WHERE file = ? AND start = ?",
                    (code, h.file, h.start),
                )

    try:
        return store.apply(
            [o for b in batches for o in b.ops],
            checked=True,
            meta={k: v for b in batches for k, v in b.meta.items()},
            failed=failed,
            before_commit=lambda conn, f: record(conn, f, batches),
        )
    except ReplicaClash:
        applied: list[Op] = []
        for b in batches:  # find the log that clashes; the others still import

            def record_this(conn: Any, f: list[tuple[Op, str]], b: _Batch = b) -> None:
                record(conn, f, [b])

            try:
                applied += store.apply(
                    b.ops,
                    meta=b.meta,
                    checked=True,
                    failed=failed,
                    before_commit=record_this,
                )
            except ReplicaClash as exc:
                result.clashes.append(f"{OPS_DIR}/{b.name}: {exc.message}")
        return applied


def _locate(folder: Path, batch: _Batch, op: Op) -> tuple[str, int, int]:
    """(file, line, byte offset) of `op` in the lines `batch` read (an operation the file
    refused at apply time, rare enough to look for again rather than note every line's place)."""
    offset, n = batch.read_at
    try:
        with (folder / OPS_DIR / batch.name).open("rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return batch.name, 0, -2
    needle = op.id.encode("utf-8", "replace")
    for raw in data.split(b"\n"):
        if needle in raw:
            try:
                if json.loads(raw).get("id") == op.id:
                    return batch.name, n, offset
            except (ValueError, AttributeError, RecursionError):
                pass
        offset += len(raw) + 1
        n += 1
    return batch.name, 0, -2


def held(store: Store) -> list[Problem]:
    """Lines of teammates' logs not applied here (quarantined, unreadable, from a newer
    kickoff, or refused logs), as `ops/<file>:LINE: why`; clocks ahead are in :func:`ahead`."""
    return [
        Problem(f"{OPS_DIR}/{r[0]}", max(r[1], 0), r[2])
        for r in store.rows(
            "SELECT file, line, reason FROM sync_held WHERE kind <> 'ahead' ORDER BY file, line"
        )
    ]


def ahead(store: Store) -> list[str]:
    """One sentence per teammate whose changes wait because their clock runs ahead."""
    now = clock.now_ms()
    waiting: dict[str, tuple[set[str], int]] = {}
    for who, raw, ms in store.rows(
        "SELECT coalesce(by, replica), raw, ms FROM sync_held WHERE kind = 'ahead'"
    ):
        try:
            d = json.loads(raw)
            tx = str(d.get("tx") or d.get("id"))
        except (ValueError, AttributeError, RecursionError):
            tx = str(ms)
        txs, latest = waiting.get(who, (set(), 0))
        txs.add(tx)
        waiting[who] = (txs, max(latest, ms))
    sentences = []
    for who, (txs, ms) in sorted(waiting.items()):
        n = len(txs)
        sentences.append(
            f"{who}'s clock is {_span(ms - now)} ahead; their {n} change{'s' if n != 1 else ''} "
            "wait until then or until they fix it."
            if n != 1
            else f"{who}'s clock is {_span(ms - now)} ahead; their change waits until then or until "
            "they fix it."
        )
    return sentences


def _span(ms: int) -> str:
    minutes = max(1, round(ms / 60_000))
    for unit, size in (("year", 525_960), ("day", 1440), ("hour", 60)):
        if minutes >= size:
            n = round(minutes / size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
