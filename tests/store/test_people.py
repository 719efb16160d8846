"""People: add, edit, deactivate through the operation path; who "me" is; first actions; sync."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kickoff_tui import clock
from kickoff_tui.rules.people import derive_handle, first_action_status
from kickoff_tui.store import cards, people, queries, standups, sync
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace


def test_a_handle_comes_from_the_first_name_and_stays_unique() -> None:
    assert derive_handle("Ana Silva") == "ana"
    assert derive_handle("Ana Silva", {"ana"}) == "anas"
    assert derive_handle("Ana Sousa", {"ana", "anas"}) == "ana2"
    assert derive_handle("Chloé Martin") == "chloe"
    assert derive_handle("  ") == "person"


def test_add_edit_and_refuse_a_duplicate_handle(workspace: Store) -> None:
    ana = people.add_person(workspace, {"name": "Ana Silva", "role": "Product lead"})
    other = people.add_person(workspace, {"name": "Ana Sousa"})
    assert workspace.get("person", ana)["handle"] == "ana"
    assert workspace.get("person", other)["handle"] == "anas"
    assert workspace.get("person", ana)["active"] == 1
    with pytest.raises(InvalidEdit, match="@ana is already someone's handle"):
        people.edit_person(workspace, other, {"handle": "ANA"})
    with pytest.raises(InvalidEdit, match="is not a handle"):
        people.add_person(workspace, {"name": "Ben", "handle": "ben okafor"})
    with pytest.raises(InvalidEdit, match="name can't be empty"):
        people.add_person(workspace, {"name": "  "})
    with pytest.raises(InvalidEdit, match="not an email"):
        people.add_person(workspace, {"name": "Ben", "email": "ben at home"})
    with pytest.raises(InvalidEdit, match="not a time zone"):
        people.edit_person(workspace, ana, {"timezone": "Mars/Base"})
    assert len(people.everyone(workspace)) == 2  # nothing half-saved
    people.edit_person(workspace, other, {"handle": "@asousa", "timezone": "Europe/Lisbon"})
    assert people.find(workspace, "asousa")["timezone"] == "Europe/Lisbon"
    assert people.find(workspace, "Ana Silva")["id"] == ana


def test_deactivating_keeps_the_name_on_cards_and_leaves_pickers_and_speakers(
    workspace: Store,
) -> None:
    ana = people.add_person(workspace, {"name": "Ana Silva"})
    ben = people.add_person(workspace, {"name": "Ben Okafor"})
    card = cards.create_card(workspace, {"title": "Pick a vendor", "owner_id": ben})
    assert people.set_active(workspace, ben, False) is True
    assert people.set_active(workspace, ben, False) is False
    assert cards.card(workspace, card)["owner_name"] == "Ben Okafor"
    assert [p["id"] for p in queries.people(workspace)] == [ana]
    assert [p["id"] for p in queries.people(workspace, keep=[ben])] == [ana, ben]
    sid = standups.start(workspace, None)
    order = [s.id for s in standups.speakers(workspace, workspace.get("standup", sid))]
    assert order == [ana]
    # undo puts them back, as any edit
    people.set_active(workspace, ben, True)
    change = workspace.last_change
    workspace.undo(change)
    assert workspace.get("person", ben)["active"] == 0


def test_undo_of_an_added_person_removes_them(workspace: Store) -> None:
    pid = people.add_person(workspace, {"name": "Ana Silva"})
    workspace.undo(workspace.last_change)
    assert workspace.get("person", pid)["deleted"] == 1
    # the handle is free again
    assert people.suggest_handle(workspace, "Ana Silva") == "ana"


def test_me_is_local_and_kickoff_user_overrides(workspace: Store, monkeypatch) -> None:
    monkeypatch.delenv("KICKOFF_USER", raising=False)
    workspace.actor = "nobody-here"
    ana = people.add_person(workspace, {"name": "Ana Silva"})
    ben = people.add_person(workspace, {"name": "Ben Okafor"})
    assert people.me(workspace) is None
    people.set_me(workspace, ben)
    assert people.me(workspace) == ben and workspace.actor == "ben"
    assert standups.me(workspace) == ben  # every "me" is this one answer
    assert workspace.meta(people.ME_KEY) == ben
    assert not any(o.field == people.ME_KEY for o in workspace.operations())
    monkeypatch.setenv("KICKOFF_USER", "ana")
    with Store(workspace.path) as again:  # a new run with KICKOFF_USER set
        assert people.me(again) == ana and again.actor == "ana"


def test_first_action_states(workspace: Store) -> None:
    # kickoff 2026-10-17 UTC: the rule's due is 2026-10-20 00:00 UTC
    clock.freeze("2026-10-18T12:00:00Z")
    a, b, c, d = (people.add_person(workspace, {"name": n}) for n in ("Ana", "Ben", "Cy", "Dee"))
    ca = cards.create_card(workspace, {"title": "A first", "owner_id": a})
    cb = cards.create_card(workspace, {"title": "B first", "owner_id": b})
    cc = cards.create_card(workspace, {"title": "C first"})
    people.set_first_action(workspace, a, ca)
    people.set_first_action(workspace, b, cb)
    people.set_first_action(workspace, c, cc)
    assert workspace.get("card", cc)["owner_id"] == c  # an unowned card becomes theirs
    cards.save_card(workspace, ca, {"state": "done"})
    clock.freeze("2026-10-21T09:00:00Z")
    cards.save_card(workspace, cb, {"state": "done"})  # done after due
    states = {pid: f["label"] for pid, f in people.first_actions(workspace).items()}
    assert states == {a: "done on time", b: "⚠ late (done after due)", c: "⚠ late", d: "none yet"}
    clock.freeze("2026-10-19T20:00:00Z")
    assert people.first_actions(workspace)[c]["label"] == "due in 4 h"


def test_first_action_status_rule() -> None:
    from datetime import datetime, timezone

    due = datetime(2026, 1, 4, tzinfo=timezone.utc)
    now = datetime(2026, 1, 3, 23, 30, tzinfo=timezone.utc)
    assert first_action_status(has_card=True, done_at=None, due=due, now=now) == (
        "due",
        "due in 30 min",
    )
    assert first_action_status(has_card=False, done_at=None, due=due, now=now)[0] == "none"


def test_two_replicas_add_people_and_one_deactivates_an_owner(tmp_path: Path) -> None:
    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    ben = sync.join(tmp_path / "shared", tmp_path / "ben.db", actor="ben")[0]
    cy = people.add_person(ana, {"name": "Cy Lee"})
    card = cards.create_card(ana, {"title": "Vendor shortlist", "owner_id": cy})
    people.add_person(ben, {"name": "Dee Ray"})
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    assert {p["handle"] for p in people.everyone(ben)} == {"cy", "dee"}
    people.set_active(ben, people.find(ben, "cy")["id"], False)
    people.edit_person(ana, cy, {"role": "Vendor manager"})
    sync.sync(ben), sync.sync(ana), sync.sync(ben)
    for store in (ana, ben):
        row = store.get("person", cy)
        assert row["active"] == 0 and row["role"] == "Vendor manager"
        assert cards.card(store, card)["owner_name"] == "Cy Lee"
        assert [p["handle"] for p in queries.people(store)] == ["dee"]
    # the same person edited on both at once is a visible conflict
    people.edit_person(ana, cy, {"role": "Buyer"})
    people.edit_person(ben, cy, {"role": "Procurement"})
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    assert [c.field for c in ana.conflicts("person")] == ["role"]
    assert next(p for p in people.team(ana) if p["id"] == cy)["conflict"]


def test_a_new_kickoff_date_moves_dated_cards_in_one_undoable_change(workspace: Store) -> None:
    from kickoff_tui.store.workspace import update_settings, window_changes

    # kickoff 2026-10-17: Nov 10 is day 24 (0–30), Dec 1 is day 45 (31–60)
    early = cards.create_card(workspace, {"title": "Early", "window": "30", "due": "2026-11-10"})
    late = cards.create_card(workspace, {"title": "Late", "window": "60", "due": "2026-12-01"})
    undated = cards.create_card(workspace, {"title": "Undated", "window": "60"})
    assert [(c, a) for c, _w, a in window_changes(workspace, "2026-11-05")] == [(late, "30")]
    moved = update_settings(workspace, {"kickoff_date": "2026-11-05", "standup_timebox_min": "20"})
    assert len(moved) == 1
    assert workspace.get("card", late)["window"] == "30"
    assert workspace.get("card", early)["window"] == "30"
    assert workspace.get("card", undated)["window"] == "60"
    workspace.undo(workspace.last_change)
    assert workspace.workspace()["kickoff_date"] == "2026-10-17"
    assert workspace.workspace()["standup_timebox_min"] == 15
    assert workspace.get("card", late)["window"] == "60"
    with pytest.raises(InvalidEdit, match="15 to 30 minutes"):
        update_settings(workspace, {"standup_timebox_min": 10})
