"""Sync through a shared folder or a git repository: one append-only log per replica.

A *sync folder* holds ``workspace.toml`` (which workspace this is) and ``ops/<replica>.jsonl``,
one JSON-lines log per replica. Only its owner ever writes a log, so files never conflict
(no git merge driver, never two writers on one file of a shared drive). Each log starts with a
header line naming the workspace; every other line is one operation (:meth:`Op.to_dict`).

Sync = append my new operations to my log (fsync'd), read everyone else's logs from where I
stopped, apply them (set union: :meth:`Store.apply` is idempotent and order-independent).
A torn last line (a crash, a half-synced file) is left for next time; a malformed line is
reported with file and line and skipped, and the rest still imports. A log is untrusted input:
every operation goes through :func:`ops.validate` (known tables and fields, typed values).

When the sync folder is inside a git work tree, :func:`sync` also commits the folder, pulls,
imports and pushes (retrying once when the push is rejected).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import stat
import subprocess
import threading
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.store import schema
from kickoff_tui.store.errors import InvalidEdit, ReplicaClash, StoreError, UnknownField
from kickoff_tui.store.connection import get_meta, put_meta
from kickoff_tui.store.merge import MAX_AHEAD_MS
from kickoff_tui.store.opformat import FORMAT, Op, log_header, log_line, read_op
from kickoff_tui.store.ops import Store

WORKSPACE_FILE = "workspace.toml"
OPS_DIR = "ops"

#: local_meta keys (per machine, never synced).
K_DIR, K_KIND, K_WSID = "sync.dir", "sync.kind", "sync.workspace_id"
K_SEQ, K_SIZE = "sync.exported_seq", "sync.export_size"
K_LAST_AT, K_LAST_STATE = "sync.last_at", "sync.last_state"
K_CONFLICTS = "sync.conflicts"  # the count at the last sync
K_READ = "sync.read:"  # + log file name -> "<byte offset> <lines read>"

GIT_TIMEOUT = 60
#: workspace.toml is a few lines; anything bigger is not read.
MAX_WORKSPACE_FILE = 64_000


class SyncError(StoreError):
    """A sync that could not happen, in one sentence."""

    exit_code = 11


class GitError(SyncError):
    exit_code = 12


@dataclass(frozen=True)
class Problem:
    """A line of a log that was skipped (or a whole log that was refused)."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.reason}"
            if self.line
            else f"{self.file}: {self.reason}"
        )


@dataclass
class SyncResult:
    """What one sync did."""

    exported: int = 0
    #: person -> number of changes (edits, i.e. transactions) that came in from them.
    changes: Counter = field(default_factory=Counter)
    applied: int = 0
    conflicts: int = 0
    settled: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Logs refused because an operation id came back with other content.
    clashes: list[str] = field(default_factory=list)
    #: "ana's clock is 3 days ahead; …": teammates whose changes wait for this clock.
    waiting: list[str] = field(default_factory=list)
    #: Lines held back here (quarantined, unreadable, unknown, refused logs), old ones included.
    held: int = 0
    git: str = ""

    def summary(self, *, operations: bool = False) -> str:
        """'12 changes from ana, 3 from ben; 1 conflict' (or 'nothing new').

        A change is one edit (a save, a move); `operations` adds how many operations (one per
        field and row written) they were, the unit `kickoff sync init` reports as exported:
        '65 changes from ana (324 operations)'.
        """
        parts = []
        for n, (who, count) in enumerate(
            sorted(self.changes.items(), key=lambda kv: (-kv[1], kv[0]))
        ):
            noun = ("change" if count == 1 else "changes") if n == 0 else ""
            parts.append(f"{count} {noun} from {who}".replace("  ", " "))
        text = ", ".join(parts) if parts else "nothing new"
        if operations and self.applied:
            text += f" ({self.applied} operation{'s' if self.applied != 1 else ''})"
        if self.conflicts:
            text += f"; {self.conflicts} conflict{'s' if self.conflicts != 1 else ''}"
        if self.settled:
            text += f"; {self.settled} simultaneous move{'s' if self.settled != 1 else ''} settled"
        return text


# ---------------------------------------------------------------------- the folder


def workspace_id(store: Store) -> str | None:
    """The id that names this workspace in a sync folder (its workspace row's id)."""
    found = store.meta(K_WSID)
    if found:
        return found
    row = store.row("SELECT id FROM workspace ORDER BY created_at, id LIMIT 1")
    return None if row is None else row[0]


