"""Pulse checks: the questions, what an answer may hold, and the results a team sees.

A pulse asks 3–5 questions answered 1–5 (defaults: energy, focus, support from the team,
clarity of the goals) and an optional free text ("What would help?"). Results — per question
the average, the distribution and a trend over past pulses with ⚠ on a drop of 0.5 or more —
are shown only when at least :data:`MIN_ANSWERS` people answered, and a pulse with fewer never
appears in a trend either. Pure: no I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

DEFAULT_QUESTIONS = ("Energy", "Focus", "Support from the team", "Clarity of the goals")
TEXT_QUESTION = "What would help?"
#: How many scaled questions a pulse may ask.
QUESTION_COUNT = (3, 5)
SCALE = (1, 5)
#: Results are shown from this many answers on.
MIN_ANSWERS = 3
#: A question whose average falls this much from the previous pulse is flagged.
DROP = 0.5
QUESTION_MAX_LEN = 60
TEXT_MAX_LEN = 500
SPARKS = "▁▂▃▄▅▆▇█"


def check_questions(questions: list[str]) -> list[str]:
    """The questions cleaned (blank ones dropped), or ValueError with one sentence."""
    from kickoff_tui.rules.text import clean_line

    cleaned = [
        clean_line(q, max_len=QUESTION_MAX_LEN, what="A question")
        for q in questions
        if q and q.strip()
    ]
    low, high = QUESTION_COUNT
    if not low <= len(cleaned) <= high:
        raise ValueError(f"A pulse asks {low} to {high} questions (got {len(cleaned)}).")
    if len({q.lower() for q in cleaned}) != len(cleaned):
        raise ValueError("Each question of a pulse must be different.")
    return cleaned


def load_questions(value: object) -> list[str] | None:
    """A stored questions list (JSON), or None when it isn't one."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    low, high = QUESTION_COUNT
    if (
        not isinstance(data, list)
        or not low <= len(data) <= high
        or not all(isinstance(q, str) and q.strip() and len(q) <= 200 for q in data)
    ):
        return None
    return data


def load_answers(value: object) -> list[int | None] | None:
    """A stored answers list (JSON: 1–5 or null per question), or None when it isn't one."""
    try:
        data = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    low, high = SCALE
    if not isinstance(data, list) or len(data) > QUESTION_COUNT[1]:
        return None
    if not all(a is None or (type(a) is int and low <= a <= high) for a in data):
        return None
    return data


def check_answer(value: object, question: str) -> int:
    """One answer as typed ("4", 4) as 1–5, or ValueError with one sentence."""
    low, high = SCALE
    text = str(value).strip()
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    raise ValueError(f"{question}: answer {low} to {high} (got {text[:20]!r}).")


@dataclass(frozen=True)
class QuestionResult:
    """One question's results in one pulse, with its trend over the pulses before."""

    question: str
    answered: int
    average: float | None
    #: How many answered 1, 2, 3, 4, 5.
    counts: tuple[int, ...]
    #: This question's average in each shown pulse, oldest first, this one last.
    trend: tuple[float | None, ...] = ()

    @property
    def dropped(self) -> bool:
        """Fell by DROP or more since the previous pulse that asked it."""
        earlier = [v for v in self.trend[:-1] if v is not None]
        return (
            self.average is not None and bool(earlier) and earlier[-1] - self.average >= DROP - 1e-9
        )


@dataclass(frozen=True)
class Results:
    """A pulse's results: shown only when `enough` people answered."""

    answered: int
    questions: list[QuestionResult] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.answered >= MIN_ANSWERS


def tally(questions: list[str], answers: list[list[int | None]]) -> list[QuestionResult]:
    """Average and distribution per question (a skipped question doesn't count)."""
    out = []
    for i, question in enumerate(questions):
        given = [a[i] for a in answers if i < len(a) and a[i] is not None]
        counts = tuple(sum(1 for v in given if v == n) for n in range(SCALE[0], SCALE[1] + 1))
        values = [v for v in given if v is not None]
        average = round(sum(values) / len(values), 2) if values else None
        out.append(QuestionResult(question, len(values), average, counts))
    return out


def results(
    questions: list[str],
    answers: list[list[int | None]],
    texts: list[str],
    history: list[dict[str, float | None]],
) -> Results:
    """This pulse's results; `history` holds the averages by question of earlier pulses
    (oldest first, only those with enough answers). Empty when too few answered."""
    if len(answers) < MIN_ANSWERS:
        return Results(answered=len(answers))
    rows = []
    for row in tally(questions, answers):
        trend = tuple(h.get(row.question) for h in history) + (row.average,)
        rows.append(
            QuestionResult(row.question, row.answered, row.average, row.counts, trend=trend)
        )
    return Results(len(answers), rows, sorted(t for t in texts if t))


def averages(questions: list[str], answers: list[list[int | None]]) -> dict[str, float | None]:
    """Question -> average, for a pulse's place in later trends (empty with too few answers)."""
    if len(answers) < MIN_ANSWERS:
        return {}
    return {r.question: r.average for r in tally(questions, answers)}


def sparkline(values: tuple[float | None, ...] | list[float | None]) -> str:
    """1–5 averages as ▁…█ (a gap as a space)."""
    low, high = SCALE
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            step = (min(max(v, low), high) - low) / (high - low)
            out.append(SPARKS[round(step * (len(SPARKS) - 1))])
    return "".join(out)


def bars(counts: tuple[int, ...]) -> str:
    """A distribution as "1:0 2:1 3:2 4:3 5:0"."""
    return " ".join(f"{n}:{c}" for n, c in zip(range(SCALE[0], SCALE[1] + 1), counts))


def parse_answers(text: str, questions: list[str]) -> list[int | None]:
    """ "4,3,5,2" (or "4 3 - 2": `-` skips a question) as one answer per question, or
    ValueError with one sentence."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if len(parts) != len(questions):
        raise ValueError(
            f"Give {len(questions)} answers, one per question ({', '.join(questions)}), "
            f"e.g. {','.join(['4'] * len(questions))}; - skips one."
        )
    out: list[int | None] = [
        None if part == "-" else check_answer(part, question)
        for part, question in zip(parts, questions)
    ]
    if all(v is None for v in out):
        raise ValueError("Answer at least one question (1–5).")
    return out
