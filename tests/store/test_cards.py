"""Card edits on the operation write path: one transaction each, undoable, with activity lines."""

from __future__ import annotations

import pytest

from kickoff_tui.store import cards
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store


def by_title(store: Store, start: str) -> dict:
    row = store.row("SELECT * FROM card WHERE title LIKE ? AND deleted = 0", (start + "%",))
    assert row is not None, start
    return dict(row)


def lane(store: Store, window: str) -> list[str]:
    return [c["title"] for c in cards.board(store) if c["window"] == window]


def last_activity(store: Store) -> dict:
    return dict(store.row("SELECT * FROM activity ORDER BY at DESC, rowid DESC LIMIT 1"))


def test_the_board_model_has_numbers_owners_krs_and_unmet_dependencies(demo: Store) -> None:
    board = {c["title"]: c for c in cards.board(demo)}
    wizard = board["Ship the guided setup wizard"]
    assert (wizard["num"], wizard["owner_handle"], wizard["kr_num"], wizard["open_deps"]) == (
        7,
        "chloe",
        3,
        0,
    )  # it waits for #4, which is done
    assert board["Trial email sequence"]["open_deps"] == 1  # waits for #7 (doing)
    one = cards.card(demo, wizard["id"])
    assert {k: one[k] for k in wizard} == wizard


def test_moving_a_card_writes_window_and_position_and_undo_puts_it_back(demo: Store) -> None:
    wizard = by_title(demo, "Ship the guided")
    first_in_90 = by_title(demo, "Self-serve billing")
    before_ops = demo.row("SELECT count(*) FROM operation")[0]
    assert cards.move_card(demo, wizard["id"], "90", before_id=first_in_90["id"])
    assert lane(demo, "90")[:2] == [
        "Ship the guided setup wizard",
        "Self-serve billing with annual plans",
    ]
    change = demo.last_change
    assert {f.field for f in change.fields if f.table == "card"} == {"window", "position"}
    assert demo.row("SELECT count(*) FROM operation")[0] == before_ops + 3  # 2 fields + activity
    assert last_activity(demo)["summary"] == "Moved #7 Ship the guided setup wizard to 61–90"
    assert last_activity(demo)["action"] == "move"
    demo.undo(change)
    again = demo.get("card", wizard["id"])
    assert (again["window"], again["position"]) == (wizard["window"], wizard["position"])
    assert "Ship the guided setup wizard" == lane(demo, "60")[0]


def test_reordering_places_the_card_between_its_new_neighbours(demo: Store) -> None:
    order = lane(demo, "60")
    third = by_title(demo, order[2])
    first = by_title(demo, order[0])
    cards.move_card(demo, third["id"], "60", before_id=first["id"])
    assert lane(demo, "60") == [order[2], order[0], order[1], *order[3:]]
    last = by_title(demo, order[-1])
    cards.move_card(demo, third["id"], "60", after_id=last["id"])
    assert lane(demo, "60")[-1] == order[2]
    assert last_activity(demo)["summary"].startswith("Reordered #9")


def test_cards_without_positions_get_fresh_keys_when_one_moves(workspace: Store) -> None:
    ids = [workspace.create("card", {"title": f"c{n}", "window": "30"}) for n in range(4)]
    cards.move_card(workspace, ids[3], "30", before_id=ids[1])
    assert lane(workspace, "30") == ["c0", "c3", "c1", "c2"]
    assert all(workspace.get("card", i)["position"] for i in ids)
    # and undo restores the order made by creation (NULL positions again)
    workspace.undo(workspace.last_change)
    assert lane(workspace, "30") == ["c0", "c1", "c2", "c3"]


def test_state_and_rag_cycles_are_one_operation_each(demo: Store) -> None:
    pricing = by_title(demo, "Pricing page")
    assert cards.advance_state(demo, pricing["id"]) == "doing"
    assert last_activity(demo)["summary"] == "Started #11 Pricing page A/B test"
    assert cards.advance_state(demo, pricing["id"]) == "done"
    assert last_activity(demo)["summary"] == "Marked #11 Pricing page A/B test done"
    assert cards.cycle_rag(demo, pricing["id"]) == "yellow"
    assert cards.set_blocked(demo, pricing["id"]) == "blocked"
    assert cards.set_blocked(demo, pricing["id"]) == "done"  # back to what it was
    demo.undo(demo.last_change)
    assert demo.get("card", pricing["id"])["state"] == "blocked"


