"""The KPI table on the OKR screen (2, then tab): record, add, edit, delete, history, with real
keys, then the database and the screen checked."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.kpi_history import KpiHistoryScreen
from kickoff_tui.store import kpis
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import screen_text, shows, wait_for
from tests.screens.test_okrs import clear_and_type, error_of, form_open, open_okrs

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_kpis(app: KickoffApp, pilot) -> DataTable:
    await open_okrs(app, pilot)
    await pilot.press("tab")
    table = app.screen.query_one("#kpi-table", DataTable)
    assert await wait_for(pilot, lambda: table.has_focus)
    await pilot.pause()
    return table


async def go_to_kpi(pilot, table: DataTable, ref: str) -> None:
    await pilot.press("home")
    for _ in range(table.row_count):
        if table.get_row_at(table.cursor_row)[0].plain.lstrip("⚠·") == ref:
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"no KPI {ref}")


def readings(store: Store, name: str) -> list[tuple[str, float, str | None]]:
    return [
        (r["at"], r["value"], r["corrects_id"])
        for r in store.rows(
            "SELECT r.* FROM kpi_reading r JOIN kpi k ON k.id = r.kpi_id "
            "WHERE k.name = ? AND r.deleted = 0 ORDER BY r.at, r.created_at",
            (name,),
        )
    ]


async def test_the_kpi_table_shows_last_value_trend_targets_and_the_nudge(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_okrs(app, pilot)
        # At 24 rows the KPIs fold to one line, so every key result keeps its row...
        assert shows(app, "KPIs ⚠K1 28 h · K2 58 teams · K3 9.1 % · tab: r record, h history")
        assert shows(app, "KR8 Net revenue retention")
        assert "Support resoluti" not in screen_text(app)
        # ... and tab opens the table, with everything about the highlighted KPI above it.
        await pilot.press("tab")
        assert await wait_for(pilot, lambda: shows(app, "K1 Support resolution hours · ⚠ 2 weeks"))
        assert shows(app, "28 h ▅▃▁▇█ ▲ behind ▲ behind week Ben 3d")
        assert shows(app, "58 teams ▁▂▄▆█ ● ● week Ana 3d")
        assert shows(app, "9.1 % ▁█ ▲ behind ▲ behind month Eun-ji 3d")
        assert "r Record" in screen_text(app).splitlines()[-1]  # the footer has the KPI keys
        await pilot.press("shift+tab")
        assert await wait_for(pilot, lambda: "Support resoluti" not in screen_text(app))
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_okrs(app, pilot)  # 40 rows: the table stays open
        assert shows(app, "Support resolution hours 28 h ▅▃▁▇█ 26 → 20 → 16 h ▲ behind ▲ behind")


async def test_recording_a_reading_refuses_a_non_number_and_clears_the_nudge(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_kpis(app, pilot)
        await pilot.press("r")
        form = await form_open(app, pilot)
        assert form.query_one("#field-at", Input).value == "2026-11-23"  # the week to record
        await pilot.press(*"abc", "ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert error_of(form, "value").startswith("Enter a number such as 12")
        await clear_and_type(pilot, "22")
        await pilot.press("tab")
        await clear_and_type(pilot, "2026-02-30")
        await pilot.press("ctrl+s")
        assert error_of(form, "at") == "There is no 30 February 2026."
        await clear_and_type(pilot, "+2d")
        await pilot.press("ctrl+s")
        assert error_of(form, "at") == "A reading can't be dated after today (2026-11-25)."
        await clear_and_type(pilot, "2026-11-23")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert readings(demo, "Support resolution hours")[-1] == ("2026-11-23", 22.0, None)
        assert "Recorded K1: 22 h." in [n.message for n in app._notifications]
        # A good week breaks the run of under weeks: no ⚠ any more.
        assert await wait_for(pilot, lambda: shows(app, "22 h") and "⚠K1" not in screen_text(app))
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: "⚠K1" in screen_text(app) and shows(app, "28 h ▅▃▁▇█"))
        assert len(readings(demo, "Support resolution hours")) == 5


async def test_a_new_kpi_is_validated_saved_and_highlighted(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_kpis(app, pilot)
        await pilot.press("n")
        form = await form_open(app, pilot)
        await pilot.press("ctrl+s")
        assert error_of(form, "name") == "Name can't be empty."
        assert error_of(form, "baseline") == "Baseline is needed."
        await pilot.press(*"weekly active TEAMS")
        await pilot.press("tab", "tab", *"30", "tab", *"35", "tab", *"20", "ctrl+s")
        assert error_of(form, "target_90") == (
            "With higher is better, the 90-day target must be above the baseline or equal to it."
        )
        focused = app.screen.focused  # the form puts the cursor on the field to fix
        assert isinstance(focused, Input) and focused.id == "field-target_90"
        await clear_and_type(pilot, "45")
        await pilot.press("ctrl+s")
        assert error_of(form, "name") == (
            "There is already a KPI named weekly active TEAMS; pick another name."
        )
        assert isinstance(app.screen, FormScreen)  # refused in the form: nothing typed is lost
        await clear_and_type(pilot, "NPS")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        row = demo.row("SELECT * FROM kpi WHERE name = 'NPS'")
        assert (row["baseline"], row["target_30"], row["target_90"], row["frequency"]) == (
            30.0,
            35.0,
            45.0,
            "weekly",
        )
        assert await wait_for(pilot, lambda: table.row_count == 4)
        assert table.get_row_at(table.cursor_row)[0].plain == "K4"  # the cursor is on it


async def test_enter_edits_the_kpi_not_the_key_result(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_kpis(app, pilot)
        await go_to_kpi(pilot, table, "K2")
        await pilot.press("enter")
        form = await form_open(app, pilot)
        assert form.query_one("#field-name", Input).value == "Weekly active teams"
        form.query_one("#field-threshold", Input).focus()
        await pilot.pause()
        await clear_and_type(pilot, "60")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert demo.row("SELECT threshold FROM kpi WHERE name = 'Weekly active teams'")[0] == 60
        assert await wait_for(pilot, lambda: shows(app, "⚠K2"))  # 53 and 58: two weeks under 60
        objectives = demo.row("SELECT count(*) FROM activity WHERE entity = 'objective'")[0]
        assert objectives == 0  # enter on the KPI table never edits a key result


async def test_history_plots_the_readings_and_corrects_one(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kpis(app, pilot)
        await pilot.press("h")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        await pilot.pause()
        history = app.screen.query_one("#kpi-history-table", DataTable)
        assert history.row_count == 5 and history.cursor_row == 4
        assert shows(app, "K1 Support resolution hours · readings")
        assert shows(app, "5 Nov 20 week of Nov 16 28 h Ben From the weekly export")
        assert shows(app, "20 ┤")  # the 30-day target is a labelled point of the line
        assert shows(app, "day 30")
        assert shows(app, "⚠ 2 weeks past the threshold")
        await pilot.press("enter")
        form = await form_open(app, pilot)
        assert form.query_one("#field-value", Input).value == "28"
        assert [(f.name, f.required, f.hint, f.max_len) for f in form.fields] == [
            ("value", True, "", None),
            ("note", False, "why it changed; the original stays in the history", 300),
        ]
        await clear_and_type(pilot, "25")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        assert await wait_for(pilot, lambda: history.row_count == 6)
        rows = readings(demo, "Support resolution hours")
        assert rows[-1][:2] == ("2026-11-20", 25.0) and rows[-1][2] is not None
        k1 = kpis.find(demo, rows and kpis.resolve(demo, "K1") or "")
        assert k1 is not None and not k1.nudged and k1.last_value == 25.0
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, KpiHistoryScreen))
        assert await wait_for(pilot, lambda: shows(app, "25 h") and "⚠K1" not in screen_text(app))


async def test_r_in_the_history_records_a_reading_and_lists_it(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_kpis(app, pilot)
        await pilot.press("h")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        history = app.screen.query_one("#kpi-history-table", DataTable)
        assert await wait_for(pilot, lambda: history.row_count == 5)
        await pilot.press("r")
        form = await form_open(app, pilot)
        assert form.query_one("#field-at", Input).value == "2026-11-23"
        await pilot.press(*"24", "ctrl+s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        assert await wait_for(pilot, lambda: history.row_count == 6)
        assert readings(demo, "Support resolution hours")[-1] == ("2026-11-23", 24.0, None)
        await pilot.press("r", "escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        assert len(readings(demo, "Support resolution hours")) == 6


async def test_delete_asks_first_and_undo_brings_it_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_kpis(app, pilot)
        await go_to_kpi(pilot, table, "K3")
        await pilot.press("d")
        await form_open(app, pilot, ConfirmScreen)
        assert shows(app, "Its 2 readings stay in the file")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: table.row_count == 2)
        assert demo.row("SELECT deleted FROM kpi WHERE name = 'Trial-to-paid conversion'")[0]
        await pilot.press("ctrl+z")
        assert await wait_for(pilot, lambda: table.row_count == 3)


async def test_a_jump_to_a_kpi_focuses_the_kpi_table(demo: Store) -> None:
    """The inbox's enter on a KPI nudge puts the cursor on the KPI (screen "okrs")."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_okrs(app, pilot)
        k3 = kpis.resolve(demo, "K3")
        assert k3
        app.screen.cursor_to(k3)
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        assert table.has_focus and table.get_row_at(table.cursor_row)[0].plain == "K3"


