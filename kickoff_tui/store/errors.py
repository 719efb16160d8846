"""Errors the store raises: each carries one sentence for a person and an exit code for the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A problem with the workspace file, said in one sentence."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class WorkspaceNotFound(StoreError):
    exit_code = 2


class NotSQLite(StoreError):
    exit_code = 3


class NotAWorkspace(StoreError):
    exit_code = 3


class NewerSchema(StoreError):
    exit_code = 4


class CorruptWorkspace(StoreError):
    exit_code = 5


class WorkspaceLocked(StoreError):
    exit_code = 6


class ReadOnlyWorkspace(StoreError):
    exit_code = 7


class InvalidEdit(StoreError):
    """An edit the store refuses (unknown table or field, wrong type, missing row)."""

    exit_code = 8


class UnknownField(InvalidEdit):
    """An operation names a table or field this version doesn't know (a newer kickoff's)."""


class ReplicaClash(StoreError):
    """An operation id seen again with different content: two machines share a replica id."""

    exit_code = 9


class SharedLocation(StoreError):
    """A workspace file on a network filesystem or in a sync client's folder."""

    exit_code = 10


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn a sqlite3 error into the StoreError a person should read."""
    text = str(exc).lower()
    name = Path(path).name
    if "locked" in text or "busy" in text:
        return WorkspaceLocked(
            f"{name} is locked by another program (waited for it to finish); "
            "close the other kickoff window or try again in a moment."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyWorkspace(f"{name} is read-only, so this change was not saved.")
    if "file is not a database" in text:
        return NotSQLite(f"{path} is not a kickoff workspace: it is not a SQLite database.")
    if "malformed" in text or "corrupt" in text or "disk i/o" in text:
        return CorruptWorkspace(
            f"{path} is damaged (SQLite says: {exc}); restore it from a backup "
            "or rebuild it from a sync folder with `kickoff sync join`."
        )
    if "unable to open" in text:
        return WorkspaceNotFound(
            f"Can't open {path}: check that the folder exists and is readable."
        )
    return StoreError(f"{name}: the database reported an error: {exc}")
