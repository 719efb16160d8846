"""The `/` filter's line above the footer: the words typed, and how many rows match them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from kickoff_tui.widgets.text_field import TextField


class FilterBar(Horizontal):
    """A one-line field (`#table-filter`) with the count of matching rows at its right; hidden
    until `/` (see `screens.list_filter.ListFilter`)."""

    def __init__(self) -> None:
        super().__init__(classes="table-filter")

    def compose(self) -> ComposeResult:
        yield TextField(
            id="table-filter",
            compact=True,
            placeholder="Filter: words in any column · enter keeps · esc clears",
        )
        yield Static(id="table-filter-count", markup=False)

    @property
    def field(self) -> TextField:
        return self.query_one("#table-filter", TextField)

    def show_count(self, words: tuple[str, ...], matched: int, offered: int) -> None:
        """Say how many of the rows match (nothing while no word is typed)."""
        if not words:
            text = Content("")
        elif not offered:
            text = Content("nothing to filter")
        elif matched:
            text = Content(f"{matched} of {offered} match")
        else:
            text = Content.styled(f"none of {offered} match · esc clears", "$text-warning")
        self.query_one("#table-filter-count", Static).update(text)