def test_blocking_reads_as_a_state_change_not_a_move(demo: Store) -> None:
    """The activity feed said "Moved #11 … to blocked", as if the card changed window."""
    pricing = by_title(demo, "Pricing page")
    cards.set_blocked(demo, pricing["id"])
    assert last_activity(demo)["summary"] == "Blocked #11 Pricing page A/B test"


def test_creating_with_dependencies_and_raci_is_one_transaction(demo: Store) -> None:
    ana = demo.row("SELECT id FROM person WHERE handle = 'ana'")[0]
    ben = demo.row("SELECT id FROM person WHERE handle = 'ben'")[0]
    wizard = by_title(demo, "Ship the guided")
    load = by_title(demo, "Run the load test")
    new = cards.create_card(
        demo,
        {"title": "Beta launch", "window": "60", "owner_id": ana},
        after_id=wizard["id"],
        deps=[wizard["id"], load["id"]],
        raci={ana: "A", ben: "R"},
    )
    assert lane(demo, "60")[:2] == ["Ship the guided setup wizard", "Beta launch"]
    made = cards.links(demo, new)
    assert [d["num"] for d in made["depends_on"]] == [7, 10]
    assert made["raci"] == {ana: "A", ben: "R"}
    assert cards.card(demo, new)["open_deps"] == 2
    assert last_activity(demo)["summary"] == "Added #22 Beta launch to 31–60"
    demo.undo(demo.last_change)
    assert demo.get("card", new)["deleted"] == 1
    assert (
        demo.row("SELECT count(*) FROM card_dependency WHERE card_id = ? AND deleted = 0", (new,))[
            0
        ]
        == 0
    )


def test_a_dependency_loop_is_refused_and_nothing_is_saved(demo: Store) -> None:
    spec = by_title(demo, "Pick the onboarding")  # #4; #7 depends on it, #17 on #7
    tours = by_title(demo, "In-app tours")
    before = demo.row("SELECT count(*) FROM operation")[0]
    with pytest.raises(InvalidEdit, match="That would make a loop: this card waits for #17"):
        cards.save_card(demo, spec["id"], {"title": "Renamed"}, deps=[tours["id"]])
    assert demo.row("SELECT count(*) FROM operation")[0] == before
    assert demo.get("card", spec["id"])["title"] == spec["title"]


def test_two_accountable_people_are_refused(demo: Store) -> None:
    people = [r[0] for r in demo.rows("SELECT id FROM person LIMIT 2")]
    wizard = by_title(demo, "Ship the guided")
    with pytest.raises(InvalidEdit, match="Only one person can be accountable"):
        cards.save_card(demo, wizard["id"], {}, raci={people[0]: "A", people[1]: "A"})


def test_saving_the_form_diffs_dependencies_and_raci(demo: Store) -> None:
    wizard = by_title(demo, "Ship the guided")  # depends on #4; RACI chloe R, ana A, dev C, eunji I
    people = {r["handle"]: r["id"] for r in demo.rows("SELECT id, handle FROM person")}
    brief = by_title(demo, "Write the kickoff")
    assert cards.save_card(
        demo,
        wizard["id"],
        {"title": "Ship the wizard", "window": "90"},
        deps=[brief["id"]],
        raci={people["chloe"]: "R", people["ben"]: "A"},
    )
    linked = cards.links(demo, wizard["id"])
    assert [d["num"] for d in linked["depends_on"]] == [1]
    assert linked["raci"] == {people["chloe"]: "R", people["ben"]: "A"}
    assert lane(demo, "90")[-1] == "Ship the wizard"  # a new window puts it last
    assert last_activity(demo)["summary"] == "Edited #7 Ship the wizard"
    demo.undo(demo.last_change)
    linked = cards.links(demo, wizard["id"])
    assert [d["num"] for d in linked["depends_on"]] == [4]
    assert len(linked["raci"]) == 4 and demo.get("card", wizard["id"])["window"] == "60"
    # nothing changed: nothing written
    before = demo.row("SELECT count(*) FROM operation")[0]
    assert not cards.save_card(demo, wizard["id"], {"title": "Ship the guided setup wizard"})
    assert demo.row("SELECT count(*) FROM operation")[0] == before


