"""`/` on every screen that lists things (issue 20): the rows shown hold every word typed, the
filter line (or the inbox's title) says how many match, esc brings every row back with the
cursor on the record it was on, and keys typed right after `/` land in the field, in order."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.help import HelpScreen
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.tables import cursor_key
from tests.screens.helpers import shows, wait_for
from tests.screens.test_typeahead import burst


def texts(table: DataTable) -> list[str]:
    """Each row's text, its cells joined."""
    return [
        " ".join(getattr(c, "plain", str(c)) for c in table.get_row_at(i)).strip()
        for i in range(table.row_count)
    ]


def count_line(app: KickoffApp) -> str:
    return str(app.screen.query_one("#table-filter-count").render())


# ---------------------------------------------------------------------- the inbox


async def test_the_filtered_inbox_keeps_its_headings_and_says_how_many_match(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("0")
        assert await wait_for(pilot, lambda: app.current_mode == "inbox" and app.screen.loaded)
        await pilot.press("a")  # the whole team's: 20 items in several groups
        assert await wait_for(pilot, lambda: shows(app, "The whole team · 20 items"))
        table = app.screen.query_one("#inbox-table", DataTable)
        everything = table.row_count
        await pilot.press("slash", *"late")
        assert await wait_for(pilot, lambda: shows(app, "items match “late”"))
        lines = texts(table)
        items = [k for k in (str(r.key.value) for r in table.ordered_rows) if ":" in k]
        headings = [k for k in items if k.startswith("group:")]
        shown = len(items) - len(headings)
        assert 0 < shown < 20
        assert shows(app, f"The whole team · {shown} of 20 items match “late”")
        # every heading left heads rows of its group that match, and says how many
        assert headings and str(table.ordered_rows[0].key.value).startswith("group:")
        assert any("Cards late (2)" in line for line in lines), lines
        assert not any(line.startswith("Cards blocked") for line in lines)  # none of it matches
        for line in lines:
            if not line.startswith(("Cards", "Decisions", "First", "Risks", "Key", "KPIs")):
                assert "late" in line.casefold()
        assert not cursor_key(table).startswith("group:")  # the cursor is on an item
        await pilot.press("enter", "j")  # back in the list: j moves over the items
        keep = cursor_key(table)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: table.row_count == everything)
        assert shows(app, "The whole team · 20 items") and not shows(app, "match")
        assert cursor_key(table) == keep  # the record it was on


# ---------------------------------------------------------------------- keys typed fast


async def test_keys_typed_right_after_slash_in_help_go_into_the_search(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        help_screen = app.screen
        box = help_screen.query_one("#help-search", Input)
        # g and G move the help list, j and k too, q closes help: none of that happens
        burst(app, ("slash", "/"), "gjqk sync")
        assert await wait_for(pilot, lambda: box.value == "gjqk sync"), box.value
        assert app.screen is help_screen and box.has_focus
        burst(app, ("ctrl+u", None), "sync")
        assert await wait_for(pilot, lambda: box.value == "sync"), box.value
        await pilot.pause()
        assert shows(app, "S Sync now") and not shows(app, "n New card")
