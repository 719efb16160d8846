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

This module is the folder (attach, join), the export of my own log and the sync itself; reading
teammates' logs is :mod:`.sync_import`, git is :mod:`.sync_git`, the shared keys, results and
errors are :mod:`.sync_state`, a log line's format is :mod:`.opformat`. Every name that lived
here is still importable from here.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.store.connection import get_meta, put_meta
from kickoff_tui.store.errors import InvalidEdit, ReplicaClash, StoreError
from kickoff_tui.store.opformat import FORMAT, Op, log_header, log_line
from kickoff_tui.store.ops import Store
from kickoff_tui.store.sync_git import _git_commit, _git_pull, _git_push, git_root
from kickoff_tui.store.sync_import import ahead, held, import_logs
from kickoff_tui.store.sync_state import (
    GIT_TIMEOUT,
    K_CONFLICTS,
    K_DIR,
    K_KIND,
    K_LAST_AT,
    K_LAST_STATE,
    K_READ,
    K_SEQ,
    K_SIZE,
    K_WSID,
    MAX_WORKSPACE_FILE,
    OPS_DIR,
    WORKSPACE_FILE,
    GitError,
    Problem,
    SyncError,
    SyncResult,
    _log_path,
    _rel,
    workspace_id,
)

#: What other modules have always imported from here, wherever it lives now.
__all__ = [
    "FORMAT",
    "GIT_TIMEOUT",
    "K_CONFLICTS",
    "K_DIR",
    "K_KIND",
    "K_LAST_AT",
    "K_LAST_STATE",
    "K_READ",
    "K_SEQ",
    "K_SIZE",
    "K_WSID",
    "MAX_WORKSPACE_FILE",
    "OPS_DIR",
    "WORKSPACE_FILE",
    "GitError",
    "Problem",
    "ReplicaClash",
    "SyncError",
    "SyncResult",
    "ahead",
    "attach",
    "export",
    "folder_of",
    "git_root",
    "held",
    "import_logs",
    "join",
    "read_folder",
    "status",
    "sync",
    "workspace_id",
]
# ---------------------------------------------------------------------- the folder


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
        result.held = store.one("SELECT count(*) FROM sync_held WHERE kind <> 'ahead'")[0]
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
