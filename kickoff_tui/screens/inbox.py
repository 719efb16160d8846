"""`0`: the inbox — everything late or due that needs me (or, with `a`, the whole team), grouped
by kind, oldest first, with who and since when.

`enter` jumps to the item on its own screen with the cursor on it; `z` snoozes it until
tomorrow on this machine (local_meta, never synced). The list is store.inbox.view, the one read
model `kickoff nudges` and the review's counts also use.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from kickoff_tui.app import SCREENS
from kickoff_tui.screens.base import FilteredScreen
from kickoff_tui.store import inbox
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.inbox import InboxItem, InboxView
from kickoff_tui.widgets.tables import (
    KeyTable,
    cursor_key,
    move_to_key,
    row_matches,
    set_columns,
)
from kickoff_tui.widgets.tones import WARN, Toned

#: Row keys of the group headings (not items: the cursor steps over them).
GROUP = "group:"
#: Below this width the "why" column is cut to NARROW_WHY; from it, to half of the room the title
#: and why share (a long reason must not squeeze every title). The panel under the table and
#: `enter` show it whole.
WIDE = 110
NARROW_WHY = 30


def _short(d: date) -> str:
    return f"{d:%b} {d.day}"


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _why_most(columns: list[str], rows: list[tuple[str, list[Text]]], width: int) -> int:
    """The longest "why" shown at `width`: NARROW_WHY below WIDE, else half of what the other
    columns (2 cells of padding each) and the scrollbar leave to the title and the why."""
    if width < WIDE:
        return NARROW_WHY
    others = sum(
        max([len(name), *(cells[i].cell_len for _, cells in rows)]) + 2
        for i, name in enumerate(columns)
        if name not in ("Title", "Why")
    )
    return max(NARROW_WHY, (width - others - 4 - 4) // 2)


class InboxScreen(FilteredScreen):
    """The today inbox: mine by default, the team's with `a`."""

    CSS_PATH = "inbox.tcss"
    MODE = "inbox"
    LABEL = "Inbox"
    HELP = (
        "What is late or due and needs you, grouped by kind, oldest first. enter opens it on "
        "its screen; z snoozes it until tomorrow (this machine only)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="inbox.open"),
        Binding(
            "z",
            "snooze",
            "Snooze",
            tooltip="Snooze until tomorrow (this machine only)",
            id="inbox.snooze",
        ),
        Binding(
            "a",
            "toggle_everyone",
            "Mine/team",
            tooltip="Mine / the whole team",
            id="inbox.toggle_everyone",
        ),
        Binding(
            "Z",
            "wake",
            "Wake snoozed",
            show=False,
            tooltip="Bring back what I snoozed",
            id="inbox.wake",
        ),
    ]
    EXTRA_HELP = [("click a row twice", "Open that item on its screen")]
    COUNT_IN_BAR = False  # the title line says "3 of 11 items match"

    #: Show the whole team's nudges rather than mine.
    everyone: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.view: InboxView | None = None
        self.items: dict[str, InboxItem] = {}
        self._width: int | None = None
        self._row = 0
        #: The first gathering runs in a worker (see `load`).
        self._gathering = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="inbox-title", markup=False)
        yield KeyTable(id="inbox-table", cursor_type="row")
        yield Static(id="inbox-detail", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#inbox-table", KeyTable)

    def _me(self) -> str | None:
        """My person id on this machine (session.me gives the id; a person dict also works)."""
        found: Any = self.session.me()
        return found.get("id") if isinstance(found, dict) else found

    def watch_everyone(self) -> None:
        self.load()

    def on_resize(self) -> None:
        if self._width is not None and self._width != self.size.width:
            self.load()

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        """The first load of the screen the app opens on gathers the nudges in a worker after
        the first frame (every source: 0.4 s at 10,000 cards); later loads read at once."""
        if self.loaded or self.app.first_frame_done:
            self._gathering = False
            super().load()
            return
        self._generation = self.session.generation
        self._gathering = True
        self.query_one("#inbox-title", Static).update(Content("Looking for what needs you…"))
        self._gather_first()

    @work(thread=True, exclusive=True, group="inbox-first")
    def _gather_first(self) -> None:
        try:
            view = self._read()
        except StoreError as exc:
            self.app.call_from_thread(
                self.notify, exc.message, title="Can't read the workspace", severity="error"
            )
            return
        self.app.call_from_thread(self._first_view, view)

    def _first_view(self, view: InboxView) -> None:
        if self._gathering:  # not loaded again meanwhile (a change, a resize, `a`)
            self._gathering = False
            self._show(view)

    def _read(self) -> InboxView:
        today = inbox.today(self.store)
        return inbox.view(self.store, today, me=self._me(), everyone=self.everyone)

    def reload(self) -> None:
        self._show(self._read())

    def _show(self, view: InboxView) -> None:
        """Fill the table, title and detail panel from `view`."""
        keep = cursor_key(self.table)
        self.view = view
        self.items = {}
        self._width = width = self.size.width or self.app.size.width
        wide = width >= WIDE
        columns = ["#", "Title", "Why"] + (["Who"] if view.everyone else []) + ["Since"]
        rows: list[tuple[str, list[Text]]] = []
        headings: dict[str, str] = {}
        label = None
        blank = [Text("")] * len(columns)
        for item in view.items:
            n = item.nudge
            if item.label != label:
                label = item.label
                headings[GROUP + n.kind] = label
                rows.append((GROUP + n.kind, blank))
            self.items[n.key] = item
            who = item.who if wide else item.who.split(" ")[0]
            cells = [
                Text(n.ref, style="dim"),
                Text(" ".join(n.title.split()), overflow="ellipsis", no_wrap=True),
                Toned(n.why, style=WARN),
                *(
                    [Text(who, style="dim" if item.who == "nobody" else "")]
                    if view.everyone
                    else []
                ),
                Text(_short(n.since), style="dim"),
            ]
            rows.append((n.key, cells))
        most = _why_most(columns, rows, width)
        for _, cells in rows:
            if cells is not blank and cells[2].cell_len > most:
                cells[2] = Toned(_cut(cells[2].plain, most), style=WARN)
        table = self.table
        set_columns(table, columns, [c for _, c in rows], fill="Title", width=width, fill_min=14)
        title_width = next(c.width for c in table.columns.values() if str(c.label) == "Title")
        counts = self._group_counts(rows, headings, table.filter_words)
        for key, cells in rows:
            if key in headings:
                text = f"{headings[key]} ({counts[key]})"
                table.add_row(
                    *self._heading(text, title_width, len(columns)), key=key, heading=True
                )
            else:
                table.add_row(*cells, key=key)
        if not move_to_key(table, keep) and table.row_count > 1:
            table.move_cursor(row=1, animate=False)  # the first item, under its heading
        self._row = table.cursor_row
        self._show_title(view)
        self._show_detail()

    @staticmethod
    def _group_counts(
        rows: list[tuple[str, list[Text]]], headings: dict[str, str], words: tuple[str, ...]
    ) -> dict[str, str]:
        """Each group's count for its heading: "3", or "2 of 3" when the filter hides some."""
        counts: dict[str, list[int]] = {}
        group = ""
        for key, cells in rows:
            if key in headings:
                group = key
                counts[group] = [0, 0]
                continue
            counts[group][1] += 1
            counts[group][0] += not words or row_matches(cells, words)
        return {
            key: str(total) if shown == total else f"{shown} of {total}"
            for key, (shown, total) in counts.items()
        }

    @staticmethod
    def _heading(text: str, width: int, columns: int) -> list[Text]:
        """A group's heading across the title and why columns, cut between words where the
        title column ends (so it reads whole at 80 columns)."""
        first, rest = text, ""
        if len(text) > width:
            cut = text.rfind(" ", 0, width + 1)
            cut = cut if cut > 0 else width
            first, rest = text[:cut], text[cut:].strip()
        cells = [Text(""), Text(first, style="bold"), Text(rest, style="bold", no_wrap=True)]
        return cells + [Text("")] * (columns - 3)

    def _show_title(self, view: InboxView) -> None:
        n = len(view.items)
        count = f"{n} item{'s' if n != 1 else ''}"
        if self.filter_words:
            matched = self.table.matched
            said = " ".join(self.filter_words)
            count = f"{matched} of {count} match{'es' if n == 1 else ''} “{said}”"
        if view.me is None:
            whose = "The whole team (say who you are with “Who am I…” in ctrl+p to see yours)"
        elif view.everyone:
            whose = "The whole team"
        else:
            whose = "Mine"
        parts = [whose, count]
        if view.snoozed:
            parts.append(f"{view.snoozed} snoozed until tomorrow (Z brings back)")
        if view.me is not None:
            parts.append("a: mine" if view.everyone else "a: the whole team")
        self.query_one("#inbox-title", Static).update(Content(" · ".join(parts)))

    def current(self) -> InboxItem | None:
        return self.items.get(cursor_key(self.table) or "")

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.table
        key = event.row_key.value or ""
        if event.cursor_row != table.cursor_row:
            return  # a stale event (the table was refilled and the cursor put back since)
        if key.startswith(GROUP):
            # A heading: step over it in the direction the cursor was going.
            down = event.cursor_row >= self._row or event.cursor_row == 0
            target = event.cursor_row + 1 if down else event.cursor_row - 1
            if target < 0 or target >= table.row_count:
                target = event.cursor_row + 1 if event.cursor_row + 1 < table.row_count else 0
            self._row = event.cursor_row
            if 0 <= target < table.row_count and target != event.cursor_row:
                # After this event is handled: moved from inside it, the table's repaint of
                # the new row waited for the next key in a real terminal.
                self.call_later(self._step_over, event.cursor_row, target)
            return
        self._row = event.cursor_row
        self._show_detail()

    def _step_over(self, heading: int, target: int) -> None:
        table = self.table
        if table.cursor_row == heading and target < table.row_count:
            table.move_cursor(row=target, animate=False)

    def _show_detail(self) -> None:
        detail = self.query_one("#inbox-detail", Static)
        item = self.current()
        view = self.view
        if item is None:
            if view is not None and not view.items:
                text = (
                    "Nothing needs anyone today."
                    if view.everyone
                    else "Nothing needs you today. Press a for the whole team's list."
                )
                detail.update(Content.styled(text, "$text-success"))
            else:
                detail.update("")
            return
        n = item.nudge
        where = SCREENS.get(n.screen, ("", n.screen, ""))[1]
        detail.update(
            Content("\n").join(
                [
                    Content.assemble(
                        (f"{n.ref} ", "$text-muted"),
                        (" ".join(n.title.split()), "bold"),
                        (f"  enter: {where}", "$text-muted"),
                    ),
                    Content(" · ").join(
                        [
                            Content.styled(n.why, "$text-warning"),
                            Content(item.who),
                            Content(f"since {_short(n.since)}"),
                        ]
                    ),
                ]
            )
        )

    # ------------------------------------------------------------------ actions

    @on(DataTable.RowSelected, "#inbox-table")
    async def _selected(self, event: DataTable.RowSelected) -> None:
        await self.action_open()

    async def action_open(self) -> None:
        """Open the highlighted item on its own screen, with the cursor on it."""
        from kickoff_tui.jump import jump

        item = self.current()
        if item is None:
            return
        n = item.nudge
        await jump(self.app, n.screen, n.record_id, f"{n.ref} {n.title}".strip())

    def action_snooze(self) -> None:
        """Snooze the highlighted item until tomorrow, on this machine only (never synced)."""
        item = self.current()
        if item is None:
            return
        row = self.table.cursor_row
        until = self.session.safe(inbox.snooze, self.store, item.nudge.key, inbox.today(self.store))
        if until is None:
            return
        self.load()
        if self.table.row_count:
            self.table.move_cursor(row=min(row, self.table.row_count - 1), animate=False)
        self.notify(
            f"Snoozed {item.nudge.ref} until tomorrow, {until:%a} {until:%b} {until.day} "
            "(on this machine only).",
            markup=False,
        )

    def action_wake(self) -> None:
        """Bring back everything snoozed on this machine."""
        woken = self.session.safe(inbox.wake_all, self.store, inbox.today(self.store))
        if woken:
            self.load()
            self.notify(f"Brought back {woken} snoozed item{'s' if woken != 1 else ''}.")

    def action_toggle_everyone(self) -> None:
        """Switch between what needs me and what needs the whole team."""
        if self._me() is None:
            self.notify(
                "Say who you are first (“Who am I…” in ctrl+p) to see only yours.", markup=False
            )
            return
        self.everyone = not self.everyone
