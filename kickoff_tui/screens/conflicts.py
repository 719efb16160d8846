"""`!`: the conflicts view — every field two people changed at once, and every row edited after
someone else deleted it.

Each conflict lists the field, each value, who wrote it and when; the value every machine shows
now is marked. `enter` keeps the highlighted value, `m` types a merged one; for a deleted row,
`enter` on "restore" or "delete for good". A resolution is an operation, so it syncs like any
edit (and ctrl+z undoes it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from kickoff_tui.readonly import changes
from kickoff_tui.screens.list_filter import FILTER_KEY, ListFilter
from kickoff_tui.store import schema, sync
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.ops import Conflict, DeleteConflict, Op
from kickoff_tui.widgets.form import Field, FieldKind, FormScreen
from kickoff_tui.widgets.tables import KeyList, row_matches
from kickoff_tui.widgets.tones import INFO, WARN, Toned, strong
from kickoff_tui.widgets.with_session import WithSession

#: The column that names a row of each table in the list.
LABEL_FIELD = {
    "person": "name",
    "workspace": "name",
    "blocker": "text",
    "activity": "summary",
    "standup_entry": "done",
    "check_in": "note",
    "standup": "held_on",
    "stakeholder": "name",
    "question": "text",
    "comm": "message",
}


def _value(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= 60 else text[:59] + "…"


def _when(op: Op, tz: str) -> str:
    try:
        from zoneinfo import ZoneInfo

        at = datetime.fromisoformat(op.at).astimezone(ZoneInfo(tz))
    except (ValueError, KeyError):
        return op.at[:16]
    return f"{at:%b} {at.day} {at:%H:%M}"


class ConflictsScreen(WithSession, ListFilter):
    """The list of conflicts, each with its values to keep."""

    CSS_PATH = "conflicts.tcss"
    LABEL = "Conflicts"
    HELP = (
        "Fields two people changed at once, and rows edited after another person deleted "
        "them. Keep one value or type a merged one; the choice syncs to everyone."
    )
    BINDINGS = [
        Binding("enter", "keep", "Keep this", id="conflicts.keep"),
        Binding("m", "merge", "Type a merged value", id="conflicts.merge"),
        Binding("escape,q", "close", "Back", key_display="esc", id="conflicts.close"),
        FILTER_KEY,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Conflict | DeleteConflict] = []
        #: How many of them the filter (/) shows.
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="conflicts-title", markup=False)
        yield KeyList(id="conflicts-list")
        yield from self.compose_filter()
        yield Static(
            "enter keep the highlighted value · m type a merged value · / filter · esc back",
            id="conflicts-hint",
            markup=False,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_workspace_changed(self, message: Any) -> None:
        self.reload()

    # ------------------------------------------------------------------ reading

    def _label(self, table: str, row_id: str) -> str:
        row = self.store.get(table, row_id) or {}
        name = row.get(LABEL_FIELD.get(table, "title"))
        kind = table.replace("_", " ").capitalize()
        return f"{kind} “{_value(name)}”" if name else f"{kind} {row_id[:8]}"

    def reload(self) -> None:
        try:
            self.items = [*self.store.conflicts(), *self.store.delete_conflicts()]
            held = [str(p) for p in sync.held(self.store)] + sync.ahead(self.store)
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        tz = getattr(self.app, "workspace", {}).get("timezone") or "UTC"
        options: list[Option | None] = []
        words = self.filter_words
        self.shown = 0
        for i, item in enumerate(self.items):
            group: list[Option] = []
            label = self._label(item.table, item.row_id)
            if isinstance(item, Conflict):
                head = Toned.assemble(
                    ("⚠ ", strong(WARN)),
                    (label, "bold"),
                    " · ",
                    (item.field.replace("_", " "), "italic"),
                )
                group.append(Option(head, id=f"h{i}", disabled=True))
                for j, op in enumerate(item.heads):
                    shown = (
                        {1: "deleted", 0: "not deleted"}.get(op.value, _value(op.value))
                        if item.field == "deleted"
                        else _value(op.value)
                    )
                    line = Toned.assemble(
                        "  keep ",
                        (shown, "bold"),
                        "  — ",
                        (op.by or op.replica, INFO),
                        ", ",
                        _when(op, tz),
                        ("  (shown now)" if j == 0 else "", "dim"),
                    )
                    group.append(Option(line, id=f"c{i}:{j}"))
            else:
                editors = sorted({e.by or e.replica for e in item.edits})
                fields = sorted({e.field.replace("_", " ") for e in item.edits})
                head = Toned.assemble(
                    ("⚠ ", strong(WARN)),
                    (label, "bold"),
                    " — deleted by ",
                    (item.delete.by or item.delete.replica, INFO),
                    f" ({_when(item.delete, tz)}); ",
                    (", ".join(editors), INFO),
                    " edited ",
                    ", ".join(fields),
                    " — restore or delete",
                )
                group.append(Option(head, id=f"h{i}", disabled=True))
                group.append(
                    Option(
                        Text.assemble("  restore", " (keep ", ", ".join(editors), "'s edits)"),
                        id=f"d{i}:restore",
                    )
                )
                group.append(Option(Text("  delete for good"), id=f"d{i}:delete"))
            if words and not row_matches([o.prompt for o in group], words):
                continue  # the filter (/) hides this conflict
            self.shown += 1
            options += [None, *group] if options else group
        if held and (not words or row_matches(held, words)):
            # lines of teammates' logs not applied here: to know about, nothing to pick
            if options:
                options.append(None)
            options.append(
                Option(
                    Toned.assemble(
                        ("⚠ ", strong(WARN)),
                        (f"Held back from the sync folder ({len(held)})", "bold"),
                    ),
                    id="held",
                    disabled=True,
                )
            )
            options += [Option(Text("  " + line), disabled=True) for line in held]
        listing = self.query_one("#conflicts-list", OptionList)
        keep = listing.highlighted
        kept_id = listing.get_option_at_index(keep).id if keep is not None else None
        listing.clear_options()
        listing.add_options(options)
        if kept_id is not None and kept_id in {o.id for o in options if o is not None}:
            keep = listing.get_option_index(kept_id)  # the same value, whatever / shows
        n = len(self.items)
        self.query_one("#conflicts-title", Static).update(
            f"{n} conflict{'s' if n != 1 else ''} — every machine shows the later change "
            "(“shown now”) until someone picks one"
            if n
            else "No conflicts, but some lines of the sync folder are held back (below)."
            if held
            else "No conflicts: every change from every teammate fits together."
        )
        if any(o is not None and not o.disabled for o in options):
            first = next(k for k, o in enumerate(options) if o is not None and not o.disabled)
            listing.highlighted = (
                keep
                if keep is not None
                and keep < listing.option_count
                and not listing.get_option_at_index(keep).disabled
                else first
            )
            if self.focused is not self.filter_bar.field:
                listing.focus()

    def _current(self) -> tuple[Conflict | DeleteConflict, str] | None:
        listing = self.query_one("#conflicts-list", OptionList)
        if listing.highlighted is None:
            return None
        option = listing.get_option_at_index(listing.highlighted)
        if option.id is None or option.disabled:
            return None
        index, _, what = option.id[1:].partition(":")
        return self.items[int(index)], what

    # ------------------------------------------------------------------ actions

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_keep()

    @changes
    def action_keep(self) -> None:
        found = self._current()
        if found is None:
            return
        item, what = found
        label = self._label(item.table, item.row_id)
        if isinstance(item, Conflict):
            op = item.heads[int(what)]
            self.session.edit(
                self.store.resolve,
                item,
                op.value,
                summary=f"Kept {op.by or op.replica}'s {item.field.replace('_', ' ')} of {label}",
            )
        else:
            restore = what == "restore"
            self.session.edit(
                self.store.resolve_delete,
                item,
                restore=restore,
                summary=f"{'Restored' if restore else 'Deleted for good'} {label}",
            )
        self.reload()

    @changes
    def action_merge(self) -> None:
        found = self._current()
        if found is None or not isinstance(found[0], Conflict):
            self.notify(
                "Pick a value of a field conflict first (a deleted row is restored or deleted).",
                markup=False,
            )
            return
        conflict = found[0]
        kind = schema.field_type(conflict.table, conflict.field)
        field_kind: FieldKind = (
            "int"
            if kind is int
            else "number"
            if kind is float
            else "textarea"
            if any(isinstance(h.value, str) and len(h.value) > 60 for h in conflict.heads)
            else "text"
        )
        label = conflict.field.replace("_", " ").capitalize()
        # Empty is allowed only when one of the values already was (a title never is).
        required = all(h.value not in (None, "") for h in conflict.heads)
        spec = Field(
            conflict.field,
            label,
            field_kind,
            value=conflict.winner.value,
            required=required,
            max_len=5000 if field_kind == "textarea" else 500,
        )

        def done(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.session.edit(
                self.store.resolve,
                conflict,
                values[conflict.field],
                summary=f"Merged the {conflict.field.replace('_', ' ')} of "
                f"{self._label(conflict.table, conflict.row_id)}",
            )
            self.reload()

        self.app.push_screen(
            FormScreen(f"Merged {label.lower()}", [spec], submit="Keep this"), done
        )

    def action_close(self) -> None:
        """esc: clear the filter first (if any), else back."""
        if not self.clear_filter():
            self.dismiss()

    # ------------------------------------------------------------------ `/` filter

    def filter_lists(self) -> list[Widget]:
        return [self.query_one("#conflicts-list", KeyList)]

    def refilter(self) -> None:
        self.reload()

    def filter_counts(self) -> tuple[int, int]:
        """Conflicts shown of all of them (each with its values to keep)."""
        return self.shown, len(self.items)
