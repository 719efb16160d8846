"""Every private Textual member kickoff relies on (kickoff_tui/textual_compat.py), one test each,
so that a Textual upgrade that breaks one fails here with its name rather than somewhere in a
screen; and a scan that no other module of kickoff_tui touches a private Textual name."""

from __future__ import annotations

import ast
import importlib
import inspect
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Color
from textual.screen import Screen
from textual.widgets import Input, Label, TextArea

from kickoff_tui import textual_compat as compat

ROOT = Path(__file__).resolve().parent.parent / "kickoff_tui"
PACKAGES = ("textual", "textual_serve")


class Body(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("hello", id="hello")


class ModesApp(compat.CompatApp[int]):
    MODES: ClassVar[dict[str, Any]] = {"a": Body, "b": Body}
    DEFAULT_MODE = "a"


# ---------------------------------------------------------------- parsing CSS once


class Styled(Screen[None]):
    CSS = "#hello { background: $background; }"

    def compose(self) -> ComposeResult:
        yield Label("hello", id="hello")


class StyledApp(compat.CompatApp[int]):
    MODES: ClassVar[dict[str, Any]] = {"a": Body, "b": Styled}
    DEFAULT_MODE = "a"


async def test_css_is_parsed_once_per_theme_and_a_new_theme_gets_its_own_colours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stylesheet._parse_rules: showing a screen with its own CSS reparses every source in
    Textual; with share_parsed_css only the new source is parsed, and a theme change parses
    again with that theme's colours."""
    from textual.css import stylesheet

    parsed: list[str] = []
    parse = stylesheet.parse

    def counting(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "parse", counting)
    for _ in range(2):
        app = StyledApp()
        async with app.run_test() as pilot:
            sources = len(app.stylesheet.source)
            await app.switch_mode("b")
            await pilot.pause()
            assert len(app.stylesheet.source) == sources + 1
    # the first app parsed its sources and Styled's; the second one, nothing
    assert parsed.count(Styled.CSS) == 1 and 0 < len(parsed) <= sources + 1

    app = StyledApp()
    async with app.run_test() as pilot:
        await app.switch_mode("b")
        await pilot.pause()
        label = app.screen.query_one("#hello", Label)
        app.theme = "textual-dark"
        await pilot.pause()
        dark = label.styles.background
        app.theme = "textual-light"
        await pilot.pause()
        light = label.styles.background
        assert dark != light
        assert light == Color.parse(app.get_css_variables()["background"])


# ---------------------------------------------------------------- building screens in the background


async def test_modes_built_lists_only_built_modes() -> None:
    app = ModesApp()
    async with app.run_test():
        built = compat.modes_built(app)
        assert list(built) == ["a"]
        assert built["a"] == [app.screen]


async def test_start_mode_in_background_builds_without_showing() -> None:
    app = ModesApp()
    async with app.run_test() as pilot:
        shown = app.screen
        screen = Body()
        compat.start_mode_in_background(app, "b", screen)
        await pilot.pause()
        assert screen.is_mounted and app.screen is shown
        assert screen.query_one("#hello", Label).is_mounted
        await app.switch_mode("b")
        await pilot.pause()
        assert app.screen is screen  # the screen built in the background is the one shown


async def test_lay_out_offscreen_gives_widgets_their_place() -> None:
    app = ModesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        screen = Body()
        compat.start_mode_in_background(app, "b", screen)
        await pilot.pause()
        label = screen.query_one("#hello", Label)
        assert label.region.width == 0  # not laid out: never shown
        compat.lay_out_offscreen(screen, app.size)
        assert label.region.width > 0 and label.region.height == 1


async def test_styles_current_follows_css_changes() -> None:
    app = ModesApp()
    async with app.run_test() as pilot:
        screen = Body()
        compat.start_mode_in_background(app, "b", screen)
        await pilot.pause()
        compat.mark_styles_current(app, screen)
        assert compat.styles_current(app, screen)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert not compat.styles_current(app, screen)  # a theme change restyles it


# ---------------------------------------------------------------- the App's private hooks


class Refused(Exception):
    pass


class HookedApp(compat.CompatApp[int]):
    BINDINGS: ClassVar[list[BindingType]] = [("x", "fail", "Fail")]

    def __init__(self) -> None:
        super().__init__()
        self.seen_at_shutdown: list[bool] = []

    def compose(self) -> ComposeResult:
        yield Label("body")

    def action_fail(self) -> None:
        raise Refused("no")

    def handle_error(self, error: Exception) -> bool:
        if isinstance(error, Refused):
            self.exit(return_code=7, message="refused")
            return True
        return False

    async def before_shutdown(self) -> None:
        self.seen_at_shutdown.append(self.screen.is_attached)


async def test_handle_error_ends_the_app_without_a_traceback() -> None:
    class Failing(HookedApp):
        def on_mount(self) -> None:
            self.call_later(self.action_fail)

    app = Failing()
    await app.run_async(headless=True, size=(40, 10))
    assert app.return_code == 7  # Textual's own handler would set 1 (and keep the error)


async def test_before_shutdown_runs_while_screens_are_up() -> None:
    app = HookedApp()
    async with app.run_test():
        pass
    assert app.seen_at_shutdown == [True]


async def test_max_notifications_keeps_the_newest_on_top() -> None:
    class Noisy(HookedApp):
        max_notifications = 2

    app = Noisy()
    async with app.run_test(notifications=True) as pilot:
        for text in ("one", "two", "three"):
            app.notify(text, timeout=30)
            await pilot.pause()
        await pilot.pause()
        shown = [str(toast.render()) for toast in app.screen.query(compat.Toast)]
        assert shown == ["three", "two"]


def test_footer_key_takes_the_arguments_keyfooter_passes() -> None:
    from textual.widget import Widget

    key = compat.FooterKey("n", "n", "New", "new", disabled=False, tooltip="New card")
    assert isinstance(key, Widget)
    assert (key.key, key.description, key.action) == ("n", "New", "new")


# ---------------------------------------------------------------- textual-serve


async def test_hook_make_app_sees_the_web_app() -> None:
    from textual_serve.server import Server

    server = Server("true", host="localhost", port=8000)
    seen = []
    compat.hook_make_app(server, seen.append)
    web_app = await server._make_app()
    assert seen == [web_app]
    assert web_app.router["index"] is not None  # textual-serve's own routes are there


# ---------------------------------------------------------------- tests


def test_steady_cursors_stops_blinking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the autouse fixture already did it: start from Textual's default
    assert Input().cursor_blink is True
    compat.steady_cursors(monkeypatch)
    assert Input().cursor_blink is False and TextArea().cursor_blink is False


# ---------------------------------------------------------------- the scan


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def _tree(path: str) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"))


@cache
def _class_privates(cls: type) -> frozenset[str]:
    """A Textual class's private names: its attributes and what its methods set on self."""
    names = {name for name in vars(cls) if _private(name)}
    try:
        tree = _tree(inspect.getsourcefile(cls) or "")
    except (TypeError, OSError):
        return frozenset(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.ctx, ast.Store)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "self"
                    and _private(sub.attr)
                ):
                    names.add(sub.attr)
    return frozenset(names)


