"""Keys that would change the workspace say "read-only" at once on a read-only workspace.

An action (or handler) that writes is declared with :func:`changes`; on a workspace opened with
`--read-only`, or one whose file this user can't write, it shows one sentence saying why and
does nothing, instead of opening a form whose save can only fail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any


def refuse(app: Any) -> bool:
    """Say why nothing can be changed, if so; True when the workspace is read-only."""
    store = app.session.store
    if not store.readonly:
        return False
    app.notify(
        f"Read-only: {store.readonly_why}, so nothing can be changed.",
        severity="warning",
        markup=False,
        timeout=4,
    )
    return True


def changes(method: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a method that changes the workspace (see the module's docstring). Put it above
    `@opens_form`, so that no key is held for a form that won't open."""

    @wraps(method)
    def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        if refuse(self.app):
            return None
        return method(self, *args, **kwargs)

    guarded.changes_workspace = True  # type: ignore[attr-defined]
    return guarded
