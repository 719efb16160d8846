"""Append-only records corrected in place (check-ins, KPI readings): number them and say which
corrects which, for the history tables. Pure: plain dicts in, the same dicts out."""

from __future__ import annotations

from typing import Any


def number_corrections(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each row (oldest first, each with `id` and `corrects_id`) its `num` (1..n),
    `corrected_by` (the id of the row correcting it, or None: it counts) and `corrects_num`
    (the number of the row it corrects, or None). Returns `rows`."""
    nums = {r["id"]: i for i, r in enumerate(rows, start=1)}
    corrected_by = {r["corrects_id"]: r["id"] for r in rows if r["corrects_id"]}
    for r in rows:
        r["num"] = nums[r["id"]]
        r["corrected_by"] = corrected_by.get(r["id"])
        r["corrects_num"] = nums.get(r["corrects_id"]) if r["corrects_id"] else None
    return rows
