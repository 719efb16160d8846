"""Sync checked against an independent model (tests/store/sync_model.py), not only replica
against replica: a rule wrong the same way on every replica converges just as well, and only a
reference says it is wrong.

Replicas on one sync folder create, edit, move, delete, resolve and sync at random. The test
keeps, for each replica, the set of operations it must hold (its own edits, plus every log in
the folder when it syncs), and after every step checks each replica's operations, heads,
winners, conflicts, delete conflicts and table rows against what the model computes from that
set. Each new operation's base is checked too: the heads its replica saw.

`python -m pytest -m slow` runs the same machine on many more examples (see README, Tests).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kickoff_tui.store import schema, sync
from kickoff_tui.store.ops import Op, Store
from kickoff_tui.store.workspace import init_workspace
from tests.store.sync_model import MOVE_FIELDS, Model, replica

#: Few titles, so that two people often type the same one (heads that agree: no conflict).
TITLES = ["alpha", "beta", "[b]gamma[/b]"]
WINDOWS = ["30", "60", "90", "later"]
RAGS = ["green", "yellow", "red"]

#: For every run (and CI's derandomized profile): no shrinking, which replays the machine for
#: minutes; a failure prints the whole failing run, and `-m slow` shrinks it.
FAST = settings(
    max_examples=12,
    stateful_step_count=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
SLOW = settings(
    max_examples=200, stateful_step_count=40, deadline=None, suppress_health_check=list(HealthCheck)
)


class SyncAgainstModel(RuleBasedStateMachine):
    """2–3 replicas of one workspace on one shared folder."""

    #: How many runs (examples) and steps this process has made: `-m slow -s` prints them.
    runs = steps = 0

    @initialize(n=st.integers(2, 3))
    def start(self, n: int) -> None:
        SyncAgainstModel.runs += 1
        self.root = Path(tempfile.mkdtemp(prefix="sync-model"))
        first = init_workspace(
            self.root / "r0.db", name="T", kickoff_date=date(2026, 10, 17), actor="r0"
        )
        sync.attach(first, self.root / "shared")
        sync.sync(first)
        self.stores: list[Store] = [first]
        #: replica index -> the operations it must hold
        self.known: list[dict[str, Op]] = [{o.id: o for o in first.operations()}]
        #: replica id -> the operations in its log (all of its own, as of its last sync)
        self.logs: dict[str, dict[str, Op]] = {first.replica: dict(self.known[0])}
        for k in range(1, n):
            store = sync.join(self.root / "shared", self.root / f"r{k}.db", actor=f"r{k}")[0]
            self.stores.append(store)
            self.known.append(self._sync_model(k, dict(self.logs[first.replica]), {}))
        self.check_against_the_model()

    # ------------------------------------------------------------------ bookkeeping

    def _store(self, who: int) -> tuple[int, Store]:
        k = who % len(self.stores)
        return k, self.stores[k]

    def _live(self, store: Store) -> list[str]:
        return [r[0] for r in store.rows("SELECT id FROM card WHERE deleted = 0 ORDER BY id")]

    def _edit(self, k: int, do, expected: dict[tuple[str, str], object] | None = None) -> None:  # noqa: ANN001
        """Run one edit on replica k and take in its operations, checking each one's base
        (the heads replica k saw). `expected`: (row, field) -> value, the fields the edit
        must write (a value equal to the current one writes nothing)."""
        store = self.stores[k]
        model = Model.of(self.known[k].values())
        before = store.last_change
        do()
        ops = store.last_change.ops if store.last_change is not before and store.last_change else []
        for op in ops:
            assert replica(op) == store.replica and op.id not in self.known[k]
            if op.field == "*":
                assert op.base == ()
            else:
                assert set(op.base) == model.base_for(op.table, op.row_id, op.field, op.value), op
        if expected is not None:
            rows = model.rows()
            wanted = {
                (row, name): value
                for (row, name), value in expected.items()
                if rows[("card", row)].get(name) != value
            }
            written = {(op.row_id, op.field): op.value for op in ops if op.table == "card"}
            assert written == wanted
        for op in ops:
            self.known[k][op.id] = op

    def _sync_model(self, k: int, incoming: dict[str, Op], known: dict[str, Op]) -> dict[str, Op]:
        """Replica k has just synced: it must hold `known` plus `incoming`, and, if anything
        was new, one settling move for each move conflict it lost (the winner's value, based on
        every head). Returns what it holds now, checked."""
        store = self.stores[k]
        expected = {**known, **incoming}
        held = {o.id: o for o in store.operations()}
        assert set(expected) <= set(held), "an operation of the folder was not imported"
        extra = [held[i] for i in set(held) - set(expected)]
        settle = set()
        if set(expected) - set(known):
            model = Model.of(expected.values())
            for key, head_ids in model.conflicts(moves=True).items():
                if key[::2] in MOVE_FIELDS and any(
                    replica(expected[h]) == store.replica for h in head_ids[1:]
                ):
                    winner = expected[head_ids[0]]
                    settle.add((*key, repr(winner.value), frozenset(head_ids)))
        assert all(replica(o) == store.replica for o in extra)
        assert {
            (o.table, o.row_id, o.field, repr(o.value), frozenset(o.base))
            for o in extra
            if o.field != "*"
        } == settle
        assert sum(o.field == "*" for o in extra) == len(settle)  # an activity line each
        return held

    # ------------------------------------------------------------------ rules

    @rule(who=st.integers(0, 3), title=st.sampled_from(TITLES))
    def create(self, who: int, title: str) -> None:
        k, s = self._store(who)
        self._edit(k, lambda: s.create("card", {"title": title}, summary="new"))

    @rule(
        who=st.integers(0, 3),
        pick=st.integers(0, 3),
        title=st.sampled_from(TITLES),
        rag=st.sampled_from(RAGS),
    )
    def edit(self, who: int, pick: int, title: str, rag: str) -> None:
        k, s = self._store(who)
        if live := self._live(s):
            row = live[pick % len(live)]
            self._edit(
                k,
                lambda: s.update("card", row, {"title": title, "rag": rag}, summary="edit"),
                {(row, "title"): title, (row, "rag"): rag},
            )

    @rule(
        pick=st.integers(0, 3),
        field=st.sampled_from(["title", "rag", "window"]),
        values=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    )
    def at_once(self, pick: int, field: str, values: tuple[int, int]) -> None:
        """Two people change the same field of the same card before either syncs (the same
        value, often: agreeing heads are no conflict)."""
        choices = {"title": TITLES, "rag": RAGS, "window": WINDOWS}[field]
        shared = set(self._live(self.stores[0])) & set(self._live(self.stores[1]))
        if not shared:  # a card both have: the first one makes it, both sync
            self.create(0, TITLES[0])
            self.sync_one(0)
            self.sync_one(1)
            shared = set(self._live(self.stores[0])) & set(self._live(self.stores[1]))
        row = sorted(shared)[pick % len(shared)]
        for k, v in enumerate(values):
            value = choices[v]
            self._edit(
                k,
                lambda s=self.stores[k], value=value: s.update(
                    "card", row, {field: value}, summary="at once"
                ),
                {(row, field): value},
            )

    @rule(who=st.integers(0, 3), pick=st.integers(0, 3), window=st.sampled_from(WINDOWS))
    def move(self, who: int, pick: int, window: str) -> None:
        k, s = self._store(who)
        if live := self._live(s):
            row = live[pick % len(live)]
            self._edit(
                k,
                lambda: s.update("card", row, {"window": window}, summary="move"),
                {(row, "window"): window},
            )

    @rule(who=st.integers(0, 3), pick=st.integers(0, 3))
    def delete(self, who: int, pick: int) -> None:
        k, s = self._store(who)
        if live := self._live(s):
            row = live[pick % len(live)]
            self._edit(k, lambda: s.delete("card", row, summary="delete"), {(row, "deleted"): 1})

    @rule(who=st.integers(0, 3), keep=st.integers(0, 3), restore=st.booleans())
    def resolve(self, who: int, keep: int, restore: bool) -> None:
        k, s = self._store(who)
        for c in s.conflicts()[:1]:
            self._edit(k, lambda: s.resolve(c, c.heads[keep % len(c.heads)].value))
        for dc in s.delete_conflicts()[:1]:
            self._edit(k, lambda: s.resolve_delete(dc, restore=restore))

    @rule(who=st.integers(0, 3))
    def sync_one(self, who: int) -> None:
        k, s = self._store(who)
        mine = {i: o for i, o in self.known[k].items() if replica(o) == s.replica}
        self.logs[s.replica] = mine  # the export comes first
        incoming = {i: o for log in self.logs.values() for i, o in log.items()}
        result = sync.sync(s)
        assert result.clashes == [] and result.problems == []
        self.known[k] = self._sync_model(k, incoming, self.known[k])
        self.logs[s.replica] = {
            i: o for i, o in self.known[k].items() if replica(o) == s.replica
        }  # settlements go out too

    @rule()
    def sync_everyone(self) -> None:
        """Everyone syncs twice: all see all, so the next edits are concurrent ones."""
        for _ in range(2):
            for who in range(len(self.stores)):
                self.sync_one(who)

    # ------------------------------------------------------------------ the check

    @invariant()
    def check_against_the_model(self) -> None:
        SyncAgainstModel.steps += 1
        for store, known in zip(
            getattr(self, "stores", []), getattr(self, "known", []), strict=True
        ):
            check_replica(store, Model.of(known.values()), known)

    def teardown(self) -> None:
        for s in getattr(self, "stores", []):
            s.close()
        if hasattr(self, "root"):
            shutil.rmtree(self.root, ignore_errors=True)


def check_replica(store: Store, model: Model, known: dict[str, Op]) -> None:
    """One replica's operations, heads, winners, conflicts and rows are what the model says."""
    held = {o.id: o for o in store.operations()}
    assert set(held) == set(known)
    assert all(held[i].base == o.base and held[i].value == o.value for i, o in known.items())

    heads = model.heads()
    stored = {
        (r[0], r[1], r[2])
        for r in store.rows("SELECT DISTINCT tbl, row_id, field FROM operation_head")
    }
    assert stored == set(heads)
    for key, hs in heads.items():
        assert [h.id for h in store.heads(*key)] == [h.id for h in hs], key  # winner first

    for moves in (False, True):
        assert {
            (c.table, c.row_id, c.field): [h.id for h in c.heads]
            for c in store.conflicts(moves=moves)
        } == model.conflicts(moves=moves)
    assert {
        (d.table, d.row_id): (d.delete.id, [e.id for e in d.edits])
        for d in store.delete_conflicts()
    } == model.delete_conflicts()

    rows = model.rows()
    for table in schema.TABLES:
        ids = {r[0] for r in store.rows(f"SELECT id FROM {table}")}
        assert ids == {row for t, row in rows if t == table}, table
    for (table, row_id), values in rows.items():
        got = store.get(table, row_id)
        assert got is not None
        assert {name: got[name] for name in values} == values, (table, row_id)


