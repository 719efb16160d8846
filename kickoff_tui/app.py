"""KickoffApp: the screens, global keys, command palette, theme and the link to the store."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kickoff_tui import clock, config, themes
from kickoff_tui.readonly import changes
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.ops import Change, Store
from kickoff_tui.textual_compat import (
    CompatApp,
    lay_out_offscreen,
    mark_styles_current,
    modes_built,
    start_mode_in_background,
)
from kickoff_tui.typeahead import opens_form

if TYPE_CHECKING:
    from textual.filter import LineFilter

    from kickoff_tui.screens.base import KickoffScreen

#: mode name -> (key, label, "module:Class"). The order is the order of the nav bar.
SCREENS: dict[str, tuple[str, str, str]] = {
    "board": ("1", "Board", "kickoff_tui.screens.board:BoardScreen"),
    "okrs": ("2", "OKRs", "kickoff_tui.screens.okrs:OkrScreen"),
    "risks": ("3", "Risks", "kickoff_tui.screens.risks:RiskScreen"),
    "standup": ("4", "Standup", "kickoff_tui.screens.standup:StandupScreen"),
    "review": ("5", "Review", "kickoff_tui.screens.review:ReviewScreen"),
    "decisions": ("6", "Decisions", "kickoff_tui.screens.decisions:DecisionScreen"),
    "team": ("7", "Team", "kickoff_tui.screens.team:TeamScreen"),
    "kickoff": ("8", "Kickoff", "kickoff_tui.screens.kickoff:KickoffPage"),
    "inbox": ("0", "Inbox", "kickoff_tui.screens.inbox:InboxScreen"),
}

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
POLL_SECONDS = 1.0
#: Notifications on screen at once; an older one makes way for a new one.
MAX_NOTIFICATIONS = 2
#: Pause between building one main screen in the background and the next (keys go first).
PRELOAD_GAP = 0.05
#: Longest quitting waits for a screen being built in the background (it takes tens of ms).
BUILD_WAIT = 2.0


def _lazy_screen(target: str) -> Callable[[], Screen]:
    """A MODES factory that imports the screen's module only when the screen is first shown."""

    def make() -> Screen:
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)()

    return make


