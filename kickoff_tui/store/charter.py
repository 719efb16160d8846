"""The project charter and the questions collected at the kickoff; their nudge; the demo's part.

The charter is one row with the fixed id ``charter``: whoever writes a section first creates it,
and two machines creating it at once create the same row (a creation of a known row is a no-op),
so sections written on two machines merge field by field like any other edit. Questions are
rows of their own, each with an owner and an answer-by date (the guides: collected at the
kickoff, answered and published the next day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules import domains
from kickoff_tui.rules.kickoff import CHARTER_SECTIONS, QUESTION_FIELDS
from kickoff_tui.rules.nudges import Nudge, numbered
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.stakeholders import iso_day, today_of

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

CHARTER_ID = "charter"
SECTION_FIELDS = tuple(name for name, _, _ in CHARTER_SECTIONS)
SECTION_TITLES = {name: title for name, title, _ in CHARTER_SECTIONS}


@dataclass
class Charter:
    """What the charter page shows: the sections' text, the objectives with their progress,
    who decides and who does, and the questions."""

    sections: dict[str, str]
    conflicts: set[str]
    objectives: list[dict[str, Any]] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)


def charter(store: Store, today: date | None = None) -> Charter:
    """The charter as the Kickoff page, the report and the CLI read it."""
    today = today or today_of(store)
    row = store.get("charter", CHARTER_ID) or {}
    sections = {name: (row.get(name) or "") for name in SECTION_FIELDS}
    conflicts = {c.field for c in store.conflicts("charter", CHARTER_ID)} if row else set()
    from kickoff_tui.store import okrs

    view = okrs.view(store)
    objectives = [
        {
            "ref": o.ref,
            "title": o.title,
            "progress": o.progress,
            "pace": o.pace,
            "owner": o.owner_name or "",
            "key_results": [
                {"ref": f"KR{k.num}", "title": k.title, "progress": k.progress}
                for k in o.key_results
            ],
        }
        for o in view.objectives
    ]
    return Charter(sections, conflicts, objectives, roles(store), questions(store, today))


def roles(store: Store) -> list[str]:
    """One line per person: their role, and what they are accountable (A) and responsible (R)
    for on the board — who decides, who does."""
    counts = {
        (r["person_id"], r["role"]): r["n"]
        for r in store.rows(
            "SELECT x.person_id, x.role, count(*) AS n FROM raci x JOIN card c "
            "ON c.id = x.entity_id AND c.deleted = 0 WHERE x.deleted = 0 AND x.entity = 'card' "
            "GROUP BY x.person_id, x.role"
        )
    }
    out = []
    for p in queries.people(store):
        parts = [p["role"] or "no role"]
        a, r = counts.get((p["id"], "A"), 0), counts.get((p["id"], "R"), 0)
        if a:
            parts.append(f"decides {a} card{'s' if a != 1 else ''}")
        if r:
            parts.append(f"does {r}")
        out.append(f"{p['name'] or p['handle']}: " + ", ".join(parts))
    return out


def save_section(store: Store, name: str, text: str | None) -> None:
    """Write one section of the charter (multi-line text; blank clears it)."""
    if name not in SECTION_FIELDS:
        raise InvalidEdit(f"The charter has no section {name!r}.")
    try:
        value = clean_text(text, what=SECTION_TITLES[name]) or None
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    summary = f"Charter: wrote {SECTION_TITLES[name]}"
    with store.transaction(summary, entity="charter", entity_id=CHARTER_ID) as tx:
        ensure(tx)
        tx.update("charter", CHARTER_ID, {name: value})


def ensure(tx: Transaction) -> None:
    """Create the charter's row in this transaction unless it exists."""
    exists = tx.conn.execute("SELECT 1 FROM charter WHERE id = ?", (CHARTER_ID,)).fetchone()
    if exists is None:
        tx.create("charter", {}, row_id=CHARTER_ID)


# ---------------------------------------------------------------------- questions

QUESTION_EDITABLE = ("text", "owner_id", "answer_by", "answer")


