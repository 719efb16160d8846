"""Opening a workspace file: checks, connection settings and numbered schema migrations.

A file is a kickoff workspace when its header says SQLite, its `application_id` is ours and its
`user_version` (the schema version) is one this code knows. Anything else is refused with one
sentence (see :mod:`kickoff_tui.store.errors`), never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kickoff_tui.store import schema
from kickoff_tui.store.connection import atomic
from kickoff_tui.store.errors import (
    CorruptWorkspace,
    NewerSchema,
    NotAWorkspace,
    NotSQLite,
    ReadOnlyWorkspace,
    SharedLocation,
    StoreError,
    WorkspaceNotFound,
    translate,
)

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_MAGIC = b"SQLite format 3\x00"


def busy_timeout_ms() -> int:
    """How long a write waits for another program's lock (KICKOFF_BUSY_TIMEOUT_MS, default 5 s)."""
    try:
        return max(0, int(os.environ.get("KICKOFF_BUSY_TIMEOUT_MS", "5000")))
    except ValueError:
        return 5000


def _m1_initial(db: sqlite_utils.Database) -> None:
    """Every synced table from DESIGN.md, plus the operation log and per-machine state."""
    for table, cols in schema.TABLES.items():
        db.table(table).create(
            {"id": str, **cols, **schema.COMMON},
            pk="id",
            not_null={"id", "deleted"},
            defaults={"deleted": 0},
        )
    for table, columns in schema.INDEXES:
        db.table(table).create_index(list(columns), index_name=f"idx_{table}_{'_'.join(columns)}")
    db.execute("CREATE TABLE local_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute(
        """CREATE TABLE operation (
            id TEXT PRIMARY KEY,          -- replica:seq
            replica TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hlc TEXT NOT NULL,            -- hybrid logical clock, fixed width: text order = time order
            by TEXT,                      -- who made the change
            tbl TEXT NOT NULL,
            row_id TEXT NOT NULL,
            field TEXT NOT NULL,          -- a column, or '*' for the row's creation
            value TEXT,                   -- JSON
            base TEXT NOT NULL DEFAULT '[]',  -- JSON list of the operation ids the editor saw
            tx TEXT,                      -- operations saved together share a tx
            UNIQUE (replica, seq)
        )"""
    )
    db.execute("CREATE INDEX idx_operation_row ON operation (tbl, row_id, field)")
    db.execute(
        """CREATE TABLE operation_head (
            tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, op_id TEXT NOT NULL,
            PRIMARY KEY (tbl, row_id, field, op_id)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE operation_base (
            base_id TEXT NOT NULL, op_id TEXT NOT NULL,
            PRIMARY KEY (base_id, op_id)
        ) WITHOUT ROWID"""
    )


def _m2_standup_turns(db: sqlite_utils.Database) -> None:
    """The running standup's shared state (whose turn it is, the turn clock and pauses), and an
    index that finds one card's #number without numbering every card.

    Migration 1 creates tables and indexes from the current schema, so a file made by this
    version already has them; only older files get them added here.
    """
    have = set(db["standup"].columns_dict)
    for name in ("current_speaker_id", "turn_started_at", "paused_at", "paused_seconds"):
        if name not in have:
            db.table("standup").add_column(name, schema.TABLES["standup"][name])
    db.table("card").create_index(
        ["created_at", "id"], index_name="idx_card_created_at_id", if_not_exists=True
    )


def _m3_okr_progress_from(db: sqlite_utils.Database) -> None:
    """key_result.progress_from: a milestone key result may count its linked cards (done/total)
    instead of its check-ins. Idempotent: a file made by this version already has the column."""
    if "progress_from" not in db["key_result"].columns_dict:
        db.table("key_result").add_column("progress_from", str)


