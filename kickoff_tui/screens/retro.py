"""The retrospective (palette, or the review page's `R` from day 80): three columns — went well,
didn't go well, change — each item with its author and votes.

A new retro starts with what the data says (key results that moved most and least, cards late,
risks that happened) and, at the top, what became of the last retro's actions. `a` adds an
item, `+` votes (again to take it back; one vote per person), `c` turns the item into a card
with an owner in the next window, `r` into a risk update, `D` into a decision. Items and votes
are synced rows, so teammates' items show up as they type them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules.retro import KIND_LABELS, KINDS, next_window
from kickoff_tui.rules.risk import STATUSES
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS
from kickoff_tui.screens.base import WorkspaceChanged
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.screens.okr_review import me_id
from kickoff_tui.store import queries
from kickoff_tui.store import retro as rt
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.review import write_beside
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.footer import KeyFooter
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen
from kickoff_tui.widgets.retro_column import RetroColumn

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.session import Session

OUTCOME_STYLE = {"done": "$text-success", "deleted": "$text-muted"}


class RetroScreen(ListFilter):
    """One retrospective: three columns of items, votes and actions."""

    CSS_PATH = "retro.tcss"
    LABEL = "Retro"
    HELP = (
        "The retrospective: went well, didn't go well, change. a adds an item, + votes (one "
        "per person), c makes it a card with an owner, r a risk update, D a decision."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="retro.add"),
        Binding("plus,equals_sign", "vote", "Vote", key_display="+", id="retro.vote"),
        Binding(
            "c", "card", "Card", tooltip="Turn the item into a card with an owner", id="retro.card"
        ),
        Binding("r", "risk", "Risk", tooltip="Turn the item into a risk update", id="retro.risk"),
        Binding(
            "D",
            "decision",
            "Decision",
            key_display="D",
            tooltip="Record a decision",
            id="retro.decision",
        ),
        Binding("left,h", "column(-1)", "Column", show=False, id="retro.column_prev"),
        Binding("right,l", "column(1)", "Column", show=False, id="retro.column_next"),
        Binding("x", "export", "Export", id="retro.export"),
        Binding("E", "end", "End retro", key_display="E", id="retro.end"),
        Binding("escape,q", "close", "Back", id="retro.close"),
        FILTER_KEY,
    ]

    app: KickoffApp

    def __init__(self, retro_id: str) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.data: rt.RetroBoard | None = None
        self.column = KINDS[0]

    @property
    def session(self) -> Session:
        return self.app.session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="retro-title", markup=False)
        with Horizontal(id="retro-board"):
            for kind in KINDS:
                yield RetroColumn(kind, id=f"retro-{kind}")
        yield Static(id="retro-detail", markup=False)
        yield from self.compose_filter()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Retrospective"
        self.reload()
        self._column(self.column).table.focus()

    def on_workspace_changed(self, message: WorkspaceChanged) -> None:
        """A teammate's item or vote (or a sync) shows up at once."""
        self.reload()

    def on_resize(self) -> None:
        if self.data is not None:
            self.reload()

    def filter_lists(self) -> list[Widget]:
        """`/` narrows all three columns; the focus goes back to the current one."""
        kinds = [self.column, *(k for k in KINDS if k != self.column)]
        return [self._column(kind).table for kind in kinds]

    def refilter(self) -> None:
        self.reload()

    def _column(self, kind: str) -> RetroColumn:
        return self.query_one(f"#retro-{kind}", RetroColumn)

    def reload(self) -> None:
        try:
            data = rt.board(self.session.store, self.retro_id, me_id(self.session))
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self.dismiss(None)
            return
        self.data = data
        whole = self.size.width or self.app.size.width
        for kind in KINDS:
            column = self._column(kind)
            column.show(data.columns[kind], column.size.width or whole // 3)
        state = " · ended" if data.ended else ""
        lines = [Content.styled(f"{data.held_on} · day {data.day}{state}", "bold")]
        if data.last_held_on:
            parts: list[Content | str] = [f"Last retro ({data.last_held_on}): "]
            for n, action in enumerate(data.last_actions):
                if n:
                    parts.append(" · ")
                parts.append(action.action.removeprefix("→ ") + " ")
                parts.append(Content.styled(action.outcome, OUTCOME_STYLE.get(action.outcome, "")))
            if not data.last_actions:
                parts.append(Content.styled("no actions", "$text-muted"))
            lines.append(Content.assemble(*parts))
        self.query_one("#retro-title", Static).update(Content("\n").join(lines))
        self._show_detail()

    def _current(self) -> rt.RetroItem | None:
        item_id = self._column(self.column).current
        return self.data.item(item_id) if self.data and item_id else None

    def _show_detail(self) -> None:
        item = self._current()
        detail = self.query_one("#retro-detail", Static)
        if item is None:
            detail.update(
                Content.styled(f"{KIND_LABELS[self.column]}: a adds an item", "$text-muted")
            )
            return
        votes = f"{item.votes} vote{'s' if item.votes != 1 else ''}"
        detail.update(
            Content.assemble(
                item.text,
                (f" — {item.author} · {votes}", "$text-muted"),
                *((Content.styled(f" {item.action}", "$text-success"),) if item.action else ()),
            )
        )

    @on(RetroColumn.Highlighted)
    def _highlighted(self, message: RetroColumn.Highlighted) -> None:
        if self.focused is not None and self.focused is not message.column.table:
            return  # from a column the focus has already left (keys typed in a burst)
        self.column = message.column.kind
        self._show_detail()

    def action_column(self, step: int) -> None:
        """Move to the column on the left or right, at once: the next key of a burst (`right
        right`) moves on from this column, not from the one its message has yet to leave."""
        self.column = KINDS[(KINDS.index(self.column) + step) % len(KINDS)]
        self.set_focus(self._column(self.column).table)
        self._show_detail()

    # ------------------------------------------------------------------ actions

    def _item_or_say(self) -> rt.RetroItem | None:
        item = self._current()
        if item is None:
            self.notify("No item here yet: press a to add one.", markup=False)
        return item

    @changes
    @opens_form("retro-form")
    async def action_add(self) -> None:
        """Add an item to a column (the one with the cursor, or another)."""
        result = await self.app.push_screen_wait(
            FormScreen(
                "Retro item",
                [
                    Field(
                        "kind",
                        "Column",
                        kind="choice",
                        required=True,
                        value=self.column,
                        choices=[(KIND_LABELS[k], k) for k in KINDS],
                    ),
                    Field("text", "Item", required=True, max_len=rt.ITEM_MAX),
                ],
                submit="Add",
            )
        )
        if result is None:
            return
        store = self.session.store
        new_id = self.session.edit(
            rt.add_item, store, self.retro_id, result["kind"], result["text"], me_id(self.session)
        )
        if new_id:
            self.reload()
            self._column(result["kind"]).table.focus()
            from kickoff_tui.widgets.tables import move_to_key

            move_to_key(self._column(result["kind"]).table, new_id)

    @changes
    def action_vote(self) -> None:
        """Vote for the item (press again to take the vote back)."""
        item = self._item_or_say()
        if item is None:
            return
        self.session.edit(rt.toggle_vote, self.session.store, item.id, me_id(self.session))

    def _people(self) -> list[tuple[str, Any]]:
        return [(p["name"], p["id"]) for p in queries.people(self.session.store)]

    @changes
    @opens_form("retro-form")
    async def action_card(self) -> None:
        """Turn the item into a card with an owner, in the next window."""
        item = self._item_or_say()
        if item is None or self.data is None:
            return
        window = next_window(self.data.day)
        result = await self.app.push_screen_wait(
            FormScreen(
                "Action card",
                [
                    Field("title", "Title", required=True, value=item.text, max_len=200),
                    Field(
                        "owner_id", "Owner", kind="choice", required=True, choices=self._people()
                    ),
                    Field(
                        "window",
                        "Window",
                        kind="choice",
                        required=True,
                        value=window,
                        choices=[(WINDOW_LABELS[w], w) for w in WINDOWS],
                    ),
                ],
                submit="Add card",
            )
        )
        if result is not None:
            self._act(item, "card", result)

    @changes
    @opens_form("retro-form")
    async def action_risk(self) -> None:
        """Turn the item into a risk update (its text goes into the risk's mitigation)."""
        item = self._item_or_say()
        if item is None:
            return
        risks = [(f"R{r['num']} {r['title']}", r["id"]) for r in queries.risks(self.session.store)]
        if not risks:
            self.notify("No risks yet: add one on the Risks screen (3).", markup=False)
            return
        result = await self.app.push_screen_wait(
            FormScreen(
                "Risk update",
                [
                    Field("risk_id", "Risk", kind="choice", required=True, choices=risks),
                    Field(
                        "status",
                        "Status",
                        kind="choice",
                        choices=[(s, s) for s in STATUSES],
                        hint="leave empty to keep it",
                    ),
                ],
                submit="Update",
            )
        )
        if result is not None:
            self._act(item, "risk", result)

    @changes
    @opens_form("retro-form")
    async def action_decision(self) -> None:
        """Turn the item into a decision (proposed, or decided now)."""
        item = self._item_or_say()
        if item is None:
            return
        result = await self.app.push_screen_wait(
            FormScreen(
                "Decision",
                [
                    Field("title", "Title", required=True, value=item.text, max_len=200),
                    Field("owner_id", "Owner", kind="choice", choices=self._people()),
                    Field(
                        "status",
                        "Status",
                        kind="choice",
                        value="proposed",
                        choices=[("proposed", "proposed"), ("accepted", "accepted")],
                    ),
                ],
                submit="Record",
            )
        )
        if result is not None:
            self._act(item, "decision", result)

    def _act(self, item: rt.RetroItem, kind: str, values: dict[str, Any]) -> None:
        made = self.session.safe(
            rt.make_action, self.session.store, item.id, kind, values, run=self.session.edit
        )
        if made:
            self.notify(f"{item.text[:60]} became a {kind}.", markup=False)
            self.reload()

    def action_export(self) -> None:
        """Write this retro as Markdown beside the workspace file."""
        self._export()

    @work(thread=True, exclusive=True, group="retro-export")
    def _export(self) -> None:
        store = self.session.store
        try:
            text = rt.retro_markdown(store, self.retro_id)
            day = self.data.held_on if self.data else "retro"
            target = write_beside(store, "retros", f"{day}.md", text)
        except (OSError, StoreError) as exc:
            self.app.call_from_thread(
                self.notify, f"Couldn't write the retro: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self.notify, f"Retro written to {target}", markup=False)

    @changes
    @opens_form("retro-form")
    async def action_end(self) -> None:
        """End the retro (it stays saved; the next one shows what became of its actions)."""
        if self.data is None or self.data.ended:
            return
        if await self.app.push_screen_wait(ConfirmScreen("End the retrospective?", yes="End")):
            self.session.edit(rt.end_retro, self.session.store, self.retro_id)
            self.reload()

    def action_close(self) -> None:
        """esc clears a filter first, then goes back."""
        if not self.clear_filter():
            self.dismiss(None)


async def open_retro(app: KickoffApp) -> None:
    """Open the running retro, or start one (pre-filled from the data) after asking."""
    session = app.session
    running = session.safe(rt.open_retro, session.store)
    if running:
        app.push_screen(RetroScreen(running))
        return
    if session.readonly:
        last = session.safe(rt.find_retro, session.store, "last")
        if last:
            app.push_screen(RetroScreen(last))
        else:
            session.report(f"{session.store.readonly_why}: no retro can be started.", "Read-only")
        return
    ok = await app.push_screen_wait(
        ConfirmScreen(
            "Start a retrospective?",
            detail="It starts with what the data says: key results that moved most and least, "
            "cards late, risks that happened.",
            yes="Start",
            no="Not now",
        )
    )
    if not ok:
        return
    retro_id = session.edit(rt.start_retro, session.store, me_id(session))
    if retro_id:
        app.push_screen(RetroScreen(retro_id))
