"""Keys typed while a form opens go into the form, not to the screen behind it.

A key such as `n` starts a worker that builds and pushes a form, which takes a moment; Textual
meanwhile hands the next keys to the screen behind, where `d` asks to delete and `H` moves a
card. So an action that opens a form is declared with :func:`opens_form`: from the moment its
key is handled the app holds the keys that follow; the form takes them once its first field has
focus, and if the action shows no form after all, they are pressed again as they were.

Keys that reach the app unused while a form's text field has focus (they were sent to the
screen before the field had focus) are typed into that field too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

#: Longest a key is held for a form that doesn't come (seconds).
HOLD_LIMIT = 2.0


def _is_text_field(widget: Widget | None) -> bool:
    from textual.widgets import Input, TextArea

    return isinstance(widget, (Input, TextArea)) and not getattr(widget, "read_only", False)


def _retyped(event: events.Key, app: App) -> events.Key:
    """A copy of `event` to send on, marked so that it is never held or sent on again.

    (A subclass of Key would not do: Textual picks the handler from the class name.) It is sent
    as by the app, so that a key no field uses bubbles up to the app and its bindings.
    """
    key = events.Key(event.key, event.character).set_sender(app)
    key.kickoff_retyped = True  # type: ignore[attr-defined]
    return key


def _is_retyped(event: events.Key) -> bool:
    return getattr(event, "kickoff_retyped", False)


class TypeAhead:
    """The app's held keys (one per app).

    Keys are held at two points: as they arrive from the terminal (`arrived`, before Textual
    sends them to a widget) and as they come back up unused (`take`: keys sent to the screen
    just before the hold began). Each key is numbered on arrival, so the form gets them in the
    order they were typed.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self.held: list[events.Key] | None = None
        self._timer: Any = None
        self._releasing = False
        self._count = itertools.count()

    @property
    def releasing(self) -> bool:
        """Whether the held keys are about to be pressed (a form has taken focus)."""
        return self._releasing

    def hold(self) -> None:
        """Hold keys from now until a form takes them (see `release`)."""
        if self.held is None:
            self.held = []
            self._timer = self.app.set_timer(HOLD_LIMIT, self.release)

    def arrived(self, event: events.Key) -> bool:
        """Number a key from the terminal, and hold it if keys are being held."""
        event.kickoff_order = next(self._count)  # type: ignore[attr-defined]
        return self.take(event)

    def take(self, event: events.Key) -> bool:
        """Hold `event` if keys are being held."""
        if self.held is None or _is_retyped(event):
            return False
        self.held.append(event)
        return True

    def release(self) -> None:
        """Press the held keys again, in the order they were typed, now that the form (or the
        screen) has focus.

        The form calls this from its own task; the keys are pressed from the app's, where keys
        from the terminal are handled one after another. Keys that reach the app before then
        are still held (they were typed after the held ones).
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.held is not None and not self._releasing:
            self._releasing = True
            self.app.call_later(self._press_held)

    async def _press_held(self) -> None:
        """Hand every held key to the focused widget now, in one go, before the app takes the
        next key from its queue: that key was typed later, and goes to the same widget after
        them. (Posting them to the app's queue instead put them behind keys that arrived
        meanwhile: 'MondayMove standups to'.)"""
        held, self.held = self.held or [], None
        self._releasing = False
        for event in sorted(held, key=lambda e: getattr(e, "kickoff_order", -1)):
            await self.app.on_event(_retyped(event, self.app))

    def stray(self, event: events.Key) -> bool:
        """Type a printable key nothing used into the focused text field of an open form."""
        focused = self.app.focused
        if (
            _is_retyped(event)
            or not event.is_printable
            or not isinstance(self.app.screen, ModalScreen)
            or not _is_text_field(focused)
        ):
            return False
        assert focused is not None
        focused.post_message(_retyped(event, self.app))
        return True


def form_opened(screen: Any) -> None:
    """A form or question has its first field focused: give it the keys typed meanwhile."""
    typeahead: TypeAhead | None = getattr(screen.app, "typeahead", None)
    if typeahead is not None:
        typeahead.release()


def opens_form(group: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an async action that may push a form: an exclusive worker in `group` that holds
    the keys typed after it until the form shows (or, if none shows, until it ends)."""

    def decorator(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        async def body(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            finally:
                typeahead: TypeAhead | None = getattr(self.app, "typeahead", None)
                if typeahead is not None:
                    typeahead.release()

        worker = work(exclusive=True, group=group)(body)

        @wraps(method)
        def action(self: Any, *args: Any, **kwargs: Any) -> Any:
            typeahead: TypeAhead | None = getattr(self.app, "typeahead", None)
            if typeahead is not None:
                typeahead.hold()
            return worker(self, *args, **kwargs)

        return action

    return decorator


def focus_for_typing(screen: Any, field: Widget) -> None:
    """Focus a text field that a key just showed (`/` opens a filter): the keys typed right
    after that key were already on their way to the widget that had focus (a table, where `g`
    jumps and `d` deletes); hold them until the field has focus, then type them into it, in
    order."""
    typeahead: TypeAhead | None = getattr(screen.app, "typeahead", None)
    if typeahead is not None:
        typeahead.hold()
    screen.set_focus(field)
    if typeahead is not None:
        screen.call_after_refresh(typeahead.release)