async def test_kpi_text_is_shown_as_typed_and_bad_stored_values_never_crash(demo: Store) -> None:
    from tests.screens.helpers import MARKUP_CORPUS

    loud = MARKUP_CORPUS[4]  # "[bold red]loud[/bold red]"
    kid = kpis.save_kpi(
        demo,
        {
            "name": loud,
            "direction": "higher",
            "baseline": 1.0,
            "target_30": 2.0,
            "target_90": 3.0,
            "frequency": "weekly",
            "unit": "[/]",
            "source": MARKUP_CORPUS[3],
        },
    )
    kpis.record(demo, kid, value=2, note=MARKUP_CORPUS[5])
    # A value already in the file that the rules would refuse (written around the store).
    demo.conn.execute("UPDATE kpi SET frequency = 'hourly', baseline = NULL WHERE id = ?", (kid,))
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_kpis(app, pilot)
        await go_to_kpi(pilot, table, "K4")
        assert shows(app, f"K4 {loud}")
        assert shows(app, "2 [/]")
        await pilot.press("h")
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
        await pilot.pause()
        assert shows(app, f"K4 {loud} · readings")
        assert shows(app, "[link=https://example.com]")  # the note, literally (cut at 30)


async def test_on_a_read_only_workspace_the_kpi_keys_say_so_at_once(demo: Store) -> None:
    demo.close()
    store = Store(demo.path, readonly=True)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_kpis(app, pilot)
        said = "Read-only: demo.db was opened with --read-only, so nothing can be changed."
        for key in ("r", "n", "enter", "d", "c"):
            app.clear_notifications()
            await pilot.press(key)
            # Waits on the sentence itself: on a busy machine a notification from opening the
            # workspace can still land after the clear, so only the key's own sentence counts.
            assert await wait_for(
                pilot, lambda: [n.message for n in app._notifications].count(said) == 1
            ), key
            assert not isinstance(app.screen, (FormScreen, ConfirmScreen)), key
        await pilot.press("h")  # looking still works
        assert await wait_for(pilot, lambda: isinstance(app.screen, KpiHistoryScreen))
    assert store.row("SELECT count(*) FROM kpi_reading WHERE deleted = 0")[0] == 12
    store.close()
