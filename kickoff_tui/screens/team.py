"""`7`: the team — who is on it, what each person has open, and their first action.

`n` adds a person (the handle comes from the name unless typed), `enter` edits, `d` deactivates
(or reactivates: nobody is ever deleted, names stay on past records), `p` opens the person's
page, `f` sets their first action (a card number) and `m` says "this is me" on this machine.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Static

from kickoff_tui.readonly import changes
from kickoff_tui.rules.people import check_handle, contact_facts
from kickoff_tui.screens.base import FilteredScreen, card_ref_parser
from kickoff_tui.store import people as ps
from kickoff_tui.typeahead import opens_form
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.tables import KeyTable, cursor_key, move_to_key, set_columns
from kickoff_tui.widgets.tones import BAD, MUTED, OK, WARN, Toned, strong

#: Below this width the table keeps the essentials; the panel under it shows everything.
WIDE = 110
FIRST_STYLE = {"none": MUTED, "due": WARN, "done": OK, "late": strong(BAD)}


def person_fields(store, p: dict[str, Any] | None) -> tuple[list[Field], Any]:
    """The person form's fields and its whole-form check (a handle someone else has)."""
    p = p or {}
    person_id = p.get("id")

    def check(values: dict[str, Any]) -> dict[str, str]:
        handle = values.get("handle") or (
            None if person_id else ps.suggest_handle(store, values.get("name") or "")
        )
        if handle and handle in {
            (r["handle"] or "").lower() for r in ps.everyone(store) if r["id"] != person_id
        }:
            return {"handle": f"@{handle} is already someone's handle; pick another."}
        return {}

    def timezone(text: str) -> str:
        from kickoff_tui.store.workspace import valid_timezone

        tz = text.strip()
        if not valid_timezone(tz):
            raise ValueError(f"{tz[:40]!r} is not a time zone name; use one like Europe/Paris.")
        return tz

    def email(text: str) -> str:
        from kickoff_tui.rules.people import check_email

        return check_email(text)

    return [
        Field(
            "name", "Name", value=p.get("name"), required=True, max_len=100, hint="e.g. Ana Silva"
        ),
        Field(
            "handle",
            "Handle",
            value=p.get("handle"),
            parse=check_handle,
            hint="unique, no spaces; empty: from the name (Ana Silva → ana)",
        ),
        Field("role", "Role", value=p.get("role"), max_len=100, hint="e.g. Product lead"),
        Field("email", "Email", value=p.get("email"), parse=email),
        Field(
            "timezone",
            "Time zone",
            value=p.get("timezone"),
            parse=timezone,
            hint="optional, e.g. Europe/Lisbon",
        ),
    ], check


