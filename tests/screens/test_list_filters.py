"""`/` on every screen that lists things (issue 20): the rows shown hold every word typed, the
filter line (or the inbox's title) says how many match, esc brings every row back with the
cursor on the record it was on, and keys typed right after `/` land in the field, in order."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.help import HelpScreen
from kickoff_tui.rules.retro import KINDS
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from kickoff_tui.widgets.retro_column import RetroColumn
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


@pytest.mark.preload
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


# ---------------------------------------------------------------------- every other list


def word_of(table: DataTable, row: int) -> str:
    """The longest word of a row that not every row holds (a word a person would type to
    find it)."""
    lines = [line.casefold() for line in texts(table)]
    words = lines[row].replace("…", " ").split()
    return max((w for w in words if not all(w in line for line in lines)), key=len)


async def filters_and_restores(
    app: KickoffApp, pilot, table: DataTable, row: int, *, also: DataTable | None = None
) -> None:
    """`/` and a word of `row`: only rows holding it, the filter line counts them; enter: back
    in the list; esc: every row again, the cursor on the record it was on."""
    await pilot.pause()
    before = texts(table)
    others = texts(also) if also is not None else []
    word = word_of(table, row).casefold()
    expected = [line for line in before if word in line.casefold()]
    total = len(before) + len(others)
    await pilot.press("slash", *word)
    assert await wait_for(pilot, lambda: texts(table) == expected), (word, texts(table))
    assert 0 < len(expected) < len(before), word
    matched = len(expected) + sum(word in line.casefold() for line in others)
    assert count_line(app) == f"{matched} of {total} match", count_line(app)
    await pilot.press("enter")
    assert app.focused is table or (also is not None and app.focused is also)
    keep = cursor_key(table)
    assert keep is not None and word in texts(table)[table.cursor_row].casefold()
    await pilot.press("escape")
    assert await wait_for(pilot, lambda: texts(table) == before)
    assert cursor_key(table) == keep  # the same record, among all of them
    assert not app.screen.query_one(".table-filter").display


@pytest.mark.preload
async def test_slash_filters_the_kpis_with_the_key_results(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs" and app.screen.loaded)
        kpis = app.screen.query_one("#kpi-table", DataTable)
        okrs = app.screen.query_one("#okr-table", DataTable)
        assert await wait_for(pilot, lambda: kpis.row_count > 1)
        await pilot.press("tab")
        assert await wait_for(pilot, lambda: app.focused is kpis)
        await filters_and_restores(app, pilot, kpis, 1, also=okrs)
        assert app.focused is kpis  # esc went back to the KPIs, where / was pressed


@pytest.mark.preload
async def test_a_filter_matching_only_a_kpi_at_80x24_shows_it_and_says_the_objectives_are_hidden(
    demo: Store,
) -> None:
    """Seen in tmux: the KPI table folds to one line at 24 rows, so `/K1` showed neither the
    match nor any objective, and the panel said "No objectives yet"."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs" and app.screen.loaded)
        kpis = app.screen.query_one("#kpi-table", DataTable)
        okrs = app.screen.query_one("#okr-table", DataTable)
        everything = okrs.row_count
        await pilot.press("tab", "slash", *"k1")
        assert await wait_for(pilot, lambda: okrs.row_count == 0 and kpis.row_count == 1)
        await pilot.pause()
        assert kpis.size.height >= 2  # unfolded: its heading and the matching KPI
        name = texts(kpis)[0].split()[1]
        assert shows(app, f"⚠K1 {name}") and shows(app, "1 of 14 match")
        assert shows(app, "The filter hides every objective and key result. esc clears it.")
        assert not shows(app, "No objectives yet")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: okrs.row_count == everything)
        assert not shows(app, "The filter hides")


def kpi_title(app: KickoffApp) -> str:
    return str(app.screen.query_one("#kpi-title").render())


