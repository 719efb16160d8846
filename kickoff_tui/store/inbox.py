"""The "today" inbox: every nudge from every part of the workspace, gathered in one list.

Each part that knows what is late registers one function here, ``(store, today) -> list[Nudge]``,
named as ``"module:function"`` so this module imports nothing until asked (the CLI's
`kickoff nudges` stays light). The inbox screen, the review's counts and `kickoff nudges` all
read `gather`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from kickoff_tui.rules.nudges import Nudge, oldest_first

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: "module:function" for each source of nudges, in the order their groups are shown.
SOURCES: list[str] = [
    "kickoff_tui.store.stakeholders:nudges",
    "kickoff_tui.store.comms:nudges",
    "kickoff_tui.store.charter:nudges",
]


def _source(target: str) -> Callable[[Store, date], list[Nudge]]:
    module, _, name = target.partition(":")
    fn: Callable[[Store, date], list[Nudge]] = getattr(importlib.import_module(module), name)
    return fn


def gather(store: Store, today: date) -> list[Nudge]:
    """Every nudge in the workspace today, grouped by kind, oldest first."""
    nudges: list[Nudge] = []
    for target in SOURCES:
        nudges.extend(_source(target)(store, today))
    return oldest_first(nudges)
