"""The standup's speaker order: who speaks when, whose turn it is, and each person's time."""

from __future__ import annotations

from collections.abc import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets.option_list import Option

from kickoff_tui.rules.standup import format_clock, level
from kickoff_tui.widgets.tables import KeyList
from kickoff_tui.widgets.tones import BAD, WARN, strong

LEVEL_STYLE = {"ok": "", "warn": WARN, "over": strong(BAD)}


class SpeakerList(KeyList):
    """People in speaking order; the current speaker is marked ▶, away people are dimmed.

    The highlight is just where the cursor is: `enter` gives that person the floor, the other keys
    edit the order. Each change is posted up as a message; the screen writes it.
    """

    BINDINGS = [
        Binding(
            "shift+up",
            "move(-1)",
            "Earlier",
            show=False,
            tooltip="Move the highlighted speaker earlier",
            id="speakers.move_prev",
        ),
        Binding(
            "shift+down",
            "move(1)",
            "Later",
            show=False,
            tooltip="Move the highlighted speaker later",
            id="speakers.move_next",
        ),
        Binding(
            "a",
            "toggle_away",
            "Away",
            show=False,
            tooltip="Mark the highlighted speaker away / back",
            id="speakers.toggle_away",
        ),
    ]

    class Move(Message):
        def __init__(self, person_id: str, delta: int) -> None:
            super().__init__()
            self.person_id = person_id
            self.delta = delta

    class ToggleAway(Message):
        def __init__(self, person_id: str, away: bool) -> None:
            super().__init__()
            self.person_id = person_id
            self.away = away

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._away: set[str] = set()
        self._order: list[str] = []

    @property
    def highlighted_person(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def show(
        self, people: Sequence[tuple[str, str, bool, int]], current: str | None, share: int
    ) -> None:
        """(id, name, away, seconds) in order; keeps the cursor on the same person."""
        keep = self.highlighted_person
        order = [p[0] for p in people]
        prompts = [
            _prompt(name, away, secs, share, pid == current, self._name_width())
            for pid, name, away, secs in people
        ]
        self._away = {p[0] for p in people if p[2]}
        if order == self._order:
            for pid, prompt in zip(order, prompts):
                self.replace_option_prompt(pid, prompt)
            return
        self._order = order
        self.clear_options()
        self.add_options([Option(prompt, id=pid) for pid, prompt in zip(order, prompts)])
        target = keep if keep in order else current
        if target in order:
            self.highlighted = order.index(target)

    def _name_width(self) -> int:
        """Room for a name between the ▶ marker and the clock."""
        return max(6, (self.scrollable_content_region.width or 23) - 9)

    def action_move(self, delta: int) -> None:
        person = self.highlighted_person
        if person:
            self.post_message(self.Move(person, delta))

    def action_toggle_away(self) -> None:
        person = self.highlighted_person
        if person:
            self.post_message(self.ToggleAway(person, person not in self._away))


def _fit(name: str, width: int) -> str:
    """`name` cut to `width` cells (with …) and padded to it, so the clocks line up."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(name) > width:
        return set_cell_size(name, width - 1) + "…"
    return set_cell_size(name, width)


def _prompt(name: str, away: bool, seconds: int, share: int, current: bool, width: int) -> Content:
    if away:
        return Content.assemble("  ", (_fit(name, width), "dim"), (" away", "dim italic"))
    clock = format_clock(seconds) if seconds or current else ""
    style = LEVEL_STYLE[level(seconds, share)] if seconds else ""
    return Content.assemble(
        ("▶ " if current else "  ", "bold $accent"),
        (_fit(name, width), "bold" if current else ""),
        " ",
        (f"{clock:>5}", style),
    )
