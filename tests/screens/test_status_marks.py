"""Every colour-coded status also reads without colour: the shared marks of rules/status.py
(● good, ▲ caution, ■ bad; ●G ▲Y ■R where there is no word) on each screen that colours one,
read from the screen text as a person in monochrome would, at 80×24. And NO_COLOR (set, not
empty) starts the monochrome theme."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.themes import MONO_THEME
from tests.screens.helpers import screen_text, shows, wait_for


async def go(app: KickoffApp, pilot, key: str, mode: str) -> None:
    await pilot.press(key)
    assert await wait_for(pilot, lambda: app.current_mode == mode)
    await pilot.pause()


async def test_board_cards_show_their_rag_shape(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(app, pilot, "1", "board")
        text = screen_text(app)
        # The facts line of each card starts with its RAG's shape, where the bar was colour only.
        assert shows(app, "▌#7 Ship the guided setup wiz")
        assert shows(app, "●G ◐ doing @chloe in 13 days")
        assert shows(app, "▲Y ◐ doing @dev in 8 days")
        assert shows(app, "●G ● done @ben")
        assert shows(app, "■R ⚠ blocked @ben ⚠ 2 days late")
        assert all(len(line) <= 80 for line in text.splitlines())


@pytest.mark.preload
async def test_okr_grades_paces_and_trends_have_marks(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(app, pilot, "2", "okrs")
        assert shows(app, "O1 Launch self-serve onbo… ▲Y ███░░░ 44% ● on track")
        assert shows(app, "KR1 Weekly activated teams ■R ██░░░░ 39% 6/10 ▲ behind ▁▃▄▇█↑ 2d")
        assert shows(app, "KR4 API uptime ●G ██████ 100% 8/10 ● on track")
        assert shows(app, "KR5 P1 incidents per month ■R ░░░░░░ 0% 4/10 ■ at risk ▅▁█▅▅→")
        # the detail panel of the highlighted objective says it too
        assert shows(app, "▲Y 44% · ● on track · Ana Silva")


@pytest.mark.preload
async def test_kpi_statuses_have_marks(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(app, pilot, "2", "okrs")
        await pilot.press("tab")
        assert await wait_for(pilot, lambda: shows(app, "K1 Support resolution hours · ⚠"))
        assert shows(app, "28 h ▅▃▁▇█ ▲ behind ▲ behind week")
        assert shows(app, "58 teams ▁▂▄▆█ ● ● week")


@pytest.mark.preload
async def test_risk_bands_have_marks_in_the_grid_and_the_register(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await go(app, pilot, "3", "risks")
        # each grid cell's corner: the band's shape and the score
        assert shows(app, "■20") and shows(app, "▲8") and shows(app, "●4")
        assert shows(app, "R1 API can't take 3× traffic Ben Okafor 20 ■ high → 8 ▲ medium")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shows(app, "R1 API can't take 3× traffic Ben 20■→8▲ mitigating")
        assert shows(app, "R6 Pipeline costs double Dev 4● open")
        text = screen_text(app)
        assert all(len(line) <= 80 for line in text.splitlines())
        # one-line grid cells keep the band's shape: Likely row is ● ▲ ■ ■ ■ left to right
        likely = next(line for line in text.splitlines() if line.startswith("4 Likely"))
        assert [c for c in likely if c in "●▲■"] == ["●", "▲", "■", "■", "■"]


@pytest.mark.preload
async def test_the_review_page_has_marks(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await go(app, pilot, "5", "review")
        assert shows(app, "KR5 P1 incidents per month 3 incidents (keep ≤ 2) ■R")
        await pilot.press("b")
        await pilot.pause()
        assert shows(app, "■R #10 Run the load test at 3× traffic blocked, red, 2 days late")
        assert shows(app, "▲Y #6 Draft the SOC 2 control list 7 days late")
        await pilot.press("r")
        await pilot.pause()
        assert shows(app, "R4 Trials don't reach value in a week 9 ▲ medium was 16")


@pytest.mark.preload
async def test_decision_rag_has_its_shape(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await go(app, pilot, "6", "decisions")
        assert shows(app, "accepted ▲ yellow")


@pytest.mark.preload
async def test_stakeholder_engagement_has_its_shape(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await go(app, pilot, "8", "kickoff")
        await pilot.press("m")
        await pilot.pause()
        # every grid cell's corner carries its engagement's shape, stakeholders or not
        text = screen_text(app)
        assert text.count("■") >= 1 and text.count("◆") >= 1 and text.count("●") >= 1
        assert shows(app, "■ manage closely")  # the caption: the cursor's cell (5, 5)


@pytest.mark.parametrize(("value", "mono"), [("1", True), ("", False)])
async def test_no_color_starts_the_monochrome_theme(
    demo: Store, monkeypatch: pytest.MonkeyPatch, value: str, mono: bool
) -> None:
    """no-color.org: NO_COLOR set and not empty; an empty one asks for nothing."""
    monkeypatch.setenv("NO_COLOR", value)
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert (app.theme == MONO_THEME) is mono
