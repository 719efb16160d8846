"""Every private Textual (and textual-serve) member kickoff relies on, in one place.

Textual's private names change without notice between releases. Nothing outside this module
touches one (`tests/test_textual_compat.py::test_no_private_textual_names_outside_compat`
checks), and each entry here has a test in that file that fails loudly when an upgrade breaks
it. Before adding an entry, look for a public API that does the job; before upgrading Textual,
run that test file. Each entry says in one line why no public API does it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App, ScreenStackError
from textual.cache import LRUCache
from textual.css.query import NoMatches
from textual.css.stylesheet import Stylesheet

# The footer's key widget is not exported by textual.widgets; KeyFooter builds its own keys.
from textual.widgets._footer import FooterKey

# Toasts are not exported by textual.widgets: the notification rack's own widgets.
from textual.widgets._toast import Toast, ToastHolder, ToastRack

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.screen import Screen

__all__ = [
    "CompatApp",
    "FooterKey",
    "hook_make_app",
    "lay_out_offscreen",
    "mark_styles_current",
    "modes_built",
    "quick_idle_checks",
    "share_parsed_css",
    "start_mode_in_background",
    "steady_cursors",
    "styles_current",
]

ReturnType = TypeVar("ReturnType")


# ---------------------------------------------------------------- building screens in the background


def modes_built(app: App[Any]) -> dict[str, list[Screen]]:
    """The app's screen stack per mode, for modes already built.

    App._screen_stacks: no public API says which modes have a screen without building one.
    """
    stacks: dict[str, list[Screen]] | None = getattr(app, "_screen_stacks", None)
    return stacks if stacks is not None else {}


def start_mode_in_background(app: App[Any], mode: str, screen: Screen) -> None:
    """Build `screen` as `mode`'s screen without showing it (switch_mode minus making it current).

    App._load_screen_css and App._register: Textual only builds a mode's screen on switch_mode,
    which also shows it; preloading builds it off screen so a later switch only repaints.
    """
    app._load_screen_css(screen)
    modes_built(app)[mode] = [screen]
    app._register(app, screen)  # starts its message loop: compose, mount, load


def lay_out_offscreen(screen: Screen, size: Size) -> None:
    """Lay out a screen that is not shown and render it once, filling its widgets' caches.

    Screen._refresh_layout and Screen._compositor: layout only happens for the visible screen.
    """
    screen._refresh_layout(size)
    screen._compositor.render_full_update()


def mark_styles_current(app: App[Any], screen: Screen) -> None:
    """Tell Textual a screen's styles match the app's CSS (it restyles the screen otherwise).

    Screen/App._css_update_count: the only record of whether a screen needs a CSS pass.
    """
    screen._css_update_count = app._css_update_count


def styles_current(app: App[Any], screen: Screen) -> bool:
    """Whether no CSS change (theme, stylesheet) happened since the screen was styled.

    Screen/App._css_update_count, as above.
    """
    return bool(screen._css_update_count == app._css_update_count)


# ---------------------------------------------------------------- parsing CSS once


#: Parsed rules by (CSS source, where it came from, defaults?, tie breaker, scope, variables).
_PARSED: LRUCache[tuple[Any, ...], Any] = LRUCache(512)
_parse_rules = Stylesheet._parse_rules


def share_parsed_css() -> None:
    """Parse each CSS source once per process for a given set of CSS variables (theme).

    Stylesheet._parse_rules: a Stylesheet caches what it parsed, but App._load_screen_css calls
    reparse(), which parses into a new Stylesheet with an empty cache; so building each screen
    parsed all of the app's ~30 CSS sources again. The rules depend only on the source and the
    variables, and nothing changes them once parsed.
    """
    if Stylesheet._parse_rules is not _parse_rules:
        return

    def parse_rules_once(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        variables = frozenset(self._variables.items())
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = _PARSED.get(key)
        if rules is None:
            rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            _PARSED[key] = rules
        return rules

    Stylesheet._parse_rules = parse_rules_once  # type: ignore[method-assign]


# ---------------------------------------------------------------- the App's private hooks


class CompatApp(App[ReturnType]):
    """An App with public hooks where Textual only has private methods to override.

    Subclasses override `handle_error`, `before_shutdown` and set `max_notifications`.
    """

    #: Notifications shown at once, newest on top (None: Textual's own rack, oldest on top).
    max_notifications: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        share_parsed_css()
        super().__init__(*args, **kwargs)

    def handle_error(self, error: Exception) -> bool:
        """An exception reached the top; return True when it was handled (the app then keeps
        Textual from printing a traceback)."""
        return False

    async def before_shutdown(self) -> None:
        """Every way out of the app ends here before Textual closes the screens."""

    def _handle_exception(self, error: Exception) -> None:
        # App._handle_exception: the only place every unhandled exception goes.
        if self.handle_error(error):
            return
        super()._handle_exception(error)

    async def _shutdown(self) -> None:
        # App._shutdown: exit(), the end of run_test and a crash all end here; no public hook
        # runs before the screens close (on_unmount runs after).
        await self.before_shutdown()
        await super()._shutdown()

    def _refresh_notifications(self) -> None:
        # App._refresh_notifications, App._notifications and the toast widgets: Textual shows
        # every notification, oldest on top, with no setting for either.
        if self.max_notifications is None:
            super()._refresh_notifications()
            return
        shown = list(self._notifications)
        for old in shown[: -self.max_notifications]:
            del self._notifications[old]
        try:
            rack = self.screen.get_child_by_type(ToastRack)
        except (NoMatches, ScreenStackError):
            return
        self.call_later(self._show_toasts_newest_first, rack)

    def _show_toasts_newest_first(self, rack: ToastRack) -> None:
        """ToastRack.show, with new toasts mounted above the older ones (Textual adds them
        below, and scrolls to the oldest)."""
        current = list(self._notifications)
        rack.display = bool(current)
        for toast in rack.query(Toast):
            if toast._notification not in self._notifications:
                (toast.parent if isinstance(toast.parent, ToastHolder) else toast).remove()
        new = [n for n in current if not n.has_expired and not _has_toast(rack, n)]
        if new:
            holders = [ToastHolder(Toast(n), id=rack._toast_id(n)) for n in reversed(new)]
            if rack.children:
                rack.mount_all(holders, before=0)
            else:
                rack.mount_all(holders)


def _has_toast(rack: ToastRack, notification: Any) -> bool:
    try:
        rack.get_child_by_id(rack._toast_id(notification))
    except NoMatches:
        return False
    return True


# ---------------------------------------------------------------- textual-serve


def hook_make_app(server: Any, then: Callable[[Any], None]) -> None:
    """Call `then(web_app)` on the aiohttp application a textual-serve Server makes.

    Server._make_app: textual-serve has no public way to add aiohttp middleware.
    """
    make: Callable[[], Awaitable[Any]] = server._make_app

    async def made() -> Any:
        web_app = await make()
        then(web_app)
        return web_app

    server._make_app = made


# ---------------------------------------------------------------- tests


def steady_cursors(monkeypatch: Any) -> None:
    """Text cursors don't blink (tests: a snapshot must not catch a cursor between blinks).

    Reactive._default: a reactive's default can't be changed publicly for every instance.
    """
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


def quick_idle_checks(monkeypatch: Any, granularity: float = 0.005) -> None:
    """The Pilot notices sooner that the app has gone idle (tests: less waiting per key).

    textual._wait.SLEEP_GRANULARITY/SLEEP_IDLE: Pilot.press waits twice per key, and pause()
    once, until a 20 ms window passes with under 1 ms of CPU; no setting changes the window.
    The same test (CPU under 5% of the window) with a 5 ms window.
    """
    from textual import _wait

    monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", granularity)
    monkeypatch.setattr(_wait, "SLEEP_IDLE", granularity / 20.0)
