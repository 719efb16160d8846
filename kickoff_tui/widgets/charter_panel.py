"""The Kickoff page's charter tab: what needs attention, the sections and the open questions
in one list, and the selected one in full under it.

It only draws what the screen gives it (:meth:`CharterPanel.show`) and says which row is
selected (:meth:`current`); the screen opens the forms and writes.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from kickoff_tui.rules.kickoff import CHARTER_SECTIONS
from kickoff_tui.store.charter import Charter
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, OK, Toned, strong


def short_day(value: Any) -> str:
    """ "Nov 2" for a stored date; the text as is when it isn't one; "–" when blank."""
    from kickoff_tui.rules import domains

    if not value:
        return "–"
    d = domains.day(value)
    return f"{d:%b} {d.day}" if d else str(value)


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def attention_line(items: list[str]) -> Content:
    """The ⚠ strip, or a quiet line saying nothing is late."""
    if not items:
        return Content.styled(
            "Nothing late: questions answered on time, communications sent.", "$text-muted"
        )
    return Content.assemble(("⚠ ", "bold"), Content(" · ".join(items)))


class CharterPanel(Vertical):
    """Sections and questions of the charter, with the selected one shown in full."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: Charter | None = None
        self.questions: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="charter-attention", markup=False)
        yield KeyTable(id="charter-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="charter-detail", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#charter-table", KeyTable)

    def show(self, data: Charter, late: list[str], width: int, select: str | None = None) -> None:
        """Draw the charter and the strip of what is late (questions, communications);
        `select`: a question's id to put the cursor on."""
        self.data = data
        self.questions = {q["id"]: q for q in data.questions}
        strip = self.query_one("#charter-attention", Static)
        strip.set_class(bool(late), "-flagged")
        strip.update(attention_line(late))
        keep = f"q:{select}" if select and select in self.questions else cursor_key(self.table)
        rows: list[list[Text]] = []
        keys: list[str] = []
        for name, title, _ in CHARTER_SECTIONS:
            text = one_line(data.sections[name])
            mark = "⚠ " if name in data.conflicts else ""
            rows.append(
                [
                    Text(mark + title, style="bold"),
                    Text(text, overflow="ellipsis", no_wrap=True)
                    if text
                    else Text("not written yet: e to write", style="dim"),
                ]
            )
            keys.append(f"s:{name}")
        for q in data.questions:
            if q["answer"]:
                state = Toned(f"Q{q['num']} ✓ answered", style=OK)
            elif q["late"]:
                state = Toned(
                    f"Q{q['num']} ⚠ was due {short_day(q['answer_by'])}", style=strong(BAD)
                )
            else:
                state = Toned(f"Q{q['num']} by {short_day(q['answer_by'])}", style="dim")
            if q["conflict"]:
                state.append(" ⚠")
            rows.append([state, Text(one_line(q["text"]), overflow="ellipsis", no_wrap=True)])
            keys.append(f"q:{q['id']}")
        set_columns(self.table, ["Section", "Text"], rows, fill="Text", width=width, fill_min=20)
        for key, cells in zip(keys, rows):
            self.table.add_row(*cells, key=key)
        if not move_to_key(self.table, keep) and rows:
            self.table.move_cursor(row=0, animate=False)
        self.show_detail()

    def current(self) -> tuple[str, Any] | None:
        """("section", name) or ("question", its row) for the highlighted row."""
        key = cursor_key(self.table)
        if not key:
            return None
        kind, _, rest = key.partition(":")
        if kind == "s":
            return ("section", rest)
        q = self.questions.get(rest)
        return ("question", q) if q else None

    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        panel = self.query_one("#charter-detail", Static)
        picked, data = self.current(), self.data
        if picked is None or data is None:
            panel.update("")
            return
        kind, what = picked
        if kind == "question":
            q = what
            facts = [q["owner_name"] or "no owner", f"answer by {short_day(q['answer_by'])}"]
            lines = [
                Content.assemble((f"Q{q['num']} ", "$text-muted"), (one_line(q["text"]), "bold")),
                Content(" · ".join(facts)),
                Content.assemble(("Answer ", "$text-muted"), one_line(q["answer"]))
                if q["answer"]
                else Content.styled("Not answered yet: a to answer.", "$text-muted"),
            ]
            panel.update(Content("\n").join(lines))
            return
        title, hint = next((t, h) for n, t, h in CHARTER_SECTIONS if n == what)
        text = data.sections[what]
        lines = [Content.styled(title, "bold")]
        if what in data.conflicts:
            lines.append(
                Content.styled("⚠ written on two machines at once: resolve with !", "$text-warning")
            )
        lines.append(Content(text) if text else Content.styled(hint, "$text-muted"))
        if what == "success":
            for o in data.objectives:
                lines.append(
                    Content.assemble(
                        (f"{o['ref']} ", "bold"), one_line(o["title"]), f" — {o['progress']:.0%}"
                    )
                )
            if not data.objectives:
                lines.append(Content.styled("No objectives yet (key 2).", "$text-muted"))
        if what == "roles":
            lines += [Content(line) for line in data.roles]
        panel.update(Content("\n").join(lines))
