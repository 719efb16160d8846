"""The monthly OKR review: its agenda (each objective and key result with how it moved since
the last review), verdicts, and the saved review as Markdown.

A review is an ``okr_review`` row (day, attendees) and one ``okr_verdict`` row per objective or
key result looked at. A verdict that changes something (adjust a target, drop, add a key result)
runs as ordinary edits through the OKR and decision store functions (:func:`apply_verdict`,
see :func:`kickoff_tui.rules.okr_review.verdict_plan`), so each syncs and undoes like any
other edit, and the decision that logs it is linked from the verdict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.markdown import escape
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr import kr_progress, objective_progress, pace
from kickoff_tui.rules.okr_review import (
    ROW_VERDICTS,
    VERDICT_LABELS,
    Step,
    confidence_trend,
    value_at,
    verdict_plan,
)
from kickoff_tui.rules.windows import day_of
from kickoff_tui.store import okrs, queries
from kickoff_tui.store import review as rv
from kickoff_tui.store.errors import InvalidEdit

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

NOTE_MAX = 1000

#: Runs one store write: the session's ``edit`` in the app (undo, sync, errors as a
#: notification; None when refused), or a plain call in scripts and tests.
Runner = Callable[..., Any]


def direct(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


# ---------------------------------------------------------------------- read model


@dataclass
class ReviewItem:
    """One objective or key result on the review's agenda."""

    row_kind: str  # objective | key_result
    id: str
    objective_id: str
    ref: str
    title: str
    value_text: str
    target: float | None
    unit: str | None
    progress: float
    pace: str
    then_progress: float | None  # at the last review (None: no review before, or no data)
    then_pace: str | None
    checkins_since: int
    confidence: str  # trend since the last review, e.g. "6 → 8/10 ↑"
    confidence_now: int | None
    blockers: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    verdict: dict[str, Any] | None = None  # recorded in this review

    @property
    def verdicts(self) -> tuple[str, ...]:
        return ROW_VERDICTS[self.row_kind]


@dataclass
class ReviewSession:
    """A review with its agenda: what the guided session and the export show."""

    id: str
    held_on: str
    attendees: list[str]  # names
    ended: bool
    previous: str | None  # the last review's day
    day: int
    items: list[ReviewItem]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.verdict)


