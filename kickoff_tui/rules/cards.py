"""Card rules: state and RAG cycles, tags, RACI, dependency cycles and the board's warnings.

Pure: cards are plain mappings (id, window, due, ...), dates are passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS, window_range

__all__ = [
    "RACI_ROLES",
    "RAGS",
    "STATES",
    "TAG_MAX",
    "dependency_warnings",
    "due_outside_window",
    "find_cycle",
    "next_rag",
    "next_state",
    "parse_raci",
    "parse_tags",
    "state_before_block",
    "window_index",
]

STATES = ("todo", "doing", "blocked", "done")
RAGS = ("green", "yellow", "red")
RACI_ROLES = ("R", "A", "C", "I")

#: `space` on the board: todo → doing → done → todo; a blocked card is unblocked (doing).
_NEXT_STATE = {"todo": "doing", "doing": "done", "done": "todo", "blocked": "doing"}


def next_state(state: str | None) -> str:
    """The state `space` moves a card to."""
    return _NEXT_STATE.get(state or "todo", "todo")


def state_before_block(states: Sequence[str | None]) -> str:
    """The state `b` unblocks a card to: the one it had before its latest block, from its
    states oldest first (each value the card's state was set to); "doing" when unknown."""
    for i in range(len(states) - 1, 0, -1):
        before = states[i - 1]
        if states[i] == "blocked" and before != "blocked" and before in STATES:
            return before
    return "doing"


def next_rag(rag: str | None) -> str:
    """The RAG `r` moves a card to: green → yellow → red → green."""
    if rag not in RAGS:
        return "green"
    return RAGS[(RAGS.index(rag) + 1) % len(RAGS)]


#: The longest tag, in characters (a tag of exactly this length is fine).
TAG_MAX = 40
_TAG_SPLIT = re.compile(r"[\s,;]+")
_TAG_OK = re.compile(r"[^\W_][\w\-./+]*", re.UNICODE)


def parse_tags(text: str | None) -> str | None:
    """Tags as typed ("ops, Billing #q1") → the stored form "ops billing q1", or None.

    Raises ValueError with one sentence for a tag that isn't a word.
    """
    seen: list[str] = []
    for raw in _TAG_SPLIT.split((text or "").strip()):
        tag = raw.lstrip("#").lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ValueError(
                f"The tag '{tag[:20]}…' is too long; keep tags to at most {TAG_MAX} characters."
            )
        if not _TAG_OK.fullmatch(tag):
            shown = "".join(ch if ch.isprintable() else "?" for ch in raw)[:20]
            raise ValueError(
                f"'{shown}' isn't a tag: use words such as ops or q1, separated by spaces."
            )
        if tag not in seen:
            seen.append(tag)
    return " ".join(seen) or None


def parse_raci(text: str | None, people: Mapping[str, str]) -> dict[str, str]:
    """RACI as typed ("ana:A ben:R chloe=C") → {person id: role}.

    `people` maps lower-case handles to person ids. Raises ValueError with one sentence for an
    unknown person, an unknown role, a person given twice, or more than one A.
    """
    out: dict[str, str] = {}
    accountable: list[str] = []
    for item in _TAG_SPLIT.split((text or "").strip()):
        if not item:
            continue
        handle, sep, role = _split_pair(item)
        handle = handle.lstrip("@").lower()
        role = role.upper()
        if not sep or not handle or not role:
            raise ValueError(
                f"Write RACI as handle:role pairs, e.g. ana:A ben:R (got '{item[:20]}')."
            )
        if handle not in people:
            known = ", ".join(sorted(people)) or "nobody yet"
            raise ValueError(f"There is no @{handle[:20]} in this workspace (people: {known}).")
        if role not in RACI_ROLES:
            raise ValueError(f"RACI roles are R, A, C or I (got '{role[:5]}' for @{handle}).")
        pid = people[handle]
        if pid in out:
            raise ValueError(f"@{handle} is listed twice; give each person one role.")
        if role == "A":
            accountable.append(handle)
        out[pid] = role
    if len(accountable) > 1:
        names = " and ".join(f"@{h}" for h in accountable)
        raise ValueError(f"Only one person can be accountable (A), not {names}.")
    return out


def _split_pair(item: str) -> tuple[str, str, str]:
    for sep in (":", "="):
        if sep in item:
            handle, _, role = item.partition(sep)
            return handle, sep, role
    return item, "", ""


def find_cycle(
    edges: Iterable[tuple[str, str]], card_id: str, depends_on: Iterable[str]
) -> list[str] | None:
    """If `card_id` depending on `depends_on` would close a loop, the loop as a list of ids
    (starting and ending with `card_id`); else None.

    `edges` are the existing (card, depends on) pairs; `card_id`'s own existing edges are
    replaced by `depends_on`.
    """
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        if a != card_id:
            graph.setdefault(a, []).append(b)
    graph[card_id] = list(depends_on)
    # Depth-first search from card_id, remembering the path, looking for card_id again.
    stack: list[tuple[str, int]] = [(card_id, 0)]
    path: list[str] = [card_id]
    seen: set[str] = set()
    while stack:
        node, i = stack[-1]
        nexts = graph.get(node, [])
        if i >= len(nexts):
            stack.pop()
            path.pop()
            continue
        stack[-1] = (node, i + 1)
        nxt = nexts[i]
        if nxt == card_id:
            return [*path, card_id]
        if nxt in seen:
            continue
        seen.add(nxt)
        stack.append((nxt, 0))
        path.append(nxt)
    return None


def window_index(window: str | None) -> int:
    return WINDOWS.index(window) if window in WINDOWS else 0


def _short(d: date) -> str:
    return f"{d:%b} {d.day}"


def due_outside_window(due: date | None, window: str, kickoff: date) -> str | None:
    """A warning when a card is due after the window it sits in ends, or before it starts
    (moved later than its due date), else None."""
    if due is None or window not in WINDOWS:
        return None
    first, last = window_range(window, kickoff)
    if last is not None and due > last:
        return (
            f"It is due {_short(due)}, after the {WINDOW_LABELS[window]} window ends "
            f"({_short(last)})."
        )
    if due < first and window != WINDOWS[0]:  # nothing comes before the first window
        return (
            f"It is due {_short(due)}, before the {WINDOW_LABELS[window]} window starts "
            f"({_short(first)})."
        )
    return None


def dependency_warnings(
    card: Mapping[str, object],
    depends_on: Iterable[Mapping[str, object]],
    dependents: Iterable[Mapping[str, object]],
) -> list[str]:
    """Warnings when `card` sits in an earlier window than a card it depends on, or in a later
    window than a card that depends on it. Cards are mappings with num, title and window."""
    here = window_index(card.get("window"))  # type: ignore[arg-type]
    out = []
    for dep in depends_on:
        if dep.get("state") != "done" and window_index(dep.get("window")) > here:  # type: ignore[arg-type]
            out.append(
                f"It depends on #{dep.get('num')} {dep.get('title')}, which is in a later "
                f"window ({WINDOW_LABELS.get(str(dep.get('window')), '?')})."
            )
    for other in dependents:
        if window_index(other.get("window")) < here:  # type: ignore[arg-type]
            out.append(
                f"#{other.get('num')} {other.get('title')} depends on it but is in an "
                f"earlier window ({WINDOW_LABELS.get(str(other.get('window')), '?')})."
            )
    return out
