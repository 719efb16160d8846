"""The first-run checklist: what a new team does first, each line ticked off from the data.

Shown when a workspace with no objectives and no cards opens (and from the palette). `enter` or
the line's number jumps to the place to do it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kickoff_tui.store.first_run import checklist
from kickoff_tui.widgets.tables import KeyList
from kickoff_tui.widgets.with_session import WithSession

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp

HINTS = {
    "team": "7, then n",
    "okrs": "2, then o and n",
    "plan": "1, then n",
    "risks": "3, then n",
    "first": "7, then f",
    "charter": "8, then e",
}


class FirstRunScreen(WithSession, ModalScreen[None]):
    """A short checklist for a new workspace."""

    CSS_PATH = "team.tcss"
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="first_run.dismiss"),
        *(
            Binding(str(i), f"jump({i - 1})", show=False, id=f"first_run.jump_{i}")
            for i in range(1, len(HINTS) + 1)
        ),
    ]

    app: KickoffApp

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run-box") as box:
            box.border_title = "Get your team started"
            box.border_subtitle = "enter go there · esc close · ctrl+p First-run checklist"
            yield Static(
                "A new workspace. These six steps make it the team's plan:",
                id="first-run-about",
                markup=False,
            )
            yield KeyList(id="first-run-list")

    def on_mount(self) -> None:
        self.reload()
        options = self.query_one(OptionList)
        options.highlighted = next((i for i, item in enumerate(self.items) if not item["done"]), 0)
        options.focus()

    def reload(self) -> None:
        self.items = checklist(self.store)
        options = self.query_one(OptionList)
        options.clear_options()
        for i, item in enumerate(self.items, start=1):
            mark = ("✓ ", "bold $text-success") if item["done"] else ("☐ ", "bold")
            options.add_option(
                Option(
                    Content.assemble(
                        f"{i} ",
                        mark,
                        (item["text"], "$text-muted" if item["done"] else ""),
                        (f"  ({HINTS[item['key']]})", "$text-muted"),
                    ),
                    id=item["key"],
                )
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump(event.option_index)

    def action_jump(self, index: int) -> None:
        if 0 <= index < len(self.items):
            mode = self.items[index]["mode"]
            self.dismiss(None)
            self.app.action_go(mode)
