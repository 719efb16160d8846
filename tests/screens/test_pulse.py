"""The pulse view and answer form with the real keys: answer from the palette, results only
from three answers, the offer at the end of a standup, the Next: line on the review page."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Button

from kickoff_tui.app import KickoffApp
from kickoff_tui.screens.pulse import PulseScreen
from kickoff_tui.screens.pulse_answer import PulseAnswerScreen
from kickoff_tui.store import people, pulses
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen
from tests.screens.helpers import screen_text, shows, wait_for

TODAY = date(2026, 11, 23)  # the frozen clock's day


async def palette(pilot, app: KickoffApp, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    assert await wait_for(pilot, lambda: shows(app, command))
    await pilot.press("enter")


async def test_answering_from_the_palette_with_number_keys(demo: Store) -> None:
    ana = people.me(demo)
    assert ana is not None
    app = KickoffApp(demo, poll=False, preload=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await palette(pilot, app, "Pulse check")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseScreen))
        assert shows(app, "3 answered") and shows(app, "not answered yet: press a")
        await pilot.press("a")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseAnswerScreen))
        assert await wait_for(pilot, lambda: shows(app, "Not anonymous"))
        assert app.screen.query_one("#pulse-privacy").visual.plain.endswith(
            "anyone with a copy of the workspace can read who answered what. Results show "
            "from 3 answers."
        )
        await pilot.press("4", "2", "5")
        await pilot.press("up", "3")  # back to Support from the team: 3 instead of 5
        await pilot.press("4")  # Clarity; the cursor moves on to "What would help?"
        await pilot.press(*"Quiet mornings", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseScreen))
        pulse = pulses.find(demo, None, TODAY)
        assert pulses.my_answer(demo, pulse.id, ana) == {
            "answers": [4, 2, 3, 4],
            "text": "Quiet mornings",
        }
        assert await wait_for(pilot, lambda: shows(app, "4 answered"))
        assert shows(app, "you answered (a changes it)") and shows(app, "Quiet mornings")
        await pilot.press("ctrl+z")  # undo takes the answer back
        assert await wait_for(pilot, lambda: pulses.my_answer(demo, pulse.id, ana) is None)


async def test_nothing_answered_saves_nothing_and_escape_cancels(demo: Store) -> None:
    app = KickoffApp(demo, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_answer_pulse()
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseAnswerScreen))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows(app, "Answer at least one question: press 1 to 5.")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, PulseAnswerScreen))
    pulse = pulses.find(demo, None, TODAY)
    assert pulses.my_answer(demo, pulse.id, people.me(demo)) is None


@pytest.mark.parametrize(("answered", "shown"), [(2, False), (3, True)])
async def test_results_show_only_from_three_answers(
    workspace: Store, answered: int, shown: bool
) -> None:
    ids = [people.add_person(workspace, {"name": f"Person {i}"}) for i in range(answered)]
    pid = pulses.open_pulse(workspace, TODAY)
    for person in ids:
        pulses.answer(workspace, pid, person, [4, 3, 5, 2], "[bold]mine[/]", TODAY)
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_pulse()
        assert await wait_for(pilot, lambda: shows(app, f"{answered} answered"))
        text = screen_text(app)
        assert ("Avg" in text) is shown
        assert ("[bold]mine[/]" in text) is shown  # free text shown as typed, never as markup
        assert ("Results show from 3 answers (2 so far)" in text) is not shown


async def test_a_pulse_opens_from_the_view_with_questions_edited_first(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_pulse()
        assert await wait_for(pilot, lambda: shows(app, "No pulse yet"))
        await pilot.press("o")
        assert await wait_for(pilot, lambda: shows(app, "Open a pulse"))
        app.screen.query_one("#field-q3").value = "Sleep"  # the 4th question replaced
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: pulses.pulses(workspace, TODAY) != [])
        (p,) = pulses.pulses(workspace, TODAY)
        assert p.questions == ["Energy", "Focus", "Support from the team", "Sleep"]
        assert await wait_for(pilot, lambda: shows(app, "P1 · open"))


async def test_ending_a_standup_offers_the_open_pulse(demo: Store) -> None:
    app = KickoffApp(demo, poll=False, preload=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "s")
        await pilot.pause()
        await pilot.press("escape", "e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert shows(app, "Pulse P2 is open: answer now?")
        # answering opens a form and loses nothing: the yes button is not the red one
        yes = app.screen.query_one("#confirm-yes", Button)
        assert yes.variant == "primary"
        await pilot.press("y")
        assert await wait_for(pilot, lambda: isinstance(app.screen, PulseAnswerScreen))
        await pilot.press("5", "5", "5", "5", "ctrl+s")
        assert await wait_for(
            pilot,
            lambda: (
                pulses.my_answer(demo, pulses.find(demo, None, TODAY).id, people.me(demo))
                is not None
            ),
        )


async def test_the_review_page_shows_the_next_line(demo: Store) -> None:
    app = KickoffApp(demo, poll=False, preload=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        assert await wait_for(
            pilot,
            lambda: shows(
                app, "Next: standup tomorrow 09:30 · OKR review Tue 1 Dec · pulse closes Fri"
            ),
        )


async def test_the_settings_form_sets_the_rhythm(workspace: Store) -> None:
    from textual.widgets import Input, Select

    from kickoff_tui.widgets.form import FormScreen

    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_settings()
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        form.query_one("#field-okr_review_day", Input).value = "fifth monday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows(app, "'fifth monday' is not a day of the month")
        form.query_one("#field-okr_review_day", Input).value = "last fri"
        form.query_one("#field-review_time", Input).value = "14:30"
        form.query_one("#field-retro_every", Select).value = "monthly"
        form.query_one("#field-pulse_every", Select).value = "fortnightly"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: workspace.workspace()["okr_review_day"] == "last-fri")
        ws = workspace.workspace()
        assert (ws["review_time"], ws["retro_every"], ws["pulse_every"]) == (
            "14:30",
            "monthly",
            "fortnightly",
        )
        app.action_settings()
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        assert app.screen.query_one("#field-okr_review_day", Input).value == "last Friday"


async def test_answer_the_pulse_says_so_when_none_is_open(workspace: Store) -> None:
    app = KickoffApp(workspace, poll=False, preload=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await palette(pilot, app, "Answer the pulse")
        assert await wait_for(pilot, lambda: shows(app, "No pulse is open."))
        assert not isinstance(app.screen, PulseAnswerScreen)
