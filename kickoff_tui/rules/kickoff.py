"""Kickoff rules: the five-question stakeholder shortlist, the engagement a grid cell calls for,
and when a planned communication is next due.

From the kickoff guides: a stakeholder is worth a place on the short list when they affect the
outcome, we can say what we expect of them and there is a live relationship with a high expected
contribution (questions 1–3 answered yes), and they can't easily be done without and are not
already looked after through another route (questions 4–5 answered no). Pure: no I/O, no clock.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "ATTITUDES",
    "CADENCES",
    "CADENCE_LABELS",
    "CHARTER_SECTIONS",
    "DISCIPLINES",
    "DISCIPLINE_LABELS",
    "ENGAGEMENTS",
    "QUESTIONS",
    "QUESTION_FIELDS",
    "WANTED",
    "Verdict",
    "engagement",
    "is_high",
    "next_due",
    "overdue",
    "shortlist",
]

#: The guides' five internal disciplines, then the outside parties.
DISCIPLINES = (
    "marketing",
    "sales",
    "legal",
    "facilities",
    "it",
    "customer",
    "supplier",
    "partner",
    "management",
    "regulator",
    "other",
)
DISCIPLINE_LABELS = {
    "marketing": "Marketing",
    "sales": "Sales",
    "legal": "Legal/compliance",
    "facilities": "Facilities",
    "it": "IT",
    "customer": "Customer",
    "supplier": "Supplier",
    "partner": "Partner",
    "management": "Management",
    "regulator": "Regulator",
    "other": "Other",
}
ATTITUDES = ("supporter", "neutral", "critic")

#: The five shortlist questions, in order, with the short form used in narrow places.
QUESTIONS = (
    ("Do they affect the outcome?", "affects the outcome"),
    ("Can we say clearly what we expect of them?", "clear expectation"),
    ("Is there a live relationship with a high expected contribution?", "live relationship"),
    ("Could we do without them, or replace them easily?", "replaceable"),
    ("Are they already assigned through another route (management, a line manager)?", "covered"),
)
#: The stored field of each question (1 yes, 0 no, NULL not answered yet).
QUESTION_FIELDS = ("q_affects", "q_expect", "q_relationship", "q_replaceable", "q_assigned")
#: The answer each question needs for a place on the short list.
WANTED = (True, True, True, False, False)

#: The engagement each quadrant of the influence × interest grid calls for.
ENGAGEMENTS = ("manage closely", "keep satisfied", "keep informed", "monitor")

CADENCES = ("once", "weekly", "biweekly", "monthly", "day30", "day60", "day90")
CADENCE_LABELS = {
    "once": "once",
    "weekly": "weekly",
    "biweekly": "every two weeks",
    "monthly": "monthly",
    "day30": "at day 30",
    "day60": "at day 60",
    "day90": "at day 90",
}

#: The charter's sections: (field, title, what to write).
CHARTER_SECTIONS = (
    ("purpose", "Purpose and why now", "Why the project exists and why it starts now."),
    ("context", "Context and history", "What came before: earlier attempts, decisions, facts."),
    ("scope_in", "Scope: in", "What the project delivers."),
    ("scope_out", "Scope: out", "What it deliberately does not do."),
    ("success", "Success in 90 days", "What success looks like; the objectives are listed."),
    ("roles", "Roles", "Who decides, who does; the people and the RACI are listed."),
    (
        "rules",
        "Rules of the game",
        "Weekly meeting, tools and channels, how decisions are made and published.",
    ),
)


@dataclass(frozen=True)
class Verdict:
    """The shortlist verdict: `on` is True (shortlisted), False (kept off) or None (not decided:
    some answers are missing and none answered so far keeps them off). `against` names the
    questions (1–5) whose answer keeps them off; `missing` the ones not answered yet."""

    on: bool | None
    against: tuple[int, ...]
    missing: tuple[int, ...]

    def summary(self) -> str:
        """One line for a person: "shortlisted", "off: 4 replaceable", "open: answer 2, 5"."""
        if self.on:
            return "shortlisted"
        if self.on is False:
            why = ", ".join(f"{n} {QUESTIONS[n - 1][1]}" for n in self.against)
            return f"off: {why}"
        return "not decided: answer " + ", ".join(str(n) for n in self.missing)


def _answer(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if value in (0, 1) and isinstance(value, int):
        return bool(value)
    return None  # an impossible stored value counts as not answered


def shortlist(answers: tuple[object, ...] | list[object]) -> Verdict:
    """The verdict for the five answers (True/False/1/0/None, in question order)."""
    given = [_answer(a) for a in list(answers)[:5]] + [None] * max(0, 5 - len(answers))
    against = tuple(
        n for n, (got, want) in enumerate(zip(given, WANTED), 1) if got is not None and got != want
    )
    missing = tuple(n for n, got in enumerate(given, 1) if got is None)
    if against:
        return Verdict(False, against, missing)
    if missing:
        return Verdict(None, (), missing)
    return Verdict(True, (), ())


def is_high(level: int) -> bool:
    """3 and above counts as high: a middle value errs on the side of more engagement."""
    return level >= 3


def engagement(influence: int, interest: int) -> str:
    """The engagement a cell calls for: high influence and interest → manage closely; high
    influence only → keep satisfied; high interest only → keep informed; else monitor."""
    hi_inf, hi_int = is_high(influence), is_high(interest)
    if hi_inf and hi_int:
        return "manage closely"
    if hi_inf:
        return "keep satisfied"
    if hi_int:
        return "keep informed"
    return "monitor"


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


PERIOD_DAYS = {"weekly": 7, "biweekly": 14}


def next_due(
    cadence: str, starts: date | None, last_done: date | None, kickoff: date | None
) -> date | None:
    """When a communication is next due, or None when there is nothing left to do.

    once: on `starts` until done. weekly / biweekly / monthly: the first date of the series
    from `starts` (default: the kickoff) after the last time it was done, or `starts` itself if
    never done. day30/60/90: kickoff + N days until done on or after the date (a "done" before
    it only counts when it is the run-up, within a week before).
    """
    if cadence == "once":
        if starts is None:
            return None
        return starts if last_done is None else None
    if cadence in ("day30", "day60", "day90"):
        if kickoff is None:
            return None
        due = kickoff + timedelta(days=int(cadence[3:]))
        if last_done is not None and last_done >= due - timedelta(days=7):
            return None
        return due
    first = starts or kickoff
    if first is None or cadence not in ("weekly", "biweekly", "monthly"):
        return None
    if last_done is None or last_done < first:
        return first
    if cadence == "monthly":
        n = (last_done.year - first.year) * 12 + last_done.month - first.month
        due = _add_months(first, n)
        while due <= last_done:
            n += 1
            due = _add_months(first, n)
        return due
    period = PERIOD_DAYS[cadence]
    steps = (last_done - first).days // period + 1
    return first + timedelta(days=steps * period)


def overdue(due: date | None, today: date) -> bool:
    """Due before today (due today is on time)."""
    return due is not None and due < today
