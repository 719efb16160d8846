"""The monthly OKR review's rules: what a verdict does, and how a key result moved since the
last review.

A verdict is one of keep, adjust (the target), drop or add (a key result). :func:`verdict_plan`
turns a verdict into the ordinary edits that carry it out (change a target, delete a key
result or an objective, add a key result) and the decision that records why, so the store runs
them through the existing store functions (they sync and undo like any edit). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kickoff_tui.rules.numbers import format_number

VERDICTS = ("keep", "adjust", "drop", "add")
VERDICT_LABELS = {
    "keep": "keep",
    "adjust": "adjust the target",
    "drop": "drop",
    "add": "add a key result",
}
#: What each kind of row may be given: an objective has no target to adjust.
ROW_VERDICTS = {"objective": ("keep", "drop", "add"), "key_result": VERDICTS}
#: Each kind of row as a sentence names it.
ROW_KINDS = {"objective": "an objective", "key_result": "a key result"}


@dataclass(frozen=True)
class Step:
    """One edit a verdict makes: `kind` is update_kr | delete_kr | delete_objective | add_kr |
    decision; `row_id` the record it changes (the objective for add_kr); `values` its fields."""

    kind: str
    row_id: str | None
    values: dict[str, Any] = field(default_factory=dict)


def verdict_plan(
    verdict: str,
    *,
    row_kind: str,
    row_id: str,
    ref: str,
    title: str,
    objective_id: str,
    old_target: float | None = None,
    new_target: float | None = None,
    new_title: str | None = None,
    note: str | None = None,
    owner_id: str | None = None,
) -> list[Step]:
    """The edits that carry out `verdict` on one objective (O2) or key result (KR3), in order,
    the decision last. "keep" changes nothing. Raises ValueError with one sentence when the
    verdict can't apply (a target to adjust on an objective, the same target, no title)."""
    if row_kind not in ROW_VERDICTS:
        kinds = " or ".join(ROW_KINDS[k] for k in ROW_VERDICTS)
        raise ValueError(f"A verdict is given to {kinds} (got {row_kind!r}).")
    allowed = ROW_VERDICTS[row_kind]
    if verdict not in allowed:
        what = ROW_KINDS[row_kind]
        raise ValueError(f"A verdict on {what} is one of {', '.join(allowed)} (got {verdict!r}).")
    why = (note or "").strip()
    context = f"Monthly OKR review: {why}" if why else "Monthly OKR review."
    if verdict == "keep":
        return []
    if verdict == "adjust":
        if new_target is None:
            raise ValueError("Adjusting needs the new target.")
        if old_target is not None and float(new_target) == float(old_target):
            raise ValueError(f"{ref}'s target is already {format_number(new_target)}.")
        was = "–" if old_target is None else format_number(old_target)
        return [
            Step("update_kr", row_id, {"target": float(new_target)}),
            _decision(
                f"{ref} target {was} → {format_number(new_target)}: {title}",
                context,
                owner_id,
                key_result_id=row_id,
            ),
        ]
    if verdict == "drop":
        if row_kind == "objective":
            return [
                Step("delete_objective", row_id),
                _decision(f"Dropped the objective {ref}: {title}", context, owner_id),
            ]
        return [
            Step("delete_kr", row_id),
            _decision(f"Dropped {ref}: {title}", context, owner_id),
        ]
    # add
    name = (new_title or "").strip()
    if not name:
        raise ValueError("Adding a key result needs its title.")
    values: dict[str, Any] = {"objective_id": objective_id, "title": name}
    if new_target is not None:
        values["target"] = float(new_target)
    return [
        Step("add_kr", objective_id, values),
        _decision(f"Added a key result: {name}", context, owner_id),
    ]


def _decision(title: str, context: str, owner_id: str | None, **links: str) -> Step:
    values: dict[str, Any] = {
        "title": title[:200],
        "context": context,
        "status": "accepted",
        "owner_id": owner_id,
        **links,
    }
    return Step("decision", None, values)


def value_at(values: list[float], times: list[str], before: str) -> float | None:
    """The value checked in last before the instant `before` (ISO-8601 UTC text, as stored),
    or None when there was none yet. `values` and `times` run oldest first, in step."""
    found = None
    for value, at in zip(values, times):
        if at < before:
            found = value
    return found


def confidence_trend(confidences: list[int]) -> str:
    """ "6 → 8 ↑", "7 → 4 ↓", "7 → 7 →", "7" (one), or "–" (none): first to last, and which way."""
    seen = [c for c in confidences if c is not None]
    if not seen:
        return "–"
    if len(seen) == 1:
        return f"{seen[0]}/10"
    first, last = seen[0], seen[-1]
    arrow = "↑" if last > first else "↓" if last < first else "→"
    return f"{first} → {last}/10 {arrow}"
