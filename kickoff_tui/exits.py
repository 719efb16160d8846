"""Exit codes of the `kickoff` command: one table for `kickoff --help`, the README and the code.

Store errors carry their own code (store/errors.py, store/sync.py); this module names the ones
the command line uses itself and describes every code in one place. Imported by `kickoff --help`,
so it stays free of imports.
"""

from __future__ import annotations

OK = 0
USAGE = 2  # click's own code for a bad option or argument; also "needs a terminal"
NOT_FOUND = 13  # a card, key result, standup or person that doesn't exist

#: (code, meaning), in order: what `kickoff --help` and the README's table say.
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, "success"),
    (
        1,
        "any other error (the database reported something unexpected); `kickoff nudges`: something is due",
    ),
    (2, "bad option or argument, unreadable file, no terminal for the UI"),
    (3, "not a kickoff workspace (not SQLite, or another program's database)"),
    (4, "the workspace was saved by a newer kickoff"),
    (5, "the workspace is damaged (or `kickoff check` found a problem)"),
    (6, "the workspace is locked by another program"),
    (7, "the workspace is read-only, so nothing was saved"),
    (8, "the change was refused (a value the workspace doesn't accept)"),
    (9, "two machines share one replica id (sync)"),
    (10, "the workspace is on a network drive or in a cloud-sync folder"),
    (11, "sync could not happen (folder missing, or another workspace's)"),
    (12, "git failed during sync"),
    (NOT_FOUND, "not found: no such card, key result, standup or person"),
)


def epilog() -> str:
    """The exit-code table as click prints it under `kickoff --help` (\\b keeps the lines)."""
    lines = ["\b", "Exit codes:"]
    lines += [f"  {code:>2}  {meaning}" for code, meaning in EXIT_CODES]
    return "\n".join(lines)
