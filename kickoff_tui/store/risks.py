"""The risk register: its read model, the risk writes and each risk's score history.

Writes (:func:`save_risk`, :func:`move_risk`, :func:`delete_risk`) are one transaction each,
through the operation write path, so undo and sync work as for every other edit.

The score history is read from the operation log rather than kept in a table of its own: every
change of a risk's likelihood, impact or residual levels already is an operation with its time
(`hlc`) and author (`by`), recorded in the same transaction as the change, synced to every
machine, and never rewritten. Replaying those operations gives the history of any risk, including
changes made before this screen existed, by the CLI, by an import or by a teammate's sync, and it
can never disagree with the risk itself. A separate ``risk_score`` table would repeat the same
facts and could miss any write path that forgot to fill it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.risk import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    STATUSES,
    TREATMENTS,
    attention,
    band,
    clamp_level,
    next_review,
    residual_problem,
    score,
)
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ids import hlc_unpack
from kickoff_tui.store.ops import CREATE
from kickoff_tui.store.people import everyone
from kickoff_tui.store.stakeholders import iso_day

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: The fields whose changes make a risk's score history.
LEVEL_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")
TEXT_FIELDS = {"cause": "Cause", "consequence": "Consequence", "mitigation": "Mitigation"}
EDITABLE = (
    "title",
    "cause",
    "consequence",
    *LEVEL_FIELDS,
    "owner_id",
    "treatment",
    "mitigation",
    "due",
    "status",
    "objective_id",
    "card_id",
    "next_review",
)


def register(store: Store, today: date | None = None) -> list[dict[str, Any]]:
    """Every live risk, highest inherent score first, with what the risk screen and the CLI show:
    number, owner, scores and bands, linked objective and card numbers, the attention flags and
    whether a field is in sync conflict."""
    rows = store.rows(
        f"""WITH rn AS {queries.numbered("risk")}
            SELECT r.*, p.name AS owner_name, p.handle AS owner_handle,
                   r.likelihood * r.impact AS score,
                   coalesce(r.residual_likelihood, r.likelihood)
                     * coalesce(r.residual_impact, r.impact) AS residual_score,
                   o.title AS objective_title, c.title AS card_title,
                   (SELECT count(*) FROM card x WHERE x.created_at < c.created_at
                       OR (x.created_at = c.created_at AND x.id <= c.id)) AS card_num
              FROM rn r
              LEFT JOIN person p ON p.id = r.owner_id AND p.deleted = 0
              LEFT JOIN objective o ON o.id = r.objective_id AND o.deleted = 0
              LEFT JOIN card c ON c.id = r.card_id AND c.deleted = 0
             WHERE r.deleted = 0
             ORDER BY score DESC, residual_score DESC, r.num"""
    )
    if today is None:
        tz = store.workspace().get("timezone") or "UTC"
        today = clock.today(tz)
    conflicted = queries.conflicted_ids(store, "risk")
    out = []
    for row in rows:
        item = dict(row)
        if not item["card_title"]:
            item["card_num"] = None
        bad = _impossible_levels(item)
        item["band"] = band(item["score"])
        item["residual_band"] = band(item["residual_score"])
        item["mitigated"] = (
            item["residual_likelihood"] is not None or item["residual_impact"] is not None
        )
        item["flags"] = [*bad, *attention(item, today)]
        item["conflict"] = item["id"] in conflicted
        out.append(item)
    return out


LEVELS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def _impossible_levels(item: dict[str, Any]) -> list[str]:
    """Levels outside 1–5 already in the file (a teammate's sqlite-utils edit): counted as the
    nearest level so the register still sorts and draws, and flagged "likelihood ?⚠ (stored 99)"."""
    flags = []
    for name in LEVELS:
        value = item[name]
        if value is None and name.startswith("residual"):
            continue
        if domains.level(value) is None:
            flags.append(f"{name.replace('_', ' ')} {domains.BAD} (stored {value!r})")
            item[name] = clamp_level(value) if isinstance(value, (int, float)) else 3
    if flags:
        item["score"] = item["likelihood"] * item["impact"]
        item["residual_score"] = (item["residual_likelihood"] or item["likelihood"]) * (
            item["residual_impact"] or item["impact"]
        )
    return flags


def needing_attention(risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The flagged risks of a register, most flags first, then by score."""
    flagged = [r for r in risks if r["flags"]]
    flagged.sort(key=lambda r: (-len(r["flags"]), -r["score"], r["num"]))
    return flagged


def number_of(store: Store, risk_id: str) -> int:
    found = store.row(f"SELECT num FROM {queries.numbered('risk')} WHERE id = ?", (risk_id,))
    return found["num"] if found else 0


def _live(store: Store, risk_id: str) -> dict[str, Any]:
    return queries.live(store, "risk", risk_id, "risk")


def checked(values: dict[str, Any], before: dict[str, Any] | None = None) -> dict[str, Any]:
    """A risk's new values cleaned and checked as a whole; InvalidEdit with one sentence if not.

    The title is required; levels are whole numbers 1–5; the residual levels can't be above the
    inherent ones; treatment and status come from their lists; a missing next review gets the
    band's default (high 14 days, medium 30, low 90) from today.
    """
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise InvalidEdit(f"A risk has no field {min(unknown)!r}.")
    merged = {**(before or {}), **values}
    out = dict(values)
    try:
        out["title"] = clean_line(merged.get("title"), what="Title")
        for name, label in TEXT_FIELDS.items():
            if name in values:
                out[name] = clean_text(values[name], what=label) or None
        likelihood = merged.get("likelihood", 3)
        impact = merged.get("impact", 3)
        score(likelihood, impact)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    problem = residual_problem(
        likelihood, impact, merged.get("residual_likelihood"), merged.get("residual_impact")
    )
    if problem:
        raise InvalidEdit(problem)
    treatment = merged.get("treatment") or "mitigate"
    if treatment not in TREATMENTS:
        raise InvalidEdit(f"Treatment is one of {', '.join(TREATMENTS)} (got {treatment!r}).")
    status = merged.get("status") or "open"
    if status not in STATUSES:
        raise InvalidEdit(f"Status is one of {', '.join(STATUSES)} (got {status!r}).")
    out.update(likelihood=likelihood, impact=impact, treatment=treatment, status=status)
    out["due"] = iso_day(merged.get("due"), "The mitigation due date")
    review = iso_day(merged.get("next_review"), "The next review")
    if review is None:
        review = next_review(score(likelihood, impact), clock.today()).isoformat()
    out["next_review"] = review
    return out


def save_risk(store: Store, values: dict[str, Any], risk_id: str | None = None) -> str:
    """Create a risk (no `risk_id`) or change one; return its id."""
    if risk_id is None:
        values = checked(values)
        return store.create("risk", values, summary=f"Added risk: {values['title']}")
    before = _live(store, risk_id)
    values = checked(values, before)
    store.update(
        "risk",
        risk_id,
        values,
        summary=f"Edited risk R{number_of(store, risk_id)} {values['title']}",
    )
    return risk_id


def position(risk: dict[str, Any], residual: bool) -> tuple[int, int]:
    """(likelihood, impact) of a risk on the inherent or the residual grid."""
    if residual:
        return (
            risk.get("residual_likelihood") or risk["likelihood"],
            risk.get("residual_impact") or risk["impact"],
        )
    return risk["likelihood"], risk["impact"]


def move_risk(
    store: Store, risk_id: str, d_likelihood: int, d_impact: int, *, residual: bool = False
) -> tuple[int, int]:
    """Move a risk on the grid by a step of likelihood and/or impact; return its new cell.

    On the inherent grid, a residual level left above the new inherent one comes down with it
    (in the same transaction). On the residual grid the residual levels move, never above the
    inherent ones. A move off the edge of the grid, or above the inherent level, is refused
    with a sentence and nothing is written.
    """
    row = _live(store, risk_id)
    num = number_of(store, risk_id)
    li, im = row["likelihood"], row["impact"]
    if residual:
        old = position(row, True)
        new = (clamp_level(old[0] + d_likelihood), clamp_level(old[1] + d_impact))
        if new == old:
            raise InvalidEdit(_edge(num, d_likelihood, d_impact, "residual "))
        if new[0] > li or new[1] > im:
            raise InvalidEdit(
                f"R{num}'s residual risk can't be above its inherent risk "
                f"({LIKELIHOOD_LABELS[li - 1]} × {IMPACT_LABELS[im - 1]})."
            )
        values = {"residual_likelihood": new[0], "residual_impact": new[1]}
        what = "residual"
    else:
        new = (clamp_level(li + d_likelihood), clamp_level(im + d_impact))
        if new == (li, im):
            raise InvalidEdit(_edge(num, d_likelihood, d_impact, ""))
        values = {"likelihood": new[0], "impact": new[1]}
        if row["residual_likelihood"] is not None and row["residual_likelihood"] > new[0]:
            values["residual_likelihood"] = new[0]
        if row["residual_impact"] is not None and row["residual_impact"] > new[1]:
            values["residual_impact"] = new[1]
        what = "inherent"
    s = new[0] * new[1]
    store.update(
        "risk",
        risk_id,
        values,
        action="move",
        summary=(
            f"Moved R{num} {row['title']} ({what}) to {LIKELIHOOD_LABELS[new[0] - 1]} × "
            f"{IMPACT_LABELS[new[1] - 1]} ({s}, {band(s)})"
        ),
    )
    return new


def _edge(num: int, d_likelihood: int, d_impact: int, what: str) -> str:
    if d_likelihood > 0:
        edge = "the highest likelihood (Almost certain)"
    elif d_likelihood < 0:
        edge = "the lowest likelihood (Rare)"
    elif d_impact > 0:
        edge = "the highest impact (Severe)"
    else:
        edge = "the lowest impact (Insignificant)"
    return f"R{num}'s {what}position is already at {edge}."


def delete_risk(store: Store, risk_id: str) -> None:
    row = _live(store, risk_id)
    store.delete(
        "risk", risk_id, summary=f"Deleted risk R{number_of(store, risk_id)} {row['title']}"
    )


# ---------------------------------------------------------------------- score history


@dataclass(frozen=True)
class ScoreEntry:
    """A risk's levels after one change: when, who, inherent and residual."""

    at: str
    by: str
    likelihood: int
    impact: int
    residual_likelihood: int | None
    residual_impact: int | None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual_score(self) -> int:
        return (self.residual_likelihood or self.likelihood) * (self.residual_impact or self.impact)

    @property
    def mitigated(self) -> bool:
        return self.residual_likelihood is not None or self.residual_impact is not None


def score_history(store: Store, risk_id: str) -> list[ScoreEntry]:
    """Every change of a risk's inherent or residual levels, oldest first (see the module doc).

    Operations saved together (one edit, one move) make one entry; an edit that touched no level
    makes none. `by` is the author's name when the workspace knows their handle.
    """
    ops = store.rows(
        "SELECT hlc, id, by, field, value, tx FROM operation "
        "WHERE tbl = 'risk' AND row_id = ? AND field IN (?, ?, ?, ?, ?) ORDER BY hlc, id",
        (risk_id, CREATE, *LEVEL_FIELDS),
    )
    names = {p["handle"]: p["name"] for p in everyone(store) if p["handle"]}

    state: dict[str, Any] = dict.fromkeys(LEVEL_FIELDS)
    entries: list[ScoreEntry] = []
    groups: dict[str, list[Any]] = {}
    for op in ops:
        groups.setdefault(op["tx"] or op["id"], []).append(op)
    for group in groups.values():
        for op in group:
            value = json.loads(op["value"]) if op["value"] is not None else None
            if op["field"] == CREATE:
                state.update(
                    {k: value.get(k) for k in LEVEL_FIELDS} if isinstance(value, dict) else {}
                )
            else:
                state[op["field"]] = value
        if not isinstance(state["likelihood"], int) or not isinstance(state["impact"], int):
            continue
        last = group[-1]
        entry = ScoreEntry(
            at=clock.iso_from_ms(hlc_unpack(last["hlc"])[0]),
            by=names.get(last["by"], last["by"] or "?"),
            likelihood=state["likelihood"],
            impact=state["impact"],
            residual_likelihood=state["residual_likelihood"],
            residual_impact=state["residual_impact"],
        )
        if entries and _same_levels(entries[-1], entry):
            continue
        entries.append(entry)
    return entries


def _same_levels(a: ScoreEntry, b: ScoreEntry) -> bool:
    return all(getattr(a, f) == getattr(b, f) for f in LEVEL_FIELDS)
