"""The retrospective's rules: the three columns, counting votes, what "the data" brings to the
session, which window an action lands in, and what became of an action. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

KINDS = ("well", "not_well", "change")
KIND_LABELS = {"well": "Went well", "not_well": "Didn't go well", "change": "Change"}
ACTION_KINDS = ("card", "risk", "decision")
#: How many key results "moved most" and "moved least" each bring.
MOVERS = 2
#: The most late cards and risks the data list brings (the rest are counted in one line).
MAX_LISTED = 3
#: The day the review page starts pointing at the retrospective (the guides' day-90 retro).
RETRO_FROM_DAY = 80


def vote_counts(votes: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Votes per item from (item_id, person_id) pairs: one vote per person per item, however
    many times the pair appears (two machines may both have recorded it)."""
    seen = {(item, person) for item, person in votes}
    counts: dict[str, int] = {}
    for item, _ in seen:
        counts[item] = counts.get(item, 0) + 1
    return counts


def ranked(item_ids: list[str], counts: dict[str, int]) -> list[str]:
    """Items most voted first; ties keep their order (the order they were added)."""
    order = {item: i for i, item in enumerate(item_ids)}
    return sorted(item_ids, key=lambda item: (-counts.get(item, 0), order[item]))


@dataclass(frozen=True)
class KrMove:
    """How far a key result moved over the period: progress at its start and now (0..1)."""

    ref: str
    title: str
    before: float
    now: float

    @property
    def moved(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class DataItem:
    """One line the data brings to the retro, in the column it belongs to."""

    kind: str
    text: str


def _pct(x: float) -> str:
    return f"{round(x * 100):+d} pts"


def from_the_data(
    moves: list[KrMove],
    late_cards: list[tuple[str, str, int]],
    risks_happened: list[tuple[str, str]],
    pulse_moves: list[tuple[str, float, float]] | None = None,
) -> list[DataItem]:
    """The "from the data" list: the key results that moved most (went well) and least (didn't),
    cards late (ref, title, days late), risks that happened (ref, title), and the pulse
    questions whose average rose or fell by PULSE_MOVE or more since the pulse before
    (label, before, now). Each key result appears once; a list longer than MAX_LISTED ends
    with a count of the rest."""
    items: list[DataItem] = []
    for label, before, now in pulse_moves or []:
        if now - before >= PULSE_MOVE - 1e-9:
            items.append(DataItem("well", f"Pulse {label} rose from {before:.1f} to {now:.1f}"))
        elif before - now >= PULSE_MOVE - 1e-9:
            items.append(DataItem("not_well", f"Pulse {label} fell from {before:.1f} to {now:.1f}"))
    by_move = sorted(moves, key=lambda m: (-m.moved, m.ref))
    most = [m for m in by_move if m.moved > 0][:MOVERS]
    least = [m for m in reversed(by_move) if m not in most][:MOVERS]
    for m in most:
        items.append(DataItem("well", f"{m.ref} moved most: {m.title} ({_pct(m.moved)})"))
    for m in least:
        items.append(DataItem("not_well", f"{m.ref} moved least: {m.title} ({_pct(m.moved)})"))
    late = sorted(late_cards, key=lambda c: (-c[2], c[0]))
    for ref, title, days in late[:MAX_LISTED]:
        items.append(
            DataItem("not_well", f"{ref} late by {days} day{'s' if days != 1 else ''}: {title}")
        )
    if len(late) > MAX_LISTED:
        items.append(DataItem("not_well", f"… and {len(late) - MAX_LISTED} more cards late"))
    for ref, title in risks_happened[:MAX_LISTED]:
        items.append(DataItem("not_well", f"{ref} happened: {title}"))
    if len(risks_happened) > MAX_LISTED:
        items.append(
            DataItem("not_well", f"… and {len(risks_happened) - MAX_LISTED} more risks happened")
        )
    return items


#: How far a pulse question's average must move to be worth a retro item (the pulse's ⚠).
PULSE_MOVE = 0.5


def risk_happened(likelihood: int | None, status: str | None) -> bool:
    """A risk that happened: rated almost certain (likelihood 5) and not closed. The register
    has no "occurred" status, so a risk raised to 5 is the one the team saw come true."""
    return likelihood == 5 and status != "closed"


def days_late(due: date | None, state: str | None, today: date) -> int:
    """Whole days a card is past its due day (0 when not late, done, or without a due day)."""
    if due is None or state == "done" or due >= today:
        return 0
    return (today - due).days


def next_window(day: int) -> str:
    """Where a retro's action card goes: the window after the one `day` is in (a retro on day
    20 plans into 31–60; from day 61 on, into Later: the next plan)."""
    if day <= 30:
        return "60"
    if day <= 60:
        return "90"
    return "later"


def action_outcome(kind: str | None, state: str | None, exists: bool) -> str:
    """What became of an action, in words: "done", "not done (doing)", "deleted", "recorded"."""
    if kind is None:
        return ""
    if not exists:
        return "deleted"
    if kind == "card":
        return "done" if state == "done" else f"not done ({state or 'to do'})"
    return "recorded"
