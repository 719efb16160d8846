"""OKR scoring: key result progress, objective roll-up, grades and pace against the 90 days.

Arithmetic is done on the decimal values users typed (0.1 is one tenth, not its binary neighbour), so a
key result at exactly 70% grades green and boundaries behave the way they read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import TypeGuard

from kickoff_tui.rules.numbers import format_number

__all__ = [
    "KIND_LABELS",
    "KR_KINDS",
    "NO_DATA",
    "checkin_problem",
    "direction",
    "expected_progress",
    "grade",
    "kr_count_nudge",
    "kr_field_problems",
    "kr_problems",
    "kr_progress",
    "kr_value_text",
    "measured",
    "objective_count_nudge",
    "objective_progress",
    "pace",
    "trend",
    "weight_problems",
]

KR_KINDS = ("increase_to", "decrease_to", "stay_above", "stay_below", "milestone", "binary")
KIND_LABELS = {
    "increase_to": "increase to",
    "decrease_to": "decrease to",
    "stay_above": "stay above",
    "stay_below": "stay below",
    "milestone": "milestone",
    "binary": "binary",
}

Number = float | int


def _finite(x: object) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _exact(x: Number) -> Fraction:
    """The decimal value a finite float stands for (its shortest repr), as an exact fraction."""
    if isinstance(x, int):
        return Fraction(int(x))
    return Fraction(repr(float(x)))


def _clamp01(q: Fraction) -> float:
    if q <= 0:
        return 0.0
    if q >= 1:
        return 1.0
    return float(q)


def _unknown_kind(kind: object) -> ValueError:
    labels = ", ".join(KIND_LABELS[k] for k in KR_KINDS[:-1]) + " or " + KIND_LABELS[KR_KINDS[-1]]
    return ValueError(f"Kind must be one of {labels} (got '{kind}').")


def kr_progress(
    kind: str, baseline: Number | None, target: Number | None, current: Number | None
) -> float:
    """Progress of one key result in [0, 1]; 0.0 until its first check-in.

    increase_to/decrease_to move from baseline toward target (the wrong direction counts 0);
    stay_above/stay_below are 1 while held; milestone is done/total; binary is 1 once done.
    Missing or non-finite numbers give 0.0, never NaN. Raises ValueError for an unknown kind.
    """
    if kind not in KR_KINDS:
        raise _unknown_kind(kind)
    if current is None or not _finite(current):
        return 0.0
    if kind == "binary":
        return 1.0 if current >= 1 else 0.0
    if target is None or not _finite(target):
        return 0.0
    cur, tgt = _exact(current), _exact(target)
    if kind == "stay_above":
        return 1.0 if cur >= tgt else 0.0
    if kind == "stay_below":
        return 1.0 if cur <= tgt else 0.0
    if kind == "milestone":
        return 0.0 if tgt <= 0 else _clamp01(cur / tgt)
    if baseline is None:
        base = Fraction(0)
    elif _finite(baseline):
        base = _exact(baseline)
    else:
        return 0.0
    if tgt == base:
        reached = cur >= tgt if kind == "increase_to" else cur <= tgt
        return 1.0 if reached else 0.0
    # Direction comes from baseline -> target, so a misconfigured row still scores sensibly.
    return _clamp01((cur - base) / (tgt - base))


def objective_progress(items: Iterable[tuple[float, float]]) -> float:
    """Weighted mean of (progress, weight) pairs; weights <= 0 (or non-finite) are ignored; empty -> 0.0.

    Progress values are clamped to [0, 1] first; the result always lies between the smallest and
    largest progress that was counted.
    """
    kept = [
        (min(max(float(p), 0.0), 1.0), float(w))
        for p, w in items
        if _finite(p) and _finite(w) and w > 0
    ]
    if not kept:
        return 0.0
    top = max(w for _, w in kept)  # scale weights to (0, 1] so huge weights can't overflow
    total = math.fsum(w / top for _, w in kept)
    mean = math.fsum(p * (w / top) for p, w in kept) / total
    lo, hi = min(p for p, _ in kept), max(p for p, _ in kept)
    return min(max(mean, lo), hi)


def grade(progress: float) -> str:
    """Traffic-light grade of a progress value: green >= 0.7, yellow >= 0.4, red below."""
    if not _finite(progress):
        return "red"
    if progress >= 0.7:
        return "green"
    if progress >= 0.4:
        return "yellow"
    return "red"


def expected_progress(day: int, duration: int = 90) -> float:
    """Where progress should be on `day` of a `duration`-day plan: clamp(day / duration, 0, 1)."""
    if duration <= 0:
        raise ValueError(f"The plan must last at least 1 day (got {duration}).")
    return _clamp01(Fraction(day) / Fraction(duration))


#: The pace of what has nothing measured yet: a key result before its first check-in, an
#: objective without key results or whose key results have none.
NO_DATA = "no data yet"


def measured(current: Number | None) -> bool:
    """Whether a key result has a value to score (a check-in, or its cards counted)."""
    return current is not None and _finite(current)


def pace(progress: float, day: int, duration: int = 90, *, has_data: bool = True) -> str:
    """Compare progress with the time elapsed: "on track", "behind" or "at risk".

    on track >= 0.95 x expected, at risk < 0.75 x expected, behind in between; day 0 is always on track.
    Without data (`has_data` False) it is "no data yet": 0 % before the first check-in is not a
    measurement, and a "stay above 80" key result with baseline 85 is not at risk.
    """
    if duration <= 0:
        raise ValueError(f"The plan must last at least 1 day (got {duration}).")
    if not has_data:
        return NO_DATA
    if day <= 0:
        return "on track"
    expected = Fraction(min(day, duration)) / Fraction(duration)
    done = _exact(progress) if _finite(progress) else Fraction(0)
    if done >= Fraction(95, 100) * expected:
        return "on track"
    if done < Fraction(75, 100) * expected:
        return "at risk"
    return "behind"


def _article(label: str) -> str:
    return "an" if label[0] in "aeiou" else "a"


def _whole(x: object) -> TypeGuard[float]:
    return _finite(x) and not isinstance(x, bool) and float(x).is_integer()


def _kr_problems(
    kind: str,
    baseline: Number | None,
    target: Number | None,
    weight: Number | None,
    confidence: Number | None,
) -> list[tuple[str, str]]:
    """(field, sentence) for everything wrong with a key result's settings."""
    problems: list[tuple[str, str]] = []
    if kind not in KR_KINDS:
        problems.append(("kind", str(_unknown_kind(kind))))
    if baseline is not None and not _finite(baseline):
        problems.append(("baseline", "Baseline must be a finite number."))
    if kind in KR_KINDS and kind != "binary":
        if target is None:
            problems.append(("target", "Enter a target for this key result."))
        elif not _finite(target):
            problems.append(("target", "Target must be a finite number."))
    if (
        kind in ("increase_to", "decrease_to")
        and _finite(target)
        and (baseline is None or _finite(baseline))
    ):
        label = KIND_LABELS[kind]
        base = _exact(baseline) if baseline is not None else Fraction(0)
        tgt = _exact(target)
        b, t = format_number(baseline if baseline is not None else 0), format_number(target)
        if tgt == base:
            problems.append(
                (
                    "target",
                    (
                        f"Baseline and target are both {t}; {_article(label)} '{label}' key result "
                        "needs a target different from its baseline."
                    ),
                )
            )
        elif kind == "increase_to" and tgt < base:
            problems.append(
                (
                    "target",
                    (
                        f"Target {t} is below the baseline {b}; an 'increase to' key result needs a target "
                        "above its baseline (choose 'decrease to' to go down)."
                    ),
                )
            )
        elif kind == "decrease_to" and tgt > base:
            problems.append(
                (
                    "target",
                    (
                        f"Target {t} is above the baseline {b}; a 'decrease to' key result needs a target "
                        "below its baseline (choose 'increase to' to go up)."
                    ),
                )
            )
    if kind == "milestone" and _finite(target) and not (_whole(target) and target >= 1):
        problems.append(
            (
                "target",
                (
                    f"A milestone key result needs a whole number of milestones (1 or more) as its target "
                    f"(got {format_number(target)})."
                ),
            )
        )
    weight_problem = weight_problems(weight)
    if weight_problem:
        problems.append(("weight", weight_problem))
    if confidence is not None and not (_whole(confidence) and 0 <= confidence <= 10):
        shown = format_number(confidence) if _finite(confidence) else str(confidence)
        problems.append(
            ("confidence", f"Confidence must be a whole number from 0 to 10 (got {shown}).")
        )
    return problems


