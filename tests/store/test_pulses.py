"""Pulse checks and the cadence settings on real workspace files: opening, answering, results
only from three answers, the trend's ⚠, the nudge, the migration and the "Next:" line."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kickoff_tui.store import cadence, people, pulses
from kickoff_tui.store import db as dbmod
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.inbox import gather
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import update_settings

TODAY = date(2026, 11, 23)


def team(store: Store, n: int) -> list[str]:
    return [people.add_person(store, {"name": f"Person {i}"}) for i in range(n)]


def test_a_pulse_opens_for_the_workspace_length_with_the_default_questions(
    workspace: Store,
) -> None:
    update_settings(workspace, {"pulse_every": "every two weeks"})
    pid = pulses.open_pulse(workspace, TODAY)
    (p,) = pulses.pulses(workspace, TODAY)
    assert (p.id, p.ref, p.status) == (pid, "P1", "open")
    assert p.closes_on == TODAY + timedelta(days=13)
    assert p.questions == ["Energy", "Focus", "Support from the team", "Clarity of the goals"]
    with pytest.raises(InvalidEdit, match="one pulse at a time"):
        pulses.open_pulse(workspace, TODAY)
    assert pulses.pulses(workspace, TODAY + timedelta(days=14))[0].status == "closed"


def test_questions_can_change_before_the_pulse_opens_and_not_after(workspace: Store) -> None:
    pid = pulses.open_pulse(workspace, TODAY, opens=TODAY + timedelta(days=2))
    pulses.edit_questions(workspace, pid, ["Energy", "Focus", "Sleep"], TODAY)
    assert pulses.pulses(workspace, TODAY)[0].questions == ["Energy", "Focus", "Sleep"]
    with pytest.raises(InvalidEdit, match="3 to 5 questions"):
        pulses.edit_questions(workspace, pid, ["Energy", "Focus"], TODAY)
    with pytest.raises(InvalidEdit, match="questions stay as they are"):
        pulses.edit_questions(workspace, pid, ["A", "B", "C"], TODAY + timedelta(days=2))


def test_answering_again_replaces_my_answer_and_bad_answers_save_nothing(workspace: Store) -> None:
    (ana,) = team(workspace, 1)
    pid = pulses.open_pulse(workspace, TODAY)
    first = pulses.answer(workspace, pid, ana, [4, 3, None, 5], "More focus time", TODAY)
    again = pulses.answer(workspace, pid, ana, [2, 2, 2, 2], None, TODAY)
    assert first == again
    assert pulses.my_answer(workspace, pid, ana) == {"answers": [2, 2, 2, 2], "text": None}
    before = workspace.row("SELECT count(*) FROM operation")[0]
    for bad, match in (
        ([6, 3, 3, 3], "answer 1 to 5"),
        ([3, 3], "asks 4 questions"),
        ([None, None, None, None], "at least one"),
    ):
        with pytest.raises(InvalidEdit, match=match):
            pulses.answer(workspace, pid, ana, bad, None, TODAY)
    with pytest.raises(InvalidEdit, match="closed on"):
        pulses.answer(workspace, pid, ana, [3, 3, 3, 3], None, TODAY + timedelta(days=7))
    assert workspace.row("SELECT count(*) FROM operation")[0] == before


def test_results_show_from_three_answers_with_the_trend_and_a_drop(workspace: Store) -> None:
    ids = team(workspace, 4)
    first = pulses.open_pulse(workspace, TODAY - timedelta(days=14))
    for pid_ in ids:
        pulses.answer(workspace, first, pid_, [4, 5, 4, 4], None, TODAY - timedelta(days=14))
    second = pulses.open_pulse(workspace, TODAY)
    pulses.answer(workspace, second, ids[0], [4, 4, 4, 4], "Quieter mornings", TODAY)
    pulses.answer(workspace, second, ids[1], [4, 4, 4, 4], None, TODAY)
    p2 = pulses.find(workspace, None, TODAY)
    assert p2.ref == "P2"
    assert not pulses.results(workspace, p2, TODAY).enough  # two answers: nothing shown
    assert pulses.results(workspace, p2, TODAY).questions == []
    pulses.answer(workspace, second, ids[2], [4, 4, 5, 4], None, TODAY)
    res = pulses.results(workspace, p2, TODAY)
    assert res.enough and res.answered == 3
    focus = res.questions[1]
    assert (focus.question, focus.average, focus.counts) == ("Focus", 4.0, (0, 0, 0, 3, 0))
    assert focus.trend == (5.0, 4.0) and focus.dropped  # 5 → 4: ⚠
    assert not res.questions[0].dropped
    assert res.texts == ["Quieter mornings"]


def test_the_nudge_names_an_open_pulse_i_have_not_answered(
    workspace: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (me,) = team(workspace, 1)
    people.set_me(workspace, me)
    monkeypatch.delenv("KICKOFF_USER", raising=False)
    pid = pulses.open_pulse(workspace, TODAY)
    (nudge,) = [n for n in gather(workspace, TODAY) if n.kind == "pulse-open"]
    assert (nudge.ref, nudge.person_id, nudge.record_id) == ("P1", me, pid)
    assert "closes in 6 days" in nudge.why
    pulses.answer(workspace, pid, me, [3, 3, 3, 3], None, TODAY)
    assert [n for n in gather(workspace, TODAY) if n.kind == "pulse-open"] == []


def test_cadence_settings_are_checked_and_feed_the_next_line(workspace: Store) -> None:
    update_settings(
        workspace,
        {
            "standup_day": "tue",
            "standup_time": "09:30",
            "okr_review_day": "first Tuesday",
            "review_time": "10:00",
            "retro_every": "2w",
            "timezone": "Europe/Paris",
        },
    )
    ws = workspace.workspace()
    assert (ws["okr_review_day"], ws["retro_every"]) == ("first-tue", "fortnightly")
    for bad in ({"okr_review_day": "fifth monday"}, {"pulse_every": "daily"}):
        with pytest.raises(InvalidEdit):
            update_settings(workspace, bad)
    pulses.open_pulse(workspace, date(2026, 12, 3))
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)  # Thursday; kickoff 17 Oct → day 60 16 Dec
    assert cadence.next_line(workspace, now) == (
        "Next: standup Tue 09:30 · OKR review Tue 5 Jan · pulse closes Wed · retro Mon 14 Dec"
        " · day 60 in 13 days"
    )  # day 56 is Saturday 12 December: the retro moves to the Monday


def test_a_bad_cadence_value_in_the_file_is_left_out_of_the_line(workspace: Store) -> None:
    workspace.conn.execute("UPDATE workspace SET okr_review_day = 'someday', standup_day = 'tue'")
    workspace.conn.execute("UPDATE workspace SET standup_time = '9h'")
    line = cadence.next_line(workspace, datetime(2026, 12, 3, 12, tzinfo=UTC))
    assert "OKR review" not in line and "standup" not in line
    assert line.startswith("Next: day 60 in")


def test_an_older_file_gets_the_rhythm_columns_and_pulse_tables_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "w.db", create=True)
    store.close()
    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("DROP TABLE pulse")
    conn.execute("DROP TABLE pulse_answer")
    for name in ("okr_review_day", "review_time", "retro_every", "pulse_every"):
        conn.execute(f"ALTER TABLE workspace DROP COLUMN {name}")
    before = dbmod.MIGRATIONS.index(dbmod._m8_rhythm)  # the version just before this migration
    conn.execute(f"PRAGMA user_version = {before}")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "w.db")
    cols = {r[1] for r in store.rows("PRAGMA table_info(workspace)")}
    assert {"okr_review_day", "review_time", "retro_every", "pulse_every"} <= cols
    assert store.row("SELECT count(*) FROM pulse_answer")[0] == 0
    migration = dbmod._m8_rhythm
    import sqlite_utils

    migration(sqlite_utils.Database(store.conn))  # again: idempotent
    assert store.row("PRAGMA user_version")[0] == dbmod.SCHEMA_VERSION
    store.close()


def test_answers_from_three_machines_meet_through_sync(tmp_path: Path) -> None:
    from kickoff_tui.store import sync
    from tests.store.test_sync import dump, log_of
    from tests.store.test_sync import team as synced_team

    machines = synced_team(tmp_path, 3)
    ana = machines[0]
    ids = [people.add_person(ana, {"name": n}) for n in ("Ana", "Ben", "Cy")]
    pid = pulses.open_pulse(ana, TODAY)
    sync.sync(ana)
    for store, person in zip(machines, ids):
        sync.sync(store)
        pulses.answer(store, pid, person, [4, 4, 4, 4], None, TODAY)
        sync.sync(store)
    for store in machines:
        sync.sync(store)
    assert dump(machines[0]) == dump(machines[1]) == dump(machines[2])
    p = pulses.find(machines[1], None, TODAY)
    assert pulses.results(machines[1], p, TODAY).enough
    # An impossible answer in a teammate's log is held back, never applied.
    ben = machines[1]
    row = ben.row("SELECT id FROM pulse_answer WHERE person_id = ?", (ids[1],))
    ben.conn.execute("UPDATE pulse_answer SET answers = '[9]' WHERE id = ?", (row["id"],))
    lines = log_of(ben).read_text().splitlines(keepends=True)
    forged = json.loads(lines[-1])
    forged.update(
        id=f"{ben.replica}:9999",
        hlc=forged["hlc"][:-5] + "00099",
        table="pulse_answer",
        row_id=row["id"],
        field="answers",
        value="[9]",
        base=[],
    )
    log_of(ben).write_text("".join([*lines, json.dumps(forged) + "\n"]))
    result = sync.sync(ana)
    assert any("pulse_answer.answers" in p.reason for p in result.problems)
    answers = ana.row("SELECT answers FROM pulse_answer WHERE id = ?", (row["id"],))["answers"]
    assert answers == "[4, 4, 4, 4]"


def test_the_calendar_plan_has_every_kind_of_date_with_record_uids(demo: Store) -> None:
    plan = cadence.plan(demo)
    ws_id = demo.workspace()["id"]
    meetings = {m.uid.split("@")[0]: m for m in plan.meetings}
    assert set(meetings) == {"standup", "okr-review", "retro-day-90"}
    assert meetings["standup"].rrule is not None and meetings["standup"].minutes == 15
    kinds = {d.uid.split("@")[0].split("-")[0] for d in plan.days}
    assert kinds == {"day", "pulse", "card", "decision", "risk"}
    risk = next(d for d in plan.days if d.uid.startswith("risk-"))
    assert risk.summary.startswith("R") and " mitigation: " in risk.summary
    done = {r["id"] for r in demo.rows("SELECT id FROM card WHERE state = 'done'")}
    assert not any(d.uid.split("@")[0].removeprefix("card-") in done for d in plan.days)
    assert all(d.uid.endswith(f"@{ws_id}.kickoff") for d in plan.days)
    assert cadence.plan(demo) == plan  # the same file twice: the same UIDs and dates


def test_a_pulse_with_unreadable_values_in_the_file_is_left_out(workspace: Store) -> None:
    (ana,) = team(workspace, 1)
    pid = pulses.open_pulse(workspace, TODAY)
    pulses.answer(workspace, pid, ana, [3, 3, 3, 3], None, TODAY)
    workspace.conn.execute("UPDATE pulse_answer SET answers = '[7, \"x\"]'")
    p = pulses.find(workspace, None, TODAY)
    assert p.answered == 1 and pulses.results(workspace, p, TODAY).answered == 0
    workspace.conn.execute("UPDATE pulse SET questions = 'oops'")
    assert pulses.pulses(workspace, TODAY) == []
    assert pulses.nudges(workspace, TODAY) == []
    assert "pulse" not in cadence.next_line(workspace, datetime(2026, 11, 23, 9, tzinfo=UTC))
