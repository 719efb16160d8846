"""The pulse answer form: one number key per question, done in under 30 seconds.

`1`–`5` answers the question under the cursor and moves to the next; `↑`/`↓` move, `enter`
skips one; after the last, the cursor goes to "What would help?" (optional); `ctrl+s` or
`enter` there saves. The form says plainly that answers are synced with the answerer's name.
`answer_pulse(app)` opens it for the open pulse; `offer_after_standup(app)` asks "pulse is
open: answer now?" when a standup ends and I haven't answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from kickoff_tui.rules import pulse as pr
from kickoff_tui.typeahead import form_opened
from kickoff_tui.widgets.text_field import TextField

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp

PRIVACY = (
    "Not anonymous: answers are synced with your name, so anyone with a copy of the workspace "
    "can read who answered what. Results show from 3 answers."
)


class PulseScale(Static, can_focus=True):
    """The questions with their 1–5 scale; the cursor row takes the number keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"pick({n})", f"Answer {n}", show=False, id=f"pulse_answer.pick_{n}")
            for n in range(1, 6)
        ),
        Binding("up,k", "move(-1)", "Previous question", show=False, id="pulse_answer.move_prev"),
        Binding(
            "down,j,enter",
            "move(1)",
            "Next question (enter skips)",
            show=False,
            id="pulse_answer.move_next",
        ),
        Binding(
            "0,delete,backspace",
            "pick(0)",
            "Clear this answer",
            show=False,
            id="pulse_answer.pick_0",
        ),
    ]

    cursor: reactive[int] = reactive(0)
    answers: reactive[tuple[int | None, ...]] = reactive(())

    def __init__(self, questions: list[str], answers: list[int | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.questions = questions
        padded = (list(answers) + [None] * len(questions))[: len(questions)]
        self.set_reactive(PulseScale.answers, tuple(padded))

    def render(self) -> Content:
        width = max(len(q) for q in self.questions)
        rows = []
        for i, (question, value) in enumerate(zip(self.questions, self.answers)):
            here = i == self.cursor and self.has_focus
            parts: list[Content | tuple[str, str] | str] = [
                ("▸ " if here else "  ", "bold $text-accent"),
                Content(question.ljust(width)).stylize("bold" if here else "", 0),
                "  ",
            ]
            for n in range(1, 6):
                parts.append(
                    (f" {n} ", "reverse bold $text-accent") if value == n else (f" {n} ", "dim")
                )
            rows.append(Content.assemble(*parts))
        return Content("\n").join(rows)

    def watch_cursor(self) -> None:
        self.refresh()

    def watch_answers(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_pick(self, n: int) -> None:
        values = list(self.answers)
        values[self.cursor] = n or None
        self.answers = tuple(values)
        if n:
            self.action_move(1)

    def action_move(self, step: int) -> None:
        after = self.cursor + step
        if after >= len(self.questions):
            self.post_message(PulseScale.Done())
            return
        self.cursor = max(0, after)

    class Done(Message):
        """The cursor moved past the last question."""


class PulseAnswerScreen(ModalScreen[dict[str, Any] | None]):
    """Answer one pulse: dismisses with {"answers": [...], "text": ...}, or None."""

    CSS_PATH = "pulse_answer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", key_display="esc", id="pulse_answer.cancel"),
        Binding("ctrl+s", "save", "Save", id="pulse_answer.save"),
    ]

    def __init__(
        self,
        title: str,
        questions: list[str],
        answers: list[int | None] | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.questions = questions
        self.initial = answers or [None] * len(questions)
        self.text = text or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="pulse-box") as box:
            box.border_title = Content(self.form_title)
            box.border_subtitle = "1–5 answer · ↑↓ move · ctrl+s save · esc cancel"
            yield Static("1 low … 5 high", id="pulse-legend")
            yield PulseScale(self.questions, self.initial, id="pulse-scale")
            yield Label(pr.TEXT_QUESTION + " (optional)", id="pulse-text-label", markup=False)
            yield TextField(self.text, id="pulse-text", compact=True)
            yield Static("", id="pulse-error", markup=False)
            yield Static(PRIVACY, id="pulse-privacy", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(PulseScale))
        form_opened(self)

    @on(PulseScale.Done)
    def _to_text(self) -> None:
        self.set_focus(self.query_one("#pulse-text", TextField))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def has_changes(self) -> bool:
        scale = self.query_one(PulseScale)
        text = self.query_one("#pulse-text", TextField).value
        return list(scale.answers) != list(self.initial) or text != self.text

    def action_save(self) -> None:
        answers = list(self.query_one(PulseScale).answers)
        error = self.query_one("#pulse-error", Static)
        if all(a is None for a in answers):
            error.update("Answer at least one question: press 1 to 5.")
            error.add_class("-shown")
            self.set_focus(self.query_one(PulseScale))
            return
        text = self.query_one("#pulse-text", TextField).value
        self.dismiss({"answers": answers, "text": text})

    def action_cancel(self) -> None:
        self.dismiss(None)


async def answer_pulse(app: KickoffApp) -> None:
    """Open the answer form for the open pulse, prefilled with my earlier answer; saves
    through the session (undoable, synced)."""
    from kickoff_tui.store import people, pulses

    session = app.session
    store = session.store
    today = session.safe(pulses.today_here, store)
    if today is None:
        return
    current = session.safe(pulses.current, store, today)
    if current is None or current["status"] != "open":
        app.notify(
            "No pulse is open. Open one from the pulse view (ctrl+p, Pulse check).", markup=False
        )
        return
    me = session.safe(people.me, store)
    if me is None:
        app.notify("Say who you are first: ctrl+p, Who am I.", markup=False)
        return
    pulse = session.safe(pulses.find, store, current["ref"], today)
    if pulse is None:
        return
    mine = session.safe(pulses.my_answer, store, pulse.id, me) or {}
    result = await app.push_screen_wait(
        PulseAnswerScreen(
            f"Pulse {pulse.ref} · open until {pulse.closes_on:%a %-d %b}",
            pulse.questions,
            mine.get("answers") or None,
            mine.get("text"),
        )
    )
    if result is None:
        return
    saved = session.edit(
        pulses.answer, store, pulse.id, me, result["answers"], result["text"], today
    )
    if saved is not None:
        app.notify(f"Saved your answer to {pulse.ref}. ctrl+z takes it back.", markup=False)


async def offer_after_standup(app: KickoffApp) -> None:
    """When a standup ends: "pulse is open: answer now?" if I haven't answered it."""
    from kickoff_tui.store import pulses
    from kickoff_tui.widgets.form import ConfirmScreen

    store = app.session.store
    today = app.session.safe(pulses.today_here, store)
    waiting = app.session.safe(pulses.nudges, store, today) if today else None
    if not waiting:
        return
    pulse = app.session.safe(pulses.find, store, waiting[0].ref, today)
    n = len(pulse.questions) if pulse else 4
    if await app.push_screen_wait(
        ConfirmScreen(
            f"Pulse {waiting[0].ref} is open: answer now?",
            detail=Content(f"{n} questions, 1 to 5 each: under 30 seconds."),
            yes="Answer",
            no="Later",
            destructive=False,
        )
    ):
        await answer_pulse(app)
