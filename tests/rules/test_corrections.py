"""Numbering of corrected check-ins and KPI readings: the history tables' "#", "corrects #n" and
struck-out rows."""

from __future__ import annotations

from typing import Any

from kickoff_tui.rules.corrections import number_corrections


def test_rows_are_numbered_from_one_and_say_who_corrects_whom() -> None:
    rows: list[dict[str, Any]] = [
        {"id": "a", "corrects_id": None},
        {"id": "b", "corrects_id": None},
        {"id": "c", "corrects_id": "a"},
        {"id": "d", "corrects_id": "c"},
    ]
    out = number_corrections(rows)
    assert out is rows
    assert [(r["num"], r["corrected_by"], r["corrects_num"]) for r in out] == [
        (1, "c", None),
        (2, None, None),
        (3, "d", 1),
        (4, None, 3),
    ]
    # The other fields are left as they were.
    assert [(r["id"], r["corrects_id"]) for r in out] == [
        ("a", None),
        ("b", None),
        ("c", "a"),
        ("d", "c"),
    ]


def test_a_correction_of_a_row_not_listed_has_no_number() -> None:
    """A correction whose original is not in the list (another KPI's, or pruned) corrects
    nothing shown: no number, and no listed row is marked corrected by it."""
    rows: list[dict[str, Any]] = [
        {"id": "x", "corrects_id": ""},
        {"id": "y", "corrects_id": "gone"},
    ]
    out = number_corrections(rows)
    assert [(r["num"], r["corrected_by"], r["corrects_num"]) for r in out] == [
        (1, None, None),
        (2, None, None),
    ]


def test_empty_history() -> None:
    assert number_corrections([]) == []
