"""Nudges: one thing that needs someone, with who and since when.

Every part of the workspace that knows what is late (cards, key results, KPIs, blockers,
decisions, risks, first actions, stakeholders, communications, kickoff questions, pulses)
gives its nudges in this one shape, so the inbox, the review and `kickoff nudges` show them
the same way. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Nudge:
    """One item that needs someone.

    `kind` names the rule that raised it ("card-late", "kpi-under", "comm-due", ...), `ref` is
    the number people say ("#12", "KR3", "K2", "R4", "D2"), `why` is one sentence for a
    person, `person_id` is who it needs (None: the team), `since` is the day it became due,
    and `screen`/`record_id` say where `enter` jumps (an app mode and the record to put the
    cursor on).
    """

    kind: str
    ref: str
    title: str
    why: str
    person_id: str | None
    since: date
    screen: str
    record_id: str

    @property
    def key(self) -> str:
        """Stable identity for snoozing and "posted once a day": the rule and the record."""
        return f"{self.kind}:{self.record_id}"


def numbered(
    rows: Iterable[Mapping[str, Any]],
    kind: str,
    letter: str,
    title: str,
    screen: str,
    since: Callable[[Mapping[str, Any]], date | None],
    why: Callable[[Mapping[str, Any], date], str],
) -> list[Nudge]:
    """A nudge for each numbered record (`id`, `num`, `owner_id`) that is due: `since(row)` is
    the day it became due (None: not due); the ref is `letter` and the number, the title the
    row's `title` field, and it needs the record's owner."""
    return [
        Nudge(
            kind,
            f"{letter}{row['num']}",
            row[title] or "",
            why(row, day),
            row["owner_id"],
            day,
            screen,
            row["id"],
        )
        for row in rows
        if (day := since(row)) is not None
    ]


def oldest_first(nudges: list[Nudge]) -> list[Nudge]:
    """Grouped by kind (in first-seen order), oldest first within a kind."""
    order: dict[str, int] = {}
    for nudge in nudges:
        order.setdefault(nudge.kind, len(order))
    return sorted(nudges, key=lambda n: (order[n.kind], n.since, n.ref))


#: A heading for each kind of nudge (the inbox's groups, the review's counts); a part that adds
#: a kind adds its label here (a kind without one is shown as its name, "kpi-under" -> "kpi under").
KIND_LABELS: dict[str, str] = {
    "card-late": "Cards late",
    "card-due": "Cards due this week",
    "card-blocked": "Cards blocked",
    "kr-stale": "Key results without a check-in",
    "kr-pace": "Key results at risk by pace",
    "kpi-under": "KPIs under their threshold",
    "kpi-missing": "KPIs missing a reading",
    "blocker-unowned": "Blockers without an owner",
    "decision-unpublished": "Decisions not published",
    "risk-review": "Risks past their review",
    "risk-mitigation": "Risks past their mitigation date",
    "first-action": "First actions not done in 72 h",
    "pulse-open": "Pulse open",
    "stakeholder-contact": "Stakeholders past their next contact",
    "comm-due": "Communications due",
    "question-late": "Kickoff questions unanswered",
}


def kind_label(kind: str) -> str:
    """The heading of a kind of nudge."""
    return KIND_LABELS.get(kind) or kind.replace("-", " ").capitalize()


#: Two or three words for each kind, where the headings are too long (the review's counts).
SHORT_LABELS: dict[str, str] = {
    "card-late": "cards late",
    "card-due": "cards due",
    "card-blocked": "cards blocked",
    "kr-stale": "KRs unchecked",
    "kr-pace": "KRs behind",
    "kpi-under": "KPIs low",
    "kpi-missing": "KPIs unread",
    "blocker-unowned": "blockers unowned",
    "decision-unpublished": "decisions to publish",
    "risk-review": "risks to review",
    "risk-mitigation": "mitigations late",
    "first-action": "first actions",
    "pulse-open": "pulse open",
    "stakeholder-contact": "contacts due",
    "comm-due": "comms due",
    "question-late": "questions",
}

#: The part of the workspace each kind belongs to (by the kind's first word), for one count
#: per part when even the short labels don't fit.
AREA_LABELS: dict[str, str] = {
    "card": "cards",
    "kr": "KRs",
    "kpi": "KPIs",
    "blocker": "blockers",
    "decision": "decisions",
    "risk": "risks",
    "first": "first actions",
    "pulse": "pulse",
    "stakeholder": "contacts",
    "comm": "comms",
    "question": "questions",
}


def short_label(kind: str) -> str:
    """A kind of nudge in two or three words ("cards late", "KRs behind")."""
    return SHORT_LABELS.get(kind) or kind.replace("-", " ")


def area_label(kind: str) -> str:
    """The part of the workspace a kind of nudge belongs to ("cards", "KRs")."""
    head = kind.partition("-")[0]
    return AREA_LABELS.get(head) or head


def per_area(counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """(kind, count) pairs added up per part of the workspace, in first-seen order."""
    found: dict[str, int] = {}
    for kind, n in counts:
        area = area_label(kind)
        found[area] = found.get(area, 0) + n
    return list(found.items())


def for_person(nudges: list[Nudge], person_id: str | None) -> list[Nudge]:
    """The nudges that need `person_id` (None: every nudge, the whole team's list)."""
    if person_id is None:
        return list(nudges)
    return [n for n in nudges if n.person_id == person_id]
