"""The shared form: validates in place, saves all or nothing, esc cancels."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.widgets import Input

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen
from tests.screens.helpers import screen_text, shows, wait_for

FIELDS = [
    Field("title", "Title", required=True),
    Field("due", "Due", kind="date", hint="2026-12-24, +3d or next friday"),
    Field("target", "Target", kind="number"),
    Field("confidence", "Confidence", kind="int", minimum=0, maximum=10),
    Field("owner", "Owner", kind="choice", choices=[("[b]Ana[/b]", "a"), ("Ben", "b")]),
]


class FormApp(App):
    def __init__(self, screen) -> None:
        super().__init__()
        self.result = "unset"
        self.dialog = screen

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=lambda r: setattr(self, "result", r))


async def test_bad_values_say_what_is_expected_and_nothing_is_returned() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shows(app, "Title can't be empty.")
        assert app.result == "unset"
        await pilot.press(*"Ship it", "tab", *"31/12", "tab", *"abc", "tab", *"11")
        await pilot.pause()
        assert shows(app, "Can't read '31/12' as a date")
        assert shows(app, "Enter a number such as 12, 12.5, 12,5 or 45% (got 'abc').")
        assert shows(app, "Confidence must be from 0 to 10 (got 11).")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result == "unset"


async def test_a_hint_is_said_once() -> None:
    """The hint under an empty date field is not repeated as the field's placeholder."""
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.pause()
        assert screen_text(app).count("2026-12-24, +3d or next friday") == 1


async def test_valid_values_come_back_parsed() -> None:
    app = FormApp(FormScreen("New card", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press(*"Ship [bold]it[/]", "tab", *"+3d", "tab", *"12,5", "tab", *"7")
        await pilot.pause()
        assert "→ Thu 26 Nov 2026" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {
        "title": "Ship [bold]it[/]",
        "due": date(2026, 11, 26),
        "target": 12.5,
        "confidence": 7,
        "owner": None,
    }


async def test_choice_labels_are_literal_and_a_check_can_refuse_a_combination() -> None:
    def check(values):
        return {"owner": "Pick an owner for a red card."} if values["owner"] is None else {}

    app = FormApp(FormScreen("Edit", FIELDS[:1] + FIELDS[4:], check=check))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press(*"x", "ctrl+s")
        await pilot.pause()
        assert shows(app, "Pick an owner for a red card.")
        await pilot.press("enter")  # focus went to the field that needs fixing
        await pilot.pause()
        assert "[b]Ana[/b]" in screen_text(app)
        await pilot.press("down", "enter")  # the first row is the blank choice
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {"title": "x", "owner": "a"}


async def test_escape_cancels_with_nothing() -> None:
    app = FormApp(FormScreen("New", FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(90, 40)) as pilot:
        await pilot.press(*"half typed", "escape", "y")  # y: discard what was typed
        await pilot.pause()
    assert app.result is None


async def test_confirm_needs_a_yes() -> None:
    app = FormApp(ConfirmScreen("Delete #12 [b]Ship[/b]?"))
    async with app.run_test() as pilot:
        assert "Delete #12 [b]Ship[/b]?" in screen_text(app)
        await pilot.press("enter")  # focus starts on "Keep"
        await pilot.pause()
    assert app.result is False
    app = FormApp(ConfirmScreen("Delete?"))
    async with app.run_test() as pilot:
        await pilot.press("y")
        await pilot.pause()
    assert app.result is True


async def test_a_title_carrying_user_text_is_shown_as_typed() -> None:
    title = "Edit #3 [bold]Ship[/] [link=https://x]it[/link] [@click=app.quit]x"
    app = FormApp(FormScreen(title, FIELDS, today=date(2026, 11, 23)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert shows(app, title)
        assert app.is_running


async def test_ctrl_q_from_a_form_with_changes_asks_first_and_n_keeps_the_text(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press(*"Half [b]typed[/b]", "ctrl+q")
        await pilot.pause()
        assert shows(app, "Quit without saving?")
        assert shows(app, "What you typed in “New card in 31–60” is not saved")
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-title", Input).value == "Half [b]typed[/b]"
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running
    assert demo.row("SELECT count(*) FROM card WHERE title LIKE 'Half%'")[0] == 0


async def test_ctrl_q_from_an_untouched_form_quits_at_once(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the card editor, left as it opened
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
