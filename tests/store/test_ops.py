"""The operation write path: operations, heads, conflicts, undo, rebuild."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kickoff_tui import clock
from kickoff_tui.store.errors import InvalidEdit, ReplicaClash
from kickoff_tui.store.ids import hlc_pack, hlc_unpack
from kickoff_tui.store.merge import MAX_AHEAD_MS
from kickoff_tui.store.ops import Op, Store
from kickoff_tui.store.workspace import init_workspace


def dump(store: Store) -> dict[str, list[dict]]:
    """Every synced table's rows, for comparing two workspaces."""
    from kickoff_tui.store import schema

    return {
        t: [dict(r) for r in store.rows(f"SELECT * FROM {t} ORDER BY id")] for t in schema.TABLES
    }


def test_create_writes_one_operation_and_an_activity_line(workspace: Store) -> None:
    card = workspace.create("card", {"title": "Ship it", "window": "60"}, summary="Added Ship it")
    row = workspace.get("card", card)
    assert row["title"] == "Ship it" and row["window"] == "60"
    assert row["state"] == "todo" and row["rag"] == "green"  # schema defaults
    assert row["updated_by"] == "tester" and row["created_at"].endswith("Z")
    ops = [o for o in workspace.operations() if o.row_id == card]
    assert [o.field for o in ops] == ["*"]
    assert ops[0].id == f"{workspace.replica}:{ops[0].seq}"
    activity = workspace.rows("SELECT * FROM activity WHERE entity_id = ?", (card,))
    assert [(a["actor"], a["action"], a["summary"]) for a in activity] == [
        ("tester", "create", "Added Ship it")
    ]


def test_update_records_only_changed_fields_with_old_and_new(workspace: Store) -> None:
    card = workspace.create("card", {"title": "A", "state": "todo"})
    change = workspace.update("card", card, {"title": "A", "state": "doing"}, summary="Started A")
    assert [(f.field, f.old, f.new) for f in change.fields] == [("state", "todo", "doing")]
    assert [o.field for o in change.ops if o.table == "card"] == ["state"]
    line = workspace.row("SELECT detail FROM activity WHERE summary = 'Started A'")
    assert json.loads(line["detail"]) == {"state": ["todo", "doing"]}


def test_nothing_changed_writes_nothing(workspace: Store) -> None:
    card = workspace.create("card", {"title": "A"})
    before = len(workspace.operations())
    change = workspace.update("card", card, {"title": "A"}, summary="no-op")
    assert not change
    assert len(workspace.operations()) == before
    assert workspace.row("SELECT count(*) FROM activity WHERE summary = 'no-op'")[0] == 0


def test_clock_never_goes_backwards(workspace: Store) -> None:
    card = workspace.create("card", {"title": "A"})
    for n in range(50):
        workspace.update("card", card, {"title": f"A{n}"})
    clocks = [o.hlc for o in workspace.operations()]
    assert clocks == sorted(clocks) and len(set(clocks)) == len(clocks)
    seqs = [o.seq for o in workspace.operations()]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_undo_puts_values_back_as_new_operations(workspace: Store) -> None:
    card = workspace.create("card", {"title": "A", "window": "30"})
    change = workspace.update("card", card, {"window": "60", "position": "V"}, summary="Moved A")
    ops_before = len(workspace.operations())
    workspace.undo(change)
    row = workspace.get("card", card)
    assert (row["window"], row["position"]) == ("30", None)
    assert len(workspace.operations()) > ops_before  # undo is recorded, so it syncs


def test_undo_of_a_create_deletes_the_row(workspace: Store) -> None:
    with workspace.transaction("Added two") as tx:
        a = tx.create("card", {"title": "A"})
        b = tx.create("card", {"title": "B"})
    workspace.undo(workspace.last_change)
    assert workspace.get("card", a)["deleted"] == 1
    assert workspace.get("card", b)["deleted"] == 1


def test_a_failed_transaction_leaves_nothing_behind(workspace: Store) -> None:
    before = dump(workspace), len(workspace.operations())
    with pytest.raises(InvalidEdit):
        with workspace.transaction("half") as tx:
            tx.create("card", {"title": "A"})
            tx.create("card", {"title": 12})  # wrong type: the whole edit is refused
    assert (dump(workspace), len(workspace.operations())) == before


