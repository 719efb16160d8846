"""The KPI table under the OKRs: each KPI's last value, trend, 30/90-day status, frequency,
owner, days since its last reading and ⚠ when nudged; its own keys while it has the focus.

`tab` moves the focus here from the key results. `n` adds a KPI, `enter` edits one, `r` records
a reading (prefilled with the period to record), `h` opens its history and plot, `d` deletes it.
The line above the table says what the table is, or, while it has the focus, everything about
the highlighted KPI. Writes go through `session.edit`, so ctrl+z takes them back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules.status import labelled, shape
from kickoff_tui.store import kpis, queries
from kickoff_tui.store.kpis import KpiView
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import ConfirmScreen
from kickoff_tui.widgets.sparkline import sparkline
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, INFO, MUTED, OK, WARN, Toned, strong
from kickoff_tui.widgets.with_session import WithSession

STATUS_STYLE = {"on track": OK, "behind": WARN, "no data": MUTED}
EVERY = {"daily": "day", "weekly": "week", "monthly": "month"}
#: From this width the table also shows the baseline → 30 → 90 targets; from WIDEST the source.
WIDE = 110
WIDEST = 140
#: Below this height the table folds to its title line until it has the focus.
SHORT = 30
#: Up to this many KPIs, the title line lists each with its last value.
LISTED = 4


def _status(status: str) -> Text:
    """On track is its shape alone (●, the column is narrow); behind is "▲ behind"."""
    text = shape(status) if status == "on track" else labelled(status)
    return Toned(text, style=STATUS_STYLE.get(status, ""))


class KpiPanel(WithSession, Vertical):
    """The KPIs: a title line and a table with their own keys (see the module doc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "record",
            "Record",
            tooltip="Record a reading of the highlighted KPI",
            id="kpis.record",
        ),
        Binding("n", "new", "New KPI", id="kpis.new"),
        Binding("d", "delete", "Delete", id="kpis.delete"),
        Binding("h", "history", "History", id="kpis.history"),
        Binding("c", "record", "Record", show=False, id="kpis.record"),
        Binding("b", "no_cards", show=False, id="kpis.no_cards"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, KpiView] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="kpi-title", markup=False)
        yield KeyTable(id="kpi-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#kpi-table", KeyTable)

    # ------------------------------------------------------------------ reading

    def reload(self, width: int) -> None:
        """Re-read the KPIs and fill the table for a screen `width` columns wide."""
        keep = cursor_key(self.table)
        found = kpis.view(self.session.store)
        self.rows = {k.id: k for k in found}
        columns = ["#", "KPI", "Last", "Trend"]
        if width >= WIDE:
            columns += ["Base → 30 → 90"]
        columns += ["30d", "90d", "Every", "Owner", "Read"]
        if width >= WIDEST:
            columns += ["Source"]
        rows = [[self._cells(k).get(name, Text("")) for name in columns] for k in found]
        table = self.table
        set_columns(table, columns, rows, fill="KPI", width=width, fill_min=12, key=str)
        for k, cells in zip(found, rows, strict=True):
            table.add_row(*cells, key=k.id)
        move_to_key(table, keep)
        self.fold()

    @staticmethod
    def _cells(k: KpiView) -> dict[str, Text]:
        flag = "⚠" if k.nudged or k.conflict else "·" if k.missing else ""
        since = "never" if k.days_since is None else f"{k.days_since}d"
        late = k.missing or k.days_since is None
        return {
            "#": Toned(flag + k.ref, style=strong(WARN) if flag == "⚠" else "dim"),
            "KPI": Text(k.name, overflow="ellipsis", no_wrap=True),
            "Last": Toned(k.number(k.last_value), style=strong(BAD) if k.nudged else "bold"),
            "Trend": Toned(sparkline(k.values, 6), style=INFO),
            "Base → 30 → 90": Text(k.targets_text()),
            "30d": _status(k.status_30),
            "90d": _status(k.status_90),
            "Every": Text(EVERY.get(k.frequency, k.frequency), style="dim"),
            "Owner": Text((k.owner_name or "–").split(" ")[0]),
            "Read": Toned(since, style=strong(BAD) if late else ""),
            "Source": Text(k.source or "–", style="dim", overflow="ellipsis", no_wrap=True),
        }

    def current(self) -> KpiView | None:
        return self.rows.get(cursor_key(self.table) or "")

    def on_descendant_focus(self) -> None:
        self.fold()

    def on_descendant_blur(self) -> None:
        self.fold()

    def fold(self) -> None:
        """On a short screen the table folds to its title line until it has the focus, so the
        key results keep their rows; `tab` unfolds it (a folded table still takes the focus).
        A `/` filter that matches KPIs unfolds it too: the match must be seen."""
        short = (self.screen.size.height or self.app.size.height) < SHORT
        table = self.table
        found = bool(table.filter_words) and table.matched > 0
        self.set_class(short and not table.has_focus and not found, "-folded")
        self._show_title()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()  # the key-result table's detail panel is not about KPIs
        self._show_title()

    def _shown(self, found: list[KpiView]) -> list[KpiView]:
        """The KPIs the table shows: those the `/` filter lets through (all without one)."""
        table = self.table
        if table.filter_words:
            return [r for r in found if r.id in table.rows]
        return found

    def _show_title(self) -> None:
        title = self.query_one("#kpi-title", Static)
        k = self.current()
        if not self.table.has_focus or k is None:
            lead = Content.styled("KPIs ", "bold")
            found = list(self.rows.values())
            if not found:
                title.update(lead + Content.styled(" none yet · tab here, then n", "$text-muted"))
                return
            shown = self._shown(found)
            of_all = f"{len(shown)} of {len(found)}"  # while the `/` filter hides some
            hidden = len(shown) < len(found)
            if not shown:
                summary = Content(f"none of {len(found)} match")
            elif len(shown) <= LISTED:
                parts = [
                    Content.assemble(
                        ("⚠" if r.nudged else "", "bold $text-warning"),
                        (r.ref, "$text-muted"),
                        f" {r.number(r.last_value)}",
                    )
                    for r in shown
                ]
                summary = Content(f"{of_all}: " if hidden else "") + Content(" · ").join(parts)
            else:
                nudged = sum(1 for r in shown if r.nudged)
                summary = Content(of_all if hidden else f"{len(shown)} measured") + (
                    Content.styled(f" · ⚠ {nudged} under two periods", "$text-warning")
                    if nudged
                    else Content("")
                )
            hint = Content.styled(" · tab: r record, h history, n new", "$text-muted")
            title.update(Content.assemble(lead, summary, hint))
            return
        facts = [Content.assemble((k.ref + " ", "$text-muted"), (k.name, "bold"))]
        if k.nudged:
            word = kpis.PERIOD_WORD[k.frequency]
            facts.append(
                Content.styled(
                    f"⚠ {k.assessment.under_run} {word}s past {k.number(k.threshold)}",
                    "bold $text-warning",
                )
            )
        elif k.missing:
            facts.append(Content.styled("no reading last period", "$text-warning"))
        facts.append(Content(f"{k.targets_text()} ({k.direction} is better)"))
        if k.source:
            facts.append(Content(k.source))
        title.update(Content(" · ").join(facts))

    # ------------------------------------------------------------------ actions

    def _pick(self) -> KpiView | None:
        k = self.current()
        if k is None:
            self.notify("No KPIs yet: press n to add one.", markup=False)
        return k

    def _me(self) -> str | None:
        from kickoff_tui.widgets.kpi_forms import me_id

        return me_id(self.session)

    def _people(self, owner: str | None) -> list[tuple[str, str]]:
        return [
            (p["name"] or p["handle"] or "?", p["id"])
            for p in queries.people(self.session.store, keep=[owner])
        ]

    def _objectives(self) -> list[tuple[str, str]]:
        return [
            (f"O{o['num']} {o['title']}", o["id"]) for o in queries.okr_tree(self.session.store)
        ]

    def _after_save(self, kpi_id: str | None) -> None:
        if kpi_id:
            self.post_message(KpiPanel.Saved(kpi_id))

    @changes
    @opens_form("kpi-form")
    async def action_new(self) -> None:
        """Add a KPI."""
        from kickoff_tui.widgets.kpi_forms import kpi_form, kpi_values

        store = self.session.store
        form = kpi_form(
            None,
            people=self._people(None),
            objectives=self._objectives(),
            me=self._me(),
            taken=lambda name: kpis.name_taken(store, name),
        )
        result = await self.app.push_screen_wait(form)
        if result is None:
            return
        session = self.session
        new_id = session.edit(kpis.save_kpi, session.store, kpi_values(result))
        self._after_save(new_id)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # not the key results' edit
        self.action_edit()

    @changes
    @opens_form("kpi-form")
    async def action_edit(self) -> None:
        """Edit the highlighted KPI."""
        from kickoff_tui.widgets.kpi_forms import kpi_form, kpi_values

        k = self._pick()
        if k is None:
            return
        store = self.session.store
        form = kpi_form(
            k,
            people=self._people(k.owner_id),
            objectives=self._objectives(),
            me=None,
            taken=lambda name: kpis.name_taken(store, name, k.id),
        )
        result = await self.app.push_screen_wait(form)
        if result is not None:
            session = self.session
            session.edit(kpis.save_kpi, session.store, kpi_values(result), k.id)

    @changes
    @opens_form("kpi-form")
    async def action_record(self) -> None:
        """Record a reading of the highlighted KPI, prefilled with the period to record."""
        from kickoff_tui.widgets.kpi_forms import record_reading

        k = self._pick()
        if k is None:
            return
        value = await record_reading(self.app, self.session, k)
        if value is not None:
            self.notify(f"Recorded {k.ref}: {k.number(value)}.", markup=False)

    @changes
    @opens_form("kpi-form")
    async def action_delete(self) -> None:
        """Delete the highlighted KPI (its readings stay in the file)."""
        k = self._pick()
        if k is None:
            return
        ok = await self.app.push_screen_wait(
            ConfirmScreen(
                f"Delete {k.ref} {k.name}?",
                detail=f"Its {len(kpis.history(self.session.store, k.id))} readings stay in "
                "the file. ctrl+z undoes it.",
            )
        )
        if ok:
            session = self.session
            session.edit(kpis.delete_kpi, session.store, k.id)

    def action_history(self) -> None:
        """Open the highlighted KPI's readings and its plot against the target line."""
        k = self._pick()
        if k is not None:
            self.post_message(KpiPanel.HistoryAsked(k.id))

    def action_no_cards(self) -> None:
        self.notify("KPIs have no cards on the board; key results do.", markup=False)

    def cursor_to(self, kpi_id: str) -> bool:
        """Focus the table with the cursor on a KPI (a jump from the inbox); False if absent."""
        if move_to_key(self.table, kpi_id):
            self.table.focus()
            return True
        return False

    class HistoryAsked(Message):
        """`h` on a KPI: the screen opens its history."""

        def __init__(self, kpi_id: str) -> None:
            super().__init__()
            self.kpi_id = kpi_id

    class Saved(Message):
        """A KPI was added: the screen reloads and puts the cursor on it."""

        def __init__(self, kpi_id: str) -> None:
            super().__init__()
            self.kpi_id = kpi_id
