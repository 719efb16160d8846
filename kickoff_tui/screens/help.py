"""`?`: every key of the screen underneath, and the keys that work everywhere."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from kickoff_tui.screens.base import KickoffScreen, own_bindings


class HelpScreen(ModalScreen[None]):
    """A list of the keys of `screen` (grouped: this screen, everywhere)."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.under = screen

    def compose(self) -> ComposeResult:
        label = getattr(self.under, "LABEL", "") or "This screen"
        with Vertical(id="help-box") as box:
            box.border_title = f"Keys — {label}"
            box.border_subtitle = "esc closes"
            about = getattr(self.under, "HELP", "")
            if about:
                yield Static(about, id="help-about", markup=False)
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does")
        own = own_bindings(self.under)
        for node in self.under.focus_chain:
            own += [b for b in own_bindings(node) if b not in own]
        screen_rows = [_row(self.app, b) for b in own]
        if isinstance(self.under, KickoffScreen):
            screen_rows += self.under.EXTRA_HELP
        app_rows = [_row(self.app, b) for b in own_bindings(self.app)]
        app_rows.append(("ctrl+p", "Command palette: every screen and action"))
        for title, rows in (("This screen", screen_rows), ("Everywhere", app_rows)):
            if not rows:
                continue
            table.add_row(Text(title, style="bold"), Text(""))
            for key, what in dict.fromkeys(rows):
                table.add_row(Text(f"  {key}"), Text(what))


def _row(app, binding: Binding) -> tuple[str, str]:
    keys = [k.strip() for k in binding.key.split(",")]
    shown = binding.key_display or " / ".join(app.get_key_display(Binding(k, "")) for k in keys)
    # A short footer label may have its full sentence in the tooltip.
    return shown, binding.tooltip or binding.description
