"""The standup: past meetings, the timeboxed meeting itself, and its summary.

Three states in one screen, each a panel (kickoff_tui/widgets/): *before*, the past standups
(`PastStandups`) and `s` to start today's; *during*, the meeting (`MeetingPanel`: the speaker
order with per-person timers and the meeting countdown, the current speaker's done / next /
blockers typed in place, and what moved for them since the last standup); *after*, the summary
(`StandupSummary`) and `m` to copy the minutes. The open blockers (`BlockerTable`) are listed at
the bottom in every state. The screen reads the store, hands each panel its data (method calls
down), hears the panels' messages (up) and does every write but the meeting's typing.

Everyone in the meeting sees the same standup: the speaker and the clocks live in the shared
``standup`` row (see :mod:`kickoff_tui.store.standups`), and a reload never replaces the text of
the field this person is typing in.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive, var
from textual.widgets import ContentSwitcher, Input, OptionList

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules import minutes as mn
from kickoff_tui.screens import standup_forms as forms
from kickoff_tui.screens.base import FilteredScreen
from kickoff_tui.screens.check_in import check_in, find_kr
from kickoff_tui.store import standups
from kickoff_tui.store.errors import StoreError
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.blocker_table import BlockerTable
from kickoff_tui.widgets.speakers import SpeakerList
from kickoff_tui.widgets.standup_meeting import MeetingPanel
from kickoff_tui.widgets.standup_past import PastStandups
from kickoff_tui.widgets.standup_summary import StandupSummary
from kickoff_tui.widgets.tables import KeyTable


class StandupScreen(FilteredScreen):
    """Before, during and after a standup, with the open blockers always in view."""

    CSS_PATH = "standup.tcss"
    AUTO_FOCUS = None  # each state puts focus where its keys work (see _focus_in_state)
    MODE = "standup"
    LABEL = "Standup"
    HELP = (
        "A timeboxed standup: each person's done / next / blockers typed in place, what moved "
        "since last time, and no ending while a blocker raised in it has no owner."
    )
    EXTRA_HELP: ClassVar[list[tuple[str, str]]] = [
        ("enter", "In a field: save, go to the next field"),
        ("enter", "Speaker list: give them the floor"),
        ("enter", "Blocker list: give it an owner"),
        ("enter", "Past standups: show the summary"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short labels fit the footer at 80 columns; help and the palette show the tooltips.
        Binding("s", "start", "Start", tooltip="Start today's standup", id="standup.start"),
        Binding(
            "ctrl+right",
            "step(1)",
            "Next",
            key_display="^→",
            priority=True,
            tooltip="Next speaker, also from inside a field",
            id="standup.step_next",
        ),
        Binding(
            "ctrl+left",
            "step(-1)",
            "Previous",
            key_display="^←",
            priority=True,
            show=False,
            tooltip="Previous speaker, also from a field",
            id="standup.step_prev",
        ),
        Binding(
            "space",
            "step(1)",
            "Next",
            key_display="space",
            show=False,
            tooltip="Next speaker",
            id="standup.step_next",
        ),
        Binding(
            "escape",
            "leave",
            "Leave field",
            key_display="esc",
            show=False,
            tooltip="Leave the field; back to the list",
            id="standup.leave",
        ),
        Binding(
            "B",
            "raise_blocker",
            "Blocker",
            key_display="B",
            tooltip="Raise a blocker",
            id="standup.raise_blocker",
        ),
        Binding(
            "o", "own_blocker", "Owner", tooltip="Give a blocker an owner", id="standup.own_blocker"
        ),
        Binding(
            "r",
            "resolve_blocker",
            "Resolve",
            show=False,
            tooltip="Resolve a blocker",
            id="standup.resolve_blocker",
        ),
        Binding(
            "D",
            "decide",
            "Decision",
            key_display="D",
            tooltip="Record a decision",
            id="standup.decide",
        ),
        Binding(
            "c", "check_in", "Check-in", tooltip="Check in a key result", id="standup.check_in"
        ),
        Binding(
            "e", "end", "End", tooltip="End (not while its blockers lack owners)", id="standup.end"
        ),
        Binding(
            "E",
            "end(True)",
            "End anyway",
            key_display="E",
            show=False,
            tooltip="End anyway, blockers left unowned",
            id="standup.end_yes",
        ),
        Binding("p", "pause", "Pause", tooltip="Pause or resume the clocks", id="standup.pause"),
        Binding(
            "m",
            "copy_minutes",
            "Minutes",
            tooltip="Copy the minutes as Markdown",
            id="standup.copy_minutes",
        ),
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
            id="standup.from_field_end",
        ),
        Binding(
            "alt+shift+b",
            "from_field('raise_blocker')",
            "Blocker",
            key_display="esc B",
            priority=True,
            tooltip="From a field: raise a blocker",
            id="standup.from_field_raise_blocker",
        ),
        Binding(
            "alt+shift+d",
            "from_field('decide')",
            "Decision",
            key_display="esc D",
            priority=True,
            tooltip="From a field: record a decision",
            id="standup.from_field_decide",
        ),
        Binding(
            "x",
            "cancel_standup",
            "Cancel standup",
            show=False,
            tooltip="Cancel (delete) a standup nothing was recorded in",
            id="standup.cancel_standup",
        ),
    ]

    #: Which panel shows: "before", "during" or "after" (the ContentSwitcher follows it).
    state = reactive("before", init=False, repaint=False)
    #: The running standup, as last read (None when none is running).
    standup: var[dict[str, Any] | None] = var(None)
    #: The standup whose summary is shown ("after").
    viewing: var[str | None] = var(None)
    #: Today's summary, once left with escape (not shown again by itself).
    dismissed: var[str | None] = var(None)

    def __init__(self) -> None:
        super().__init__()
        self._acted = False  # this machine just changed the speaker: focus their first field
        self._restored: set[str] = set()
        self._me: str | None = None
        #: The meeting panel, kept: typing is saved from it even while the screen is torn down.
        self.meeting = MeetingPanel(id="during")

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="before", id="standup-states"):
            yield PastStandups(id="before")
            yield self.meeting
            yield StandupSummary(id="after")
        yield BlockerTable(id="blockers")

    def on_mount(self) -> None:
        # KickoffScreen.on_mount runs after this one (Textual calls both): it loads the data.
        self.set_interval(1.0, self.tick, name="standup-clock")
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.load())

    def on_unmount(self) -> None:
        self.meeting.save_now()

    def watch_state(self, state: str) -> None:
        self.query_one(ContentSwitcher).current = state
        if state != "before":
            self.clear_filter()  # it narrows the past standups, not shown now

    @property
    def table(self) -> KeyTable:
        """The past standups, which `/` filters."""
        return self.query_one("#past-table", KeyTable)

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        self._me = standups.me(self.store)
        running = standups.running(self.store)
        if running is not None:
            self._show_during(running)
        else:
            self.meeting.leave()  # ended elsewhere while typing: keep what was typed
            self.standup = None
            viewing = self.viewing
            if viewing is None:
                last = standups.last_ended(self.store)
                tz = self.session.workspace.get("timezone") or "UTC"
                if (
                    last
                    and last["id"] != self.dismissed
                    and standups.local_day(last["ended_at"], tz) == clock.today(tz)
                ):
                    viewing = last["id"]
            if viewing and standups.get(self.store, viewing):
                self._show_after(viewing)
            else:
                self.viewing = None
                self._show_before()
        self._show_blockers()
        self.refresh_bindings()

    def _focus_in_state(self, default: Any) -> None:
        """Focus `default` unless focus is already somewhere in this state or the blockers."""
        focused = self.focused
        if focused is not None:
            containers = (self.query_one(f"#{self.state}"), self.query_one(BlockerTable))
            for container in (*containers, self.filter_bar):  # typing a filter (/) stays
                if container in focused.ancestors_with_self:
                    return
        default.focus()

    def _show_before(self) -> None:
        self.state = "before"
        past = self.query_one(PastStandups)
        past.show(standups.past(self.store), readonly=self.store.readonly)
        self._focus_in_state(past.table)

    def _show_after(self, standup_id: str) -> None:
        self.state = "after"
        self.viewing = standup_id
        summary = self.query_one(StandupSummary)
        summary.show(standups.minutes(self.store, standup_id), roomy=self.size.height >= 32)
        self._focus_in_state(summary)

    def _show_during(self, standup: dict[str, Any]) -> None:
        self.state = "during"
        self.viewing = None
        self.standup = standup
        if standup["id"] not in self._restored and not self.store.readonly:
            self._restored.add(standup["id"])
            if self.session.edit(standups.restore_drafts, self.store, standup["id"]):
                self.notify(
                    "Restored typing that hadn't been saved when the app closed.", markup=False
                )
                standup = standups.get(self.store, standup["id"]) or standup
                self.standup = standup
        meeting = self.meeting
        if meeting.show(standup, standups.speakers(self.store, standup)):
            self._place_focus(meeting.speaker)
        self._acted = False
        speaker = meeting.speaker
        since = standups.since_last(self.store, standup, speaker.id) if speaker else None
        meeting.show_speaker(since)
        self.tick()

    def _place_focus(self, speaker: standups.Speaker | None) -> None:
        """A new turn: the first field has focus on the machine that moved the meeting on and on
        the speaker's own; anyone else typing is taken out of the previous speaker's field."""
        if (
            speaker is not None
            and not self.store.readonly
            and (self._acted or speaker.id == self._me)
        ):
            self.meeting.focus_first_field()
        elif isinstance(self.focused, Input):
            self.query_one(SpeakerList).focus()
        else:
            self._focus_in_state(self.query_one(SpeakerList))

    def _show_blockers(self) -> None:
        self.query_one(BlockerTable).show(standups.open_blockers(self.store), self.size.width)

    def on_resize(self) -> None:
        if self.loaded:
            self._show_blockers()
            self.call_after_refresh(self.meeting.render_since)

    def tick(self) -> None:
        """Repaint the clocks from `clock.now()` (once a second, and after every change)."""
        if self.state == "during":
            self.meeting.tick()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        during = ("step", "pause", "end")
        if action == "from_field":  # shown (and run) only while typing in an entry field
            return self.state == "during" and MeetingPanel.field_name(self.focused) is not None
        if action in during:
            return self.state == "during"
        if action == "start":
            return self.state != "during"
        if action == "filter":  # `/` narrows the past standups
            return self.state == "before"
        if action == "copy_minutes":
            return self.state == "after"
        return True

    def _sid(self) -> str | None:
        return self.standup["id"] if self.standup else None

    def _move(self, fn: Any, *args: Any) -> Any:
        """A write that changes the speaker from this machine: save typing first, then focus
        the new speaker's first field."""
        self.meeting.save_now()
        self._acted = True
        before = self.store.last_change
        result = self.session.edit(fn, self.store, *args)
        if self.store.last_change is before:
            self._acted = False  # nothing changed, so no reload will use it
        return result

    @changes
    @opens_form("standup-form")
    async def action_start(self) -> None:
        """Start today's standup; when one already ended today, only after a `y`."""
        if self.state == "during":
            return
        ended = standups.ended_today(self.store)
        if ended is not None:
            tz = self.session.workspace.get("timezone") or "UTC"
            at = standups.local_time(ended["ended_at"], tz)
            if not await self.app.push_screen_wait(forms.start_again(ended["num"], at)):
                return
        self._move(standups.start, self._me)
        self.dismissed = None

    def _chosen_standup(self) -> str | None:
        """The standup `x` acts on: the running one, the summary shown, or the highlighted row."""
        if self.state == "during":
            return self._sid()
        if self.state == "after":
            return self.viewing
        return self.query_one(PastStandups).highlighted()

    @changes
    @opens_form("standup-form")
    async def action_cancel_standup(self) -> None:
        """Delete a standup started by mistake, after a `y`; refused once anything is in it."""
        sid = self._chosen_standup()
        standup = standups.get(self.store, sid) if sid else None
        if sid is None or standup is None:
            self.notify("No standup here to cancel.", markup=False)
            return
        self.meeting.save_now()
        if not standups.is_empty(self.store, sid):
            then = " End it with e instead." if self.state == "during" else ""
            self.notify(
                f"S{standup['num']} can't be cancelled: something was recorded in it "
                f"(an entry, a blocker or a decision).{then}",
                severity="warning",
                markup=False,
            )
            return
        if not await self.app.push_screen_wait(forms.cancel_standup(standup["num"])):
            return
        if self.session.edit(standups.cancel, self.store, sid) is not None:
            self.viewing = None
            self.notify(f"Cancelled S{standup['num']}. ctrl+z brings it back.", markup=False)
            self.load()

    @changes
    def action_step(self, delta: int) -> None:
        sid = self._sid()
        if sid is None:
            return
        if delta > 0 and self.standup and self.standup["current_speaker_id"] is None:
            self.notify("Everyone has spoken: press e to end the standup.", markup=False)
            return
        self._move(standups.step_speaker, sid, delta)

    @changes
    def action_pause(self) -> None:
        sid = self._sid()
        if sid is not None:
            self.meeting.save_now()
            paused = self.session.edit(standups.toggle_pause, self.store, sid)
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
        self.meeting.save_now()
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
        if self.session.edit(standups.end, self.store, sid, anyway=anyway) is not None:
            self.app.clear_notifications()
            self.viewing = sid
            self.load()
            self.app.action_offer_pulse()  # "pulse is open: answer now?"

    async def action_from_field(self, action: str) -> None:
        """esc then e, B or D from an entry field: leave the field (saving it), then do it."""
        self.action_leave()
        await self.run_action(action)

    def action_leave(self) -> None:
        if self.clear_filter():
            return
        if isinstance(self.focused, Input):
            self.meeting.save_now()
            self.query_one(SpeakerList).focus()
        elif self.state == "after":
            self.dismissed = self.viewing
            self.viewing = None
            self.load()

    def action_copy_minutes(self) -> None:
        """Copy the minutes as Markdown, and write them to a file beside the workspace: a
        terminal's clipboard often can't be reached (tmux's default), so the file is always there."""
        if self.viewing is None:
            return
        try:
            text = mn.render(standups.minutes(self.store, self.viewing))
            copied = self.app.copy_text(text)
            where = f"written to {standups.write_minutes_file(self.store, self.viewing, text)}"
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

    # ------------------------------------------------------------------ the panels' messages

    @on(PastStandups.Opened)
    def _open_past(self, message: PastStandups.Opened) -> None:
        self.viewing = message.standup_id
        self.load()

    @on(BlockerTable.Chosen)
    def _own_selected(self, message: BlockerTable.Chosen) -> None:
        self.action_own_blocker()

    @changes
    @on(OptionList.OptionSelected, "#speakers")
    def _give_floor(self, event: OptionList.OptionSelected) -> None:
        sid = self._sid()
        if sid and event.option.id:
            if self.standup and event.option.id == self.standup["current_speaker_id"]:
                self.meeting.focus_first_field()
            else:
                self._move(standups.give_floor, sid, event.option.id)

    @changes
    @on(SpeakerList.Move)
    def _reorder(self, event: SpeakerList.Move) -> None:
        sid = self._sid()
        if sid:
            self.session.edit(standups.move_speaker, self.store, sid, event.person_id, event.delta)

    @changes
    @on(SpeakerList.ToggleAway)
    def _away(self, event: SpeakerList.ToggleAway) -> None:
        sid = self._sid()
        if sid:
            self._move(standups.set_away, sid, event.person_id, event.away)

    # ------------------------------------------------------------------ forms

    def _speaker_id(self) -> str | None:
        if self.standup and self.standup["current_speaker_id"]:
            return self.standup["current_speaker_id"]
        return self._me

    def _highlighted_blocker(self, only_unowned: bool = False) -> str | None:
        rows = standups.open_blockers(self.store)
        return self.query_one(BlockerTable).highlighted(rows, self._sid(), only_unowned)

    @changes
    @opens_form("standup-form")
    async def action_raise_blocker(self) -> None:
        self.meeting.save_now()
        by = self._speaker_id()
        options = standups.choices(self.store, by)
        names = {v: k for k, v in options["people"]}
        title = "Raise a blocker" + (f" for {names[by]}" if by in names else "")
        typed = self.meeting.typed_blocker() if self.state == "during" else None
        form = forms.raise_blocker(title, options["people"], options["cards"], typed)
        values = await self.app.push_screen_wait(form)
        if values:
            self.session.edit(
                standups.raise_blocker,
                self.store,
                text=values["text"],
                raised_by=by,
                owner_id=values["owner_id"],
                card_id=values["card_id"],
                standup_id=self._sid(),
            )

    @changes
    @opens_form("standup-form")
    async def action_own_blocker(self) -> None:
        rows = standups.open_blockers(self.store)
        if not rows:
            self.notify("There are no open blockers.", markup=False)
            return
        people = standups.choices(self.store)["people"]
        chosen = self._highlighted_blocker(only_unowned=True)
        values = await self.app.push_screen_wait(forms.own_blocker(rows, people, chosen))
        if values:
            self.session.edit(
                standups.assign_blocker, self.store, values["blocker_id"], values["owner_id"]
            )

    @changes
    @opens_form("standup-form")
    async def action_resolve_blocker(self) -> None:
        rows = standups.open_blockers(self.store)
        if not rows:
            self.notify("There are no open blockers.", markup=False)
            return
        form = forms.resolve_blocker(rows, self._highlighted_blocker())
        values = await self.app.push_screen_wait(form)
        if values:
            self.session.edit(standups.resolve_blocker, self.store, values["blocker_id"])

    @changes
    @opens_form("standup-form")
    async def action_check_in(self) -> None:
        """Check in a key result (the speaker's own first) with the OKR screen's form."""
        self.meeting.save_now()
        options = standups.choices(self.store)
        if not options["krs"]:
            self.notify("There are no key results to check in yet.", markup=False)
            return
        speaker = self._speaker_id()
        theirs = standups.key_results_of(self.store, speaker)
        if len(theirs) == 1:
            kr_id = theirs[0]
        else:
            form = forms.which_kr(options["krs"], theirs[0] if theirs else None)
            picked = await self.app.push_screen_wait(form)
            if not picked:
                return
            kr_id = picked["kr_id"]
        kr = find_kr(self.store, kr_id)
        if kr is not None:
            await check_in(self.app, self.store, kr, speaker)

    @changes
    @opens_form("standup-form")
    async def action_decide(self) -> None:
        self.meeting.save_now()
        people = standups.choices(self.store)["people"]
        values = await self.app.push_screen_wait(forms.decision(people, self._speaker_id()))
        if values:
            self.session.edit(
                standups.record_decision,
                self.store,
                title=values["title"],
                outcome=values["outcome"],
                owner_id=values["owner_id"],
                due=values["due"],
                rag=values["rag"],
                standup_id=self._sid(),
            )