@pytest.mark.parametrize(
    ("table", "values", "message"),
    [
        ("nope", {"title": "x"}, "no table"),
        ("card", {"colour": "x"}, "no field 'colour'"),
        ("card", {"title": ["x"]}, "must be str"),
        ("risk", {"likelihood": "high"}, "must be int"),
        ("key_result", {"target": float("nan")}, "finite"),
    ],
)
def test_the_store_refuses_what_the_schema_does_not_allow(
    workspace: Store, table: str, values: dict, message: str
) -> None:
    with pytest.raises(InvalidEdit, match=message):
        workspace.create(table, values)


# ---------------------------------------------------------------------------- replicas


def two_replicas(tmp_path: Path) -> tuple[Store, Store]:
    a = init_workspace(tmp_path / "a.db", name="T", kickoff_date=date(2026, 10, 17), actor="ana")
    b = Store(tmp_path / "b.db", create=True, actor="ben")
    b.apply(a.operations())
    return a, b


def three_replicas(tmp_path: Path) -> tuple[Store, Store, Store]:
    """ana's workspace, joined by ben and cy."""
    a, b = two_replicas(tmp_path)
    c = Store(tmp_path / "c.db", create=True, actor="cy")
    c.apply(a.operations())
    return a, b, c


def exchange(*stores: Store) -> None:
    for s in stores:
        for t in stores:
            if s is not t:
                t.apply(s.operations())


def test_concurrent_edits_of_one_field_are_a_conflict_everyone_sees_alike(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "Plan"})
    exchange(a, b)
    a.update("card", card, {"title": "Plan (ana)"})
    b.update("card", card, {"title": "Plan (ben)"})
    b.update("card", card, {"state": "doing"})  # another field: no conflict
    exchange(a, b)
    for store in (a, b):
        conflicts = store.conflicts()
        assert [(c.table, c.field) for c in conflicts] == [("card", "title")]
        assert {h.value for h in conflicts[0].heads} == {"Plan (ana)", "Plan (ben)"}
        assert store.get("card", card)["state"] == "doing"
    winner = max(a.conflicts()[0].heads, key=lambda o: (o.hlc, o.id)).value
    assert a.get("card", card)["title"] == b.get("card", card)["title"] == winner


def test_a_resolution_syncs_and_ends_the_conflict(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "Plan"})
    exchange(a, b)
    a.update("card", card, {"title": "X"})
    b.update("card", card, {"title": "Y"})
    exchange(a, b)
    a.resolve(a.conflicts()[0], "X and Y")
    exchange(a, b)
    assert a.conflicts() == [] and b.conflicts() == []
    assert a.get("card", card)["title"] == b.get("card", card)["title"] == "X and Y"


def test_an_operation_arriving_after_the_one_that_superseded_it_is_not_a_head(
    tmp_path: Path,
) -> None:
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "v1"})
    exchange(a, b)
    first = a.update("card", card, {"title": "v2"}).ops[0]
    exchange(a, b)
    second = b.update("card", card, {"title": "v3"}).ops[0]
    assert second.base == (first.id,)
    c = Store(tmp_path / "c.db", create=True, actor="cy")
    c.apply([o for o in a.operations() if o.id != first.id])
    c.apply([second])  # names `first`, which c has not seen
    c.apply([first])
    assert c.conflicts() == []
    assert c.get("card", card)["title"] == "v3"


def test_field_edits_that_arrive_before_the_row_are_kept(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "v1", "window": "30"})
    exchange(a, b)
    edit = b.update("card", card, {"window": "90"}).ops
    c = Store(tmp_path / "c.db", create=True)
    c.apply(edit)
    assert c.get("card", card) is None
    c.apply(a.operations())
    assert c.get("card", card)["window"] == "90"