def questions(store: Store, today: date | None = None) -> list[dict[str, Any]]:
    """Live questions by number, with `owner_name`, `late` (unanswered past its date)."""
    today = today or today_of(store)
    rows = store.rows(
        f"""SELECT q.*, p.name AS owner_name FROM {queries.numbered("question")} q
              LEFT JOIN person p ON p.id = q.owner_id AND p.deleted = 0
             WHERE q.deleted = 0 ORDER BY q.num"""
    )
    conflicted = queries.conflicted_ids(store, "question")
    out = []
    for row in rows:
        item = dict(row)
        by = domains.day(item["answer_by"])
        item["late"] = not item["answer"] and by is not None and by < today
        item["conflict"] = item["id"] in conflicted
        out.append(item)
    return out


def _question_live(store: Store, question_id: str) -> dict[str, Any]:
    return queries.live(store, "question", question_id, "question")


def question_number(store: Store, question_id: str) -> int:
    found = store.row(
        f"SELECT num FROM {queries.numbered('question')} WHERE id = ?", (question_id,)
    )
    return found["num"] if found else 0


def save_question(
    store: Store, values: dict[str, Any], question_id: str | None = None, today: date | None = None
) -> str:
    """Create a question (no id; answer-by defaults to tomorrow) or change one; an answer
    given for the first time stamps `answered_at` today."""
    unknown = set(values) - set(QUESTION_EDITABLE)
    if unknown:
        raise InvalidEdit(f"A question has no field {min(unknown)!r}.")
    today = today or today_of(store)
    before = _question_live(store, question_id) if question_id else {}
    merged = {**before, **values}
    out = dict(values)
    try:
        out["text"] = clean_line(merged.get("text"), max_len=300, what="The question")
        if "answer" in values:
            out["answer"] = clean_text(values["answer"], what="The answer") or None
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    by = iso_day(merged.get("answer_by"), "Answer by")
    out["answer_by"] = by or (today + timedelta(days=1)).isoformat()
    if out.get("answer") and not before.get("answer"):
        out["answered_at"] = today.isoformat()
    elif "answer" in values and not out.get("answer"):
        out["answered_at"] = None
    if question_id is None:
        return store.create("question", out, summary=f"Question: {out['text']}")
    store.update(
        "question",
        question_id,
        out,
        summary=f"Edited question Q{question_number(store, question_id)} {out['text']}",
    )
    return question_id


def delete_question(store: Store, question_id: str) -> None:
    row = _question_live(store, question_id)
    store.delete(
        "question",
        question_id,
        summary=f"Deleted question Q{question_number(store, question_id)} {row['text']}",
    )


def nudges(store: Store, today: date) -> list[Nudge]:
    """Kickoff questions still unanswered past their answer-by date."""
    return numbered(
        questions(store, today),
        "question-late",
        "Q",
        "text",
        "kickoff",
        since=lambda q: domains.day(q["answer_by"]) if q["late"] else None,
        why=lambda q, by: (
            f"Kickoff question unanswered since {by:%b} {by.day}: answer and publish it."
        ),
    )


# ---------------------------------------------------------------------- demo

DEMO_CHARTER = {
    "purpose": "Launch Atlas to self-serve teams this quarter: the sales-led pilot proved the "
    "value; now teams must reach it alone, in a day.",
    "context": "Two pilots in the spring (12 teams). The first onboarding took a week and a "
    "consultant; the board asked for self-serve before the next funding round.",
    "scope_in": "Sign-up, onboarding checklist, trial emails, pricing page, status page.",
    "scope_out": "Enterprise SSO (next quarter), the mobile app, a partner marketplace.",
    "success": "Teams sign up and reach value in a day; a third of trials convert in a month.",
    "rules": "Weekly meeting Monday 09:30, 30 minutes. Work in the board; chat in #atlas. "
    "Decisions by the owner after asking the people affected; published in the log within "
    "24 hours.",
}

