"""The risk matrix (3): the grid, moves with shift+arrows, the residual toggle, the editor, delete,
filter, history and flags, with the keys a person presses, checking the database and the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.risk_history import RiskHistoryScreen
from kickoff_tui.screens.risks import RiskScreen
from kickoff_tui.store import risks as rk
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_risks(app: KickoffApp, pilot) -> RiskScreen:
    await pilot.press("3")
    assert await wait_for(pilot, lambda: app.current_mode == "risks")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RiskScreen)
    return screen


def risk(store: Store, title: str) -> dict:
    return dict(store.row("SELECT * FROM risk WHERE title = ?", (title,)))


def listed(screen: RiskScreen) -> list[str]:
    table = screen.query_one("#risk-table", DataTable)
    return [table.get_row_at(i)[0].plain for i in range(table.row_count)]


def counts(screen: RiskScreen) -> dict[tuple[int, int], int]:
    return {
        (li, im): screen.grid.count((li, im))
        for li in range(1, 6)
        for im in range(1, 6)
        if screen.grid.count((li, im))
    }


def panel(screen: RiskScreen) -> str:
    """The text of the panel beside the grid (it wraps, so it is read whole)."""
    return screen.query_one("#risk-detail", Static).render().plain


async def form_open(app, pilot) -> FormScreen:
    assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    await pilot.pause()
    return app.screen


async def test_the_grid_at_80x24_shows_counts_numbers_bands_and_flags(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        assert counts(screen) == {
            (4, 5): 1,
            (4, 4): 1,
            (4, 3): 1,
            (3, 4): 1,
            (3, 3): 1,
            (2, 3): 1,
            (2, 2): 1,
            (1, 5): 1,
        }
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        lines = text.splitlines()
        likely = next(line for line in lines if line.startswith("4 Likely"))
        # each one-line cell ends in its band's shape (● low, ▲ medium, ■ high)
        assert likely.split()[:13] == [
            *("4", "Likely", "●", "▲"),
            *("1", "R7", "■", "1", "R4", "■", "1", "R1", "■"),
        ]
        assert shows(app, "1 Insig. 2 Minor 3 Moder. 4 Major 5 Severe")
        assert shows(
            app, "⚠ Needs attention: R7 review overdue, no owner, no mitigation · R2 review overdue"
        )
        # all risks, by score, with the inherent → residual marker
        assert listed(screen) == ["R1", "R4", "R7", "R2", "R3", "R5", "R8", "R6"]
        assert shows(app, "R1 API can't take 3× traffic Ben 20■→8▲ mitigating Dec 1 Nov 30")
        assert shows(app, "R7 Second SRE hire takes ove… no owner 12■ open – Nov 16")


async def test_the_list_at_120_columns_has_every_column(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_risks(app, pilot)
        assert shows(app, "# Risk Owner Score Residual Treatment Status Due Review")
        assert shows(
            app,
            "R1 API can't take 3× traffic Ben Okafor 20 ■ high → 8 ▲ medium mitigate "
            "mitigating Dec 1 Nov 30",
        )
        assert shows(app, "5 Almost certain")
        assert shows(app, "Insignificant Minor Moderate Major Severe")


async def test_shift_arrows_move_the_selected_risk_in_the_database_and_on_the_grid(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        assert screen.grid.cursor == (4, 5)  # the grid starts on the highest risk
        await pilot.press("enter")  # that cell's risks
        await pilot.pause()
        assert listed(screen) == ["R1"]
        assert screen.query_one("#risk-table", DataTable).has_focus
        await pilot.press("shift+down")
        await pilot.pause()
        row = risk(demo, "API can't take 3× traffic")
        assert (row["likelihood"], row["impact"]) == (3, 5)
        assert screen.grid.count((4, 5)) == 0 and screen.grid.count((3, 5)) == 1
        assert screen.grid.cursor == (3, 5) and listed(screen) == ["R1"]  # the cursor follows
        assert shows(app, "Inherent · Poss.×Severe 15 ■ high")
        await pilot.press("shift+left", "shift+left")
        await pilot.pause()
        row = risk(demo, "API can't take 3× traffic")
        assert (row["likelihood"], row["impact"]) == (3, 3)
        assert row["residual_impact"] == 3  # the residual can't stay above the inherent impact
        assert screen.grid.count((3, 3)) == 2  # with R3 already there
        history = rk.score_history(demo, row["id"])
        assert [(e.likelihood, e.impact) for e in history] == [(4, 5), (3, 5), (3, 4), (3, 3)]
        await pilot.press("ctrl+z")
        await pilot.pause()
        row = risk(demo, "API can't take 3× traffic")
        assert (row["likelihood"], row["impact"], row["residual_impact"]) == (3, 4, 4)
        assert screen.grid.count((3, 4)) == 2 and screen.grid.count((3, 3)) == 1


async def test_a_move_off_the_grid_says_why(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("enter", "shift+right")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "R1's position is already at the highest impact (Severe)."
        ]
        assert risk(demo, "API can't take 3× traffic")["impact"] == 5
        assert screen.grid.count((4, 5)) == 1


async def test_t_switches_the_grid_to_residual_positions_and_moves_the_residual(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        # R1 4×5 → 2×4, R4 4×4 → 3×3, R2 3×4 → 2×3, R3 3×3 → 3×2; the others have none
        assert counts(screen) == {
            (4, 3): 1,
            (2, 4): 1,
            (3, 3): 1,
            (2, 3): 2,
            (3, 2): 1,
            (2, 2): 1,
            (1, 5): 1,
        }
        assert shows(app, "Residual · Unlik.×Major 8 ▲ medium")
        assert listed(screen) == ["R7", "R4", "R1", "R2", "R3", "R5", "R8", "R6"]  # by residual
        assert screen.grid.cursor == (2, 4)  # the selected risk, R1, where it now shows
        await pilot.press("enter", "shift+up")
        await pilot.pause()
        row = risk(demo, "API can't take 3× traffic")
        assert (row["likelihood"], row["impact"]) == (4, 5)  # inherent untouched
        assert (row["residual_likelihood"], row["residual_impact"]) == (3, 4)
        assert screen.grid.count((3, 4)) == 1 and screen.grid.count((2, 4)) == 0
        await pilot.press("t")
        await pilot.pause()
        assert screen.grid.count((4, 5)) == 1
        assert shows(app, "Inherent · Likely×Severe 20 ■ high")


async def test_arrows_pick_a_cell_and_the_list_follows(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("left")  # Likely × Major
        await pilot.pause()
        assert listed(screen) == ["R4"]
        await pilot.press("left", "left", "left")  # Likely × Insignificant: empty
        await pilot.pause()
        assert listed(screen) == []
        assert panel(screen) == "No risks in Likely × Insignificant. Press n to add one here."
        await pilot.press("escape")  # back to every risk
        await pilot.pause()
        assert len(listed(screen)) == 8


async def test_n_adds_a_risk_in_the_selected_cell_and_refuses_a_residual_above_it(
    demo: Store,
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("down", "down", "left")  # Unlikely × Major
        await pilot.press("n")
        form = await form_open(app, pilot)
        assert form.form_title == "New risk — Unlikely × Major"
        assert form.query_one("#field-likelihood", Select).value == 2
        assert form.query_one("#field-impact", Select).value == 4
        await pilot.press(*MARKUP_CORPUS[4])
        form.query_one("#field-residual_likelihood", Select).value = 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert shows(
            app,
            "Residual likelihood (Possible) can't be higher than the likelihood "
            "before mitigation (Unlikely).",
        )
        form.query_one("#field-residual_likelihood", Select).value = 1
        form.query_one("#field-due", Input).value = "31 feb"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert shows(app, "There is no 31 February 2027.")
        assert demo.row("SELECT count(*) FROM risk")[0] == 8  # nothing saved half
        form.query_one("#field-due", Input).value = "+2w"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = risk(demo, MARKUP_CORPUS[4])
        assert (row["likelihood"], row["impact"], row["residual_likelihood"]) == (2, 4, 1)
        assert row["due"] == "2026-12-07"
        assert row["next_review"] == "2026-12-23"  # medium (8): 30 days by default
        assert screen.grid.count((2, 4)) == 1
        assert listed(screen) == ["R9"]
        assert shows(app, f"R9 {MARKUP_CORPUS[4]}")  # shown as typed, not as markup
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert risk(demo, MARKUP_CORPUS[4])["deleted"] == 1
        assert screen.grid.count((2, 4)) == 0


async def test_e_edits_and_d_deletes_after_asking_and_ctrl_z_brings_it_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("enter", "e")
        form = await form_open(app, pilot)
        assert form.query_one("#field-title", Input).value == "API can't take 3× traffic"
        assert form.query_one("#field-card_id", Input).value == "10"
        form.query_one("#field-owner_id", Select).value = risk(demo, "Pipeline costs double")[
            "owner_id"
        ]
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert shows(app, "R1 API can't take 3× traffic Dev")
        await pilot.press("d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert risk(demo, "API can't take 3× traffic")["deleted"] == 0
        await pilot.press("d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await pilot.pause()
        assert risk(demo, "API can't take 3× traffic")["deleted"] == 1
        assert screen.grid.count((4, 5)) == 0
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert risk(demo, "API can't take 3× traffic")["deleted"] == 0
        assert screen.grid.count((4, 5)) == 1


async def test_slash_filters_the_grid_and_the_list(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("left")  # one cell's risks…
        await pilot.press("slash", *"eun-ji")  # …but a filter searches them all
        await pilot.pause()
        assert listed(screen) == ["R5", "R8"]
        assert counts(screen) == {(2, 3): 1, (1, 5): 1}
        await pilot.press("enter")  # to the list
        await pilot.pause()
        table = screen.query_one("#risk-table", DataTable)
        assert table.has_focus
        await pilot.press("j")  # R8
        await pilot.press("escape")  # the filter goes first, the cursor stays on R8
        await pilot.pause()
        assert len(listed(screen)) == 8 and screen.filter_words == ()
        assert table.has_focus and listed(screen)[table.cursor_row] == "R8"
        assert len(counts(screen)) == 8
        await pilot.press("escape")  # then list → grid
        await pilot.pause()
        assert screen.grid.has_focus


async def test_h_shows_the_score_history(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        await pilot.press("enter", "shift+down", "h")
        assert await wait_for(pilot, lambda: isinstance(app.screen, RiskHistoryScreen))
        await pilot.pause()
        assert shows(app, "R1 API can't take 3× traffic")
        text = screen_text(app)
        newest = text.index("3×5 = 15 ■ high")
        assert newest < text.index("4×5 = 20 ■ high")  # newest first
        assert shows(app, "2026-11-23 09:00 Ana Silva 3×5 = 15 ■ high 2×4 = 8 ▲ medium")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RiskScreen)


async def test_a_risk_in_sync_conflict_carries_a_warning(demo: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "ben.db", create=True, actor="ben")
    other.apply(demo.operations())
    api = risk(demo, "API can't take 3× traffic")
    demo.update("risk", api["id"], {"mitigation": "Read replicas"})
    other.update("risk", api["id"], {"mitigation": "A queue for exports"})
    demo.apply(other.operations())
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_risks(app, pilot)
        assert shows(app, "R1⚠")  # on the grid
        assert shows(app, "⚠ API can't take 3× traffic")  # in the list
        assert "⚠ edited on two machines at once" in panel(app.screen)


async def test_a_click_picks_a_cell_and_a_double_click_goes_to_its_risks(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_risks(app, pilot)
        # at 80 columns: 9 columns of labels, then cells 9 wide, one line tall, 5 at the top
        await pilot.click("#risk-grid", offset=(9 + 4 * 9 + 2, 4))  # Rare × Severe
        await pilot.pause()
        assert screen.grid.cursor == (1, 5) and listed(screen) == ["R8"]
        await pilot.double_click("#risk-grid", offset=(9 + 2 * 9 + 2, 2))  # Possible × Moderate
        await pilot.pause()
        assert screen.grid.cursor == (3, 3) and listed(screen) == ["R3"]
        assert screen.query_one("#risk-table", DataTable).has_focus


async def test_giving_a_high_risk_an_owner_and_a_plan_clears_its_flags(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_risks(app, pilot)
        await pilot.press("slash", *"SRE", "enter")
        await pilot.pause()
        assert listed(screen) == ["R7"]
        await pilot.press("e")
        form = await form_open(app, pilot)
        form.query_one("#field-owner_id", Select).value = risk(demo, "Pipeline costs double")[
            "owner_id"
        ]
        form.query_one("#field-mitigation").text = "Contract an SRE agency for on-call cover"
        form.query_one("#field-next_review", Input).value = "+1w"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        row = risk(demo, "Second SRE hire takes over 60 days")
        assert row["mitigation"] == "Contract an SRE agency for on-call cover"
        assert row["next_review"] == "2026-11-30"
        assert shows(app, "⚠ Needs attention: R2 review overdue")
        assert "R7" not in screen.query_one("#risk-attention", Static).render().plain