def test_applying_twice_changes_nothing(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    a.create("card", {"title": "A"})
    assert len(b.apply(a.operations())) == 1  # only the new card; the rest b already had
    before = dump(b)
    assert b.apply(a.operations()) == []
    assert dump(b) == before


def test_one_id_with_two_contents_is_refused_loudly(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    a.create("card", {"title": "A"})
    op = a.operations()[-1]
    forged = Op(op.id, op.hlc, op.by, op.table, op.row_id, op.field, {"title": "B"}, op.base)
    b.apply([op])
    with pytest.raises(ReplicaClash, match="same replica id"):
        b.apply([forged])


def test_operations_from_a_log_cannot_name_sql(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    evil = Op("zz:1", "001800000000000-00000", "x", "card; DROP TABLE card", "r", "title", "x")
    with pytest.raises(InvalidEdit):
        b.apply([evil])
    evil = Op("zz:2", "001800000000000-00000", "x", "card", "r", 'title" = 1; --', "x")
    with pytest.raises(InvalidEdit):
        b.apply([evil])
    assert b.rows("SELECT count(*) FROM card")[0][0] == 0


def test_rebuild_from_the_log_equals_the_original(demo: Store) -> None:
    card = demo.rows("SELECT id FROM card LIMIT 1")[0]["id"]
    demo.update("card", card, {"title": "Renamed", "state": "done"}, summary="x")
    demo.delete("card", card, summary="gone")
    before = dump(demo)
    demo.rebuild()
    assert dump(demo) == before


# ---------------------------------------------------------------------------- merge property

edits = st.lists(
    st.tuples(
        st.integers(0, 2),  # replica
        st.integers(0, 3),  # card
        st.sampled_from(["title", "state", "window", "deleted"]),
        st.integers(0, 3),  # value
        st.booleans(),  # exchange with a random peer afterwards
        st.integers(0, 2),
    ),
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=edits, order_seed=st.randoms(use_true_random=False))
def test_merge_is_order_independent(tmp_path_factory, script, order_seed) -> None:
    """Replicas editing and exchanging at random end identical after a full exchange."""
    import random

    # One draw: how many operations there are depends on the clock (an edit to a value a
    # replica already shows writes nothing), so shuffles must not draw from Hypothesis.
    order_seed = random.Random(order_seed.getrandbits(64))
    folder = tmp_path_factory.mktemp("merge")
    first = init_workspace(folder / "r0.db", name="T", kickoff_date=date(2026, 10, 17), actor="r0")
    with first.transaction() as tx:
        cards = [tx.create("card", {"title": f"c{n}"}) for n in range(4)]
    stores = [first] + [Store(folder / f"r{n}.db", create=True, actor=f"r{n}") for n in (1, 2)]
    for s in stores[1:]:
        s.apply(first.operations())
    values = {
        "title": ["a", "b", "c", "d"],
        "state": ["todo", "doing", "blocked", "done"],
        "window": ["30", "60", "90", "later"],
        "deleted": [0, 1, 0, 1],
    }
    for replica, card, field, value, share, peer in script:
        stores[replica].update("card", cards[card], {field: values[field][value]})
        if share and peer != replica:
            ops = stores[replica].operations()
            order_seed.shuffle(ops)
            stores[peer].apply(ops[: len(ops) // 2])
    for s in stores:  # full exchange, each in a shuffled order
        for t in stores:
            ops = t.operations()
            order_seed.shuffle(ops)
            s.apply(ops)
    dumps = [dump(s) for s in stores]
    assert dumps[0] == dumps[1] == dumps[2]
    conflicts = [
        {(c.row_id, c.field, tuple(h.id for h in c.heads)) for c in s.conflicts()} for s in stores
    ]
    assert conflicts[0] == conflicts[1] == conflicts[2]
    for s in stores:
        s.close()


def test_conflicted_rows_are_listed_for_the_warning_marker(tmp_path: Path) -> None:
    from kickoff_tui.store.queries import conflicted_ids

    a, b = two_replicas(tmp_path)
    calm, torn = a.create("card", {"title": "calm"}), a.create("card", {"title": "torn"})
    exchange(a, b)
    a.update("card", torn, {"rag": "red"})
    b.update("card", torn, {"rag": "yellow"})
    exchange(a, b)
    assert conflicted_ids(a, "card") == conflicted_ids(b, "card") == {torn}
    assert calm not in conflicted_ids(a, "card") and conflicted_ids(a, "risk") == set()


def test_escape_sequences_from_a_teammates_log_never_reach_a_row(tmp_path: Path) -> None:
    """A title that would retitle or clear a terminal is kept as its printable text only."""
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "plain"})
    exchange(a, b)
    hostile = "ok\x1b]0;pwned\x07\x1b[31mRED\x1b[2J\x9b31m end"
    forged = [
        Op(
            "evil:1",
            "004102444800000-00000",
            "evil",
            "card",
            card,
            "title",
            hostile,
            tuple(o.id for o in b.heads("card", card, "title")),
        ),
        Op(
            "evil:2",
            "004102444800000-00001",
            "evil",
            "risk",
            "r1",
            "*",
            {"title": hostile, "likelihood": 2, "impact": 2},
        ),
    ]
    b.apply(forged)
    assert b.get("card", card)["title"] == "okRED end"
    assert b.get("risk", "r1")["title"] == "okRED end"
    a.update("card", card, {"title": "mine"})  # a concurrent edit: the heads are shown too
    exchange(a, b)
    values = {h.value for c in b.conflicts() for h in c.heads}
    assert values == {"okRED end", "mine"}
    typed = a.create("card", {"title": "tab\tand\x1b[1mbold\x1b[0m"})
    assert a.get("card", typed)["title"] == "tab\tandbold"


def test_a_clock_no_calendar_can_show_is_refused(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    for hlc in ("999999999999999-00000", "000000000000001-00000", "soon"):
        with pytest.raises(InvalidEdit, match="clock"):
            b.apply([Op("evil:1", hlc, "evil", "card", "x", "*", {"title": "t"})])
    assert b.rows("SELECT count(*) FROM card")[0][0] == 0


def test_forked_children_never_make_the_same_ids(tmp_path) -> None:  # noqa: ANN001
    """Ids are monotonic within a process while the clock stands still; a forked child must not
    go on from its parent's last id, or two children write rows with the same ids (and one
    child's cards silently become the other's)."""
    import os

    from kickoff_tui import clock
    from kickoff_tui.store.ids import new_id

    clock.freeze("2099-01-01T00:00:00Z")  # a clock that stands still, as in a frozen test
    try:
        new_id()  # the parent has made an id at this instant
        made = []
        for _ in range(2):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                try:
                    os.write(write, new_id().encode())
                finally:
                    os._exit(0)
            os.close(write)
            made.append(os.read(read, 100).decode())
            os.close(read)
            os.waitpid(pid, 0)
    finally:
        clock.freeze(None)
    assert len(made) == 2 and made[0] != made[1], made


def test_atomic_keeps_all_of_a_block_or_none_of_it(workspace: Store) -> None:
    """Store.atomic is the one write transaction: a block that fails leaves nothing behind (an
    edit never half-saved), one that ends commits, and a reader on another connection sees it."""
    before = dump(workspace)
    with pytest.raises(RuntimeError), workspace.atomic() as conn:
        conn.execute("UPDATE workspace SET name = 'half'")
        conn.execute("INSERT INTO local_meta (key, value) VALUES ('x', 'y')")
        raise RuntimeError("stopped halfway")
    assert dump(workspace) == before and workspace.meta("x") is None
    workspace.set_metas({"a": "1", "b": "2"})
    with Store(workspace.path) as other:
        assert (other.meta("a"), other.meta("b")) == ("1", "2")


# ---------------------------------------------------------------------------- merge engine
# Where mutating store/merge.py found it under-tested (tests/MUTANTS.md): which conflicts a
# question lists, deletes against edits, the clock a replica adopts, a cold join.


def clash(a: Store, b: Store, table: str, row_id: str, values: tuple[dict, dict]) -> None:
    """a and b edit one row at once (neither has seen the other's edit), then exchange."""
    a.update(table, row_id, values[0])
    b.update(table, row_id, values[1])
    exchange(a, b)


def test_conflicts_of_one_table_or_one_row_list_only_theirs(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    one, two = a.create("card", {"title": "one"}), a.create("card", {"title": "two"})
    risk = a.create("risk", {"title": "late vendor"})
    exchange(a, b)
    for table, row in (("card", one), ("card", two), ("risk", risk)):
        clash(a, b, table, row, ({"title": "by ana"}, {"title": "by ben"}))
    for s in (a, b):
        assert sorted((c.table, c.row_id) for c in s.conflicts()) == sorted(
            [("card", one), ("card", two), ("risk", risk)]
        )
        assert sorted(c.row_id for c in s.conflicts("card")) == sorted([one, two])
        assert [c.row_id for c in s.conflicts("card", one)] == [one]
        assert [c.row_id for c in s.conflicts("risk")] == [risk]
        assert s.conflicts("risk", one) == []


def test_simultaneous_moves_are_listed_only_when_asked_for(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    card, other = a.create("card", {"title": "Plan"}), a.create("card", {"title": "Other"})
    exchange(a, b)
    clash(a, b, "card", card, ({"position": "a1", "title": "A"}, {"position": "a2", "title": "B"}))
    clash(a, b, "card", other, ({"title": "A"}, {"title": "B"}))
    for s in (a, b):  # a move before them in the list hides neither title
        assert [(c.row_id, c.field) for c in s.conflicts()] == [(card, "title"), (other, "title")]
        moves = s.conflicts(moves=True)
        assert [(c.row_id, c.field) for c in moves] == [
            (card, "position"),
            (card, "title"),
            (other, "title"),
        ]
        assert {h.value for h in moves[0].heads} == {"a1", "a2"}
        assert s.get("card", card)["position"] == moves[0].winner.value


def test_three_heads_two_of_them_equal_are_still_a_conflict(tmp_path: Path) -> None:
    a, b, c = three_replicas(tmp_path)
    card = a.create("card", {"title": "Plan"})
    exchange(a, b, c)
    a.update("card", card, {"state": "done"})
    b.update("card", card, {"state": "done"})
    c.update("card", card, {"state": "blocked"})
    exchange(a, b, c)
    for s in (a, b, c):
        [conflict] = s.conflicts()
        assert sorted(h.value for h in conflict.heads) == ["blocked", "done", "done"]
        assert conflict.heads == tuple(sorted(conflict.heads, key=lambda o: (o.hlc, o.id))[::-1])
        assert s.get("card", card)["state"] == conflict.winner.value


def test_a_delete_restored_on_another_replica_is_no_delete_conflict(tmp_path: Path) -> None:
    """ana deletes; cy deletes and restores; ben edits; none sees the others. The row is not
    shown as "deleted by ana; edited by ben": its `deleted` field is a conflict of its own.
    A row after it (in id order) that nobody restored still is one."""
    a, b, c = three_replicas(tmp_path)
    card, later = a.create("card", {"title": "Plan"}), a.create("card", {"title": "Later"})
    assert card < later
    exchange(a, b, c)
    a.delete("card", card, summary="gone")
    a.delete("card", later, summary="gone")
    c.delete("card", card, summary="gone")
    c.update("card", card, {"deleted": 0})
    b.update("card", card, {"title": "Plan v2"})
    b.update("card", later, {"title": "Later v2"})
    without_cy = Store(tmp_path / "d.db", create=True, actor="dee")
    without_cy.apply([o for s in (a, b) for o in s.operations()])
    assert [dc.row_id for dc in without_cy.delete_conflicts()] == [card, later]
    exchange(a, b, c)
    for s in (a, b, c):
        [dc] = s.delete_conflicts()
        assert (dc.row_id, dc.delete.by, [e.value for e in dc.edits]) == (
            later,
            "ana",
            ["Later v2"],
        )
        [deleted] = s.conflicts()
        assert (deleted.row_id, deleted.field) == (card, "deleted")
        assert sorted(h.value for h in deleted.heads) == [0, 1]


def test_an_edit_one_of_two_deleters_saw_is_no_delete_conflict(tmp_path: Path) -> None:
    """ben edits; ana sees the edit and deletes; cy, who never saw it, deletes too. The row is
    gone as both wanted: ana settled ben's edit knowingly, so nobody is asked about it."""
    a, b, c = three_replicas(tmp_path)
    card = a.create("card", {"title": "Plan"})
    exchange(a, b, c)
    b.update("card", card, {"title": "Plan v2"})
    exchange(a, b)
    a.delete("card", card, summary="gone")
    c.delete("card", card, summary="gone")
    alone = Store(tmp_path / "d.db", create=True, actor="dee")
    alone.apply([o for s in (b, c) for o in s.operations()])
    [dc] = alone.delete_conflicts()  # cy's delete alone: ben's edit is a question
    assert (dc.delete.by, [e.by for e in dc.edits]) == ("cy", ["ben"])
    exchange(a, b, c)
    for s in (a, b, c):
        assert len(s.heads("card", card, "deleted")) == 2
        assert s.delete_conflicts() == [] and s.get("card", card)["deleted"] == 1


def test_every_unseen_edit_of_a_deleted_row_is_listed_in_clock_order(tmp_path: Path) -> None:
    a, b = two_replicas(tmp_path)
    card, other = a.create("card", {"title": "Plan"}), a.create("card", {"title": "Other"})
    exchange(a, b)
    a.delete("card", card, summary="gone")
    a.update("card", card, {"rag": "red"})  # the deleter's own edit: no question
    b.update("card", card, {"title": "Plan v2"})
    b.update("card", card, {"state": "doing"})
    b.update("card", other, {"title": "Other v2"})  # another row: no question
    exchange(a, b)
    for s in (a, b):
        [dc] = s.delete_conflicts()
        assert (dc.table, dc.row_id, dc.delete.by) == ("card", card, "ana")
        assert [(e.field, e.value, e.by) for e in dc.edits] == [
            ("title", "Plan v2", "ben"),
            ("state", "doing", "ben"),
        ]
        assert s.get("card", card)["deleted"] == 1


def test_a_clock_up_to_ten_minutes_ahead_is_adopted_and_one_further_is_not(
    tmp_path: Path,
) -> None:
    """A teammate's clock a little ahead moves this machine's clock on (its next edits sort
    after theirs); one more than MAX_AHEAD_MS ahead never drags it into the future."""
    a, b = two_replicas(tmp_path)
    card = a.create("card", {"title": "Plan"})
    exchange(a, b)
    now = clock.now_ms() // 1000 * 1000  # a whole second: the frozen clock gives it back exactly
    clock.freeze(clock.iso_from_ms(now))
    last = a.operations()[-1]

    def edit(n: int, ms: int, title: str) -> Op:
        return Op(f"zed:{n}", hlc_pack(ms, 0), "zed", "card", card, "title", title, (last.id,))

    far = edit(1, now + MAX_AHEAD_MS + 1, "far ahead")
    b.apply([far])
    assert b.get("card", card)["title"] == "far ahead"  # applied, but its clock not adopted
    mine = b.update("card", card, {"state": "doing"}).ops[0]
    assert hlc_unpack(mine.hlc)[0] < now + MAX_AHEAD_MS and mine.hlc < far.hlc
    near = edit(2, now + MAX_AHEAD_MS, "near")
    b.apply([near])
    after = b.update("card", card, {"state": "done"}).ops[0]
    assert after.hlc > near.hlc  # adopted: the next local edit sorts after it


def many_cards(tmp_path: Path, n: int = 210) -> Store:
    """A workspace with enough operations that joining it takes the bulk path."""
    a = two_replicas(tmp_path)[0]
    with a.transaction() as tx:
        for k in range(n):
            tx.create("card", {"title": f"card {k}"})
    return a


def test_a_cold_join_puts_the_page_cache_back(tmp_path: Path) -> None:
    a = many_cards(tmp_path)
    c = Store(tmp_path / "c.db", create=True, actor="cy")
    before = c.row("PRAGMA cache_size")[0]
    assert len(c.apply(a.operations())) == len(a.operations())
    assert c.row("PRAGMA cache_size")[0] == before
    assert c.row("SELECT count(*) FROM card")[0] == 210


def test_a_cold_join_takes_each_operation_once_and_refuses_a_twin(tmp_path: Path) -> None:
    """Lines copied twice into a log apply once; one id with two contents (two machines on
    one replica id) refuses the whole join, even on the bulk path."""
    a = many_cards(tmp_path)
    ops = a.operations()
    c = Store(tmp_path / "c.db", create=True, actor="cy")
    copies = [replace(o) for o in ops[:5]]  # read from a second line: equal, not the same object
    assert len(c.apply([*ops, *copies])) == len(ops)
    assert dump(c) == dump(a)
    last = ops[-1]
    twin = Op(last.id, last.hlc, last.by, last.table, last.row_id, last.field, {"title": "B"})
    d = Store(tmp_path / "d.db", create=True, actor="dee")
    with pytest.raises(ReplicaClash) as clash:
        d.apply([*ops, twin])
    assert clash.value.message == (
        f"Operation {last.id} arrived twice with different content: two machines are using the "
        "same replica id. Give one of them a fresh copy with `kickoff sync join`."
    )
    assert d.operations() == [] and d.row("SELECT count(*) FROM card")[0] == 0


def everything(store: Store) -> dict[str, object]:
    """What a join must build: tables, operations, heads, bases, conflicts and the clock."""
    q = {
        "operation": "SELECT * FROM operation ORDER BY id",
        "heads": "SELECT * FROM operation_head ORDER BY tbl, row_id, field, op_id",
        "bases": "SELECT * FROM operation_base ORDER BY base_id, op_id",
    }
    return {
        **dump(store),
        **{k: [tuple(r) for r in store.rows(sql)] for k, sql in q.items()},
        "conflicts": store.conflicts(moves=True),
        "delete_conflicts": store.delete_conflicts(),
        "hlc": store.meta("hlc"),
    }


@pytest.mark.parametrize("checked", [False, True])
def test_a_cold_join_builds_what_applying_one_at_a_time_builds(
    tmp_path: Path, checked: bool
) -> None:
    """The bulk join (an empty file, many operations) against the one-by-one path, on a log
    with conflicts, a resolution naming two heads, a delete with an edit it never saw, text
    with escape sequences, a whole number for a decimal field, a row edited before its
    creation arrives and a clock in the year 5167 (where ms / 1000 loses a millisecond)."""
    a, b = two_replicas(tmp_path)
    with a.transaction() as tx:
        cards = [tx.create("card", {"title": f"c{n}"}) for n in range(205)]
        kr = tx.create("key_result", {"title": "NPS", "current": 1.5})
    exchange(a, b)
    clash(a, b, "card", cards[0], ({"title": "ana's"}, {"title": "ben's"}))
    clash(a, b, "card", cards[1], ({"title": "X"}, {"title": "Y"}))
    a.resolve(a.conflicts("card", cards[1])[0], "X and Y")
    clash(a, b, "card", cards[2], ({"window": "60"}, {"window": "90"}))
    a.delete("card", cards[3], summary="gone")
    b.update("card", cards[3], {"rag": "red"})
    exchange(a, b)
    last = {o.row_id: o for o in a.operations()}
    far = 100_910_731_170_857  # 5167-09-26T06:39:30.857Z, shown as .856 by ms / 1000
    forged = [
        Op("zed:1", hlc_pack(far, 0), "zed", "card", "z1", "*", {"title": "\x1b[2Jfar"}),
        Op("zed:2", hlc_pack(far, 1), "zed", "key_result", kr, "current", 7, (last[kr].id,)),
        Op("zed:3", hlc_pack(far, 2), "zed", "card", cards[4], "title", "a\x07b"),
        Op("zed:4", hlc_pack(far, 3), "zed", "card", "z2", "title", "before its row"),
        Op("zed:5", hlc_pack(far, 4), "zed", "card", "z2", "*", {"title": "z2", "rag": "red"}),
        Op("lab:mac:1", hlc_pack(far, 5), "lab", "card", "z3", "*", {"title": "a colon"}),
        Op("zed:6", hlc_pack(far, 6), "zed", "key_result", "k2", "*", {"baseline": None}),
    ]
    ops = sorted([*a.operations(), *forged], key=lambda o: (o.hlc, o.id))
    assert len(ops) > 200
    cold = Store(tmp_path / "cold.db", create=True, actor="cy")
    assert len(cold.apply([*ops, *ops[:3]], checked=checked)) == len(ops)
    slow = Store(tmp_path / "slow.db", create=True, actor="dee")
    for start in range(0, len(ops), 50):
        slow.apply(ops[start : start + 50], checked=checked)
    assert everything(cold) == everything(slow)
    assert cold.get("card", "z1")["created_at"] == forged[0].at  # as the slow path writes it
    assert cold.get("card", "z1")["title"] == "far" and cold.get("card", cards[4])["title"] == "ab"
    assert cold.get("key_result", kr)["current"] == 7.0
    z2 = cold.get("card", "z2")  # a field's edit beats the creation's first value
    assert (z2["title"], z2["rag"], z2["updated_by"]) == ("before its row", "red", "zed")
    assert len(cold.conflicts()) == 1 and len(cold.delete_conflicts()) == 1
    assert cold.row("SELECT replica, seq FROM operation WHERE id = 'lab:mac:1'")[:] == (
        "lab:mac",
        1,
    )


def test_a_cold_join_refuses_an_operation_it_cannot_store_and_stores_nothing(
    tmp_path: Path,
) -> None:
    a = many_cards(tmp_path)
    ops = a.operations()
    card = ops[-1].row_id
    bad = Op("zed:1", hlc_pack(clock.now_ms(), 0), "zed", "card", card, "deleted", 2)
    c = Store(tmp_path / "c.db", create=True, actor="cy")
    with pytest.raises(InvalidEdit, match="deleted must be 0 or 1"):
        c.apply([*ops, bad])
    assert c.operations() == [] and c.row("SELECT count(*) FROM card")[0] == 0
