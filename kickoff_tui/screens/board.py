"""`1`: the 30-60-90 board — every action in the window it belongs to, with its owner.

Four lanes (0–30, 31–60, 61–90 days after kickoff, and Later), each a virtualised CardLane:
only visible cards are drawn, so the board stays instant at 10,000 cards. Below 100 columns
one lane is shown at a time under the four lane headers (h/l switch); wider, all four.

Edits go through store/cards.py (one transaction each, undoable with ctrl+z). A move, reorder,
state or RAG change updates the lanes in place from the one card re-read, instead of reloading
the board; other changes (and other programs' commits) reload it, keeping the cursor on the
same card.
"""

from __future__ import annotations

import bisect
from datetime import date
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Label, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.card_filter import CardFilter, haystack, parse_filter
from kickoff_tui.rules.cards import dependency_warnings, due_outside_window
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS, format_range, window_of
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import cards as store_cards
from kickoff_tui.typeahead import focus_for_typing, opens_form
from kickoff_tui.widgets.lane import CardLane
from kickoff_tui.widgets.text_field import TextField

#: Below this width the board shows one lane at a time.
NARROW = 100


def _order(card: dict[str, Any]) -> tuple:
    """Board order within a lane, as SQLite sorts it (NULL positions first)."""
    pos = card.get("position")
    return (pos is not None, pos or "", card.get("created_at") or "", card["id"])


