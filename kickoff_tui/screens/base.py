"""What every main screen shares: header, nav bar, read-only banner, footer, and reloading."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from kickoff_tui.screens.list_filter import CLEAR_FILTER_KEY, FILTER_KEY, ListFilter
from kickoff_tui.store import queries
from kickoff_tui.store.errors import StoreError
from kickoff_tui.textual_compat import styles_current
from kickoff_tui.widgets.footer import KeyFooter
from kickoff_tui.widgets.nav import NavBar
from kickoff_tui.widgets.with_session import WithSession

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.ops import Store


def own_bindings(obj: Any) -> list[Binding]:
    """The described bindings declared by kickoff's own classes in `obj`'s hierarchy.

    Textual's inherited bindings (tab, copy, cursor keys of built-in widgets) are left out, so
    help and the command palette list what this app adds.
    """
    found: list[Binding] = []
    for cls in type(obj).__mro__:
        if not cls.__module__.startswith("kickoff_tui"):
            continue
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and binding not in found:
                found.append(binding)
    return found


class WorkspaceChanged(Message):
    """The workspace changed (an edit here, another program, a sync): re-read what is shown."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class KickoffScreen(WithSession, Screen):
    """A main screen. Subclasses yield their body in :meth:`compose_body` and fill it in
    :meth:`reload`, which runs on mount, after every change while visible, and on return
    to the screen when something changed meanwhile."""

    #: Mode name in KickoffApp.SCREENS, and the label used in help and the palette.
    MODE = ""
    LABEL = ""
    #: One sentence shown at the top of this screen's help.
    HELP = ""
    #: (key, description) rows for help that aren't bindings (mouse gestures, field keys).
    EXTRA_HELP: ClassVar[list[tuple[str, str]]] = []

    app: KickoffApp

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        #: Set by KickoffApp.action_go when it switches to this screen (see on_screen_resume).
        self.keep_styles_on_resume = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar(self.MODE)
        if self.store.readonly:
            yield Static(
                f"Read-only: {self.store.readonly_why}.", id="readonly-banner", markup=False
            )
        yield from self.compose_body()
        yield from self.compose_filter()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def compose_filter(self) -> ComposeResult:
        yield from ()

    def reload(self) -> None:
        """Re-read this screen's data from the store and show it."""

    def load(self) -> None:
        """Run :meth:`reload`, turning a store problem into a notification."""
        self._generation = self.session.generation
        try:
            self.reload()
        except StoreError as exc:
            self.notify(
                exc.message,
                title="Can't read the workspace",
                severity="error",
                markup=False,
                timeout=10,
            )

    def show_record(self, record_id: str | None) -> None:
        """Reload and put the cursor on `record_id`, a record just added or saved (nothing
        when the store refused the change and there is no id)."""
        if record_id:
            self.load()
            self.cursor_to(record_id)

    def cursor_to(self, record_id: str) -> None:
        """Put the cursor on a record's row. Screens with one main DataTable (`self.table`)
        share this one; the board and the risk grid have their own cursors."""
        from kickoff_tui.widgets.tables import move_to_key

        table = getattr(self, "table", None)  # each such screen defines `table`
        if table is not None:
            move_to_key(table, record_id)

    def on_mount(self) -> None:
        self.sub_title = self.app.day_title()
        self.load()
        self.call_after_refresh(self.app.screen_ready, self)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if self.keep_styles_on_resume and styles_current(self.app, self):
            # Shown by a key 1–6: its styles are those of the current theme and CSS (switch_mode
            # refreshes them when the theme changed meanwhile). Restyling every widget would
            # also drop the tables' render caches, and repainting them is most of a switch.
            event.refresh_styles = False
        self.keep_styles_on_resume = False
        self.catch_up()

    @property
    def loaded(self) -> bool:
        """Whether this screen has loaded its data once (it has mounted)."""
        return self._generation != -1

    def catch_up(self) -> None:
        """Reload if the workspace changed since this screen last loaded (it was hidden)."""
        self.sub_title = self.app.day_title()
        if self._generation != self.session.generation and self.loaded:
            self.load()

    def on_workspace_changed(self, message: WorkspaceChanged) -> None:
        if self.is_current and message.generation != self._generation:
            self.sub_title = self.app.day_title()
            self.load()


def card_ref_parser(store: Store) -> Callable[[str], str]:
    """A form field's parser for "the card it affects": a card number (12, #12) or id to its id."""

    def card_ref(text: str) -> str:
        found = queries.resolve_ref(store, "card", text)
        if found is None:
            raise ValueError(f"There is no card {text.strip()}: type its number, e.g. 12.")
        return found

    return card_ref


class FilteredScreen(ListFilter, KickoffScreen):
    """A main screen whose tables `/` filters (screens/list_filter.py): the filter line sits
    above the footer, and every reload counts the rows that match again."""

    BINDINGS: ClassVar[list[BindingType]] = [FILTER_KEY, CLEAR_FILTER_KEY]

    def load(self) -> None:
        super().load()
        if self.filter_words:
            self.show_filter_count()
