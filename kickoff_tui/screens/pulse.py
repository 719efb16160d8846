"""Pulse checks (palette "Pulse check", or the inbox): a pulse's results and its trend.

Per question: the average, a sparkline of the averages over the past pulses (⚠ when it fell
by 0.5 or more since the previous one) and how many answered 1…5, with what would help.
Nothing is shown until three people answered. `a` answers the open pulse, `o` opens a new one
(its questions editable first), `e` edits the questions of one not open yet, `[`/`]` step
through the pulses.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules import pulse as pr
from kickoff_tui.screens.base import WorkspaceChanged
from kickoff_tui.screens.pulse_answer import PRIVACY
from kickoff_tui.store import pulses as ps
from kickoff_tui.typeahead import opens_form

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp


def _span(p: ps.Pulse) -> str:
    return f"{p.opens_on:%a %-d %b} – {p.closes_on:%a %-d %b}"


def results_body(p: ps.Pulse, res: pr.Results, mine: bool | None) -> Content:
    """The page for one pulse, as Content (user text never parsed as markup)."""
    lines: list[Content] = []
    status = {"open": "open", "closed": "closed", "scheduled": "opens later"}[p.status]
    head = Content.assemble(
        (f"{p.ref}", "bold"), f" · {status} {_span(p)} · ", (f"{res.answered} answered", "bold")
    )
    if p.status == "open" and mine is False:
        head = Content.assemble(head, " · ", ("not answered yet: press a", "$text-warning"))
    elif p.status == "open" and mine:
        head = Content.assemble(head, " · ", ("you answered (a changes it)", "$text-muted"))
    lines.append(head)
    lines.append(Content(""))
    if not res.enough:
        lines.append(
            Content.styled(
                f"Results show from {pr.MIN_ANSWERS} answers ({res.answered} so far), so no "
                "one's answer stands out.",
                "$text-muted",
            )
        )
        lines.append(Content("Questions: " + ", ".join(p.questions)))
    else:
        width = min(max(8, *(len(q.question) for q in res.questions)), 28)
        spark = max(6, max(len(q.trend) for q in res.questions))
        lines.append(
            Content.styled(
                f"{'Question':<{width}}  Avg  {'Trend':<{spark}}     1  2  3  4  5", "bold"
            )
        )
        for q in res.questions:
            name = q.question if len(q.question) <= width else q.question[: width - 1] + "…"
            avg = "  –" if q.average is None else f"{q.average:>3.1f}"
            cells = "".join(f"{c if c else '·':>3}" for c in q.counts)
            lines.append(
                Content.assemble(
                    Content(name.ljust(width)),
                    f"  {avg}  ",
                    (pr.sparkline(q.trend).ljust(spark), "$text-accent"),
                    (" ⚠ " if q.dropped else "   ", "bold $text-warning"),
                    cells,
                )
            )
        if any(q.dropped for q in res.questions):
            lines.append(
                Content.styled(
                    "⚠ fell by 0.5 or more since the last pulse: worth a word, and a re-check "
                    "after a change.",
                    "$text-warning",
                )
            )
        if res.texts:
            lines.append(Content(""))
            lines.append(Content.styled(pr.TEXT_QUESTION, "bold"))
            for text in res.texts:
                lines.append(Content("  " + " ".join(text.split())))
    lines.append(Content(""))
    lines.append(Content.styled(PRIVACY, "$text-muted"))
    return Content("\n").join(lines)


class PulseScreen(Screen[None]):
    """The pulse checks: results of one pulse at a time, newest first."""

    CSS_PATH = "pulse_answer.tcss"
    LABEL = "Pulse"
    HELP = (
        "Pulse checks: per question the average, the trend over past pulses (⚠ on a drop of "
        "0.5 or more) and the spread of answers, shown from 3 answers. a answers, o opens a "
        "pulse, e edits the questions of one not open yet, [ and ] step through pulses."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer", "Answer", id="pulse.answer"),
        Binding("o", "open_pulse", "Open a pulse", id="pulse.open_pulse"),
        Binding(
            "e",
            "edit_questions",
            "Questions",
            tooltip="Edit the questions (before it opens)",
            id="pulse.edit_questions",
        ),
        Binding(
            "left_square_bracket", "step(-1)", "Earlier", key_display="[", id="pulse.step_prev"
        ),
        Binding("right_square_bracket", "step(1)", "Later", key_display="]", id="pulse.step_next"),
        Binding("escape,q", "close", "Back", id="pulse.close"),
    ]

    #: Which pulse is shown (its index in `pulses`); -1: the open one, else the last.
    shown: reactive[int] = reactive(-1, init=False)

    app: KickoffApp

    def __init__(self) -> None:
        super().__init__()
        self.pulses: list[ps.Pulse] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="pulse-page"):
            yield Static(id="pulse-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Pulse checks"
        self.reload()

    def on_workspace_changed(self, message: WorkspaceChanged) -> None:
        self.reload()

    def watch_shown(self) -> None:
        self.reload()

    @property
    def today(self) -> date:
        return ps.today_here(self.app.session.store)

    def reload(self) -> None:
        from kickoff_tui.store import people

        session = self.app.session
        store = session.store
        self.pulses = session.safe(ps.pulses, store, self.today) or []
        body = self.query_one("#pulse-body", Static)
        if not self.pulses:
            body.update(
                Content.assemble(
                    "No pulse yet. Press ",
                    ("o", "bold $text-accent"),
                    " to open one: ",
                    f"{len(pr.DEFAULT_QUESTIONS)} questions answered 1–5 in under 30 seconds.\n\n",
                    (PRIVACY, "$text-muted"),
                )
            )
            return
        pulse = self.pulses[self._index()]
        res = session.safe(ps.results, store, pulse, self.today) or pr.Results(0)
        me = session.safe(people.me, store)
        mine = None if me is None else session.safe(ps.my_answer, store, pulse.id, me) is not None
        body.update(results_body(pulse, res, mine))

    def _index(self) -> int:
        if 0 <= self.shown < len(self.pulses):
            return self.shown
        return next(
            (i for i, p in enumerate(self.pulses) if p.status == "open"), len(self.pulses) - 1
        )

    def action_step(self, step: int) -> None:
        if self.pulses:
            self.shown = max(0, min(len(self.pulses) - 1, self._index() + step))

    @changes
    def action_answer(self) -> None:
        self.app.action_answer_pulse()

    @changes
    @opens_form("pulse-form")
    async def action_open_pulse(self) -> None:
        """Open a new pulse, its questions editable first (the last pulse's, or the defaults)."""
        values = await self._ask_questions(
            "Open a pulse", ps.next_questions(self.app.session.store), opens=True
        )
        if values is None:
            return
        questions, opens = values
        session = self.app.session
        new = session.edit(ps.open_pulse, session.store, self.today, questions, opens)
        if new is not None:
            self.shown = -1
            self.reload()
            self.app.notify("Opened the pulse. a answers it.", markup=False)

    @changes
    @opens_form("pulse-form")
    async def action_edit_questions(self) -> None:
        """Change the questions of the pulse shown, while it hasn't opened."""
        if not self.pulses:
            return
        pulse = self.pulses[self._index()]
        if pulse.status != "scheduled":
            self.app.notify(
                f"{pulse.ref} has opened, so its questions stay (answers compare on them). "
                "o opens the next pulse with new ones.",
                markup=False,
            )
            return
        values = await self._ask_questions(f"Questions of {pulse.ref}", pulse.questions)
        if values is not None:
            session = self.app.session
            session.edit(ps.edit_questions, session.store, pulse.id, values[0], self.today)

    async def _ask_questions(
        self, title: str, questions: list[str], *, opens: bool = False
    ) -> tuple[list[str], date | None] | None:
        from kickoff_tui.widgets.form import Field, FormScreen

        low, high = pr.QUESTION_COUNT
        fields = [
            Field(
                f"q{i}",
                f"Question {i + 1}",
                value=questions[i] if i < len(questions) else None,
                required=i < low,
                max_len=pr.QUESTION_MAX_LEN,
                hint="answered 1 (low) to 5 (high)" if i == 0 else "",
            )
            for i in range(high)
        ]
        if opens:
            fields.append(
                Field(
                    "opens",
                    "Opens",
                    kind="date",
                    value=self.today,
                    required=True,
                    hint="today, or a later day (questions stay editable until then)",
                )
            )

        def check(values: dict[str, object]) -> dict[str, str]:
            try:
                pr.check_questions([str(values[f"q{i}"] or "") for i in range(high)])
            except ValueError as exc:
                return {"q0": str(exc)}
            return {}

        result = await self.app.push_screen_wait(FormScreen(title, fields, check=check))
        if result is None:
            return None
        asked = [str(result[f"q{i}"]) for i in range(high) if result.get(f"q{i}")]
        opens_on = result.get("opens")
        return asked, opens_on if isinstance(opens_on, date) else None

    def action_close(self) -> None:
        self.dismiss()
