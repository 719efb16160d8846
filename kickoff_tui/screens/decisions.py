"""`6`: the decision log — what was decided, by whom, when it was published, what it affects.

A decision accepted more than 24 hours ago and still unpublished is flagged. `p` publishes: it
stamps published_at, copies the Markdown entry to the clipboard and writes it to a file beside
the workspace (terminal clipboards are unreliable, so the file is always there). `s` supersedes:
a new decision linked to the old one, which becomes superseded in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.rules.status import labelled
from kickoff_tui.screens.base import FilteredScreen, card_ref_parser
from kickoff_tui.store import people as people_store
from kickoff_tui.store import queries
from kickoff_tui.store import review as rv
from kickoff_tui.store.errors import StoreError
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, MUTED, OK, RAG, WARN, Toned, strong

STATUS_STYLE = {
    "proposed": WARN,
    "accepted": OK,
    "rejected": MUTED,
    "superseded": "dim strike",
}
#: A decision's RAG in the table: red in bold, as the risk that needs someone.
RAG_STYLE = {**RAG, "red": strong(BAD)}
#: Below this width the table keeps the essentials; the panel under it shows everything.
WIDE = 110


def _short(d: date | None) -> str:
    return f"{d:%b} {d.day}" if d else "–"


class DecisionScreen(FilteredScreen):
    """The decision log, newest first, with the highlighted decision in full underneath."""

    CSS_PATH = "decisions.tcss"
    MODE = "decisions"
    LABEL = "Decisions"
    HELP = (
        "Decisions with owner, status and RAG. Publish within 24 hours of accepting: "
        "p copies the entry and writes it to a file."
    )
    BINDINGS = [
        Binding("n", "new", "New decision", id="decisions.new"),
        Binding("enter", "edit", "Edit", id="decisions.edit"),
        Binding("s", "supersede", "Supersede", id="decisions.supersede"),
        Binding("p", "publish", "Publish", id="decisions.publish"),
    ]
    EXTRA_HELP = [("click a row twice", "Edit that decision")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}
        self._width: int | None = None

    def compose_body(self) -> ComposeResult:
        yield KeyTable(id="decision-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="decision-detail", markup=False)

    # ------------------------------------------------------------------ reading

    @property
    def table(self) -> KeyTable:
        return self.query_one("#decision-table", KeyTable)

    def on_resize(self) -> None:
        """The title column takes the width that is left, so a new width lays the table out again."""
        if self._width is not None and self._width != self.size.width:
            self.load()

    def reload(self) -> None:
        table = self.table
        keep = self.current_id()
        tz = self.session.workspace.get("timezone") or "UTC"
        today = clock.today(tz)
        log = rv.decision_log(self.store)
        self.rows = {d["id"]: d for d in log}
        self._width = self.size.width or self.app.size.width
        wide = self._width >= WIDE
        conflicted = queries.conflicted_ids(self.store, "decision")  # ⚠: see the conflicts view (!)
        columns = ["#", "Title", "Status", "RAG", "Owner"]
        columns += ["Decided", "Published", "Due", "Affects"] if wide else ["Published"]
        rows = []
        for d in log:
            owner = d["owner_name"] or ""
            cells = [
                Text(f"D{d['num']}", style="dim"),
                Toned.assemble(
                    ("⚠ ", strong(WARN)) if d["id"] in conflicted else "",
                    d["title"] or "",
                    overflow="ellipsis",
                    no_wrap=True,
                ),
                Toned(d["status"] or "", style=STATUS_STYLE.get(d["status"], "")),
                Toned(labelled(d["rag"]) if d["rag"] else "", style=RAG_STYLE.get(d["rag"], "")),
                Text(
                    owner if wide else owner.split(" ")[0] if owner else "",
                    style="" if owner else "dim",
                ),
            ]
            if wide:
                cells.append(Text(_short(rv.local_day(d["decided_at"], tz))))
            cells.append(self._published_cell(d, tz))
            if wide:
                due = date.fromisoformat(d["due"]) if d["due"] else None
                late = due is not None and due < today and d["status"] == "proposed"
                cells.append(Toned(_short(due), style=strong(BAD) if late else ""))
                cells.append(Text(_affects(d), overflow="ellipsis", no_wrap=True))
            rows.append(cells)
        set_columns(table, columns, rows, fill="Title", width=self._width, fill_min=16)
        for d, cells in zip(log, rows):
            table.add_row(*cells, key=d["id"])
        move_to_key(table, keep)
        self._show_detail()

    @staticmethod
    def _published_cell(d: dict[str, Any], tz: str) -> Text:
        if d["published_at"]:
            return Text(_short(rv.local_day(d["published_at"], tz)))
        if d["late"]:
            return Toned("⚠ overdue", style=strong(BAD))
        due = rv.publish_due(d)
        if due is not None:
            stamp = rv.local_stamp(clock.iso(due), tz)
            today = clock.today(tz).isoformat()
            when = stamp[11:] if stamp.startswith(today) else _short(date.fromisoformat(stamp[:10]))
            return Toned(f"by {when}", style=WARN)
        return Text("–", style="dim")

    def current_id(self) -> str | None:
        return cursor_key(self.table)

    def current(self) -> dict[str, Any] | None:
        found = self.rows.get(self.current_id() or "")
        if found is None:
            self.notify("No decision here yet: press n to record one.", markup=False)
        return found

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#decision-detail", Static)
        d = self.rows.get(self.current_id() or "")
        if d is None:
            detail.update(
                Content.styled("No decisions yet. Press n to record the first one.", "$text-muted")
            )
            return
        tz = self.session.workspace.get("timezone") or "UTC"
        facts = [Content.styled(d["status"], "bold")]
        if d["rag"]:
            facts.append(
                Content.styled(
                    labelled(d["rag"]),
                    RAG.get(d["rag"], ""),
                )
            )
        facts.append(Content(d["owner_name"] or "no owner"))
        if d["decided_at"]:
            facts.append(Content(f"decided {rv.local_stamp(d['decided_at'], tz)}"))
        if d["published_at"]:
            facts.append(Content(f"published {rv.local_stamp(d['published_at'], tz)}"))
        elif d["late"]:
            facts.append(Content.styled("⚠ not published within 24 h: press p", "bold $text-error"))
        if d["due"]:
            facts.append(Content(f"due {d['due']}"))
        lines = [
            Content.assemble((f"D{d['num']} ", "$text-muted"), (d["title"] or "", "bold")),
            Content(" · ").join(facts),
        ]
        links = rv.decision_links(d)
        chain = []
        if d["supersedes_num"]:
            chain.append(f"supersedes D{d['supersedes_num']}")
        if d["superseded_by_num"]:
            chain.append(f"superseded by D{d['superseded_by_num']}")
        if links or chain:
            lines.append(
                Content.assemble(
                    ("Affects ", "$text-muted"),
                    "; ".join(links) or "–",
                    ("  " + " · ".join(chain) if chain else "", "italic"),
                )
            )
        for name, text in (("Context", d["context"]), ("Outcome", d["outcome"])):
            if text:
                lines.append(Content.assemble((f"{name} ", "$text-muted"), " ".join(text.split())))
        detail.update(Content("\n").join(lines))

    # ------------------------------------------------------------------ the form

    def _fields(self, d: dict[str, Any] | None, *, status: str = "proposed") -> list[Field]:
        store = self.store
        people = [
            (p["name"] or p["handle"] or "?", p["id"])
            for p in queries.people(store, keep=[(d or {}).get("owner_id")])
        ]
        me = people_store.me(store)
        krs = [(f"KR{k['num']} {k['title']}", k["id"]) for k in queries.titles(store, "key_result")]
        risks = [(f"R{r['num']} {r['title']}", r["id"]) for r in queries.titles(store, "risk")]
        statuses = ["proposed", "accepted", "rejected"]
        current = (d or {}).get("status") or status
        if current == "superseded":
            statuses.append("superseded")
        d = d or {}

        return [
            Field("title", "Title", value=d.get("title"), required=True, max_len=200),
            Field(
                "status",
                "Status",
                kind="choice",
                value=current,
                required=True,
                choices=[(s, s) for s in statuses],
            ),
            Field(
                "rag",
                "RAG",
                kind="choice",
                value=d.get("rag") or "green",
                required=True,
                choices=[(r, r) for r in rv.RAGS],
            ),
            Field("owner_id", "Owner", kind="choice", value=d.get("owner_id", me), choices=people),
            Field("due", "Due", kind="date", value=d.get("due"), hint="2026-12-01, +3d, friday"),
            Field("context", "Context", kind="textarea", value=d.get("context")),
            Field("outcome", "Outcome", kind="textarea", value=d.get("outcome")),
            Field(
                "card_id",
                "Card #",
                value=d.get("card_num"),
                parse=card_ref_parser(store),
                hint="the board card it affects, by number",
            ),
            Field(
                "key_result_id",
                "Key result",
                kind="choice",
                value=d.get("key_result_id"),
                choices=krs,
            ),
            Field("risk_id", "Risk", kind="choice", value=d.get("risk_id"), choices=risks),
        ]

    @staticmethod
    def _values(result: dict[str, Any]) -> dict[str, Any]:
        values = dict(result)
        if isinstance(values.get("due"), date):
            values["due"] = values["due"].isoformat()
        return values

    @changes
    @opens_form("decision-form")
    async def action_new(self) -> None:
        """Record a new decision."""
        result = await self.app.push_screen_wait(FormScreen("New decision", self._fields(None)))
        if result is None:
            return
        new_id = self.session.edit(rv.save_decision, self.store, self._values(result))
        self.show_record(new_id)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    @changes
    @opens_form("decision-form")
    async def action_edit(self) -> None:
        """Edit the highlighted decision."""
        d = self.current()
        if d is None:
            return
        result = await self.app.push_screen_wait(FormScreen(f"Edit D{d['num']}", self._fields(d)))
        if result is not None:
            self.session.edit(rv.save_decision, self.store, self._values(result), d["id"])

    @changes
    @opens_form("decision-form")
    async def action_supersede(self) -> None:
        """Record a new decision that replaces the highlighted one."""
        d = self.current()
        if d is None:
            return
        if d["status"] == "superseded":
            self.notify(
                f"D{d['num']} is already superseded"
                + (f" by D{d['superseded_by_num']}" if d["superseded_by_num"] else "")
                + ".",
                markup=False,
            )
            return
        start = {
            k: d[k]
            for k in (
                "title",
                "rag",
                "owner_id",
                "due",
                "context",
                "card_num",
                "key_result_id",
                "risk_id",
            )
        }
        result = await self.app.push_screen_wait(
            FormScreen(
                f"Supersede D{d['num']}: the new decision",
                self._fields(start, status="accepted"),
                submit="Supersede",
            )
        )
        if result is None:
            return
        new_id = self.session.edit(rv.supersede_decision, self.store, d["id"], self._values(result))
        if new_id:
            self.show_record(new_id)
            self.notify(f"D{d['num']} is superseded by the new decision.", markup=False)

    @changes
    def action_publish(self) -> None:
        """Publish: stamp published_at, copy the Markdown entry and write it to a file."""
        d = self.current()
        if d is None:
            return
        first = self.session.edit(rv.publish_decision, self.store, d["id"])
        if first is None:
            return
        try:
            text = rv.decision_markdown(self.store, d["id"])
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        copied = self.app.copy_text(text)
        try:
            where = f"written to {rv.write_decision_file(self.store, d['id'], text)}"
        except OSError as exc:
            where = f"the file couldn't be written ({exc.strerror or exc})"
        said = "Published" if first else "Already published"
        self.notify(f"{said} D{d['num']}: {copied}; {where}.", markup=False, timeout=10)


def _affects(d: dict[str, Any]) -> str:
    parts = []
    if d["card_num"]:
        parts.append(f"#{d['card_num']}")
    if d["kr_num"]:
        parts.append(f"KR{d['kr_num']}")
    if d["risk_num"]:
        parts.append(f"R{d['risk_num']}")
    if d["supersedes_num"]:
        parts.append(f"replaces D{d['supersedes_num']}")
    return " ".join(parts) or "–"
