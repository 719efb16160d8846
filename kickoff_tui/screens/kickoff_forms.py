"""The Kickoff page's forms: their fields and whole-form checks (no store writes here)."""

from __future__ import annotations

from typing import Any

from kickoff_tui.rules.kickoff import (
    ATTITUDES,
    CADENCE_LABELS,
    CADENCES,
    CHARTER_SECTIONS,
    DISCIPLINE_LABELS,
    DISCIPLINES,
    QUESTION_FIELDS,
    QUESTIONS,
)
from kickoff_tui.widgets.form import Field
from kickoff_tui.widgets.form_fields import grid_cell, levels

LEVEL_CHOICES = levels(("very low", "low", "medium", "high", "very high"))
YES_NO = [("yes", 1), ("no", 0)]
DATE_HINT = "2026-12-24, +2w, next friday"


def section_fields(name: str, text: str) -> list[Field]:
    hint = next(h for n, _, h in CHARTER_SECTIONS if n == name)
    return [Field(name, "Text", kind="textarea", value=text, hint=hint, max_len=20000)]


def section_title(name: str) -> str:
    return "Charter: " + next(t for n, t, _ in CHARTER_SECTIONS if n == name)


def question_fields(q: dict[str, Any] | None, people: list[tuple[str, str]]) -> list[Field]:
    q = q or {}
    fields = [
        Field("text", "Question", value=q.get("text"), required=True, max_len=300),
        Field("owner_id", "Owner", kind="choice", value=q.get("owner_id"), choices=people),
        Field(
            "answer_by",
            "Answer by",
            kind="date",
            value=q.get("answer_by"),
            hint="blank: tomorrow (the guides: answered and published the next day)",
        ),
    ]
    if q:
        fields.append(Field("answer", "Answer", kind="textarea", value=q.get("answer")))
    return fields


def answer_fields(q: dict[str, Any]) -> list[Field]:
    return [
        Field(
            "answer",
            "Answer",
            kind="textarea",
            value=q.get("answer"),
            required=True,
            hint="publish it the same day (decisions log, chat)",
        )
    ]


def stakeholder_fields(
    s: dict[str, Any] | None, people: list[tuple[str, str]], cell: tuple[int, int]
) -> list[Field]:
    s = s or {}
    return [
        Field("name", "Name", value=s.get("name"), required=True, max_len=120),
        Field(
            "discipline",
            "Discipline",
            kind="choice",
            required=True,
            value=s.get("discipline") or "other",
            choices=[(DISCIPLINE_LABELS[d], d) for d in DISCIPLINES],
        ),
        Field(
            "internal",
            "Side",
            kind="choice",
            required=True,
            value=s.get("internal", 1),
            choices=[("internal", 1), ("external", 0)],
        ),
        *grid_cell(
            s,
            cell,
            ("influence", "Influence", LEVEL_CHOICES),
            ("interest", "Interest", LEVEL_CHOICES),
        ),
        Field(
            "attitude",
            "Attitude",
            kind="choice",
            value=s.get("attitude"),
            choices=[(a, a) for a in ATTITUDES],
        ),
        Field("expectation", "We expect", kind="textarea", value=s.get("expectation")),
        Field(
            "owner_id",
            "Relationship",
            kind="choice",
            value=s.get("owner_id"),
            choices=people,
            hint="who owns the relationship",
        ),
        Field("last_contact", "Last contact", kind="date", value=s.get("last_contact")),
        Field(
            "next_contact", "Next contact", kind="date", value=s.get("next_contact"), hint=DATE_HINT
        ),
        Field("notes", "Notes", kind="textarea", value=s.get("notes")),
    ]


#: The five questions' labels in a form (at most 15 characters).
SHORT_LABELS = ("Affects?", "Expectation?", "Relationship?", "Replaceable?", "Covered?")


def shortlist_fields(s: dict[str, Any]) -> list[Field]:
    """The five questions, each yes / no (blank: not answered yet)."""
    return [
        Field(
            name,
            f"{n} {SHORT_LABELS[n - 1]}",
            kind="choice",
            value=s.get(name),
            choices=YES_NO,
            hint=f"{question} (on the list: {'yes' if n <= 3 else 'no'})",
        )
        for n, (name, (question, _)) in enumerate(zip(QUESTION_FIELDS, QUESTIONS), 1)
    ]


def contact_fields(s: dict[str, Any]) -> list[Field]:
    return [
        Field(
            "next_contact",
            "Next contact",
            kind="date",
            value=None,
            hint="when to talk to them again: " + DATE_HINT,
        )
    ]


def comm_fields(
    c: dict[str, Any] | None, people: list[tuple[str, str]], stakeholders: list[tuple[str, str]]
) -> list[Field]:
    c = c or {}
    return [
        Field(
            "stakeholder_id",
            "Stakeholder",
            kind="choice",
            value=c.get("stakeholder_id"),
            choices=stakeholders,
            hint="the audience when it is one stakeholder",
        ),
        Field(
            "audience",
            "Or group",
            value=c.get("audience") if not c.get("stakeholder_id") else None,
            max_len=120,
            hint="everyone, the sales team…; blank with no stakeholder: everyone",
        ),
        Field("message", "What", value=c.get("message"), required=True, max_len=300),
        Field("channel", "Channel", value=c.get("channel"), max_len=80, hint="all-hands, email…"),
        Field(
            "cadence",
            "Cadence",
            kind="choice",
            required=True,
            value=c.get("cadence") or "once",
            choices=[(CADENCE_LABELS[k], k) for k in CADENCES],
        ),
        Field(
            "starts",
            "Date",
            kind="date",
            value=c.get("starts"),
            hint="once: its day; a series: the first (blank: the kickoff); day 30/60/90: blank",
        ),
        Field("owner_id", "Owner", kind="choice", value=c.get("owner_id"), choices=people),
    ]


def check_comm(values: dict[str, Any]) -> dict[str, str]:
    """A one-off needs its date."""
    if values.get("cadence") == "once" and not values.get("starts"):
        return {"starts": "A one-off communication needs its date."}
    return {}