def weight_problems(weight: Number | None) -> str | None:
    """The sentence refusing a weight (of an objective or a key result), or None when it is > 0."""
    if _finite(weight) and not isinstance(weight, bool) and weight > 0:
        return None
    shown = (
        format_number(weight) if _finite(weight) else "nothing" if weight is None else str(weight)
    )
    return f"Weight must be a number greater than 0 (got {shown})."


def kr_problems(
    kind: str,
    baseline: Number | None,
    target: Number | None,
    weight: Number | None,
    confidence: Number | None,
) -> list[str]:
    """Everything wrong with a key result's settings, one sentence each; empty when it can be saved."""
    return [sentence for _, sentence in _kr_problems(kind, baseline, target, weight, confidence)]


def kr_field_problems(
    kind: str,
    baseline: Number | None,
    target: Number | None,
    weight: Number | None,
    confidence: Number | None,
) -> dict[str, str]:
    """The first problem of each field (kind, baseline, target, weight, confidence), for a form."""
    found: dict[str, str] = {}
    for name, sentence in _kr_problems(kind, baseline, target, weight, confidence):
        found.setdefault(name, sentence)
    return found


def kr_value_text(
    kind: str,
    current: Number | None,
    target: Number | None,
    unit: str | None,
    progress: float,
    baseline: Number | None = None,
) -> str:
    """Where a key result stands against its target, in words: "71 → 120 teams" (with a
    `baseline` for increase/decrease: "40 → 71 → 120 teams"), "3 incidents (keep ≤ 2)", "done"."""
    u = f" {unit}" if unit else ""
    now = "–" if current is None or not _finite(current) else format_number(current)
    tgt = "–" if target is None or not _finite(target) else format_number(target)
    if kind == "binary":
        return "done" if progress >= 1 else "not yet"
    if kind == "stay_above":
        return f"{now}{u} (keep ≥ {tgt})"
    if kind == "stay_below":
        return f"{now}{u} (keep ≤ {tgt})"
    if baseline is not None and _finite(baseline) and kind in ("increase_to", "decrease_to"):
        return f"{format_number(baseline)} → {now} → {tgt}{u}"
    return f"{now} → {tgt}{u}"


