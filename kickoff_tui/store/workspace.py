"""Making a new workspace file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.ops import Store


def valid_timezone(tz: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def init_workspace(
    path: Path | str,
    *,
    name: str,
    kickoff_date: date,
    timezone: str = "UTC",
    vision: str | None = None,
    actor: str | None = None,
) -> Store:
    """Create a workspace file at `path` (which must not exist yet) and return it open."""
    path = Path(path)
    if path.exists():
        raise StoreError(f"{path} already exists; kickoff never overwrites a file. Pick another path.")
    if not valid_timezone(timezone):
        raise StoreError(f"{timezone!r} is not a time zone name; use one like Europe/Paris or UTC.")
    store = Store(path, create=True, actor=actor)
    if actor:
        store.set_meta("actor", actor)
    store.create(
        "workspace",
        {
            "name": name,
            "vision": vision,
            "kickoff_date": kickoff_date.isoformat(),
            "timezone": timezone,
        },
        summary=f"Started the workspace {name}",
    )
    return store


def partial_path(target: Path | str) -> Path:
    """Where a workspace that takes a while to make (import, join) is built: beside `target`."""
    target = Path(target)
    return target.with_name(target.name + ".partial")


def remove_file(path: Path) -> None:
    """Delete a SQLite file and its companions (nothing happens for missing ones)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def built_aside(target: Path | str) -> Iterator[Path]:
    """Build a new workspace at ``<target>.partial`` and move it to `target` only when done.

    So a crash or kill -9 half way never leaves a `target` that looks like a workspace (which
    `check` would call fine and a retry would refuse to replace): a retry starts again, removing
    the partial file. The block must close every connection to the partial file before it ends.
    """
    target = Path(target)
    partial = partial_path(target)
    remove_file(partial)  # what an earlier, killed attempt left
    try:
        yield partial
        for suffix in ("-wal", "-journal"):
            leftover = Path(f"{partial}{suffix}")
            if leftover.exists() and leftover.stat().st_size:
                raise StoreError(f"{partial} was not closed cleanly; nothing was made.")
        try:
            os.link(partial, target)  # never replaces a file made meanwhile
        except FileExistsError:
            raise StoreError(f"{target} already exists; kickoff never overwrites a file. "
                             "Pick another path.") from None
        except OSError:  # a filesystem without hard links
            if target.exists():
                raise StoreError(f"{target} already exists; kickoff never overwrites a file. "
                                 "Pick another path.") from None
            os.replace(partial, target)
    finally:
        remove_file(partial)


def checkpoint_and_close(store: Store) -> None:
    """Move everything into the main file (WAL checkpoint) and close, so it can be moved."""
    with store._guard() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
