"""`self.session` for any widget or screen: the app's Session, without reaching into the app.

Main screens get it from :class:`~kickoff_tui.screens.base.KickoffScreen`; modal screens,
pushed views and widgets mix in :class:`WithSession`. Code that is handed the app (workers such
as ``screens.setup.who_am_i``) uses ``app.session``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from kickoff_tui.session import Session
    from kickoff_tui.store.ops import Store

    _Node = DOMNode
else:
    _Node = object


class HasSession(Protocol):
    """An app that carries a Session (KickoffApp)."""

    session: Session


class WithSession(_Node):
    """Mixin for DOM nodes: ``self.session`` and ``self.store`` (the session's Store)."""

    @property
    def session(self) -> Session:
        """This person's session: edits, undo, who am I, change tracking (kickoff_tui/session.py)."""
        return cast("HasSession", self.app).session

    @property
    def store(self) -> Store:
        """The session's Store (read through named store functions, never SQL)."""
        return self.session.store
