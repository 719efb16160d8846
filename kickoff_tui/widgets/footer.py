"""The key footer of the main screens: Textual's Footer, rebuilt only when its keys change, and
fitted to the width so that `?` (help, which lists every key) is always visible."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from kickoff_tui.textual_compat import FooterKey

#: Below this width the footer is compact (no padding around keys) and leaves out the command
#: palette key (ctrl+p still works; help and the README list it).
WIDE = 100
HELP_ACTION = "app.help"


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys whenever the screen's bindings are refreshed,
    which happens on every switch to a screen; this one skips that when nothing it shows
    changed (a switch to a screen built in the background then only repaints it).

    Textual's footer also cuts its keys off at the right edge ("? He▏^p palette" at 80
    columns). This one shows only the keys that fit whole, in the screen's order, and `?`
    last, always."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple | None = None
        self._width = 0
        #: Set once the screen's bindings are known (Footer's first bindings_changed).
        self._ready = False

    def _keys(self) -> tuple:
        return tuple(
            (binding.key, binding.description, binding.action, binding.show, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    def _available(self) -> int:
        return self.size.width or self.screen.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        self._shown = self._keys() if self._ready else None
        if not self._ready:
            return
        width = self._width = self._available()
        narrow = width < WIDE
        self.set_reactive(Footer.compact, narrow)
        self.set_class(narrow, "-compact")
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        help_key = by_action.pop(HELP_ACTION, None)
        palette = None
        if not narrow and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = found[1:]
        budget = width - (self._cells(help_key[0], narrow) if help_key else 0)
        if palette is not None:
            budget -= self._cells(palette[0], narrow) + 2  # its left border and padding
        for binding, enabled, tooltip in by_action.values():
            cells = self._cells(binding, narrow)
            if cells > budget:
                break  # keep the screen's order: the first keys are the most used
            budget -= cells
            yield self._key(binding, enabled, tooltip)
        if help_key is not None:
            yield self._key(*help_key)
        if palette is not None:
            binding, enabled, tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def _key(self, binding: Binding, enabled: bool, tooltip: str) -> FooterKey:
        return FooterKey(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            binding.action,
            disabled=not enabled,
            tooltip=tooltip,
        ).data_bind(compact=Footer.compact)

    def _cells(self, binding: Binding, compact: bool) -> int:
        """The columns a key takes: " k Desc " wide, "k Desc" and a margin compact."""
        return (
            cell_len(self.app.get_key_display(binding))
            + cell_len(binding.description)
            + (2 if compact else 3)
        )

    def on_resize(self, event: events.Resize) -> None:
        if self._ready and event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen) -> None:
        self._ready = True
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._keys() == self._shown
        ):
            return
        super().bindings_changed(screen)
