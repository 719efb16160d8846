"""The key footer of the main screens: Textual's Footer, rebuilt only when its keys change."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys whenever the screen's bindings are refreshed,
    which happens on every switch to a screen; this one skips that when nothing it shows
    changed (a switch to a screen built in the background then only repaints it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None

    def _keys(self) -> tuple:
        return tuple(
            (binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and self.is_attached and screen is self.screen \
                and self._keys() == self._shown:
            return
        super().bindings_changed(screen)