def read_folder(folder: Path) -> dict[str, Any]:
    """The folder's workspace.toml, or SyncError if it isn't a kickoff sync folder."""
    path = folder / WORKSPACE_FILE
    if not folder.is_dir():
        raise SyncError(f"The sync folder {folder} is not there (is the drive mounted?).")
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or /dev/zero would never end
            raise SyncError(f"{path} is not a regular file, so this is not a usable sync folder.")
        with path.open("rb") as f:
            raw = f.read(MAX_WORKSPACE_FILE + 1)
        if len(raw) > MAX_WORKSPACE_FILE:
            raise SyncError(
                f"{path} is over {MAX_WORKSPACE_FILE // 1000} KB; a real one is a "
                "few lines, so it was not read."
            )
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise SyncError(
            f"{folder} is not a kickoff sync folder (it has no {WORKSPACE_FILE}); "
            f"make one with `kickoff sync init {folder}`."
        ) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise SyncError(f"Can't read {path}: {why}.") from None
    if not isinstance(data.get("workspace_id"), str) or not data["workspace_id"].strip():
        raise SyncError(f"{path} does not name a workspace (no workspace_id).")
    fmt = data.get("format", FORMAT)
    if type(fmt) is not int:
        raise SyncError(
            f"{path} has format = {fmt!r}, not a number; it was not written by kickoff."
        )
    if fmt > FORMAT:
        raise SyncError(f"{folder} was made by a newer kickoff; upgrade to sync with it.")
    if not isinstance(data.get("name", ""), str):
        data["name"] = ""  # only ever shown; a wrong type is no reason to stop
    return data


def _write_toml(path: Path, data: dict[str, Any]) -> None:
    import tomli_w

    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)


