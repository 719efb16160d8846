"""What the parts of sync share: the folder's layout, per-machine keys, results and errors.

See :mod:`kickoff_tui.store.sync` for how a sync runs; :mod:`.sync_import` reads teammates' logs,
:mod:`.sync_git` drives git.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kickoff_tui.store.errors import StoreError
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
    changes: Counter[str] = field(default_factory=Counter)
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


def workspace_id(store: Store) -> str | None:
    """The id that names this workspace in a sync folder (its workspace row's id)."""
    found = store.meta(K_WSID)
    if found:
        return found
    row = store.row("SELECT id FROM workspace ORDER BY created_at, id LIMIT 1")
    return None if row is None else row[0]


def _log_path(folder: Path, replica: str) -> Path:
    return folder / OPS_DIR / f"{replica}.jsonl"


def _rel(path: Path) -> str:
    return f"{OPS_DIR}/{path.name}"
