"""`/` on every screen that lists things: one filter line for the screen's tables.

The screen says which lists the filter narrows (`filter_lists`) and how to fill them again
(`refilter`); a KeyTable leaves out the rows that don't hold every word typed and counts them,
so the line says "3 of 11 match". enter keeps the filter and goes back to the list; esc clears
it and puts every row back, the cursor on the record it was on.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from kickoff_tui.typeahead import focus_for_typing
from kickoff_tui.widgets.filter_bar import FilterBar
from kickoff_tui.widgets.tables import KeyTable

#: `/` opens the filter (a screen lists it last in its BINDINGS: Textual orders the footer by
#: where a key is first bound, so a base class binding it would move the screen's own keys).
FILTER_KEY = Binding(
    "slash",
    "filter",
    "Filter",
    key_display="/",
    show=False,  # the footer keeps its room for the screen's own keys; help lists it
    tooltip="Filter: only the rows holding every word typed (esc clears)",
    id="list.filter",
)
#: esc clears it, on a screen whose esc does nothing else (others call `clear_filter` first).
CLEAR_FILTER_KEY = Binding(
    "escape", "clear_filter", "Clear filter", show=False, id="list.clear_filter"
)


class ListFilter(Screen):
    """A screen whose lists `/` filters. Its BINDINGS hold `FILTER_KEY` (and `CLEAR_FILTER_KEY`
    unless its own esc calls `clear_filter` first, which returns whether there was a filter to
    clear); its compose yields `compose_filter()` where the line goes (above the footer).

    A ModalScreen lists ModalScreen first among its bases (`class X(ModalScreen[None],
    ListFilter)`): Textual takes a screen's default CSS (the dimmed see-through background)
    along its first bases only.
    """

    #: Whether the filter line says how many rows match (the inbox says it in its title).
    COUNT_IN_BAR: ClassVar[bool] = True

    #: The words typed (casefolded).
    filter_words: tuple[str, ...] = ()
    #: The list that had the focus when `/` was pressed (where enter and esc go back to).
    _filter_from: Widget | None = None

    def compose_filter(self) -> ComposeResult:
        yield FilterBar()

    def filter_lists(self) -> list[Widget]:
        """The tables (or lists) the filter narrows; the first is where the focus goes back
        to when `/` was pressed elsewhere."""
        return [getattr(self, "table")]  # noqa: B009 (each such screen defines `table`)

    def refilter(self) -> None:
        """Fill the lists again (their KeyTables now leave out what doesn't match)."""
        getattr(self, "load")()  # noqa: B009 (a KickoffScreen's; other screens override this)

    def filter_counts(self) -> tuple[int, int]:
        """(rows that match, rows in all) of the filtered lists."""
        tables = [t for t in self.filter_lists() if isinstance(t, KeyTable)]
        return sum(t.matched for t in tables), sum(t.offered for t in tables)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def filter_shown(self) -> bool:
        return self.filter_bar.has_class("-shown")

    def action_filter(self) -> None:
        """Show the filter line and type into it; the lists follow every keystroke."""
        lists = self.filter_lists()
        self._filter_from = self.focused if self.focused in lists else None
        bar = self.filter_bar
        bar.add_class("-shown")
        focus_for_typing(self, bar.field)

    def action_clear_filter(self) -> None:
        self.clear_filter()

    def clear_filter(self) -> bool:
        """Hide the filter line and show every row again; False if there was no filter."""
        bar = self.filter_bar
        if not bar.has_class("-shown") and not self.filter_words:
            return False
        bar.remove_class("-shown")
        with bar.field.prevent(Input.Changed):
            bar.field.value = ""
        typing = self.focused is bar.field
        self._set_words(())
        if typing:
            self._back_to_list()
        return True

    def _back_to_list(self) -> None:
        lists = self.filter_lists()
        target = self._filter_from if self._filter_from in lists else lists[0] if lists else None
        if target is not None:
            target.focus()

    def _set_words(self, words: tuple[str, ...]) -> None:
        if words != self.filter_words:
            self.filter_words = words
            for table in self.filter_lists():
                if isinstance(table, KeyTable):
                    table.filter_words = words
            self.refilter()
        self.show_filter_count()

    def show_filter_count(self) -> None:
        """Say how many rows match on the filter line (after every refill)."""
        if not self.COUNT_IN_BAR:
            return
        matched, offered = self.filter_counts()
        self.filter_bar.show_count(self.filter_words, matched, offered)

    @on(Input.Changed, "#table-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set_words(tuple(event.value.casefold().split()))

    @on(Input.Submitted, "#table-filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.clear_filter()
        else:
            self._back_to_list()
