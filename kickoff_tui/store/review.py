"""The weekly review: one read model for the review page and its Markdown export.

:func:`build_review` gathers everything the review page shows (the plan day, objectives with
progress and pace, the board's counts and the cards that need attention, the top risks, open
decisions and blockers, and what changed since a chosen date) in one :class:`Review`, which the
review screen and the Markdown export both render, so the two never disagree.

The decision log moved to :mod:`kickoff_tui.store.decisions`, the files beside the workspace to
:mod:`kickoff_tui.store.beside`, ``md``/``md_block`` to :mod:`kickoff_tui.rules.markdown` and
``local_day``/``local_stamp`` to :mod:`kickoff_tui.rules.windows`; their old names here still work.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.dates import is_late, iso_utc
from kickoff_tui.rules.markdown import block as md_block
from kickoff_tui.rules.markdown import one_line as md
from kickoff_tui.rules.okr import kr_value_text
from kickoff_tui.rules.windows import (
    WINDOW_LABELS,
    WINDOWS,
    day_of,
    format_range,
    local_day,
    local_stamp,
    window_of,
)
from kickoff_tui.store import queries
from kickoff_tui.store.beside import folder_beside, slug, write_beside
from kickoff_tui.store.decisions import (
    DECIDED,
    DECISION_STATUSES,
    decision_links,
    decision_log,
    decision_markdown,
    decision_state,
    publication_late,
    publish_decision,
    publish_due,
    save_decision,
    supersede_decision,
    write_decision_file,
)
from kickoff_tui.store.queries import numbered_ids

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

PLAN_DAYS = 90
TOP_RISKS = 5
#: How far back "since last review" looks by default.
DEFAULT_SINCE_DAYS = 7
#: The most late/blocked/red cards a review lists (the count says how many there were in all).
MAX_ATTENTION = 20
#: The most activity lines a review lists (the count says how many there were in all).
MAX_CHANGES = 200

RAGS = ("green", "yellow", "red")

#: Names that lived here before the decision log had its own module (still importable).
__all__ = [
    "DECIDED",
    "DECISION_STATUSES",
    "decision_links",
    "decision_log",
    "decision_markdown",
    "decision_state",
    "folder_beside",
    "local_day",
    "local_stamp",
    "md",
    "md_block",
    "publication_late",
    "publish_decision",
    "publish_due",
    "save_decision",
    "slug",
    "supersede_decision",
    "write_beside",
    "write_decision_file",
]


# ---------------------------------------------------------------------- the plan's day


@dataclass(frozen=True)
class PlanDay:
    """Where today falls in the 90 days."""

    today: date
    kickoff: date
    tz: str
    day: int
    window: str  # "30" | "60" | "90" | "later"

    @property
    def headline(self) -> str:
        """'Day 37 of 90 · 31–60 window (Dec 17 – Jan 15)', or before/after the 90 days."""
        if self.day < 0:
            return f"Kickoff in {-self.day} day{'s' if self.day != -1 else ''}"
        if self.window == "later":
            return f"Day {self.day} · past the {PLAN_DAYS} days"
        return (
            f"Day {self.day} of {PLAN_DAYS} · {WINDOW_LABELS[self.window]} window "
            f"({format_range(self.window, self.kickoff)})"
        )


def plan_day(store: Store) -> PlanDay:
    """Today's plan day in the workspace timezone (kickoff date missing: today is day 0)."""
    ws = store.workspace()
    tz = ws.get("timezone") or "UTC"
    today = clock.today(tz)
    try:
        kickoff = date.fromisoformat(ws.get("kickoff_date") or "")
    except ValueError:
        kickoff = today
    return PlanDay(today, kickoff, tz, day_of(today, kickoff, tz), window_of(today, kickoff, tz))


