"""OKR writes and the OKR read model on real workspace files."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kickoff_tui import clock
from kickoff_tui.store import okrs, standups
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Op, Store


def kr_id(store: Store, title: str) -> str:
    return store.row("SELECT id FROM key_result WHERE title = ?", (title,))[0]


def obj_id(store: Store, title: str) -> str:
    return store.row("SELECT id FROM objective WHERE title = ?", (title,))[0]


def test_the_demo_scores_as_the_screen_shows_it(demo: Store) -> None:
    view = okrs.view(demo)
    assert view.day == 37
    o1 = view.objectives[0]
    assert (o1.ref, round(o1.progress, 4), o1.grade, o1.pace) == (
        "O1",
        0.4443,
        "yellow",
        "on track",
    )
    kr1 = o1.key_results[0]
    assert (kr1.ref, kr1.value_text(), round(kr1.progress, 4), kr1.grade, kr1.pace, kr1.trend) == (
        "KR1",
        "40 → 71 → 120 teams",
        0.3875,
        "red",
        "behind",
        "up",
    )
    assert (kr1.values, kr1.days_since, kr1.cards_done, kr1.cards) == (
        [44, 52, 57, 66, 71],
        2,
        2,
        4,
    )
    assert [(n.ref, n.kind) for n in view.nudges] == [
        ("KR5", "pace"),
        ("KR6", "pace"),
        ("KR7", "pace"),
    ]


def test_a_check_in_is_one_edit_and_the_standup_writes_through_it(demo: Store) -> None:
    assert standups.check_in is okrs.check_in
    kid = kr_id(demo, "Paying teams")
    okrs.check_in(demo, kid, value=8, confidence=5, note="  two more  ", author_id=None)
    row = demo.get("key_result", kid)
    assert (row["current"], row["confidence"]) == (8.0, 5)
    assert okrs.last_check_in(demo, kid)["note"] == "two more"
    assert {op.table for op in demo.last_change.ops} == {"check_in", "key_result", "activity"}
    for bad in (11, -1):
        with pytest.raises(InvalidEdit, match="0 to 10"):
            okrs.check_in(demo, kid, value=9, confidence=bad)
    with pytest.raises(InvalidEdit, match="keep it to at most 500"):
        okrs.check_in(demo, kid, value=9, note="x" * 5000)
    assert demo.get("key_result", kid)["current"] == 8.0


def test_a_correction_is_a_new_check_in_and_the_original_stays(demo: Store) -> None:
    kid = kr_id(demo, "Weekly activated teams")
    hist = okrs.history(demo, kid)
    fourth, last = hist[3], hist[4]
    before_ops = demo.row("SELECT count(*) FROM operation")[0]
    fix = okrs.correct_check_in(demo, fourth["id"], value=60, confidence=5, note="recount")
    assert demo.row("SELECT count(*) FROM operation")[0] > before_ops
    assert demo.get("check_in", fourth["id"])["value"] == 66  # untouched
    hist = okrs.history(demo, kid)
    assert [(h["num"], h["value"], bool(h["corrected_by"]), h["corrects_num"]) for h in hist] == [
        (1, 44, False, None),
        (2, 52, False, None),
        (3, 57, False, None),
        (4, 66, True, None),
        (5, 60, False, 4),
        (6, 71, False, None),
    ]
    assert okrs.view(demo).key_result(kid).values == [44, 52, 57, 60, 71]
    assert demo.get("key_result", kid)["current"] == 71  # not the latest: the KR stays
    with pytest.raises(InvalidEdit, match="already corrected"):
        okrs.correct_check_in(demo, fourth["id"], value=1)
    # correcting the latest moves the key result, and the correction can be corrected
    okrs.correct_check_in(demo, last["id"], value=70, confidence=4)
    assert (demo.get("key_result", kid)["current"], demo.get("key_result", kid)["confidence"]) == (
        70,
        4,
    )
    okrs.correct_check_in(demo, fix, value=62)
    assert okrs.view(demo).key_result(kid).values == [44, 52, 57, 62, 70]
    # undo of a correction removes it; the original counts again
    change = demo.last_change
    demo.undo(change)
    assert okrs.view(demo).key_result(kid).values == [44, 52, 57, 60, 70]


def test_key_result_validation_sentences(demo: Store) -> None:
    o1 = obj_id(demo, "Launch self-serve onboarding")
    cases = [
        (
            {"kind": "increase_to", "baseline": 5, "target": 5},
            "Baseline and target are both 5; an 'increase to' key result needs a target different "
            "from its baseline.",
        ),
        (
            {"kind": "decrease_to", "baseline": 5, "target": 5},
            "Baseline and target are both 5; a 'decrease to' key result needs a target different "
            "from its baseline.",
        ),
        (
            {"kind": "increase_to", "target": 10, "weight": 0},
            "Weight must be a number greater than 0 (got 0).",
        ),
        (
            {"kind": "increase_to", "target": 10, "confidence": 11},
            "Confidence must be a whole number from 0 to 10 (got 11).",
        ),
        (
            {"kind": "milestone", "target": 2.5},
            "A milestone key result needs a whole number of milestones (1 or more) as its target "
            "(got 2.5).",
        ),
        ({"kind": "stay_above"}, "Enter a target for this key result."),
    ]
    count = demo.row("SELECT count(*) FROM key_result")[0]
    for values, sentence in cases:
        with pytest.raises(InvalidEdit) as err:
            okrs.save_key_result(demo, {"objective_id": o1, "title": "X", **values})
        assert err.value.message == sentence
    with pytest.raises(InvalidEdit, match="can't be empty|Title"):
        okrs.save_key_result(demo, {"objective_id": o1, "title": "  ", "target": 3})
    assert demo.row("SELECT count(*) FROM key_result")[0] == count
    with pytest.raises(InvalidEdit, match="greater than 0"):
        okrs.save_objective(demo, {"title": "Y", "weight": -2})
    # editing checks the merged row: a target equal to the stored baseline is refused
    with pytest.raises(InvalidEdit, match="both 40"):
        okrs.save_key_result(demo, {"target": 40}, kr_id(demo, "Weekly activated teams"))


def test_nothing_checked_in_yet_reads_no_data_yet(demo: Store) -> None:
    """A new objective without key results, and a "stay above 80" key result with baseline 85
    before its first check-in, are not "at risk" (and not nudged for pace): no data yet."""
    from kickoff_tui.store.review import build_review

    new = okrs.save_objective(demo, {"title": "Keep customers happy"})
    view = okrs.view(demo)
    assert view.objective(new).pace == "no data yet"
    kr = okrs.save_key_result(
        demo,
        {
            "objective_id": new,
            "title": "CSAT",
            "kind": "stay_above",
            "baseline": 85,
            "target": 80,
            "weight": None,
        },
    )
    view = okrs.view(demo)
    assert (view.key_result(kr).pace, view.objective(new).pace) == ("no data yet", "no data yet")
    assert all(n.row_id != kr for n in view.nudges if n.kind == "pace")
    review = build_review(demo)
    line = next(o for o in review.objectives if o.title == "Keep customers happy")
    assert (line.pace, line.key_results[0].pace) == ("no data yet", "no data yet")
    okrs.check_in(demo, kr, value=79)
    view = okrs.view(demo)
    assert (view.key_result(kr).pace, view.objective(new).pace) == ("at risk", "at risk")


def test_binary_defaults_and_a_new_kr_goes_last_in_its_objective(demo: Store) -> None:
    o2 = obj_id(demo, "Make the platform reliable enough to sell")
    new = okrs.save_key_result(
        demo, {"objective_id": o2, "title": "Pen test passed", "kind": "binary", "weight": None}
    )
    row = demo.get("key_result", new)
    assert (row["baseline"], row["target"], row["weight"]) == (0.0, 1.0, 1.0)
    view = okrs.view(demo)
    assert [k.title for k in view.objective(o2).key_results][-1] == "Pen test passed"
    assert view.key_result(new).ref == "KR9"
    okrs.check_in(demo, new, value=1)
    assert okrs.view(demo).key_result(new).progress == 1.0


def test_deleting_an_objective_deletes_or_moves_its_key_results(demo: Store) -> None:
    o1, o3 = obj_id(demo, "Launch self-serve onboarding"), obj_id(demo, "Prove the paid plan")
    moved = okrs.delete_objective(demo, o3, move_to=o1)
    assert moved == 2
    assert [k.title for k in okrs.view(demo).objective(o1).key_results][-2:] == [
        "Paying teams",
        "Net revenue retention",
    ]
    assert demo.get("objective", o3)["deleted"] == 1
    demo.undo(demo.last_change)
    assert okrs.view(demo).objective(o3) is not None
    assert demo.get("key_result", kr_id(demo, "Paying teams"))["objective_id"] == o3
    with pytest.raises(InvalidEdit, match="another objective"):
        okrs.delete_objective(demo, o3, move_to=o3)
    card = demo.row("SELECT id FROM card WHERE key_result_id = ?", (kr_id(demo, "Paying teams"),))[
        0
    ]
    okrs.delete_objective(demo, o3)
    assert demo.get("key_result", kr_id(demo, "Paying teams"))["deleted"] == 1
    assert demo.get("card", card)["key_result_id"] is None  # the card stays, unlinked
    assert len(okrs.view(demo).objectives) == 2
    demo.undo(demo.last_change)
    assert demo.get("card", card)["key_result_id"] == kr_id(demo, "Paying teams")


def test_a_milestone_kr_can_count_its_linked_cards(demo: Store) -> None:
    kid = kr_id(demo, "Onboarding milestones shipped")
    okrs.save_key_result(demo, {"progress_from": "cards"}, kid)
    kr = okrs.view(demo).key_result(kid)
    assert (kr.from_cards, kr.current, kr.target, kr.value_text()) == (
        True,
        1,
        3,
        "1 → 3 milestones",
    )
    assert round(kr.progress, 4) == 0.3333
    card = demo.row(
        "SELECT id FROM card WHERE key_result_id = ? AND state != 'done' LIMIT 1", (kid,)
    )[0]
    demo.update("card", card, {"state": "done"})
    assert round(okrs.view(demo).key_result(kid).progress, 4) == 0.6667
    with pytest.raises(InvalidEdit, match="counts its linked cards"):
        okrs.check_in(demo, kid, value=4)
    # only a milestone can count cards
    paying = kr_id(demo, "Paying teams")
    okrs.save_key_result(demo, {"progress_from": "cards"}, paying)
    assert demo.get("key_result", paying)["progress_from"] is None


def test_nudges_for_stale_check_ins_and_the_shape_of_the_okrs(demo: Store) -> None:
    clock.freeze(datetime(2026, 11, 23, 9, tzinfo=timezone.utc) + timedelta(days=13))
    view = okrs.view(demo)
    stale = [n.ref for n in view.nudges if n.kind == "stale"]
    assert stale == [f"KR{i}" for i in range(1, 9)]  # the last check-ins were on day 35
    assert next(n for n in view.nudges if n.ref == "KR1" and n.kind == "stale").reason == (
        "no check-in for 15 days"
    )
    okrs.check_in(demo, kr_id(demo, "Paying teams"), value=9)
    assert "KR7" not in [n.ref for n in okrs.view(demo).nudges if n.kind == "stale"]
    for i in range(3):
        okrs.save_objective(demo, {"title": f"Extra {i}"})
    view = okrs.view(demo)
    shape = [(n.ref, n.reason) for n in view.nudges if n.kind in ("krs", "objectives")]
    assert shape == [
        ("Workspace", "6 objectives; the seeds advise at most 5 to stay focused"),
        ("O4", "has no key results; aim for 2–4"),
        ("O5", "has no key results; aim for 2–4"),
        ("O6", "has no key results; aim for 2–4"),
    ]


def test_a_kr_ref_is_its_number_or_its_id(demo: Store) -> None:
    kid = kr_id(demo, "Paying teams")
    for ref in ("KR7", "kr7", "7", "#7", " KR7 ", kid):
        assert okrs.resolve_kr(demo, ref) == kid
    assert okrs.resolve_kr(demo, "KR99") is None
    assert okrs.resolve_kr(demo, "nonsense") is None


def test_a_conflicted_key_result_is_flagged(demo: Store) -> None:
    kid = kr_id(demo, "Paying teams")
    demo.update("key_result", kid, {"title": "Paying accounts"})
    head = demo.heads("key_result", kid, "title")[0]
    other = Op(
        id="other-replica:1",
        hlc=head.hlc,
        by="ben",
        table="key_result",
        row_id=kid,
        field="title",
        value="Paying customers",
        base=head.base,
    )
    demo.apply([other])
    view = okrs.view(demo)
    assert view.key_result(kid).conflict
    assert not view.key_result(kr_id(demo, "API uptime")).conflict


def test_a_version_2_file_gets_the_progress_from_column(tmp_path) -> None:
    import sqlite3

    from kickoff_tui.store import db as dbmod
    from kickoff_tui.store.workspace import init_workspace

    path = tmp_path / "old.db"
    init_workspace(path, name="Old", kickoff_date=datetime(2026, 10, 17).date()).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE key_result DROP COLUMN progress_from")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.row("PRAGMA user_version")[0] == dbmod.SCHEMA_VERSION
    assert "progress_from" in {r[1] for r in store.rows("PRAGMA table_info(key_result)")}
    dbmod.MIGRATIONS[2](__import__("sqlite_utils").Database(store.conn))  # idempotent
    store.close()


def test_a_check_in_note_is_cleaned_to_its_limit_and_a_deleted_kr_refuses(demo: Store) -> None:
    kr = kr_id(demo, "Paying teams")
    assert demo.get("check_in", okrs.check_in(demo, kr, value=7, note=" Two deals\n"))["note"] == (
        "Two deals"
    )
    assert demo.get("check_in", okrs.check_in(demo, kr, value=7, note="  "))["note"] is None
    ops = len(demo.operations())
    with pytest.raises(InvalidEdit, match="The note"):
        okrs.check_in(demo, kr, value=8, note="x" * 501)
    assert len(demo.operations()) == ops
    okrs.delete_key_result(demo, kr)
    with pytest.raises(InvalidEdit, match="That key result no longer exists."):
        okrs.check_in(demo, kr, value=8)
