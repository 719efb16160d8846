"""The board's live filter: what `/` understands and which cards it keeps.

    ship @ana doing red tag:ops kr:3 #12

Words match the title, deliverable and tags; `@x` the owner (handle or name); a state (todo,
doing, blocked, done) or a RAG colour (green, yellow, red) that field; `tag:x` or `#x` a tag;
`kr:3` the cards of key result 3; `#12` card 12. Every part must match (states and colours given
together match any of them). Case-insensitive. Pure: cards are mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kickoff_tui.rules.cards import RAGS, STATES

__all__ = ["CardFilter", "haystack", "new_card_defaults", "parse_filter"]


@dataclass(frozen=True)
class CardFilter:
    words: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    states: frozenset[str] = field(default_factory=frozenset)
    rags: frozenset[str] = field(default_factory=frozenset)
    tags: tuple[str, ...] = ()
    krs: tuple[int, ...] = ()
    nums: tuple[int, ...] = ()
    mine: str | None = None  # the user's handle when "only mine" is on

    def __bool__(self) -> bool:
        return bool(
            self.words
            or self.owners
            or self.states
            or self.rags
            or self.tags
            or self.krs
            or self.nums
            or self.mine
        )

    def predicate(self) -> Callable[[dict[str, Any]], bool]:
        """`matches` specialised to this filter's parts (what a live filter runs 10,000 times
        per keystroke: only the checks this filter needs, words first on the cached haystack)."""
        if self.words and not (
            self.owners
            or self.states
            or self.rags
            or self.tags
            or self.krs
            or self.nums
            or self.mine
        ):
            words = self.words
            if len(words) == 1:
                word = words[0]
                return lambda c: word in (c.get("_hay") or haystack(c))
            return lambda c: all(w in (c.get("_hay") or haystack(c)) for w in words)
        return self.matches

    def matches(self, card: Mapping[str, Any]) -> bool:
        if self.states and card.get("state") not in self.states:
            return False
        if self.rags and card.get("rag") not in self.rags:
            return False
        if self.nums and card.get("num") not in self.nums:
            return False
        if self.krs and card.get("kr_num") not in self.krs:
            return False
        handle = (card.get("owner_handle") or "").lower()
        if self.mine is not None and handle != self.mine:
            return False
        if self.owners:
            name = (card.get("owner_name") or "").lower()
            if not any(
                handle.startswith(o) or name.startswith(o) or f" {o}" in name for o in self.owners
            ):
                return False
        if self.tags:
            tags = (card.get("tags") or "").lower().split()
            if not all(any(t.startswith(want) for t in tags) for want in self.tags):
                return False
        if self.words:
            hay = card.get("_hay")
            if hay is None:
                hay = haystack(card)
            if not all(w in hay for w in self.words):
                return False
        return True


def haystack(card: Mapping[str, Any]) -> str:
    """The lower-case text a filter word is looked for in (compute once per card)."""
    return " ".join(
        str(card.get(k) or "")
        for k in ("title", "deliverable", "tags", "owner_handle", "owner_name")
    ).lower()


def parse_filter(text: str, *, mine: str | None = None) -> CardFilter:
    """Read what was typed in the filter box (never fails: unknown parts are words)."""
    words: list[str] = []
    owners: list[str] = []
    states: set[str] = set()
    rags: set[str] = set()
    tags: list[str] = []
    krs: list[int] = []
    nums: list[int] = []
    for part in (text or "").lower().split():
        if part.startswith("@") and len(part) > 1:
            owners.append(part[1:])
        elif part in STATES:
            states.add(part)
        elif part in RAGS:
            rags.add(part)
        elif part.startswith("tag:") and len(part) > 4:
            tags.append(part[4:].lstrip("#"))
        elif part.startswith("kr:") and part[3:].lstrip("kr#").isdigit():
            krs.append(int(part[3:].lstrip("kr#")))
        elif part.startswith("#") and part[1:].isdigit():
            nums.append(int(part[1:]))
        elif part.startswith("#") and len(part) > 1:
            tags.append(part[1:])
        elif part not in ("@", "#", "tag:", "kr:"):
            words.append(part)
    return CardFilter(
        words=tuple(words),
        owners=tuple(owners),
        states=frozenset(states),
        rags=frozenset(rags),
        tags=tuple(tags),
        krs=tuple(krs),
        nums=tuple(nums),
        mine=mine.lower() if mine else None,
    )


def new_card_defaults(f: CardFilter) -> dict[str, Any]:
    """What a new card needs for `f` to show it, where the filter names one value: the key
    result's number (`kr_num`), the owner's handle or its start (`owner`; "only mine" gives
    the user's), the state, the RAG colour, the tags. Words and card numbers can't be given."""
    out: dict[str, Any] = {}
    if len(f.krs) == 1:
        out["kr_num"] = f.krs[0]
    if f.mine:
        out["owner"] = f.mine
    elif len(f.owners) == 1:
        out["owner"] = f.owners[0]
    if len(f.states) == 1:
        out["state"] = next(iter(f.states))
    if len(f.rags) == 1:
        out["rag"] = next(iter(f.rags))
    if f.tags:
        out["tags"] = " ".join(f.tags)
    return out
