"""The KPI forms: a KPI (new or edited), a reading (prefilled with the period to record) and a
correction. Fields parse their own text (a number, a real day), and the whole-form checks are the
store's rules, so a form says the same sentence the store would refuse with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.kpi import DIRECTION_LABELS, DIRECTIONS, FREQUENCIES, kpi_problems
from kickoff_tui.store import kpis
from kickoff_tui.store.kpis import KpiView, period_label
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.form_fields import correction, note

if TYPE_CHECKING:
    from textual.app import App

NO_OBJECTIVE = "__none__"


def me_id(session: Any) -> str | None:
    """My person id from the session (`session.me()` gives the id, or a row holding it)."""
    who = session.me()
    return who if isinstance(who, str) or who is None else who.get("id")


def kpi_form(
    kpi: KpiView | None,
    *,
    people: list[tuple[str, str]],
    objectives: list[tuple[str, str]],
    me: str | None,
    taken: Callable[[str], bool],
) -> FormScreen:
    """The form for a new KPI (`kpi` None) or for editing one; `taken(name)` says whether
    another KPI has that name (refused in the form, so nothing typed is lost)."""
    fields = [
        Field(
            "name",
            "Name",
            value=kpi.name if kpi else None,
            required=True,
            max_len=120,
            hint="e.g. Support resolution hours",
        ),
        Field(
            "direction",
            "Better when",
            kind="choice",
            required=True,
            choices=[(DIRECTION_LABELS[d], d) for d in DIRECTIONS],
            value=kpi.direction if kpi else "higher",
        ),
        Field(
            "baseline",
            "Baseline",
            kind="number",
            required=True,
            value=kpi.baseline if kpi else None,
            hint="where it stands at the kickoff, e.g. 26",
        ),
        Field("target_30", "30-day target", kind="number", required=True, value=_v(kpi, "30")),
        Field("target_90", "90-day target", kind="number", required=True, value=_v(kpi, "90")),
        Field(
            "threshold",
            "Alert threshold",
            kind="number",
            value=kpi.threshold_set if kpi else None,
            hint="two periods on its wrong side raise a nudge; empty: the baseline",
        ),
        Field(
            "frequency",
            "Measured",
            kind="choice",
            required=True,
            choices=[(f, f) for f in FREQUENCIES],
            value=kpi.frequency if kpi else "weekly",
        ),
        Field("unit", "Unit", value=kpi.unit if kpi else None, max_len=20, hint="h, %, teams…"),
        Field(
            "owner_id",
            "Owner",
            kind="choice",
            choices=people,
            value=kpi.owner_id if kpi else me,
        ),
        Field(
            "source",
            "Data source",
            value=kpi.source if kpi else None,
            max_len=200,
            hint="where the number comes from: CRM, service desk, survey…",
        ),
        Field(
            "objective_id",
            "Objective",
            kind="choice",
            choices=[("none", NO_OBJECTIVE), *objectives],
            value=(kpi.objective_id or NO_OBJECTIVE) if kpi else NO_OBJECTIVE,
        ),
        Field(
            "definition",
            "Definition",
            kind="textarea",
            value=kpi.definition if kpi else None,
        ),
    ]
    title = f"Edit {kpi.ref} {kpi.name}" if kpi else "New KPI"

    def check(values: dict[str, Any]) -> dict[str, str]:
        problems = kpi_problems(kpi_values(values))
        name = values.get("name")
        if not problems and name and taken(name):
            problems["name"] = f"There is already a KPI named {name}; pick another name."
        return problems

    return FormScreen(title, fields, check=check)


def _v(kpi: KpiView | None, which: str) -> float | None:
    if kpi is None:
        return None
    return kpi.target_30 if which == "30" else kpi.target_90


def kpi_values(result: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the store takes them (no objective is None)."""
    values = dict(result)
    if values.get("objective_id") == NO_OBJECTIVE:
        values["objective_id"] = None
    return values


def _not_after(today: date) -> Any:
    def check(values: dict[str, Any]) -> dict[str, str]:
        at = values.get("at")
        if isinstance(at, date) and at > today:
            return {"at": f"A reading can't be dated after today ({at.isoformat()})."}
        return {}

    return check


def reading_form(kpi: KpiView, day: date, today: date) -> FormScreen:
    """Record a reading of `kpi`, prefilled with `day` (the period to record)."""
    unit = f" {kpi.unit}" if kpi.unit else ""
    return FormScreen(
        f"Record {kpi.ref} {kpi.name}",
        [
            Field(
                "value",
                "Value",
                kind="number",
                required=True,
                hint=f"e.g. 22; last {kpi.number(kpi.last_value)}, threshold "
                f"{kpi.number(kpi.threshold)}"
                if kpi.last_value is not None
                else f"e.g. 22{unit}",
            ),
            Field(
                "at",
                "Day",
                kind="date",
                required=True,
                value=day,
                hint=f"the {period_label(day, kpi.frequency)}; 2026-12-01, yesterday, -7d",
            ),
            note(),
        ],
        submit="Record",
        check=_not_after(today),
        today=today,
    )


async def record_reading(app: App[Any], session: Any, kpi: KpiView) -> float | None:
    """Ask for a reading of `kpi` (prefilled with the period to record) and record it as me:
    the value recorded, or None when the form was cancelled or the store refused it."""
    today = clock.today(session.workspace.get("timezone") or "UTC")
    result = await app.push_screen_wait(reading_form(kpi, kpis.suggested_day(kpi, today), today))
    if result is None:
        return None
    saved = session.edit(
        kpis.record,
        session.store,
        kpi.id,
        value=result["value"],
        at=result["at"],
        note=result["note"],
        author_id=me_id(session),
    )
    return result["value"] if saved else None


def correction_form(number: int, value: float | None, why: str | None) -> FormScreen:
    """Correct reading #`number`: a new reading in its place (the original stays)."""
    return FormScreen(
        f"Correct reading #{number}",
        correction(value, why),
        submit="Correct",
    )
