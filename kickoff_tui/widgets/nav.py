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
        # No space after the label: the next tab's bold key starts with one, and nine tabs
        # then fit in 79 columns.
        self.full = Content.assemble((f" {key} ", "bold"), label)
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
        """When every tab's name and the status don't fit (nine tabs and "synced 12:04" at 80
        columns), the other tabs show only their keys; the current one keeps its name."""
        tabs = list(self.query(NavTab))
        full = sum(tab.full.cell_length for tab in tabs)
        room = self.size.width or self.app.size.width
        short = full + (len(status) + 2 if status else 0) > room
        for tab in tabs:
            tab.set_short(short)
