"""Search across everything (store.search) on real workspace files: by number, by words, the
registry other parts add their kinds to."""

from __future__ import annotations

import pytest

from kickoff_tui.store import cards, search, standups
from kickoff_tui.store.ops import Store
from kickoff_tui.store.search import Searchable


def _refs(store: Store, query: str) -> list[str]:
    return [item.ref for _, item in search.find(search.index(store), query)]


@pytest.mark.parametrize(
    ("query", "ref", "title", "screen"),
    [
        ("#12", "#12", "Trial email sequence", "board"),
        ("12", "#12", "Trial email sequence", "board"),
        ("O2", "O2", "Make the platform reliable enough for paying teams", "okrs"),
        ("KR3", "KR3", "Onboarding milestones shipped", "okrs"),
        ("kr 3", "KR3", "Onboarding milestones shipped", "okrs"),
        ("R4", "R4", "Trials don't reach value in a day", "risks"),
        ("D2", "D2", "Sample data on sign-up instead of an empty workspace", "decisions"),
        ("B4", "B4", "Analytics vendor contract needs a signature", "standup"),
        ("@ana", "@ana", "Ana Silva", "team"),
        ("K1", "K1", "Support resolution hours", "okrs"),
        ("S1", "S1", "Maria Keller (CEO)", "kickoff"),
    ],
)
def test_by_number_first(demo: Store, query: str, ref: str, title: str, screen: str) -> None:
    found = search.find(search.index(demo), query)
    score, item = found[0]
    assert (score, item.ref, item.screen) == (1.0, ref, screen)
    assert item.title.startswith(title[:20])


def test_by_words_in_any_order_best_first(demo: Store) -> None:
    assert _refs(demo, "soc 2") == ["R2", "KR6", "#6"]  # starting with it, then a word
    assert _refs(demo, "hire sre") == ["#13", "R7"]
    assert _refs(demo, "LOAD test")[:2] == ["#10", "B2"]  # "Load-test": a word start too
    assert _refs(demo, "zzz") == [] and _refs(demo, "   ") == []
    card = next(i for _, i in search.find(search.index(demo), "load test") if i.ref == "#10")
    assert card.what == "card · 31–60 · blocked · Ben Okafor"


def test_deleted_cards_and_resolved_blockers_are_not_found(workspace: Store) -> None:
    gone = cards.create_card(workspace, {"title": "Gone card"})
    cards.create_card(workspace, {"title": "Kept card"})
    cards.delete_card(workspace, gone)
    blocker = standups.raise_blocker(workspace, text="Old blocker", raised_by=None)
    standups.resolve_blocker(workspace, blocker)
    assert _refs(workspace, "card") == ["#2"]  # numbers never shift after a delete
    assert _refs(workspace, "#1") == []
    assert _refs(workspace, "blocker") == []


def extra(store: Store) -> list[Searchable]:
    """A kind registered by another part (as KPIs and stakeholders are)."""
    return [Searchable("X2", "Quarterly zanzibar audit", "extra", "okrs", "x-2")]


def test_other_parts_register_their_kinds(demo: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "KINDS", [*search.KINDS, "tests.store.test_search:extra"])
    assert _refs(demo, "X2") == ["X2"]
    assert _refs(demo, "zanzibar") == ["X2"]


def test_thousands_of_titles_are_searched_in_memory(workspace: Store) -> None:
    with workspace.transaction() as tx:
        for n in range(2000):
            tx.create(
                "card", {"title": f"Generated card {n}", "window": "30", "position": f"a{n:05}"}
            )
    found = search.index(workspace)
    assert len(found.items) == 2000
    assert [i.ref for _, i in search.find(found, "#1999")] == ["#1999"]
    assert len(search.find(found, "generated")) == search.LIMIT
    assert search.find(found, "card 1234")[0][1].title == "Generated card 1234"