@pytest.mark.preload
async def test_the_kpi_title_line_lists_only_the_kpis_the_filter_shows(demo: Store) -> None:
    """Seen in tmux: with `/k1` the title line still listed K1, K2 and K3 over a table of K1."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs" and app.screen.loaded)
        kpis = app.screen.query_one("#kpi-table", DataTable)
        assert await wait_for(pilot, lambda: kpis.row_count == 3)
        everything = kpi_title(app)
        assert (
            everything.startswith("KPIs ⚠K1 ") and " · K2 " in everything and " · K3 " in everything
        )
        await pilot.press("tab", "slash", *"k1")
        assert await wait_for(pilot, lambda: kpis.row_count == 1)
        title = kpi_title(app)
        assert title.startswith("KPIs 1 of 3: ⚠K1 "), title
        assert "K2" not in title and "K3" not in title
        assert title.endswith("· tab: r record, h history, n new") and len(title) <= 78
        await pilot.press(*"zz")
        assert await wait_for(pilot, lambda: kpis.row_count == 0)
        assert kpi_title(app).startswith("KPIs none of 3 match · tab:"), kpi_title(app)
        await pilot.press("escape")  # back on the KPIs: the line is the highlighted one's
        assert await wait_for(pilot, lambda: kpis.row_count == 3 and app.focused is kpis)
        await pilot.press("tab")  # to the key results: every KPI again
        assert await wait_for(pilot, lambda: kpi_title(app) == everything), kpi_title(app)


@pytest.mark.preload
async def test_slash_filters_the_past_standups(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        assert await wait_for(pilot, lambda: app.current_mode == "standup" and app.screen.loaded)
        if app.screen.state == "after":  # today's summary: esc shows the past standups
            await pilot.press("escape")
            assert await wait_for(pilot, lambda: app.screen.state == "before")
        past = app.screen.query_one("#past-table", DataTable)
        assert await wait_for(pilot, lambda: past.row_count > 1)
        before = texts(past)
        await pilot.press("slash", *before[-1].split()[0])  # its number, e.g. S1
        assert await wait_for(pilot, lambda: len(texts(past)) < len(before))
        assert all(before[-1].split()[0] in line for line in texts(past))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: texts(past) == before)
        await pilot.press("down")
        await filters_and_restores(app, pilot, past, 1)


@pytest.mark.preload
async def test_slash_filters_the_charter_and_the_communication_plan(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        assert await wait_for(pilot, lambda: app.current_mode == "kickoff" and app.screen.loaded)
        charter = app.screen.query_one("#charter-table", DataTable)
        assert await wait_for(pilot, lambda: charter.row_count > 3)
        questions = [i for i, line in enumerate(texts(charter)) if line.startswith("Q")]
        await filters_and_restores(app, pilot, charter, questions[0])
        await pilot.press("p")
        plan = app.screen.query_one("#comm-table", DataTable)
        assert await wait_for(pilot, lambda: app.focused is plan and plan.row_count > 1)
        await filters_and_restores(app, pilot, plan, 0)
        everything_planned = texts(plan)
        # a filter typed on one tab is cleared by going to another
        await pilot.press("slash", *word_of(plan, 0))
        assert await wait_for(pilot, lambda: count_line(app).endswith("match"))
        await pilot.press("enter", "c")
        assert await wait_for(pilot, lambda: app.focused is charter)
        assert not app.screen.query_one(".table-filter").display and charter.row_count > 3
        await pilot.press("p")  # and the list it narrowed shows every row again
        assert await wait_for(pilot, lambda: app.focused is plan)
        assert texts(plan) == everything_planned, texts(plan)


@pytest.mark.preload
async def test_slash_on_the_risks_narrows_the_grid_and_list_and_matches_what_no_column_shows(
    demo: Store,
) -> None:
    from tests.screens.test_risks import counts, listed, open_risks

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        table = screen.table
        await pilot.press("left")  # one cell's risks…
        assert await wait_for(pilot, lambda: screen.scope is not None)
        # …but a filter searches them all. Eun-ji Kim owns R5 and R8: at 80 columns the
        # list shows "Eun-ji", and keys typed right after / land in the field, in order
        burst(app, ("slash", "/"), "kim")
        assert await wait_for(pilot, lambda: listed(screen) == ["R5", "R8"]), listed(screen)
        assert screen.filter_bar.field.value == "kim"
        assert counts(screen) == {(2, 3): 1, (1, 5): 1}  # the grid narrows too
        assert count_line(app) == "2 of 8 match"
        await pilot.press("enter")  # keeps the filter, back to the list
        assert table.has_focus and listed(screen) == ["R5", "R8"]
        await pilot.press("j")
        keep = cursor_key(table)
        await pilot.press("escape")  # clears the filter first
        assert await wait_for(pilot, lambda: len(listed(screen)) == 8)
        assert cursor_key(table) == keep and listed(screen)[table.cursor_row] == "R8"
        assert table.has_focus and len(counts(screen)) == 8 and not shows(app, "match")
        assert not screen.query_one(".table-filter").display
        # a word of a mitigation, which no column shows
        await pilot.press("slash", *"replicas", "enter")
        assert await wait_for(pilot, lambda: listed(screen) == ["R1"]), listed(screen)
        await pilot.press("escape", "escape")  # the filter, then as before: list → grid
        assert await wait_for(pilot, lambda: screen.grid.has_focus)
        assert len(listed(screen)) == 8


@pytest.mark.preload
async def test_slash_on_the_risks_at_120x40(demo: Store) -> None:
    from tests.screens.test_risks import open_risks

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("enter")  # the cell's risks, in the list
        await pilot.press("escape", "escape")  # the grid, then all risks
        assert await wait_for(pilot, lambda: screen.scope is None and screen.table.row_count == 8)
        await filters_and_restores(app, pilot, screen.table, 2)


@pytest.mark.preload
async def test_slash_on_the_stakeholder_map_narrows_the_grid_and_the_list(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("8")
        assert await wait_for(pilot, lambda: app.current_mode == "kickoff" and app.screen.loaded)
        await pilot.press("m")
        panel = app.screen.map_panel
        table = panel.table
        assert await wait_for(pilot, lambda: app.focused is panel.grid and table.row_count == 6)
        await filters_and_restores(app, pilot, table, 1)
        await pilot.press("escape")  # as before: list → grid
        assert await wait_for(pilot, lambda: app.focused is panel.grid)
        await pilot.press("down")  # one cell's stakeholders…
        assert await wait_for(pilot, lambda: panel.scope is not None)
        # …but a filter searches them all, the attitude too (no column shows it)
        burst(app, ("slash", "/"), "supporter")
        assert await wait_for(pilot, lambda: len(texts(table)) == 3), texts(table)
        assert [line.split()[0] for line in texts(table)] == ["S1", "S4", "S5"]
        assert count_line(app) == "3 of 6 match"
        assert {n for cell in ((5, 4), (2, 3), (3, 4)) for n, _ in panel.grid.items(cell)} == {
            1,
            4,
            5,
        }
        assert panel.grid.count((4, 2)) == 0  # S2, a neutral, is off the grid while filtered
        await pilot.press("escape")  # typing: esc clears the filter and goes to the list
        assert await wait_for(pilot, lambda: table.row_count == 6 and app.focused is table)
        assert panel.grid.count((4, 2)) == 1


@pytest.mark.preload
async def test_slash_filters_the_histories(demo: Store) -> None:
    from kickoff_tui.screens.kpi_history import KpiHistoryScreen
    from kickoff_tui.screens.okr_history import OkrHistoryScreen
    from kickoff_tui.screens.risk_history import RiskHistoryScreen

    rescored = demo.rows("SELECT id FROM risk WHERE title LIKE 'Pipeline costs%'")[0]["id"]
    for likelihood, impact in ((3, 4), (4, 5)):
        demo.update("risk", rescored, {"likelihood": likelihood, "impact": impact}, summary="x")
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        # a key result's check-ins
        await pilot.press("2")
        assert await wait_for(pilot, lambda: app.current_mode == "okrs" and app.screen.loaded)
        okrs = app.screen.query_one("#okr-table", DataTable)
        await pilot.press("j")  # the first key result
        for _ in range(okrs.row_count):
            await pilot.press("h")
            await pilot.pause()
            if isinstance(app.screen, OkrHistoryScreen):
                history = app.screen.query_one("#history-table", DataTable)
                if len({line.split()[-1] for line in texts(history)}) > 1:
                    break
                await pilot.press("escape")
            await pilot.press("j")
        assert isinstance(app.screen, OkrHistoryScreen)
        await filters_and_restores(app, pilot, history, 0)
        await pilot.press("escape")  # no filter left: esc closes
        assert await wait_for(pilot, lambda: not isinstance(app.screen, OkrHistoryScreen))

        # a KPI's readings
        await pilot.press("tab", "h")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        readings = app.screen.query_one("#kpi-history-table", DataTable)
        assert await wait_for(pilot, lambda: readings.row_count > 1)
        await filters_and_restores(app, pilot, readings, 0)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, KpiHistoryScreen))

        # a risk's scores
        await pilot.press("3")
        assert await wait_for(pilot, lambda: app.current_mode == "risks" and app.screen.loaded)
        for _ in range(10):
            await pilot.press("h")
            assert await wait_for(pilot, lambda: isinstance(app.screen, RiskHistoryScreen))
            scores = app.screen.query_one("#history-table", DataTable)
            if scores.row_count > 1:  # the risk scored three times
                break
            await pilot.press("escape", "j")
        await filters_and_restores(app, pilot, scores, 0)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, RiskHistoryScreen))


async def test_slash_filters_the_raci_matrix_and_keeps_the_window_headings(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("R")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "RaciScreen")
        table = app.screen.query_one("#raci-table", DataTable)
        assert await wait_for(pilot, lambda: table.row_count > 3)
        before = texts(table)
        cards = [line for line in before if line.startswith(("#", "⚠"))]
        await pilot.press("slash", *"soc")
        assert await wait_for(pilot, lambda: texts(table) != before)
        shown = texts(table)
        matching = [line for line in cards if "soc" in line.casefold()]
        assert [line for line in shown if line.startswith(("#", "⚠"))] == matching
        assert shown[0].endswith("days") and all(  # each window's heading above its cards
            line.endswith("days") or "soc" in line.casefold() for line in shown
        )
        assert count_line(app) == f"{len(matching)} of {len(cards)} match"
        await pilot.press("enter", "r")  # a role in the one card shown: the card is right
        assert await wait_for(pilot, lambda: "@ana: R responsible" in screen_status(app))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: len(texts(table)) == len(before))
        assert app.screen.__class__.__name__ == "RaciScreen"  # esc cleared, didn't close
        assert "SOC" in screen_status(app)  # the cursor is still on that card


def screen_status(app: KickoffApp) -> str:
    return str(app.screen.query_one("#raci-status").render())


async def test_slash_filters_the_conflicts(tmp_path, frozen) -> None:
    from textual.widgets import OptionList

    from tests.screens.test_conflicts import open_conflicts, pair

    _, ben, _, _ = pair(tmp_path)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_conflicts(app, pilot)
        listing = app.screen.query_one("#conflicts-list", OptionList)
        before = listing.option_count
        await pilot.press("slash", *"idea")
        assert await wait_for(pilot, lambda: 0 < listing.option_count < before)
        assert shows(app, "Old idea") and not shows(app, "Plan the pilot (ben)")
        assert count_line(app) == "1 of 2 match"  # the title both changed, the card deleted
        await pilot.press("enter")
        assert app.focused is listing
        keep = listing.get_option_at_index(listing.highlighted).id
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: listing.option_count == before)
        assert listing.get_option_at_index(listing.highlighted).id == keep
        assert isinstance(app.screen, type(app.screen)) and shows(app, "Plan the pilot (ben)")


@pytest.mark.preload
async def test_enter_in_the_inbox_on_a_decision_the_filter_hides_clears_the_filter(
    demo: Store,
) -> None:
    from tests.screens.test_inbox import cursor_on, open_inbox

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        assert await wait_for(pilot, lambda: app.current_mode == "decisions" and app.screen.loaded)
        decisions = app.screen.query_one("#decision-table", DataTable)
        everything = decisions.row_count
        await pilot.press("slash", *"zzz", "enter")
        assert await wait_for(pilot, lambda: decisions.row_count == 0)
        table = await open_inbox(app, pilot)
        key, record = next(
            (k, item.nudge.record_id)
            for k, item in app.screen.items.items()
            if item.nudge.screen == "decisions"
        )
        await cursor_on(pilot, table, key)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.current_mode == "decisions")
        assert await wait_for(pilot, lambda: decisions.row_count == everything)
        assert cursor_key(decisions) == record  # on the decision, not on nothing
        assert not app.screen.filter_words and not app.screen.query_one(".table-filter").display


@pytest.mark.preload
async def test_enter_in_the_inbox_on_a_risk_the_filter_hides_clears_the_filter(
    demo: Store,
) -> None:
    """The risks' old filter had no `clear_filter`: the jump said the risk was gone."""
    from tests.screens.test_inbox import cursor_on, open_inbox

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        assert await wait_for(pilot, lambda: app.current_mode == "risks" and app.screen.loaded)
        risks = app.screen.table
        await pilot.press("slash", *"zzz", "enter")
        assert await wait_for(pilot, lambda: risks.row_count == 0)
        table = await open_inbox(app, pilot)
        await pilot.press("a")  # the whole team's: the risks past their review
        key, record = await wait_for_item(pilot, app, "risks")
        await cursor_on(pilot, table, key)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.current_mode == "risks")
        assert await wait_for(pilot, lambda: risks.row_count == 8)
        assert cursor_key(risks) == record
        assert not app.screen.filter_words and not app.screen.query_one(".table-filter").display


