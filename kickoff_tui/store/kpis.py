"""KPIs and their readings: the KPI table's read model, every KPI write, the CSV import of
readings, the KPI nudges for the inbox and the demo's KPIs.

Readings are append-only, like check-ins: correcting one writes a new reading that names it
(`corrects_id`) on the same day, and the original stays in the history. A reading's `at` is a
day in the workspace time zone. The rule (periods, under runs, missing periods, target status)
is :mod:`kickoff_tui.rules.kpi`; this module reads rows and hands it plain values.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules import domains
from kickoff_tui.rules.corrections import number_corrections
from kickoff_tui.rules.kpi import (
    DAY_30,
    DAY_90,
    DIRECTIONS,
    FREQUENCIES,
    Assessment,
    Reading,
    assess,
    kpi_problems,
    period_start,
    sparkline_values,
    target_status,
)
from kickoff_tui.rules.nudges import Nudge
from kickoff_tui.rules.numbers import format_number, parse_number
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okrs import clean_note
from kickoff_tui.store.review import plan_day

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

NOTE_MAX = 500
NAME_MAX = 120
#: Readings one CSV import may hold.
IMPORT_MAX_ROWS = 100_000
PERIOD_WORD = {"daily": "day", "weekly": "week", "monthly": "month"}


# ---------------------------------------------------------------------- read model


@dataclass
class KpiView:
    """One KPI as the KPI table, its history and `kickoff kpi list` show it."""

    id: str
    num: int
    name: str
    definition: str | None
    unit: str | None
    direction: str
    baseline: float
    target_30: float
    target_90: float
    threshold: float  # the alert threshold in force (the baseline when none was set)
    threshold_set: float | None  # as stored
    frequency: str
    owner_id: str | None
    owner_name: str | None
    source: str | None
    objective_id: str | None
    objective_title: str | None
    last_value: float | None
    last_day: date | None
    days_since: int | None  # None: never read
    values: list[float]  # each period's value, oldest first (for the sparkline)
    status_30: str  # on track | behind | no data
    status_90: str
    assessment: Assessment
    plan_day: int
    conflict: bool

    @property
    def ref(self) -> str:
        return f"K{self.num}"

    @property
    def nudged(self) -> bool:
        return self.assessment.nudged

    @property
    def missing(self) -> bool:
        return self.assessment.missing

    def number(self, value: float | None) -> str:
        """ "22 h", "9.4 %", "–"."""
        if value is None:
            return "–"
        return format_number(value) + (f" {self.unit}" if self.unit else "")

    def targets_text(self) -> str:
        """ "26 → 20 → 16 h": baseline, 30-day and 90-day targets."""
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"{format_number(self.baseline)} → {format_number(self.target_30)} → "
            f"{format_number(self.target_90)}{unit}"
        )


def _float(value: Any, default: float = 0.0) -> float:
    """A stored number, or `default` when missing or impossible (never a crash)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return default


def _readings(rows: list[Any]) -> list[Reading]:
    out = []
    for seq, r in enumerate(rows):
        day = domains.day(r["at"])
        value = r["value"]
        if day is None or not isinstance(value, (int, float)) or not math.isfinite(value):
            continue  # an unreadable stored reading is left out, never a crash
        out.append(Reading(r["id"], day, float(value), seq, r["corrects_id"]))
    return out


