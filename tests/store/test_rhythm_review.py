"""The monthly OKR review and the retrospective on real files: verdicts that change targets and
log decisions, votes that merge across machines, items that become cards, saved and exported."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from kickoff_tui.store import db as dbmod
from kickoff_tui.store import okr_review as orv
from kickoff_tui.store import retro as rt
from kickoff_tui.store import sync
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace

NEW_TABLES = ("okr_review", "okr_verdict", "retro", "retro_item", "retro_vote")


def kr_id(store: Store, title: str) -> str:
    return store.row("SELECT id FROM key_result WHERE title = ?", (title,))["id"]


def people(store: Store) -> dict[str, str]:
    return {r["handle"]: r["id"] for r in store.rows("SELECT id, handle FROM person")}


def test_a_file_from_before_gets_the_review_and_retro_tables_once(tmp_path: Path) -> None:
    store = init_workspace(tmp_path / "w.db", name="T", kickoff_date=date(2026, 10, 17))
    store.close()
    conn = sqlite3.connect(tmp_path / "w.db")
    for table in NEW_TABLES:
        conn.execute(f"DROP TABLE {table}")
    before = dbmod.MIGRATIONS.index(dbmod._m9_okr_review_and_retro)  # just before it
    conn.execute(f"PRAGMA user_version = {before}")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "w.db")
    names = {r[0] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(NEW_TABLES) <= names
    assert store.row("PRAGMA user_version")[0] == dbmod.SCHEMA_VERSION
    store.close()
    import sqlite_utils

    again = sqlite_utils.Database(tmp_path / "w.db")
    dbmod.MIGRATIONS[-1](again)  # idempotent: running it on a current file changes nothing
    again.close()


def test_adjusting_a_target_edits_the_kr_logs_a_decision_and_saves_the_verdict(demo: Store) -> None:
    team = people(demo)
    review = orv.start_review(demo, list(team.values()), team["ana"])
    kr = kr_id(demo, "Paying teams")
    before = demo.get("key_result", kr)["target"]
    verdict = orv.apply_verdict(
        demo,
        review,
        kr,
        "adjust",
        note="Annual plans moved out",
        new_target=60,
        author_id=team["ana"],
    )
    assert demo.get("key_result", kr)["target"] == 60
    row = demo.get("okr_verdict", verdict)
    assert (row["verdict"], row["old_target"], row["new_target"]) == ("adjust", before, 60)
    decision = demo.get("decision", row["decision_id"])
    assert decision["key_result_id"] == kr and decision["status"] == "accepted"
    assert "→ 60" in decision["title"] and "Annual plans moved out" in decision["context"]
    item = next(i for i in orv.agenda(demo, review).items if i.id == kr)
    assert item.verdict["id"] == verdict
    md = orv.review_markdown(demo, orv.find_review(demo, "last"))
    assert "adjust the target" in md and "Annual plans moved out" in md


def test_a_verdict_that_cannot_apply_saves_nothing(demo: Store) -> None:
    team = people(demo)
    review = orv.start_review(demo, [team["ana"]])
    kr = kr_id(demo, "Paying teams")
    ops = len(demo.operations())
    with pytest.raises(InvalidEdit, match="needs the new target"):
        orv.apply_verdict(demo, review, kr, "adjust", note="x")
    obj = demo.get("key_result", kr)["objective_id"]
    with pytest.raises(InvalidEdit, match="one of keep, drop, add"):
        orv.apply_verdict(demo, review, obj, "adjust", new_target=3)
    assert len(demo.operations()) == ops


def test_dropping_a_kr_deletes_it_and_the_saved_review_still_shows_it(demo: Store) -> None:
    team = people(demo)
    review = orv.start_review(demo, [team["ana"]])
    kr = kr_id(demo, "Net revenue retention")
    orv.apply_verdict(demo, review, kr, "drop", note="Too early to measure")
    assert demo.get("key_result", kr)["deleted"] == 1
    gone = next(i for i in orv.agenda(demo, review).items if i.id == kr)
    assert gone.verdict["verdict"] == "drop" and gone.value_text == "deleted"
    orv.end_review(demo, review)
    with pytest.raises(InvalidEdit, match="has ended"):
        orv.apply_verdict(demo, review, kr_id(demo, "Paying teams"), "keep")


def test_reviews_list_newest_first_and_compare_with_the_last(demo: Store) -> None:
    team = people(demo)
    review = orv.start_review(demo, [team["ana"], team["ben"]])
    listed = orv.reviews(demo)
    assert listed[0]["id"] == review and len(listed) == 2
    assert listed[0]["attendee_names"] == ["Ana Silva", "Ben Okafor"]
    session = orv.agenda(demo, review)
    assert session.previous == listed[1]["held_on"]
    kr1 = next(i for i in session.items if i.title == "Weekly activated teams")
    assert kr1.then_progress is not None and kr1.then_progress < kr1.progress
    assert kr1.checkins_since == 1
    assert orv.find_review(demo, listed[1]["held_on"]) == listed[1]["id"]
    assert orv.find_review(demo, "2001-01-01") is None


def test_a_retro_starts_with_what_the_data_says_and_the_last_ones_actions(demo: Store) -> None:
    retro = rt.start_retro(demo)
    board = rt.board(demo, retro)
    texts = [i.text for col in board.columns.values() for i in col]
    assert any("moved most" in t for t in texts) and any("late by" in t for t in texts)
    assert all(i.author == "from the data" for col in board.columns.values() for i in col)
    assert [(a.action, a.outcome) for a in board.last_actions] == [
        ("→ card #9 Ben", "done"),
        ("→ card #12 Eun-ji", "not done (doing)"),
    ]


def test_one_vote_per_person_and_items_become_cards_in_the_next_window(demo: Store) -> None:
    team = people(demo)
    retro = rt.start_retro(demo)
    item = rt.add_item(demo, retro, "change", "Demo every Friday", team["ben"])
    assert rt.toggle_vote(demo, item, team["ana"]) is True
    assert rt.toggle_vote(demo, item, team["ben"]) is True
    assert rt.board(demo, retro, team["ana"]).item(item).votes == 2
    assert rt.toggle_vote(demo, item, team["ana"]) is False  # taken back
    assert rt.board(demo, retro).item(item).votes == 1
    card = rt.make_action(demo, item, "card", {"owner_id": team["dev"]})
    row = demo.get("card", card)
    assert (row["title"], row["owner_id"], row["window"]) == (
        "Demo every Friday",
        team["dev"],
        "90",
    )
    assert rt.board(demo, retro).item(item).action.startswith("→ card #")
    with pytest.raises(InvalidEdit, match="already an action"):
        rt.make_action(demo, item, "decision", {})
    other = rt.add_item(demo, retro, "not_well", "Nobody owns the pager", team["ben"])
    with pytest.raises(InvalidEdit, match="needs an owner"):
        rt.make_action(demo, other, "card", {})
    decision = rt.make_action(demo, other, "decision", {"owner_id": team["ben"]})
    assert demo.get("decision", decision)["title"] == "Nobody owns the pager"
    md = rt.retro_markdown(demo, rt.find_retro(demo, "last"))
    assert "Demo every Friday — Ben Okafor (+1) → card #" in md
    assert "## Actions from the retro of" in md


def test_a_retro_refuses_bad_items_and_anonymous_votes(demo: Store) -> None:
    retro = rt.start_retro(demo)
    with pytest.raises(InvalidEdit):
        rt.add_item(demo, retro, "change", "   ", None)
    item = rt.add_item(demo, retro, "well", "[bold]x[/]", None)
    assert rt.board(demo, retro).item(item).text == "[bold]x[/]"
    with pytest.raises(InvalidEdit, match="Say who you are"):
        rt.toggle_vote(demo, item, None)
    rt.end_retro(demo, retro)
    with pytest.raises(InvalidEdit, match="has ended"):
        rt.add_item(demo, retro, "well", "late", None)


def test_two_machines_voting_on_the_same_item_merge(tmp_path: Path) -> None:
    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    a_id = ana.create("person", {"name": "Ana", "handle": "ana"})
    b_id = ana.create("person", {"name": "Ben", "handle": "ben"})
    retro = rt.start_retro(ana)
    item = rt.add_item(ana, retro, "change", "Shorter standups", a_id)
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    # at once, offline: each votes; ana also records ben's vote (a shared laptop), twice over
    rt.toggle_vote(ana, item, a_id)
    rt.toggle_vote(ana, item, b_id)
    rt.toggle_vote(ben, item, b_id)
    for _ in range(2):
        sync.sync(ana)
        sync.sync(ben)
    for store in (ana, ben):
        found = rt.board(store, retro).item(item)
        assert found is not None and found.votes == 2
    # ben takes his vote back on his machine: both see one vote
    assert rt.toggle_vote(ben, item, b_id) is False
    sync.sync(ben)
    sync.sync(ana)
    assert rt.board(ana, retro).item(item).votes == 1
    assert rt.board(ben, retro).item(item).votes == 1


def test_the_data_list_names_the_pulse_questions_that_rose_or_fell(
    workspace: Store, frozen: str
) -> None:
    """The guides re-check the team's pulse after a change: a question whose average moved by
    half a point or more since the pulse before is brought to the retro, up or down."""
    from datetime import timedelta

    from kickoff_tui.store import people, pulses

    today = date(2026, 11, 23)
    ids = [people.add_person(workspace, {"name": n}) for n in ("Ana", "Ben", "Cy")]
    first = pulses.open_pulse(workspace, today - timedelta(days=14))
    for pid in ids:
        pulses.answer(workspace, first, pid, [3, 5, 4, 4], None, today - timedelta(days=14))
    second = pulses.open_pulse(workspace, today)
    for pid in ids:
        pulses.answer(workspace, second, pid, [4, 4, 4, 4], None, today)
    items = rt.data_items(workspace)
    assert ("well", "Pulse P2: Energy rose from 3.0 to 4.0") in items
    assert ("not_well", "Pulse P2: Focus fell from 5.0 to 4.0") in items
    assert not [text for _, text in items if "Support" in text or "Clarity" in text]


def test_a_verdict_note_may_be_longer_than_a_check_in_note(demo: Store) -> None:
    """A review's note holds up to 1000 characters (a check-in's 500); a retro item deleted
    meanwhile refuses a vote."""
    team = people(demo)
    review = orv.start_review(demo, [team["ana"]])
    kr = kr_id(demo, "Paying teams")
    verdict = orv.apply_verdict(demo, review, kr, "keep", note="y" * 1000)
    assert len(demo.get("okr_verdict", verdict)["note"]) == 1000
    with pytest.raises(InvalidEdit, match="The note"):
        orv.apply_verdict(demo, review, kr, "keep", note="y" * 1001)
    retro = rt.start_retro(demo)
    item = rt.add_item(demo, retro, "change", "Demo every Friday", team["ben"])
    demo.delete("retro_item", item)
    with pytest.raises(InvalidEdit, match="That retro item no longer exists."):
        rt.toggle_vote(demo, item, team["ana"])
