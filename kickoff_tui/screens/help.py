"""`?`: every key of the screen underneath, and the keys that work everywhere.

A scrolling table (↓ ↑ j k, pgdn pgup, home end g G), so the whole list can be read at 80×24;
`/` narrows it to the rows whose key or description contain the words typed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from kickoff_tui.screens.base import KickoffScreen, own_bindings
from kickoff_tui.typeahead import focus_for_typing
from kickoff_tui.widgets.tables import KeyTable
from kickoff_tui.widgets.text_field import TextField

#: The share of the screen's height the box may take (see help.tcss).
BOX_HEIGHT = 0.9


class HelpScreen(ModalScreen[None]):
    """A list of the keys of `screen` (grouped: this screen, everywhere)."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", key_display="esc", id="help.close"),
        Binding("slash", "search", "Search", key_display="/", id="help.search"),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.under = screen
        #: (section, [(key, what), ...]) in the order shown.
        self.sections: list[tuple[str, list[tuple[str, str]]]] = []

    def compose(self) -> ComposeResult:
        label = getattr(self.under, "LABEL", "") or "This screen"
        with Vertical(id="help-box") as box:
            box.border_title = f"Keys — {label}"
            box.border_subtitle = "↓ ↑ pgdn end scroll · / search · esc closes"
            about = getattr(self.under, "HELP", "")
            if about:
                yield Static(about, id="help-about", markup=False)
            yield TextField(id="help-search", compact=True, placeholder="search keys · enter keeps")
            yield KeyTable(id="help-keys", cursor_type="row", zebra_stripes=True)

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
        self.sections = [
            (title, list(dict.fromkeys(rows)))
            for title, rows in (("This screen", screen_rows), ("Everywhere", app_rows))
            if rows
        ]
        self._fill("")
        table.focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Give the table the box's height less the lines above it, so that it scrolls inside
        the box (an auto-height table would grow past the box's bottom and be cut off)."""
        if not self.is_attached:
            return  # closed meanwhile
        box = self.query_one("#help-box")
        table = self.query_one(DataTable)
        limit = int(self.size.height * BOX_HEIGHT) - box.styles.gutter.height
        above = sum(
            child.outer_size.height
            for child in box.children
            if child is not table and child.display
        )
        height = max(3, limit - above)
        if table.styles.max_height is None or table.styles.max_height.value != height:
            table.styles.max_height = height

    def _fill(self, search: str) -> None:
        """Show the rows whose key or description contain every word of `search`."""
        table = self.query_one(DataTable)
        table.clear()
        words = search.casefold().split()
        for title, rows in self.sections:
            found = [
                (key, what)
                for key, what in rows
                if all(w in f"{key} {what}".casefold() for w in words)
            ]
            if not found:
                continue
            table.add_row(Text(title, style="bold"), Text(""))
            for key, what in found:
                table.add_row(Text(f"  {key}"), Text(what))
        if words and not table.row_count:
            table.add_row(Text(""), Text(f"No key matches “{search.strip()}”."))

    # ------------------------------------------------------------------ keys

    def action_search(self) -> None:
        """Show the search line and type into it; the table follows every keystroke."""
        box = self.query_one("#help-search", Input)
        box.add_class("-shown")
        focus_for_typing(self, box)  # keys typed right after / go into the box, in order
        self.call_after_refresh(self._fit)

    @on(Input.Changed, "#help-search")
    def _searched(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#help-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def action_close(self) -> None:
        """esc: clear the search first (if any), else close help."""
        box = self.query_one("#help-search", Input)
        if box.has_focus or box.value:
            box.value = ""
            box.remove_class("-shown")
            self.query_one(DataTable).focus()
            self.call_after_refresh(self._fit)
            return
        self.dismiss()


def _row(app, binding: Binding) -> tuple[str, str]:
    remapped = getattr(app, "keymap_in_use", {}).get(binding.id or "")  # config's [keymap]
    keys = [k.strip() for k in (remapped or binding.key).split(",")]
    shown = (not remapped and binding.key_display) or " / ".join(
        app.get_key_display(Binding(k, "")) for k in keys
    )
    # A short footer label may have its full sentence in the tooltip.
    return shown, binding.tooltip or binding.description