class BoardScreen(KickoffScreen):
    """Cards by window: 0–30, 31–60, 61–90 days after kickoff, and later."""

    CSS_PATH = "board.tcss"
    AUTO_FOCUS = ""  # nothing: the keys belong to the board until / opens the filter
    MODE = "board"
    LABEL = "Board"
    HELP = (
        "The 30-60-90 plan: every action in the window it belongs to, with its owner. "
        "⚠ late, blocked or in conflict · 'waits 2': two cards it depends on aren't done."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n", "new", "New", tooltip="New card in this window, after the cursor", id="board.new"
        ),
        Binding("enter", "open", "Open", tooltip="Open the card in the editor", id="board.open"),
        Binding(
            "space",
            "state",
            "State",
            tooltip="Advance the state: todo → doing → done",
            id="board.state",
        ),
        Binding(
            "r", "rag", "RAG", tooltip="Cycle the RAG colour: green → yellow → red", id="board.rag"
        ),
        Binding("d", "delete", "Delete", tooltip="Delete the card (asks first)", id="board.delete"),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter live: words @owner state red tag:x kr:3",
            id="board.filter",
        ),
        Binding("o", "mine", "Mine", tooltip="Only my cards (toggle)", id="board.mine"),
        Binding(
            "b",
            "blocked",
            "Block",
            show=False,
            tooltip="Block / unblock the card",
            id="board.blocked",
        ),
        Binding(
            "R", "raci", "RACI", show=False, tooltip="RACI matrix: cards × people", id="board.raci"
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="board.clear_filter"),
        # Cursor and move keys: described once each in EXTRA_HELP (pairs), so help stays short.
        Binding("left,h", "column(-1)", show=False, id="board.window_left"),
        Binding("right,l", "column(1)", show=False, id="board.window_right"),
        Binding("up,k", "row(-1)", show=False, id="board.card_up"),
        Binding("down,j", "row(1)", show=False, id="board.card_down"),
        Binding("pageup", "page(-1)", show=False, id="board.page_up"),
        Binding("pagedown", "page(1)", show=False, id="board.page_down"),
        Binding("home,g", "edge(-1)", show=False, id="board.first_card"),
        Binding("end,G", "edge(1)", show=False, id="board.last_card"),
        Binding("shift+left,H", "move(-1)", show=False, id="board.move_left"),
        Binding("shift+right,L", "move(1)", show=False, id="board.move_right"),
        Binding("shift+up,K", "reorder(-1)", show=False, id="board.move_up"),
        Binding("shift+down,J", "reorder(1)", show=False, id="board.move_down"),
    ]
    EXTRA_HELP: ClassVar[list[tuple[str, str]]] = [
        ("← → · h l", "Previous / next window"),
        ("↑ ↓ · k j", "Previous / next card (pgup pgdn: a page)"),
        ("g G · home end", "First / last card of the window"),
        ("shift ← → · H L", "Move the card to the previous / next window"),
        ("shift ↑ ↓ · K J", "Move the card up / down in its window"),
        ("mouse", "Click selects, double-click opens, drag moves"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Every live card by window, in board order (the filter picks from these).
        self.lanes_all: dict[str, list[dict[str, Any]]] = {w: [] for w in WINDOWS}
        self.col = 0
        self.filter_text = ""
        self.only_mine = False
        self._filter = CardFilter()
        self._kickoff: date | None = None
        self._today = date.today()
        self._current_window: str | None = None
        self._loaded = False
        #: (window, narrow) the headers were last drawn for: the ▸ and compact counts follow it.
        self._marked: tuple[str, bool] | None = None
        self._lanes: dict[str, CardLane] = {}
        self._heads: dict[str, Static] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield Label("Filter ", id="filter-label")
            yield TextField(
                id="board-filter",
                compact=True,
                placeholder="words @owner todo/doing/blocked/done red tag:x kr:3 · esc clears",
            )
        with Horizontal(id="board-heads"):
            for window in WINDOWS:
                yield Static(id=f"head-{window}", classes="lane-head", markup=False)
        with Horizontal(id="board"):
            for window in WINDOWS:
                yield CardLane(window, id=f"lane-{window}")

    # ------------------------------------------------------------------ reading

    def lane(self, window: str) -> CardLane:
        found = self._lanes.get(window)
        if found is None:
            found = self._lanes[window] = self.query_one(f"#lane-{window}", CardLane)
        return found

    def head(self, window: str) -> Static:
        found = self._heads.get(window)
        if found is None:
            found = self._heads[window] = self.query_one(f"#head-{window}", Static)
        return found

    @property
    def window(self) -> str:
        return WINDOWS[self.col]

    @property
    def current_lane(self) -> CardLane:
        return self.lane(self.window)

    def current_card(self) -> dict[str, Any] | None:
        return self.current_lane.current

    def reload(self) -> None:
        keep = self.current_card()
        ws = self.session.workspace
        tz = ws.get("timezone") or "UTC"
        self._today = clock.today(tz)
        try:
            self._kickoff = (
                date.fromisoformat(ws["kickoff_date"]) if ws.get("kickoff_date") else None
            )
        except ValueError:
            self._kickoff = None
        self._current_window = window_of(self._today, self._kickoff, tz) if self._kickoff else None
        lanes: dict[str, list[dict[str, Any]]] = {w: [] for w in WINDOWS}
        for card in store_cards.board(self.store):
            card["_hay"] = haystack(card)
            lanes.setdefault(card["window"] if card["window"] in lanes else "30", []).append(card)
        self.lanes_all = lanes
        if keep is None and not self._loaded and self._current_window in WINDOWS:
            self.col = WINDOWS.index(self._current_window)  # open on today's window
        self._loaded = True
        for window in WINDOWS:
            self.lane(window).today = self._today
        self._show_all(keep_id=keep["id"] if keep else None)

    def _show_all(self, keep_id: str | None = None) -> None:
        """Filter every lane and draw it; the cursor stays on `keep_id` if it is still shown."""
        found = False
        for i, window in enumerate(WINDOWS):
            shown = self._show_lane(window)
            if keep_id and not found:
                for n, card in enumerate(shown):
                    if card["id"] == keep_id:
                        self.col = i
                        self.lane(window).move_cursor(n)
                        found = True
                        break
        self._activate()

    def _show_lane(self, window: str, cursor: int | None = None) -> list[dict[str, Any]]:
        cards = self.lanes_all[window]
        if self._filter:
            keep = self._filter.predicate()
            shown = [c for c in cards if keep(c)]
        else:
            shown = cards
        self.lane(window).empty_text = self._empty_text(len(cards) - len(shown))
        self.lane(window).set_cards(shown, cursor)
        self._update_head(window)
        return shown

    def _empty_text(self, hidden: int) -> str:
        """What an empty lane says: why it is empty when "only mine" or the filter hides cards."""
        if not hidden:
            return "No cards here. n adds one."
        cards = f"{hidden} card{'s' if hidden != 1 else ''}"
        if self.only_mine and self.filter_text.strip():
            return f"“Only mine” and the filter hide {cards} here. esc shows all."
        if self.only_mine:
            return f"Only @{self.store.actor}'s cards: {cards} hidden here. o shows all."
        return f"The filter hides {cards} here. esc clears it."

    def _update_head(self, window: str) -> None:
        cards = self.lanes_all[window]
        done = sum(1 for c in cards if c["state"] == "done")
        shown = len(self.lane(window).cards)
        compact = self.has_class("-narrow") and window != self.window
        count = f"{done}/{len(cards)}" if compact else f"{done}/{len(cards)} done"
        if self._filter:
            count = f"{shown} of {len(cards)}" if compact else f"{shown} shown · {count}"
        today = window == self._current_window
        line2 = format_range(window, self._kickoff) if self._kickoff else ""
        if compact:
            line2 = line2.replace(" – ", "–")
        here = window == self.window
        head = Content.assemble(
            ("▸ " if here else "", "bold $text-accent"),
            (WINDOW_LABELS[window], "bold $text-accent" if here else "bold"),
            "  ",
            (count, "$text-muted"),
            "\n",
            line2,
            "  " if today else "",
            ("● today" if today else "", "bold $text-accent"),
        )
        widget = self.head(window)
        widget.update(head, layout=False)  # fixed size: no need to lay the screen out again
        widget.set_class(today, "-today")

    def _activate(self) -> None:
        """Show which window has the cursor. A CSS class change restyles the screen (~10 ms),
        so in wide mode the current header is marked in its text (▸) and no class changes."""
        narrow = self.has_class("-narrow")
        for i, window in enumerate(WINDOWS):
            active = i == self.col
            self.lane(window).set_active(active, shown=active or not narrow)
            self.head(window).set_class(active and narrow, "-current")
        if self._marked != (self.window, narrow):
            before = self._marked[0] if self._marked else None
            for window in WINDOWS if narrow else {w for w in (before, self.window) if w}:
                self._update_head(window)
            self._marked = (self.window, narrow)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            for window in WINDOWS:
                self._update_head(window)
            self._activate()

    def on_mount(self) -> None:
        # Runs before KickoffScreen.on_mount (Textual calls both), which loads the cards.
        self.set_class(self.app.size.width < NARROW, "-narrow")

    # ------------------------------------------------------------------ cursor

    def action_column(self, step: int) -> None:
        """Go to the previous / next window, to the card at the same height."""
        target = self.col + step
        if not 0 <= target < len(WINDOWS):
            return
        old = self.current_lane
        offset = old.cursor - old.scroll_offset.y // 3
        self.col = target
        new = self.current_lane
        new.move_cursor(new.scroll_offset.y // 3 + max(0, offset))
        self._activate()

    def action_row(self, step: int) -> None:
        lane = self.current_lane
        lane.move_cursor(lane.cursor + step)

    def action_page(self, step: int) -> None:
        lane = self.current_lane
        lane.move_cursor(lane.cursor + step * max(1, lane.size.height // 3))

    def action_edge(self, step: int) -> None:
        lane = self.current_lane
        lane.move_cursor(0 if step < 0 else len(lane.cards) - 1)

    def cursor_to(self, record_id: str) -> None:
        self.select(record_id)

    def select(self, card_id: str, *, window: str | None = None) -> bool:
        """Put the cursor on a card (if the filter shows it); `window` narrows the search."""
        for i, name in enumerate(WINDOWS):
            if window is not None and name != window:
                continue
            for n, card in enumerate(self.lane(name).cards):
                if card["id"] == card_id:
                    self.col = i
                    self.lane(name).move_cursor(n)
                    self._activate()
                    return True
        return False

    # ------------------------------------------------------------------ editing in place

    def _edit(self, fn, *args: Any, **kwargs: Any) -> Any:
        """Run a store write; our own change updates the lanes in place, so the reload the app
        asks for is skipped."""
        # A commit by another program since the last poll would be taken for ours (the app
        # re-reads data_version after our write): then let the reload happen.
        unseen = self.session.behind()
        result = self.session.edit(fn, self.store, *args, **kwargs)
        if not unseen:
            self._generation = self.session.generation
        return result

    def _refetch(
        self, card_id: str, *, also: tuple[str, ...] = (), was: str | None = None
    ) -> dict[str, Any] | None:
        """Re-read one card (and any of `also`) and put it where it now belongs.

        `was` is the window the card was in (else every lane is searched). Only the lanes
        that changed are filtered and drawn again.
        """
        fresh = store_cards.card(self.store, card_id)
        touched: set[str] = set()
        for window in [was] if was in self.lanes_all else WINDOWS:
            lane = self.lanes_all[window]
            for n, c in enumerate(lane):
                if c["id"] == card_id:
                    del lane[n]
                    touched.add(window)
                    break
            if touched:
                break
        if fresh is not None:
            fresh["_hay"] = haystack(fresh)
            window = fresh["window"] if fresh["window"] in self.lanes_all else "30"
            lane = self.lanes_all[window]
            lane.insert(bisect.bisect_left(lane, _order(fresh), key=_order), fresh)
            touched.add(window)
        for other in also:
            other_fresh = store_cards.card(self.store, other)
            if other_fresh is None:
                continue
            other_fresh["_hay"] = haystack(other_fresh)
            lane = self.lanes_all.get(other_fresh["window"], [])
            for n, c in enumerate(lane):
                if c["id"] == other:
                    lane[n] = other_fresh
                    touched.add(other_fresh["window"])
                    break
        for window in touched:
            self._show_lane(window)
        if fresh is not None:
            self.select(card_id, window=fresh["window"])
        return fresh

    def _card_or_hint(self) -> dict[str, Any] | None:
        card = self.current_card()
        if card is None:
            self.notify("No card here: press n to add one.", markup=False)
        return card

    def _move_to(self, card: dict[str, Any], window: str, index: int) -> None:
        """Move `card` into `window` at row `index` of what that lane shows, then warn."""
        shown = self.lane(window).cards
        index = min(index, len(shown))
        before = shown[index]["id"] if index < len(shown) else None
        after = shown[-1]["id"] if before is None and shown else None
        if (
            self._edit(store_cards.move_card, card["id"], window, after_id=after, before_id=before)
            is None
        ):
            return
        fresh = self._refetch(card["id"], was=card["window"])
        if fresh is not None:
            self._warn(fresh)

    @changes
    def action_move(self, step: int) -> None:
        """Move the card to the previous / next window, at the same height."""
        card = self._card_or_hint()
        target = self.col + step
        if card is not None and 0 <= target < len(WINDOWS):
            self._move_to(card, WINDOWS[target], self.current_lane.cursor)

    @changes
    def action_reorder(self, step: int) -> None:
        """Move the card up / down within its window."""
        card = self._card_or_hint()
        if card is None:
            return
        lane = self.current_lane
        target = lane.cursor + step
        if not 0 <= target < len(lane.cards):
            return
        other = lane.cards[target]["id"]
        kwargs = {"before_id": other} if step < 0 else {"after_id": other}
        if self._edit(store_cards.move_card, card["id"], self.window, **kwargs) is None:
            return
        self._refetch(card["id"], was=card["window"])

    def _change(self, fn, *, dependents: bool) -> None:
        """A one-key change of the card under the cursor (state, RAG), drawn in place; a state
        change also redraws the cards waiting for it (their "waits" count)."""
        card = self._card_or_hint()
        if card is None or self._edit(fn, card["id"]) is None:
            return
        also = ()
        if dependents:
            also = tuple(d["id"] for d in store_cards.links(self.store, card["id"])["dependents"])
        self._refetch(card["id"], also=also, was=card["window"])

    @changes
    def action_state(self) -> None:
        """Advance the state: todo → doing → done → todo (blocked → doing)."""
        self._change(store_cards.advance_state, dependents=True)

    @changes
    def action_blocked(self) -> None:
        self._change(store_cards.set_blocked, dependents=True)

    @changes
    def action_rag(self) -> None:
        self._change(store_cards.cycle_rag, dependents=False)

    def _warn(self, card: dict[str, Any], what: str = "moved") -> None:
        """Warnings (not errors) about where a card now sits."""
        messages = []
        if self._kickoff and card.get("due"):
            try:
                due = date.fromisoformat(card["due"])
            except ValueError:
                due = None
            found = due_outside_window(due, card["window"], self._kickoff)
            if found:
                messages.append(found)
        linked = store_cards.links(self.store, card["id"])
        messages += dependency_warnings(card, linked["depends_on"], linked["dependents"])
        if messages:
            self.notify(
                " ".join(messages),
                title=f"#{card['num']} {what}, but",
                severity="warning",
                markup=False,
                timeout=8,
            )

    # ------------------------------------------------------------------ forms

    def _form(self, card: dict[str, Any] | None, prefill: dict[str, Any] | None = None):
        from kickoff_tui.screens.card_editor import card_form
        from kickoff_tui.store.people import me

        return card_form(
            self.store,
            card,
            window=self.window,
            kickoff=self._kickoff,
            today=self._today,
            me=me(self.store),
            prefill=prefill,
        )

    @changes
    @opens_form("card-form")
    async def action_new(self) -> None:
        """Add a card in the current window, after the cursor."""
        from kickoff_tui.screens.card_editor import filter_prefill, split_values

        after = self.current_card()
        window = self.window
        prefill = filter_prefill(self.store, self._filter) if self._filter else None
        result = await self.app.push_screen_wait(self._form(None, prefill))
        if result is None:
            return
        values, deps, raci = split_values(result)
        kwargs = {"after_id": after["id"]} if after and values.get("window") == window else {}
        new_id = self.session.edit(
            store_cards.create_card, self.store, values, deps=deps, raci=raci, **kwargs
        )
        if new_id:
            self.show_record(new_id)
            fresh = store_cards.card(self.store, new_id)
            if fresh:
                self._warn(fresh, "added")
                if self._filter and not self._filter.matches(fresh):
                    self._say_hidden(fresh)

    def _say_hidden(self, card: dict[str, Any]) -> None:
        """A card just added or saved that the filter hides: say so, rather than let it vanish."""
        what = " and ".join(
            filter(
                None,
                [
                    f"the filter “{self.filter_text.strip()}”" if self.filter_text.strip() else "",
                    "only mine" if self.only_mine else "",
                ],
            )
        )
        self.notify(
            f"#{card['num']} {card['title'] or ''} is saved, but {what} hides it. "
            "esc shows every card.",
            title="Hidden by the filter",
            severity="warning",
            markup=False,
            timeout=8,
        )

    @changes
    @opens_form("card-form")
    async def action_open(self) -> None:
        """Open the card in the editor."""
        from kickoff_tui.screens.card_editor import split_values

        card = self._card_or_hint()
        if card is None:
            return
        full = self.store.get("card", card["id"])
        if full is None or full["deleted"]:
            self.notify("That card was deleted meanwhile.", markup=False)
            return
        full["num"] = card["num"]
        result = await self.app.push_screen_wait(self._form(full))
        if result is None:
            return
        values, deps, raci = split_values(result)
        saved = self.session.edit(
            store_cards.save_card, self.store, card["id"], values, deps=deps, raci=raci
        )
        if saved:
            self.show_record(card["id"])
            fresh = store_cards.card(self.store, card["id"])
            if fresh and (fresh["window"] != card["window"] or fresh["due"] != card["due"] or deps):
                self._warn(fresh, "saved")
            if fresh and self._filter and not self._filter.matches(fresh):
                self._say_hidden(fresh)

    @changes
    @opens_form("card-form")
    async def action_delete(self) -> None:
        """Delete the card, after confirmation (ctrl+z brings it back)."""
        from kickoff_tui.widgets.form import ConfirmScreen

        card = self._card_or_hint()
        if card is None:
            return
        sure = await self.app.push_screen_wait(
            ConfirmScreen(
                f"Delete #{card['num']} {card['title']}?",
                detail="Its dependencies and RACI go with it. ctrl+z brings it all back.",
            )
        )
        if not sure:
            return
        lane = self.current_lane
        index = lane.cursor
        if self.session.edit(store_cards.delete_card, self.store, card["id"]) is not None:
            self.load()
            lane.move_cursor(index)
            self.notify(f"Deleted #{card['num']}. ctrl+z undoes it.", markup=False)

    # ------------------------------------------------------------------ mouse

    @on(CardLane.Clicked)
    def _clicked(self, event: CardLane.Clicked) -> None:
        self.col = WINDOWS.index(event.lane.window)
        if event.index >= 0:
            event.lane.move_cursor(event.index)
        self._activate()
        if event.chain >= 2 and event.index >= 0:
            self.action_open()

    def on_click(self, event: events.Click) -> None:
        """A click on a window's header goes to that window (at 80 columns: shows it)."""
        widget = event.widget
        if isinstance(widget, Static) and widget.has_class("lane-head") and widget.id:
            window = widget.id.removeprefix("head-")
            if window in WINDOWS:
                self.col = WINDOWS.index(window)
                self._activate()

    @changes
    @on(CardLane.DragDropped)
    def _dropped(self, event: CardLane.DragDropped) -> None:
        if 0 <= event.index < len(event.lane.cards):
            self._move_to(event.lane.cards[event.index], event.target.window, event.target.cursor)

    # ------------------------------------------------------------------ filter

    def _apply_filter(self) -> None:
        keep = self.current_card()
        self._filter = parse_filter(self.filter_text, mine=self._mine() if self.only_mine else None)
        self._show_all(keep_id=keep["id"] if keep else None)

    def set_filter(self, text: str) -> None:
        """Show only the cards matching `text` (what `/` types; e.g. "kr:3")."""
        box = self.query_one("#board-filter", Input)
        self.filter_text = text
        with box.prevent(Input.Changed):
            box.value = text
        self._show_filter(bool(text) or box.has_focus)
        self._apply_filter()

    def _filter_shown(self) -> bool:
        return self.query_one("#filter-bar").has_class("-shown")

    def _show_filter(self, shown: bool) -> None:
        self.query_one("#filter-bar").set_class(shown, "-shown")

    def action_filter(self) -> None:
        """Type a filter; the board follows every keystroke."""
        box = self.query_one("#board-filter", Input)
        self._show_filter(True)
        # Keys typed right after / were already on their way to the board, not the box: "ana"
        # opened a new card (n), "red" recoloured one; the box stayed empty and every card
        # showed. They are held until the box has focus, then typed into it, in order.
        focus_for_typing(self, box)

    @on(Input.Changed, "#board-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._apply_filter()

    @on(Input.Submitted, "#board-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#board-filter", Input)
        self._show_filter(bool(box.value))
        self.set_focus(None)

    def action_clear_filter(self) -> None:
        """Clear the filter (and "only mine")."""
        if not self.filter_text and not self.only_mine and not self._filter_shown():
            return
        self.only_mine = False
        self.set_focus(None)
        self.set_filter("")
        self._show_filter(False)

    def action_raci(self) -> None:
        """Open the RACI matrix (cards × people)."""
        from kickoff_tui.screens.raci import RaciScreen

        self.app.push_screen(RaciScreen())

    def action_mine(self) -> None:
        """Only my cards (the workspace user's), or everyone's again."""
        self.only_mine = not self.only_mine
        self._apply_filter()
        shown = sum(len(self.lane(w).cards) for w in WINDOWS)
        self.notify(
            f"Only @{self._mine()}'s cards ({shown})." if self.only_mine else "Everyone's cards.",
            markup=False,
            timeout=3,
        )

    def _mine(self) -> str:
        """My handle for "only mine" (store.people.me; the machine's name when I am nobody yet)."""
        from kickoff_tui.store.people import me_handle

        return me_handle(self.store) or self.store.actor