async def wait_for_item(pilot, app: KickoffApp, screen: str) -> tuple[str, str]:
    """The key of the inbox's first item on `screen`, and its record."""
    found: list[tuple[str, str]] = []

    def look() -> bool:
        found[:] = [
            (k, item.nudge.record_id)
            for k, item in app.screen.items.items()
            if item.nudge.screen == screen
        ]
        return bool(found)

    assert await wait_for(pilot, look)
    return found[0]


# ---------------------------------------------------------------------- the retro board


@pytest.mark.preload
async def test_slash_filters_the_three_retro_columns_and_esc_clears_before_closing(
    demo: Store,
) -> None:
    from kickoff_tui.screens.retro import RetroScreen
    from tests.screens.test_retro import open_retro

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_retro(app, pilot)
        tables = [screen.query_one(f"#retro-{kind}", RetroColumn).table for kind in KINDS]
        assert await wait_for(pilot, lambda: sum(t.row_count for t in tables) > 3)
        before = [texts(t) for t in tables]
        items = [line for column in before for line in column if line != "nothing yet"]
        word = "moved"
        matching = [line for line in items if word in line.casefold()]
        assert 0 < len(matching) < len(items)
        await pilot.press("slash", *word)
        assert await wait_for(pilot, lambda: [texts(t) for t in tables] != before)
        shown = [line for t in tables for line in texts(t)]
        assert shown == matching  # every column narrowed, across the board
        assert count_line(app) == f"{len(matching)} of {len(items)} match"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: [texts(t) for t in tables] == before)
        assert isinstance(app.screen, RetroScreen)  # esc cleared the filter, didn't close
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, RetroScreen))


