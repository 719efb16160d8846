"""The standup screen's *during* state: the meeting bar with its clock, the speaker order,
the current speaker's done / next / blockers fields, and what moved for them since last time.

Typing goes into the local draft at once and into the shared entry within a second (or when
the field is left, or the speaker changes); a reload never replaces the text of the field this
person is typing in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Input, Label, Static

from kickoff_tui import clock
from kickoff_tui.rules import minutes as mn
from kickoff_tui.rules.dates import parse_instant
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.standup import (
    format_clock,
    level,
    meeting_elapsed,
    speaker_share,
    turn_seconds,
)
from kickoff_tui.rules.windows import WINDOW_LABELS
from kickoff_tui.store import standups
from kickoff_tui.widgets.speakers import SpeakerList
from kickoff_tui.widgets.text_field import TextField
from kickoff_tui.widgets.tones import OK, WARN, strong
from kickoff_tui.widgets.with_session import WithSession

#: How long typed text may wait before it is written for teammates to see (seconds).
SAVE_AFTER = 1.0
PLACEHOLDERS = {
    "done": "what you finished since the last standup",
    "next": "what you will do next",
    "blockers": "what is in your way (B raises it as a blocker)",
}


def _at(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def _ago(instant: str | None, today: date, tz: str) -> str:
    """ "today", "yesterday", "3 days ago": calendar days in the workspace time zone."""
    if not instant:
        return "never"
    day = standups.local_day(instant, tz)
    if day is None:
        return "never"
    days = (today - day).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


class MeetingPanel(WithSession, Vertical):
    """The running standup. The screen calls `show` with each read of it and `tick` every
    second; the panel saves what is typed in its fields through the session."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.standup: dict[str, Any] | None = None  # the running one, as last shown
        self.speakers: list[standups.Speaker] = []
        self._shown: tuple[str, str | None] | None = None  # (standup, speaker) in the fields
        self._pending: dict[str, tuple[str, str]] = {}  # field -> (standup, person) unsaved
        self._touched: set[str] = set()  # fields typed in since they got focus
        self._save_timer: Any = None
        self._since: standups.SinceLast | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="meeting-bar"):
            yield Static(id="meeting-title", markup=False)
            yield Static(id="meeting-clock", markup=False)
        with Horizontal(id="meeting-body"):
            with Vertical(id="speaker-col"):
                yield SpeakerList(id="speakers")
            with Vertical(id="entry-col"):
                with Horizontal(id="speaker-head"):
                    yield Static(id="speaker-name", markup=False)
                    yield Static(id="turn-clock", markup=False)
                with Vertical(id="entry-fields"):
                    for name in standups.FIELDS:
                        with Horizontal(classes="field-row"):
                            yield Label(
                                standups.FIELD_LABELS[name],
                                classes="field-label",
                                markup=False,
                            )
                            yield TextField(
                                id=f"field-{name}",
                                classes="entry-field",
                                compact=True,
                                placeholder=PLACEHOLDERS[name],
                                max_length=standups.ENTRY_MAX,
                            )
                with VerticalScroll(id="since"):
                    yield Static(id="since-body", markup=False)

    def on_mount(self) -> None:
        readonly = self.session.readonly
        for field in self.query(".entry-field"):
            field.disabled = readonly

    # ------------------------------------------------------------------ showing

    @property
    def speaker(self) -> standups.Speaker | None:
        """The person who has the floor, or None once everyone has spoken."""
        current = self.standup["current_speaker_id"] if self.standup else None
        return next((s for s in self.speakers if s.id == current), None)

    def show(
        self,
        standup: dict[str, Any],
        speakers: list[standups.Speaker],
    ) -> bool:
        """Show the running standup; True when the floor changed hands (a new turn: the
        screen places the focus), after saving what was typed for the previous speaker."""
        self.standup = standup
        self.speakers = speakers
        speaker = self.speaker
        held = date.fromisoformat(standup["held_on"]) if standup["held_on"] else clock.today()
        title = f"Standup S{standup['num']} · {mn.day_label(held, year=False)}"
        if standup["paused_at"]:
            title += " · paused (p resumes)"
        self.query_one("#meeting-title", Static).update(title)
        key = (standup["id"], standup["current_speaker_id"])
        new_turn = key != self._shown
        if new_turn:
            self.save_now()
            self._load_fields(speaker)
            self._shown = key
        else:
            self._load_fields(speaker, keep_focused=True)
        return new_turn

    def show_speaker(self, since: standups.SinceLast | None) -> None:
        """The speaker's name and role, and what moved for them since the last standup."""
        speaker = self.speaker
        name = self.query_one("#speaker-name", Static)
        body = self.query_one("#since-body", Static)
        if speaker is None:
            self._since = None
            name.update(Content.assemble(("Everyone has spoken", "bold")))
            body.update(
                Content(
                    "Raise blockers with B, give them owners with o, record decisions with D, "
                    "then end the standup with e.\n\nctrl+← goes back to the last speaker; "
                    "enter on a name gives that person the floor."
                )
            )
            return
        role = f" · {speaker.role}" if speaker.role else ""
        name.update(Content.assemble((speaker.name, "bold"), (role, "dim")))
        self._since = since
        self.render_since()
        if not self.query_one("#since").scrollable_content_region.width:
            self.call_after_refresh(self.render_since)  # laid out after this state showed

    def leave(self) -> None:
        """The standup ended (here or elsewhere): save what was typed, forget it."""
        if self.standup is not None:
            self.save_now()
        self.standup = None
        self._shown = None

    def _load_fields(self, speaker: standups.Speaker | None, keep_focused: bool = False) -> None:
        """Put the speaker's entry in the fields; a field this person is typing in (focused and
        typed in, or not saved yet) is left alone."""
        self.query_one("#entry-fields").display = speaker is not None
        if not keep_focused:
            self._touched.clear()
        for name in standups.FIELDS:
            field = self.query_one(f"#field-{name}", Input)
            if keep_focused and (
                name in self._pending or (field.has_focus and name in self._touched)
            ):
                continue
            value = (speaker.entry or {}).get(name) if speaker else None
            if field.value != (value or ""):
                with field.prevent(Input.Changed):
                    field.value = value or ""

    def render_since(self) -> None:
        if self._since is None or not self.display:
            return
        width = self.query_one("#since").scrollable_content_region.width or 54
        tz = self.session.workspace.get("timezone") or "UTC"
        self.query_one("#since-body", Static).update(
            since_panel(self._since, clock.today(tz), tz, width)
        )

    def focus_first_field(self) -> None:
        self.query_one("#field-done", Input).focus()

    def typed_blocker(self) -> str | None:
        """The speaker's blockers field, as the first guess for a new blocker's text."""
        text = self.query_one("#field-blockers", Input).value.strip()
        return text[:300] or None

    # ------------------------------------------------------------------ clocks

    def tick(self) -> None:
        """Repaint the clocks from `clock.now()`."""
        standup = self.standup
        if standup is None:
            return
        now = clock.now()
        started = _at(standup["started_at"]) or now
        elapsed = meeting_elapsed(
            started,
            now,
            paused_seconds=standup["paused_seconds"],
            paused_at=_at(standup["paused_at"]),
        )
        limit = int(standup["timebox_min"] or 0) * 60
        left = limit - elapsed
        meeting = self.query_one("#meeting-clock", Static)
        text = (
            f"{format_clock(left)} left of {format_clock(limit)}"
            if left >= 0
            else f"{format_clock(left)} over the {format_clock(limit)} timebox"
        )
        meeting.update(text)
        _set_level(meeting, level(elapsed, limit))

        present = [s for s in self.speakers if not s.away]
        share = speaker_share(int(standup["timebox_min"] or 0), len(present))
        current = standup["current_speaker_id"]
        turn_start = _at(standup["turn_started_at"])
        rows = []
        current_secs = 0
        for s in self.speakers:
            secs = turn_seconds(s.spoken, turn_start if s.id == current else None, now)
            if s.id == current:
                current_secs = secs
            rows.append((s.id, s.name, s.away, secs))
        self.query_one(SpeakerList).show(rows, current, share)
        turn = self.query_one("#turn-clock", Static)
        if current:
            turn.update(f"{format_clock(current_secs)} of {format_clock(share)}")
            _set_level(turn, level(current_secs, share))
        else:
            turn.update("")

    # ------------------------------------------------------------------ typing

    @staticmethod
    def field_name(widget: Any) -> str | None:
        """The entry field `widget` is ("done", "next", "blockers"), or None."""
        wid = getattr(widget, "id", None) or ""
        name = wid.removeprefix("field-")
        return name if wid.startswith("field-") and name in standups.FIELDS else None

    @on(Input.Changed, ".entry-field")
    def _typed(self, event: Input.Changed) -> None:
        """A keystroke: into the local draft at once, into the entry within a second."""
        name = self.field_name(event.input)
        if name is None or self._shown is None or self._shown[1] is None:
            return
        sid, pid = self._shown[0], self._shown[1]
        self._pending[name] = (sid, pid)
        self._touched.add(name)
        session = self.session
        session.edit(standups.save_draft, session.store, sid, pid, name, event.value)
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_AFTER, self._timed_save, name="entry-save")

    def _timed_save(self) -> None:
        self._save_timer = None
        self.save_now()

    def save_now(self) -> None:
        """Write every field typed in but not yet saved (for the speaker it was typed for)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        pending, self._pending = self._pending, {}
        session = self.session
        for name, (sid, pid) in pending.items():
            try:
                value = self.query_one(f"#field-{name}", Input).value
            except NoMatches:  # the screen is being torn down: the draft is kept for next time
                return
            session.edit(standups.save_field, session.store, sid, pid, name, value)

    @on(Input.Submitted, ".entry-field")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_now()
        name = self.field_name(event.input)
        index = standups.FIELDS.index(name) if name else len(standups.FIELDS) - 1
        if index + 1 < len(standups.FIELDS):
            self.query_one(f"#field-{standups.FIELDS[index + 1]}", Input).focus()
        else:
            self.query_one(SpeakerList).focus()

    def on_descendant_blur(self, event: Any) -> None:
        name = self.field_name(event.widget)
        self._touched.discard(name or "")
        if name in self._pending:
            self.save_now()


# ---------------------------------------------------------------------- rendering helpers


def _set_level(widget: Static, value: str) -> None:
    widget.set_class(value == "warn", "-warn")
    widget.set_class(value == "over", "-over")


def _cut(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in … when cut."""
    from rich.cells import cell_len, set_cell_size

    width = max(width, 4)
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _line(width: int, ref: str, title: str, tail: list[tuple[str, str]]) -> list[Any]:
    """One indented line: a dim reference, the title cut to fit, then `tail` kept whole."""
    from rich.cells import cell_len

    room = width - 2 - cell_len(ref) - 1 - sum(cell_len(t) for t, _ in tail)
    return [("\n  ", ""), (ref + " ", "dim"), _cut(title, room), *tail]


