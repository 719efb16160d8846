"""The OKR screen (2): check in, add, edit, delete, undo and jump to the board with real keys."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_okrs(app: KickoffApp, pilot) -> DataTable:
    await pilot.press("2")
    assert await wait_for(pilot, lambda: app.current_mode == "okrs")
    await pilot.pause()
    return app.screen.query_one("#okr-table", DataTable)


def ref_at_cursor(table: DataTable) -> str:
    return table.get_row_at(table.cursor_row)[0].plain.lstrip("⚠")


async def go_to(pilot, table: DataTable, ref: str) -> None:
    """Move the cursor (with the arrow keys) to the row O1 / KR7 ..."""
    await pilot.press("home")
    for _ in range(table.row_count):
        if ref_at_cursor(table) == ref:
            await pilot.pause()
            return
        await pilot.press("down")
    raise AssertionError(f"no row {ref}")


async def form_open(app, pilot, kind=FormScreen):
    assert await wait_for(pilot, lambda: isinstance(app.screen, kind))
    await pilot.pause()
    return app.screen


async def clear_and_type(pilot, text: str) -> None:
    await pilot.press("home", "ctrl+k", *text)


def kr(store: Store, title: str) -> dict:
    return dict(store.row("SELECT * FROM key_result WHERE title = ? AND deleted = 0", (title,)))


def error_of(form: FormScreen, name: str) -> str:
    return str(form.query_one(f"#error-{name}").render()).strip()


async def test_the_tree_shows_roll_ups_pace_trend_and_attention(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        refs = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert refs == ["O1", "KR1", "KR2", "KR3", "O2", "KR4", "KR5", "KR6", "O3", "KR7", "KR8"]
        assert shows(app, "O1 Launch self-serve onboa… Ana 3 KRs ▲Y ███░░░ 44% ● on track")
        assert shows(
            app,
            "KR1 Weekly activated teams Ana 40 → 71 → 120 teams ■R ██░░░░ 39% "
            "6/10 ▲ behind ▁▃▄▇█↑ 2d 2/4",
        )
        assert shows(app, "KR4 API uptime Ben 99.95 % (keep ≥ 99.9) ●G ██████ 100% 8/10 ● on track")
        assert shows(app, "Needs attention At risk by pace: KR5 0% · KR6 0% · KR7 24%")
        assert "Kind" not in screen_text(app)  # at 120 columns the values say the kind
        await go_to(pilot, table, "KR1")
        assert shows(app, "Ana Silva · last check-in 2 days ago · cards 2/4 done")


async def test_at_80_columns_the_essentials_stay_and_the_panel_has_the_rest(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_okrs(app, pilot)
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Objective / key result" in line)
        assert "Owner" not in header and "Cards" not in header
        assert header.split() == [
            "#",
            "Objective",
            "/",
            "key",
            "result",
            "Progress",
            "Conf",
            "Pace",
            "Trend",
            "Last",
        ]
        assert shows(app, "KR7 Paying teams ■R █░░░░░ 24% 4/10 ■ at risk ▁▂▅▆█↑ 2d")
        assert all(len(line) <= 80 for line in text.splitlines())
        await go_to(pilot, table, "KR7")
        assert shows(app, "increase to · 0 → 6 → 25 teams · ■R 24% · ■ at risk · confidence 4/10")


async def test_a_check_in_prefilled_from_the_last_one_is_saved_and_shown(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR7")
        await pilot.press("c")
        form = await form_open(app, pilot)
        assert form.query_one("#field-value", Input).value == "6"
        assert form.query_one("#field-confidence", Input).value == "4"
        assert [(f.name, f.kind, f.required, f.hint, f.max_len) for f in form.fields][1:] == [
            ("confidence", "int", False, "0–10: how sure you are the target will be met", None),
            ("note", "text", False, "", 300),
        ]
        await clear_and_type(pilot, "12,5")
        await pilot.press("tab")
        await clear_and_type(pilot, "6")
        await pilot.press("tab", *"Two [bold]big[/] deals", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = kr(demo, "Paying teams")
        assert (row["current"], row["confidence"]) == (12.5, 6)
        latest = demo.row(
            "SELECT * FROM check_in WHERE key_result_id = ? ORDER BY at DESC, "
            "created_at DESC LIMIT 1",
            (row["id"],),
        )
        assert (latest["value"], latest["confidence"], latest["note"]) == (
            12.5,
            6,
            "Two [bold]big[/] deals",
        )
        assert latest["author_id"] == demo.row("SELECT id FROM person WHERE handle = 'ana'")[0]
        assert shows(
            app, "KR7 Paying teams Eun-ji 0 → 12.5 → 25 teams ▲Y ███░░░ 50% 6/10 ● on track"
        )
        assert shows(app, "0d")
        assert shows(app, "At risk by pace: KR5 0% · KR6 0%")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert kr(demo, "Paying teams")["current"] == 6.0
        assert shows(app, "KR7 Paying teams Eun-ji 0 → 6 → 25 teams")


async def test_every_check_in_validation_message(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR1")
        before = demo.row("SELECT count(*) FROM check_in")[0]
        await pilot.press("c")
        form = await form_open(app, pilot)
        await clear_and_type(pilot, "lots")
        assert (
            error_of(form, "value") == "Enter a number such as 12, 12.5, 12,5 or 45% (got 'lots')."
        )
        await clear_and_type(pilot, "1,000")
        assert "could mean 1000 or 1.000" in error_of(form, "value")
        await clear_and_type(pilot, "")
        await pilot.press("ctrl+s")
        assert error_of(form, "value") == "Value now is needed."
        await clear_and_type(pilot, "45%")
        assert error_of(form, "value") == ""
        await pilot.press("tab")
        await clear_and_type(pilot, "11")
        assert error_of(form, "confidence") == "Confidence must be from 0 to 10 (got 11)."
        await clear_and_type(pilot, "6.5")
        assert error_of(form, "confidence") == "Confidence must be a whole number (got 6.5)."
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FormScreen)
        assert demo.row("SELECT count(*) FROM check_in")[0] == before
        await clear_and_type(pilot, "7")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert (
            kr(demo, "Weekly activated teams")["current"],
            kr(demo, "Weekly activated teams")["confidence"],
        ) == (45.0, 7)


async def test_new_key_result_refuses_bad_settings_then_saves(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "O3")
        await pilot.press("n")
        form = await form_open(app, pilot)
        assert form.form_title == "New key result for O3"
        await pilot.press(*"Trials started")
        form.query_one("#field-baseline", Input).value = "20"
        form.query_one("#field-target", Input).value = "20"
        form.query_one("#field-weight", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "target") == (
            "Baseline and target are both 20; an 'increase to' key result needs a target "
            "different from its baseline."
        )
        assert error_of(form, "weight") == "Weight must be a number greater than 0 (got 0)."
        form.query_one("#field-target", Input).value = "12"
        form.query_one("#field-weight", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "target").startswith("Target 12 is below the baseline 20")
        form.query_one("#field-kind", Select).value = "decrease_to"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = kr(demo, "Trials started")
        assert (row["kind"], row["baseline"], row["target"], row["weight"]) == (
            "decrease_to",
            20.0,
            12.0,
            2.0,
        )
        assert (
            row["objective_id"]
            == demo.row("SELECT id FROM objective WHERE title = 'Prove the paid plan'")[0]
        )
        assert ref_at_cursor(table) == "KR9"
        assert shows(app, "KR9 Trials started")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.row("SELECT deleted FROM key_result WHERE title = 'Trials started'")[0] == 1
        assert not shows(app, "Trials started")


async def test_a_new_objective_and_its_shape_nudge(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_okrs(app, pilot)
        await pilot.press("o")
        form = await form_open(app, pilot)
        await pilot.press(*MARKUP_CORPUS[4])
        form.query_one("#field-weight", Input).value = "-1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "weight") == "Weight must be a number greater than 0 (got -1)."
        form.query_one("#field-weight", Input).value = "1,5"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = demo.row("SELECT * FROM objective WHERE title = ?", (MARKUP_CORPUS[4],))
        assert row["weight"] == 1.5
        assert shows(app, f"O4 {MARKUP_CORPUS[4]}")
        assert shows(app, "O4 has no key results; aim for 2–4")


async def test_saving_from_the_form_at_80_columns_keeps_the_columns_whole(demo: Store) -> None:
    """The tree is rebuilt while the form still covers it; its columns must not shrink."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_okrs(app, pilot)
        await pilot.press("o")
        await form_open(app, pilot)
        await pilot.press(*"Grow revenue from self-serve", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert shows(app, "O4 Grow revenue from self-serve")
        assert shows(app, "KR1 Weekly activated te") and shows(app, "■R ██░░░░ 39% 6/10 ▲ behind")
        assert shows(app, "O3 Prove the paid plan ■R ██░░░░ 35% ▲ behind")


async def test_editing_a_key_result_keeps_what_was_not_changed(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR2")
        await pilot.press("enter")
        form = await form_open(app, pilot)
        assert form.query_one("#field-baseline", Input).value == "14"
        assert form.query_one("#field-target", Input).value == "3"
        form.query_one("#field-target", Input).value = "2"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = kr(demo, "Median days to first value")
        assert (row["target"], row["baseline"], row["current"], row["kind"]) == (
            2.0,
            14.0,
            8.0,
            "decrease_to",
        )
        assert shows(app, "14 → 8 → 2 days")


async def test_deleting_an_objective_asks_what_to_do_with_its_key_results(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "O3")
        await pilot.press("d")
        form = await form_open(app, pilot)
        assert str(form.form_title) == "Delete O3 Prove the paid plan?"
        options = [str(label) for label, _ in form.fields[0].choices]
        assert options == [
            "Delete its 2 key results too",
            "Move them to O1 Launch self-serve onboarding",
            "Move them to O2 Make the platform reliable enough to sell",
        ]
        o1 = demo.row("SELECT id FROM objective WHERE title = 'Launch self-serve onboarding'")[0]
        form.query_one("#field-krs", Select).value = o1
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert demo.row("SELECT deleted FROM objective WHERE title = 'Prove the paid plan'")[0] == 1
        assert kr(demo, "Paying teams")["objective_id"] == o1
        refs = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert refs == ["O1", "KR1", "KR2", "KR3", "KR7", "KR8", "O2", "KR4", "KR5", "KR6"]
        assert shows(app, "O1 has 5 key results; keep it to 4 or fewer")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.row("SELECT deleted FROM objective WHERE title = 'Prove the paid plan'")[0] == 0
        assert kr(demo, "Paying teams")["objective_id"] != o1
        # delete a key result: a plain confirmation
        await go_to(pilot, table, "KR8")
        await pilot.press("d")
        await form_open(app, pilot, ConfirmScreen)
        assert shows(app, "Delete KR8 Net revenue retention?")
        await pilot.press("y")
        await pilot.pause()
        assert demo.row("SELECT deleted FROM key_result WHERE title = 'Net revenue retention'")[0]
        assert not shows(app, "Net revenue retention")


async def test_deleting_a_key_result_or_an_empty_objective_asks_yes_or_no(demo: Store) -> None:
    """The plain confirmation says what stays (check-ins, card links) and deletes on y only."""
    from kickoff_tui.store import okrs

    okrs.save_objective(demo, {"title": "Hire well"})
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR8")
        await pilot.press("d")
        await form_open(app, pilot, ConfirmScreen)
        assert shows(app, "Delete KR8 Net revenue retention?")
        # the sentence wraps inside the dialog, beside the detail panel's lines
        assert shows(app, "Its 5 check-ins stay in the file; its 2 cards lose the")
        assert shows(app, "link. ctrl+z undoes it.")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await go_to(pilot, table, "O4")
        await pilot.press("d")
        await form_open(app, pilot, ConfirmScreen)
        assert shows(app, "Delete O4 Hire well?")
        assert shows(app, "It has no key results. ctrl+z undoes it.")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        assert demo.row("SELECT deleted FROM objective WHERE title = 'Hire well'")[0] == 1
        assert not shows(app, "Hire well")
        assert (
            demo.row("SELECT deleted FROM key_result WHERE title = 'Net revenue retention'")[0] == 0
        )


async def test_b_jumps_to_the_board_for_the_key_results_cards(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR3")
        await pilot.press("b")
        assert await wait_for(pilot, lambda: app.current_mode == "board")
        await pilot.pause()
        assert await wait_for(pilot, lambda: shows(app, "Filter kr:3"))
        # KR3's three cards, one per window, and no other card
        assert shows(app, "#4 Pick the onboarding")
        assert shows(app, "#7 Ship the guided setup")
        assert shows(app, "#17 In-app tours for onboar")
        assert not shows(app, "Interview 12 trial teams")


async def test_b_on_an_objective_row_says_to_pick_a_key_result(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_okrs(app, pilot)
        await pilot.press("b")
        assert await wait_for(pilot, lambda: shows(app, "Pick a key result first"))
        assert app.current_mode == "okrs"


async def test_titles_that_look_like_markup_are_shown_as_typed(demo: Store) -> None:
    obj = demo.row("SELECT id FROM objective LIMIT 1")[0]
    from kickoff_tui.store import okrs

    for i, text in enumerate(MARKUP_CORPUS[:4]):
        okrs.save_key_result(demo, {"objective_id": obj, "title": text, "kind": "binary"})
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_okrs(app, pilot)
        for text in MARKUP_CORPUS[:3]:
            assert shows(app, text)


async def test_a_key_result_edited_on_two_machines_shows_a_warning(demo: Store) -> None:
    from kickoff_tui.store.ops import Op

    kid = kr(demo, "Paying teams")["id"]
    demo.update("key_result", kid, {"target": 30})
    head = demo.heads("key_result", kid, "target")[0]
    demo.apply(
        [
            Op(
                id="ben-laptop:1",
                hlc=head.hlc,
                by="ben",
                table="key_result",
                row_id=kid,
                field="target",
                value=20,
                base=head.base,
            )
        ]
    )
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        refs = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        assert "⚠KR7" in refs and "KR8" in refs
        await go_to(pilot, table, "KR7")
        assert shows(app, "⚠ edited on two machines")


async def test_an_empty_workspace_starts_with_a_new_objective(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_okrs(app, pilot)
        assert shows(app, "No objectives yet. Press n to add the first one")
        await pilot.press("n")
        form = await form_open(app, pilot)
        assert form.form_title == "New objective"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "title") == "Objective can't be empty."
        await pilot.press(*"Ship v1", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert ref_at_cursor(table) == "O1"
        assert shows(app, "O1 has no key results; aim for 2–4")
        await pilot.press("n")  # on the objective: its first key result
        form = await form_open(app, pilot)
        assert form.form_title == "New key result for O1"


async def test_a_binary_check_in_is_done_or_not(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_okrs(app, pilot)
        await go_to(pilot, table, "KR6")
        await pilot.press("c")
        form = await form_open(app, pilot)
        assert shows(app, "1 = done, 0 = not yet")
        await clear_and_type(pilot, "2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(form, "value") == "A binary key result is 1 (done) or 0 (not yet) (got 2)."
        await clear_and_type(pilot, "1")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert kr(demo, "SOC 2 Type I report issued")["current"] == 1.0
        assert shows(app, "Ben done ●G ██████ 100%")


async def test_a_very_wide_terminal_also_shows_the_kind(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_okrs(app, pilot)
        assert shows(app, "KR2 Median days to first value Chloé decr. 14 → 8 → 3 days")
        assert shows(app, "KR3 Onboarding milestones shipped Chloé miles. 2 → 5 milestones")
