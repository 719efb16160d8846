"""One board column drawn with the Line API: only the visible cards are ever rendered.

A lane holds a list of card dicts (as store/cards.board returns them) and a cursor index; it
mounts no widget per card, so 10,000 cards cost what 20 do. Each card takes CARD_HEIGHT lines:
its title, a line of facts (state, owner, due, warnings), and a gap. The screen owns the data
and the keys; the lane draws, scrolls the cursor into view and reports clicks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kickoff_tui.rules.dates import human_due, is_late
from kickoff_tui.rules.status import rag_mark

CARD_HEIGHT = 3
STATE_MARK = {"todo": "○", "doing": "◐", "blocked": "⊘", "done": "●"}


def _fit(text: str, cells: int) -> str:
    """`text` cut to `cells` terminal cells, with an ellipsis when it was longer."""
    if cells <= 0:
        return ""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, cells - 1).rstrip() + "…"


class CardLane(ScrollView, can_focus=False):
    """The cards of one window, virtualised."""

    COMPONENT_CLASSES = {
        "lane--num",
        "lane--title",
        "lane--done",
        "lane--meta",
        "lane--cursor",
        "lane--cursor-idle",
        "lane--green",
        "lane--yellow",
        "lane--red",
        "lane--warn",
        "lane--deps",
        "lane--empty",
    }

    class Clicked(Message):
        """A card (or the empty space of a lane, index -1) was clicked; chain 2 is a double click."""

        def __init__(self, lane: CardLane, index: int, chain: int) -> None:
            super().__init__()
            self.lane = lane
            self.index = index
            self.chain = chain

    class DragDropped(Message):
        """A card dragged from `lane` was let go over `target` (another lane)."""

        def __init__(self, lane: CardLane, index: int, target: CardLane) -> None:
            super().__init__()
            self.lane = lane
            self.index = index
            self.target = target

    def __init__(self, window: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.window = window
        self.cards: list[dict[str, Any]] = []
        self.cursor = 0
        self.active = False
        self.today = date.today()
        self.empty_text = "No cards here. n adds one."
        self._styles: dict[str, Style] = {}
        #: Bumped when styles change; drawn lines are cached on each card dict under this key.
        self._style_gen = 0
        self._drag_from: int | None = None

    # ------------------------------------------------------------------ data

    def set_cards(self, cards: list[dict[str, Any]], cursor: int | None = None) -> None:
        """Show `cards` (already in order); keep the cursor index unless one is given."""
        self.cards = cards
        if cursor is not None:
            self.cursor = cursor
        self.cursor = max(0, min(self.cursor, len(cards) - 1))
        self._set_height(len(cards) * CARD_HEIGHT)
        self.scroll_to_cursor()
        self.refresh()

    def _set_height(self, height: int) -> None:
        """Set the scrollable height. When the scrollbar stays as it is (shown, or not needed,
        before and after), skip the screen layout a virtual_size change would cost: a moved
        card must not lay out the whole board again."""
        region = self.scrollable_content_region
        new = Size(region.width, height)
        old = self.virtual_size
        if new == old:
            return
        view = region.height
        if (
            self.is_mounted
            and view > 0
            and old.width == new.width
            and (old.height > view) == (height > view)
        ):
            self.set_reactive(CardLane.virtual_size, new)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = height
            return
        self.virtual_size = new

    @property
    def current(self) -> dict[str, Any] | None:
        if 0 <= self.cursor < len(self.cards):
            return self.cards[self.cursor]
        return None

    def move_cursor(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self.cards) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def set_active(self, active: bool, *, shown: bool = True) -> None:
        """Draw the cursor as the board's (active) or as a reminder; `shown` keeps the lane
        displayed when only the current lane is (a CSS class change costs a restyle, so it is
        only made when it matters)."""
        if active != self.active:
            self.active = active
            self.refresh()
        if shown != self.has_class("-current"):
            self.set_class(shown, "-current")

    def scroll_to_cursor(self) -> None:
        """Scroll so the cursor's card is in view, with the top line on a card's first line."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        if not self.cards:
            if self.scroll_offset.y:
                self.scroll_to(y=0, animate=False, immediate=True)
            return
        top = self.cursor * CARD_HEIGHT
        bottom = top + CARD_HEIGHT - 2  # the card's last line; its gap may stay hidden
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif bottom >= y + height:
            y = bottom - height + 1
        y = min(y, max(0, len(self.cards) * CARD_HEIGHT - height))
        if y % CARD_HEIGHT:
            down = y - y % CARD_HEIGHT
            up = down + CARD_HEIGHT
            y = down if bottom < down + height else up
        if y != self.scroll_offset.y:
            self.scroll_to(y=y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(
            self.scrollable_content_region.width, len(self.cards) * CARD_HEIGHT
        )
        self.scroll_to_cursor()

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._style_gen += 1

    def _style(self, name: str) -> Style:
        found = self._styles.get(name)
        if found is None:
            # Full styles: colours with alpha (muted text) are blended with the background here,
            # which a terminal can't do.
            found = self._styles[name] = self.get_component_rich_style(f"lane--{name}")
        return found

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._styles.get("") or self._styles.setdefault("", self.rich_style)
        line = self.scroll_offset.y + y
        index, sub = divmod(line, CARD_HEIGHT)
        if not self.cards:
            if y == 0:
                return Strip(
                    [Segment(" " + _fit(self.empty_text, width - 1), base + self._style("empty"))]
                ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self.cards) or sub == CARD_HEIGHT - 1:
            return Strip.blank(width, base)
        card = self.cards[index]
        selected = index == self.cursor
        key = (sub, width, selected, selected and self.active, self._style_gen, self.today)
        cache = card.get("_strips")
        if cache is None:
            cache = card["_strips"] = {}
        strip = cache.get(key)
        if strip is not None:
            return strip
        segments = self._card_line(card, sub, width)
        if selected:
            over = self._style("cursor" if self.active else "cursor-idle")
            back = Style(bgcolor=over.bgcolor)
            # The active cursor's text takes the colour made for its background (the RAG bar
            # keeps its own); the idle one only shades the card.
            fore = Style(color=over.color, bold=over.bold) if self.active else Style()
            segments = [
                Segment(text, base + style + back + (fore if n else Style()))
                for n, (text, style, _) in enumerate(segments)
            ]
            strip = Strip(segments).adjust_cell_length(width, base + back)
        else:
            strip = Strip([Segment(t, base + s) for t, s, _ in segments]).adjust_cell_length(
                width, base
            )
        if len(cache) > 8:
            cache.clear()
        cache[key] = strip
        return strip

    def _card_line(self, card: dict[str, Any], sub: int, width: int) -> list[Segment]:
        rag = card.get("rag") or "green"
        rag_style = self._style(rag if rag in ("green", "yellow", "red") else "meta")
        bar = Segment("▌", rag_style)
        done = card.get("state") == "done"
        if sub == 0:
            num = f"#{card.get('num')} "
            room = width - 1 - cell_len(num)
            title_style = self._style("done") if done else self._style("title")
            return [
                bar,
                Segment(num, self._style("num")),
                Segment(_fit(card.get("title") or "", room), title_style),
            ]
        # On the facts line the bar becomes the RAG's mark (●G ▲Y ■R): the bar is colour only.
        # The letter keeps a green card's ● apart from the done state's ●.
        mark = rag_mark(rag) if rag in ("green", "yellow", "red") else "▌"
        return [Segment(mark, rag_style), *self._facts(card, width - cell_len(mark))]

    def _facts(self, card: dict[str, Any], room: int) -> list[Segment]:
        meta, warn, deps = self._style("meta"), self._style("warn"), self._style("deps")
        state = card.get("state") or "todo"
        done = state == "done"
        # Narrow lanes keep the state's mark only (done is struck through, blocked says so).
        shown = state if room >= 34 else ""
        parts: list[Segment] = [
            Segment(
                f" {STATE_MARK.get(state, '?')} {shown}".rstrip(),
                warn if state == "blocked" else meta,
            )
        ]
        if state == "blocked":
            parts[0] = Segment(f" ⚠ {state}", warn)
        if card.get("conflict"):
            parts.append(Segment(" ⚠ conflict", warn))
        handle = card.get("owner_handle")
        if handle:
            parts.append(Segment(f" @{handle}", meta))
        due_text = card.get("due")
        if due_text and not done:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                due = None
            if due is not None:
                late = is_late(due, self.today)
                parts.append(
                    Segment(
                        f" {'⚠ ' if late else ''}{human_due(due, self.today)}",
                        warn if late else meta,
                    )
                )
        if card.get("open_deps"):
            parts.append(Segment(f" waits {card['open_deps']}", deps))
        out: list[Segment] = []
        used = 0
        for seg in parts:
            n = cell_len(seg.text)
            if used + n > room:
                out.append(Segment(_fit(seg.text, room - used), seg.style))
                break
            out.append(seg)
            used += n
        return out

    # ------------------------------------------------------------------ mouse

    def _index_at(self, event: events.MouseEvent) -> int:
        offset = event.get_content_offset(self)
        if offset is None:
            return -1
        index = (offset.y + self.scroll_offset.y) // CARD_HEIGHT
        return index if 0 <= index < len(self.cards) else -1

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self, self._index_at(event), event.chain))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._index_at(event)
        if index >= 0:
            self._drag_from = index
            self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        start, self._drag_from = self._drag_from, None
        self.capture_mouse(False)
        if start is None:
            return
        target, _ = self.screen.get_widget_at(event.screen_x, event.screen_y)
        while target is not None and not isinstance(target, CardLane):
            target = target.parent  # type: ignore[assignment]
        if isinstance(target, CardLane) and target is not self:
            self.post_message(self.DragDropped(self, start, target))
