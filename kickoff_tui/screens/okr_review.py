"""The monthly OKR review (OKRs `R`, or the palette): a guided session over every objective and
key result in turn.

The table lists each row with its progress now and at the last review and the verdict given;
the panel under it shows the highlighted row in full (check-ins since, confidence trend, open
blockers and risks). `enter` records a verdict — keep, adjust the target, drop, add a key
result — with a note; a change runs as ordinary edits (undo with ctrl+z, one edit at a time)
and is logged as a decision; the cursor then moves to the next row without a verdict. The
review lives in synced rows, so everyone in the meeting sees the same verdicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules.okr_review import VERDICT_LABELS
from kickoff_tui.rules.status import labelled
from kickoff_tui.screens.base import WorkspaceChanged
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store import okr_review as orv
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.review import write_beside
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.footer import KeyFooter
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen
from kickoff_tui.widgets.review_item import ReviewItemPanel, verdict_text
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, INFO, OK, PACE, WARN, Toned

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.session import Session

VERDICT_STYLE = {"keep": OK, "adjust": WARN, "drop": BAD, "add": INFO}


def me_id(session: Session) -> str | None:
    """This machine's person id (Session.me gives the id today; a person row is read too)."""
    found: Any = session.me()
    if isinstance(found, dict):
        found = found.get("id")
    return found if isinstance(found, str) and found else None


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:>4.0%}"