def _ids(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _names(store: Store, ids: list[str]) -> list[str]:
    names = {r["id"]: r["name"] for r in store.rows("SELECT id, name FROM person")}
    return [names.get(i) or "?" for i in ids]


def reviews(store: Store) -> list[dict[str, Any]]:
    """Every review, newest first, with its attendees' names and how many verdicts."""
    rows = store.rows(
        """SELECT r.*, (SELECT count(*) FROM okr_verdict v
                          WHERE v.review_id = r.id AND v.deleted = 0) AS verdicts,
                       (SELECT count(*) FROM okr_verdict v WHERE v.review_id = r.id
                          AND v.deleted = 0 AND v.verdict != 'keep') AS changes
             FROM okr_review r WHERE r.deleted = 0
            ORDER BY r.held_on DESC, r.created_at DESC, r.id DESC"""
    )
    out = []
    for r in rows:
        item = dict(r)
        item["attendee_names"] = _names(store, _ids(r["attendees"]))
        out.append(item)
    return out


def open_review(store: Store) -> str | None:
    """The review still running (not ended), newest first, or None."""
    row = store.row(
        "SELECT id FROM okr_review WHERE deleted = 0 AND ended_at IS NULL "
        "ORDER BY held_on DESC, created_at DESC LIMIT 1"
    )
    return row["id"] if row else None


def find_review(store: Store, which: str) -> str | None:
    """A review named "last" (the newest) or by its day (YYYY-MM-DD), or None."""
    found = reviews(store)
    if which == "last":
        return found[0]["id"] if found else None
    return next((r["id"] for r in found if r["held_on"] == which), None)


def _previous(store: Store, review: dict[str, Any]) -> dict[str, Any] | None:
    row = store.row(
        "SELECT * FROM okr_review WHERE deleted = 0 AND id != ? "
        "AND (held_on < ? OR (held_on = ? AND created_at < ?)) "
        "ORDER BY held_on DESC, created_at DESC LIMIT 1",
        (review["id"], review["held_on"], review["held_on"], review["created_at"]),
    )
    return dict(row) if row else None


def _verdicts(store: Store, review_id: str) -> dict[str, dict[str, Any]]:
    """The verdicts of a review by the row they judge (its key result, or its objective)."""
    rows = store.rows(
        "SELECT * FROM okr_verdict WHERE review_id = ? AND deleted = 0 ORDER BY created_at, id",
        (review_id,),
    )
    return {(r["key_result_id"] or r["objective_id"]): dict(r) for r in rows}


def _links(store: Store) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Open blockers by key result (through their cards), and risks not closed by key result
    (through their card) and by objective."""
    card_kr = {
        r["id"]: r["key_result_id"]
        for r in store.rows("SELECT id, key_result_id FROM card WHERE deleted = 0")
    }
    blockers: dict[str, list[str]] = {}
    for b in queries.open_blockers(store):
        kr = card_kr.get(b["card_id"] or "")
        if kr:
            blockers.setdefault(kr, []).append(f"B{b['num']} {b['text'] or ''}")
    risks: dict[str, list[str]] = {}
    for r in queries.risks(store):
        if (r["status"] or "open") == "closed":
            continue
        line = f"R{r['num']} {r['title'] or ''} (score {r['residual_score'] or r['score']})"
        for key in (r["objective_id"], card_kr.get(r["card_id"] or "")):
            if key:
                risks.setdefault(key, []).append(line)
    return blockers, risks


def agenda(store: Store, review_id: str) -> ReviewSession:
    """The review's agenda: each objective then its key results, now and at the last review."""
    row = store.get("okr_review", review_id)
    if row is None or row["deleted"]:
        raise InvalidEdit("That OKR review no longer exists.")
    plan = rv.plan_day(store)
    previous = _previous(store, row)
    then_verdicts = _verdicts(store, previous["id"]) if previous else {}
    now_verdicts = _verdicts(store, review_id)
    then_day: int | None = None
    cutoff = ""
    prev_day = domains.day(previous["held_on"]) if previous else None
    if prev_day is not None:
        then_day = max(day_of(prev_day, plan.kickoff, plan.tz), 0)
        cutoff = rv.day_start_iso(prev_day + timedelta(days=1), plan.tz)
    blockers, risks = _links(store)
    view = okrs.view(store)
    items: list[ReviewItem] = []
    for obj in view.objectives:
        kr_items = []
        then_parts: list[tuple[float, float]] = []
        for kr in obj.key_results:
            then_progress = None
            if then_day is not None:
                kept = then_verdicts.get(kr.id)
                if kept and kept["progress"] is not None:
                    then_progress = float(kept["progress"])
                else:
                    then_value = value_at(kr.values, kr.checked_at, cutoff)
                    if then_value is not None:
                        try:
                            then_progress = kr_progress(kr.kind, kr.baseline, kr.target, then_value)
                        except ValueError:
                            then_progress = None
            if then_progress is not None:
                then_parts.append((then_progress, kr.weight))
            history = [r for r in okrs.history(store, kr.id) if not r["corrected_by"]]
            since = [r for r in history if r["at"] and r["at"] >= cutoff]
            before = [r for r in history if r["at"] and r["at"] < cutoff]
            confidences = [r["confidence"] for r in before[-1:] + since]
            kr_items.append(
                ReviewItem(
                    row_kind="key_result",
                    id=kr.id,
                    objective_id=obj.id,
                    ref=kr.ref,
                    title=kr.title,
                    value_text=kr.value_text(),
                    target=kr.target,
                    unit=kr.unit,
                    progress=kr.progress,
                    pace=kr.pace,
                    then_progress=then_progress,
                    then_pace=pace(then_progress, then_day)
                    if then_progress is not None and then_day is not None
                    else None,
                    checkins_since=len(since),
                    confidence=confidence_trend(confidences),
                    confidence_now=kr.confidence,
                    blockers=blockers.get(kr.id, []),
                    risks=risks.get(kr.id, []),
                    verdict=now_verdicts.get(kr.id),
                )
            )
        then_obj = objective_progress(then_parts) if then_parts else None
        kept_obj = then_verdicts.get(obj.id)
        if kept_obj and kept_obj["progress"] is not None:
            then_obj = float(kept_obj["progress"])
        items.append(
            ReviewItem(
                row_kind="objective",
                id=obj.id,
                objective_id=obj.id,
                ref=obj.ref,
                title=obj.title,
                value_text=f"{len(obj.key_results)} key results",
                target=None,
                unit=None,
                progress=obj.progress,
                pace=obj.pace,
                then_progress=then_obj,
                then_pace=pace(then_obj, then_day)
                if then_obj is not None and then_day is not None
                else None,
                checkins_since=sum(k.checkins_since for k in kr_items),
                confidence="",
                confidence_now=None,
                blockers=[b for k in kr_items for b in k.blockers],
                risks=risks.get(obj.id, []),
                verdict=now_verdicts.get(obj.id),
            )
        )
        items.extend(kr_items)
    # verdicts on rows that are gone now (a dropped key result) stay in the saved review
    shown = {item.id for item in items}
    for key, verdict in now_verdicts.items():
        if key not in shown:
            items.append(_gone_item(store, key, verdict))
    return ReviewSession(
        id=review_id,
        held_on=row["held_on"] or "",
        attendees=_names(store, _ids(row["attendees"])),
        ended=bool(row["ended_at"]),
        previous=previous["held_on"] if previous else None,
        day=plan.day,
        items=items,
    )


def _gone_item(store: Store, key: str, verdict: dict[str, Any]) -> ReviewItem:
    """A row judged in this review and deleted since (dropped): its verdict still shows."""
    table = "key_result" if verdict["key_result_id"] else "objective"
    row = store.get(table, key) or {}
    num = store.row(f"SELECT num FROM {queries.numbered(table)} WHERE id = ?", (key,))
    prefix = "KR" if table == "key_result" else "O"
    progress = float(verdict["progress"] or 0.0)
    return ReviewItem(
        row_kind=table,
        id=key,
        objective_id=verdict["objective_id"] or "",
        ref=f"{prefix}{num['num']}" if num else prefix,
        title=row.get("title") or "",
        value_text="deleted",
        target=verdict["old_target"],
        unit=row.get("unit"),
        progress=progress,
        pace="dropped",
        then_progress=None,
        then_pace=None,
        checkins_since=0,
        confidence="",
        confidence_now=verdict["confidence"],
        verdict=verdict,
    )


def team_handles(store: Store) -> str:
    """Everyone active, as the attendee field starts: "ana ben chloe"."""
    from kickoff_tui.store import people

    return " ".join(r["handle"] for r in people.everyone(store) if r["handle"] and r["active"] != 0)


def attendee_ids(store: Store, text: str) -> list[str]:
    """The people named in `text` (handles or names, separated by spaces or commas).
    Raises InvalidEdit with one sentence for a name nobody has, or none at all."""
    from kickoff_tui.store import people

    names = [n for n in text.replace(",", " ").split() if n]
    if not names:
        raise InvalidEdit("Name at least one attendee (their handles, e.g. ana ben).")
    return list(dict.fromkeys(people.find(store, n)["id"] for n in names))


# ---------------------------------------------------------------------- writes


def start_review(store: Store, attendees: list[str], facilitator_id: str | None = None) -> str:
    """Open a review today with these attendees (person ids); returns its id."""
    known = {r["id"] for r in store.rows("SELECT id FROM person WHERE deleted = 0")}
    unknown = [a for a in attendees if a not in known]
    if unknown:
        raise InvalidEdit("Every attendee must be someone on the team.")
    today = rv.plan_day(store).today
    return store.create(
        "okr_review",
        {
            "held_on": today.isoformat(),
            "attendees": json.dumps(list(dict.fromkeys(attendees))),
            "facilitator_id": facilitator_id,
        },
        summary=f"Started the monthly OKR review of {today.isoformat()}",
    )


def end_review(store: Store, review_id: str) -> None:
    """Close a review (it stays in the list and the exports)."""
    row = _live_review(store, review_id)
    if row["ended_at"]:
        return
    store.update(
        "okr_review",
        review_id,
        {"ended_at": clock.iso()},
        summary=f"Ended the monthly OKR review of {row['held_on']}",
        action="end",
    )


def _live_review(store: Store, review_id: str) -> dict[str, Any]:
    return queries.live(store, "okr_review", review_id, "OKR review")


def plan_verdict(
    store: Store,
    review_id: str,
    row_id: str,
    verdict: str,
    *,
    note: str | None = None,
    new_target: float | None = None,
    new_title: str | None = None,
    owner_id: str | None = None,
) -> tuple[ReviewItem, list[Step]]:
    """Check a verdict before anything is written: the item and the edits it will make.
    Raises InvalidEdit with one sentence when it can't apply (nothing is saved then)."""
    review = _live_review(store, review_id)
    if review["ended_at"]:
        raise InvalidEdit(f"The review of {review['held_on']} has ended; start a new one.")
    item = next((i for i in agenda(store, review_id).items if i.id == row_id), None)
    if item is None or item.value_text == "deleted":
        raise InvalidEdit("That objective or key result no longer exists.")
    okrs.clean_note(note, NOTE_MAX)
    try:
        steps = verdict_plan(
            verdict,
            row_kind=item.row_kind,
            row_id=item.id,
            ref=item.ref,
            title=item.title,
            objective_id=item.objective_id,
            old_target=item.target,
            new_target=new_target,
            new_title=new_title,
            note=note,
            owner_id=owner_id,
        )
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    for step in steps:
        if step.kind == "update_kr" and step.row_id:
            current = store.get("key_result", step.row_id) or {}
            problems = okrs.key_result_problems({**current, **step.values})
            if problems:
                raise InvalidEdit(next(iter(problems.values())))
        if step.kind == "add_kr":
            problems = okrs.key_result_problems(step.values)
            if problems:
                raise InvalidEdit(next(iter(problems.values())))
    return item, steps


def run_step(store: Store, step: Step) -> str | None:
    """Carry out one edit of a verdict through the OKR or decision store functions."""
    if step.kind == "update_kr" and step.row_id:
        return okrs.save_key_result(store, step.values, step.row_id)
    if step.kind == "delete_kr" and step.row_id:
        okrs.delete_key_result(store, step.row_id)
        return step.row_id
    if step.kind == "delete_objective" and step.row_id:
        okrs.delete_objective(store, step.row_id)
        return step.row_id
    if step.kind == "add_kr":
        return okrs.save_key_result(store, step.values)
    if step.kind == "decision":
        return rv.save_decision(store, step.values)
    raise InvalidEdit(f"Unknown review step {step.kind!r}.")


def record_verdict(store: Store, review_id: str, values: dict[str, Any]) -> str:
    """Save one verdict row (replacing an earlier verdict on the same row in this review)."""
    review = _live_review(store, review_id)
    key = values.get("key_result_id") or values.get("objective_id")
    earlier = _verdicts(store, review_id).get(key or "")
    ref = values.pop("ref", "")
    with store.transaction(
        f"OKR review {review['held_on']}: {ref} {VERDICT_LABELS.get(values['verdict'], '')}".strip(),
        entity="okr_verdict",
        action="verdict",
    ) as tx:
        if earlier:
            tx.delete("okr_verdict", earlier["id"])
        return tx.create("okr_verdict", {"review_id": review_id, **values})


def apply_verdict(
    store: Store,
    review_id: str,
    row_id: str,
    verdict: str,
    *,
    note: str | None = None,
    new_target: float | None = None,
    new_title: str | None = None,
    author_id: str | None = None,
    run: Runner = direct,
) -> str | None:
    """Record a verdict: check it, make its edits (each through `run`, so in the app each is an
    ordinary undoable edit), then save the verdict with the decision that logged it. Returns
    the verdict's id, or None when `run` reported a refusal (what ran before stays, as edits)."""
    item, steps = plan_verdict(
        store,
        review_id,
        row_id,
        verdict,
        note=note,
        new_target=new_target,
        new_title=new_title,
        owner_id=author_id,
    )
    decision_id = new_kr = None
    for step in steps:
        made = run(run_step, store, step)
        if made is None:
            return None
        if step.kind == "decision":
            decision_id = made
        elif step.kind == "add_kr":
            new_kr = made
    values = {
        "ref": item.ref,
        "objective_id": item.objective_id,
        "key_result_id": item.id if item.row_kind == "key_result" else None,
        "verdict": verdict,
        "note": okrs.clean_note(note, NOTE_MAX),
        "old_target": item.target,
        "new_target": float(new_target)
        if new_target is not None and verdict in ("adjust", "add")
        else None,
        "progress": round(item.progress, 4),
        "confidence": item.confidence_now,
        "decision_id": decision_id,
        "new_key_result_id": new_kr,
        "author_id": author_id,
    }
    result: str | None = run(record_verdict, store, review_id, values)
    return result


# ---------------------------------------------------------------------- Markdown


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def review_markdown(store: Store, review_id: str) -> str:
    """The saved review as a Markdown document: who, each row's numbers and its verdict."""
    s = agenda(store, review_id)
    ws = store.workspace()
    lines = [
        f"# Monthly OKR review — {escape(ws.get('name') or '')} — {s.held_on}",
        "",
        f"Attendees: {escape(', '.join(s.attendees)) or '–'}  ",
        f"Previous review: {s.previous or 'none (first review)'}  ",
        f"Verdicts: {s.done} of {len(s.items)}" + ("" if s.ended else " (still running)"),
        "",
        "| | Objective / key result | Now | Last review | Check-ins since | Confidence | Verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in s.items:
        verdict = item.verdict or {}
        label = VERDICT_LABELS.get(verdict.get("verdict") or "", "–")
        if verdict.get("verdict") == "adjust":
            label += (
                f" {format_number(verdict['old_target']) if verdict['old_target'] is not None else '–'}"
                f" → {format_number(verdict['new_target'])}"
            )
        now = f"{_pct(item.progress)} {item.pace}"
        then = f"{_pct(item.then_progress)} {item.then_pace or ''}".strip()
        lines.append(
            f"| {item.ref} | {escape(item.title)} | {now} | {then} | {item.checkins_since} "
            f"| {escape(item.confidence) or '–'} | {escape(label)} |"
        )
    notes = [i for i in s.items if i.verdict and i.verdict.get("note")]
    if notes:
        lines += ["", "## Notes", ""]
        for item in notes:
            note = " ".join(str((item.verdict or {}).get("note") or "").split())
            lines.append(f"- **{item.ref}** {escape(note)}")
    risky = [i for i in s.items if i.row_kind == "key_result" and (i.blockers or i.risks)]
    if risky:
        lines += ["", "## Blockers and risks", ""]
        for item in risky:
            for text in item.blockers + item.risks:
                lines.append(f"- {item.ref}: {escape(text)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- demo


def seed_demo(
    tx: Transaction,
    kickoff: date,
    people: dict[str, str],
    objectives: dict[str, str],
    krs: dict[str, str],
) -> None:
    """The demo's first monthly review, on day 30: everyone there, every row kept (its numbers
    are computed from the check-ins, so the next review compares with day 30)."""
    held = kickoff + timedelta(days=30)
    review_id = tx.create(
        "okr_review",
        {
            "held_on": held.isoformat(),
            "attendees": json.dumps(list(people.values())),
            "facilitator_id": people["ana"],
            "ended_at": clock.iso(datetime.combine(held, time(11), UTC)),
        },
    )
    notes = {"kr1": "Interviews point at the checklist; keep the target."}
    for key, obj_id in objectives.items():
        tx.create(
            "okr_verdict",
            {
                "review_id": review_id,
                "objective_id": obj_id,
                "verdict": "keep",
                "author_id": people["ana"],
            },
        )
    for key, kr_id in krs.items():
        obj_id = tx.conn.execute(
            "SELECT objective_id FROM key_result WHERE id = ?", (kr_id,)
        ).fetchone()[0]
        tx.create(
            "okr_verdict",
            {
                "review_id": review_id,
                "objective_id": obj_id,
                "key_result_id": kr_id,
                "verdict": "keep",
                "note": notes.get(key),
                "author_id": people["ana"],
            },
        )