def view(store: Store, today: date | None = None) -> list[KpiView]:
    """Every live KPI in creation order, assessed for today (in the workspace time zone)."""
    plan = plan_day(store)
    today = today or plan.today
    day = max(0, (today - plan.kickoff).days)
    conflicted = queries.conflicted_ids(store, "kpi")
    kpis = store.rows(
        f"""SELECT k.*, p.name AS owner_name, o.title AS objective_title
              FROM {queries.numbered("kpi")} k
              LEFT JOIN person p ON p.id = k.owner_id
              LEFT JOIN objective o ON o.id = k.objective_id AND o.deleted = 0
             WHERE k.deleted = 0 ORDER BY k.num"""
    )
    rows = store.rows(
        "SELECT r.id, r.kpi_id, r.value, r.at, r.corrects_id FROM kpi_reading r "
        "JOIN kpi k ON k.id = r.kpi_id AND k.deleted = 0 "
        "WHERE r.deleted = 0 ORDER BY r.at, r.created_at, r.id"
    )
    by_kpi: dict[str, list[Any]] = {}
    for r in rows:
        by_kpi.setdefault(r["kpi_id"], []).append(r)
    out = []
    for k in kpis:
        direction = k["direction"] if k["direction"] in DIRECTIONS else "higher"
        frequency = k["frequency"] if k["frequency"] in FREQUENCIES else "weekly"
        baseline = _float(k["baseline"])
        threshold = _float(k["threshold"], baseline)
        created = domains.day(k["created_at"])
        result = assess(
            _readings(by_kpi.get(k["id"], [])),
            frequency=frequency,
            threshold=threshold,
            direction=direction,
            today=today,
            since=created if created and created <= today else None,
        )
        measured = [p for p in result.periods if p.value is not None]
        last = measured[-1] if measured else None
        last_value = last.value if last else None
        t30, t90 = _float(k["target_30"], baseline), _float(k["target_90"], baseline)
        out.append(
            KpiView(
                id=k["id"],
                num=k["num"],
                name=k["name"] or "",
                definition=k["definition"],
                unit=k["unit"],
                direction=direction,
                baseline=baseline,
                target_30=t30,
                target_90=t90,
                threshold=threshold,
                threshold_set=k["threshold"],
                frequency=frequency,
                owner_id=k["owner_id"],
                owner_name=k["owner_name"],
                source=k["source"],
                objective_id=k["objective_id"],
                objective_title=k["objective_title"],
                last_value=last_value,
                last_day=last.reading_day if last else None,
                days_since=(today - last.reading_day).days if last and last.reading_day else None,
                values=sparkline_values(result.periods),
                status_30=target_status(
                    last_value,
                    baseline=baseline,
                    target=t30,
                    target_day=DAY_30,
                    direction=direction,
                    day=day,
                ),
                status_90=target_status(
                    last_value,
                    baseline=baseline,
                    target=t90,
                    target_day=DAY_90,
                    direction=direction,
                    day=day,
                ),
                assessment=result,
                plan_day=day,
                conflict=k["id"] in conflicted,
            )
        )
    return out


def find(store: Store, kpi_id: str) -> KpiView | None:
    """One KPI's view, or None when it no longer exists."""
    return next((k for k in view(store) if k.id == kpi_id), None)


def resolve(store: Store, ref: str) -> str | None:
    """A live KPI named as people say it: its number (K2, 2, #2), its name (any case) or its id."""
    text = ref.strip()
    if not text:
        return None
    number = text[1:] if text[:1] in ("K", "k") and text[1:].isdigit() else text
    found = queries.resolve_ref(store, "kpi", number)
    if found:
        return found
    rows = store.rows(
        "SELECT id FROM kpi WHERE deleted = 0 AND lower(trim(name)) = lower(?) LIMIT 2",
        (" ".join(text.split()),),
    )
    return rows[0]["id"] if len(rows) == 1 else None


def history(store: Store, kpi_id: str) -> list[dict[str, Any]]:
    """Every reading of a KPI, oldest first, corrections included.

    Each row has `num` (1..n), `corrected_by` (the reading that corrects it, or None: it counts)
    and `corrects_num` (the number of the reading it corrects).
    """
    rows = [
        dict(r)
        for r in store.rows(
            """SELECT r.*, p.name AS author_name FROM kpi_reading r
             LEFT JOIN person p ON p.id = r.author_id
            WHERE r.kpi_id = ? AND r.deleted = 0
            ORDER BY r.at, r.created_at, r.id""",
            (kpi_id,),
        )
    ]
    return number_corrections(rows)


def suggested_day(kpi: KpiView, today: date) -> date:
    """The day a new reading is prefilled with: the last day of the latest closed period when
    it has no reading yet and the current period has none either (the one to catch up on),
    else today."""
    periods = kpi.assessment.periods
    if len(periods) >= 2 and periods[-1].state == "open" and periods[-2].state == "missing":
        return periods[-2].end
    return today


