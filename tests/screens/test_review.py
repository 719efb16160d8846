"""The review screen (5) driven with the keys a person presses, on the demo at day 37."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Footer, Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from kickoff_tui.widgets.nav import NavBar
from kickoff_tui.widgets.nudge_counts import NudgeCounts, counts_lines
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload


async def open_review(app: KickoffApp, pilot) -> None:
    await pilot.press("5")
    assert await wait_for(pilot, lambda: app.current_mode == "review")
    await pilot.pause()


async def test_every_section_is_one_key_away(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        text = screen_text(app)
        assert "Day 37 of 90 · 31–60 window (Nov 17 – Dec 16)" in text
        assert shows(app, "O1 Launch self-serve onboarding ▲Y ████░░░░░░ 44% ● on track Ana Silva")
        assert shows(app, "KR1 Weekly activated teams 71 → 120 teams ■R ████░░░░░░ 39% ▲ behind")
        assert shows(app, "KR5 P1 incidents per month 3 incidents (keep ≤ 2)")
        await pilot.press("b")
        await pilot.pause()
        assert shows(app, "31–60 ● now Nov 17 – Dec 16 1 to do 3 doing 2 blocked 1/7 done")
        assert shows(app, "■R #10 Run the load test at 3× traffic blocked, red, 2 days late")
        await pilot.press("r")
        await pilot.pause()
        assert shows(app, "Top risks by residual score")
        assert shows(app, "R7 Second SRE hire takes over 60 days 12 ■ high was 12 no owner")
        assert shows(app, "review overdue (2026-11-16)")
        await pilot.press("d")
        await pilot.pause()
        assert shows(
            app,
            "D3 Delay annual plans to the 61–90 window "
            "⚠ accepted, not published within 24 h Ana Silva",
        )
        assert shows(app, "D4 Postgres read replicas for reporting proposed, due 2026-11-28")
        assert shows(app, "B2 Load-test environment not provisioned owner Dev Patel")
        await pilot.press("c")
        await pilot.pause()
        assert shows(app, "Since Mon 16 Nov (7 days ago): 7 changes")
        assert shows(app, "Sun 22 Nov 14:00 ana Blocked #13 Hire a second SRE")
        await pilot.press("o")
        await pilot.pause()
        assert shows(app, "Objectives and key results")


async def test_the_review_fits_80_columns(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(app, pilot)
        lines = screen_text(app).splitlines()
        assert all(len(line) <= 80 for line in lines)
        assert shows(app, "O2 Make the platform reliable enough …")
        assert shows(app, "KR1 Weekly activated teams ■R ████░░░░░░ 39% ▲ behind")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_needs_someone_counts_take_two_lines_at_most(
    demo: Store, size: tuple[int, int]
) -> None:
    """Twelve kinds of nudge: short words per kind, or one count per part, never 4 lines."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=size) as pilot:
        await open_review(app, pilot)
        counts = app.screen.query_one("#review-nudges", NudgeCounts)
        assert await wait_for(pilot, lambda: bool(counts.counts))
        await pilot.pause()
        assert counts.region.height <= 2
        assert shows(app, "Needs someone: cards 4 · KRs 3 · KPIs 1 · blockers 1 · decisions 1")
        assert shows(app, "first actions 3 · pulse 1")
        assert shows(app, "contacts 2 · comms 1 · questions 1")


def test_a_few_kinds_keep_their_own_words_with_room() -> None:
    few = [("card-late", 2), ("card-blocked", 12), ("kr-pace", 3), ("stakeholder-contact", 1)]
    (line,) = counts_lines(few, 115)
    assert line.plain == (
        "Needs someone: cards late 2 · cards blocked 12 · KRs behind 3 · contacts due 1"
        "  (0: the inbox)"
    )
    # narrower, the same counts break between two counts, never inside one
    assert [x.plain for x in counts_lines(few, 64)] == [
        "Needs someone: cards late 2 · cards blocked 12 · KRs behind 3",
        "contacts due 1  (0: the inbox)",
    ]


async def test_presentation_mode_hides_the_chrome(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_review(app, pilot)
        nav, footer = app.screen.query_one(NavBar), app.screen.query_one(Footer)
        assert nav.display and footer.display
        await pilot.press("P")
        await pilot.pause()
        assert not nav.display and not footer.display
        assert "5 Review" not in screen_text(app)
        assert "Day 37 of 90" in screen_text(app)
        await pilot.press("ctrl+t")  # the light theme for a projector is still one key away
        await pilot.pause()
        assert app.theme == "textual-light"
        await pilot.press("space")  # a page down, as in any slide deck
        await pilot.pause()
        assert "Top risks by residual score" in screen_text(app)
        assert "Teams sign up" not in screen_text(app)  # the headline scrolled away
        await pilot.press("shift+space")
        await pilot.pause()
        assert "Teams sign up" in screen_text(app)
        await pilot.press("P")
        await pilot.pause()
        assert nav.display and footer.display


async def test_since_a_chosen_day(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        field = app.screen.query_one("#field-since", Input)
        assert field.value == "2026-11-16"
        field.value = ""
        await pilot.press(*"next friday")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows(app, "Pick today or an earlier day.")
        field.value = ""
        await pilot.press(*"-1d", "enter")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await pilot.pause()
        assert shows(app, "Since Sun 22 Nov (yesterday): 3 changes")
        assert shows(app, "Blocked #13 Hire a second SRE")
        assert "Started #8 Sample data on sign-up" not in screen_text(app)


async def test_the_page_follows_changes(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        card = demo.row("SELECT id FROM card WHERE title LIKE 'Hire a second%'")["id"]
        app.session.edit(demo.update, "card", card, {"state": "done"}, summary="Marked #13 done")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert shows(app, "31–60 ● now Nov 17 – Dec 16 1 to do 3 doing 1 blocked 2/7 done")
        assert not shows(app, "#13 Hire a second SRE blocked")
        await pilot.press("c")
        await pilot.pause()
        assert shows(app, "8 changes") and shows(app, "ana Marked #13 done")


async def test_markup_looking_text_is_literal_on_the_review(workspace: Store) -> None:
    with workspace.transaction() as tx:
        obj = tx.create("objective", {"title": MARKUP_CORPUS[4]})
        tx.create(
            "key_result",
            {
                "objective_id": obj,
                "title": MARKUP_CORPUS[3],
                "kind": "increase_to",
                "baseline": 0,
                "target": 10,
                "unit": "[b]u",
            },
        )
        for n, text in enumerate(MARKUP_CORPUS):
            tx.create(
                "card", {"title": text, "state": "blocked", "window": "30", "position": f"a{n}"}
            )
        tx.create("risk", {"title": MARKUP_CORPUS[5], "likelihood": 5, "impact": 5})
        tx.create("decision", {"title": MARKUP_CORPUS[6], "status": "proposed"})
        tx.create("blocker", {"text": MARKUP_CORPUS[1], "raised_at": "2026-11-20T09:00:00Z"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(160, 80)) as pilot:
        await open_review(app, pilot)
        text = screen_text(app)
        for title in MARKUP_CORPUS:
            assert title in text, title
        assert "– → 10 [b]u" in text
        assert app.is_running


async def test_x_writes_the_review_as_markdown(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_review(app, pilot)
        await pilot.press("x")
        target = Path(demo.path).resolve().with_name("demo-review-2026-11-23.md")
        assert await wait_for(pilot, target.exists)
        assert await wait_for(pilot, lambda: shows(app, "Review written to"))
        assert [n.message for n in app._notifications] == [f"Review written to {target}"]
    assert target.read_text(encoding="utf-8").startswith("# Atlas launch — weekly review")