class TeamScreen(FilteredScreen):
    """Everyone on the team, active first, with the highlighted person in full underneath."""

    CSS_PATH = "team.tcss"
    MODE = "team"
    LABEL = "Team"
    HELP = (
        "Who is on the team and what each person has open. Deactivate (d) rather than "
        "delete: names stay on past records. Each person commits to a first action "
        "within 72 hours of the kickoff (f)."
    )
    BINDINGS = [
        Binding("n", "new", "New person", id="team.new"),
        Binding("enter", "edit", "Edit", tooltip="Edit the person", id="team.edit"),
        Binding(
            "d",
            "toggle_active",
            "Deactivate",
            tooltip="Deactivate or reactivate",
            id="team.toggle_active",
        ),
        Binding("p", "page", "Page", tooltip="Open the person's page (onboarding)", id="team.page"),
        Binding(
            "f",
            "first_action",
            "First action",
            tooltip="First action: a card, due within 72 h",
            id="team.first_action",
        ),
        Binding(
            "m",
            "this_is_me",
            "This is me",
            tooltip="This is me on this machine",
            id="team.this_is_me",
        ),
    ]
    EXTRA_HELP = [("click a row twice", "Edit that person")]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, Any]] = {}
        self._width: int | None = None

    def compose_body(self) -> ComposeResult:
        yield KeyTable(id="team-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="team-detail", markup=False)

    @property
    def table(self) -> KeyTable:
        return self.query_one("#team-table", KeyTable)

    def on_resize(self) -> None:
        if self._width is not None and self._width != self.size.width:
            self.load()

    def reload(self) -> None:
        table = self.table
        keep = cursor_key(table)
        team = ps.team(self.store)
        me = ps.me(self.store)
        self.rows = {p["id"]: p for p in team}
        self._width = self.size.width or self.app.size.width
        wide = self._width >= WIDE
        columns = ["Name", "Handle", "Role", "Cards", "KRs", "Risks", "Blk", "First action"]
        if wide:
            columns += ["Email", "TZ"]
        rows = []
        for p in team:
            dim = "" if p["active"] else "dim"
            first = p["first_action"]
            cells = [
                Toned.assemble(
                    ("⚠ ", strong(WARN)) if p["conflict"] else "",
                    (p["name"] or "", dim),
                    (" (me)", "italic") if p["id"] == me else "",
                    (" (inactive)", "dim italic") if not p["active"] else "",
                    overflow="ellipsis",
                    no_wrap=True,
                ),
                Text(f"@{p['handle']}" if p["handle"] else "", style=dim),
                Text(p["role"] or "", style=dim, overflow="ellipsis", no_wrap=True),
                Text(str(p["open_cards"]), style=dim, justify="right"),
                Text(str(p["krs"]), style=dim, justify="right"),
                Text(str(p["risks"]), style=dim, justify="right"),
                Toned(
                    str(p["blockers"]),
                    style=strong(BAD) if p["blockers"] and p["active"] else dim,
                    justify="right",
                ),
                Toned(
                    first["label"] if p["active"] or first["state"] != "none" else "–",
                    style=FIRST_STYLE.get(first["state"], ""),
                ),
            ]
            if wide:
                cells += [Text(p["email"] or "", style=dim), Text(p["timezone"] or "", style=dim)]
            rows.append(cells)
        if not wide:
            # Role is the first to give way at 80 columns: the panel shows it in full.
            for cells in rows:
                cells[2].truncate(14, overflow="ellipsis")
        set_columns(table, columns, rows, fill="Name", width=self._width, fill_min=12)
        for p, cells in zip(team, rows):
            table.add_row(*cells, key=p["id"])
        move_to_key(table, keep)
        self._show_detail()

    def current(self) -> dict[str, Any] | None:
        found = self.rows.get(cursor_key(self.table) or "")
        if found is None:
            self.notify("Nobody here yet: press n to add the first person.", markup=False)
        return found

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#team-detail", Static)
        p = self.rows.get(cursor_key(self.table) or "")
        if p is None:
            detail.update(
                Content.styled(
                    "Nobody on the team yet. Press n to add the first person "
                    "(name, role, email); then give them cards on the board (1).",
                    "$text-muted",
                )
            )
            return
        facts = [Content.styled(p["name"] or "?", "bold")]
        facts += [Content(x) for x in contact_facts(p)]
        if not p["active"]:
            facts.append(Content.styled("inactive (d reactivates)", "$text-warning"))
        first = p["first_action"]
        what = (
            Content.assemble(
                ("First action ", "$text-muted"),
                first["label"],
                f" · #{first['card_num']} {first['title']}",
            )
            if first.get("card_num")
            else Content.assemble(
                ("First action ", "$text-muted"),
                "none yet: f picks the card they commit to in the room",
            )
        )
        counts = Content.assemble(
            ("Open ", "$text-muted"),
            " · ".join(
                _count(p[k], what)
                for k, what in (
                    ("open_cards", "card"),
                    ("krs", "key result"),
                    ("risks", "risk"),
                    ("blockers", "blocker"),
                )
            ),
            ("   p: their page", "$text-muted"),
        )
        detail.update(Content("\n").join([Content(" · ").join(facts), what, counts]))

    # ------------------------------------------------------------------ actions

    @changes
    @opens_form("person-form")
    async def action_new(self) -> None:
        """Add a person (the handle comes from the name unless typed)."""
        fields, check = person_fields(self.store, None)
        result = await self.app.push_screen_wait(FormScreen("New person", fields, check=check))
        if result is None:
            return
        new_id = self.session.edit(ps.add_person, self.store, result)
        if new_id:
            self.show_record(new_id)
            row = self.rows.get(new_id)
            if row:
                self.notify(
                    f"Added {row['name']} as @{row['handle']}. Give them cards on the "
                    "board (1): the card form's Owner.",
                    markup=False,
                )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    @changes
    @opens_form("person-form")
    async def action_edit(self) -> None:
        """Edit the highlighted person."""
        p = self.current()
        if p is None:
            return
        fields, check = person_fields(self.store, p)
        result = await self.app.push_screen_wait(
            FormScreen(Content(f"Edit {p['name']}"), fields, check=check)
        )
        if result is not None:
            self.session.edit(ps.edit_person, self.store, p["id"], result)

    @changes
    def action_toggle_active(self) -> None:
        """Deactivate the highlighted person (or reactivate them)."""
        p = self.current()
        if p is None:
            return
        active = not p["active"]
        if self.session.edit(ps.set_active, self.store, p["id"], active):
            self.notify(
                f"{p['name']} is active again."
                if active
                else f"{p['name']} is deactivated: out of owner pickers and standups, still "
                "named on past records. d again reactivates; ctrl+z undoes.",
                markup=False,
            )

    def action_page(self) -> None:
        """Open the highlighted person's page."""
        p = self.current()
        if p is not None:
            from kickoff_tui.screens.person import PersonScreen

            self.app.push_screen(PersonScreen(p["id"]))

    @changes
    @opens_form("person-form")
    async def action_first_action(self) -> None:
        """Set the highlighted person's first action: a card number (empty clears it)."""
        p = self.current()
        if p is None:
            return
        first = p["first_action"]
        result = await self.app.push_screen_wait(
            FormScreen(
                Content(f"First action of {p['name']}"),
                [
                    Field(
                        "card_id",
                        "Card #",
                        value=first.get("card_num"),
                        parse=card_ref_parser(self.store),
                        hint="the card they commit to; due 72 h after the kickoff (empty clears)",
                    )
                ],
                submit="Set",
            )
        )
        if result is None:
            return
        self.session.edit(ps.set_first_action, self.store, p["id"], result.get("card_id"))

    @changes
    def action_this_is_me(self) -> None:
        """Remember on this machine that I am the highlighted person (never synced)."""
        p = self.current()
        if p is None:
            return
        if self.session.safe(ps.set_me, self.store, p["id"]) is not None:
            self.session.changed()
            self.notify(f"On this machine you are {p['name']} (@{p['handle']}).", markup=False)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"
