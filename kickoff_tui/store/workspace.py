"""Making a new workspace file."""

from __future__ import annotations

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
