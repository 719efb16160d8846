"""Session: one person's working session on a store, between the screens and the store.

It owns the Store, the undo stack, "who am I", the data-version poll and the `edit()` entry
point, and tells its listeners what changed. It has no Textual: the app turns its reports into
notifications and its changes into messages to the screens. Screens and widgets reach it as
``self.session`` (see ``KickoffScreen.session``) and never touch the app's private state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.ops import Change, Store

T = TypeVar("T")

#: Called with (message, title) when the store refuses something.
Report = Callable[[str, str], None]
#: Called after every change seen: the edit's Change (None for another program's change).
Listener = Callable[["Change | None"], None]


def _ignore(message: str, title: str) -> None:
    return None


class Session:
    """One person's session on a workspace: edits, undo, change tracking.

    >>> session = Session(store, report=lambda message, title: print(title, message))
    >>> session.edit(cards.add_card, session.store, title="Book the room")
    """

    def __init__(self, store: Store, *, report: Report = _ignore) -> None:
        self.store = store
        self.report = report
        #: Changes made in this session, newest last; ctrl+z pops one.
        self.undo_stack: list[Change] = []
        #: Bumped on every change seen (ours or another program's); screens compare it.
        self.generation = 0
        self._data_version = 0
        self._listeners: list[Listener] = []
        self.workspace: dict[str, Any] = self._read_workspace()

    # ------------------------------------------------------------------ listening

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` after every change this session sees."""
        self._listeners.append(listener)

    def _changed(self, change: Change | None) -> None:
        self.generation += 1
        self._data_version = self.safe(self.store.data_version) or self._data_version
        for listener in list(self._listeners):
            listener(change)

    # ------------------------------------------------------------------ reading

    def safe(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call `fn`; a store problem is reported (one sentence) and becomes None."""
        try:
            return fn(*args, **kwargs)
        except StoreError as exc:
            self.report(exc.message, "Not saved")
            return None

    def _read_workspace(self) -> dict[str, Any]:
        try:
            return self.store.workspace()
        except StoreError:
            return {"name": self.store.path.stem, "kickoff_date": None, "timezone": "UTC"}

    @property
    def readonly(self) -> bool:
        return bool(self.store.readonly)

    def me(self) -> str | None:
        """The id of the person this machine says it is, or None (see store.people.me)."""
        from kickoff_tui.store import people

        return self.safe(people.me, self.store)

    # ------------------------------------------------------------------ writing

    def edit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run one store write for the user: a refusal is reported, the change can be undone.

        Returns what `fn` returned, or None when the store refused (nothing was saved).
        """
        before = self.store.last_change
        result = self.safe(fn, *args, **kwargs)
        change = self.store.last_change
        if change is not None and change is not before and change:
            self.undo_stack.append(change)
            self._changed(change)
        return result

    def undo(self) -> str | None:
        """Undo the last change made in this session (as new operations, so it syncs).

        Returns what was undone ("" when it had no summary), or None when there was nothing
        to undo or the store refused (the change stays on the stack).
        """
        if not self.undo_stack:
            return None
        change = self.undo_stack.pop()
        if self.safe(self.store.undo, change) is None:
            self.undo_stack.append(change)
            return None
        self._changed(None)
        return change.summary or ""

    def changed(self) -> None:
        """Something changed outside `edit` (a sync, an import): tell the listeners."""
        self._changed(None)

    # ------------------------------------------------------------------ polling

    def start(self) -> None:
        """Remember the file's data version, so `poll` sees only later commits."""
        self._data_version = self.safe(self.store.data_version) or 0

    def poll(self) -> bool:
        """Notice commits by other programs on the same file; True when there were some."""
        version = self.safe(self.store.data_version)
        if version is None or version == self._data_version:
            return False
        self._data_version = version
        self.workspace = self._read_workspace()
        self._changed(None)
        return True

    def behind(self) -> bool:
        """Whether another program committed since this session last looked (no reload)."""
        version = self.safe(self.store.data_version)
        return version is not None and version != self._data_version