#: name, discipline, internal, influence, interest, attitude, expectation, owner, days since
#: last contact, days to next contact (negative: past), five answers
DEMO_STAKEHOLDERS: tuple[tuple[Any, ...], ...] = (
    (
        "Maria Keller (CEO)",
        "management",
        1,
        5,
        4,
        "supporter",
        "Budget and a go/no-go at day 30",
        "ana",
        9,
        5,
        (1, 1, 1, 0, 0),
    ),
    (
        "Legal team",
        "legal",
        1,
        4,
        2,
        "neutral",
        "Terms of service and DPA by day 20",
        "ben",
        20,
        -3,
        (1, 1, 0, 0, 0),
    ),
    (
        "Sales (EMEA)",
        "sales",
        1,
        3,
        5,
        "critic",
        "Hand over pilot accounts",
        "eunji",
        6,
        8,
        (1, 1, 1, 0, 1),
    ),
    (
        "IT operations",
        "it",
        1,
        2,
        3,
        "supporter",
        "SSO test tenant",
        "ben",
        12,
        16,
        (1, 1, 1, 1, 0),
    ),
    (
        "Pilot customer: Nordwind",
        "customer",
        0,
        3,
        4,
        "supporter",
        "Feedback every two weeks",
        "chloe",
        3,
        11,
        (1, 1, 1, 0, 0),
    ),
    (
        "Payment provider",
        "supplier",
        0,
        4,
        1,
        "neutral",
        "Live keys before day 45",
        "dev",
        25,
        -1,
        (1, None, None, None, None),
    ),
)

#: audience (stakeholder index or text), message, channel, cadence, start day, owner, done day
DEMO_COMMS: tuple[tuple[Any, ...], ...] = (
    ("everyone", "Kickoff report: charter, plan and risks", "email", "once", 1, "ana", 1),
    ("everyone", "Progress and blockers", "all-hands", "biweekly", 7, "ana", 35),
    (0, "Go/no-go for the public launch", "meeting", "day30", None, "ana", None),
    (2, "Pilot accounts handover status", "Slack #atlas-sales", "weekly", 3, "eunji", 31),
)

DEMO_QUESTIONS = (
    ("Who signs off the pricing page?", "eunji", 1, "Maria, after the pricing test."),
    ("Do trial accounts keep their data after 30 days?", "ben", 2, None),
    ("Which pilot teams move to self-serve first?", "chloe", 45, None),
)


def seed_demo(tx: Transaction, kickoff: date, today: date, people: dict[str, str]) -> None:
    """The demo's charter, stakeholders, communications and questions (in the demo's
    transaction): two stakeholders and one communication overdue, one question late."""
    tx.create("charter", DEMO_CHARTER, row_id=CHARTER_ID)
    ids = []
    for (
        name,
        discipline,
        internal,
        inf,
        inr,
        attitude,
        expect,
        owner,
        last,
        nxt,
        answers,
    ) in DEMO_STAKEHOLDERS:
        values = {
            "name": name,
            "discipline": discipline,
            "internal": internal,
            "influence": inf,
            "interest": inr,
            "attitude": attitude,
            "expectation": expect,
            "owner_id": people[owner],
            "last_contact": (today - timedelta(days=last)).isoformat(),
            "next_contact": (today + timedelta(days=nxt)).isoformat(),
        }
        values.update({f: a for f, a in zip(QUESTION_FIELDS, answers) if a is not None})
        ids.append(tx.create("stakeholder", values))
    for audience, message, channel, cadence, start, owner, done in DEMO_COMMS:
        tx.create(
            "comm",
            {
                "audience": audience if isinstance(audience, str) else None,
                "stakeholder_id": ids[audience] if isinstance(audience, int) else None,
                "message": message,
                "channel": channel,
                "cadence": cadence,
                "starts": (kickoff + timedelta(days=start)).isoformat() if start else None,
                "owner_id": people[owner],
                "last_done": (kickoff + timedelta(days=done)).isoformat() if done else None,
            },
        )
    for text, owner, by, answer in DEMO_QUESTIONS:
        tx.create(
            "question",
            {
                "text": text,
                "owner_id": people[owner],
                "answer_by": (kickoff + timedelta(days=by)).isoformat(),
                "answer": answer,
                "answered_at": (kickoff + timedelta(days=by)).isoformat() if answer else None,
            },
        )