def day_start_iso(day: date, tz: str) -> str:
    """The instant the local day `day` starts in `tz`, as stored ISO-8601 UTC text."""
    import pendulum

    from kickoff_tui.rules.windows import zone

    return iso_utc(pendulum.datetime(day.year, day.month, day.day, tz=zone(tz)))


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_SINCE_DAYS)


# ---------------------------------------------------------------------- the review


@dataclass(frozen=True)
class KrLine:
    num: int
    title: str
    kind: str
    owner: str | None
    current: float | None
    target: float | None
    unit: str | None
    progress: float
    grade: str
    pace: str

    @property
    def value_text(self) -> str:
        """Where it stands against its target, in words: '71 → 120 teams', '3 (keep ≤ 2)'."""
        return kr_value_text(self.kind, self.current, self.target, self.unit, self.progress)


@dataclass(frozen=True)
class ObjectiveLine:
    num: int
    title: str
    owner: str | None
    progress: float
    grade: str
    pace: str
    key_results: list[KrLine]


@dataclass(frozen=True)
class WindowCount:
    window: str
    label: str
    dates: str
    counts: dict[str, int]  # state -> cards
    current: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class AttentionCard:
    """A card that isn't done and is late, blocked or red, with the reasons in words."""

    num: int
    title: str
    window: str
    state: str
    rag: str
    owner: str | None
    due: date | None
    reasons: list[str]


@dataclass
class Review:
    """Everything the review page shows, read in one go."""

    name: str
    vision: str | None
    plan: PlanDay
    since: date
    objectives: list[ObjectiveLine] = field(default_factory=list)
    windows: list[WindowCount] = field(default_factory=list)
    attention: list[AttentionCard] = field(default_factory=list)
    attention_total: int = 0
    risks: list[sqlite3.Row] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    blockers: list[dict[str, Any]] = field(default_factory=list)
    changes: list[sqlite3.Row] = field(default_factory=list)
    changes_total: int = 0
    #: Active people's first actions: {name, handle, state, label, card_num, title}.
    first_actions: list[dict[str, Any]] = field(default_factory=list)


def build_review(store: Store, since: date | None = None) -> Review:
    """Read the whole review page; `since` defaults to a week before today."""
    plan = plan_day(store)
    ws = store.workspace()
    since = since or default_since(plan.today)
    review = Review(ws.get("name") or "", ws.get("vision"), plan, since)
    review.objectives = _objectives(store, plan)
    review.windows, review.attention, review.attention_total = _board(store, plan)
    review.risks = top_risks(store)
    review.decisions = [d for d in decision_log(store) if d["open"]]
    review.blockers = _blockers(store)
    start = day_start_iso(since, plan.tz)
    review.changes = queries.recent_activity(store, since=start, limit=MAX_CHANGES)
    review.changes_total = store.one(
        "SELECT count(*) FROM activity WHERE deleted = 0 AND at > ?", (start,)
    )[0]
    review.first_actions = first_action_lines(store)
    return review


def first_action_lines(store: Store) -> list[dict[str, Any]]:
    """Each active person's first action (none yet / due in N h / done on time / ⚠ late)."""
    from kickoff_tui.store.people import first_actions

    firsts = first_actions(store)
    return [
        {
            "name": p["name"] or p["handle"] or "?",
            "handle": p["handle"],
            **firsts.get(
                p["id"], {"state": "none", "label": "none yet", "card_num": None, "title": None}
            ),
        }
        for p in store.rows(
            "SELECT id, name, handle FROM person WHERE deleted = 0 "
            "AND coalesce(active, 1) = 1 ORDER BY name COLLATE NOCASE, id"
        )
    ]


def _objectives(store: Store, plan: PlanDay) -> list[ObjectiveLine]:
    """The objectives and key results as the OKR screen scores them (store.okrs.view, the one
    read model of a key result's progress)."""
    from kickoff_tui.store.okrs import view

    return [
        ObjectiveLine(
            obj.num,
            obj.title,
            obj.owner_name,
            obj.progress,
            obj.grade,
            obj.pace,
            [
                KrLine(
                    kr.num,
                    kr.title,
                    kr.kind,
                    kr.owner_name,
                    kr.current,
                    kr.target,
                    kr.unit,
                    kr.progress,
                    kr.grade,
                    kr.pace,
                )
                for kr in obj.key_results
            ],
        )
        for obj in view(store).objectives
    ]