# ---------------------------------------------------------------------- the monthly OKR review


@pytest.mark.preload
async def test_slash_filters_the_okr_review_and_a_verdict_moves_on_among_the_rows_shown(
    demo: Store,
) -> None:
    """The review goes on to the next open row the filter shows, not to a hidden one."""
    from kickoff_tui.screens.okr_review import OkrReviewScreen
    from tests.screens.test_okr_review import start_review

    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_review(app, pilot)
        table = screen.table
        before = texts(table)
        word = "track"  # the rows on track: O1, KR2, KR3, KR4, KR8
        matching = [line for line in before if word in line.casefold()]
        assert [line.split()[0] for line in matching] == ["O1", "KR2", "KR3", "KR4", "KR8"]
        await pilot.press("slash", *word)
        assert await wait_for(pilot, lambda: texts(table) == matching)
        assert count_line(app) == f"{len(matching)} of {len(before)} match"
        await pilot.press("enter")  # keeps the filter, back to the list
        assert await wait_for(pilot, lambda: table.has_focus)
        table.move_cursor(row=1)
        await pilot.pause()
        await pilot.press("enter")  # the verdict form on KR2, the second row shown
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.pause()
        await pilot.press("ctrl+s")  # keep
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert await wait_for(pilot, lambda: shows(app, "1 of 11 verdicts"))
        assert (
            demo.row(
                "SELECT count(*) FROM okr_verdict v JOIN key_result k ON k.id = v.key_result_id "
                "WHERE k.title = 'Median days to first value' "
                "AND v.review_id = (SELECT id FROM okr_review WHERE ended_at IS NULL)"
            )[0]
            == 1
        )
        # on to KR3, the next open row shown (by position in the whole list it would be KR4)
        assert texts(table)[table.cursor_row].split()[0] == "KR3"
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: len(texts(table)) == len(before))
        assert isinstance(app.screen, OkrReviewScreen)  # esc cleared the filter, didn't close
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, OkrReviewScreen))