def period_label(day: date, frequency: str) -> str:
    """ "week of Nov 16", "November 2026", "Mon Nov 23": the period a day falls in."""
    start = period_start(day, frequency)
    if frequency == "weekly":
        return f"week of {start:%b} {start.day}"
    if frequency == "monthly":
        return f"{start:%B %Y}"
    return f"{start:%a %b} {start.day}"


def _nudge(k: KpiView, kind: str, why: str, since: date) -> Nudge:
    """A KPI's nudge: for its owner, jumping to the KPI table on the OKR screen."""
    return Nudge(kind, k.ref, k.name, why, k.owner_id, since, "okrs", k.id)


def nudges(store: Store, today: date) -> list[Nudge]:
    """The KPI nudges for the inbox: two periods under the threshold running ("kpi-under"), and
    the latest closed period without a reading ("kpi-missing")."""
    out = []
    for k in view(store, today):
        word = PERIOD_WORD[k.frequency]
        if k.assessment.nudged_since is not None:
            side = "above" if k.direction == "lower" else "below"
            why = (
                f"{k.assessment.under_run} {word}s running {side} its threshold of "
                f"{k.number(k.threshold)} (last {k.number(k.last_value)})."
            )
            out.append(_nudge(k, "kpi-under", why, k.assessment.nudged_since))
        if k.assessment.missing_since is not None:
            closed = k.assessment.missing_since - timedelta(days=1)
            why = (
                f"No reading for the {period_label(closed, k.frequency)}: "
                "record one with r on the KPI table or `kickoff kpi record`."
            )
            out.append(_nudge(k, "kpi-missing", why, k.assessment.missing_since))
    return out


# ---------------------------------------------------------------------- checking input


def reading_day(text: str | date | None, today: date) -> date:
    """The day of a reading: a date, YYYY-MM-DD text, or today when None. Refuses an
    impossible day or one after today with one sentence (ValueError)."""
    if text is None:
        return today
    if isinstance(text, date):
        day = text
    else:
        raw = text.strip()
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            shown = raw if len(raw) <= 20 else raw[:19] + "…"
            raise ValueError(
                f"'{shown}' is not a day: write it as YYYY-MM-DD, e.g. 2026-12-01."
            ) from None
    if day > today:
        raise ValueError(f"A reading can't be dated after today ({day.isoformat()}).")
    return day


def reading_value(value: float | str) -> float:
    """A reading's value from a number or text such as 22, 22.5, 22,5 (ValueError if not)."""
    number = parse_number(value) if isinstance(value, str) else float(value)
    if not math.isfinite(number):
        raise ValueError("The value must be a finite number.")
    return number


# ---------------------------------------------------------------------- readings


def record(
    store: Store,
    kpi_id: str,
    *,
    value: float,
    at: date | str | None = None,
    note: str | None = None,
    author_id: str | None = None,
) -> str:
    """Record a reading (today unless `at` names an earlier day); returns its id."""
    kpi = queries.live(store, "kpi", kpi_id, "KPI")
    plan = plan_day(store)
    try:
        day = reading_day(at, plan.today)
        number = reading_value(value)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    unit = f" {kpi['unit']}" if kpi["unit"] else ""
    with store.transaction(
        f"Recorded {kpi['name']}: {format_number(number)}{unit} on {day.isoformat()}",
        entity="kpi",
        entity_id=kpi_id,
        action="reading",
    ) as tx:
        return tx.create(
            "kpi_reading",
            {
                "kpi_id": kpi_id,
                "value": number,
                "at": day.isoformat(),
                "note": clean_note(note, NOTE_MAX),
                "author_id": author_id,
            },
        )


def correct_reading(
    store: Store,
    reading_id: str,
    *,
    value: float,
    note: str | None = None,
    author_id: str | None = None,
) -> str:
    """Correct a reading: a new reading on the same day that supersedes it (the original stays
    in the history). Returns the correction's id."""
    original = queries.live(store, "kpi_reading", reading_id, "reading")
    if store.row("SELECT 1 FROM kpi_reading WHERE corrects_id = ? AND deleted = 0", (reading_id,)):
        raise InvalidEdit("That reading was already corrected; correct the correction instead.")
    kpi = queries.live(store, "kpi", original["kpi_id"], "KPI")
    try:
        number = reading_value(value)
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    old = original["value"]
    with store.transaction(
        f"Corrected a reading of {kpi['name']}: "
        f"{'–' if old is None else format_number(old)} → {format_number(number)}",
        entity="kpi",
        entity_id=kpi["id"],
        action="correct",
    ) as tx:
        return tx.create(
            "kpi_reading",
            {
                "kpi_id": kpi["id"],
                "value": number,
                "at": original["at"],
                "note": clean_note(note, NOTE_MAX),
                "author_id": author_id,
                "corrects_id": reading_id,
            },
        )


