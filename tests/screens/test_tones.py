"""Statuses take the active theme's colours (widgets/tones.py), never a Rich colour name.

A hard-coded "yellow" is unreadable on the light theme and "red" next to "green" is one grey
under kickoff-mono. The scan below fails on a colour name in a style of a screen or widget
(Python strings, `[red]`-style markup, .tcss values), naming file:line; the Pilot tests check
that a status the user must see takes the theme's colour and follows a theme change.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rich.color import ANSI_COLOR_NAMES
from textual.color import Color, ColorParseError
from textual.widget import Widget
from textual.widgets import DataTable

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.themes import MONO
from tests.screens.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2] / "kickoff_tui"
SCANNED = [ROOT / "screens", ROOT / "widgets"]

#: Every Rich colour name ("red", "bright_cyan", "grey50", "dark_orange3", ...).
COLOURS = {name for name in ANSI_COLOR_NAMES if name != "default"} | {"grey", "gray"}
#: The words a Rich style is made of besides colours.
STYLE_WORDS = {
    "bold",
    "b",
    "dim",
    "d",
    "italic",
    "i",
    "underline",
    "u",
    "strike",
    "s",
    "reverse",
    "r",
    "blink",
    "not",
    "on",
}
#: Also card, decision and blocker RAG values: a bare one is a style only where a style goes.
RAG_WORDS = {"green", "yellow", "red"}
MARKUP = re.compile(
    r"\[/?(?:(?:bold|dim|italic|b|i|u) )*(?:on )?(" + "|".join(sorted(COLOURS)) + r")\b"
)
TCSS_VALUE = re.compile(r"^\s*[a-z-]+\s*:\s*([^;]+);?", re.MULTILINE)


def _is_colour_style(text: str) -> bool:
    words = text.split()
    return (
        bool(words)
        and all(w in STYLE_WORDS or w in COLOURS for w in words)
        and any(w in COLOURS for w in words)
    )


def _style_positions(tree: ast.AST) -> set[int]:
    """ids of the string constants that sit where a style goes: a `style=` argument, a dict
    value, the second of a `(text, style)` pair given to assemble/append, or the second
    argument of Text(...), Content.styled(...), .append(...), .stylize(...)."""
    found: set[int] = set()

    def strings(node: ast.AST) -> list[ast.Constant]:
        return [
            n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]

    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for value in node.values:
                found |= {id(c) for c in strings(value)}
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            for kw in node.keywords:
                if kw.arg and kw.arg.endswith("style"):
                    found |= {id(c) for c in strings(kw.value)}
            if name in {"Text", "Toned", "styled", "append", "stylize"} and len(node.args) > 1:
                found |= {id(c) for c in strings(node.args[1])}
            if name in {"assemble", "append"}:
                for arg in node.args:
                    if isinstance(arg, ast.Tuple) and len(arg.elts) == 2:
                        found |= {id(c) for c in strings(arg.elts[1])}
    keys = {id(k) for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys if k}
    return found - keys


def colour_names_in_python(source: str, path: str) -> list[str]:
    """`path:line: "style"` for each colour name used as a style in Python `source`."""
    tree = ast.parse(source)
    styles = _style_positions(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        bare_rag = text in RAG_WORDS
        if (
            (_is_colour_style(text) and (not bare_rag or id(node) in styles)) or MARKUP.search(text)
        ) and "\n" not in text.strip():
            found.append(f"{path}:{node.lineno}: {text!r}")
    return sorted(found, key=lambda f: int(f.split(":")[1]))


def colour_names_in_tcss(source: str, path: str) -> list[str]:
    """`path:line: value` for each CSS value in `source` that names a colour."""
    found = []
    for match in TCSS_VALUE.finditer(source):
        words = re.findall(r"(?<![$\w-])[a-z][a-z_0-9]*\b(?!-)", match.group(1))
        if any(_css_colour(w) for w in words):
            line = source.count("\n", 0, match.start(1)) + 1
            found.append(f"{path}:{line}: {match.group(1).strip()}")
    return found


def _css_colour(word: str) -> bool:
    """Whether `word` is a colour name in Textual CSS ("red", "darkred", "ansi_red", ...)."""
    if word in {"transparent", "auto"}:
        return False
    try:
        Color.parse(word)
    except ColorParseError:
        return False
    return True


def scan(folders: list[Path]) -> list[str]:
    found: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            found += colour_names_in_python(
                path.read_text(), str(path.relative_to(folder.parent.parent))
            )
        for path in sorted(folder.rglob("*.tcss")):
            found += colour_names_in_tcss(
                path.read_text(), str(path.relative_to(folder.parent.parent))
            )
    return found


def test_no_colour_names_in_screens_and_widgets() -> None:
    found = scan(SCANNED)
    assert not found, "Colour by meaning (kickoff_tui/widgets/tones.py), not by name:\n" + (
        "\n".join(found)
    )


def test_the_scan_finds_each_kind_of_colour_name(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        "from rich.text import Text\n"
        'BAND_STYLE = {"low": "green", "high": "bold red"}\n'
        'cell = Text("late", style="bold red" if late else "")\n'
        'line = Text.assemble(("⚠ ", "yellow"), title)\n'
        'line.append("● ", "bright_cyan")\n'
        'note = "[grey50]not yet[/]"\n'
        'conf = Text("3/10", style="red")\n'
    )
    (tmp_path / "bad.tcss").write_text("#x {\n    color: $text;\n    background: darkred 20%;\n}\n")
    found = scan([tmp_path])
    lines = [(f.split(":")[0].rsplit("/", 1)[-1], int(f.split(":")[1])) for f in found]
    assert lines == [
        ("bad.py", 2),  # "green" as a dict value
        ("bad.py", 2),  # "bold red"
        ("bad.py", 3),
        ("bad.py", 4),
        ("bad.py", 5),
        ("bad.py", 6),
        ("bad.py", 7),
        ("bad.tcss", 3),
    ]


def test_the_scan_leaves_rag_values_and_theme_variables_alone(tmp_path: Path) -> None:
    (tmp_path / "fine.py").write_text(
        'RAG_CHOICES = [("green", "green"), ("yellow", "yellow"), ("red", "red")]\n'
        'rag = card.get("rag") or "green"\n'
        'ok = rag in ("green", "yellow", "red")\n'
        'Field("rag", value="green")\n'
        'Content.styled(rag, {"green": "$text-success"}.get(rag, ""))\n'
        'cell = Toned("late", style="bold $text-error")\n'
        '"""Cycle the RAG colour: green → yellow → red."""\n'
    )
    (tmp_path / "fine.tcss").write_text("#x {\n    color: $text-error;\n    text-style: bold;\n}\n")
    assert scan([tmp_path]) == []


# ---------------------------------------------------------------- on screen, per theme


def colour_of(widget: Widget, text: str) -> str | None:
    """The foreground colour (#rrggbb) `widget` draws `text` in (its first occurrence in one
    piece), or None when it doesn't show it."""
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if text in segment.text and segment.style and segment.style.color:
                return segment.style.color.get_truecolor().hex
    return None


