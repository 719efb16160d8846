"""Search in the command palette (ctrl+p): any card, objective, key result, risk, decision,
blocker or person, by number (``#12``, ``KR3``, ``R4``, ``D2``) or by words in its title;
choosing one jumps to it on its screen with the cursor on it (kickoff_tui/jump.py).

What is searchable is store.search.KINDS (a registry); this provider reads it through
`store.search.index` (no SQL here), once per change of the workspace, and matches each keystroke
in memory with `store.search.find`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.command import Hit, Hits, Provider
from textual.content import Content

from kickoff_tui.store import search as finder

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.ops import Store


class SearchProvider(Provider):
    """Finds records by number or by words; chosen, they open on their screen."""

    #: (store, session generation, index): reused while the workspace hasn't changed.
    _cache: tuple[Store, int, finder.Index] | None = None

    async def startup(self) -> None:
        self._index = self._read()

    def _read(self) -> finder.Index | None:
        app: Any = self.app
        session = getattr(app, "session", None)
        if session is None:
            return None
        cached = SearchProvider._cache
        if cached is not None and cached[0] is session.store and cached[1] == session.generation:
            return cached[2]
        found = session.safe(finder.index, session.store)
        if found is not None:
            SearchProvider._cache = (session.store, session.generation, found)
        return found

    async def search(self, query: str) -> Hits:
        index = getattr(self, "_index", None)
        if index is None:
            return
        words = query.lower().split()
        for score, item in finder.find(index, query):
            yield Hit(
                score,
                _display(item, words),
                lambda item=item: self._open(item),
                text=f"{item.ref} {item.title}",
                help=f"{item.what} — enter opens it",
            )

    def _open(self, item: finder.Searchable) -> None:
        from kickoff_tui.jump import jump

        app: KickoffApp = self.app  # type: ignore[assignment]
        app.run_worker(
            jump(app, item.screen, item.record_id, f"{item.ref} {item.title}"),
            group="search-jump",
            exclusive=True,
        )


def _display(item: finder.Searchable, words: list[str]) -> Content:
    """The hit's line: its number, then its title with the typed words in bold (never markup)."""
    title = " ".join(item.title.split())
    content = Content(title)
    lowered = title.lower()
    for word in words:
        start = lowered.find(word)
        while start != -1 and word:
            content = content.stylize("bold $text-accent", start, start + len(word))
            start = lowered.find(word, start + len(word))
    return Content.assemble((f"{item.ref} ", "bold"), content)
