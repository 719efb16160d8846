"""`kickoff kpi`: record KPI readings from scripts and CI jobs, list the KPIs, import readings.

`kickoff kpi record "Support resolution hours" 22 --at 2026-12-01` pushes one number;
`kickoff kpi import readings.csv` many (all or nothing). No Textual here: the commands read and
write the workspace through `store.kpis` and print text or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kickoff_tui.cli import (
    _db,
    complete_numbers,
    cut,
    db_option,
    echo_json,
    echo_table,
    fail,
    guarded,
    json_option,
    not_found,
    open_store,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def kpi() -> None:
    """KPIs: record a reading, list them with their status, import readings from CSV.

    \b
    Examples:
      kickoff kpi record "Support resolution hours" 22 --at 2026-12-01 --note "after triage"
      kickoff kpi record K2 58
      kickoff kpi list --json
      kickoff kpi import readings.csv     # kpi,at,value[,note]; all rows or none
    """


def _resolve(store: Any, ref: str) -> str:
    from kickoff_tui.store import kpis

    found = kpis.resolve(store, ref)
    if found is None:
        store.close()
        not_found(f"There is no KPI {ref!r}; `kickoff kpi list` shows their numbers and names.")
    assert found is not None
    return found


@kpi.command(context_settings={"ignore_unknown_options": True})
@click.argument("kpi_ref", metavar="KPI", shell_complete=complete_numbers("kpi", "K", "name"))
@click.argument("value", metavar="VALUE")
@click.option("--at", "at", metavar="YYYY-MM-DD", help="The day it was measured (default today).")
@click.option("--note", metavar="TEXT", help="A short note kept with the reading.")
@db_option
@click.pass_context
@guarded
def record(
    ctx: click.Context, kpi_ref: str, value: str, at: str | None, note: str | None, db: str | None
) -> None:
    """Record a reading: KPI is its number (K2 or 2), its name or its id; VALUE a number such
    as 22, 22.5 or 22,5."""
    from kickoff_tui.store import kpis
    from kickoff_tui.store.people import me

    try:
        number = kpis.reading_value(value)
    except ValueError as exc:
        fail(str(exc), 2)
    store = open_store(_db(ctx, db))
    kpi_id = _resolve(store, kpi_ref)
    kpis.record(store, kpi_id, value=number, at=at, note=note, author_id=me(store))
    found = kpis.find(store, kpi_id)
    store.close()
    assert found is not None
    flag = " · ⚠ under its threshold two periods running" if found.nudged else ""
    click.echo(
        f"Recorded {found.ref} {found.name}: {found.number(number)} "
        f"({found.targets_text()}; 30 days {found.status_30}, 90 days {found.status_90}){flag}"
    )


def _kpi_dict(k: Any) -> dict[str, Any]:
    return {
        "ref": k.ref,
        "id": k.id,
        "name": k.name,
        "definition": k.definition,
        "unit": k.unit,
        "direction": k.direction,
        "baseline": k.baseline,
        "target_30": k.target_30,
        "target_90": k.target_90,
        "threshold": k.threshold,
        "frequency": k.frequency,
        "owner": k.owner_name,
        "source": k.source,
        "objective": k.objective_title,
        "last_value": k.last_value,
        "last_day": k.last_day.isoformat() if k.last_day else None,
        "days_since_reading": k.days_since,
        "values": k.values,
        "status_30": k.status_30,
        "status_90": k.status_90,
        "under_run": k.assessment.under_run,
        "nudged": k.nudged,
        "missing": k.missing,
        "conflict": k.conflict,
    }


@kpi.command(name="list")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print every KPI: last value, baseline → 30 → 90-day targets, status, frequency, owner."""
    from kickoff_tui.store import kpis

    store = open_store(_db(ctx, db))
    found = kpis.view(store)
    store.close()
    if as_json:
        echo_json({"kpis": [_kpi_dict(k) for k in found]})
        return
    if not found:
        click.echo("No KPIs yet: add one on the OKR screen (kickoff, 2, tab to the KPI table, n).")
        return
    rows: list[tuple[str, ...]] = []
    for k in found:
        flag = "⚠ 2+ under" if k.nudged else "missing" if k.missing else ""
        since = (
            "never"
            if k.days_since is None
            else "today"
            if k.days_since == 0
            else f"{k.days_since}d ago"
        )
        rows.append(
            (
                ("⚠ " if k.conflict else "") + k.ref,
                cut(k.name, 40),
                k.number(k.last_value),
                k.targets_text(),
                "✓" if k.status_30 == "on track" else k.status_30,
                "✓" if k.status_90 == "on track" else k.status_90,
                k.frequency,
                (k.owner_name or "–").split(" ")[0],
                since,
                flag,
            )
        )
    echo_table(
        ("#", "KPI", "Last", "Base → 30 → 90", "30d", "90d", "Every", "Owner", "Read", ""),
        rows,
        fill=1,
    )


@kpi.command(name="import")
@click.argument("csv_file", metavar="READINGS.csv", type=click.Path(dir_okay=False))
@db_option
@click.pass_context
@guarded
def import_(ctx: click.Context, csv_file: str, db: str | None) -> None:
    """Import readings from a CSV file with the columns kpi,at,value[,note] (header first). A
    bad row is reported with its line and nothing is imported."""
    from kickoff_tui.store import kpis
    from kickoff_tui.store.people import me

    try:
        text = Path(csv_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        fail(f"Can't read {csv_file}: {reason}.", 2)
    store = open_store(_db(ctx, db))
    try:
        count = kpis.import_readings(store, text, author_id=me(store))
    finally:
        store.close()
    click.echo(f"Imported {count} reading{'s' if count != 1 else ''} from {csv_file}.")
