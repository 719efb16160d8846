"""The row of screen tabs under the header: which screen this is, and the key for each other."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label


class NavTab(Label):
    """One screen's tab; a click switches to it."""

    def __init__(self, mode: str, key: str, label: str, *, current: bool) -> None:
        super().__init__(Content.assemble((f" {key} ", "bold"), f"{label} "), markup=False)
        self.mode = mode
        if current:
            self.add_class("-current")

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action(f"app.go('{self.mode}')")


class NavBar(Horizontal):
    """Tabs for the main screens, the current one highlighted."""

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        from kickoff_tui.app import SCREENS

        for mode, (key, label, _) in SCREENS.items():
            yield NavTab(mode, key, label, current=mode == self.current)
        yield Label(getattr(self.app, "status_text", ""), id="nav-status", markup=False)