def attach(store: Store, folder: Path | str) -> Path:
    """Attach the workspace to `folder`, creating workspace.toml and ops/ if it is new.

    A folder that already belongs to this workspace is re-attached; one of another
    workspace is refused (join it into a new file instead).
    """
    folder = Path(folder).expanduser().resolve()
    wsid = workspace_id(store)
    if wsid is None:
        raise SyncError(f"{store.path.name} has no workspace yet, so there is nothing to share.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / WORKSPACE_FILE).exists():
            data = read_folder(folder)
            if data["workspace_id"] != wsid:
                raise SyncError(
                    f"{folder} already holds another workspace ({data.get('name') or '?'}); "
                    f"get a copy of it with `kickoff sync join {folder} --db NEW.db`, "
                    "or pick an empty folder."
                )
        else:
            ws = store.workspace()
            _write_toml(
                folder / WORKSPACE_FILE,
                {
                    "format": FORMAT,
                    "workspace_id": wsid,
                    "name": ws.get("name") or "",
                    "created_at": clock.iso(),
                    "created_by": store.actor,
                },
            )
        (folder / OPS_DIR).mkdir(exist_ok=True)
    except OSError as exc:
        raise SyncError(f"Can't set up the sync folder {folder}: {exc.strerror or exc}.") from None
    fresh: dict[str, str | None] = {}
    if store.meta(K_DIR) not in (None, str(folder)):
        # Another folder than before: what was read and written there says nothing here.
        fresh = {
            r[0]: None
            for r in store.rows("SELECT key FROM local_meta WHERE key LIKE 'sync.read:%'")
        }
        fresh.update({K_SEQ: None, K_SIZE: None, K_CONFLICTS: None})
    store.set_metas(
        {
            **fresh,
            K_DIR: str(folder),
            K_KIND: "git" if git_root(folder) else "folder",
            K_WSID: wsid,
        }
    )
    return folder


def join(
    folder: Path | str, db: Path | str, *, actor: str | None = None
) -> tuple[Store, SyncResult]:
    """Make a new workspace file at `db` from the logs in `folder` and keep it attached."""
    folder = Path(folder).expanduser().resolve()
    db = Path(db).expanduser()
    if db.exists():
        raise SyncError(
            f"{db} already exists; kickoff never overwrites a file. Give another path with --db."
        )
    if not db.parent.exists():
        raise SyncError(f"Can't create {db}: the folder {db.parent} does not exist.")
    root = git_root(folder)
    if root is not None:
        _git_pull(root)  # the newest logs before reading workspace.toml
    data = read_folder(folder)
    from kickoff_tui.store.workspace import built_aside, checkpoint_and_close

    # Built at <db>.partial and moved into place when complete: a kill half way leaves no
    # empty workspace that `check` calls fine and a second `join` refuses to replace.
    with built_aside(db) as partial:
        store = Store(partial, create=True, actor=actor)
        try:
            store.set_metas(
                {
                    **({"actor": actor} if actor else {}),
                    K_DIR: str(folder),
                    K_KIND: "git" if root else "folder",
                    K_WSID: data["workspace_id"],
                }
            )
            result = sync(store, pull=False)
            if store.row("SELECT 1 FROM workspace LIMIT 1") is None:
                raise SyncError(
                    f"{folder} has no operations yet; ask its owner to run `kickoff sync`."
                )
        finally:
            checkpoint_and_close(store)
    return Store(db, actor=actor), result


def folder_of(store: Store) -> Path | None:
    found = store.meta(K_DIR)
    return Path(found) if found else None


# ---------------------------------------------------------------------- export


def _log_path(folder: Path, replica: str) -> Path:
    return folder / OPS_DIR / f"{replica}.jsonl"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def export(store: Store, folder: Path) -> int:
    """Append my operations not yet in my log, fsync'd; return how many were written.

    Runs inside a write transaction on the workspace, so two programs on one file never
    append the same operations twice. A log that grew without us (a crash between writing
    and recording, or another machine with our replica id) is checked line by line first.
    """
    path = _log_path(folder, store.replica)
    wsid = workspace_id(store) or ""
    with store.atomic() as conn:
        seq = int(get_meta(conn, K_SEQ) or 0)
        saved = int(get_meta(conn, K_SIZE) or 0)
        size = path.stat().st_size if path.exists() else 0
        if size != saved or (size == 0 and seq):
            seq, size = _reconcile(store, conn, path, size)
        rows = conn.execute(
            "SELECT * FROM operation WHERE replica = ? AND seq > ? ORDER BY seq",
            (store.replica, seq),
        ).fetchall()
        if not rows and size:
            if size != saved:
                put_meta(conn, {K_SEQ: str(seq), K_SIZE: str(size)})
            return 0
        ops = [Op.from_row(r) for r in rows]
        data = b"".join(log_line(o) for o in ops)
        if size == 0:
            data = log_header(wsid, store.replica) + data
        try:
            new_file = not path.exists()
            with path.open("ab") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if new_file:
                _fsync_dir(path.parent)
        except OSError as exc:
            raise SyncError(f"Can't write {path}: {exc.strerror or exc}.") from None
        last = ops[-1].seq if ops else seq
        put_meta(conn, {K_SEQ: str(last), K_SIZE: str(size + len(data))})
    return len(ops)


def _reconcile(store: Store, conn: Any, path: Path, size: int) -> tuple[int, int]:
    """Read my own log back: every line must be mine and match what this workspace holds.

    Returns (highest seq in it, its size after dropping a torn last line).
    """
    if size == 0:
        return 0, 0
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    seq = 0
    for n, raw in enumerate(data[:end].split(b"\n")[:-1], start=1):
        try:
            d = json.loads(raw.decode("utf-8"))
            if isinstance(d, dict) and "kickoff" in d:
                continue
            op = Op.from_dict(d)
        except (ValueError, InvalidEdit):
            raise SyncError(
                f"{_rel(path)}:{n} is damaged; this machine's own log can't be read."
            ) from None
        mine = conn.execute("SELECT * FROM operation WHERE id = ?", (op.id,)).fetchone()
        if (
            op.replica != store.replica
            or mine is None
            or log_line(Op.from_row(mine)) != log_line(op)
        ):
            raise ReplicaClash(
                f"{_rel(path)} holds operations this workspace did not write: two machines are "
                "using the same replica id. Give one of them a fresh copy with `kickoff sync join`."
            )
        seq = max(seq, op.seq)
    if end != len(data):  # a torn last line from a crash mid-write: only we write here
        with path.open("r+b") as f:
            f.truncate(end)
            f.flush()
            os.fsync(f.fileno())
    return seq, end


def _rel(path: Path) -> str:
    return f"{OPS_DIR}/{path.name}"


# ---------------------------------------------------------------------- import


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
_scan = json.JSONDecoder().scan_once


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
            b = next((b for b in kept if op in b.ops), None)
            name, n, start = _locate(folder, b, op) if b else ("?", 0, 0)
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
            try:
                applied += store.apply(
                    b.ops,
                    meta=b.meta,
                    checked=True,
                    failed=failed,
                    before_commit=lambda conn, f, b=b: record(conn, f, [b]),
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


# ---------------------------------------------------------------------- sync


def sync(store: Store, *, pull: bool = True) -> SyncResult:
    """Export, (git: commit and pull), import, (git: push); record the time and state."""
    folder = folder_of(store)
    if folder is None:
        raise SyncError(
            f"{store.path.name} has no sync folder; attach one with `kickoff sync init DIR`."
        )
    try:
        result = _sync(store, folder, pull=pull)
    except StoreError as exc:
        _record(store, f"failed: {exc.message}")
        raise
    state = "ok"
    if result.clashes:
        state = "refused a log: " + result.clashes[0]
    elif result.problems:
        state = (
            f"ok, {len(result.problems)} bad line{'s' if len(result.problems) != 1 else ''} skipped"
        )
    _record(store, state)
    return result


def _record(store: Store, state: str) -> None:
    try:
        store.set_metas({K_LAST_AT: clock.iso(), K_LAST_STATE: state})
    except StoreError:
        pass


def _sync(store: Store, folder: Path, *, pull: bool) -> SyncResult:
    data = read_folder(folder)
    wsid = workspace_id(store)
    if wsid and data["workspace_id"] != wsid:
        raise SyncError(
            f"{folder} holds another workspace ({data.get('name') or '?'}), not this one; "
            "nothing was synced."
        )
    result = SyncResult()
    root = git_root(folder) if store.meta(K_KIND) == "git" else None
    result.exported = export(store, folder)
    if root is not None:
        _git_commit(root, folder, store)
        if pull:
            _git_pull(root)
    import_logs(store, folder, result)
    if result.applied:
        from kickoff_tui.store import standups

        result.settled = len(store.settle_moves())
        merged = standups.settle_duplicates(store)
        if result.settled or merged:
            result.exported += export(store, folder)
            if root is not None:
                _git_commit(root, folder, store)
    if root is not None:
        result.git = _git_push(root, folder, store, result)
    result.conflicts = _conflict_count(store, changed=bool(result.applied or result.exported))
    if store.row("SELECT 1 FROM sync_held LIMIT 1") is not None:
        result.waiting = ahead(store)
        result.held = store.row("SELECT count(*) FROM sync_held WHERE kind <> 'ahead'")[0]
    return result


def _conflict_count(store: Store, *, changed: bool) -> int:
    """How many conflicts are open; counted again only when operations came or went."""
    known = store.meta(K_CONFLICTS)
    if known is not None and not changed:
        return int(known)
    count = len(store.conflicts()) + len(store.delete_conflicts())
    store.set_meta(K_CONFLICTS, str(count))
    return count


def status(store: Store) -> tuple[str | None, str | None]:
    """(last sync time ISO, its state) as recorded on this machine."""
    return store.meta(K_LAST_AT), store.meta(K_LAST_STATE)


# ---------------------------------------------------------------------- git


def _git(root: Path | str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password on a terminal
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed, so a sync folder inside a git repository can't sync."
        ) from None
    except subprocess.TimeoutExpired:
        raise GitError(
            f"git {args[0]} took over {GIT_TIMEOUT} s (is the remote reachable?); nothing was imported."
        ) from None
    if check and done.returncode != 0:
        raise GitError(_git_sentence(args[0], done.stderr or done.stdout))
    return done


def git_root(folder: Path) -> Path | None:
    """The top of the git work tree `folder` (or its nearest existing parent) is in, or None."""
    folder = Path(folder)
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    try:
        done = _git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    if done.returncode != 0:
        return None
    return Path(done.stdout.strip())


def _git_sentence(cmd: str, stderr: str) -> str:
    text = stderr.lower()
    if "no remote" in text or "no configured push destination" in text or "no such remote" in text:
        return (
            "The git repository has no remote to sync with; add one with "
            "`git remote add origin URL`, then run `kickoff sync` again."
        )
    if (
        "does not appear to be a git repository" in text
        or "repository not found" in text
        or ("not found" in text and "repository" in text)
    ):
        return "The git remote can't be found (check `git remote -v`); nothing was imported."
    if (
        "authentication failed" in text
        or "permission denied" in text
        or "could not read username" in text
        or "terminal prompts disabled" in text
    ):
        return "git could not log in to the remote (check your credentials or SSH key); nothing was imported."
    if (
        "could not resolve host" in text
        or "unable to access" in text
        or "connection refused" in text
        or "timed out" in text
        or "network is unreachable" in text
    ):
        return "The git remote can't be reached (offline?); your changes are saved locally and will sync next time."
    if "would be overwritten" in text or "conflict" in text or "unmerged" in text:
        return (
            f"git {cmd} stopped on changes outside the sync folder (a merge conflict or "
            "uncommitted files); settle them in git, then run `kickoff sync` again."
        )
    if "please tell me who you are" in text:
        return (
            "git needs your name and email first: `git config --global user.email you@example.com`."
        )
    last = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    detail = last[-1] if last else "no message"
    return f"git {cmd} failed ({detail}); nothing was imported."


def _git_commit(root: Path, folder: Path, store: Store) -> bool:
    rel = os.path.relpath(folder, root)
    _git(root, "add", "-A", "--", rel)
    if _git(root, "diff", "--cached", "--quiet", "--", rel, check=False).returncode == 0:
        return False
    ident: list[str] = []
    if not _git(root, "config", "user.email", check=False).stdout.strip():
        ident = [
            "-c",
            f"user.name={store.actor}",
            "-c",
            f"user.email={store.actor}@kickoff.invalid",
        ]
    _git(
        root,
        *ident,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        f"kickoff sync: {store.actor} ({store.replica})",
        "--",
        rel,
    )
    return True


def _upstream(root: Path) -> tuple[str, str] | None:
    """(remote, branch) to pull from and push to; None when the branch has no remote yet."""
    done = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
    if done.returncode == 0 and "/" in done.stdout.strip():
        remote, _, branch = done.stdout.strip().partition("/")
        return remote, branch
    return None


def _branch(root: Path) -> str:
    done = _git(root, "symbolic-ref", "--short", "HEAD", check=False)
    return done.stdout.strip() or "main"


def _remote(root: Path) -> str:
    remotes = _git(root, "remote").stdout.split()
    if not remotes:
        raise GitError(_git_sentence("pull", "no remote"))
    return "origin" if "origin" in remotes else remotes[0]


def _git_pull(root: Path) -> None:
    up = _upstream(root)
    if up is None:
        remote, branch = _remote(root), _branch(root)
        heads = _git(root, "ls-remote", "--heads", remote, branch).stdout
        if not heads.strip():
            return  # an empty remote: the first push creates the branch
        args = ["pull", "-q", "--no-rebase", "--no-edit", remote, branch]
    else:
        args = ["pull", "-q", "--no-rebase", "--no-edit"]
    done = _git(root, *args, check=False)
    if done.returncode != 0:
        _merge_conflict(root)
        raise GitError(_git_sentence("pull", done.stderr or done.stdout))


def _merge_conflict(root: Path) -> None:
    """After a failed pull: if git stopped mid-merge, undo the merge (the clone is left as it
    was) and raise the sentence that fits. A conflict in a log means two machines wrote one
    log, i.e. they share a replica id (a copied .db): the documented replica clash."""
    unmerged = _git(root, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
    if not unmerged:
        return
    _git(root, "merge", "--abort", check=False)
    logs = [p for p in unmerged if p.endswith(".jsonl") and f"/{OPS_DIR}/" in f"/{p}"]
    if logs:
        raise ReplicaClash(
            f"{logs[0]} was written on two machines: they are using the same replica id (a "
            "copied workspace file). Give one of them a fresh copy with `kickoff sync join`; "
            "the git merge was undone."
        )
    raise GitError(
        f"git pull stopped on a merge conflict in {unmerged[0]}, outside kickoff's "
        "logs; the merge was undone. Settle it in git, then run `kickoff sync` again."
    )


def _git_push(root: Path, folder: Path, store: Store, result: SyncResult) -> str:
    for attempt in (1, 2):
        up = _upstream(root)
        if up is None:
            remote = _remote(root)
            args = ["push", "-q", "-u", remote, f"HEAD:{_branch(root)}"]
        else:
            args = ["push", "-q"]
        done = _git(root, *args, check=False)
        if done.returncode == 0:
            return "pushed" if attempt == 1 else "pushed after a retry"
        text = (done.stderr or "").lower()
        rejected = "rejected" in text or "fetch first" in text or "non-fast-forward" in text
        if not rejected or attempt == 2:
            message = _git_sentence("push", done.stderr or done.stdout)
            if rejected:
                message = (
                    "git push was rejected twice (others are pushing); run `kickoff sync` again."
                )
            raise GitError(message.replace("nothing was imported", "the import is kept locally"))
        _git_pull(root)  # someone pushed first: take theirs, import, try once more
        import_logs(store, folder, result)
    return ""