def _due(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _board(store: Store, plan: PlanDay) -> tuple[list[WindowCount], list[AttentionCard], int]:
    """Cards per window and state, and the cards not done that are late, blocked or red
    (blocked first, then red, then the latest; at most MAX_ATTENTION, with the total)."""
    counts: dict[str, dict[str, int]] = {
        w: {"todo": 0, "doing": 0, "blocked": 0, "done": 0} for w in WINDOWS
    }
    for row in store.rows(
        "SELECT window, state, count(*) AS n FROM card WHERE deleted = 0 GROUP BY window, state"
    ):
        window = row["window"] if row["window"] in counts else "30"
        state = row["state"] if row["state"] in counts[window] else "todo"
        counts[window][state] += row["n"]
    today = plan.today.isoformat()
    where = (
        "c.deleted = 0 AND coalesce(c.state, 'todo') != 'done' AND "
        "(c.state = 'blocked' OR c.rag = 'red' OR (c.due IS NOT NULL AND c.due < :today))"
    )
    total = store.one(f"SELECT count(*) FROM card c WHERE {where}", {"today": today})[0]
    attention = []
    for card in store.rows(
        f"""WITH shown AS (
                SELECT * FROM card c WHERE {where}
                 ORDER BY c.state = 'blocked' DESC, c.rag = 'red' DESC,
                          coalesce(c.due, '9999') ASC, c.created_at, c.id
                 LIMIT :limit)
            SELECT c.*, n.num, p.name AS owner_name FROM shown c
              JOIN {numbered_ids("card", "SELECT id FROM shown")} n ON n.id = c.id
              LEFT JOIN person p ON p.id = c.owner_id AND p.deleted = 0
             ORDER BY c.state = 'blocked' DESC, c.rag = 'red' DESC,
                      coalesce(c.due, '9999') ASC, c.created_at, c.id""",
        {"today": today, "limit": MAX_ATTENTION},
    ):
        due = _due(card["due"])
        reasons = []
        if card["state"] == "blocked":
            reasons.append("blocked")
        if card["rag"] == "red":
            reasons.append("red")
        if is_late(due, plan.today):
            late = (plan.today - due).days  # type: ignore[operator]
            reasons.append(f"{late} day{'s' if late != 1 else ''} late")
        if reasons:
            attention.append(
                AttentionCard(
                    card["num"],
                    card["title"] or "",
                    card["window"] or "30",
                    card["state"] or "todo",
                    card["rag"] or "",
                    card["owner_name"],
                    due,
                    reasons,
                )
            )
    windows = [
        WindowCount(
            w,
            WINDOW_LABELS[w],
            format_range(w, plan.kickoff),
            counts[w],
            w == plan.window and plan.day >= 0,
        )
        for w in WINDOWS
    ]
    return windows, attention, total


def top_risks(store: Store, limit: int = TOP_RISKS) -> list[sqlite3.Row]:
    """Risks not closed, highest residual score first (then inherent score, then number)."""
    live = [r for r in queries.risks(store) if (r["status"] or "open") != "closed"]
    live.sort(key=lambda r: (-(r["residual_score"] or 0), -(r["score"] or 0), r["num"]))
    return live[:limit]


def _blockers(store: Store) -> list[dict[str, Any]]:
    """The open blockers as the standup lists them (:func:`standups.open_blockers`, the one
    meaning: an owner removed from the team is no owner), `owner_overdue` when one still has
    no owner after the day it was raised."""
    from kickoff_tui.store.standups import open_blockers

    return [{**b, "owner_overdue": b["overdue"]} for b in open_blockers(store)]