def theme_colour(app: KickoffApp, variable: str) -> str:
    return Color.parse(app.theme_variables[variable]).hex.lower()


THEMES = ["textual-dark", "textual-light", MONO.name]


async def _follows_the_theme(
    app: KickoffApp, pilot, widget: Widget, text: str, variable: str
) -> set[str | None]:
    """Switch through THEMES; `text` in `widget` must take each one's `variable`. Returns the
    colours seen."""
    seen = set()
    for theme in THEMES:
        app.theme = theme
        assert await wait_for(
            pilot, lambda: colour_of(widget, text) == theme_colour(app, variable)
        ), (theme, colour_of(widget, text), theme_colour(app, variable))
        seen.add(colour_of(widget, text))
    return seen


@pytest.mark.preload
@pytest.mark.parametrize(
    ("key", "table_id", "text"),
    [
        # R7's owner cell, a row below the cursor
        ("3", "#risk-table", "no owner"),
        # KR5's pace
        ("2", "#okr-table", "■ at risk"),
    ],
)
async def test_a_red_status_cell_takes_the_themes_error_colour(
    demo: Store, key: str, table_id: str, text: str
) -> None:
    """Each theme's own error text colour (the light theme's dark enough to read on white,
    mono's the brightest grey), redrawn when the theme changes."""
    app = KickoffApp(demo, poll=False)
    app.register_theme(MONO)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        table = app.screen.query_one(table_id, DataTable)
        assert await wait_for(pilot, lambda: colour_of(table, text) is not None)
        assert len(await _follows_the_theme(app, pilot, table, text, "text-error")) == 3


@pytest.mark.preload
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_a_behind_key_result_is_not_drawn_in_a_fixed_yellow(demo: Store, theme: str) -> None:
    """The warning tone on the light theme is a dark amber, not the yellow Rich would draw."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.press("2")
        table = app.screen.query_one("#okr-table", DataTable)
        assert await wait_for(
            pilot, lambda: colour_of(table, "▲ behind") == theme_colour(app, "text-warning")
        )


async def test_a_red_card_takes_the_themes_error_colour_on_the_board(demo: Store) -> None:
    """The card's bar and mark: the bright error colour on a dark background, the darker
    error text colour on the light one (the bright one is too faint on light grey)."""
    from kickoff_tui.widgets.lane import CardLane

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        lane = app.screen.query_one("#lane-60", CardLane)
        assert await wait_for(pilot, lambda: colour_of(lane, "■R") == theme_colour(app, "error"))
        app.theme = "textual-light"
        assert await wait_for(
            pilot, lambda: colour_of(lane, "■R") == theme_colour(app, "text-error")
        )
        assert theme_colour(app, "text-error") != theme_colour(app, "error")


@pytest.mark.preload
async def test_the_okr_plot_draws_in_the_themes_colours(demo: Store) -> None:
    """A widget's own render (not a DataTable): the check-ins in the theme's primary text
    colour, the target line in its success colour, after a theme change too."""
    from kickoff_tui.widgets.okr_plot import OkrPlot

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 44)) as pilot:
        await pilot.press("2")
        await pilot.press("j")  # KR1: its check-ins against the target
        plot = app.screen.query_one(OkrPlot)
        for theme in ["textual-dark", "textual-light"]:
            app.theme = theme
            assert await wait_for(
                pilot, lambda: colour_of(plot, "● check-ins") == theme_colour(app, "text-primary")
            )
            assert colour_of(plot, "╌ target") == theme_colour(app, "text-success")
