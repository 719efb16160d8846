"""The 30-60-90 board (read-only for now): the cards of each window, side by side."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kickoff_tui import clock
from kickoff_tui.rules.dates import human_due, is_late
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS, format_range, window_of
from kickoff_tui.screens.base import KickoffScreen
from kickoff_tui.store import queries

RAG_STYLE = {"green": "$success", "yellow": "$warning", "red": "$error"}
STATE_MARK = {"todo": "○", "doing": "◐", "blocked": "⊘", "done": "●"}


class BoardScreen(KickoffScreen):
    """Cards by window: 0–30, 31–60, 61–90 days after kickoff, and later."""

    CSS_PATH = "board.tcss"
    MODE = "board"
    LABEL = "Board"
    HELP = "The 30-60-90 plan: every action in the window it belongs to, with its owner."

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="board"):
            for window in WINDOWS:
                with Vertical(classes="lane", id=f"lane-{window}"):
                    yield Static(id=f"head-{window}", classes="lane-head", markup=False)
                    yield OptionList(id=f"cards-{window}", markup=False)

    def reload(self) -> None:
        ws = self.app.workspace
        kickoff = date.fromisoformat(ws["kickoff_date"])
        tz = ws.get("timezone") or "UTC"
        today = clock.today(tz)
        current = window_of(today, kickoff, tz)
        lanes: dict[str, list] = {w: [] for w in WINDOWS}
        for card in queries.board_cards(self.store):
            lanes.setdefault(card["window"] or "30", []).append(card)
        for window in WINDOWS:
            cards = lanes[window]
            done = sum(1 for c in cards if c["state"] == "done")
            head = Content.assemble(
                (WINDOW_LABELS[window], "bold"),
                f"  {format_range(window, kickoff)}",
                f"\n{done}/{len(cards)} done",
                ("  ● today" if window == current else "", "bold $accent"),
            )
            self.query_one(f"#head-{window}", Static).update(head)
            options = self.query_one(f"#cards-{window}", OptionList)
            options.clear_options()
            options.add_options([Option(_card_prompt(c, today), id=c["id"]) for c in cards])


def _card_prompt(card, today: date) -> Content:
    due = date.fromisoformat(card["due"]) if card["due"] else None
    done = card["state"] == "done"
    late = due is not None and is_late(due, today, done=done)
    warn = "⚠ " if (late or card["state"] == "blocked") and not done else ""
    title = Content.assemble(
        (f"#{card['num']} ", "dim"),
        (card["title"], "strike dim" if done else "bold"),
    )
    meta = [
        (f"▌{card['rag']} ", RAG_STYLE.get(card["rag"], "")),
        f"{STATE_MARK.get(card['state'], '')} {card['state']}",
    ]
    if card["owner_handle"]:
        meta.append(f" @{card['owner_handle']}")
    if due and not done:
        meta.append((f" {warn}{human_due(due, today)}", "$error" if late else ""))
    if card["open_deps"]:
        meta.append((f" ⧗{card['open_deps']}", "$warning"))
    return Content.assemble(title, "\n", *meta)