def since_panel(since: standups.SinceLast, today: date, tz: str, width: int) -> Content:
    """The "since last standup" panel: their cards that moved (#), their key results (KR) and
    their open blockers (B), one line each; titles are cut to fit `width`, so the state changes
    and due marks stay in view."""
    when = ""
    if since.since:
        d = parse_instant(since.since).date()
        when = f" ({mn.day_label(d, year=False)})"
    parts: list[Any] = [(f"Since the last standup{when}", "bold $text-accent")]
    if not since.cards:
        parts.append(("\n  no card of theirs changed state or window", "dim"))
    for card in since.cards:
        moves = []
        for name, old, new in card.changes:
            if name == "window":
                old, new = WINDOW_LABELS.get(old, old), WINDOW_LABELS.get(new, new)
            moves.append(f"{old} → {new}")
        parts += _line(width, f"#{card.num}", card.title, [("  " + ", ".join(moves), "$accent")])
    if not since.krs:
        parts.append(("\n  no key results of their own", "dim"))
    for status in since.krs:
        kr = status.kr  # the same progress as the OKR screen's (store.okrs.view)
        if kr.from_cards:
            tail = [(f" {kr.cards_done}/{kr.cards} cards done · {kr.progress:.0%}", "")]
        else:
            unit = f" {kr.unit}" if kr.unit else ""
            value = "–" if kr.current is None else format_number(kr.current)
            tail = [(f" {value}{unit} · {kr.progress:.0%}", "")]
            if kr.confidence is not None:
                tail.append((f" · {kr.confidence}/10", "dim"))
            if status.due:
                tail.append((" · ⚠ check-in due", strong(WARN)))
            else:
                tail.append((f" · {_ago(kr.last_at, today, tz)}", OK if status.new else "dim"))
        parts += _line(width, kr.ref, kr.title, tail)
    if not since.blockers:
        parts.append(("\n  no open blockers raised by or owned by them", "dim"))
    for b in since.blockers:
        owner = b["owner_name"] or "no owner"
        parts += _line(
            width,
            f"B{b['num']}",
            b["text"] or "",
            [(f" · {owner}", "" if b["owner_name"] else WARN)],
        )
    return Content.assemble(*parts)