def _m4_sync_held(db: sqlite_utils.Database) -> None:
    """sync_held (per machine, never synced): lines of teammates' logs that were not applied
    yet — unreadable, impossible, from a newer kickoff, or stamped by a clock running ahead —
    kept with where they are, so each is reported once and applied as soon as it can be.
    Idempotent (CREATE ... IF NOT EXISTS)."""
    db.execute(
        """CREATE TABLE IF NOT EXISTS sync_held (
            file TEXT NOT NULL,          -- the log's file name in ops/
            start INTEGER NOT NULL,      -- byte offset of the line (-1: the whole log)
            stop INTEGER NOT NULL,       -- byte offset after it
            line INTEGER NOT NULL,       -- 1-based line number, for people
            kind TEXT NOT NULL,          -- unreadable | invalid | unknown | ahead | refused
            reason TEXT NOT NULL,        -- one clause: why it waits
            replica TEXT, by TEXT,       -- whose it is, when known
            ms INTEGER,                  -- ahead: the operation's wall clock, ms since the epoch
            code TEXT,                   -- what this kickoff knew when it was held
            raw BLOB,                    -- the line as read
            PRIMARY KEY (file, start)
        )"""
    )


def _m5_people_and_settings(db: sqlite_utils.Database) -> None:
    """person.active, person.timezone and person.first_action_card_id (a team sets itself up),
    and the workspace settings purpose, standup_day and standup_time. Idempotent: a file made
    by this version already has the columns."""
    for table, names in (
        ("person", ("active", "timezone", "first_action_card_id")),
        ("workspace", ("purpose", "standup_day", "standup_time")),
    ):
        have = set(db[table].columns_dict)
        for name in names:
            if name not in have:
                db.table(table).add_column(name, schema.TABLES[table][name])


def _create_missing(db: sqlite_utils.Database, tables: tuple[str, ...]) -> None:
    """Make each of `tables` that a file doesn't have yet, and its indexes (schema.INDEXES)."""
    for table in tables:
        if not db[table].exists():
            db.table(table).create(
                {"id": str, **schema.TABLES[table], **schema.COMMON},
                pk="id",
                not_null={"id", "deleted"},
                defaults={"deleted": 0},
            )
    for table, cols in schema.INDEXES:
        if table in tables:
            db.table(table).create_index(
                list(cols), index_name=f"idx_{table}_{'_'.join(cols)}", if_not_exists=True
            )


def _m7_kpis(db: sqlite_utils.Database) -> None:
    """kpi and kpi_reading (issue 15): KPIs with a baseline, 30/90-day targets and readings.
    Idempotent: a file made by this version already has the tables (migration 1 made them)."""
    _create_missing(db, ("kpi", "kpi_reading"))


def _m8_rhythm(db: sqlite_utils.Database) -> None:
    """The team's rhythm: cadence settings on `workspace` (OKR review day and time, retro and
    pulse frequency) and the pulse tables. Idempotent: a file made by this version already has
    them (migration 1 makes every table of the current schema)."""
    have = set(db["workspace"].columns_dict)
    for name in ("okr_review_day", "review_time", "retro_every", "pulse_every"):
        if name not in have:
            db.table("workspace").add_column(name, schema.TABLES["workspace"][name])
    _create_missing(db, ("pulse", "pulse_answer"))
    db.table("pulse_answer").create_index(
        ["pulse_id", "person_id"],
        index_name="idx_pulse_answer_pulse_id_person_id",
        if_not_exists=True,
    )


def _m9_okr_review_and_retro(db: sqlite_utils.Database) -> None:
    """The monthly OKR review (okr_review, okr_verdict) and the retrospective (retro,
    retro_item, retro_vote), with their indexes. Idempotent: a file made by this version has
    them from migration 1, so only missing tables and indexes are made."""
    _create_missing(db, ("okr_review", "okr_verdict", "retro", "retro_item", "retro_vote"))


def _m6_charter(db: sqlite_utils.Database) -> None:
    """The kickoff page's tables: charter, question, stakeholder, comm. Idempotent: a file made
    by this version has them already (migration 1 creates every table), and a table made by an
    earlier build of this migration gets the columns it lacks."""
    for table in ("charter", "question", "stakeholder", "comm"):
        cols = schema.TABLES[table]
        if not db.table(table).exists():
            db.table(table).create(
                {"id": str, **cols, **schema.COMMON},
                pk="id",
                not_null={"id", "deleted"},
                defaults={"deleted": 0},
            )
            continue
        have = set(db.table(table).columns_dict)
        for name, kind in {**cols, **schema.COMMON}.items():
            if name not in have:
                db.table(table).add_column(name, kind)
    db.table("stakeholder").create_index(
        ["influence", "interest"],
        index_name="idx_stakeholder_influence_interest",
        if_not_exists=True,
    )