def _textual_privates_of(cls: object) -> frozenset[str]:
    """The private names a class of ours inherits from Textual classes (empty if none)."""
    if not isinstance(cls, type):
        return frozenset()
    found: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] in PACKAGES:
            found |= _class_privates(base)
    return frozenset(found)


@cache
def _all_textual_privates() -> frozenset[str]:
    names: set[str] = set()
    for package in PACKAGES:
        try:
            root = Path(importlib.import_module(package).__file__ or "").parent
        except ImportError:
            continue
        for path in root.rglob("*.py"):
            for node in ast.walk(_tree(str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _private(node.name):
                    names.add(node.name)
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.ctx, ast.Store)
                    and _private(node.attr)
                ):
                    names.add(node.attr)
    return frozenset(names)


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root.parent).with_suffix("").parts)


def private_textual_uses(root: Path = ROOT) -> list[str]:
    """`file:line: what` for every private Textual name used in kickoff_tui outside
    textual_compat.py: an import from a private module, an override of a private method of a
    Textual base class, `self._x`/`super()._x` where a Textual base has `_x`, and `obj._x` on
    any other object where `_x` is a Textual private name no class of ours defines."""
    paths = sorted(p for p in root.rglob("*.py") if p.name != "textual_compat.py")
    ours: set[str] = set()
    classes: dict[tuple[Path, int], frozenset[str]] = {}
    for path in paths:
        tree = _tree(str(path))
        module = None
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                module = module or importlib.import_module(_module_name(path, root))
                inherited = _textual_privates_of(getattr(module, node.name, None))
                classes[(path, node.lineno)] = inherited
                for sub in ast.walk(node):
                    name = None
                    if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                        name = sub.name
                    elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store):
                        name = sub.attr
                    if name and _private(name) and name not in inherited:
                        ours.add(name)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _private(node.name):
                ours.add(node.name)
    foreign = _all_textual_privates() - ours
    found: list[str] = []

    def visit(node: ast.AST, path: Path, inherited: frozenset[str]) -> None:
        where = f"{path.relative_to(root.parent)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] in PACKAGES and any(_private(p) for p in parts):
                found.append(f"{where}: imports {node.module}")
        if isinstance(node, ast.ClassDef):
            inherited = classes.get((path, node.lineno), frozenset())
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in inherited:
            found.append(f"{where}: overrides {node.name}")
        if isinstance(node, ast.Attribute) and _private(node.attr):
            receiver = node.value
            on_self = isinstance(receiver, ast.Name) and receiver.id == "self"
            on_super = (
                isinstance(receiver, ast.Call)
                and isinstance(receiver.func, ast.Name)
                and receiver.func.id == "super"
            )
            names = inherited if on_self or on_super else foreign
            if node.attr in names:
                found.append(f"{where}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, path, inherited)

    for path in paths:
        visit(_tree(str(path)), path, frozenset())
    return found


def test_no_private_textual_names_outside_compat() -> None:
    found = private_textual_uses()
    assert not found, "private Textual names outside textual_compat.py:\n" + "\n".join(found)


def test_the_scan_sees_each_kind_of_private_use(tmp_path: Path) -> None:
    """The scan itself can fail: each way of reaching into Textual is found, with file:line."""
    package = tmp_path / "kickoff_tui"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = (
        "from textual.app import App\n"
        "from textual.widgets._toast import Toast\n"  # 2: a private module
        "class A(App):\n"
        "    def _handle_exception(self, error):\n"  # 4: an override
        "        return self._screen_stacks\n"  # 5: self._x of a Textual base
        "def f(screen):\n"
        "    return screen._compositor\n"  # 7: obj._x
        "class Mine:\n"
        "    def _compose(self):\n"  # our own class: not Textual's
        "        return self._nodes\n"
    )
    (package / "scratch_private.py").write_text(source)
    import sys

    sys.path.insert(0, str(tmp_path))
    saved = sys.modules.pop("kickoff_tui", None)
    saved_sub = {k: sys.modules.pop(k) for k in list(sys.modules) if k.startswith("kickoff_tui.")}
    try:
        found = private_textual_uses(package)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [k for k in sys.modules if k == "kickoff_tui" or k.startswith("kickoff_tui.")]:
            del sys.modules[name]
        if saved is not None:
            sys.modules["kickoff_tui"] = saved
        sys.modules.update(saved_sub)
    lines = sorted(int(f.split(":")[1]) for f in found)
    assert lines == [2, 4, 5, 7], found
    assert all(f.startswith("kickoff_tui/scratch_private.py:") for f in found)
