"""Pulse checks: opening a pulse, answering it, its results and its nudge.

A pulse is open from `opens_on` to `closes_on` (both included, in the workspace's time zone);
its length is the workspace's pulse frequency (7 or 14 days). Its questions can be changed
until it opens. Each person has one answer per pulse (answering again replaces it). Answers are
synced like every other change: anyone with a copy of the workspace can read who answered what,
so nothing here pretends to be anonymous. Results need at least three answers
(:data:`kickoff_tui.rules.pulse.MIN_ANSWERS`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules import domains
from kickoff_tui.rules import pulse as pr
from kickoff_tui.rules.cadence import pulse_days
from kickoff_tui.rules.nudges import Nudge
from kickoff_tui.store.errors import InvalidEdit

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction


@dataclass(frozen=True)
class Pulse:
    """One pulse as shown: P1, P2, … in the order they open."""

    id: str
    num: int
    opens_on: date
    closes_on: date
    questions: list[str]
    status: str  # scheduled | open | closed
    answered: int

    @property
    def ref(self) -> str:
        return f"P{self.num}"


def today_here(store: Store) -> date:
    """Today in the workspace's time zone."""
    from kickoff_tui import clock

    return clock.today(domains.timezone(store.workspace().get("timezone")) or "UTC")


def _status(opens: date, closes: date, today: date) -> str:
    if today < opens:
        return "scheduled"
    return "open" if today <= closes else "closed"


def pulses(store: Store, today: date) -> list[Pulse]:
    """Every pulse with readable dates and questions, oldest first."""
    counts = {
        r["pulse_id"]: r["n"]
        for r in store.rows(
            "SELECT pulse_id, count(DISTINCT person_id) AS n FROM pulse_answer "
            "WHERE deleted = 0 GROUP BY pulse_id"
        )
    }
    out: list[Pulse] = []
    for r in store.rows(
        "SELECT id, opens_on, closes_on, questions FROM pulse WHERE deleted = 0 "
        "ORDER BY opens_on, created_at, id"
    ):
        opens, closes = domains.day(r["opens_on"]), domains.day(r["closes_on"])
        questions = pr.load_questions(r["questions"])
        if opens is None or closes is None or questions is None:
            continue
        status = _status(opens, closes, today)
        out.append(
            Pulse(r["id"], len(out) + 1, opens, closes, questions, status, counts.get(r["id"], 0))
        )
    return out


def find(store: Store, ref: str | None, today: date) -> Pulse:
    """A pulse by its number (P3, 3); None: the open one, else the last one."""
    everyone = pulses(store, today)
    if not everyone:
        raise InvalidEdit("There is no pulse yet; open one with `kickoff pulse open`.")
    if ref is None:
        return next((p for p in everyone if p.status == "open"), everyone[-1])
    key = ref.strip().upper().lstrip("P")
    for p in everyone:
        if key == str(p.num) or ref == p.id:
            return p
    raise InvalidEdit(f"There is no pulse {ref.strip()[:20]!r}; they are P1 to P{len(everyone)}.")


def current(store: Store, today: date) -> dict[str, Any] | None:
    """The open pulse, else the next scheduled one, as a dict (None: neither)."""
    for p in pulses(store, today):
        if p.status in ("open", "scheduled"):
            return {
                "id": p.id,
                "ref": p.ref,
                "status": p.status,
                "opens_on": p.opens_on,
                "closes_on": p.closes_on,
            }
    return None


def last_closed_on(store: Store) -> date | None:
    """The last day of the latest pulse (None: no pulse yet)."""
    days = [p.closes_on for p in pulses(store, date.max)]
    return max(days) if days else None


def next_questions(store: Store) -> list[str]:
    """The questions a new pulse starts with: the last pulse's (so trends compare), else the
    defaults."""
    everyone = pulses(store, date.max)
    return list(everyone[-1].questions) if everyone else list(pr.DEFAULT_QUESTIONS)


# ---------------------------------------------------------------------- writes


