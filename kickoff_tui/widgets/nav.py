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
        self.full = Content.assemble((f" {key} ", "bold"), f"{label} ")
        self.short = Content.styled(f" {key} ", "bold")
        super().__init__(self.full, markup=False)
        self.mode = mode
        self.current = current
        if current:
            self.add_class("-current")

    def set_short(self, short: bool) -> None:
        """Only the key (the current tab always keeps its name)."""
        self.update(self.short if short and not self.current else self.full)

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

    def show_status(self, text: str) -> None:
        """Show the sync status at the right, and fit the tabs around it."""
        self.query_one("#nav-status", Label).update(text)
        self.fit(text)

    def on_resize(self) -> None:
        self.fit(getattr(self.app, "status_text", ""))

    def fit(self, status: str) -> None:
        """With every tab's name the status doesn't fit (8 tabs at 80 columns): the other tabs
        show only their keys while there is a status to show."""
        tabs = list(self.query(NavTab))
        full = sum(tab.full.cell_length for tab in tabs)
        short = bool(status) and full + len(status) + 1 > (self.size.width or self.app.size.width)
        for tab in tabs:
            tab.set_short(short)
