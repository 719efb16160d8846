"""KPIs and readings on real workspace files: the read model, writes, the CSV import, nudges,
the demo and the migration."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kickoff_tui.store import db as dbmod
from kickoff_tui.store import inbox, kpis
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store

TODAY = date(2026, 11, 23)  # the frozen clock's day: a Monday, day 37 of the demo

HOURS = {
    "name": "Support resolution hours",
    "unit": "h",
    "direction": "lower",
    "baseline": 26.0,
    "target_30": 20.0,
    "target_90": 16.0,
    "frequency": "weekly",
    "source": "service desk",
}


def test_the_demo_has_three_kpis_and_support_hours_is_nudged(demo: Store) -> None:
    found = {k.name: k for k in kpis.view(demo)}
    assert list(found) == [
        "Support resolution hours",
        "Weekly active teams",
        "Trial-to-paid conversion",
    ]
    hours = found["Support resolution hours"]
    assert (hours.ref, hours.last_value, hours.days_since, hours.targets_text()) == (
        "K1",
        28.0,
        3,
        "26 → 20 → 16 h",
    )
    assert hours.nudged and hours.assessment.under_run == 2
    assert (hours.status_30, hours.status_90) == ("behind", "behind")
    teams = found["Weekly active teams"]
    assert not teams.nudged and (teams.status_30, teams.status_90) == ("on track", "on track")
    conversion = found["Trial-to-paid conversion"]
    assert (conversion.frequency, conversion.last_value, conversion.status_30) == (
        "monthly",
        9.1,
        "behind",
    )
    assert teams.values == [41.0, 44.0, 49.0, 53.0, 58.0]
    assert not any(k.missing for k in found.values())


def test_the_kpi_nudges_reach_the_inbox(demo: Store) -> None:
    gathered = [n for n in inbox.gather(demo, TODAY) if n.kind.startswith("kpi")]
    assert [(n.kind, n.ref, n.title) for n in gathered] == [
        ("kpi-under", "K1", "Support resolution hours")
    ]
    nudge = gathered[0]
    assert nudge.why == "2 weeks running above its threshold of 26 h (last 28 h)."
    assert nudge.since == date(2026, 11, 20)
    assert nudge.person_id == demo.row("SELECT id FROM person WHERE handle = 'ben'")[0]
    # A week later with no reading, the week just closed is missing: its own nudge.
    later = kpis.nudges(demo, date(2026, 11, 30))
    assert ("kpi-missing", "K1") in [(n.kind, n.ref) for n in later]


def test_recording_and_correcting_readings(workspace: Store, frozen: str) -> None:
    kid = kpis.save_kpi(workspace, HOURS)
    first = kpis.record(workspace, kid, value=22, at="2026-11-16", note="week 5")
    kpis.record(workspace, kid, value=23)  # today
    fix = kpis.correct_reading(workspace, first, value=21.5, note="recount")
    rows = kpis.history(workspace, kid)
    assert [(r["at"], r["value"], r["num"], r["corrects_num"]) for r in rows] == [
        ("2026-11-16", 22.0, 1, None),
        ("2026-11-16", 21.5, 2, 1),
        ("2026-11-23", 23.0, 3, None),
    ]
    assert rows[0]["corrected_by"] == fix
    k = kpis.find(workspace, kid)
    assert k is not None and k.values == [21.5, 23.0] and k.days_since == 0
    with pytest.raises(InvalidEdit, match="already corrected"):
        kpis.correct_reading(workspace, first, value=20)
    # Every write went through the operation log (so it syncs and undoes).
    assert workspace.row("SELECT count(*) FROM operation WHERE tbl = 'kpi_reading'")[0] > 0


@pytest.mark.parametrize(
    ("at", "value", "sentence"),
    [
        ("2026-02-30", 22, "'2026-02-30' is not a day: write it as YYYY-MM-DD"),
        ("2026-12-01", 22, "can't be dated after today"),
        (None, "lots", r"Enter a number such as 12.*got 'lots'"),
        (None, float("nan"), "finite number"),
    ],
)
def test_an_impossible_reading_is_refused_and_nothing_is_written(
    workspace: Store, frozen: str, at, value, sentence: str
) -> None:
    kid = kpis.save_kpi(workspace, HOURS)
    with pytest.raises(InvalidEdit, match=sentence):
        kpis.record(workspace, kid, value=value, at=at)
    assert workspace.row("SELECT count(*) FROM kpi_reading")[0] == 0


def test_save_kpi_refuses_with_one_sentence(workspace: Store) -> None:
    with pytest.raises(InvalidEdit, match="needs a name"):
        kpis.save_kpi(workspace, {**HOURS, "name": "  "})
    with pytest.raises(InvalidEdit, match="90-day target must be below the baseline"):
        kpis.save_kpi(workspace, {**HOURS, "target_90": 30.0})
    kid = kpis.save_kpi(workspace, HOURS)
    with pytest.raises(InvalidEdit, match="already a KPI named"):
        kpis.save_kpi(workspace, {**HOURS, "name": "support resolution HOURS"})
    kpis.save_kpi(workspace, {"threshold": 28.0}, kid)  # a partial edit keeps the rest
    k = kpis.find(workspace, kid)
    assert k is not None and (k.threshold, k.baseline, k.frequency) == (28.0, 26.0, "weekly")
    assert workspace.row("SELECT count(*) FROM kpi")[0] == 1


def test_a_kpi_is_found_by_number_name_or_id(workspace: Store) -> None:
    kid = kpis.save_kpi(workspace, HOURS)
    for ref in ("K1", "k1", "1", "#1", "support resolution hours", kid, kid[:8]):
        assert kpis.resolve(workspace, ref) == kid, ref
    assert kpis.resolve(workspace, "K9") is None
    kpis.delete_kpi(workspace, kid)
    assert kpis.resolve(workspace, "K1") is None and kpis.view(workspace) == []


def test_import_is_all_or_nothing_and_names_the_bad_line(workspace: Store, frozen: str) -> None:
    kpis.save_kpi(workspace, HOURS)
    good = "kpi,at,value,note\nK1,2026-11-02,24,\nSupport resolution hours,2026-11-09,25,late\n"
    bad = good + "K1,2026-11-16,twenty,\n"
    with pytest.raises(InvalidEdit, match=r"^Line 4: Enter a number such as 12.*'twenty'"):
        kpis.import_readings(workspace, bad)
    assert workspace.row("SELECT count(*) FROM kpi_reading")[0] == 0
    with pytest.raises(InvalidEdit, match="Line 2: there is no KPI 'K7'"):
        kpis.import_readings(workspace, "kpi,at,value\nK7,2026-11-02,1\n")
    with pytest.raises(InvalidEdit, match="Line 1 must be the header"):
        kpis.import_readings(workspace, "name,value\nK1,3\n")
    assert kpis.import_readings(workspace, good) == 2
    rows = kpis.history(workspace, kpis.resolve(workspace, "K1") or "")
    assert [(r["at"], r["value"], r["note"]) for r in rows] == [
        ("2026-11-02", 24.0, None),
        ("2026-11-09", 25.0, "late"),
    ]


def test_an_older_file_gets_the_kpi_tables_and_the_migration_is_idempotent(
    workspace: Store, tmp_path: Path
) -> None:
    path = workspace.path
    workspace.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE kpi")
    conn.execute("DROP TABLE kpi_reading")
    before = dbmod.MIGRATIONS.index(dbmod._m7_kpis)  # the version just before this migration
    conn.execute(f"PRAGMA user_version = {before}")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.row("PRAGMA user_version")[0] == dbmod.SCHEMA_VERSION
    kid = kpis.save_kpi(store, HOURS)
    kpis.record(store, kid, value=22, at="2026-11-02")
    store.close()
    # Running the KPI migration again (a file that already has the tables) changes nothing.
    import sqlite_utils

    db = sqlite_utils.Database(path)
    dbmod._m7_kpis(db)
    assert db["kpi_reading"].count == 1
    db.close()


def test_two_replicas_record_and_edit_one_kpi_at_once(tmp_path: Path, frozen: str) -> None:
    from kickoff_tui.rules import domains
    from kickoff_tui.store import sync
    from tests.store.test_sync import dump, team

    ana, ben = team(tmp_path, 2)
    kid = kpis.save_kpi(ana, HOURS)
    sync.sync(ana), sync.sync(ben)
    kpis.record(ana, kid, value=24, at="2026-11-16")
    kpis.record(ben, kid, value=27, at="2026-11-20")
    kpis.save_kpi(ana, {"threshold": 25.0}, kid)
    kpis.save_kpi(ben, {"threshold": 27.0}, kid)
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    assert dump(ana) == dump(ben)
    for store in (ana, ben):
        k = kpis.find(store, kid)
        assert k is not None and k.values == [27.0]  # one week, its last reading
        assert len(kpis.history(store, kid)) == 2 and k.conflict  # both readings; ⚠ threshold
    # What a sync line may carry is checked against the KPI domains.
    assert domains.problem("kpi", "frequency", "hourly") is not None
    assert domains.problem("kpi", "direction", "sideways") is not None
    assert domains.problem("kpi_reading", "at", "2026-02-30") is not None
    assert domains.problem("kpi_reading", "at", "2026-11-20") is None


def test_a_reading_note_is_limited_and_a_deleted_kpi_refuses(workspace: Store) -> None:
    kid = kpis.save_kpi(workspace, HOURS)
    rid = kpis.record(workspace, kid, value=22, note="x" * 500)
    assert len(workspace.get("kpi_reading", rid)["note"]) == 500
    with pytest.raises(InvalidEdit, match="The note"):
        kpis.record(workspace, kid, value=22, note="x" * 501)
    kpis.delete_kpi(workspace, kid)
    with pytest.raises(InvalidEdit, match="That KPI no longer exists."):
        kpis.record(workspace, kid, value=22)
