"""The standup's writes and read models on real workspace files, with a frozen clock."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from kickoff_tui import clock
from kickoff_tui.store import standups
from kickoff_tui.store.ops import Store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def at(seconds: float) -> None:
    clock.freeze(T0 + timedelta(seconds=seconds))


@pytest.fixture
def team(workspace: Store) -> tuple[Store, dict[str, str]]:
    """A workspace with three people (Ana is this machine's user)."""
    at(0)
    with workspace.transaction() as tx:
        ids = {
            h: tx.create("person", {"handle": h, "name": n})
            for h, n in (("ana", "Ana"), ("ben", "Ben"), ("cho", "Chloé"))
        }
    workspace.actor = "ana"
    return workspace, ids


def test_start_shuffles_everyone_and_starts_the_first_turn(team) -> None:
    store, ids = team
    sid = standups.start(store, ids["ana"])
    s = standups.get(store, sid)
    order = json.loads(s["speaker_order"])
    assert sorted(order) == sorted(ids.values())
    assert s["held_on"] == "2026-11-23" and s["timebox_min"] == 15 and s["kind"] == "weekly"
    assert s["current_speaker_id"] == order[0] and s["turn_started_at"] == clock.iso()
    assert s["facilitator_id"] == ids["ana"]
    # pressing s twice (or on two machines) doesn't make a second meeting
    assert standups.start(store, ids["ben"]) == sid
    assert store.row("SELECT count(*) FROM standup")[0] == 1


def test_turns_bank_their_seconds_and_pauses_stop_the_clocks(team) -> None:
    store, ids = team
    sid = standups.start(store)
    order = json.loads(standups.get(store, sid)["speaker_order"])
    at(95)
    assert standups.step_speaker(store, sid, 1) == order[1]
    spoken = standups.entries(store, sid)
    assert spoken[order[0]]["speak_seconds"] == 95
    at(125)
    assert standups.toggle_pause(store, sid) is True
    at(425)  # five minutes paused
    assert standups.toggle_pause(store, sid) is False
    at(435)
    s = standups.get(store, sid)
    assert s["paused_seconds"] == 300
    assert standups.step_speaker(store, sid, -1) == order[0]
    spoken = standups.entries(store, sid)
    assert spoken[order[1]]["speak_seconds"] == 40  # 30 s before the pause, 10 after
    m = standups.minutes(store, sid)
    assert m.seconds == 135 and m.paused_seconds == 300


def test_away_people_are_skipped_and_the_order_can_change(team) -> None:
    store, ids = team
    sid = standups.start(store)
    order = json.loads(standups.get(store, sid)["speaker_order"])
    standups.set_away(store, sid, order[1], True)
    assert standups.step_speaker(store, sid, 1) == order[2]
    assert standups.step_speaker(store, sid, 1) is None  # everyone has spoken
    assert standups.get(store, sid)["turn_started_at"] is None
    standups.move_speaker(store, sid, order[2], -2)
    assert json.loads(standups.get(store, sid)["speaker_order"]) == [order[2], order[0], order[1]]
    standups.give_floor(store, sid, order[1])
    s = standups.get(store, sid)
    assert s["current_speaker_id"] == order[1] and json.loads(s["away"]) == []


def test_attended_counts_who_was_there_not_only_who_spoke(team) -> None:
    store, ids = team
    sid = standups.start(store)
    order = json.loads(standups.get(store, sid)["speaker_order"])
    standups.set_away(store, sid, order[2], True)
    standups.end(store, sid, anyway=True)  # ended during the first turn: one entry only
    assert [s["attendees"] for s in standups.past(store)] == [2]


def test_ending_is_refused_while_a_blocker_raised_in_it_has_no_owner(team) -> None:
    store, ids = team
    sid = standups.start(store)
    old = standups.raise_blocker(store, text="From last week", raised_by=ids["ben"])
    bid = standups.raise_blocker(
        store, text="Need prod access", raised_by=ids["ben"], standup_id=sid
    )
    with pytest.raises(standups.UnownedBlockers, match="B2 Need prod access.*E to end anyway"):
        standups.end(store, sid)
    assert standups.get(store, sid)["ended_at"] is None
    standups.assign_blocker(store, bid, ids["cho"])
    assert store.get("blocker", bid)["owned_at"] == clock.iso()
    at(600)
    standups.end(store, sid)
    s = standups.get(store, sid)
    assert s["ended_at"] == clock.iso() and s["ended_unowned"] == 0
    assert s["current_speaker_id"] is None
    assert store.get("blocker", old)["owner_id"] is None  # only this standup's blockers count


def test_ending_anyway_records_the_unowned_blockers(team) -> None:
    store, ids = team
    sid = standups.start(store)
    standups.raise_blocker(store, text="Nobody's", raised_by=ids["ana"], standup_id=sid)
    standups.end(store, sid, anyway=True)
    s = standups.get(store, sid)
    assert s["ended_at"] and s["ended_unowned"] == 1
    assert "Ended the standup with 1 unowned blockers" in [
        r["summary"] for r in store.rows("SELECT summary FROM activity")
    ]
    with pytest.raises(standups.InvalidEdit, match="already ended"):
        standups.step_speaker(store, sid, 1)


def test_a_blocker_resolved_without_an_owner_does_not_hold_up_the_end(team) -> None:
    """Resolved in the meeting ("never mind, it works now"): nobody needs to own it."""
    store, ids = team
    sid = standups.start(store)
    gone = standups.raise_blocker(store, text="VPN down", raised_by=ids["ben"], standup_id=sid)
    standups.resolve_blocker(store, gone)
    assert standups.unowned_blockers(store, sid) == []
    standups.end(store, sid)
    s = standups.get(store, sid)
    assert s["ended_at"] == clock.iso() and s["ended_unowned"] == 0


def test_fields_are_saved_as_operations_and_drafts_stay_local(team) -> None:
    store, ids = team
    sid = standups.start(store)
    pid = ids["ben"]
    ops = store.row("SELECT count(*) FROM operation")[0]
    for n in range(1, 6):
        standups.save_draft(store, sid, pid, "done", "typed"[:n])
    assert store.row("SELECT count(*) FROM operation")[0] == ops  # keystrokes make no operations
    [draft] = standups.drafts(store, sid)
    assert (draft.person_id, draft.field, draft.text) == (pid, "done", "typed")
    assert standups.save_field(store, sid, pid, "done", "typed \x1b[31mred")
    assert store.row("SELECT count(*) FROM operation")[0] == ops + 2  # entry made + field
    assert standups.entries(store, sid)[pid]["done"] == "typed red"
    assert standups.drafts(store, sid) == []
    assert not standups.save_field(store, sid, pid, "done", "typed red")  # unchanged: no op
    assert standups.entries(store, sid)[pid]["id"] == standups.entry_id(sid, pid)


def test_a_draft_left_by_a_crash_is_restored_unless_the_field_was_written_after_it(team) -> None:
    store, ids = team
    sid = standups.start(store)
    standups.save_draft(store, sid, ids["ana"], "next", "finish the deck")  # entry never written
    standups.save_field(store, sid, ids["ben"], "done", "old")
    standups.save_draft(store, sid, ids["ben"], "done", "typed over old")  # then a crash
    standups.save_draft(store, sid, ids["cho"], "done", "typed, then superseded")
    teammate = Store(store.path, actor="cho")  # Chloé's own machine writes her field afterwards
    standups.save_field(teammate, sid, ids["cho"], "done", "Chloé's own words")
    teammate.close()
    # the clock going backwards (another machine's clock was ahead) changes nothing
    clock.freeze(T0 - timedelta(hours=1))
    assert standups.restore_drafts(store, sid) == 2
    by = standups.entries(store, sid)
    assert by[ids["ana"]]["next"] == "finish the deck"
    assert by[ids["ben"]]["done"] == "typed over old"
    assert by[ids["cho"]]["done"] == "Chloé's own words"
    assert standups.drafts(store, sid) == []
    assert standups.restore_drafts(store, sid) == 0


def test_since_last_standup_comes_from_the_activity_feed(demo: Store) -> None:
    ben = demo.row("SELECT id FROM person WHERE handle = 'ben'")["id"]
    sid = standups.start(demo)
    s = standups.get(demo, sid)
    since = standups.since_last(demo, s, ben)
    assert since.since == standups.previous(demo, s)["ended_at"]
    assert {c.num for c in since.cards} == {9, 10}  # the same #numbers as everywhere else
    moved = {c.title: c.changes for c in since.cards}
    assert moved == {
        "Run the load test at 3× traffic": [("state", "doing", "blocked")],
        "Status page and uptime alerts": [("state", "doing", "done")],
    }
    assert [k.kr.title for k in since.krs] == [
        "API uptime",
        "P1 incidents per month",
        "SOC 2 Type I report issued",
    ]
    assert not any(k.due for k in since.krs) and all(k.new for k in since.krs)
    assert [b["text"] for b in since.blockers] == ["Load-test environment not provisioned"]
    # a card that moved back to where it was isn't news; a title edit isn't either
    card = demo.row("SELECT id FROM card WHERE title LIKE 'Pen test%'")["id"]
    demo.update("card", card, {"state": "doing"}, summary="started")
    demo.update("card", card, {"state": "todo"}, summary="not yet")
    demo.update("card", card, {"title": "Pen test, fix findings"}, summary="renamed")
    assert len(standups.since_last(demo, s, ben).cards) == 2


def test_a_stale_key_result_says_a_check_in_is_due(demo: Store) -> None:
    eunji = demo.row("SELECT id FROM person WHERE handle = 'eunji'")["id"]
    clock.freeze(datetime(2026, 12, 8, 9, tzinfo=timezone.utc))
    s = standups.get(demo, standups.start(demo))
    assert all(k.due for k in standups.since_last(demo, s, eunji).krs)


def test_open_blockers_flag_one_without_an_owner_after_its_day(team) -> None:
    store, ids = team
    clock.freeze(datetime(2026, 11, 23, 22, tzinfo=timezone.utc))
    standups.raise_blocker(store, text="late one", raised_by=ids["ben"])
    assert [b["overdue"] for b in standups.open_blockers(store)] == [False]
    clock.freeze(datetime(2026, 11, 24, 0, 0, 1, tzinfo=timezone.utc))
    rows = standups.open_blockers(store)
    assert rows[0]["overdue"] and rows[0]["age_days"] == 0
    standups.assign_blocker(store, rows[0]["id"], ids["ana"])
    assert not standups.open_blockers(store)[0]["overdue"]
    standups.resolve_blocker(store, rows[0]["id"])
    assert standups.open_blockers(store) == []


def test_a_check_in_updates_the_key_result_in_the_same_edit(demo: Store) -> None:
    kr = demo.row("SELECT * FROM key_result WHERE title = 'Paying teams'")
    before = demo.row("SELECT count(*) FROM check_in")[0]
    standups.check_in(
        demo, kr["id"], value=8, confidence=5, note="two more", author_id=kr["owner_id"]
    )
    after = demo.get("key_result", kr["id"])
    assert (after["current"], after["confidence"]) == (8.0, 5)
    assert demo.row("SELECT count(*) FROM check_in")[0] == before + 1
    assert demo.last_change.tx and {op.table for op in demo.last_change.ops} == {
        "check_in",
        "key_result",
        "activity",
    }
    with pytest.raises(standups.InvalidEdit, match="0 to 10"):
        standups.check_in(demo, kr["id"], value=9, confidence=11)
    assert demo.get("key_result", kr["id"])["current"] == 8.0


def test_a_decision_is_accepted_now_with_owner_due_and_rag(team) -> None:
    store, ids = team
    sid = standups.start(store)
    did = standups.record_decision(
        store,
        title="Use staging",
        outcome="Cheaper",
        owner_id=ids["ben"],
        due=date(2026, 11, 27),
        rag="yellow",
        standup_id=sid,
    )
    d = store.get("decision", did)
    assert (d["status"], d["decided_at"], d["due"], d["rag"], d["standup_id"]) == (
        "accepted",
        clock.iso(),
        "2026-11-27",
        "yellow",
        sid,
    )
    assert standups.publish_decisions(store, sid) == 1
    assert store.get("decision", did)["published_at"] == clock.iso()
    assert standups.publish_decisions(store, sid) == 0


def test_two_replicas_starting_the_same_entry_make_one_row(team) -> None:
    store, ids = team
    sid = standups.start(store)
    ops = store.operations()
    other_path = store.path.with_name("other.db")
    from kickoff_tui.store.workspace import init_workspace

    other = init_workspace(other_path, name="Other", kickoff_date=date(2026, 10, 17))
    other.apply(ops)
    standups.save_field(other, sid, ids["cho"], "done", "from the other machine")
    standups.save_field(store, sid, ids["cho"], "next", "from here")
    store.apply(other.operations())
    rows = store.rows("SELECT * FROM standup_entry WHERE person_id = ?", (ids["cho"],))
    assert len(rows) == 1
    assert (rows[0]["done"], rows[0]["next"]) == ("from the other machine", "from here")
    other.close()


def test_me_is_the_person_whose_handle_is_the_actor(team) -> None:
    store, ids = team
    assert standups.me(store) == ids["ana"]
    store.actor = "nobody"
    assert standups.me(store) is None


def test_a_hand_edited_raised_at_never_stops_the_minutes(team) -> None:
    """One meaning of a local day (rules.windows.local_day): an unreadable stored instant is no
    day. A teammate's sqlite-utils edit left "2026-11-23 09:00 oops" in a blocker's raised_at;
    the standup's own local_day raised on it, so the minutes (and the summary) never opened."""
    store, ids = team
    sid = standups.start(store, ids["ana"])
    bid = standups.raise_blocker(store, text="VPN down", raised_by=ids["ben"], standup_id=sid)
    with store.atomic() as conn:  # a hand edit, as sqlite-utils would make it
        conn.execute("UPDATE blocker SET raised_at = '2026-11-23 09:00 oops' WHERE id = ?", (bid,))
    m = standups.minutes(store, sid)
    assert [(b.text, b.owner_due) for b in m.blockers] == [("VPN down", None)]


def test_a_deleted_blocker_is_refused_with_one_sentence(team) -> None:
    store, ids = team
    bid = standups.raise_blocker(store, text="Need prod access", raised_by=ids["ben"])
    store.delete("blocker", bid)
    ops = len(store.operations())
    with pytest.raises(standups.InvalidEdit, match="That blocker no longer exists."):
        standups.assign_blocker(store, bid, ids["cho"])
    with pytest.raises(standups.InvalidEdit, match="That blocker no longer exists."):
        standups.resolve_blocker(store, bid)
    assert len(store.operations()) == ops
