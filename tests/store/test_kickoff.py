"""The kickoff page's store: charter, questions, stakeholders, communications — on real files,
through the operation path, with two replicas syncing through a folder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kickoff_tui.store import charter, comms, inbox, sync
from kickoff_tui.store import stakeholders as sh
from kickoff_tui.store.db import MIGRATIONS, _m6_charter
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace

KICKOFF = date(2026, 10, 17)
TODAY = date(2026, 11, 2)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return init_workspace(tmp_path / "k.db", name="Atlas", kickoff_date=KICKOFF, actor="ana")


def test_a_stakeholder_is_saved_checked_and_undone(store: Store) -> None:
    sid = sh.save_stakeholder(
        store, {"name": " Legal team ", "discipline": "legal", "influence": 4, "interest": 2}
    )
    (row,) = sh.stakeholders(store, TODAY)
    assert (row["name"], row["engagement"], row["verdict"].on) == (
        "Legal team",
        "keep satisfied",
        None,
    )
    with pytest.raises(InvalidEdit, match="Influence must be a whole number from 1 to 5"):
        sh.save_stakeholder(store, {"influence": 9}, sid)
    with pytest.raises(InvalidEdit, match="Discipline is one of"):
        sh.save_stakeholder(store, {"discipline": "astrology"}, sid)
    change = store.update("stakeholder", sid, {"interest": 5})
    store.undo(change)
    assert store.get("stakeholder", sid)["interest"] == 2


def test_answers_give_the_verdict_and_the_answer_that_keeps_someone_off(store: Store) -> None:
    sid = sh.save_stakeholder(store, {"name": "Sales"})
    verdict = sh.answer(
        store,
        sid,
        dict(
            zip(
                ("q_affects", "q_expect", "q_relationship", "q_replaceable", "q_assigned"),
                (1, 1, 1, 0, 1),
            )
        ),
    )
    assert verdict == "off: 5 covered"
    sh.answer(store, sid, {"q_assigned": 0})
    assert sh.stakeholders(store, TODAY)[0]["verdict"].summary() == "shortlisted"


def test_moving_off_the_grid_is_refused_and_writes_nothing(store: Store) -> None:
    sid = sh.save_stakeholder(store, {"name": "CEO", "influence": 5, "interest": 4})
    before = len(store.operations())
    with pytest.raises(InvalidEdit, match="already at the highest influence"):
        sh.move_stakeholder(store, sid, 1, 0)
    assert len(store.operations()) == before
    assert sh.move_stakeholder(store, sid, 0, 1) == (5, 5)


def test_comm_next_due_follows_the_cadence_and_done_schedules_the_next(store: Store) -> None:
    cid = comms.save_comm(
        store,
        {
            "message": "Progress",
            "channel": "all-hands",
            "cadence": "weekly",
            "starts": "2026-10-19",
        },
    )
    (item,) = comms.plan(store, TODAY)
    assert item["next_due"] == date(2026, 10, 19) and item["overdue"]
    assert [n.kind for n in inbox.gather(store, TODAY)] == ["comm-due"]
    assert comms.mark_done(store, cid, TODAY) == date(2026, 11, 9)
    assert not comms.plan(store, TODAY)[0]["overdue"]
    with pytest.raises(InvalidEdit, match="one-off communication needs its date"):
        comms.save_comm(store, {"message": "Launch mail", "cadence": "once"})


def test_charter_sections_and_late_questions(store: Store) -> None:
    charter.save_section(store, "purpose", "Why:\nbecause")
    charter.save_section(store, "rules", "Mondays 9:30")
    got = charter.charter(store, TODAY)
    assert got.sections["purpose"] == "Why:\nbecause" and got.sections["rules"] == "Mondays 9:30"
    with pytest.raises(InvalidEdit, match="no section"):
        charter.save_section(store, "id", "x")
    qid = charter.save_question(store, {"text": "Who signs?"}, today=TODAY - timedelta(days=3))
    assert charter.questions(store, TODAY)[0]["late"]
    assert [n.ref for n in charter.nudges(store, TODAY)] == ["Q1"]
    charter.save_question(store, {"answer": "Maria"}, qid, today=TODAY)
    q = charter.questions(store, TODAY)[0]
    assert not q["late"] and q["answered_at"] == TODAY.isoformat()


def test_a_past_next_contact_is_a_nudge(store: Store) -> None:
    sh.save_stakeholder(store, {"name": "IT", "next_contact": "2026-10-30"})
    (nudge,) = sh.nudges(store, TODAY)
    assert (nudge.kind, nudge.ref, nudge.since) == ("stakeholder-contact", "S1", date(2026, 10, 30))


def test_the_kickoff_nudges_say_who_what_and_since_when(store: Store) -> None:
    """Questions, stakeholders and communications each give the inbox a whole nudge: its ref,
    title, sentence, owner and where enter jumps; the ones not due give none."""
    from kickoff_tui.rules.nudges import Nudge

    pid = store.create("person", {"name": "Maria", "handle": "maria"})
    qid = charter.save_question(
        store, {"text": "Who signs?", "owner_id": pid}, today=TODAY - timedelta(days=3)
    )
    charter.save_question(store, {"text": "Budget?", "answer_by": "2026-11-20"}, today=TODAY)
    sid = sh.save_stakeholder(store, {"name": "IT", "next_contact": "2026-10-30", "owner_id": pid})
    sh.save_stakeholder(store, {"name": "Legal", "next_contact": TODAY.isoformat()})
    cid = comms.save_comm(
        store,
        {"message": "Launch mail", "audience": "everyone", "starts": "2026-10-30", "owner_id": pid},
    )
    comms.save_comm(store, {"message": "Demo day", "cadence": "once", "starts": "2026-11-20"})
    assert charter.nudges(store, TODAY) == [
        Nudge(
            "question-late",
            "Q1",
            "Who signs?",
            "Kickoff question unanswered since Oct 31: answer and publish it.",
            pid,
            date(2026, 10, 31),
            "kickoff",
            qid,
        )
    ]
    assert sh.nudges(store, TODAY) == [
        Nudge(
            "stakeholder-contact",
            "S1",
            "IT",
            "Next contact with IT was due Oct 30.",
            pid,
            date(2026, 10, 30),
            "kickoff",
            sid,
        )
    ]
    assert comms.nudges(store, TODAY) == [
        Nudge(
            "comm-due",
            "C1",
            "Launch mail",
            "Tell everyone (no channel): due Oct 30.",
            pid,
            date(2026, 10, 30),
            "kickoff",
            cid,
        )
    ]


def test_a_record_deleted_meanwhile_is_refused_with_one_sentence(store: Store) -> None:
    qid = charter.save_question(store, {"text": "Who signs?"}, today=TODAY)
    sid = sh.save_stakeholder(store, {"name": "IT"})
    cid = comms.save_comm(store, {"message": "Launch mail", "starts": "2026-11-20"})
    for table, rid in (("question", qid), ("stakeholder", sid), ("comm", cid)):
        store.delete(table, rid)
    with pytest.raises(InvalidEdit, match="That question no longer exists."):
        charter.save_question(store, {"answer": "Maria"}, qid, today=TODAY)
    with pytest.raises(InvalidEdit, match="That stakeholder no longer exists."):
        sh.save_stakeholder(store, {"name": "IT team"}, sid)
    with pytest.raises(InvalidEdit, match="That communication no longer exists."):
        comms.mark_done(store, cid, TODAY)


def test_the_migration_adds_the_tables_to_an_older_file_and_is_idempotent(tmp_path: Path) -> None:
    import sqlite_utils

    from kickoff_tui.store import db as dbmod

    path = tmp_path / "old.db"
    store = init_workspace(path, name="Old", kickoff_date=KICKOFF, actor="ana")
    store.close()
    raw = sqlite_utils.Database(path)
    for table in ("charter", "question", "stakeholder", "comm"):
        raw[table].drop()
    raw.execute(f"PRAGMA user_version = {MIGRATIONS.index(_m6_charter)}")
    raw.conn.commit()
    raw.close()
    store = Store(path, actor="ana")
    assert sh.save_stakeholder(store, {"name": "After upgrade"})
    store.close()
    again = sqlite_utils.Database(path)
    dbmod._m6_charter(again)  # once more: nothing changes
    again.close()
    store = Store(path, actor="ana")
    assert len(sh.stakeholders(store, TODAY)) == 1


def test_concurrent_edits_to_one_stakeholder_merge_by_field_and_conflict_on_the_same_field(
    tmp_path: Path,
) -> None:
    ana = init_workspace(tmp_path / "ana.db", name="Atlas", kickoff_date=KICKOFF, actor="ana")
    sync.attach(ana, tmp_path / "shared")
    sid = sh.save_stakeholder(ana, {"name": "Legal team", "influence": 3, "interest": 3})
    charter.save_section(ana, "purpose", "Ship")
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    # At once: ana answers question 1 and moves them up; ben answers question 4, moves them
    # right and writes another purpose; both edit the notes.
    sh.answer(ana, sid, {"q_affects": 1})
    sh.move_stakeholder(ana, sid, 1, 0)
    sh.save_stakeholder(ana, {"notes": "ana's note"}, sid)
    sh.answer(ben, sid, {"q_replaceable": 0})
    sh.move_stakeholder(ben, sid, 0, 1)
    sh.save_stakeholder(ben, {"notes": "ben's note"}, sid)
    charter.save_section(ben, "rules", "Mondays")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    rows = [ana.get("stakeholder", sid), ben.get("stakeholder", sid)]
    assert rows[0] == rows[1]
    row = rows[0]
    assert (row["q_affects"], row["q_replaceable"]) == (1, 0)
    assert (row["influence"], row["interest"]) == (4, 4)  # both moves kept: different fields
    assert row["notes"] in ("ana's note", "ben's note")
    for store in (ana, ben):
        (listed,) = sh.stakeholders(store, TODAY)
        assert listed["conflict"]
        assert [c.field for c in store.conflicts("stakeholder", sid)] == ["notes"]
        sections = charter.charter(store, TODAY).sections
        assert (sections["purpose"], sections["rules"]) == ("Ship", "Mondays")


def test_two_machines_writing_the_first_charter_section_make_one_charter(tmp_path: Path) -> None:
    ana = init_workspace(tmp_path / "ana.db", name="Atlas", kickoff_date=KICKOFF, actor="ana")
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    charter.save_section(ana, "purpose", "Ship")
    charter.save_section(ben, "scope_out", "Mobile")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    for store in (ana, ben):
        assert store.rows("SELECT count(*) FROM charter")[0][0] == 1
        sections = charter.charter(store, TODAY).sections
        assert (sections["purpose"], sections["scope_out"]) == ("Ship", "Mobile")


def test_the_kickoff_report_escapes_every_user_value(store: Store) -> None:
    from kickoff_tui.store.kickoff_report import kickoff_markdown

    charter.save_section(store, "purpose", "# not a heading\n[click](http://x) <b>\n1. no list")
    sh.save_stakeholder(store, {"name": "*Sales* | <script>"})
    comms.save_comm(store, {"message": "Hi _all_", "cadence": "day30"})
    text = kickoff_markdown(store)
    assert "> \\# not a heading" in text and "> 1\\. no list" in text  # no block inside the quote
    assert "\\[click\\](http://x) \\<b\\>" in text
    assert "\\*Sales\\* \\| \\<script\\>" in text
    assert "Hi \\_all\\_" in text and "<script>" not in text
