"""Search across everything (ctrl+p): cards, objectives, key results, risks, decisions, blockers
and people, by number (``#12``, ``KR3``, ``R4``, ``D2``, ``B1``, ``@ana``) or by words in the
title.

Each kind is one function ``(store) -> list[Searchable]`` registered in `KINDS` as
``"module:function"`` (as the inbox's SOURCES), so KPIs, stakeholders and the rest add theirs
without touching this module. :func:`index` reads them all once (one query per kind);
:func:`find` then answers each keystroke in memory, which keeps it well under 50 ms at 10,000
cards (bench/search.py).
"""

from __future__ import annotations

import heapq
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kickoff_tui.store import queries

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store


@dataclass(frozen=True, slots=True)
class Searchable:
    """One thing search can find: its number, title, and where `enter` jumps (an app mode and
    the record to put the cursor on); `what` says what it is ("card · 31–60 · Ben Okafor")."""

    ref: str
    title: str
    what: str
    screen: str
    record_id: str


#: "module:function" for each searchable kind, `(store) -> list[Searchable]`.
KINDS: list[str] = [
    "kickoff_tui.store.search:cards",
    "kickoff_tui.store.search:objectives",
    "kickoff_tui.store.search:key_results",
    "kickoff_tui.store.search:risks",
    "kickoff_tui.store.search:decisions",
    "kickoff_tui.store.search:blockers",
    "kickoff_tui.store.search:people",
    "kickoff_tui.store.search:kpis",
    "kickoff_tui.store.search:stakeholders",
]

#: The most results one search returns.
LIMIT = 30


def _kind(target: str) -> Callable[[Store], list[Searchable]]:
    module, _, name = target.partition(":")
    fn: Callable[[Store], list[Searchable]] = getattr(importlib.import_module(module), name)
    return fn


# ---------------------------------------------------------------------- the kinds


def cards(store: Store) -> list[Searchable]:
    from kickoff_tui.rules.windows import WINDOW_LABELS

    names = {
        r["id"]: r["name"] or r["handle"] or ""
        for r in store.rows("SELECT id, name, handle FROM person WHERE deleted = 0")
    }
    labels = {w: f"card · {label}" for w, label in WINDOW_LABELS.items()}
    out: list[Searchable] = []
    # Numbered in Python as queries.numbered numbers them (by creation, tombstones counted),
    # reading only the columns shown, by position: at 10,000 cards this is 3× faster than
    # `SELECT *` numbered by a window function.
    rows = store.rows(
        "SELECT id, title, window, state, owner_id, deleted FROM card ORDER BY created_at, id"
    )
    for num, (card_id, title, window, state, owner_id, deleted) in enumerate(rows, start=1):
        if deleted:
            continue
        what = labels.get(window) or f"card · {window or ''}"
        if state:
            what += " · " + state
        owner = names.get(owner_id) if owner_id else None
        if owner:
            what += " · " + owner
        out.append(Searchable(f"#{num}", title or "", what, "board", card_id))
    return out


def _simple(store: Store, table: str, prefix: str, what: str, screen: str) -> list[Searchable]:
    column = {"blocker": "text", "kpi": "name", "stakeholder": "name"}.get(table, "title")
    return [
        Searchable(f"{prefix}{r['num']}", r["title"] or "", what, screen, r["id"])
        for r in store.rows(
            f"SELECT id, num, {column} AS title FROM {queries.numbered(table)} WHERE deleted = 0"
        )
    ]


def kpis(store: Store) -> list[Searchable]:
    return _simple(store, "kpi", "K", "KPI", "okrs")


def stakeholders(store: Store) -> list[Searchable]:
    return _simple(store, "stakeholder", "S", "stakeholder", "kickoff")


def objectives(store: Store) -> list[Searchable]:
    return _simple(store, "objective", "O", "objective", "okrs")


def key_results(store: Store) -> list[Searchable]:
    return _simple(store, "key_result", "KR", "key result", "okrs")


def risks(store: Store) -> list[Searchable]:
    return _simple(store, "risk", "R", "risk", "risks")


