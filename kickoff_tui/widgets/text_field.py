"""An Input whose editing keys (ctrl+u, backspace, ctrl+w, ...) act in the order they were typed.

Textual runs a focused Input's own key bindings only once the key has bubbled up to the app
(Input → its containers → screen → app, one message queue each), while a printable key is typed
by the Input as soon as it arrives. Typed fast, `ctrl+u` `r` `e` `d` became "red", then the
late ctrl+u cleared it: the board's filter emptied itself and every card came back. Here the
field runs its own bindings as the key reaches it, in line with the characters around it.
"""

from __future__ import annotations

from functools import cache

from textual import events
from textual.binding import Binding, BindingsMap
from textual.widgets import Input


@cache
def _field_bindings(cls: type[Input]) -> dict[str, list[Binding]]:
    """The bindings the field's classes declare (BINDINGS) by key, a subclass's replacing its
    bases' for the same key, as Textual merges them."""
    by_key: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if "BINDINGS" in base.__dict__:
            by_key.update(BindingsMap(base.__dict__["BINDINGS"]).key_to_bindings)
    return by_key


class TextField(Input):
    """A single-line text field (an Input) that applies every key it receives in order."""

    async def on_key(self, event: events.Key) -> None:
        # Textual calls this before Input's own key handler (one per class, subclass first);
        # preventing the default skips Input's.
        if event.is_printable:
            return
        for binding in _field_bindings(type(self)).get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