def open_pulse(
    store: Store, today: date, questions: list[str] | None = None, opens: date | None = None
) -> str:
    """Open a pulse from `opens` (default today) for the workspace's pulse length; refused
    while another is open or scheduled. Returns its id."""
    try:
        asked = pr.check_questions(questions if questions is not None else next_questions(store))
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    start = opens or today
    if start < today:
        raise InvalidEdit("A pulse can't open in the past; give today or a later day.")
    busy = current(store, today)
    if busy is not None:
        raise InvalidEdit(
            f"Pulse {busy['ref']} is {busy['status']} until {busy['closes_on']:%a %-d %b}; "
            "one pulse at a time."
        )
    ws = store.workspace()
    closes = start + timedelta(days=pulse_days(ws.get("pulse_every")) - 1)
    with store.transaction(
        f"Opened a pulse check ({start:%-d %b} to {closes:%-d %b})", entity="pulse", action="create"
    ) as tx:
        pulse_id = tx.create(
            "pulse",
            {
                "opens_on": start.isoformat(),
                "closes_on": closes.isoformat(),
                "questions": json.dumps(asked, ensure_ascii=False),
            },
        )
    return pulse_id


def edit_questions(store: Store, pulse_id: str, questions: list[str], today: date) -> None:
    """Change a pulse's questions; only before it opens (answers compare on the questions)."""
    pulse = next((p for p in pulses(store, today) if p.id == pulse_id), None)
    if pulse is None:
        raise InvalidEdit("That pulse is no longer in the workspace.")
    if pulse.status != "scheduled" or pulse.answered:
        raise InvalidEdit(
            f"{pulse.ref} has opened, so its questions stay as they are (answers compare on them)."
        )
    try:
        asked = pr.check_questions(questions)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    with store.transaction(
        f"Changed the questions of pulse {pulse.ref}", entity="pulse", entity_id=pulse_id
    ) as tx:
        tx.update("pulse", pulse_id, {"questions": json.dumps(asked, ensure_ascii=False)})


#: My latest live answer to a pulse (pulse id, person id).
_MINE = (
    "SELECT id FROM pulse_answer WHERE pulse_id = ? AND person_id = ? AND deleted = 0 "
    "ORDER BY updated_at DESC, id DESC LIMIT 1"
)


def answer(
    store: Store,
    pulse_id: str,
    person_id: str,
    answers: list[int | None],
    text: str | None,
    today: date,
) -> str:
    """Save `person_id`'s answer to an open pulse (replacing an earlier one); refused when the
    pulse isn't open, an answer is off the 1–5 scale or nothing was answered."""
    from kickoff_tui import clock
    from kickoff_tui.rules.text import clean_text

    pulse = next((p for p in pulses(store, today) if p.id == pulse_id), None)
    if pulse is None:
        raise InvalidEdit("That pulse is no longer in the workspace.")
    if pulse.status != "open":
        when = (
            f"opens on {pulse.opens_on:%a %-d %b}"
            if pulse.status == "scheduled"
            else f"closed on {pulse.closes_on:%a %-d %b}"
        )
        raise InvalidEdit(f"Pulse {pulse.ref} {when}; answers are taken while it is open.")
    if len(answers) != len(pulse.questions):
        raise InvalidEdit(
            f"{pulse.ref} asks {len(pulse.questions)} questions; give one answer (1–5) for each."
        )
    low, high = pr.SCALE
    for question, value in zip(pulse.questions, answers):
        if value is not None and not (type(value) is int and low <= value <= high):
            raise InvalidEdit(f"{question}: answer {low} to {high}.")
    if all(v is None for v in answers):
        raise InvalidEdit("Answer at least one question (1–5).")
    try:
        said = clean_text(text or "", max_len=pr.TEXT_MAX_LEN, what="What would help").strip()
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    if store.row("SELECT 1 FROM person WHERE id = ? AND deleted = 0", (person_id,)) is None:
        raise InvalidEdit("That person is no longer in the workspace.")
    values = {
        "answers": json.dumps(answers),
        "text": said or None,
        "answered_at": clock.iso(),
    }
    with store.transaction(
        f"Answered pulse {pulse.ref}", entity="pulse", entity_id=pulse_id, action="answer"
    ) as tx:
        found = tx.conn.execute(_MINE, (pulse_id, person_id)).fetchone()
        mine = found[0] if found else None
        if mine is None:
            mine = tx.create(
                "pulse_answer", {"pulse_id": pulse_id, "person_id": person_id, **values}
            )
        else:
            tx.update("pulse_answer", mine, values)
    return mine