#: Numbered migrations: MIGRATIONS[n - 1] brings a file from version n - 1 to n. Append only.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_initial,
    _m2_standup_turns,
    _m3_okr_progress_from,
    _m4_sync_held,
    _m5_people_and_settings,
    _m6_charter,
    _m7_kpis,
    _m8_rhythm,
    _m9_okr_review_and_retro,
]
SCHEMA_VERSION = len(MIGRATIONS)


#: Filesystem types (as in /proc/mounts) where SQLite's locking and WAL can't be trusted.
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "afs",
        "ncpfs",
        "coda",
        "davfs",
        "fuse.davfs2",
        "fuse.sshfs",
        "sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "gpfs",
        "afpfs",
        "webdav",
        "fuse.onedriver",
        "fuse.google-drive-ocamlfuse",
    }
)

#: Folder names that sync clients own: files in them are copied mid-write.
SYNC_CLIENT_FOLDERS = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("icloud drive", "iCloud"),
    ("iclouddrive", "iCloud"),
    ("mobile documents", "iCloud"),
    ("com~apple~clouddocs", "iCloud"),
)


def allow_network_db() -> bool:
    """`--allow-network-db` (or KICKOFF_ALLOW_NETWORK_DB=1): open such files anyway."""
    return os.environ.get("KICKOFF_ALLOW_NETWORK_DB", "") not in ("", "0")


