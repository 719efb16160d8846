"""A person's page (from the Team screen, `p`): what a new teammate reads on day one.

The same read model as `kickoff people show NAME --md` (store/person_page.py), shown as
sections in a scrolling view; user text is shown literally (Content, never markup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from kickoff_tui.rules.people import contact_facts
from kickoff_tui.store.errors import StoreError
from kickoff_tui.store.person_page import person_page, sections
from kickoff_tui.widgets.with_session import WithSession

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp


class PersonScreen(WithSession, Screen[None]):
    """One person's page: purpose, objectives, their work, roles and recent activity."""

    CSS_PATH = "team.tcss"
    LABEL = "Person"
    HELP = "A person's page: the workspace's purpose and objectives, then their work."
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="person.close"),
        Binding(
            "y", "copy", "Copy Markdown", tooltip="Copy the page as Markdown", id="person.copy"
        ),
    ]

    app: KickoffApp

    def __init__(self, person_id: str) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="person-page"):
            yield Static(id="person-head", markup=False)
            yield Static(id="person-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#person-page").focus()

    def reload(self) -> None:
        try:
            page = person_page(self.store, self.person_id)
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            self.dismiss(None)
            return
        p = page["person"]
        self.sub_title = f"{p['name']} · person page"
        tz = page["workspace"].get("timezone") or "UTC"
        facts = contact_facts(p)
        if p["active"] == 0:
            facts.append("inactive")
        self.query_one("#person-head", Static).update(
            Content.assemble((p["name"] or "?", "bold"), "  ", (" · ".join(facts), "$text-muted"))
        )
        parts = []
        for heading, items in sections(page, tz):
            parts.append(Content.styled(heading, "bold $accent"))
            parts += [Content.assemble("  ", item) for item in items]
        self.query_one("#person-body", Static).update(Content("\n").join(parts))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        from kickoff_tui.store.person_page import person_markdown

        try:
            text = person_markdown(self.store, self.person_id)
        except StoreError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.notify(f"The page as Markdown: {self.app.copy_text(text)}.", markup=False)