class OkrReviewScreen(ListFilter):
    """One monthly OKR review, row by row."""

    CSS_PATH = "okr_review.tcss"
    LABEL = "OKR review"
    HELP = (
        "The monthly OKR review: for each objective and key result, progress now and at the "
        "last review, check-ins since, confidence, blockers and risks; enter records a verdict."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,v", "verdict", "Verdict", key_display="enter", id="okr_review.verdict"),
        Binding("x", "export", "Export", id="okr_review.export"),
        Binding("E", "end", "End review", key_display="E", id="okr_review.end"),
        Binding("escape,q", "close", "Back", id="okr_review.close"),
        FILTER_KEY,
    ]

    app: KickoffApp

    def __init__(self, review_id: str) -> None:
        super().__init__()
        self.review_id = review_id
        self.data: orv.ReviewSession | None = None

    @property
    def session(self) -> Session:
        return self.app.session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="okrr-title", markup=False)
        yield KeyTable(id="okrr-table", cursor_type="row", zebra_stripes=True)
        yield ReviewItemPanel(id="okrr-panel", markup=False)
        yield from self.compose_filter()
        yield KeyFooter()

    @property
    def table(self) -> DataTable:
        return self.query_one("#okrr-table", DataTable)

    def on_mount(self) -> None:
        self.sub_title = "Monthly OKR review"
        self.reload()
        self.table.focus()

    def on_workspace_changed(self, message: WorkspaceChanged) -> None:
        """A teammate's verdict (or a sync) shows up while the review is open."""
        self.reload()

    def on_resize(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        try:
            data = orv.agenda(self.session.store, self.review_id)
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self.dismiss(None)
            return
        self.data = data
        keep = cursor_key(self.table)
        attendees = ", ".join(data.attendees) or "nobody named"
        state = "ended" if data.ended else f"{data.done} of {len(data.items)} verdicts"
        last = f"last review {data.previous}" if data.previous else "first review"
        self.query_one("#okrr-title", Static).update(
            f"{data.held_on} · {state} · {last}\nAttendees: {attendees}"
        )
        width = self.size.width or self.app.size.width
        columns = ["#", "Objective / key result", "Now", "Pace", "Last", "Verdict"]
        rows = []
        for item in data.items:
            kr = item.row_kind == "key_result"
            verdict = (item.verdict or {}).get("verdict") or ""
            rows.append(
                (
                    item.id,
                    [
                        Text(item.ref, style="dim" if kr else "bold"),
                        Text(
                            (" " if kr else "") + item.title,
                            style="" if kr else "bold",
                            overflow="ellipsis",
                            no_wrap=True,
                        ),
                        Text(_pct(item.progress)),
                        Toned(labelled(item.pace), style=PACE.get(item.pace, "")),
                        Text(_pct(item.then_progress), style="dim"),
                        Toned(
                            verdict_text(item.verdict) if width >= 100 else verdict or "·",
                            style=VERDICT_STYLE.get(verdict, "dim"),
                        ),
                    ],
                )
            )
        set_columns(
            self.table,
            columns,
            [cells for _, cells in rows],
            fill="Objective / key result",
            width=width,
            fill_min=14,
            key=str,
        )
        for key, cells in rows:
            self.table.add_row(*cells, key=key)
        if not move_to_key(self.table, keep):
            self._to_next_open(None)
        self._show_panel()

    def _current(self) -> orv.ReviewItem | None:
        key = cursor_key(self.table)
        if self.data is None or key is None:
            return None
        return next((i for i in self.data.items if i.id == key), None)

    def _show_panel(self) -> None:
        self.query_one(ReviewItemPanel).show(
            self._current(), self.data.previous if self.data else None
        )

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_panel()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_verdict()

    def _to_next_open(self, after: str | None) -> None:
        """Put the cursor on the first row shown after item `after` (None: from the top)
        without a verdict, or stay. By key: `/` may hide rows."""
        if self.data is None:
            return
        ids = [item.id for item in self.data.items]
        start = ids.index(after) + 1 if after in ids else 0
        for item in self.data.items[start:]:
            if not item.verdict and move_to_key(self.table, item.id):
                return

    # ------------------------------------------------------------------ actions

    @changes
    @opens_form("okr-review-form")
    async def action_verdict(self) -> None:
        """Record the verdict on the highlighted row (keep, adjust, drop, add a key result)."""
        item = self._current()
        if item is None or self.data is None:
            return
        if self.data.ended:
            self.notify("This review has ended; start a new one from the OKRs screen (R).")
            return
        if item.value_text == "deleted":
            self.notify(f"{item.ref} was dropped in this review.", markup=False)
            return
        before = item.verdict or {}
        unit = f" in {item.unit}" if item.unit else ""

        def check(values: dict[str, Any]) -> dict[str, str]:
            verdict = values.get("verdict")
            if verdict == "adjust" and values.get("new_target") is None:
                return {"new_target": "Type the new target."}
            if verdict == "add" and not values.get("new_title"):
                return {"new_title": "Type the new key result's title."}
            return {}

        result = await self.app.push_screen_wait(
            FormScreen(
                f"Verdict on {item.ref} {item.title}",
                [
                    Field(
                        "verdict",
                        "Verdict",
                        kind="choice",
                        required=True,
                        value=before.get("verdict") or "keep",
                        choices=[(VERDICT_LABELS[v], v) for v in item.verdicts],
                    ),
                    Field(
                        "new_target",
                        "New target",
                        kind="number",
                        hint=f"adjust or add: the target{unit}",
                    ),
                    Field("new_title", "New KR title", hint="add: the new key result's title"),
                    Field(
                        "note",
                        "Note",
                        max_len=orv.NOTE_MAX,
                        value=before.get("note"),
                        hint="why: it goes into the decision",
                    ),
                ],
                submit="Record",
                check=check,
            )
        )
        if result is None:
            return
        saved = self.session.safe(
            orv.apply_verdict,
            self.session.store,
            self.review_id,
            item.id,
            result["verdict"],
            note=result.get("note"),
            new_target=result.get("new_target"),
            new_title=result.get("new_title"),
            author_id=me_id(self.session),
            run=self.session.edit,
        )
        if saved:
            self.reload()
            self._to_next_open(item.id)
            self._show_panel()

    def action_export(self) -> None:
        """Write this review as Markdown beside the workspace file."""
        self._export()

    @work(thread=True, exclusive=True, group="okr-review-export")
    def _export(self) -> None:
        store = self.session.store
        try:
            text = orv.review_markdown(store, self.review_id)
            day = self.data.held_on if self.data else "review"
            target = write_beside(store, "okr-reviews", f"{day}.md", text)
        except (OSError, StoreError) as exc:
            self.app.call_from_thread(
                self.notify, f"Couldn't write the review: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self.notify, f"Review written to {target}", markup=False)

    @changes
    @opens_form("okr-review-form")
    async def action_end(self) -> None:
        """End the review (it stays saved; the next review compares with it)."""
        if self.data is None or self.data.ended:
            return
        missing = len(self.data.items) - self.data.done
        question = "End the review?" + (f" {missing} rows have no verdict yet." if missing else "")
        if await self.app.push_screen_wait(ConfirmScreen(question, yes="End")):
            self.session.edit(orv.end_review, self.session.store, self.review_id)
            self.reload()

    def refilter(self) -> None:
        self.reload()

    def action_close(self) -> None:
        """esc clears a filter first, then goes back."""
        if not self.clear_filter():
            self.dismiss(None)


async def open_review(app: KickoffApp) -> None:
    """Open the running review, or start one (asking who attends)."""
    session = app.session
    running = session.safe(orv.open_review, session.store)
    if running:
        app.push_screen(OkrReviewScreen(running))
        return
    if session.readonly:
        session.report(f"{session.store.readonly_why}: no review can be started.", "Read-only")
        return
    store = session.store

    def attendees(text: str) -> list[str]:
        try:
            return orv.attendee_ids(store, text)
        except StoreError as exc:
            raise ValueError(exc.message) from None

    result = await app.push_screen_wait(
        FormScreen(
            "Monthly OKR review",
            [
                Field(
                    "attendees",
                    "Attendees",
                    value=session.safe(orv.team_handles, store) or "",
                    required=True,
                    parse=attendees,
                    hint="handles, e.g. ana ben chloe",
                )
            ],
            submit="Start",
        )
    )
    if result is None:
        return
    review_id = session.edit(orv.start_review, store, result["attendees"], me_id(session))
    if review_id:
        app.push_screen(OkrReviewScreen(review_id))