def network_fs(path: Path, mounts: str | None = None) -> str | None:
    """The filesystem type of `path` when it is a network one (Linux /proc/mounts), else None."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best, kind = "", ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind if kind in NETWORK_FS else None


def shared_location(path: Path, mounts: str | None = None) -> str | None:
    """Why `path` must not hold a live database ("a Dropbox folder", "a network filesystem
    (nfs)"), or None when it is on a local disk."""
    resolved = path.expanduser().resolve()
    for part in resolved.parent.parts:
        low = part.lower()
        if low.startswith("cloudstorage"):
            continue
        for name, client in SYNC_CLIENT_FOLDERS:
            if low == name or low.startswith((name + " ", name + "-")):
                return f"a {client} folder"
    kind = network_fs(resolved, mounts)
    return f"a network filesystem ({kind})" if kind else None


def _check_location(path: Path) -> bool:
    """True when the file is on a network or sync-client folder and the user allowed it."""
    where = shared_location(path)
    if where is None:
        return False
    if allow_network_db():
        return True
    raise SharedLocation(
        f"{path} is in {where}, where SQLite can't lock safely and a half-copied file corrupts "
        "the workspace; keep it on this disk and share a sync folder there instead "
        "(`kickoff sync init DIR`), or open it anyway with --allow-network-db."
    )


def _check_header(path: Path) -> bool:
    """True for an empty file; raise NotSQLite unless the header is SQLite's."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except PermissionError:
        raise WorkspaceNotFound(f"Can't read {path}: permission denied.") from None
    except IsADirectoryError:
        raise NotSQLite(f"{path} is a folder, not a kickoff workspace file.") from None
    if not head:
        return True
    if head != SQLITE_MAGIC:
        raise NotSQLite(f"{path} is not a kickoff workspace: it is not a SQLite database.")
    return False


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def connect(path: Path, *, readonly: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """A connection with the house settings (autocommit, busy timeout, foreign keys).

    `isolation_level=None`: every write opens its own `BEGIN IMMEDIATE`, because Python's
    implicit transactions silently lose read-then-write updates across processes.
    """
    timeout = busy_timeout_ms()
    if immutable:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    elif readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
    else:
        uri = f"{path.resolve().as_uri()}?mode=rwc"
    conn = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False, timeout=timeout / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {timeout}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the file up to SCHEMA_VERSION in one transaction; return the version it had."""
    import sqlite_utils  # only here: it costs ~0.17 s of start-up on every other open

    try:
        with atomic(conn):
            start: int = conn.execute("PRAGMA user_version").fetchone()[0]
            if start > SCHEMA_VERSION:
                raise _newer(path, start)
            db = sqlite_utils.Database(conn)
            for version in range(start + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version - 1](db)
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return start
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def _newer(path: Path, version: int) -> NewerSchema:
    from kickoff_tui import __version__

    return NewerSchema(
        f"{path.name} was saved by a newer kickoff (schema {version}; kickoff {__version__} "
        f"reads up to {SCHEMA_VERSION}). Upgrade with `pip install -U kickoff-tui` to open it."
    )


def open_db(
    path: Path | str, *, create: bool = False, readonly: bool = False
) -> tuple[sqlite3.Connection, bool]:
    """Open (or, with `create`, make) a workspace file; return (connection, read_only).

    Raises a StoreError subclass, with its sentence, for every file that isn't a usable
    workspace. A file this user can't write opens read-only instead of failing; `readonly`
    asks for that even when it could be written.
    """
    path = Path(path)
    exists = path.exists()
    if not exists and not create and Path(f"{path}.partial").exists():
        raise WorkspaceNotFound(
            f"No workspace at {path}: a `kickoff import` or `kickoff sync join` making it was "
            f"stopped half way (it left {path.name}.partial); run the same command again."
        )
    if not exists and not create:
        raise WorkspaceNotFound(
            f"No workspace at {path}. Create one with `kickoff init {path}` "
            "or try the sample with `kickoff demo`."
        )
    if not exists and not path.parent.exists():
        raise WorkspaceNotFound(f"Can't create {path}: the folder {path.parent} does not exist.")
    if exists and not path.is_file():  # a pipe or a device would hang the header read
        raise NotSQLite(
            f"{path} is not a regular file (a folder, pipe or device), "
            "so it can't be a kickoff workspace."
        )
    network = _check_location(path)
    empty = _check_header(path) if exists else True
    readonly = exists and (readonly or not _writable(path))
    if readonly and empty:
        raise ReadOnlyWorkspace(
            f"{path} is empty and read-only, so no workspace can be made in it."
        )
    try:
        conn = connect(path, readonly=readonly)
        try:
            _app_id, version = _identify(conn, path)
        except WorkspaceNotFound:
            if not readonly:
                raise
            # A WAL file in a folder we can't write: SQLite can't make its -shm file, so read
            # it as an immutable snapshot (nobody can write here anyway).
            conn = connect(path, readonly=True, immutable=True)
            _app_id, version = _identify(conn, path)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    if readonly and version is not None and version < SCHEMA_VERSION:
        conn.close()
        raise ReadOnlyWorkspace(
            f"{path.name} was saved by an older kickoff and must be upgraded, but it is read-only."
        )
    if version is None:
        # A brand-new or empty file: it becomes a workspace only when asked to.
        if not create:
            conn.close()
            raise NotAWorkspace(f"{path} is empty, not a kickoff workspace.")
        migrate(conn, path)
    elif version < SCHEMA_VERSION:
        migrate(conn, path)
    if not readonly:
        _set_journal(conn, path, network=network)
    return conn, readonly


def _identify(conn: sqlite3.Connection, path: Path) -> tuple[int, int | None]:
    """(application_id, schema version); version None for an empty file."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc, path) from None
    if app_id == schema.APPLICATION_ID:
        if version > SCHEMA_VERSION:
            conn.close()
            raise _newer(path, version)
        return app_id, version
    if not tables and version == 0 and app_id == 0:
        return app_id, None
    conn.close()
    shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
    raise NotAWorkspace(
        f"{path} is a SQLite database but not a kickoff workspace"
        + (f" (its tables are {shown})." if tables else ".")
    )


def _set_journal(conn: sqlite3.Connection, path: Path, *, network: bool = False) -> None:
    # WAL needs shared memory that network filesystems don't share: never WAL there.
    mode = "delete" if network else os.environ.get("KICKOFF_JOURNAL_MODE", "wal").lower()
    current = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if current != mode:
        try:
            conn.execute(f"PRAGMA journal_mode = {mode}")
        except sqlite3.Error as exc:
            raise translate(exc, path) from None


def integrity(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity check: ['ok'] or the problems it found."""
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


__all__ = [
    "SCHEMA_VERSION",
    "CorruptWorkspace",
    "StoreError",
    "busy_timeout_ms",
    "connect",
    "integrity",
    "migrate",
    "open_db",
]
