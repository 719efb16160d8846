"""The standup: past meetings, the timeboxed meeting itself, and its summary.

Three states in one screen. *Before*: the last standups and `s` to start today's. *During*: the
speaker order with per-person timers and the meeting countdown, the current speaker's done /
next / blockers typed in place, and what moved for them since the last standup. *After*: the
summary (who spoke, blockers with owners, decisions, check-ins) and `m` to copy the minutes.
The open blockers are listed at the bottom in every state.

Everyone in the meeting sees the same standup: the speaker and the clocks live in the shared
``standup`` row (see :mod:`kickoff_tui.store.standups`), and a reload never replaces the text of
the field this person is typing in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.content import Content
from textual.widgets import ContentSwitcher, DataTable, Input, Label, OptionList, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
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
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.screens.check_in import check_in, find_kr
from kickoff_tui.store import standups
from kickoff_tui.store.errors import StoreError
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.speakers import SpeakerList
from kickoff_tui.widgets.tables import KeyTable
from kickoff_tui.widgets.text_field import TextField

#: How long typed text may wait before it is written for teammates to see (seconds).
SAVE_AFTER = 1.0
PLACEHOLDERS = {
    "done": "what you finished since the last standup",
    "next": "what you will do next",
    "blockers": "what is in your way (B raises it as a blocker)",
}
RAG_CHOICES = [("green", "green"), ("yellow", "yellow"), ("red", "red")]
RAG_THEME = {"green": "success", "yellow": "warning", "red": "error"}


def _at(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def _ago(instant: str | None, today: date, tz: str) -> str:
    """ "today", "yesterday", "3 days ago": calendar days in the workspace time zone."""
    if not instant:
        return "never"
    days = (today - standups.local_day(instant, tz)).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


class StandupScreen(KickoffScreen):
    """Before, during and after a standup, with the open blockers always in view."""

    CSS_PATH = "standup.tcss"
    AUTO_FOCUS = None  # each state puts focus where its keys work (see _focus_in_state)
    MODE = "standup"
    LABEL = "Standup"
    HELP = (
        "A timeboxed standup: each person's done / next / blockers typed in place, what moved "
        "since last time, and no ending while a blocker raised in it has no owner."
    )
    EXTRA_HELP = [
        ("enter", "In a field: save, go to the next field"),
        ("enter", "Speaker list: give them the floor"),
        ("enter", "Blocker list: give it an owner"),
        ("enter", "Past standups: show the summary"),
    ]
    BINDINGS = [
        # Short labels fit the footer at 80 columns; help and the palette show the tooltips.
        Binding("s", "start", "Start", tooltip="Start today's standup"),
        Binding(
            "ctrl+right",
            "step(1)",
            "Next",
            key_display="^→",
            priority=True,
            tooltip="Next speaker, also from inside a field",
        ),
        Binding(
            "ctrl+left",
            "step(-1)",
            "Previous",
            key_display="^←",
            priority=True,
            show=False,
            tooltip="Previous speaker, also from a field",
        ),
        Binding(
            "space", "step(1)", "Next", key_display="space", show=False, tooltip="Next speaker"
        ),
        Binding(
            "escape",
            "leave",
            "Leave field",
            key_display="esc",
            show=False,
            tooltip="Leave the field; back to the list",
        ),
        Binding("B", "raise_blocker", "Blocker", key_display="B", tooltip="Raise a blocker"),
        Binding("o", "own_blocker", "Owner", tooltip="Give a blocker an owner"),
        Binding("r", "resolve_blocker", "Resolve", show=False, tooltip="Resolve a blocker"),
        Binding("D", "decide", "Decision", key_display="D", tooltip="Record a decision"),
        Binding("c", "check_in", "Check-in", tooltip="Check in a key result"),
        Binding("e", "end", "End", tooltip="End (not while its blockers lack owners)"),
        Binding(
            "E",
            "end(True)",
            "End anyway",
            key_display="E",
            show=False,
            tooltip="End anyway, blockers left unowned",
        ),
        Binding("p", "pause", "Pause", tooltip="Pause or resume the clocks"),
        Binding("m", "copy_minutes", "Minutes", tooltip="Copy the minutes as Markdown"),
        # Typing in a field takes e, B and D as text: esc leaves the field first. A terminal
        # sends esc and a key pressed right after as alt+key, so these do the same at once;
        # the footer shows them (as "esc e") only while a field has the focus.
        Binding(
            "alt+e",
            "from_field('end')",
            "End",
            key_display="esc e",
            priority=True,
            tooltip="From a field: end the standup",
        ),
        Binding(
            "alt+shift+b",
            "from_field('raise_blocker')",
            "Blocker",
            key_display="esc B",
            priority=True,
            tooltip="From a field: raise a blocker",
        ),
        Binding(
            "alt+shift+d",
            "from_field('decide')",
            "Decision",
            key_display="esc D",
            priority=True,
            tooltip="From a field: record a decision",
        ),
        Binding(
            "x",
            "cancel_standup",
            "Cancel standup",
            show=False,
            tooltip="Cancel (delete) a standup nothing was recorded in",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state = "before"
        self._standup: dict[str, Any] | None = None  # the running one, as last read
        self._speakers: list[standups.Speaker] = []
        self._viewing: str | None = None  # the standup whose summary is shown
        self._dismissed: str | None = None  # today's summary, once left with escape
        self._shown: tuple[str, str | None] | None = None  # (standup, speaker) in the fields
        self._pending: dict[str, tuple[str, str]] = {}  # field -> (standup, person) unsaved
        self._touched: set[str] = set()  # fields typed in since they got focus
        self._save_timer: Any = None
        self._acted = False  # this machine just changed the speaker: focus their first field
        self._restored: set[str] = set()
        self._me: str | None = None
        self._since: standups.SinceLast | None = None

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="before", id="standup-states"):
            with Vertical(id="before"):
                yield Static("Past standups", classes="section-title")
                yield KeyTable(id="past-table", cursor_type="row")
                yield Static(id="before-hint", classes="hint", markup=False)
            with Vertical(id="during"):
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
            with VerticalScroll(id="after"):
                yield Static(id="summary", markup=False)
        with Vertical(id="blockers"):
            yield Static(id="blockers-title", classes="section-title", markup=False)
            yield KeyTable(id="blocker-table", cursor_type="row")

    def on_mount(self) -> None:
        # KickoffScreen.on_mount runs after this one (Textual calls both): it loads the data.
        self.set_interval(1.0, self.tick, name="standup-clock")
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.load())
        readonly = self.store.readonly
        for field in self.query(".entry-field"):
            field.disabled = readonly

    def on_unmount(self) -> None:
        self.save_now()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        self._me = standups.me(self.store)
        running = standups.running(self.store)
        if running is not None:
            self._show_during(running)
        else:
            if self._standup is not None:
                self.save_now()  # ended elsewhere while typing: keep what was typed
            self._standup = None
            self._shown = None
            viewing = self._viewing
            if viewing is None:
                last = standups.last_ended(self.store)
                tz = self.app.workspace.get("timezone") or "UTC"
                if (
                    last
                    and last["id"] != self._dismissed
                    and standups.local_day(last["ended_at"], tz) == clock.today(tz)
                ):
                    viewing = last["id"]
            if viewing and standups.get(self.store, viewing):
                self._show_after(viewing)
            else:
                self._viewing = None
                self._show_before()
        self._show_blockers()
        self.refresh_bindings()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.query_one(ContentSwitcher).current = state

    def _focus_in_state(self, default: Any) -> None:
        """Focus `default` unless focus is already somewhere in this state or the blockers."""
        focused = self.focused
        if focused is not None:
            for container in (self.query_one(f"#{self.state}"), self.query_one("#blockers")):
                if container in focused.ancestors_with_self:
                    return
        default.focus()

    def _show_before(self) -> None:
        self._set_state("before")
        table = self.query_one("#past-table", DataTable)
        table.clear(columns=True)
        table.add_columns("#", "Date", "Length", "Attended", "Blockers", "Resolved", "Decisions")
        rows = standups.past(self.store)
        for s in rows:
            held = date.fromisoformat(s["held_on"]) if s["held_on"] else None
            length = format_clock(s["seconds"]) if s["seconds"] is not None else "–"
            if s["started_at"] and not s["ended_at"]:
                length += " running"
            table.add_row(
                Text(f"S{s['num']}", style="dim"),
                Text(mn.day_label(held) if held else "–"),
                Text(length),
                Text(str(s["attendees"])),
                Text(str(s["blockers_raised"])),
                Text(str(s["blockers_resolved"])),
                Text(str(s["decisions"])),
                key=s["id"],
            )
        self._focus_in_state(table)
        hint = "s  start today's standup"
        if rows:
            hint += "   ·   enter  show a past standup's summary"
        else:
            hint = "No standups yet. " + hint
        if self.store.readonly:
            hint = "Read-only: standups can be looked at, not run."
        self.query_one("#before-hint", Static).update(hint)

    def _show_after(self, standup_id: str) -> None:
        self._set_state("after")
        self._viewing = standup_id
        m = standups.minutes(self.store, standup_id)
        self.query_one("#summary", Static).update(_summary(m, roomy=self.size.height >= 32))
        self._focus_in_state(self.query_one("#after"))

    def _show_during(self, standup: dict[str, Any]) -> None:
        self._set_state("during")
        self._viewing = None
        self._standup = standup
        if standup["id"] not in self._restored and not self.store.readonly:
            self._restored.add(standup["id"])
            if self.app.edit(standups.restore_drafts, self.store, standup["id"]):
                self.notify(
                    "Restored typing that hadn't been saved when the app closed.", markup=False
                )
                standup = standups.get(self.store, standup["id"]) or standup
                self._standup = standup
        self._speakers = standups.speakers(self.store, standup)
        current = standup["current_speaker_id"]
        speaker = next((s for s in self._speakers if s.id == current), None)
        held = date.fromisoformat(standup["held_on"]) if standup["held_on"] else clock.today()
        title = f"Standup S{standup['num']} · {mn.day_label(held, year=False)}"
        if standup["paused_at"]:
            title += " · paused (p resumes)"
        self.query_one("#meeting-title", Static).update(title)

        key = (standup["id"], current)
        if key != self._shown:
            self.save_now()
            self._load_fields(speaker)
            self._place_focus(speaker)
            self._shown = key
        else:
            self._load_fields(speaker, keep_focused=True)
        self._acted = False
        self._show_speaker(speaker)
        self.tick()

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

    def _place_focus(self, speaker: standups.Speaker | None) -> None:
        """A new turn: the first field has focus on the machine that moved the meeting on and on
        the speaker's own; anyone else typing is taken out of the previous speaker's field."""
        if (
            speaker is not None
            and not self.store.readonly
            and (self._acted or speaker.id == self._me)
        ):
            self.query_one("#field-done", Input).focus()
        elif isinstance(self.focused, Input):
            self.query_one(SpeakerList).focus()
        else:
            self._focus_in_state(self.query_one(SpeakerList))

    def _show_speaker(self, speaker: standups.Speaker | None) -> None:
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
        assert self._standup is not None
        self._since = standups.since_last(self.store, self._standup, speaker.id)
        self._render_since()
        if not self.query_one("#since").scrollable_content_region.width:
            self.call_after_refresh(self._render_since)  # laid out after this state showed

    def _render_since(self) -> None:
        if self._since is None or self.state != "during":
            return
        width = self.query_one("#since").scrollable_content_region.width or 54
        tz = self.app.workspace.get("timezone") or "UTC"
        self.query_one("#since-body", Static).update(
            _since(self._since, clock.today(tz), tz, width)
        )

    def _show_blockers(self) -> None:
        rows = standups.open_blockers(self.store)
        overdue = sum(1 for b in rows if b["overdue"])
        title = f"Open blockers ({len(rows)})"
        if overdue:
            title += f" · {overdue} without an owner past their day"
        self.query_one("#blockers-title", Static).update(title)
        table = self.query_one("#blocker-table", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        wide = self.size.width >= 100
        theme = self.app.current_theme
        error = Style(color=theme.error, bold=True) if theme.error else Style(color="red")
        table.add_column("#", key="num", width=4)
        text_width = max(20, self.size.width - (75 if wide else 35))
        table.add_column("Blocker", key="text", width=text_width)
        table.add_column("Owner", key="owner", width=14)
        table.add_column("Age", key="age", width=5)
        if wide:
            table.add_column("Raised by", key="by", width=14)
            table.add_column("Card", key="card", width=22)
        for b in rows:
            owner = (
                Text(b["owner_name"], overflow="ellipsis", no_wrap=True)
                if b["owner_name"]
                else Text(
                    "⚠ no owner" if b["overdue"] else "no owner",
                    style=error if b["overdue"] else Style(color=theme.warning),
                )
            )
            cells = [
                Text(f"B{b['num']}", style="dim"),
                Text(b["text"] or "", overflow="ellipsis", no_wrap=True),
                owner,
                Text(f"{b['age_days']}d" if b["age_days"] else "today"),
            ]
            if wide:
                cells.append(Text(b["raised_by_name"] or "–", overflow="ellipsis", no_wrap=True))
                cells.append(
                    Text(
                        f"#{b['card_num']} {b['card_title']}" if b["card_num"] else "",
                        overflow="ellipsis",
                        no_wrap=True,
                    )
                )
            table.add_row(*cells, key=b["id"])
        if rows and keep is not None:
            table.move_cursor(row=min(keep, len(rows) - 1), animate=False)

    def on_resize(self) -> None:
        if self._generation != -1:
            self._show_blockers()
            self.call_after_refresh(self._render_since)

    # ------------------------------------------------------------------ clocks

    def tick(self) -> None:
        """Repaint the clocks from `clock.now()` (once a second, and after every change)."""
        standup = self._standup
        if standup is None or self.state != "during":
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

        present = [s for s in self._speakers if not s.away]
        share = speaker_share(int(standup["timebox_min"] or 0), len(present))
        current = standup["current_speaker_id"]
        turn_start = _at(standup["turn_started_at"])
        rows = []
        current_secs = 0
        for s in self._speakers:
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

    def _field_name(self, widget: Any) -> str | None:
        wid = getattr(widget, "id", None) or ""
        name = wid.removeprefix("field-")
        return name if wid.startswith("field-") and name in standups.FIELDS else None

    @on(Input.Changed, ".entry-field")
    def _typed(self, event: Input.Changed) -> None:
        """A keystroke: into the local draft at once, into the entry within a second."""
        name = self._field_name(event.input)
        if name is None or self._shown is None or self._shown[1] is None:
            return
        sid, pid = self._shown[0], self._shown[1]
        self._pending[name] = (sid, pid)
        self._touched.add(name)
        self.app.edit(standups.save_draft, self.store, sid, pid, name, event.value)
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
        for name, (sid, pid) in pending.items():
            try:
                value = self.query_one(f"#field-{name}", Input).value
            except NoMatches:  # the screen is being torn down: the draft is kept for next time
                return
            self.app.edit(standups.save_field, self.store, sid, pid, name, value)

    @on(Input.Submitted, ".entry-field")
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_now()
        name = self._field_name(event.input)
        index = standups.FIELDS.index(name) if name else len(standups.FIELDS) - 1
        if index + 1 < len(standups.FIELDS):
            self.query_one(f"#field-{standups.FIELDS[index + 1]}", Input).focus()
        else:
            self.query_one(SpeakerList).focus()

    def on_descendant_blur(self, event: Any) -> None:
        name = self._field_name(event.widget)
        self._touched.discard(name or "")
        if name in self._pending:
            self.save_now()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        during = ("step", "pause", "end")
        if action == "from_field":  # shown (and run) only while typing in an entry field
            return self.state == "during" and self._field_name(self.focused) is not None
        if action in during:
            return self.state == "during"
        if action == "start":
            return self.state != "during"
        if action == "copy_minutes":
            return self.state == "after"
        return True

    def _sid(self) -> str | None:
        return self._standup["id"] if self._standup else None

    def _move(self, fn: Any, *args: Any) -> Any:
        """A write that changes the speaker from this machine: save typing first, then focus
        the new speaker's first field."""
        self.save_now()
        self._acted = True
        before = self.store.last_change
        result = self.app.edit(fn, self.store, *args)
        if self.store.last_change is before:
            self._acted = False  # nothing changed, so no reload will use it
        return result

    @changes
    @opens_form("standup-form")
    async def action_start(self) -> None:
        """Start today's standup; when one already ended today, only after a `y`."""
        from kickoff_tui.widgets.form import ConfirmScreen

        if self.state == "during":
            return
        ended = standups.ended_today(self.store)
        if ended is not None:
            tz = self.app.workspace.get("timezone") or "UTC"
            at = standups.local_time(ended["ended_at"], tz)
            if not await self.app.push_screen_wait(
                ConfirmScreen(
                    f"Today's standup S{ended['num']} ended at {at}. Start another?",
                    detail="x cancels a standup started by mistake, while nothing is in it.",
                    yes="Start",
                    no="Not now",
                )
            ):
                return
        self._move(standups.start, self._me)
        self._dismissed = None

    def _chosen_standup(self) -> str | None:
        """The standup `x` acts on: the running one, the summary shown, or the highlighted row."""
        if self.state == "during":
            return self._sid()
        if self.state == "after":
            return self._viewing
        table = self.query_one("#past-table", DataTable)
        if table.row_count and table.cursor_row is not None:
            return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return None

    @changes
    @opens_form("standup-form")
    async def action_cancel_standup(self) -> None:
        """Delete a standup started by mistake, after a `y`; refused once anything is in it."""
        from kickoff_tui.widgets.form import ConfirmScreen

        sid = self._chosen_standup()
        standup = standups.get(self.store, sid) if sid else None
        if standup is None:
            self.notify("No standup here to cancel.", markup=False)
            return
        self.save_now()
        if not standups.is_empty(self.store, sid):
            then = " End it with e instead." if self.state == "during" else ""
            self.notify(
                f"S{standup['num']} can't be cancelled: something was recorded in it "
                f"(an entry, a blocker or a decision).{then}",
                severity="warning",
                markup=False,
            )
            return
        if not await self.app.push_screen_wait(
            ConfirmScreen(
                f"Cancel the standup S{standup['num']}?",
                detail="Nothing was recorded in it. ctrl+z brings it back.",
            )
        ):
            return
        if self.app.edit(standups.cancel, self.store, sid) is not None:
            self._viewing = None
            self.notify(f"Cancelled S{standup['num']}. ctrl+z brings it back.", markup=False)
            self.load()

    @changes
    def action_step(self, delta: int) -> None:
        sid = self._sid()
        if sid is None:
            return
        if delta > 0 and self._standup and self._standup["current_speaker_id"] is None:
            self.notify("Everyone has spoken: press e to end the standup.", markup=False)
            return
        self._move(standups.step_speaker, sid, delta)

    @changes
    def action_pause(self) -> None:
        sid = self._sid()
        if sid is not None:
            self.save_now()
            paused = self.app.edit(standups.toggle_pause, self.store, sid)
            if paused is not None:
                self.notify(
                    "Paused: the clocks are stopped. p resumes." if paused else "Resumed.",
                    markup=False,
                )

    @changes
    def action_end(self, anyway: bool = False) -> None:
        sid = self._sid()
        if sid is None:
            return
        self.save_now()
        unowned = standups.unowned_blockers(self.store, sid)
        if unowned and not anyway:
            n = len(unowned)
            listed = "\n".join(f"B{b['num']} {b['text']}" for b in unowned)
            self.notify(
                f"Not yet: {n} blocker{'s' if n != 1 else ''} raised in this standup "
                f"{'have' if n != 1 else 'has'} no owner.\n{listed}\n"
                "Give each an owner with o, or press E to end anyway.",
                title="The standup can't end yet",
                severity="warning",
                markup=False,
                timeout=12,
            )
            return
        if self.app.edit(standups.end, self.store, sid, anyway=anyway) is not None:
            self.app.clear_notifications()
            self._viewing = sid
            self.load()
            self.app.action_offer_pulse()  # "pulse is open: answer now?"

    async def action_from_field(self, action: str) -> None:
        """esc then e, B or D from an entry field: leave the field (saving it), then do it."""
        self.action_leave()
        await self.run_action(action)

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.save_now()
            self.query_one(SpeakerList).focus()
        elif self.state == "after":
            self._dismissed = self._viewing
            self._viewing = None
            self.load()

    def action_copy_minutes(self) -> None:
        """Copy the minutes as Markdown, and write them to a file beside the workspace: a
        terminal's clipboard often can't be reached (tmux's default), so the file is always there."""
        if self._viewing is None:
            return
        try:
            text = mn.render(standups.minutes(self.store, self._viewing))
            copied = self.app.copy_text(text)
            where = f"written to {standups.write_minutes_file(self.store, self._viewing, text)}"
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        except OSError as exc:
            where = f"not written to a file ({exc.strerror or exc})"
        self.notify(
            f"Minutes {where}; as Markdown, {copied}.",
            markup=False,
            timeout=10,
        )

    @on(DataTable.RowSelected, "#past-table")
    def _open_past(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._viewing = event.row_key.value
            self.load()

    @on(DataTable.RowSelected, "#blocker-table")
    def _own_selected(self, event: DataTable.RowSelected) -> None:
        self.action_own_blocker()

    @changes
    @on(OptionList.OptionSelected, "#speakers")
    def _give_floor(self, event: OptionList.OptionSelected) -> None:
        sid = self._sid()
        if sid and event.option.id:
            if self._standup and event.option.id == self._standup["current_speaker_id"]:
                self.query_one("#field-done", Input).focus()
            else:
                self._move(standups.give_floor, sid, event.option.id)

    @changes
    @on(SpeakerList.Move)
    def _reorder(self, event: SpeakerList.Move) -> None:
        sid = self._sid()
        if sid:
            self.app.edit(standups.move_speaker, self.store, sid, event.person_id, event.delta)

    @changes
    @on(SpeakerList.ToggleAway)
    def _away(self, event: SpeakerList.ToggleAway) -> None:
        sid = self._sid()
        if sid:
            self._move(standups.set_away, sid, event.person_id, event.away)

    # ------------------------------------------------------------------ forms

    def _speaker_id(self) -> str | None:
        if self._standup and self._standup["current_speaker_id"]:
            return self._standup["current_speaker_id"]
        return self._me

    def _highlighted_blocker(self, only_unowned: bool = False) -> str | None:
        table = self.query_one("#blocker-table", DataTable)
        rows = standups.open_blockers(self.store)
        ids = [b["id"] for b in rows]
        if table.has_focus and table.row_count and table.cursor_row < len(ids):
            return ids[table.cursor_row]
        sid = self._sid()
        for b in rows:
            if not b["owner_name"] and (b["standup_id"] == sid or not only_unowned):
                return b["id"]
        return ids[0] if ids else None

    @changes
    @opens_form("standup-form")
    async def action_raise_blocker(self) -> None:
        self.save_now()
        by = self._speaker_id()
        options = standups.choices(self.store, by)
        names = dict((v, k) for k, v in options["people"])
        title = "Raise a blocker" + (f" for {names[by]}" if by in names else "")
        values = await self.app.push_screen_wait(
            FormScreen(
                title,
                [
                    Field(
                        "text", "Blocker", required=True, max_len=300, value=self._typed_blocker()
                    ),
                    Field(
                        "owner_id",
                        "Owner",
                        kind="choice",
                        choices=options["people"],
                        hint="who will clear it (can be set later with o)",
                    ),
                    Field(
                        "card_id",
                        "Card",
                        kind="choice",
                        choices=options["cards"],
                        hint="the card it holds up (optional)",
                    ),
                ],
                submit="Raise",
            )
        )
        if values:
            self.app.edit(
                standups.raise_blocker,
                self.store,
                text=values["text"],
                raised_by=by,
                owner_id=values["owner_id"],
                card_id=values["card_id"],
                standup_id=self._sid(),
            )

    def _typed_blocker(self) -> str | None:
        """The speaker's blockers field, as the first guess for a new blocker's text."""
        if self.state != "during":
            return None
        text = self.query_one("#field-blockers", Input).value.strip()
        return text[:300] or None

    @changes
    @opens_form("standup-form")
    async def action_own_blocker(self) -> None:
        rows = standups.open_blockers(self.store)
        if not rows:
            self.notify("There are no open blockers.", markup=False)
            return
        options = standups.choices(self.store)
        blockers = [(f"B{b['num']} {b['text']}", b["id"]) for b in rows]
        chosen = self._highlighted_blocker(only_unowned=True)
        values = await self.app.push_screen_wait(
            FormScreen(
                "Give a blocker an owner",
                [
                    Field(
                        "blocker_id",
                        "Blocker",
                        kind="choice",
                        choices=blockers,
                        value=chosen,
                        required=True,
                    ),
                    Field(
                        "owner_id", "Owner", kind="choice", choices=options["people"], required=True
                    ),
                ],
                submit="Assign",
            )
        )
        if values:
            self.app.edit(
                standups.assign_blocker, self.store, values["blocker_id"], values["owner_id"]
            )

    @changes
    @opens_form("standup-form")
    async def action_resolve_blocker(self) -> None:
        rows = standups.open_blockers(self.store)
        if not rows:
            self.notify("There are no open blockers.", markup=False)
            return
        blockers = [(f"B{b['num']} {b['text']}", b["id"]) for b in rows]
        values = await self.app.push_screen_wait(
            FormScreen(
                "Resolve a blocker",
                [
                    Field(
                        "blocker_id",
                        "Blocker",
                        kind="choice",
                        choices=blockers,
                        value=self._highlighted_blocker(),
                        required=True,
                    ),
                ],
                submit="Resolve",
            )
        )
        if values:
            self.app.edit(standups.resolve_blocker, self.store, values["blocker_id"])

    @changes
    @opens_form("standup-form")
    async def action_check_in(self) -> None:
        """Check in a key result (the speaker's own first) with the OKR screen's form."""
        self.save_now()
        options = standups.choices(self.store)
        if not options["krs"]:
            self.notify("There are no key results to check in yet.", markup=False)
            return
        speaker = self._speaker_id()
        theirs = standups.key_results_of(self.store, speaker)
        if len(theirs) == 1:
            kr_id = theirs[0]
        else:
            picked = await self.app.push_screen_wait(
                FormScreen(
                    "Which key result?",
                    [
                        Field(
                            "kr_id",
                            "Key result",
                            kind="choice",
                            choices=options["krs"],
                            value=theirs[0] if theirs else None,
                            required=True,
                        ),
                    ],
                    submit="Next",
                )
            )
            if not picked:
                return
            kr_id = picked["kr_id"]
        kr = find_kr(self.store, kr_id)
        if kr is not None:
            await check_in(self.app, self.store, kr, speaker)

    @changes
    @opens_form("standup-form")
    async def action_decide(self) -> None:
        self.save_now()
        options = standups.choices(self.store)
        values = await self.app.push_screen_wait(
            FormScreen(
                "Record a decision",
                [
                    Field("title", "Decision", required=True, max_len=200),
                    Field(
                        "outcome", "Outcome", max_len=500, hint="what was decided, in one sentence"
                    ),
                    Field(
                        "owner_id",
                        "Owner",
                        kind="choice",
                        choices=options["people"],
                        value=self._speaker_id(),
                    ),
                    Field("due", "Due", kind="date", hint="2026-12-24, +3d, next friday"),
                    Field(
                        "rag",
                        "RAG",
                        kind="choice",
                        choices=RAG_CHOICES,
                        value="green",
                        required=True,
                    ),
                ],
                submit="Record",
            )
        )
        if values:
            self.app.edit(
                standups.record_decision,
                self.store,
                title=values["title"],
                outcome=values["outcome"],
                owner_id=values["owner_id"],
                due=values["due"],
                rag=values["rag"],
                standup_id=self._sid(),
            )


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


def _since(since: standups.SinceLast, today: date, tz: str, width: int) -> Content:
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
                tail.append((" · ⚠ check-in due", "bold $warning"))
            else:
                tail.append(
                    (f" · {_ago(kr.last_at, today, tz)}", "$success" if status.new else "dim")
                )
        parts += _line(width, kr.ref, kr.title, tail)
    if not since.blockers:
        parts.append(("\n  no open blockers raised by or owned by them", "dim"))
    for b in since.blockers:
        owner = b["owner_name"] or "no owner"
        parts += _line(
            width,
            f"B{b['num']}",
            b["text"] or "",
            [(f" · {owner}", "" if b["owner_name"] else "$warning")],
        )
    return Content.assemble(*parts)


def _summary(m: mn.Minutes, roomy: bool = False) -> Content:
    """The after-standup summary: the same facts as the minutes, laid out to fit 80×24
    (`roomy` leaves a blank line between sections when the terminal is tall enough)."""
    gap = "\n" if roomy else ""
    used = f"{format_clock(m.seconds)} of {m.timebox_min}:00"
    end = f"–{m.end}" if m.end else " (running)"
    parts: list[Any] = [
        (f"Standup of {mn.day_label(m.held_on)}", "bold"),
        f" · {m.start}{end} {m.tz} · {used}",
    ]
    if m.ended_unowned:
        n = len(m.unowned)
        parts.append(
            (
                f"\n⚠ Ended with {n} blocker{'s' if n != 1 else ''} still without an owner",
                "bold $error",
            )
        )
    parts.append((gap + f"\nWho spoke ({len(m.speakers)})", "bold $text-accent"))
    if m.facilitator:
        parts.append((f" · facilitator {m.facilitator}", "dim"))
    parts.append("\n  ")
    for i, s in enumerate(m.speakers):
        if i:
            parts.append((" · ", "dim"))
        parts += [s.name, (f" {format_clock(s.seconds)}", "dim")]
    if not m.speakers:
        parts.append(("nobody", "dim"))
    if m.away:
        parts.append((f" · away: {', '.join(m.away)}", "dim"))

    parts.append((gap + f"\nBlockers raised ({len(m.blockers)})", "bold $text-accent"))
    for b in m.blockers:
        parts += [("\n  ● ", f"${RAG_THEME[b.rag]}"), (f"{b.ref} ", "dim"), b.text]
        if b.resolved:
            parts.append((" · resolved", "$success"))
        elif b.owner:
            parts.append(f" · owner {b.owner}")
        else:
            parts.append((" · no owner", "bold $error"))
        if b.card:
            parts.append((f" · card {b.card}", "dim"))

    parts.append((gap + f"\nDecisions ({len(m.decisions)})", "bold $text-accent"))
    for d in m.decisions:
        parts += [
            ("\n  ● ", f"${RAG_THEME.get(d.rag or '', 'text-muted')}"),
            (f"{d.ref} ", "dim"),
            d.title,
        ]
        if d.outcome:
            parts.append(f": {d.outcome}")
        parts.append(f" · owner {d.owner or 'none'}")
        parts.append(f" · due {mn.day_label(d.due, year=False)}" if d.due else " · no deadline")
        parts.append((f" · {d.rag or 'no RAG'}", f"${RAG_THEME.get(d.rag or '', 'text-muted')}"))

    parts.append((gap + f"\nKey-result check-ins ({len(m.checkins)})", "bold $text-accent"))
    for c in m.checkins:
        unit = f" {c.unit}" if c.unit else ""
        parts += [("\n  ", ""), (f"{c.ref} ", "dim"), c.title, f": {c.value}{unit}"]
        if c.confidence is not None:
            parts.append(f" · {c.confidence}/10")
        if c.author:
            parts.append((f" · {c.author}", "dim"))
    return Content.assemble(*parts)
