"""Tiny inline charts drawn with block characters (no plotting dependency)."""

from __future__ import annotations

import math
from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"


def sparkline(
    values: Sequence[float], width: int = 8, *, low: float | None = None, high: float | None = None
) -> str:
    """The last `width` values as block characters, scaled between `low` and `high` (default:
    their own range). A flat series sits on the middle block; no values is an empty string."""
    vals = (
        [float(v) for v in values if v is not None and math.isfinite(v)][-width:]
        if width > 0
        else []
    )
    if not vals:
        return ""
    lo = min(vals) if low is None else min(low, *vals)
    hi = max(vals) if high is None else max(high, *vals)
    if hi - lo <= 0:
        return BLOCKS[3] * len(vals)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[round((v - lo) / (hi - lo) * top)] for v in vals)
