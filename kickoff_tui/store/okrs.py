"""Objectives, key results and check-ins: the OKR screen's read model and every OKR write.

Check-ins are append-only. Correcting a past check-in writes a *new* check-in row that names the
one it corrects (`corrects_id`) and carries its time (`at`), so the original stays in the history
and every read model shows the correction in its place. A key result's `current` and `confidence`
follow its latest check-in, in the same transaction as the check-in (or the correction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.corrections import number_corrections
from kickoff_tui.rules.due import CHECKIN_STALE_DAYS, checkin_stale
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr import (
    KR_KINDS,
    checkin_problem,
    grade,
    kr_count_nudge,
    kr_field_problems,
    kr_progress,
    kr_value_text,
    measured,
    objective_count_nudge,
    objective_progress,
    pace,
    trend,
    weight_problems,
)
from kickoff_tui.rules.position import key_between
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.review import PLAN_DAYS, plan_day

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

NOTE_MAX = 500


# ---------------------------------------------------------------------- read model


@dataclass
class KrView:
    """One key result as the OKR screen and `kickoff okr list` show it."""

    id: str
    num: int
    objective_id: str
    title: str
    kind: str
    unit: str | None
    baseline: float | None
    target: float | None
    current: float | None
    weight: float
    confidence: int | None
    owner_id: str | None
    owner_name: str | None
    due: str | None
    progress: float
    grade: str
    pace: str
    trend: str
    values: list[float]
    checked_at: list[str]  # when each of `values` was checked in (ISO-8601 UTC)
    last_at: str | None
    days_since: int | None  # None: never checked in
    stale: bool
    cards: int
    cards_done: int
    from_cards: bool
    conflict: bool

    @property
    def ref(self) -> str:
        return f"KR{self.num}"

    def value_text(self) -> str:
        """ "40 → 71 → 120 teams", "99.95 % (keep ≥ 99.9)", "2 → 5 milestones", "not yet"."""
        return kr_value_text(
            self.kind,
            self.current,
            self.target,
            self.unit,
            self.progress,
            self.baseline if self.baseline is not None else 0,
        )


@dataclass
class ObjectiveView:
    id: str
    num: int
    title: str
    description: str | None
    owner_id: str | None
    owner_name: str | None
    weight: float
    progress: float
    grade: str
    pace: str
    conflict: bool
    key_results: list[KrView] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"O{self.num}"


@dataclass
class Nudge:
    """One line of the "needs attention" strip: what (O2, KR5 or the workspace) and why."""

    ref: str
    row_id: str | None
    reason: str
    kind: str  # stale | pace | krs | objectives


@dataclass
class OkrView:
    day: int
    objectives: list[ObjectiveView]
    nudges: list[Nudge]

    def key_result(self, kr_id: str) -> KrView | None:
        for obj in self.objectives:
            for kr in obj.key_results:
                if kr.id == kr_id:
                    return kr
        return None

    def objective(self, objective_id: str) -> ObjectiveView | None:
        return next((o for o in self.objectives if o.id == objective_id), None)


def _days_between(earlier: str, now: datetime, tz: str) -> int:
    """Calendar days from `earlier` to `now` in the workspace time zone (yesterday is 1)."""
    from kickoff_tui.rules.windows import local_date

    if domains.instant(earlier) is None and domains.day(earlier) is None:
        return 0  # an unreadable stored date counts as today, never a crash
    return max(0, (local_date(now, tz) - local_date(earlier, tz)).days)


def view(store: Store) -> OkrView:
    """Every objective with its key results, scored for today, and the nudges."""
    plan = plan_day(store)
    day, tz = max(plan.day, 0), plan.tz
    now = clock.now()
    conflicted_kr = queries.conflicted_ids(store, "key_result")
    conflicted_obj = queries.conflicted_ids(store, "objective")
    objectives: list[ObjectiveView] = []
    nudges: list[Nudge] = []
    for obj in queries.okr_tree(store):
        krs = []
        for kr in obj["key_results"]:
            try:
                p = kr_progress(kr["kind"], kr["baseline"], kr["target"], kr["current"])
            except ValueError:
                p = 0.0
            values = [c[0] for c in kr["checkins"] if c[0] is not None]
            checked_at = [c[1] for c in kr["checkins"] if c[0] is not None]
            last_at = kr["checkins"][-1][1] if kr["checkins"] else None
            from_cards = kr.get("progress_from") == "cards" and kr["kind"] == "milestone"
            stale = (not from_cards) and checkin_stale(
                domains.instant(last_at) if last_at else None,
                now,
                since=domains.instant(kr["created_at"]) if kr["created_at"] else None,
            )
            view_ = KrView(
                id=kr["id"],
                num=kr["num"],
                objective_id=kr["objective_id"],
                title=kr["title"] or "",
                kind=kr["kind"] or "increase_to",
                unit=kr["unit"],
                baseline=kr["baseline"],
                target=kr["target"],
                current=kr["current"],
                weight=kr["weight"] if kr["weight"] is not None else 1.0,
                confidence=kr["confidence"],
                owner_id=kr["owner_id"],
                owner_name=kr["owner_name"],
                due=kr["due"],
                progress=p,
                grade=grade(p),
                pace=pace(p, day, PLAN_DAYS, has_data=measured(kr["current"])),
                trend=trend(kr["kind"], kr["baseline"], kr["target"], values)
                if kr["kind"] in KR_KINDS
                else "flat",
                values=values,
                checked_at=checked_at,
                last_at=last_at,
                days_since=_days_between(last_at, now, tz) if last_at else None,
                stale=stale,
                cards=kr["cards"],
                cards_done=kr["cards_done"],
                from_cards=from_cards,
                conflict=kr["id"] in conflicted_kr,
            )
            krs.append(view_)
        total = objective_progress([(k.progress, k.weight) for k in krs])
        objectives.append(
            ObjectiveView(
                id=obj["id"],
                num=obj["num"],
                title=obj["title"] or "",
                description=obj["description"],
                owner_id=obj["owner_id"],
                owner_name=obj["owner_name"],
                weight=obj["weight"] if obj["weight"] is not None else 1.0,
                progress=total,
                grade=grade(total),
                pace=pace(total, day, PLAN_DAYS, has_data=any(measured(k.current) for k in krs)),
                conflict=obj["id"] in conflicted_obj,
                key_results=krs,
            )
        )
    too_many = objective_count_nudge(len(objectives))
    if too_many:
        nudges.append(Nudge("Workspace", None, too_many, "objectives"))
    for shown in objectives:
        reason = kr_count_nudge(len(shown.key_results))
        if reason:
            nudges.append(Nudge(shown.ref, shown.id, reason, "krs"))
    for shown in objectives:
        for kr in shown.key_results:
            if kr.stale:
                since = (
                    f"no check-in for {kr.days_since} days"
                    if kr.days_since is not None
                    else f"no check-in in its first {CHECKIN_STALE_DAYS} days"
                )
                nudges.append(Nudge(kr.ref, kr.id, since, "stale"))
            if kr.pace == "at risk":
                nudges.append(
                    Nudge(
                        kr.ref,
                        kr.id,
                        f"at risk by pace: {kr.progress:.0%} on day {day} of {PLAN_DAYS}",
                        "pace",
                    )
                )
    return OkrView(day, objectives, nudges)


def resolve_kr(store: Store, ref: str) -> str | None:
    """A live key result named as in the UI (KR3, 3, #3) or by its id (or an id prefix)."""
    text = ref.strip()
    if text[:2].upper() == "KR":
        text = text[2:]
    return queries.resolve_ref(store, "key_result", text)


def history(store: Store, key_result_id: str) -> list[dict[str, Any]]:
    """Every check-in of a key result, oldest first, corrections included.

    Each row has `corrected_by` (the id of the check-in that corrects it, or None: it counts)
    and `corrects_num` (the number in this list of the check-in it corrects), `num` counting 1..n.
    """
    rows = [
        dict(r)
        for r in store.rows(
            """SELECT c.*, p.name AS author_name FROM check_in c
             LEFT JOIN person p ON p.id = c.author_id
            WHERE c.key_result_id = ? AND c.deleted = 0
            ORDER BY c.at, c.created_at, c.id""",
            (key_result_id,),
        )
    ]
    return number_corrections(rows)


def last_check_in(store: Store, key_result_id: str) -> dict[str, Any] | None:
    """The latest check-in that counts (not corrected), for prefilling the next one."""
    counting = [r for r in history(store, key_result_id) if not r["corrected_by"]]
    return counting[-1] if counting else None


# ---------------------------------------------------------------------- check-ins


def _check_confidence(confidence: int | None) -> None:
    if confidence is not None and not (isinstance(confidence, int) and 0 <= confidence <= 10):
        raise InvalidEdit(f"Confidence must be a whole number from 0 to 10 (got {confidence}).")


def _check_value(kind: str, value: float) -> None:
    problem = checkin_problem(kind, value)
    if problem:
        raise InvalidEdit(problem)


def clean_note(note: str | None, max_len: int = NOTE_MAX) -> str | None:
    """A note as saved: cleaned, stripped, None when blank; InvalidEdit over `max_len`."""
    if note is None:
        return None
    try:
        cleaned = clean_text(note, max_len=max_len, what="The note").strip()
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    return cleaned or None


def check_in(
    store: Store,
    key_result_id: str,
    *,
    value: float,
    confidence: int | None = None,
    note: str | None = None,
    author_id: str | None = None,
) -> str:
    """A key-result check-in: the check-in row and the key result's current value and
    confidence, in one transaction. Returns the check-in's id."""
    kr = queries.live(store, "key_result", key_result_id, "key result")
    if kr.get("progress_from") == "cards" and kr["kind"] == "milestone":
        raise InvalidEdit(
            f"{kr['title']} counts its linked cards; move a card to done instead of checking in."
        )
    _check_value(kr["kind"], value)
    _check_confidence(confidence)
    values: dict[str, Any] = {"current": float(value)}
    if confidence is not None:
        values["confidence"] = int(confidence)
    with store.transaction(
        f"Checked in {kr['title']}: {format_number(value)}",
        entity="key_result",
        entity_id=key_result_id,
        action="checkin",
    ) as tx:
        cid = tx.create(
            "check_in",
            {
                "key_result_id": key_result_id,
                "value": float(value),
                "confidence": confidence,
                "note": clean_note(note),
                "author_id": author_id,
                "at": clock.iso(),
            },
        )
        tx.update("key_result", key_result_id, values)
    return cid


def correct_check_in(
    store: Store,
    check_in_id: str,
    *,
    value: float,
    confidence: int | None = None,
    note: str | None = None,
    author_id: str | None = None,
) -> str:
    """Correct a past check-in: a new check-in in its place (same time, `corrects_id` set);
    the original stays in the history. When it is the latest, the key result follows."""
    original = queries.live(store, "check_in", check_in_id, "check-in")
    if store.row("SELECT 1 FROM check_in WHERE corrects_id = ? AND deleted = 0", (check_in_id,)):
        raise InvalidEdit("That check-in was already corrected; correct the correction instead.")
    kr_id = original["key_result_id"]
    kr = queries.live(store, "key_result", kr_id, "key result")
    _check_value(kr["kind"], value)
    _check_confidence(confidence)
    with store.transaction(
        f"Corrected a check-in of {kr['title']}: "
        f"{format_number(original['value']) if original['value'] is not None else '–'} → "
        f"{format_number(value)}",
        entity="key_result",
        entity_id=kr_id,
        action="correct",
    ) as tx:
        cid = tx.create(
            "check_in",
            {
                "key_result_id": kr_id,
                "value": float(value),
                "confidence": confidence,
                "note": clean_note(note),
                "author_id": author_id,
                "at": original["at"],
                "corrects_id": check_in_id,
            },
        )
        latest = tx.conn.execute(
            "SELECT c.id FROM check_in c WHERE c.key_result_id = ? AND c.deleted = 0 "
            "AND NOT EXISTS (SELECT 1 FROM check_in x WHERE x.corrects_id = c.id AND x.deleted = 0) "
            "ORDER BY c.at DESC, c.created_at DESC, c.id DESC LIMIT 1",
            (kr_id,),
        ).fetchone()
        if latest is not None and latest[0] == cid:
            values: dict[str, Any] = {"current": float(value)}
            if confidence is not None:
                values["confidence"] = int(confidence)
            tx.update("key_result", kr_id, values)
    return cid


# ---------------------------------------------------------------------- objectives and KRs


def _title(text: Any, what: str) -> str:
    try:
        return clean_line(text, max_len=200, what=what)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None


def objective_problems(values: dict[str, Any]) -> dict[str, str]:
    """What a form must refuse in an objective's values (field -> sentence)."""
    problems = {}
    weight = weight_problems(values.get("weight", 1.0))
    if weight:
        problems["weight"] = weight
    return problems


def save_objective(store: Store, values: dict[str, Any], objective_id: str | None = None) -> str:
    """Create an objective (at the end) or change one; returns its id."""
    values = dict(values)
    if "weight" in values and values["weight"] is None:
        values["weight"] = 1.0
    problems = objective_problems(values)
    if problems:
        raise InvalidEdit(next(iter(problems.values())))
    if "title" in values or objective_id is None:
        values["title"] = _title(values.get("title"), "The objective")
    if values.get("description") is not None:
        try:
            values["description"] = (
                clean_text(values["description"], what="The description") or None
            )
        except ValueError as exc:
            raise InvalidEdit(str(exc)) from None
    if objective_id is None:
        last = store.one("SELECT max(position) FROM objective WHERE deleted = 0")[0]
        values["position"] = key_between(last, None)
        values.setdefault("status", "active")
        return store.create("objective", values, summary=f"Added the objective {values['title']}")
    row = queries.live(store, "objective", objective_id, "objective")
    store.update(
        "objective",
        objective_id,
        values,
        summary=f"Edited the objective {values.get('title') or row['title']}",
    )
    return objective_id


def key_result_problems(values: dict[str, Any]) -> dict[str, str]:
    """What a form must refuse in a key result's values (field -> sentence)."""
    kind = values.get("kind") or "increase_to"
    target = values.get("target")
    if kind == "binary" and target is None:
        target = 1.0
    if kind == "milestone" and values.get("progress_from") == "cards":
        target = target if target is not None else 1.0
    weight = values.get("weight", 1.0)
    return kr_field_problems(
        kind,
        values.get("baseline"),
        target,
        1.0 if weight is None else weight,
        values.get("confidence"),
    )


def save_key_result(store: Store, values: dict[str, Any], key_result_id: str | None = None) -> str:
    """Create a key result under `values["objective_id"]` (at its end) or change one."""
    values = dict(values)
    if values.get("weight") is None:
        if key_result_id:
            values.pop("weight", None)
        else:
            values["weight"] = 1.0
    if values.get("kind") == "binary":
        values.setdefault("baseline", 0.0)
        if values.get("target") is None:
            values["target"] = 1.0
    if values.get("progress_from") not in ("cards", None):
        raise InvalidEdit("Progress comes from check-ins or from linked cards.")
    current = store.get("key_result", key_result_id) if key_result_id else None
    kind = values.get("kind") or (current or {}).get("kind") or "increase_to"
    if values.get("progress_from") == "cards" and kind != "milestone":
        values["progress_from"] = None
    merged = {**(current or {}), **values}
    problems = key_result_problems(merged)
    if problems:
        raise InvalidEdit(next(iter(problems.values())))
    if "title" in values or key_result_id is None:
        values["title"] = _title(values.get("title"), "The key result")
    if values.get("unit") is not None:
        try:
            values["unit"] = clean_line(values["unit"], max_len=20, what="The unit") or None
        except ValueError as exc:
            raise InvalidEdit(str(exc)) from None
    if key_result_id is None:
        obj = queries.live(store, "objective", values.get("objective_id") or "", "objective")
        last = store.one(
            "SELECT max(position) FROM key_result WHERE objective_id = ? AND deleted = 0",
            (obj["id"],),
        )[0]
        values["position"] = key_between(last, None)
        values.setdefault("baseline", 0.0)
        return store.create(
            "key_result",
            values,
            summary=f"Added the key result {values['title']} to {obj['title']}",
        )
    assert current is not None
    if current["deleted"]:
        raise InvalidEdit("That key result no longer exists.")
    if "objective_id" in values:
        queries.live(store, "objective", values["objective_id"] or "", "objective")
    store.update(
        "key_result",
        key_result_id,
        values,
        summary=f"Edited the key result {values.get('title') or current['title']}",
    )
    return key_result_id


def delete_key_result(store: Store, key_result_id: str) -> None:
    """Tombstone a key result (its check-ins stay in the file; its cards lose the link)."""
    kr = queries.live(store, "key_result", key_result_id, "key result")
    cards = store.rows(
        "SELECT id FROM card WHERE key_result_id = ? AND deleted = 0", (key_result_id,)
    )
    with store.transaction(
        f"Deleted the key result {kr['title']}",
        entity="key_result",
        entity_id=key_result_id,
        action="delete",
    ) as tx:
        tx.delete("key_result", key_result_id)
        for card in cards:
            tx.update("card", card["id"], {"key_result_id": None})


def delete_objective(store: Store, objective_id: str, *, move_to: str | None = None) -> int:
    """Tombstone an objective. Its key results are deleted with it, or moved to the objective
    `move_to`. Returns how many key results were deleted or moved. One transaction."""
    obj = queries.live(store, "objective", objective_id, "objective")
    if move_to == objective_id:
        raise InvalidEdit("Pick another objective to move the key results to.")
    target = queries.live(store, "objective", move_to, "objective") if move_to else None
    krs = store.rows(
        "SELECT id FROM key_result WHERE objective_id = ? AND deleted = 0 ORDER BY position, id",
        (objective_id,),
    )
    cards = store.rows(
        "SELECT c.id FROM card c JOIN key_result k ON k.id = c.key_result_id "
        "WHERE k.objective_id = ? AND k.deleted = 0 AND c.deleted = 0",
        (objective_id,),
    )
    what = (
        f" and moved its {len(krs)} key results to {target['title']}"
        if target and krs
        else f" and its {len(krs)} key results"
        if krs
        else ""
    )
    with store.transaction(
        f"Deleted the objective {obj['title']}{what}",
        entity="objective",
        entity_id=objective_id,
        action="delete",
    ) as tx:
        tx.delete("objective", objective_id)
        if target:
            last = tx.conn.execute(
                "SELECT max(position) FROM key_result WHERE objective_id = ? AND deleted = 0",
                (target["id"],),
            ).fetchone()[0]
            for kr in krs:
                last = key_between(last, None)
                tx.update("key_result", kr["id"], {"objective_id": target["id"], "position": last})
        else:
            for kr in krs:
                tx.delete("key_result", kr["id"])
            for card in cards:
                tx.update("card", card["id"], {"key_result_id": None})
    return len(krs)
