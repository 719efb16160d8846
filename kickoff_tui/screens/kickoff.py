"""`8`: the Kickoff page — the charter and its open questions (c), the stakeholder map with the
five-question shortlist (m), and the communication plan (p), one tab each.

A thin screen: the three panels (``widgets/charter_panel.py``, ``stakeholder_panel.py``,
``comm_panel.py``) draw and keep their selection; the screen reads the store, opens the forms
(``kickoff_forms.py``) and writes through ``self.session.edit``, so each change is one undoable,
synced edit. Keys that belong to another tab are hidden from the footer and do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, DataTable, Static

from kickoff_tui import clock
from kickoff_tui.readonly import changes
from kickoff_tui.screens import kickoff_forms as forms
from kickoff_tui.screens.base import FilteredScreen
from kickoff_tui.store import charter as ch
from kickoff_tui.store import comms, queries
from kickoff_tui.store import stakeholders as sh
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.charter_panel import CharterPanel, short_day
from kickoff_tui.widgets.comm_panel import CommPanel
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from kickoff_tui.widgets.stakeholder_panel import StakeholderPanel
from kickoff_tui.widgets.tables import KeyTable

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

TABS = {"charter": ("c", "Charter"), "map": ("m", "Stakeholders"), "plan": ("p", "Communication")}
#: From this height the grid's cells are three lines tall; from this width it is wider.
TALL = 34
WIDE = 110
#: Actions and the tabs they work on (the others: every tab).
ONLY = {
    "move": {"map"},
    "shortlist": {"map"},
    "contacted": {"map"},
    "done": {"plan"},
}


class KickoffPage(FilteredScreen):
    """The charter, the stakeholder map and the communication plan."""

    CSS_PATH = "kickoff.tcss"
    MODE = "kickoff"
    LABEL = "Kickoff"
    HELP = (
        "The kickoff: the charter and its open questions (c), the stakeholder map with the "
        "five-question shortlist (m) and the communication plan (p). Overdue items are ⚠."
    )
    BINDINGS = [
        Binding(
            "c",
            "tab('charter')",
            "Charter",
            tooltip="The charter and open questions",
            id="kickoff.tab_charter",
        ),
        Binding(
            "m",
            "tab('map')",
            "Map",
            tooltip="The stakeholder map and shortlist",
            id="kickoff.tab_map",
        ),
        Binding(
            "p", "tab('plan')", "Plan", tooltip="The communication plan", id="kickoff.tab_plan"
        ),
        Binding(
            "n",
            "new",
            "New",
            tooltip="New question / stakeholder / communication",
            id="kickoff.new",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            tooltip="Edit the selected section, question, stakeholder…",
            id="kickoff.edit",
        ),
        Binding(
            "a",
            "answer",
            "Answer",
            tooltip="Answer the question / the five shortlist questions",
            id="kickoff.answer",
        ),
        Binding(
            "x",
            "done",
            "Done",
            tooltip="Plan: mark the communication done (schedules the next)",
            id="kickoff.done",
        ),
        Binding(
            "l",
            "contacted",
            "Contacted",
            tooltip="Map: contacted today; plan the next contact",
            id="kickoff.contacted",
        ),
        Binding(
            "s",
            "shortlist",
            "Shortlist",
            tooltip="Map: only shortlisted stakeholders, or all",
            id="kickoff.shortlist",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            show=False,  # as on every list: help lists it
            tooltip="Filter the list by words (the map: its stakeholders)",
            id="kickoff.filter",
        ),
        Binding(
            "d",
            "delete",
            "Delete",
            tooltip="Delete the selected item (asks first)",
            id="kickoff.delete",
        ),
        Binding(
            "shift+up",
            "move(1, 0)",
            "Influence +1",
            show=False,
            tooltip="Map: more influence",
            id="kickoff.move_up",
        ),
        Binding(
            "shift+down",
            "move(-1, 0)",
            "Influence −1",
            show=False,
            tooltip="Map: less influence",
            id="kickoff.move_down",
        ),
        Binding(
            "shift+right",
            "move(0, 1)",
            "Interest +1",
            show=False,
            tooltip="Map: more interest",
            id="kickoff.move_right",
        ),
        Binding(
            "shift+left",
            "move(0, -1)",
            "Interest −1",
            show=False,
            tooltip="Map: less interest",
            id="kickoff.move_left",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Clear the filter; map: filter → list → grid → all",
            id="kickoff.back",
        ),
    ]
    EXTRA_HELP = [
        ("enter", "Charter, plan: edit the selected row · map grid: that cell's stakeholders"),
        ("arrows", "Map grid: move the cell cursor (the list shows that cell)"),
    ]

    #: The tab shown: charter | map | plan.
    tab: reactive[str] = reactive("charter", init=False)

    def compose_body(self) -> ComposeResult:
        yield Static(id="kickoff-tabs", markup=False)
        with ContentSwitcher(initial="charter", id="kickoff-switcher"):
            yield CharterPanel(id="charter")
            yield StakeholderPanel(id="map")
            yield CommPanel(id="plan")

    @property
    def charter_panel(self) -> CharterPanel:
        return self.query_one(CharterPanel)

    @property
    def map_panel(self) -> StakeholderPanel:
        return self.query_one(StakeholderPanel)

    @property
    def plan_panel(self) -> CommPanel:
        return self.query_one(CommPanel)

    def on_mount(self) -> None:
        self._size_classes()
        self._show_tabs()
        self.charter_panel.table.focus()

    def on_resize(self) -> None:
        self._size_classes()
        if self.loaded:
            self.load()

    def _size_classes(self) -> None:
        size = self.size if self.size.width else self.app.size
        self.set_class(size.height >= TALL, "-tall")
        self.set_class(size.width >= WIDE, "-wide")

    # ------------------------------------------------------------------ reading

    def today(self) -> date:
        return clock.today(self.session.workspace.get("timezone") or "UTC")

    def reload(self, select: str | None = None) -> None:
        store, today = self.session.store, self.today()
        width = self.size.width or self.app.size.width
        plan = comms.plan(store, today)
        charter = ch.charter(store, today)
        late = [
            f"Q{q['num']} unanswered since {short_day(q['answer_by'])}"
            for q in charter.questions
            if q["late"]
        ]
        late += [f"C{c['num']} {', '.join(c['flags'])}" for c in plan if c["overdue"]]
        self.charter_panel.show(charter, late, width, select=select)
        self.map_panel.show(sh.stakeholders(store, today), width, select=select)
        self.plan_panel.show(plan, width, select=select)
        self._show_tabs()

    def _show_tabs(self) -> None:
        parts: list[Content | str] = []
        for name, (key, label) in TABS.items():
            style = "bold reverse" if name == self.tab else "$text-muted"
            parts += [Content.styled(f" {key} {label} ", style), " "]
        self.query_one("#kickoff-tabs", Static).update(Content.assemble(*parts))

    def watch_tab(self, tab: str) -> None:
        self.query_one(ContentSwitcher).current = tab
        self._show_tabs()
        focus = {
            "charter": self.charter_panel.table,
            "map": self.map_panel.grid,
            "plan": self.plan_panel.table,
        }[tab]
        focus.focus()
        self.refresh_bindings()

    def action_tab(self, tab: str) -> None:
        if tab != self.tab:
            self.clear_filter()  # it narrows this tab's list: cleared before leaving it
        self.tab = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = ONLY.get(action)
        return tabs is None or self.tab in tabs

    def cursor_to(self, record_id: str) -> None:
        self.reload(select=record_id)

    # ------------------------------------------------------------------ helpers

    def _people(self, keep: str | None = None) -> list[tuple[str, str]]:
        return [
            (p["name"] or p["handle"] or "?", p["id"])
            for p in queries.people(self.session.store, keep=[keep])
        ]

    async def _form(self, title: str, fields: list[Any], **kw: Any) -> dict[str, Any] | None:
        result: dict[str, Any] | None = await self.app.push_screen_wait(
            FormScreen(title, fields, today=self.today(), **kw)
        )
        return result

    def _edit(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self.session.edit(fn, self.session.store, *args, **kwargs)

    def _nothing(self, what: str) -> None:
        self.notify(what, markup=False)

    # ------------------------------------------------------------------ map keys

    @property
    def table(self) -> KeyTable:
        """The tab's list, the one `/` filters (on the map, the grid follows it)."""
        if self.tab == "map":
            return self.map_panel.table
        return self.plan_panel.table if self.tab == "plan" else self.charter_panel.table

    def filter_counts(self) -> tuple[int, int]:
        """On the map, over every stakeholder offered (as the grid shows them), whichever
        cell the list is scoped to."""
        return self.map_panel.counts if self.tab == "map" else super().filter_counts()

    def action_back(self) -> None:
        """esc: clear the filter; on the map then leave the list, then the cell."""
        if not self.clear_filter() and self.tab == "map":
            self.map_panel.back()

    def action_filter(self) -> None:
        if self.tab == "map":
            self.map_panel.show_everyone()  # a filter searches every cell
        super().action_filter()

    def action_shortlist(self) -> None:
        panel = self.map_panel
        panel.shortlisted_only = not panel.shortlisted_only
        self.notify(
            "Showing the shortlisted stakeholders."
            if panel.shortlisted_only
            else "Showing everyone.",
            markup=False,
        )

    @changes
    def action_move(self, d_influence: int, d_interest: int) -> None:
        s = self.map_panel.current()
        if s is None:
            self._nothing("No stakeholder selected: pick a cell with enter, or press n.")
            return
        if self._edit(sh.move_stakeholder, s["id"], d_influence, d_interest):
            self.reload(select=s["id"])

    # ------------------------------------------------------------------ writes

    @changes
    @opens_form("kickoff-form")
    async def action_new(self) -> None:
        if self.tab == "charter":
            values = await self._form("New question", forms.question_fields(None, self._people()))
            if values:
                self.show_record(self._edit(ch.save_question, values, today=self.today()))
        elif self.tab == "map":
            cell = self.map_panel.grid.cursor
            fields = forms.stakeholder_fields(None, self._people(), cell)
            values = await self._form("New stakeholder", fields)
            if values:
                self.show_record(self._edit(sh.save_stakeholder, values))
        else:
            fields = forms.comm_fields(None, self._people(), sh.names(self.session.store))
            values = await self._form("Plan a communication", fields, check=forms.check_comm)
            if values:
                self.show_record(self._edit(comms.save_comm, values))

    @changes
    @opens_form("kickoff-form")
    async def action_edit(self) -> None:
        if self.tab == "charter":
            picked = self.charter_panel.current()
            if picked is None:
                return
            kind, what = picked
            if kind == "section":
                text = (self.charter_panel.data.sections if self.charter_panel.data else {}).get(
                    what, ""
                )
                values = await self._form(
                    forms.section_title(what), forms.section_fields(what, text)
                )
                if values is not None:
                    self._edit(ch.save_section, what, values[what])
                    self.load()
            else:
                fields = forms.question_fields(what, self._people(what["owner_id"]))
                values = await self._form(f"Edit Q{what['num']}", fields)
                if values:
                    self.show_record(
                        self._edit(ch.save_question, values, what["id"], today=self.today())
                    )
        elif self.tab == "map":
            s = self.map_panel.current()
            if s is None:
                return self._nothing("No stakeholder selected: press n to add one.")
            fields = forms.stakeholder_fields(s, self._people(s["owner_id"]), (3, 3))
            values = await self._form(f"Edit S{s['num']}", fields)
            if values:
                self.show_record(self._edit(sh.save_stakeholder, values, s["id"]))
        else:
            c = self.plan_panel.current()
            if c is None:
                return self._nothing("Nothing planned yet: press n to plan a communication.")
            fields = forms.comm_fields(c, self._people(c["owner_id"]), sh.names(self.session.store))
            values = await self._form(f"Edit C{c['num']}", fields, check=forms.check_comm)
            if values:
                self.show_record(self._edit(comms.save_comm, values, c["id"]))

    @changes
    @opens_form("kickoff-form")
    async def action_answer(self) -> None:
        if self.tab == "map":
            s = self.map_panel.current()
            if s is None:
                return self._nothing("No stakeholder selected: press n to add one.")
            values = await self._form(
                f"Shortlist: S{s['num']} {s['name']}", forms.shortlist_fields(s)
            )
            if values is not None:
                verdict = self._edit(sh.answer, s["id"], values)
                if verdict:
                    self.notify(f"S{s['num']}: {verdict}.", markup=False)
                    self.show_record(s["id"])
            return
        picked = self.charter_panel.current() if self.tab == "charter" else None
        if picked is None or picked[0] != "question":
            return self._nothing("Select a question on the charter (c) to answer it; n adds one.")
        q = picked[1]
        values = await self._form(f"Answer Q{q['num']}: {q['text']}", forms.answer_fields(q))
        if values:
            self.show_record(self._edit(ch.save_question, values, q["id"], today=self.today()))

    @changes
    @opens_form("kickoff-form")
    async def action_contacted(self) -> None:
        s = self.map_panel.current()
        if s is None:
            return self._nothing("No stakeholder selected.")
        values = await self._form(
            f"Contacted S{s['num']} {s['name']} today", forms.contact_fields(s)
        )
        if values is not None:
            if self._edit(sh.contacted, s["id"], self.today(), values["next_contact"]) is None:
                pass
            self.reload(select=s["id"])

    @changes
    def action_done(self) -> None:
        c = self.plan_panel.current()
        if c is None:
            return self._nothing("Nothing planned yet: press n to plan a communication.")
        before = self.session.generation
        nxt = self._edit(comms.mark_done, c["id"], self.today())
        if self.session.generation == before:
            return
        when = f"next due {nxt:%a %d %b}" if nxt else "nothing more to do"
        self.notify(f"C{c['num']} done; {when}.", markup=False)
        self.reload(select=c["id"])

    @changes
    @opens_form("kickoff-form")
    async def action_delete(self) -> None:
        fn: Callable[[Store, str], None]
        if self.tab == "charter":
            picked = self.charter_panel.current()
            if picked is None or picked[0] != "question":
                return self._nothing(
                    "Sections are cleared by editing them empty; d deletes questions."
                )
            row, fn, label = (
                picked[1],
                ch.delete_question,
                f"Q{picked[1]['num']} {picked[1]['text']}",
            )
        elif self.tab == "map":
            row = self.map_panel.current()
            if row is None:
                return
            fn, label = sh.delete_stakeholder, f"S{row['num']} {row['name']}"
        else:
            row = self.plan_panel.current()
            if row is None:
                return
            fn, label = comms.delete_comm, f"C{row['num']} {row['message']}"
        sure = await self.app.push_screen_wait(
            ConfirmScreen(f"Delete {label}?", detail="ctrl+z brings it back.")
        )
        if sure:
            self._edit(fn, row["id"])
            self.load()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()