def import_readings(store: Store, text: str, *, author_id: str | None = None) -> int:
    """Import readings from CSV text with the columns kpi,at,value[,note] (a header row first).

    Every row is checked before anything is written: a bad row raises InvalidEdit naming its
    line, and nothing is imported. All rows are one transaction (one undo). Returns the count.
    """
    plan = plan_day(store)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise InvalidEdit(f"Line 1: {exc}.") from None
    if header[:3] != ["kpi", "at", "value"] or header[3:] not in ([], ["note"]):
        raise InvalidEdit("Line 1 must be the header kpi,at,value (and optionally ,note).")
    wanted: list[tuple[str, date, float, str | None]] = []
    cache: dict[str, str | None] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) not in (3, 4) or (len(row) == 4 and len(header) == 3):
                raise InvalidEdit(
                    f"Line {line}: expected {len(header)} columns ({','.join(header)}), "
                    f"found {len(row)}."
                )
            ref = row[0].strip()
            if ref not in cache:
                cache[ref] = resolve(store, ref)
            kpi_id = cache[ref]
            if kpi_id is None:
                shown = ref if len(ref) <= 40 else ref[:39] + "…"
                raise InvalidEdit(
                    f"Line {line}: there is no KPI {shown!r}; `kickoff kpi list` shows them."
                )
            try:
                day = reading_day(row[1], plan.today)
                value = reading_value(row[2])
                note = clean_note(row[3], NOTE_MAX) if len(row) == 4 else None
            except (ValueError, InvalidEdit) as exc:
                raise InvalidEdit(f"Line {line}: {exc}") from None
            wanted.append((kpi_id, day, value, note))
            if len(wanted) > IMPORT_MAX_ROWS:
                raise InvalidEdit(f"Line {line}: at most {IMPORT_MAX_ROWS} readings per import.")
    except csv.Error as exc:
        raise InvalidEdit(f"Line {reader.line_num}: {exc}.") from None
    if not wanted:
        return 0
    with store.transaction(
        f"Imported {len(wanted)} KPI reading{'s' if len(wanted) != 1 else ''}",
        entity="kpi",
        action="import",
    ) as tx:
        for kpi_id, day, value, note in wanted:
            tx.create(
                "kpi_reading",
                {
                    "kpi_id": kpi_id,
                    "value": value,
                    "at": day.isoformat(),
                    "note": note,
                    "author_id": author_id,
                },
            )
    return len(wanted)


# ---------------------------------------------------------------------- KPIs


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    try:
        if "name" in out and str(out["name"] or "").strip():  # empty: kpi_problems says it
            out["name"] = clean_line(out["name"] or "", max_len=NAME_MAX, what="The name")
        for key, label, limit in (("unit", "The unit", 20), ("source", "The data source", 200)):
            if out.get(key) is not None:
                out[key] = clean_line(out[key], max_len=limit, what=label) or None
        if out.get("definition") is not None:
            out["definition"] = clean_text(out["definition"], what="The definition") or None
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    for key in ("baseline", "target_30", "target_90", "threshold"):
        if isinstance(out.get(key), int) and not isinstance(out.get(key), bool):
            out[key] = float(out[key])
    return out


def name_taken(store: Store, name: str, kpi_id: str | None = None) -> bool:
    """Whether another live KPI (not `kpi_id`) has this name, in any case."""
    row = store.row(
        "SELECT 1 FROM kpi WHERE deleted = 0 AND lower(trim(name)) = lower(?) AND id != ?",
        (" ".join(str(name or "").split()), kpi_id or ""),
    )
    return row is not None


