"""An Input whose editing keys (ctrl+u, backspace, ctrl+w, ...) act in the order they were typed.

Textual runs a focused Input's own key bindings only once the key has bubbled up to the app
(Input → its containers → screen → app, one message queue each), while a printable key is typed
by the Input as soon as it arrives. Typed fast, `ctrl+u` `r` `e` `d` became "red", then the
late ctrl+u cleared it: the board's filter emptied itself and every card came back. Here the
field runs its own bindings as the key reaches it, in line with the characters around it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextField(Input):
    """A single-line text field (an Input) that applies every key it receives in order."""

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