def checkin_problem(kind: str, value: Number | None) -> str | None:
    """Why a checked-in value can't be right for this kind of key result, or None.

    A binary key result is 1 (done) or 0 (not yet); a milestone counts whole milestones done.
    """
    if value is None or not _finite(value):
        return "Enter the value as a number such as 12, 12.5, 12,5 or 45%."
    if kind == "binary" and value not in (0, 1):
        return f"A binary key result is 1 (done) or 0 (not yet) (got {format_number(value)})."
    if kind == "milestone" and not (_whole(value) and value >= 0):
        return (
            f"Count the milestones done as a whole number, 0 or more (got {format_number(value)})."
        )
    return None


# ---------------------------------------------------------------------- trends and nudges

#: Objectives should have this many key results (the seeds: 2–4), a workspace at most MAX_OBJECTIVES.
MIN_KRS, MAX_KRS, MAX_OBJECTIVES = 2, 4, 5


def direction(kind: str, baseline: Number | None, target: Number | None) -> int:
    """+1 when a higher value is better, -1 when lower is better.

    For increase/decrease the way from baseline to target decides (as in kr_progress, so a
    misconfigured row still reads sensibly); stay below is -1, the other kinds +1.
    """
    if kind in ("increase_to", "decrease_to"):
        base = 0 if baseline is None else baseline
        if _finite(base) and _finite(target) and target != base:
            return 1 if target > base else -1
        return -1 if kind == "decrease_to" else 1
    return -1 if kind == "stay_below" else 1


def trend(kind: str, baseline: Number | None, target: Number | None, values: list[Number]) -> str:
    """ "up", "down" or "flat": whether the last check-in moved toward the target ("up") or away.

    Fewer than two check-ins is "flat".
    """
    vals = [v for v in values if _finite(v)]
    if len(vals) < 2 or vals[-1] == vals[-2]:
        return "flat"
    better = (vals[-1] - vals[-2]) * direction(kind, baseline, target) > 0
    return "up" if better else "down"


def kr_count_nudge(count: int) -> str | None:
    """Why an objective's number of key results needs attention (the seeds ask for 2–4), or None."""
    if count < MIN_KRS:
        return (
            f"has {'no' if count == 0 else count} key result{'s' if count != 1 else ''}; "
            f"aim for {MIN_KRS}–{MAX_KRS}"
        )
    if count > MAX_KRS:
        return f"has {count} key results; keep it to {MAX_KRS} or fewer"
    return None


def objective_count_nudge(count: int) -> str | None:
    """Why the workspace has too many objectives (more than 5), or None."""
    if count > MAX_OBJECTIVES:
        return f"{count} objectives; the seeds advise at most {MAX_OBJECTIVES} to stay focused"
    return None