def save_kpi(store: Store, values: dict[str, Any], kpi_id: str | None = None) -> str:
    """Create a KPI or change one; returns its id. Refuses an impossible combination (no name,
    a 90-day target on the wrong side of the baseline, ...) and a name another KPI has."""
    current = queries.live(store, "kpi", kpi_id, "KPI") if kpi_id else {}
    merged = _clean({**current, **values})
    problems = kpi_problems(merged)
    if problems:
        raise InvalidEdit(next(iter(problems.values())))
    name = merged["name"]
    if name_taken(store, name, kpi_id):
        raise InvalidEdit(f"There is already a KPI named {name}; pick another name.")
    for key in ("owner_id", "objective_id"):
        if merged.get(key):
            table = "person" if key == "owner_id" else "objective"
            queries.live(store, table, merged[key], "owner" if table == "person" else "objective")
    fields = {k: merged.get(k) for k in values if k in _KPI_FIELDS}
    fields["name"] = name
    if kpi_id is None:
        return store.create("kpi", fields, summary=f"Added the KPI {name}")
    store.update("kpi", kpi_id, fields, summary=f"Edited the KPI {name}")
    return kpi_id


_KPI_FIELDS = (
    "name",
    "definition",
    "unit",
    "direction",
    "baseline",
    "target_30",
    "target_90",
    "threshold",
    "frequency",
    "owner_id",
    "source",
    "objective_id",
)


def delete_kpi(store: Store, kpi_id: str) -> None:
    """Tombstone a KPI (its readings stay in the file; ctrl+z brings it back)."""
    kpi = queries.live(store, "kpi", kpi_id, "KPI")
    store.delete("kpi", kpi_id, summary=f"Deleted the KPI {kpi['name']}")


# ---------------------------------------------------------------------- the demo

#: (name, definition, unit, direction, baseline, 30-day, 90-day, frequency, owner, source,
#:  objective, readings oldest first): the guides' example table. Weekly readings are 7 days
#: apart ending 3 days ago, monthly ones 28 days apart; support hours sit above their
#: threshold two weeks running, so the demo shows a nudged KPI.
DEMO_KPIS: list[tuple[Any, ...]] = [
    (
        "Support resolution hours",
        "Median hours from a support ticket opened to resolved, over the week.",
        "h",
        "lower",
        26.0,
        20.0,
        16.0,
        "weekly",
        "ben",
        "service desk",
        "o2",
        [26.0, 24.5, 23.0, 27.5, 28.0],
    ),
    (
        "Weekly active teams",
        "Teams with at least three members active in the week.",
        "teams",
        "higher",
        40.0,
        55.0,
        80.0,
        "weekly",
        "ana",
        "product analytics",
        "o1",
        [41.0, 44.0, 49.0, 53.0, 58.0],
    ),
    (
        "Trial-to-paid conversion",
        "Share of trials that started paying within 30 days, for the month.",
        "%",
        "higher",
        8.0,
        10.0,
        14.0,
        "monthly",
        "eunji",
        "billing (CRM)",
        "o3",
        [8.4, 9.1],
    ),
]


def seed_demo(
    tx: Transaction, today: date, people: dict[str, str], objectives: dict[str, str]
) -> None:
    """The demo's three KPIs with a few weeks of readings (one KPI nudged), in `tx`."""
    for (
        name,
        definition,
        unit,
        direction,
        baseline,
        t30,
        t90,
        frequency,
        owner,
        source,
        objective,
        readings,
    ) in DEMO_KPIS:
        kpi_id = tx.create(
            "kpi",
            {
                "name": name,
                "definition": definition,
                "unit": unit,
                "direction": direction,
                "baseline": baseline,
                "target_30": t30,
                "target_90": t90,
                "frequency": frequency,
                "owner_id": people[owner],
                "source": source,
                "objective_id": objectives[objective],
            },
        )
        step = 7 if frequency == "weekly" else 28
        for back, value in enumerate(reversed(readings)):
            tx.create(
                "kpi_reading",
                {
                    "kpi_id": kpi_id,
                    "value": value,
                    "at": (today - timedelta(days=3 + step * back)).isoformat(),
                    "note": "From the weekly export" if frequency == "weekly" else None,
                    "author_id": people[owner],
                },
            )
