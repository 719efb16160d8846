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
        raise StoreError(
            f"{path} already exists; kickoff never overwrites a file. Pick another path."
        )
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
            raise StoreError(
                f"{target} already exists; kickoff never overwrites a file. Pick another path."
            ) from None
        except OSError:  # a filesystem without hard links
            if target.exists():
                raise StoreError(
                    f"{target} already exists; kickoff never overwrites a file. Pick another path."
                ) from None
            os.replace(partial, target)
    finally:
        remove_file(partial)


def checkpoint_and_close(store: Store) -> None:
    """Move everything into the main file (WAL checkpoint) and close, so it can be moved."""
    with store._guard() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


#: Workspace settings a form or `kickoff workspace set` may write.
SETTINGS = (
    "name",
    "purpose",
    "kickoff_date",
    "timezone",
    "standup_day",
    "standup_time",
    "standup_timebox_min",
    "okr_review_day",
    "review_time",
    "retro_every",
    "pulse_every",
)


def check_settings(values: dict[str, object]) -> dict[str, object]:
    """Settings as typed (strings, or already parsed) checked and cleaned; raises InvalidEdit
    with one sentence for the first value that is off."""
    from kickoff_tui.rules.cadence import check_every, check_monthly
    from kickoff_tui.rules.people import check_time, check_timebox, check_weekday
    from kickoff_tui.rules.text import clean_line
    from kickoff_tui.store.errors import InvalidEdit

    out: dict[str, object] = {}
    try:
        for key, value in values.items():
            if key not in SETTINGS:
                raise ValueError(f"There is no workspace setting {key!r}.")
            text = value if not isinstance(value, str) else value.strip()
            if key == "name":
                out[key] = clean_line(str(value or ""), max_len=100, what="The workspace name")
            elif key == "purpose":
                out[key] = clean_line(str(value), max_len=200, what="The purpose") if text else None
            elif key == "kickoff_date":
                if isinstance(value, date):
                    out[key] = value.isoformat()
                else:
                    try:
                        out[key] = date.fromisoformat(str(text)).isoformat()
                    except ValueError:
                        raise ValueError(
                            f"{str(text)[:20]!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01."
                        ) from None
            elif key == "timezone":
                if not text or not valid_timezone(str(text)):
                    raise ValueError(
                        f"{str(text)[:40]!r} is not a time zone name; use one like "
                        "Europe/Paris or UTC."
                    )
                out[key] = str(text)
            elif key == "standup_day":
                out[key] = check_weekday(str(text)) if text else None
            elif key in ("standup_time", "review_time"):
                out[key] = check_time(str(text)) if text else None
            elif key == "okr_review_day":
                out[key] = check_monthly(str(text)) if text else None
            elif key in ("retro_every", "pulse_every"):
                out[key] = check_every(key, str(text)) if text else None
            elif key == "standup_timebox_min":
                out[key] = check_timebox(text)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    return out


def window_changes(
    store: Store, kickoff_date: str, timezone: str | None = None
) -> list[tuple[str, str, str]]:
    """(card id, window now, window after) of the dated cards whose due date falls in another
    window when day 0 becomes `kickoff_date` (in `timezone`, default the workspace's)."""
    from kickoff_tui.rules.windows import window_of

    ws = store.workspace()
    tz = timezone or ws.get("timezone") or "UTC"
    new = date.fromisoformat(kickoff_date)
    old = date.fromisoformat(ws["kickoff_date"]) if ws.get("kickoff_date") else None
    out = []
    for r in store.rows("SELECT id, window, due FROM card WHERE deleted = 0 AND due IS NOT NULL"):
        try:
            was = window_of(r["due"], old, tz) if old else r["window"]
            after = window_of(r["due"], new, tz)
        except ValueError:
            continue
        if after != was:
            out.append((r["id"], r["window"], after))
    return out


def update_settings(store: Store, values: dict[str, object]) -> list[tuple[str, str, str]]:
    """Save workspace settings in one transaction (one undo). A new kickoff date re-dates the
    windows: dated cards move to the window their due date now falls in, and first actions due
    by the 72-hour rule follow the new day 0. Returns the cards that changed window."""
    from kickoff_tui import clock
    from kickoff_tui.rules.due import first_action_due

    clean = check_settings(values)
    ws = store.workspace()
    moved: list[tuple[str, str, str]] = []
    kickoff = clean.get("kickoff_date")
    if kickoff and kickoff != ws.get("kickoff_date"):
        moved = window_changes(store, str(kickoff), str(clean.get("timezone") or ws["timezone"]))
    with store.transaction(
        "Changed the workspace settings", entity="workspace", entity_id=ws["id"], action="update"
    ) as tx:
        tx.update("workspace", ws["id"], clean)
        for card_id, _was, after in moved:
            tx.update("card", card_id, {"window": after})
        if kickoff and kickoff != ws.get("kickoff_date") and ws.get("kickoff_date"):
            tz_old = ws.get("timezone") or "UTC"
            tz_new = str(clean.get("timezone") or tz_old)
            old_due = clock.iso(first_action_due(date.fromisoformat(ws["kickoff_date"]), tz_old))
            new_due = clock.iso(first_action_due(date.fromisoformat(str(kickoff)), tz_new))
            for r in tx.conn.execute(
                "SELECT id FROM card WHERE deleted = 0 AND first_action_due = ?", (old_due,)
            ).fetchall():
                tx.update("card", r["id"], {"first_action_due": new_due})
    return moved