def test_delete_takes_dependencies_and_raci_along_and_undo_restores_them(demo: Store) -> None:
    wizard = by_title(demo, "Ship the guided")
    assert cards.delete_card(demo, wizard["id"]) == "#7 Ship the guided setup wizard"
    assert "Ship the guided setup wizard" not in lane(demo, "60")
    assert (
        demo.row(
            "SELECT count(*) FROM card_dependency WHERE deleted = 0 AND "
            "(card_id = ? OR depends_on_id = ?)",
            (wizard["id"], wizard["id"]),
        )[0]
        == 0
    )
    assert by_title(demo, "Trial email")  # its dependent stays
    demo.undo(demo.last_change)
    linked = cards.links(demo, wizard["id"])
    assert len(linked["depends_on"]) == 1 and len(linked["dependents"]) == 2
    assert len(linked["raci"]) == 4


def test_editing_a_card_deleted_elsewhere_says_so(demo: Store) -> None:
    wizard = by_title(demo, "Ship the guided")
    other = Store(demo.path, actor="ben")
    other.delete("card", wizard["id"])
    other.close()
    with pytest.raises(InvalidEdit, match="That card no longer exists"):
        cards.advance_state(demo, wizard["id"])


def test_bad_values_are_refused_before_anything_is_written(demo: Store) -> None:
    wizard = by_title(demo, "Ship the guided")
    for values in ({"window": "45"}, {"state": "finished"}, {"rag": "blue"}, {"title": "  "}):
        with pytest.raises(InvalidEdit):
            cards.save_card(demo, wizard["id"], values)
    with pytest.raises(InvalidEdit):
        cards.move_card(demo, wizard["id"], "120")


def two_replicas(tmp_path) -> tuple[Store, Store]:
    from datetime import date

    from kickoff_tui.store.workspace import init_workspace

    a = init_workspace(tmp_path / "a.db", name="T", kickoff_date=date(2026, 10, 17), actor="ana")
    b = Store(tmp_path / "b.db", create=True, actor="ben")
    b.apply(a.operations())
    return a, b


def test_a_card_in_a_sync_conflict_is_flagged(tmp_path) -> None:
    a, b = two_replicas(tmp_path)
    calm = cards.create_card(a, {"title": "calm"})
    torn = cards.create_card(a, {"title": "torn"})
    b.apply(a.operations())
    cards.cycle_rag(a, torn)
    cards.set_blocked(b, torn)
    cards.advance_state(a, torn)
    a.apply(b.operations())
    flags = {c["title"]: c["conflict"] for c in cards.board(a)}
    assert flags == {"calm": False, "torn": True}
    assert cards.card(a, torn)["conflict"] and not cards.card(a, calm)["conflict"]


def test_two_cards_with_the_same_key_still_let_a_card_in_between(workspace: Store) -> None:
    # two machines appended at the same moment and picked the same key
    a = workspace.create("card", {"title": "a", "window": "60", "position": "V"})
    b = workspace.create("card", {"title": "b", "window": "60", "position": "V"})
    c = workspace.create("card", {"title": "c", "window": "60", "position": "k"})
    first, second = lane(workspace, "60")[:2]
    ids = {"a": a, "b": b}
    cards.move_card(workspace, c, "60", after_id=ids[first])
    assert lane(workspace, "60") == [first, "c", second]
    positions = [workspace.get("card", i)["position"] for i in (ids[first], c, ids[second])]
    assert positions == sorted(positions) and len(set(positions)) == 3


def test_moving_to_the_end_of_a_long_lane_keeps_keys_short(workspace: Store) -> None:
    ids = [cards.create_card(workspace, {"title": f"c{n}", "window": "90"}) for n in range(60)]
    for n in range(120):  # the top card goes to the bottom, again and again
        cards.move_card(workspace, ids[n % 60], "90")
    keys = [r[0] for r in workspace.rows("SELECT position FROM card WHERE deleted = 0")]
    assert max(len(k) for k in keys) <= 3
    assert lane(workspace, "90") == [f"c{n}" for n in range(60)]


def test_set_state_writes_once_and_undoes_like_an_edit_in_the_app(demo: Store) -> None:
    pricing = by_title(demo, "Pricing page")
    ops = demo.row("SELECT count(*) FROM operation")[0]
    assert cards.set_state(demo, pricing["id"], "done") is True
    assert last_activity(demo)["summary"] == "Marked #11 Pricing page A/B test done"
    change = demo.last_change
    assert cards.set_state(demo, pricing["id"], "done") is False  # nothing written the 2nd time
    assert demo.row("SELECT count(*) FROM operation")[0] == ops + 1 + 1  # the state + activity
    assert not demo.last_change  # an empty change: the app has nothing to put on its undo stack
    demo.undo(change)
    assert demo.get("card", pricing["id"])["state"] == "todo"
    with pytest.raises(InvalidEdit):
        cards.set_state(demo, pricing["id"], "finished")