def test_every_replica_matches_the_model_at_every_step() -> None:
    run_state_machine_as_test(SyncAgainstModel, settings=FAST)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_every_replica_matches_the_model_at_every_step_at_length() -> None:
    runs, steps = SyncAgainstModel.runs, SyncAgainstModel.steps
    run_state_machine_as_test(SyncAgainstModel, settings=SLOW)
    print(
        f"\nmodel-based sync: {SyncAgainstModel.runs - runs} runs, "
        f"{SyncAgainstModel.steps - steps} checked steps"
    )


def test_the_model_catches_equal_heads_counted_as_a_conflict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check can fail: two people typing the same title at once is no conflict, and a
    Store that says it is (wrong the same way on every replica) is caught at once."""
    from kickoff_tui.store import ops as ops_module

    def counts_heads(self: Store, table=None, row_id=None, *, moves=False):  # noqa: ANN001
        keys = self.rows(
            "SELECT tbl, row_id, field FROM operation_head "
            "GROUP BY tbl, row_id, field HAVING count(*) > 1"
        )
        return [
            ops_module.Conflict(*k, tuple(self.heads(*k)))
            for k in keys
            if moves or (k[0], k[2]) not in MOVE_FIELDS
        ]

    machine = SyncAgainstModel()
    try:
        machine.start(n=2)
        machine.create(who=0, title="alpha")
        machine.sync_one(who=0)
        machine.sync_one(who=1)
        machine.edit(who=0, pick=0, title="beta", rag="red")
        machine.edit(who=1, pick=0, title="beta", rag="red")
        machine.sync_one(who=0)
        machine.sync_one(who=1)
        machine.check_against_the_model()  # the real Store: no conflict, as the model says
        monkeypatch.setattr(Store, "conflicts", counts_heads)
        with pytest.raises(AssertionError):
            machine.check_against_the_model()
    finally:
        machine.teardown()
