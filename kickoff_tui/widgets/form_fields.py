"""Fields that several forms ask for the same way, built in one place so that they read, default
and parse alike wherever they appear (the risk and stakeholder grids' two levels, ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kickoff_tui.widgets.form import Field

#: One axis of a grid in a form: the field's name, its label and its choices.
Axis = tuple[str, str, Sequence[tuple[str, Any]]]


def levels(labels: Sequence[str]) -> list[tuple[str, int]]:
    """Choices for the levels 1, 2, … named by `labels`: ("1 very low", 1), ("2 low", 2), …"""
    return [(f"{n} {label}", n) for n, label in enumerate(labels, 1)]


def grid_cell(
    record: Mapping[str, Any], cell: tuple[int, int], row: Axis, column: Axis
) -> list[Field]:
    """The two required choices that place a record on a grid (likelihood × impact, influence ×
    interest): the record's own levels, or for a new one the cell the cursor is on."""
    return [
        Field(
            name, label, kind="choice", required=True, value=record.get(name, at), choices=choices
        )
        for (name, label, choices), at in zip((row, column), cell, strict=True)
    ]


def confidence(value: Any, hint: str = "0–10") -> Field:
    """Confidence, a whole number 0–10 (a key result's, a check-in's)."""
    return Field(
        "confidence", "Confidence", kind="int", minimum=0, maximum=10, value=value, hint=hint
    )


def note(value: str | None = None, hint: str = "") -> Field:
    """The one-line note of a check-in or a KPI reading (at most 300 characters)."""
    return Field("note", "Note", max_len=300, value=value, hint=hint)


def correction(value: float | None, why: str | None, *between: Field) -> list[Field]:
    """A correction's fields (a check-in's, a KPI reading's): the new value, the fields
    `between`, and the note saying why; the corrected one stays in the history."""
    return [
        Field("value", "Value", kind="number", required=True, value=value),
        *between,
        note(why, "why it changed; the original stays in the history"),
    ]