def decisions(store: Store) -> list[Searchable]:
    return _simple(store, "decision", "D", "decision", "decisions")


def blockers(store: Store) -> list[Searchable]:
    """Open blockers (they are listed under the standup)."""
    return [
        Searchable(f"B{r['num']}", r["text"] or "", "blocker", "standup", r["id"])
        for r in store.rows(
            f"SELECT id, num, text FROM {queries.numbered('blocker')} "
            "WHERE deleted = 0 AND resolved_at IS NULL"
        )
    ]


def people(store: Store) -> list[Searchable]:
    return [
        Searchable(
            f"@{r['handle']}" if r["handle"] else "@?",
            r["name"] or r["handle"] or "",
            " · ".join(x for x in ("person", r["role"] or "") if x),
            "team",
            r["id"],
        )
        for r in store.rows("SELECT id, name, handle, role FROM person WHERE deleted = 0")
    ]


# ---------------------------------------------------------------------- finding


@dataclass(frozen=True)
class Index:
    """Everything searchable, read once: the items, their lower-cased titles (same order) and
    the items by lower-cased number."""

    items: list[Searchable]
    titles: list[str]
    #: Each title with every run of non-word characters made one space, and a space in front:
    #: " load test environment", so "a word starts with w" is the C-level `" w" in spaced`.
    spaced: list[str]
    refs: dict[str, int]


_NON_WORD = re.compile(r"[^\w]+")


def index(store: Store) -> Index:
    """Read every registered kind (one query each)."""
    items: list[Searchable] = []
    for target in KINDS:
        items.extend(_kind(target)(store))
    titles = [" ".join(i.title.split()).lower() for i in items]
    return Index(
        items,
        titles,
        [" " + _NON_WORD.sub(" ", title) for title in titles],
        {i.ref.lower(): n for n, i in enumerate(items)},
    )


def _ref_query(query: str) -> str:
    """A typed number as the index keys it: "kr 3" -> "kr3", "12" -> "#12"."""
    text = "".join(query.lower().split())
    return f"#{text}" if text.isdigit() else text


def find(found: Index, query: str, limit: int = LIMIT) -> list[tuple[float, Searchable]]:
    """(score 0–1, item) for `query`, best first: the item whose number it is (1.0), then titles
    holding every word of it — the whole title, then starting with it, then with a word starting
    with each word, then anywhere — shorter titles first within each.

    Each step is a list comprehension over C-level string tests (no Python-level scoring of
    every title), and only as many tiers are ranked as the list needs.
    """
    words = query.lower().split()
    if not words:
        return []
    out: list[tuple[float, Searchable]] = []
    exact = found.refs.get(_ref_query(query))
    if exact is not None:
        out.append((1.0, found.items[exact]))
    titles = found.titles
    longest, *others = sorted(words, key=len, reverse=True)
    hits = [n for n, title in enumerate(titles) if longest in title]
    for word in others:
        hits = [n for n in hits if word in titles[n]]
    if exact is not None:
        hits = [n for n in hits if n != exact]
    phrase = " ".join(words)
    spaced = found.spaced
    first_start, *other_starts = [f" {_NON_WORD.sub(' ', w).strip()}" for w in words]

    def tier_of(score: float, among: list[int]) -> list[int]:
        if score == 0.95:
            return [n for n in among if titles[n] == phrase]
        if score == 0.9:
            return [n for n in among if titles[n].startswith(phrase)]
        if score == 0.8:
            found_ = [n for n in among if first_start in spaced[n]]
            for start in other_starts:
                found_ = [n for n in found_ if start in spaced[n]]
            return found_
        return among

    for score in (0.95, 0.9, 0.8, 0.6):
        room = limit - len(out)
        if room <= 0 or not hits:
            break
        tier = tier_of(score, hits)
        if not tier:
            continue
        ranked = heapq.nsmallest(room, tier, key=lambda n: (len(titles[n]), n))
        out.extend((score, found.items[n]) for n in ranked)
        shown = set(tier)
        hits = [n for n in hits if n not in shown]
    return out