def my_answer(store: Store, pulse_id: str, person_id: str | None) -> dict[str, Any] | None:
    """My answer to a pulse ({"answers": [...], "text": ...}), or None."""
    if person_id is None:
        return None
    found = store.row(_MINE, (pulse_id, person_id))
    if found is None:
        return None
    row = store.get("pulse_answer", found["id"]) or {}
    return {"answers": pr.load_answers(row.get("answers")) or [], "text": row.get("text")}


# ---------------------------------------------------------------------- results


def _answers(store: Store, pulse: Pulse) -> tuple[list[list[int | None]], list[str]]:
    """One readable answer per person (their latest), and the free texts."""
    seen: set[str] = set()
    answers: list[list[int | None]] = []
    texts: list[str] = []
    for r in store.rows(
        "SELECT person_id, answers, text FROM pulse_answer WHERE pulse_id = ? AND deleted = 0 "
        "ORDER BY updated_at DESC, id DESC",
        (pulse.id,),
    ):
        values = pr.load_answers(r["answers"])
        if r["person_id"] in seen or values is None:
            continue
        seen.add(r["person_id"])
        answers.append(values)
        if isinstance(r["text"], str) and r["text"].strip():
            texts.append(r["text"].strip())
    return answers, texts


def results(store: Store, pulse: Pulse, today: date) -> pr.Results:
    """A pulse's results with the trend over the pulses before it (each with ≥3 answers)."""
    history: list[dict[str, float | None]] = []
    for earlier in pulses(store, today):
        if earlier.num >= pulse.num:
            break
        answers, _ = _answers(store, earlier)
        averages = pr.averages(earlier.questions, answers)
        if averages:
            history.append(averages)
    answers, texts = _answers(store, pulse)
    return pr.results(pulse.questions, answers, texts, history)


# ---------------------------------------------------------------------- nudges


def nudges(store: Store, today: date) -> list[Nudge]:
    """ "pulse-open": an open pulse I haven't answered yet (the team's when I'm unknown)."""
    from kickoff_tui.store import people

    me = people.me(store)
    out = []
    for p in pulses(store, today):
        if p.status != "open" or (me is not None and my_answer(store, p.id, me) is not None):
            continue
        left = (p.closes_on - today).days
        closes = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
        out.append(
            Nudge(
                kind="pulse-open",
                ref=p.ref,
                title=f"Pulse check {p.ref}",
                why=f"open, not answered by you yet; closes {closes}",
                person_id=me,
                since=p.opens_on,
                screen="pulse",
                record_id=p.id,
            )
        )
    return out


# ---------------------------------------------------------------------- demo


def seed_demo(tx: Transaction, people: dict[str, str], today: date) -> None:
    """A closed pulse two weeks ago (four answers) and one open now that three answered and
    the first person (the demo's "me") not yet, so the results, the trend (with a ⚠ drop in
    focus) and the nudge all show."""
    questions = json.dumps(list(pr.DEFAULT_QUESTIONS))
    handles = list(people)
    rounds = [
        (
            today - timedelta(days=14),
            [[4, 4, 4, 3], [4, 5, 4, 3], [3, 4, 5, 4], [4, 4, 4, 3]],
            ["Fewer meetings on Mondays", "", "A clear owner for onboarding", ""],
        ),
        (
            today - timedelta(days=2),
            [[4, 3, 4, 4], [3, 3, 5, 4], [4, 4, 4, 4]],
            ["", "Time to fix the flaky deploy", ""],
        ),
    ]
    for opens, answers, texts in rounds:
        pulse_id = tx.create(
            "pulse",
            {
                "opens_on": opens.isoformat(),
                "closes_on": (opens + timedelta(days=6)).isoformat(),
                "questions": questions,
            },
        )
        answering = handles if len(answers) == 4 else handles[1:]
        for handle, values, text in zip(answering, answers, texts):
            tx.create(
                "pulse_answer",
                {
                    "pulse_id": pulse_id,
                    "person_id": people[handle],
                    "answers": json.dumps(values),
                    "text": text or None,
                    "answered_at": f"{opens + timedelta(days=1)}T09:00:00.000Z",
                },
            )
