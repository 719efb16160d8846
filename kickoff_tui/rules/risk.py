"""Risk matrix rules: likelihood x impact scores, bands, review dates and residual-risk checks.

A 5 x 5 matrix as in the kickoff guides: the score drives the band, and the band drives how soon the
risk must be looked at again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeGuard

__all__ = [
    "BANDS",
    "IMPACT_LABELS",
    "IMPACT_SHORT",
    "LIKELIHOOD_LABELS",
    "LIKELIHOOD_SHORT",
    "REVIEW_DAYS",
    "STATUSES",
    "TREATMENTS",
    "attention",
    "band",
    "clamp_level",
    "next_review",
    "residual_problem",
    "residual_score",
    "score",
]

LIKELIHOOD_LABELS = (
    "Rare",
    "Unlikely",
    "Possible",
    "Likely",
    "Almost certain",
)  # index 0 = level 1
IMPACT_LABELS = ("Insignificant", "Minor", "Moderate", "Major", "Severe")
#: Labels that fit a narrow grid (80 columns): at most 6 characters.
LIKELIHOOD_SHORT = ("Rare", "Unlik.", "Poss.", "Likely", "Almost")
IMPACT_SHORT = ("Insig.", "Minor", "Moder.", "Major", "Severe")
BANDS = ("low", "medium", "high")
TREATMENTS = ("mitigate", "accept", "avoid", "transfer")
STATUSES = ("open", "mitigating", "closed", "accepted")
REVIEW_DAYS = {"high": 14, "medium": 30, "low": 90}


def _level_ok(x: object) -> TypeGuard[int]:
    return isinstance(x, int) and not isinstance(x, bool) and 1 <= x <= 5


def _level_error(what: str, labels: tuple[str, ...], x: object) -> ValueError:
    return ValueError(
        f"{what} must be a whole number from 1 ({labels[0]}) to 5 ({labels[-1]}) (got {x!r})."
    )


def score(likelihood: int, impact: int) -> int:
    """Risk score = likelihood x impact, 1–25; raises ValueError unless both are whole numbers 1–5."""
    if not _level_ok(likelihood):
        raise _level_error("Likelihood", LIKELIHOOD_LABELS, likelihood)
    if not _level_ok(impact):
        raise _level_error("Impact", IMPACT_LABELS, impact)
    return likelihood * impact


def band(score: float) -> str:
    """Band of a score: "low" 1–4, "medium" 5–10, "high" above 10 (12–25 in practice).

    A whole-number float (12.0, as some queries return) is accepted; anything else raises ValueError.
    """
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if not (isinstance(score, int) and not isinstance(score, bool) and 1 <= score <= 25):
        raise ValueError(f"A risk score must be a whole number from 1 to 25 (got {score!r}).")
    if score <= 4:
        return "low"
    if score <= 10:
        return "medium"
    return "high"


def next_review(score: int, from_date: date) -> date:
    """Default next review date: 14 days out for high risks, 30 for medium, 90 for low."""
    return from_date + timedelta(days=REVIEW_DAYS[band(score)])


def residual_score(
    likelihood: int,
    impact: int,
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
) -> int | None:
    """Score after mitigation, or None when no residual is recorded.

    When only one residual level is given, the other keeps its inherent value.
    """
    if residual_likelihood is None and residual_impact is None:
        return None
    return score(
        likelihood if residual_likelihood is None else residual_likelihood,
        impact if residual_impact is None else residual_impact,
    )


def residual_problem(
    likelihood: int,
    impact: int,
    residual_likelihood: int | None,
    residual_impact: int | None,
) -> str | None:
    """A sentence when the residual (after-mitigation) levels are invalid or above the inherent ones."""
    if residual_likelihood is not None and not _level_ok(residual_likelihood):
        return str(_level_error("Residual likelihood", LIKELIHOOD_LABELS, residual_likelihood))
    if residual_impact is not None and not _level_ok(residual_impact):
        return str(_level_error("Residual impact", IMPACT_LABELS, residual_impact))
    too_likely = (
        residual_likelihood is not None
        and _level_ok(likelihood)
        and residual_likelihood > likelihood
    )
    too_severe = residual_impact is not None and _level_ok(impact) and residual_impact > impact
    if too_likely and too_severe:
        return (
            f"Residual likelihood and impact ({LIKELIHOOD_LABELS[residual_likelihood - 1]}, "  # type: ignore[operator]
            f"{IMPACT_LABELS[residual_impact - 1]}) can't be higher than before mitigation "  # type: ignore[operator]
            f"({LIKELIHOOD_LABELS[likelihood - 1]}, {IMPACT_LABELS[impact - 1]})."
        )
    if too_likely:
        return (
            f"Residual likelihood ({LIKELIHOOD_LABELS[residual_likelihood - 1]}) can't be higher than "  # type: ignore[operator]
            f"the likelihood before mitigation ({LIKELIHOOD_LABELS[likelihood - 1]})."
        )
    if too_severe:
        return (
            f"Residual impact ({IMPACT_LABELS[residual_impact - 1]}) can't be higher than "  # type: ignore[operator]
            f"the impact before mitigation ({IMPACT_LABELS[impact - 1]})."
        )
    return None


def clamp_level(x: float) -> int:
    """A likelihood or impact kept inside 1–5 (a move past the edge of the grid stays on it)."""
    return max(1, min(5, int(x)))


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def attention(risk: Mapping[str, Any], today: date) -> list[str]:
    """Why a risk needs attention, as short phrases (empty when it doesn't).

    Closed risks never do. Otherwise: a next review before today, a mitigation due date before
    today (unless the risk is accepted), and a high inherent score without an owner ("no owner"),
    or without a mitigation while neither its treatment nor its status is "accept(ed)"
    ("no mitigation").
    """
    status = risk.get("status") or "open"
    if status == "closed":
        return []
    flags = []
    review = _day(risk.get("next_review"))
    if review is not None and review < today:
        flags.append("review overdue")
    due = _day(risk.get("due"))
    if due is not None and due < today and status != "accepted":
        flags.append("mitigation overdue")
    likelihood, impact = risk.get("likelihood"), risk.get("impact")
    if _level_ok(likelihood) and _level_ok(impact) and band(score(likelihood, impact)) == "high":
        if not risk.get("owner_id"):
            flags.append("no owner")
        accepted = status == "accepted" or risk.get("treatment") == "accept"
        if not (risk.get("mitigation") or "").strip() and not accepted:
            flags.append("no mitigation")
    return flags
