"""The "today" inbox: every nudge from every part of the workspace, gathered in one list.

Each part that knows what is late registers one function here, ``(store, today) -> list[Nudge]``,
named as ``"module:function"`` so this module imports nothing until asked (the CLI's
`kickoff nudges` stays light). The inbox screen, the review's counts and `kickoff nudges` all
read `gather`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kickoff_tui.rules.nudges import Nudge, for_person, kind_label, oldest_first

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: "module:function" for each source of nudges, in the order their groups are shown.
SOURCES: list[str] = [
    "kickoff_tui.store.nudges:cards",
    "kickoff_tui.store.nudges:key_results",
    "kickoff_tui.store.kpis:nudges",
    "kickoff_tui.store.nudges:blockers",
    "kickoff_tui.store.nudges:decisions",
    "kickoff_tui.store.nudges:risks",
    "kickoff_tui.store.nudges:first_actions",
    "kickoff_tui.store.pulses:nudges",
    "kickoff_tui.store.stakeholders:nudges",
    "kickoff_tui.store.comms:nudges",
    "kickoff_tui.store.charter:nudges",
]


#: A source's cheap check for one person, where building all its nudges costs (10,000 cards):
#: "module:function", ``(store, today, person_id) -> Iterable[str]`` giving the keys of the
#: nudges that source has for that person, lazily, so that `due_for` stops at the first one.
PROBES: dict[str, str] = {
    "kickoff_tui.store.nudges:cards": "kickoff_tui.store.nudges:my_cards",
}


def _source(target: str) -> Callable[[Store, date], list[Nudge]]:
    module, _, name = target.partition(":")
    fn: Callable[[Store, date], list[Nudge]] = getattr(importlib.import_module(module), name)
    return fn


def _keys_for(store: Store, today: date, target: str, person_id: str) -> Iterable[str]:
    """The keys of one source's nudges for `person_id`: its probe's when it has one."""
    probe = PROBES.get(target)
    if probe is None:
        return (n.key for n in for_person(_source(target)(store, today), person_id))
    module, _, name = probe.partition(":")
    keys: Iterable[str] = getattr(importlib.import_module(module), name)(store, today, person_id)
    return keys


def gather(store: Store, today: date) -> list[Nudge]:
    """Every nudge in the workspace today, grouped by kind, oldest first."""
    nudges: list[Nudge] = []
    for target in SOURCES:
        nudges.extend(_source(target)(store, today))
    return oldest_first(nudges)


def today(store: Store) -> date:
    """Today in the workspace timezone (the day every nudge is counted from)."""
    from kickoff_tui import clock

    return clock.today(str(store.workspace().get("timezone") or "UTC"))


# ---------------------------------------------------------------------- snoozing (local)

#: local_meta key prefixes (this machine only, never synced): snoozed until a day, posted on one.
SNOOZE = "inbox.snooze:"
POSTED = "inbox.posted:"


def _local_days(store: Store, prefix: str) -> dict[str, date]:
    """{nudge key: day} of the local_meta keys starting with `prefix` (unreadable days dropped)."""
    found: dict[str, date] = {}
    for row in store.rows(
        "SELECT key, value FROM local_meta WHERE key >= ? AND key < ? AND value IS NOT NULL",
        (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
    ):
        try:
            found[row["key"][len(prefix) :]] = date.fromisoformat(row["value"])
        except ValueError:
            continue
    return found


def snoozed(store: Store, today: date) -> set[str]:
    """Keys of the nudges snoozed on this machine that are still asleep today."""
    return {key for key, until in _local_days(store, SNOOZE).items() if today < until}


def snooze(store: Store, key: str, today: date) -> date:
    """Snooze one nudge on this machine until tomorrow (local_meta, never synced); returns the
    day it comes back. Snoozes that have run out are forgotten at the same time."""
    until = today + timedelta(days=1)
    stale = {SNOOZE + k: None for k, day in _local_days(store, SNOOZE).items() if day <= today}
    store.set_metas({**stale, SNOOZE + key: until.isoformat()})
    return until


def wake_all(store: Store, today: date) -> int:
    """Bring back every nudge snoozed on this machine; returns how many were asleep."""
    found = _local_days(store, SNOOZE)
    if found:
        store.set_metas({SNOOZE + key: None for key in found})
    return sum(1 for until in found.values() if today < until)


# ---------------------------------------------------------------------- the inbox read model


@dataclass(frozen=True)
class InboxItem:
    """One line of the inbox: the nudge and whose it is, in words."""

    nudge: Nudge
    who: str  # the person's name, or "nobody" when it needs the team
    label: str  # the kind's heading


@dataclass(frozen=True)
class InboxView:
    """What the inbox shows: mine or the team's nudges (snoozed ones left out), and how many
    were snoozed."""

    items: list[InboxItem]
    me: str | None
    everyone: bool
    snoozed: int


def _names(store: Store) -> dict[str, str]:
    return {
        r["id"]: r["name"] or r["handle"] or "?"
        for r in store.rows("SELECT id, name, handle FROM person WHERE deleted = 0")
    }


def items(store: Store, nudges: Iterable[Nudge]) -> list[InboxItem]:
    """Nudges with their person's name and their kind's heading."""
    names = _names(store)
    return [
        InboxItem(n, names.get(n.person_id or "", "nobody"), kind_label(n.kind)) for n in nudges
    ]


def view(store: Store, today: date, *, me: str | None, everyone: bool) -> InboxView:
    """The inbox: my nudges (or, with `everyone` or no `me`, the whole team's), without the ones
    snoozed on this machine, grouped by kind and oldest first."""
    everything = gather(store, today)
    asleep = snoozed(store, today)
    shown = for_person(everything, None if everyone or me is None else me)
    awake = [n for n in shown if n.key not in asleep]
    return InboxView(items(store, awake), me, everyone or me is None, len(shown) - len(awake))


def due_for(store: Store, today: date, person_id: str | None) -> bool:
    """Whether something not snoozed needs `person_id` today (the app then opens on the inbox)."""
    if person_id is None:
        return False
    asleep = snoozed(store, today)
    for target in SOURCES:  # source by source, each stopping at its first item for me
        if any(key not in asleep for key in _keys_for(store, today, target, person_id)):
            return True
    return False


def counts(store: Store, today: date) -> list[tuple[str, int]]:
    """The team's nudges per kind, (kind, count), in the inbox's order (the review shows
    them)."""
    found: dict[str, int] = {}
    for n in gather(store, today):
        found[n.kind] = found.get(n.kind, 0) + 1
    return list(found.items())


# ---------------------------------------------------------------------- posted once a day


def unposted(store: Store, nudges: Iterable[Nudge], today: date) -> list[Nudge]:
    """The nudges not posted to the team's chat today (from this machine)."""
    posted = _local_days(store, POSTED)
    return [n for n in nudges if posted.get(n.key) != today]


def mark_posted(store: Store, nudges: Iterable[Nudge], today: date) -> None:
    """Remember that these nudges were posted today (local_meta); older marks are forgotten."""
    stale = {POSTED + k: None for k, day in _local_days(store, POSTED).items() if day < today}
    store.set_metas({**stale, **{POSTED + n.key: today.isoformat() for n in nudges}})