#: The modifiers a key name may start with (`ctrl+n`, `shift+alt+up`).
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def is_key_name(key: str) -> bool:
    """Whether `key` names a key the terminal can send, as Textual spells it: a character
    (`a`, `?`), a key (`escape`, `f5`, `pageup`) or a character's name (`question_mark`,
    `slash`), after any modifiers."""
    from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

    *modifiers, name = key.split("+")
    if not name or not MODIFIERS.issuperset(modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return (
        (name in {k.value for k in Keys} and not name.startswith("<"))
        or key_to_character(name) is not None
        or name in KEY_NAME_REPLACEMENTS.values()
    )


def _search_provider() -> type:
    """The command palette's search across everything (imported when the palette first opens)."""
    from kickoff_tui.palette import SearchProvider

    return SearchProvider


class KickoffApp(CompatApp[int]):
    """The terminal workspace on one store."""

    CSS_PATH = "app.tcss"
    TITLE = "kickoff"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        mode: _lazy_screen(target) for mode, (_, _, target) in SCREENS.items()
    }
    DEFAULT_MODE = "board"
    COMMANDS = CompatApp.COMMANDS | {_search_provider}
    max_notifications = MAX_NOTIFICATIONS  # newest on top (textual_compat.CompatApp)
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"app.go('{mode}')", f"Go to {label}", show=False, id=f"app.go_{mode}")
            for mode, (key, label, _) in SCREENS.items()
        ),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding(
            "ctrl+z",
            "app.undo",
            "Undo the last change made in this session",
            show=False,
            id="app.undo",
        ),
        Binding(
            "ctrl+t", "app.toggle_light", "Light / dark theme", show=False, id="app.toggle_light"
        ),
        Binding("S", "app.sync_now", "Sync now", show=False, id="app.sync_now"),
        Binding(
            "exclamation_mark",
            "app.conflicts",
            "Conflicts",
            show=False,
            key_display="!",
            id="app.conflicts",
        ),
        Binding("ctrl+q", "app.quit", "Quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        poll: bool = True,
        preload: bool = True,
        notice: str | None = None,
        start: str | None = None,
    ) -> None:
        if start in SCREENS:
            # Read by App.__init__ (public API): this app opens on `start` instead of the board.
            self.DEFAULT_MODE = start  # type: ignore[misc]
        super().__init__()
        from kickoff_tui.widgets.visible import VisibleControls

        #: No control character reaches the terminal (see `get_line_filters`).
        self.visible_controls = VisibleControls()
        from kickoff_tui.session import Session

        #: Store, undo, who am I and change tracking live here; screens use `self.session`.
        self.session = Session(store, report=self._report_store_problem)
        self.session.subscribe(self._session_changed)
        #: The first notification (which file was opened), shown with the first frame.
        self.notice = notice
        self._poll_enabled = poll
        self._first_frame_done = False
        #: Build the main screens not shown yet in the background after the first frame, so
        #: switching to one only repaints it (and reloads it when the workspace changed).
        self._preload = preload
        self._preloading: Screen | None = None
        #: Set when the screen being built in the background is ready (see `_shutdown`).
        self._preloaded = asyncio.Event()
        self._shutting_down = False
        #: exit()'s arguments while it waits for the screen being built (see `exit`).
        self._exit_when_built: tuple[Any, int, Any] | None = None
        #: Set once the app really exits (Textual's exit() called).
        self._exiting = False
        self._quick_switch = False
        self.status_text = ""
        #: config.toml's usable `[keymap]` entries (binding id -> keys), for help to show.
        self.keymap_in_use: dict[str, str] = {}
        from kickoff_tui.syncing import AutoSync

        self.auto_sync = AutoSync(self)
        from kickoff_tui.typeahead import TypeAhead

        #: Keys typed while a form opens, kept for the form (kickoff_tui/typeahead.py).
        self.typeahead = TypeAhead(self)
        saved = config.get("theme")
        if themes.no_color():
            # NO_COLOR: greys far apart for this session (the saved theme stays saved).
            self.register_theme(themes.MONO)
            self.theme = themes.MONO_THEME
        elif isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved
        self.title = self.session.workspace.get("name") or "kickoff"

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.load_keymap()
        settings_problem = config.problem()
        if settings_problem:  # also said on stderr; here so it is seen while the UI is up
            self.notify(
                settings_problem,
                title="Settings ignored",
                severity="warning",
                markup=False,
                timeout=12,
            )
        self.session.start()
        if self._poll_enabled:
            self.set_interval(POLL_SECONDS, self._poll, name="store-poll")
            self.auto_sync.start()

    def load_keymap(self) -> None:
        """Apply config.toml's `[keymap]` (binding id -> keys, `kickoff keys` lists the ids);
        each entry that can't be used is said once, in one sentence, and left out."""
        from kickoff_tui import keymap

        table = config.get("keymap")
        if table is None:
            return
        try:
            source = config.config_path().read_text(encoding="utf-8")
        except (OSError, ValueError):
            source = ""  # read a moment ago; the sentences then go without their line
        good, problems = keymap.check(table, is_key_name, source)
        self.keymap_in_use = good
        self.set_keymap(good)
        if problems:  # one notification, one line per entry (two toasts fit on screen at once)
            self.notify(
                "\n".join(problems),
                title="Keymap: the rest of it applies",
                severity="warning",
                markup=False,
                timeout=15,
            )

    def _save_theme(self, theme: Any) -> None:
        config.set_value("theme", self.theme)

    @property
    def first_frame_done(self) -> bool:
        """Whether the first screen has painted (a screen may leave slow work until then)."""
        return self._first_frame_done

    def first_frame_shown(self) -> None:
        """Screens call this once their first data is on screen (bench/ measures up to here)."""
        if self._first_frame_done:
            return
        self._first_frame_done = True
        if self.notice:
            self.notify(self.notice, markup=False, timeout=12)
        if os.environ.get("KICKOFF_EXIT_AFTER_FIRST_FRAME"):
            os.write(2, b"kickoff:first-frame\n")
            # Leave from the app's message loop: a fast screen can paint its first frame while
            # the app is still mounting its own widgets, and exiting then raises MountError.
            self.call_later(self.exit, 0)
            return
        if self._preload:
            self.set_timer(PRELOAD_GAP, self._preload_next, name="preload")
        from kickoff_tui.screens.setup import should_ask_who_i_am

        if self.session.safe(should_ask_who_i_am, self):
            # The first open on this machine: who are you, then (on a new, empty workspace)
            # the first-run checklist instead of empty screens.
            from kickoff_tui.store.first_run import is_empty

            self.call_later(
                self.action_who_am_i, True, bool(self.session.safe(is_empty, self.session.store))
            )

    def screen_ready(self, screen: KickoffScreen) -> None:
        """A main screen has mounted and shown (or, in the background, loaded) its data."""
        # Just mounted, its styles are those of the current theme and CSS: showing it again
        # needs no CSS pass over the whole app (Textual does one when a screen's count is behind
        # the app's, as after a theme change; the first screen mounts before the count is set).
        mark_styles_current(self, screen)
        if screen.is_current:
            self.first_frame_shown()
        if screen is not self._preloading:
            return
        self._preloading = None
        self._preloaded.set()
        if self._exit_when_built is not None:
            # Let the screen's widgets finish their own mount callbacks first.
            self.call_after_refresh(self._exit_now)
            return
        if not screen.is_current and screen.is_attached:
            # Lay it out off screen so that switching to it only paints.
            lay_out_offscreen(screen, self.size)  # fills the tables' render caches
        self.set_timer(PRELOAD_GAP, self._preload_next, name="preload")

    def _preload_next(self) -> None:
        """Build the next main screen not built yet, in the nav bar's order, without showing it.

        One screen at a time, each after the previous one is ready, so keys pressed meanwhile
        are handled between them. This does what Textual's switch_mode does for a new mode,
        except making the screen current.
        """
        stacks = modes_built(self)
        if (
            self._preloading is not None
            or self._exiting
            or not stacks
            or not self.is_running
            or self._exit_when_built is not None
            or self._shutting_down
        ):
            return
        mode = next((m for m in SCREENS if m not in stacks), None)
        if mode is None:
            return
        screen = _lazy_screen(SCREENS[mode][2])()
        self._preloading = screen
        self._preloaded.clear()
        start_mode_in_background(self, mode, screen)

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Exit; while a screen is being built in the background, first let it finish.

        Textual tears a half-mounted screen down badly (its header's title callback, say, finds
        no title and raises), and the user who pressed ctrl+q would see a traceback. Building
        one screen takes a few tens of milliseconds; a timer exits anyway after BUILD_WAIT.
        """
        if self._preloading is not None and not self._exiting and self.is_running:
            if self._exit_when_built is None:
                self._exit_when_built = (result, return_code, message)
                self.set_timer(BUILD_WAIT, self._exit_now, name="exit-when-built")
            return
        self._exiting = True
        super().exit(result, return_code, message)

    async def action_quit(self) -> None:
        """Quit; from a form with unsaved changes, only after a `y` (ctrl+q again also quits)."""
        from kickoff_tui.widgets.form import FormScreen

        form = self.screen
        if isinstance(form, FormScreen):
            form.confirm_leaving("Quit without saving?", yes="Quit", then=self.exit)
            return
        self.exit()

    def _exit_now(self) -> None:
        if self._exit_when_built is not None and not self._exiting:
            result, return_code, message = self._exit_when_built
            self._exiting = True
            super().exit(result, return_code, message)

    async def before_shutdown(self) -> None:
        """Before Textual closes the screens, let a screen being built in the background
        finish, and build no other one.

        Every way out ends here, not only `exit` (ctrl+q): the end of a test (`run_test`), an
        error that stops the app. Closing a half-built screen fails in its own mount code
        (`NoMatches id='before'` from the standup screen's first load).
        """
        self._shutting_down = True
        if self._preloading is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._preloaded.wait(), BUILD_WAIT)

    async def on_event(self, event: events.Event) -> None:
        """Hold a key from the terminal while a form opens (typeahead.py), before Textual sends
        it to the widget with focus."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self.typeahead.arrived(event)
        ):
            return
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """Keep keys typed while a form opens for the form (typeahead.py).

        Textual runs every class's key handler from here up; preventing the default stops
        App's, which would run the key's binding on the screen behind the form.
        """
        if self.typeahead.take(event) or self.typeahead.stray(event):
            event.prevent_default()

    def handle_error(self, error: Exception) -> bool:
        """A store problem that reaches the top ends the app with its sentence, not a traceback."""
        if isinstance(error, StoreError):
            self.exit(return_code=error.exit_code, message=f"kickoff: {error.message}")
            return True
        return False

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters, then ours: control characters are drawn as symbols."""
        return [*super().get_line_filters(), self.visible_controls]

    # ------------------------------------------------------------------ the store

    def _report_store_problem(self, message: str, title: str) -> None:
        self.notify(message, title=title, severity="error", markup=False, timeout=8)

    def _session_changed(self, change: Change | None) -> None:
        """The session saw a change: the visible screen reloads, others on return."""
        from kickoff_tui.screens.base import WorkspaceChanged

        self.title = self.session.workspace.get("name") or "kickoff"
        if change is not None:
            self.auto_sync.after_edit()
        for screen in self.screen_stack:
            screen.post_message(WorkspaceChanged(self.session.generation))

    def _poll(self) -> None:
        """Notice commits by other programs on the same file (teammates' apps, sync, the CLI)."""
        self.session.poll()

    # ------------------------------------------------------------------ actions

    def day_title(self) -> str:
        """'Day 37 of 90 · 31–60' for the header, or '' before the workspace has a kickoff date."""
        from datetime import date

        from kickoff_tui.rules.windows import WINDOW_LABELS, day_of, window_of

        kickoff = self.session.workspace.get("kickoff_date")
        if not kickoff:
            return ""
        try:
            start = date.fromisoformat(kickoff)
        except ValueError:
            return ""
        tz = self.session.workspace.get("timezone") or "UTC"
        today = clock.today(tz)
        day = day_of(today, start, tz)
        if day < 0:
            return f"Kickoff in {-day} day{'s' if day != -1 else ''}"
        window = window_of(today, start, tz)
        if window == "later":
            return f"Day {day} · past the 90 days"
        return f"Day {day} of 90 · {WINDOW_LABELS[window]} window"

    def action_go(self, mode: str) -> None:
        """Show one of the main screens."""
        from kickoff_tui.screens.base import KickoffScreen

        if mode not in SCREENS or self.current_mode == mode:
            return
        stack = modes_built(self).get(mode) or []
        built = stack[0] if len(stack) == 1 else None
        if isinstance(built, KickoffScreen) and built.is_mounted and built.loaded:
            # Built in the background: bring its data up to date before it shows, then show it
            # on the next frame (no need for Textual's 50 ms pause that masks building one).
            built.catch_up()
            self._quick_switch = True
        try:
            self.switch_mode(mode)
        finally:
            self._quick_switch = False
        screen = self.screen
        if isinstance(screen, KickoffScreen):
            # A mode switch changes no style: the screen keeps its styles and its tables'
            # render caches when it resumes (Textual would restyle every widget).
            screen.keep_styles_on_resume = True

    def delay_update(self, delay: float = 0.05) -> None:
        if not self._quick_switch:  # switch_mode masks building a new screen with this pause
            super().delay_update(delay)

    def copy_text(self, text: str) -> str:
        """Copy `text` for the user and say how, for the notification that follows.

        The desktop's clipboard program first (kickoff_tui/clipboard.py), else OSC 52 through
        the terminal, which some terminals and tmux ignore: the sentence says which.
        """
        from kickoff_tui import clipboard

        program = clipboard.copy(text)
        self.copy_to_clipboard(text)  # OSC 52 as well: the terminal may be on another desktop
        if program:
            return f"copied to the clipboard ({program})"
        return "sent to the terminal's clipboard (OSC 52; some terminals and tmux ignore it)"

    def open_board(self, filter_text: str) -> None:
        """Show the board filtered by `filter_text` (e.g. "kr:3" for key result #3's cards)."""
        self.action_go("board")

        def apply() -> None:
            screen = self.kickoff_screen
            if screen is not None and hasattr(screen, "set_filter"):
                screen.set_filter(filter_text)

        self.call_after_refresh(apply)

    def set_status(self, text: str) -> None:
        """Show a short state line (e.g. "synced 12:04") at the right of the nav bar."""
        from kickoff_tui.widgets.nav import NavBar

        self.status_text = text
        for bar in self.screen.query(NavBar):
            bar.show_status(text)

    def action_help(self) -> None:
        from kickoff_tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_undo(self) -> None:
        """Undo the last change made in this session (as new operations, so it syncs)."""
        if not self.session.undo_stack:
            self.notify("Nothing to undo in this session.", markup=False)
            return
        summary = self.session.undo()
        if summary is not None:
            self.notify(f"Undid: {summary or 'last change'}", markup=False)

    def action_sync_now(self) -> None:
        """Sync with the team now (a shared folder, or git: commit, pull, import, push)."""
        self.auto_sync.now()

    def action_conflicts(self) -> None:
        """Show every conflict, to keep one value or type a merged one."""
        from kickoff_tui.screens.conflicts import ConflictsScreen

        if isinstance(self.screen, ConflictsScreen):
            self.screen.dismiss()
            return
        self.push_screen(ConflictsScreen())

    def action_who_am_i(self, first: bool = False, then_checklist: bool = False) -> None:
        """Say who you are on this machine (pick yourself or add yourself; never synced)."""
        from kickoff_tui.screens.setup import who_am_i

        async def ask() -> None:
            await who_am_i(self, first=first)
            if then_checklist:
                self.action_first_run()

        self.run_worker(ask(), group="setup-form", exclusive=True)

    def action_first_run(self) -> None:
        """The first-run checklist: add the team, objectives, the first 30 days, risks, first
        actions; each line ticks itself off from the data."""
        from kickoff_tui.screens.first_run import FirstRunScreen

        if not isinstance(self.screen, FirstRunScreen):
            self.push_screen(FirstRunScreen())

    @changes
    def action_settings(self) -> None:
        """The workspace settings form (name, purpose, kickoff date, time zone, standup)."""
        from kickoff_tui.screens.setup import edit_settings

        self.run_worker(edit_settings(self), group="setup-form", exclusive=True)

    def action_raci(self) -> None:
        """The RACI matrix: cards × people."""
        from kickoff_tui.screens.raci import RaciScreen

        if not isinstance(self.screen, RaciScreen):
            self.push_screen(RaciScreen())

    @opens_form("okr-review-form")
    async def action_okr_review(self) -> None:
        """The monthly OKR review: the running one, or a new one (who attends?). Keys typed
        right after `R` go into the attendees form (or the review), not to the OKRs screen."""
        from kickoff_tui.screens.okr_review import OkrReviewScreen, open_review

        if not isinstance(self.screen, OkrReviewScreen):
            await open_review(self)

    @opens_form("retro-form")
    async def action_retro(self) -> None:
        """The retrospective: the running one, or a new one pre-filled from the data (keys
        typed right after `R` answer the question, or reach the board)."""
        from kickoff_tui.screens.retro import RetroScreen, open_retro

        if not isinstance(self.screen, RetroScreen):
            await open_retro(self)

    def action_pulse(self) -> None:
        """The pulse checks: results, trend, answer and open (screens/pulse.py)."""
        from kickoff_tui.screens.pulse import PulseScreen

        if not isinstance(self.screen, PulseScreen):
            self.push_screen(PulseScreen())

    @changes
    def action_answer_pulse(self) -> None:
        """Answer the open pulse check: one number key per question."""
        from kickoff_tui.screens.pulse_answer import answer_pulse

        self.run_worker(answer_pulse(self), group="pulse-form", exclusive=True)

    def action_offer_pulse(self) -> None:
        """After a standup: "pulse is open: answer now?" when I haven't answered it."""
        from kickoff_tui.screens.pulse_answer import offer_after_standup

        if not self.session.store.readonly:
            self.run_worker(offer_after_standup(self), group="pulse-form", exclusive=True)

    def action_toggle_light(self) -> None:
        """Switch between the light theme (for projectors) and the dark one."""
        self.theme = DARK_THEME if self.current_theme.dark is False else LIGHT_THEME

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode, (key, label, _) in SCREENS.items():
            yield SystemCommand(
                f"Go to {label}",
                f"Show the {label} screen (key {key})",
                lambda m=mode: self.action_go(m),
            )
        yield SystemCommand(
            "Undo", "Undo the last change made in this session (ctrl+z)", self.action_undo
        )
        yield SystemCommand(
            "Light / dark theme",
            "Switch to the light theme and back (ctrl+t)",
            self.action_toggle_light,
        )
        yield SystemCommand("Help", "List every key of this screen (?)", self.action_help)
        yield SystemCommand(
            "Sync now", "Sync with the team's folder or git repository (S)", self.action_sync_now
        )
        yield SystemCommand(
            "Conflicts",
            "Changes two people made at once: keep one or merge (!)",
            self.action_conflicts,
        )
        yield SystemCommand(
            "Who am I…", "Say who you are on this machine (never synced)", self.action_who_am_i
        )
        yield SystemCommand(
            "Workspace settings…",
            "Name, purpose, kickoff date, time zone, standup, OKR review, retros, pulse",
            self.action_settings,
        )
        yield SystemCommand(
            "RACI matrix", "Cards × people: who is R, A, C, I (board R)", self.action_raci
        )
        yield SystemCommand(
            "Monthly OKR review",
            "Each objective and key result in turn: keep, adjust, drop, add (OKRs R)",
            self.action_okr_review,
        )
        yield SystemCommand(
            "Retrospective",
            "Went well, didn't go well, change; votes; items become cards",
            self.action_retro,
        )
        yield SystemCommand(
            "Pulse check", "Results and trend of the pulse checks; open one", self.action_pulse
        )
        yield SystemCommand(
            "Answer the pulse", "The open pulse check: 1–5 per question", self.action_answer_pulse
        )
        yield SystemCommand(
            "First-run checklist",
            "Team, objectives, first 30 days, risks, first actions",
            self.action_first_run,
        )
        from kickoff_tui.screens.base import own_bindings

        base = self._base_screen(screen)
        for binding in own_bindings(base):
            if binding.action:
                yield SystemCommand(
                    f"{getattr(base, 'LABEL', '')}: {binding.tooltip or binding.description}".lstrip(
                        ": "
                    ),
                    f"key {binding.key_display or binding.key.split(',')[0]}",
                    lambda b=binding, s=base: self.call_later(s.run_action, b.action),
                )
        yield from super().get_system_commands(screen)

    def _base_screen(self, screen: Screen) -> Screen:
        from kickoff_tui.screens.base import KickoffScreen

        if isinstance(screen, KickoffScreen):
            return screen
        for candidate in reversed(self.screen_stack):
            if isinstance(candidate, KickoffScreen):
                return candidate
        return screen

    @property
    def kickoff_screen(self) -> KickoffScreen | None:
        """The main screen under any dialogs."""
        from kickoff_tui.screens.base import KickoffScreen

        found = self._base_screen(self.screen)
        return found if isinstance(found, KickoffScreen) else None
