"""A sync folder is untrusted input: one bad line, one bad log or one wrong clock never stops
the others, and nothing in it is lost — what can't be applied yet is held and tried again.

Real folders and real SQLite files in tmp dirs (issue 12).
"""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kickoff_tui import clock
from kickoff_tui.store import ops as ops_module
from kickoff_tui.store import schema, sync
from kickoff_tui.store.ids import hlc_next, hlc_pack
from kickoff_tui.store.ops import Op, Store
from kickoff_tui.store.workspace import init_workspace

from tests.store.test_sync import dump, log_of, team


def forged_line(
    store: Store,
    seq: int,
    table: str,
    row: str,
    field: str,
    value,
    *,
    ms: int | None = None,
    replica: str | None = None,
) -> bytes:
    """A line as another program could write it to `store`'s log (JSON escapes for non-ASCII)."""
    op = Op(
        f"{replica or store.replica}:{seq}",
        hlc_pack(ms or clock.now_ms(), 0),
        store.actor,
        table,
        row,
        field,
        value,
        (),
        None,
    )
    return (json.dumps(op.to_dict()) + "\n").encode()


def append(path: Path, *lines: bytes) -> None:
    with path.open("ab") as f:
        f.write(b"".join(lines))


# ---------------------------------------------------------------------------- one bad operation


@pytest.mark.parametrize(
    "field, value, why",
    [
        ("likelihood", 10**23, "too large"),
        ("deleted", None, "deleted must be 0 or 1"),
        ("title", "\ud800", "not valid Unicode"),
        ("likelihood", 99, "likelihood must be 1–5"),
        ("residual_impact", 0, "residual_impact must be 1–5"),
    ],
)
def test_an_op_that_cannot_be_stored_is_quarantined_and_every_other_op_applies(
    tmp_path: Path, field: str, value, why: str
) -> None:
    ana, ben = team(tmp_path)
    risk = ana.create("risk", {"title": "Vendor late", "likelihood": 2, "impact": 3}, summary="r")
    sync.sync(ana)
    good = ana.create("card", {"title": "Still arrives"}, summary="c")
    sync.sync(ana)
    log = log_of(ana)
    append(log, forged_line(ana, 9000, "risk", risk, field, value))
    n_bad = len(log.read_bytes().splitlines())
    append(log, forged_line(ana, 9001, "card", good, "rag", "red"))  # a line after it
    result = sync.sync(ben)
    assert ben.get("card", good)["title"] == "Still arrives"
    assert ben.get("card", good)["rag"] == "red"
    assert ben.get("risk", risk)["likelihood"] == 2 and ben.get("risk", risk)["deleted"] == 0
    [problem] = result.problems
    assert (problem.file, problem.line) == (f"ops/{log.name}", n_bad)
    assert why in problem.reason and str(problem).startswith(f"ops/{log.name}:{n_bad}: ")
    assert sync.status(ben)[1].startswith("ok")
    # Reported once; listed for the conflicts view for as long as it is held.
    assert sync.sync(ben).problems == []
    assert [str(p) for p in sync.held(ben)] == [str(problem)]


def test_a_log_whose_file_name_is_not_utf8_is_refused_and_the_rest_imports(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "Arrives"}, summary="c")
    sync.sync(ana)
    ops_dir = os.fsencode(sync.folder_of(ana) / "ops")
    with open(ops_dir + b"/caf\xe9.jsonl", "wb") as f:
        f.write(log_of(ana).read_bytes())
    result = sync.sync(ben)
    assert "Arrives" in {r[0] for r in ben.rows("SELECT title FROM card")}
    [problem] = result.problems
    assert problem.file == "ops/caf\ufffd.jsonl" and "not valid UTF-8" in problem.reason
    assert sync.sync(ben).problems == []


@pytest.mark.parametrize(
    "first", [b"garbage\n", b"\n", b'{"kickoff": "ops", "workspace": "x"}\n', b'["kickoff"]\n']
)
def test_a_log_without_a_header_for_this_workspace_is_refused_whole(
    tmp_path: Path, first: bytes
) -> None:
    ana, ben, cy = team(tmp_path, 3)
    ana.create("card", {"title": "From ana"}, summary="a")
    cy.create("card", {"title": "From cy"}, summary="c")
    sync.sync(ana), sync.sync(cy)
    lines = log_of(cy).read_bytes().splitlines(keepends=True)
    log_of(cy).write_bytes(first + b"".join(lines[1:]))
    result = sync.sync(ben)
    titles = {r[0] for r in ben.rows("SELECT title FROM card")}
    assert "From ana" in titles and "From cy" not in titles
    [problem] = result.problems
    assert (
        problem.file == f"ops/{log_of(cy).name}" and "the whole log was refused" in problem.reason
    )
    assert sync.sync(ben).problems == []  # told once
    log_of(cy).write_bytes(b"".join(lines))  # repaired: it imports
    sync.sync(ben)
    assert "From cy" in {r[0] for r in ben.rows("SELECT title FROM card")}
    assert sync.held(ben) == []


def test_an_op_id_of_another_replica_in_a_log_is_quarantined_and_its_owner_still_syncs(
    tmp_path: Path,
) -> None:
    ana, ben, cy = team(tmp_path, 3)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana), sync.sync(cy)
    seq = int(ana.meta("seq")) + 1  # ana's next operation id, forged in cy's log first
    append(log_of(cy), forged_line(cy, seq, "card", card, "title", "Forged", replica=ana.replica))
    result = sync.sync(ben)
    assert any("does not belong to this log" in p.reason for p in result.problems)
    ana.update("card", card, {"title": "Plan v2"}, summary="real")
    sync.sync(ana)
    result = sync.sync(ben)
    assert result.clashes == [] and ben.get("card", card)["title"] == "Plan v2"
    assert dump(ben) == dump(ana)


def test_an_unreadable_region_is_read_again_once_the_drive_fills_it_in(tmp_path: Path) -> None:
    """A cloud client writes a file's length first and its bytes later (zeros meanwhile)."""
    ana, ben = team(tmp_path)
    for title in ("one", "two", "three"):
        ana.create("card", {"title": title}, summary=title)
    sync.sync(ana)
    log = log_of(ana)
    full = log.read_bytes()
    lines = full.splitlines(keepends=True)
    middle = next(n for n, line in enumerate(lines) if b'"two"' in line)
    lines[middle] = b"\0" * len(lines[middle])  # its newline too
    log.write_bytes(b"".join(lines))
    result = sync.sync(ben)
    assert sorted(r[0] for r in ben.rows("SELECT title FROM card")) == ["one", "three"]
    assert [p.line for p in result.problems] == [middle + 1]
    log.write_bytes(full)
    sync.sync(ben)
    assert dump(ben) == dump(ana) and sync.held(ben) == []


def test_an_op_of_a_field_this_version_does_not_know_is_applied_after_an_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Tagged"}, summary="c")
    sync.sync(ana), sync.sync(ben)
    ana.update("card", card, {"tags": "q4"}, summary="tagged")
    sync.sync(ana)
    with monkeypatch.context() as old:  # ben runs a kickoff from before card.tags
        old.setitem(
            schema.TABLES, "card", {k: v for k, v in schema.TABLES["card"].items() if k != "tags"}
        )
        old.delitem(ops_module._KINDS, ("card", "tags"))
        old.delitem(ops_module._SPECS, ("card", "tags"))
        result = sync.sync(ben)
        assert ben.get("card", card)["tags"] is None
        assert ["from a newer kickoff" in p.reason for p in result.problems] == [True]
        assert sync.sync(ben).problems == []
    sync.sync(ben)  # upgraded
    assert ben.get("card", card)["tags"] == "q4"
    assert dump(ben) == dump(ana) and sync.held(ben) == []


# ---------------------------------------------------------------------------- clocks


def test_changes_from_a_clock_days_ahead_wait_and_are_never_adopted(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    real = clock.now()
    clock.freeze(real + timedelta(days=3))
    card = ana.create("card", {"title": "From the future"}, summary="f")
    ana.update("card", card, {"rag": "red"}, summary="f2")
    sync.sync(ana)
    clock.freeze(real)
    result = sync.sync(ben)
    assert ben.get("card", card) is None and result.problems == []
    assert sync.ahead(ben) == [
        "ana's clock is 3 days ahead; their 2 changes wait until then or until they fix it."
    ]
    mine = ben.create("card", {"title": "Now"}, summary="n")
    [op] = [o for o in ben.operations() if o.row_id == mine and o.field == "*"]
    assert abs(int(op.hlc[:15]) - clock.now_ms()) < 60_000  # ben's clock did not jump 3 days
    clock.freeze(real + timedelta(days=3, minutes=1))
    sync.sync(ben)
    assert ben.get("card", card)["rag"] == "red" and sync.ahead(ben) == []
    clock.freeze(None)


def test_clocks_compare_as_numbers_and_malformed_ones_are_refused(tmp_path: Path) -> None:
    assert hlc_next("001795000000000-99999", 1_795_000_000_000) == "001795000000001-00000"
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana), sync.sync(ben)
    ms = clock.now_ms()
    line = json.loads(forged_line(ana, 9000, "card", card, "title", "Short clock"))
    line["hlc"] = f"{ms}-1"  # not padded: as text it would sort after every real clock
    append(log_of(ana), (json.dumps(line) + "\n").encode())
    result = sync.sync(ben)
    assert ben.get("card", card)["title"] == "Plan"
    assert ["clock not in the fixed form" in p.reason for p in result.problems] == [True]


# ---------------------------------------------------------------------------- arbitrary lines

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
OP_KEYS = [
    "id",
    "hlc",
    "by",
    "table",
    "row_id",
    "field",
    "value",
    "base",
    "tx",
    "kickoff",
    "workspace",
]
OP_LIKE = st.dictionaries(
    st.sampled_from(OP_KEYS) | st.text(max_size=4),
    JSON
    | st.sampled_from(
        [
            "eve:1",
            "eve:2",
            "card",
            "risk",
            "title",
            "likelihood",
            "deleted",
            "*",
            "001795000000000-00001",
            "\ud800",
            10**23,
            "c1",
        ]
    ),
    max_size=9,
)
#: An operation of eve's with one or two of its fields replaced by anything.
MUTATED = st.fixed_dictionaries(
    {
        "id": st.integers(1, 50).map(lambda n: f"eve:{n}"),
        "hlc": st.just("NOW"),
        "by": st.just("eve"),
        "table": st.sampled_from(["card", "risk"]),
        "row_id": st.sampled_from(["CARD", "r1"]),
        "field": st.sampled_from(["title", "likelihood", "deleted", "window", "*", "nope"]),
        "value": st.sampled_from([10**23, None, "\ud800", 99, -3, "later"])
        | JSON
        | st.integers()
        | st.dictionaries(
            st.sampled_from(["title", "likelihood", "deleted", "zz"]), JSON, max_size=3
        ),
        "base": st.just([]),
        "tx": st.none(),
    }
).flatmap(
    lambda d: st.dictionaries(st.sampled_from(list(d)), JSON, max_size=1).map(
        lambda changes: {**d, **changes}
    )
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutated=st.lists(MUTATED, min_size=1, max_size=6),
    other=st.lists(JSON | OP_LIKE, max_size=6),
    order=st.randoms(use_true_random=False),
    header=st.sampled_from([True, True, True, False]),
    raw=st.lists(st.binary(max_size=12), max_size=3),
)
def test_arbitrary_json_lines_never_stop_a_sync(
    tmp_path_factory, mutated, other, order, header, raw
) -> None:
    """Any JSON (any types, nesting and field names) in a teammate's log: no exception escapes,
    `kickoff check` passes, and every operation of the other replicas still applies."""
    folder = tmp_path_factory.mktemp("hostile")
    ana, ben = team(folder)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    ana.update("card", card, {"state": "doing"}, summary="s")
    sync.sync(ana)
    wsid = sync.workspace_id(ana)
    out = [json.dumps({"kickoff": "ops", "format": 1, "workspace": wsid, "replica": "eve"})]
    out = out if header else []
    lines = mutated + other
    order.shuffle(lines)
    stamp = hlc_pack(clock.now_ms(), 0)
    out += [
        json.dumps(line).replace('"NOW"', json.dumps(stamp)).replace('"CARD"', json.dumps(card))
        for line in lines
    ]
    data = "\n".join(out).encode("utf-8", "surrogatepass") + b"\n"
    data += b"".join(r.replace(b"\n", b"") + b"\n" for r in raw)
    (sync.folder_of(ana) / "ops" / "eve.jsonl").write_bytes(data)
    sync.sync(ben)
    sync.sync(ben)
    ana.update("card", card, {"title": "Plan v2"}, summary="t")
    sync.sync(ana), sync.sync(ben)
    assert {o.id for o in ana.operations()} <= {o.id for o in ben.operations()}
    assert ben.get("card", card)["title"] == "Plan v2" or any(
        o.replica == "eve" and o.row_id == card for o in ben.operations()
    )
    before = dump(ben)
    ben.rebuild()
    assert dump(ben) == before
    path = ben.path
    ben.close(), ana.close()
    from kickoff_tui.cli import main

    done = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert done.exit_code == 0, done.output
    assert "Integrity   ok" in done.output


# ---------------------------------------------------------------------------- races


def test_settling_simultaneous_moves_never_reverts_a_later_deliberate_move(tmp_path: Path) -> None:
    """bob to 61–90 and ana to 31–60 at once; ana then moves it to Later before bob's
    settlement reaches her: Later on both machines, never put back to 31–60."""
    ana, bob = team(tmp_path)
    start = clock.now()
    clock.freeze(start)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana), sync.sync(bob)
    clock.freeze(start + timedelta(seconds=1))
    bob.update("card", card, {"window": "90"}, summary="bob moved")
    clock.freeze(start + timedelta(seconds=2))
    ana.update("card", card, {"window": "60"}, summary="ana moved")
    sync.sync(ana)
    clock.freeze(start + timedelta(seconds=3))
    ana.update("card", card, {"window": "later"}, summary="ana moved again")
    clock.freeze(start + timedelta(seconds=4))
    sync.sync(bob)  # bob's move lost to ana's first: he settles on 31–60
    clock.freeze(start + timedelta(seconds=5))
    for s in (ana, bob, ana, bob):
        sync.sync(s)
    clock.freeze(None)
    assert ana.get("card", card)["window"] == bob.get("card", card)["window"] == "later"
    assert ana.conflicts(moves=True) == bob.conflicts(moves=True) == []
    assert dump(ana) == dump(bob)


def test_two_people_starting_the_standup_at_once_end_in_one_standup_with_both_entries(
    tmp_path: Path,
) -> None:
    from kickoff_tui.store import standups

    ana, bob = team(tmp_path)
    people = {
        who: ana.create("person", {"name": who, "handle": who}, summary=who)
        for who in ("ana", "bob")
    }
    sync.sync(ana), sync.sync(bob)
    mine = {}
    for store, who in ((ana, "ana"), (bob, "bob")):  # both press `s` within one sync interval
        mine[who] = standups.start(store)
        standups.save_field(store, mine[who], people[who], "done", f"{who} shipped it")
    assert mine["ana"] != mine["bob"]
    for s in (ana, bob, ana, bob):
        sync.sync(s)
    for s in (ana, bob):
        running = s.rows(
            "SELECT id FROM standup WHERE deleted = 0 AND started_at IS NOT NULL "
            "AND ended_at IS NULL"
        )
        assert [r[0] for r in running] == [standups.running(s)["id"]]
        done = {e["person_id"]: e["done"] for e in standups.entries(s, running[0][0]).values()}
        assert done[people["ana"]] == "ana shipped it" and done[people["bob"]] == "bob shipped it"
    assert dump(ana) == dump(bob)


def test_an_op_the_file_refuses_when_applied_is_quarantined_alone(tmp_path: Path) -> None:
    """An operation that passes every check but that this file refuses (here ben's own
    trigger) is quarantined; the lines before and after it still apply."""
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana), sync.sync(ben)
    ben.conn.execute(
        "CREATE TRIGGER no_red BEFORE UPDATE OF rag ON card WHEN NEW.rag = 'red' "
        "BEGIN SELECT RAISE(ABORT, 'no red cards here'); END"
    )
    log = log_of(ana)
    append(log, forged_line(ana, 9001, "card", card, "title", "Plan v2"))
    append(log, forged_line(ana, 9002, "card", card, "rag", "red"))
    line = len(log.read_bytes().splitlines())
    append(log, forged_line(ana, 9003, "card", card, "state", "doing"))
    result = sync.sync(ben)
    got = ben.get("card", card)
    assert (got["title"], got["rag"], got["state"]) == ("Plan v2", "green", "doing")
    [problem] = result.problems
    assert (problem.file, problem.line) == (f"ops/{log.name}", line)
    assert "can't be stored here (no red cards here)" in problem.reason
    assert sync.sync(ben).problems == [] and len(sync.held(ben)) == 1


def test_an_op_id_not_in_the_usual_form_is_quarantined(tmp_path: Path) -> None:
    """`ana:04` would be ana's 4th operation again to SQLite: refused when read, and ana's
    log still applies."""
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana)
    seq = int(ana.meta("seq"))
    twin = json.loads(forged_line(ana, seq, "card", card, "title", "Twin"))
    twin["id"] = f"{ana.replica}:0{seq}"
    append(
        log_of(ana),
        (json.dumps(twin) + "\n").encode(),
        forged_line(ana, 9001, "card", card, "rag", "red"),
    )
    result = sync.sync(ben)
    assert result.clashes == []
    assert (ben.get("card", card)["title"], ben.get("card", card)["rag"]) == ("Plan", "red")
    assert ["not in the form replica:number" in p.reason for p in result.problems] == [True]


def test_a_copy_of_a_log_under_another_replicas_name_is_refused(tmp_path: Path) -> None:
    """`ops/eve.jsonl` holding ana's header and operations would let one log speak for
    another; a cloud client's renamed copy ("ana (1).jsonl") is still read."""
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana)
    ops_dir = sync.folder_of(ana) / "ops"
    (ops_dir / "eve.jsonl").write_bytes(log_of(ana).read_bytes())
    (ops_dir / f"{ana.replica} (1).jsonl").write_bytes(log_of(ana).read_bytes())
    result = sync.sync(ben)
    assert [(p.file, "not the one in its file name" in p.reason) for p in result.problems] == [
        ("ops/eve.jsonl", True)
    ]
    assert dump(ben) == dump(ana)


# ---------------------------------------------------------------------------- what a bad line says
# Every refusal of store/opformat.py, sentence by sentence (mutation testing found them
# unchecked): the sentence is what a person reads in the conflicts view and `kickoff sync`.

LINE = {
    "id": "ana1:7",
    "hlc": "001795000000000-00001",
    "by": "ana",
    "table": "card",
    "row_id": "c1",
    "field": "title",
    "value": "t",
    "base": [],
    "tx": None,
}


@pytest.mark.parametrize(
    "changes, sentence",
    [
        ({"row_id": "c\x1b1"}, "Operation ana1:7 has control characters in its ids."),
        ({"id": "an\x1ba:7"}, "Operation an␛a:7 has control characters in its ids."),
        ({"tx": "t\x07"}, "Operation ana1:7 has control characters in its ids."),
        ({"base": ["a:1", "b\x00:2"]}, "Operation ana1:7 has control characters in its ids."),
        ({"hlc": "soon"}, "Malformed operation (invalid literal for int() with base 10: 'soon')."),
        (
            {"hlc": "1795000000000-1"},
            "Operation ana1:7 has a clock not in the fixed form ('1795000000000-1').",
        ),
        (
            {"hlc": "000000000000001-00000"},
            "Operation ana1:7 has a clock outside any real date (000000000000001-00000).",
        ),
        ({"id": "ana1:07"}, "Operation 'ana1:07' has an id not in the form replica:number."),
        ({"id": "ana1:-1"}, "Operation 'ana1:-1' has an id not in the form replica:number."),
        (
            {"id": "ana1:9223372036854775808"},
            "Operation 'ana1:9223372036854775808' has an id not in the form replica:number.",
        ),
        ({"id": "ana1"}, "Malformed operation (list index out of range)."),
        ({"table": "nope"}, "Operation ana1:7 names an unknown table 'nope'."),
        ({"field": "*", "value": "x"}, "Operation ana1:7 creates a row without values."),
        ({"field": "colour"}, "There is no field 'colour' in 'card'."),
        (
            {"field": "*", "value": {"title": "x", "colour": "y"}},
            "There is no field 'colour' in 'card'.",
        ),
        ({"value": 3}, "card.title must be str, not int."),
        ({"field": "*", "value": {"title": 4}}, "card.title must be str, not int."),
        (
            {"table": "risk", "field": "likelihood", "value": 99},
            "Operation ana1:7: risk.likelihood must be 1–5, not 99.",
        ),
        (
            {"table": "key_result", "field": "target", "value": float("nan")},
            "key_result.target must be a finite number.",
        ),
        (
            {"value": "\ud800"},
            "Operation ana1:7 holds text that is not valid Unicode (a lone surrogate).",
        ),
        ({"field": "deleted", "value": 2}, "Operation ana1:7: card.deleted must be 0 or 1, not 2."),
        ({"base": "a:1"}, "Malformed operation (base must be a list)."),
        ({"hlc": ...}, "Malformed operation ('hlc')."),
    ],
)
def test_each_refusal_of_a_line_says_why_in_one_sentence(changes: dict, sentence: str) -> None:
    from kickoff_tui.store.errors import InvalidEdit
    from kickoff_tui.store.opformat import read_op

    line = {k: v for k, v in {**LINE, **changes}.items() if v is not ...}
    with pytest.raises(InvalidEdit) as refused:
        read_op(line)
    assert refused.value.message == sentence


def test_bad_lines_are_held_with_their_sentence_and_the_good_ones_apply(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana)
    log = log_of(ana)
    n = len(log.read_bytes().splitlines())
    append(
        log,
        forged_line(ana, 9001, "card", card, "title", 3),
        forged_line(ana, 9002, "card", card, "colour", "red"),
        forged_line(ana, 9003, "card", card, "rag", "red"),  # good: applies
        forged_line(ana, 9004, "card", card, "deleted", 2),
    )
    result = sync.sync(ben)
    assert ben.get("card", card)["rag"] == "red"
    r = ana.replica
    assert [(p.line, p.reason) for p in result.problems] == [
        (n + 1, "card.title must be str, not int; quarantined"),
        (
            n + 2,
            "There is no field 'colour' in 'card' (from a newer kickoff?); kept until an upgrade",
        ),
        (n + 4, f"Operation {r}:9004: card.deleted must be 0 or 1, not 2; quarantined"),
    ]
    assert len(sync.held(ben)) == 3


@pytest.mark.parametrize("left_out", [("by",), ("tx",), ("base",), ("by", "tx", "base")])
def test_a_line_without_its_optional_keys_reads_with_their_defaults(left_out: tuple) -> None:
    """Another writer may leave out the author, the transaction and an empty base: the
    operation reads as if they were written empty (no author shown, no base, no tx)."""
    from kickoff_tui.store.opformat import read_op

    line = {k: v for k, v in LINE.items() if k not in left_out}
    expected = {**LINE, **{k: {"by": "", "tx": None, "base": []}[k] for k in left_out}}
    assert read_op(line) == Op.from_dict(expected) == read_op(expected)
    assert (read_op(line).by, read_op(line).base, read_op(line).tx) == (
        expected["by"],
        (),
        None,
    )


# ---------------------------------------------------------------------------- mutation, issue 19
# Behaviour of opformat's checks (read_op, _validate, _value_ok, coerce) that a mutant changed
# and no test saw; each test says what a person would notice.


def refused_by_both_paths(line: dict) -> str:
    """The sentence `read_op` refuses `line` with, checked to be the same on the short path
    (every key present) and the long one (a writer that leaves out `by`)."""
    from kickoff_tui.store.errors import InvalidEdit
    from kickoff_tui.store.opformat import read_op

    sentences = []
    for each in (line, {k: v for k, v in line.items() if k != "by"}):
        with pytest.raises(InvalidEdit) as refused:
            read_op(each)
        sentences.append(refused.value.message)
    assert sentences[0] == sentences[1]
    return sentences[0]


def test_a_value_outside_todays_domain_is_kept_by_an_import_and_a_rebuild_but_refused_from_a_log(
    tmp_path: Path,
) -> None:
    """A file's own values (its export, its log) are kept as they are, even one a newer rule
    refuses (a likelihood of 9); a teammate's sync line with it is quarantined with a sentence."""
    from kickoff_tui.store.export import import_toml, workspace_toml

    ana, ben = team(tmp_path)
    risk = ana.create("risk", {"title": "Vendor late", "likelihood": 2, "impact": 3}, summary="r")
    text = workspace_toml(ana)
    assert text.count("likelihood = 2") == 1
    copy = import_toml(text.replace("likelihood = 2", "likelihood = 9"), tmp_path / "copy.db")
    assert copy.get("risk", risk)["likelihood"] == 9
    copy.rebuild()
    assert copy.get("risk", risk)["likelihood"] == 9
    sync.sync(ana), sync.sync(ben)
    append(log_of(ana), forged_line(ana, 9000, "risk", risk, "likelihood", 9))
    result = sync.sync(ben)
    assert ben.get("risk", risk)["likelihood"] == 2
    assert [p.reason for p in result.problems] == [
        f"Operation {ana.replica}:9000: risk.likelihood must be 1–5, not 9; quarantined"
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"hlc": "000946684800000-00000"},  # 2000-01-01 00:00:00.000 UTC, the first real clock
        {"hlc": "253402300799999-99999"},  # 9999-12-31 23:59:59.999 UTC, the last
        {"id": "ana1:0"},
        {"id": "ana1:9223372036854775807"},  # SQLite's largest integer
    ],
)
def test_the_edges_of_a_real_clock_and_of_an_id_number_are_accepted_with_or_without_an_author(
    changes: dict,
) -> None:
    """A line at an edge of what is accepted reads the same whether it takes the short path
    (every key present) or the long one (a writer that leaves out `by`): never quarantined
    for a detail that has nothing to do with the edge."""
    from kickoff_tui.store.opformat import read_op

    line = {**LINE, **changes}
    short = read_op(line)
    long = read_op({k: v for k, v in line.items() if k != "by"})
    assert (short.hlc, short.id, short.by, long.by) == (line["hlc"], line["id"], "ana", "")
    assert long == Op(**{**short.__dict__, "by": ""})


@pytest.mark.parametrize(
    "changes, sentence",
    [
        (
            {"hlc": "000946684799999-99999"},
            "Operation ana1:7 has a clock outside any real date (000946684799999-99999).",
        ),
        (
            {"hlc": "253402300800000-00000"},
            "Operation ana1:7 has a clock outside any real date (253402300800000-00000).",
        ),
    ],
)
def test_one_millisecond_outside_a_real_clock_is_refused_with_or_without_an_author(
    changes: dict, sentence: str
) -> None:
    assert refused_by_both_paths({**LINE, **changes}) == sentence


@pytest.mark.parametrize(
    "changes, sentence",
    [
        (
            {"table": "key_result", "field": "target", "value": "high"},
            "key_result.target must be float, not str.",
        ),
        (
            {"table": "key_result", "field": "target", "value": True},
            "key_result.target must be float, not bool.",
        ),
        (
            {"table": "key_result", "field": "target", "value": float("-inf")},
            "key_result.target must be a finite number.",
        ),
        (
            {"table": "risk", "field": "likelihood", "value": "3"},
            "risk.likelihood must be int, not str.",
        ),
        (
            {"table": "risk", "field": "likelihood", "value": 3.0},
            "risk.likelihood must be int, not float.",
        ),
        ({"value": ["t"]}, "card.title must be str, not list."),
        ({"field": "*", "value": {"title": "t", "rag": 1.5}}, "card.rag must be str, not float."),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_in_one_sentence_by_either_path(
    changes: dict, sentence: str
) -> None:
    """The type check (coerce) names the field, the type it wants and the type it got, whether
    the line has every key (the short path) or leaves out `by` (the long one)."""
    assert refused_by_both_paths({**LINE, **changes}) == sentence


def test_a_synced_value_is_stored_in_its_columns_type_without_control_characters(
    tmp_path: Path,
) -> None:
    """What a teammate's line holds is stored as this program would have: a whole number for a
    decimal field reads back as a decimal, text loses its control characters, null clears."""
    ana, ben = team(tmp_path)
    okr = ana.create("objective", {"title": "Grow"}, summary="o")
    kr = ana.create(
        "key_result",
        {
            "objective_id": okr,
            "title": "Signups",
            "kind": "increase_to",
            "baseline": 0.0,
            "target": 10.0,
        },
        summary="k",
    )
    card = ana.create("card", {"title": "Plan", "tags": "q4"}, summary="c")
    sync.sync(ana), sync.sync(ben)
    append(
        log_of(ana),
        forged_line(ana, 9001, "key_result", kr, "target", 12),
        forged_line(ana, 9002, "card", card, "title", "Plan\x1b[2J\x07 v2"),
        forged_line(ana, 9003, "card", card, "tags", None),
    )
    assert sync.sync(ben).problems == []
    target = ben.rows("SELECT target, typeof(target) FROM key_result WHERE id = ?", [kr])[0]
    assert tuple(target) == (12.0, "real")
    assert ben.get("card", card)["title"] == "Plan v2"
    assert ben.get("card", card)["tags"] is None


def test_an_edit_of_a_field_that_does_not_exist_is_refused_in_one_sentence(tmp_path: Path) -> None:
    from kickoff_tui.store.errors import InvalidEdit

    [ana] = team(tmp_path, 1)
    card = ana.create("card", {"title": "Plan"}, summary="c")
    with pytest.raises(InvalidEdit) as refused:
        ana.update("card", card, {"colour": "red"}, summary="c2")
    assert refused.value.message == "There is no field 'colour' in 'card'."
    assert ana.get("card", card)["title"] == "Plan"


def test_applying_a_number_sqlite_cannot_hold_refuses_that_operation_alone_in_one_sentence(
    tmp_path: Path,
) -> None:
    """Store.apply without the domain checks (an import of the file's own export takes it):
    a whole number beyond SQLite's 64 bits is refused with a sentence, SQLite's smallest and
    largest are stored, and every other operation applies."""
    [ana] = team(tmp_path, 1)
    risk = ana.create("risk", {"title": "Vendor late", "likelihood": 2, "impact": 3}, summary="r")
    ms = clock.now_ms() + 1000

    def op(seq: int, name: str, value: int) -> Op:
        return Op(f"eve:{seq}", hlc_pack(ms + seq, 0), "eve", "risk", risk, name, value)

    failed: list[tuple[Op, str]] = []
    applied = ana.apply(
        [
            op(1, "likelihood", 2**63),
            op(2, "impact", -(2**63)),
            op(3, "residual_likelihood", 2**63 - 1),
            op(4, "residual_impact", -(2**63) - 1),
        ],
        failed=failed,
    )
    assert [o.id for o in applied] == ["eve:2", "eve:3"]
    assert [(o.id, why) for o, why in failed] == [
        ("eve:1", "Operation eve:1: risk.likelihood is too large a number."),
        ("eve:4", "Operation eve:4: risk.residual_impact is too large a number."),
    ]
    got = ana.get("risk", risk)
    assert (got["likelihood"], got["impact"]) == (2, -(2**63))
    assert (got["residual_likelihood"], got["residual_impact"]) == (2**63 - 1, None)


@pytest.mark.parametrize(
    "hlc, sentence",
    [
        (
            "٠01795000000000-00001",  # an Arabic-Indic zero: int() reads it, the form does not
            "Operation ana1:7 has a clock not in the fixed form ('٠01795000000000-00001').",
        ),
        (
            "001795000000000+00001",
            "Malformed operation (invalid literal for int() with base 10: "
            "'001795000000000+00001').",
        ),
    ],
)
def test_a_clock_of_the_right_length_but_not_the_fixed_form_is_refused_by_either_path(
    hlc: str, sentence: str
) -> None:
    assert refused_by_both_paths({**LINE, "hlc": hlc}) == sentence


def test_a_line_whose_base_holds_numbers_never_stops_a_sync(tmp_path: Path) -> None:
    """Another writer's `base` of numbers (not ids as text) is read as text, like the long path
    reads every id; the sync goes on and the lines around it apply."""
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    sync.sync(ana), sync.sync(ben)
    ms = clock.now_ms()
    odd = []
    for seq, (name, value, base) in enumerate(
        [("title", "Plan v2", [7]), ("state", "doing", ["x:1", 7])], start=9001
    ):
        line = json.loads(forged_line(ana, seq, "card", card, name, value, ms=ms + seq))
        odd.append((json.dumps({**line, "base": base}) + "\n").encode())
    append(log_of(ana), *odd, forged_line(ana, 9003, "card", card, "rag", "red", ms=ms + 9003))
    result = sync.sync(ben)
    assert result.problems == []
    got = ben.get("card", card)
    assert (got["title"], got["state"], got["rag"]) == ("Plan v2", "doing", "red")
    bases = {
        o.id: o.base
        for o in ben.operations()
        if o.id in {f"{ana.replica}:9001", f"{ana.replica}:9002"}
    }
    assert bases == {f"{ana.replica}:9001": ("7",), f"{ana.replica}:9002": ("x:1", "7")}


@pytest.mark.parametrize(
    "changes, sentence",
    [
        (
            {"table": "workspace", "field": "timezone", "value": "Mars/Olympus"},
            "Operation ana1:7: workspace.timezone must be a time zone such as Europe/Paris, "
            "not 'Mars/Olympus'.",
        ),
        (
            {"table": "workspace", "field": "standup_time", "value": "25:00"},
            "Operation ana1:7: workspace.standup_time must be a time of day (HH:MM), not '25:00'.",
        ),
        (
            {
                "table": "workspace",
                "field": "*",
                "value": {"name": "A", "timezone": "Mars/Olympus"},
            },
            "Operation ana1:7: workspace.timezone must be a time zone such as Europe/Paris, "
            "not 'Mars/Olympus'.",
        ),
    ],
)
def test_a_text_field_with_a_shape_is_held_to_it_by_the_short_path_too(
    changes: dict, sentence: str
) -> None:
    """A time zone or a time of day is checked on the usual line (every key present, the short
    path) as on any other: refused with the sentence, never stored."""
    assert refused_by_both_paths({**LINE, **changes}) == sentence


def test_an_operation_arriving_again_with_other_content_is_refused_with_the_whole_sentence(
    tmp_path: Path,
) -> None:
    """One id with two contents on a file that already has operations (one at a time, not the
    bulk join): two machines share a replica id, and the sentence says what to do."""
    from kickoff_tui.store.errors import ReplicaClash

    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    [op] = [o for o in ana.operations() if o.row_id == card and o.field == "*"]
    ben.apply([op])
    twin = Op(op.id, op.hlc, op.by, op.table, op.row_id, op.field, {"title": "Other"}, op.base)
    with pytest.raises(ReplicaClash) as clash:
        ben.apply([twin])
    assert clash.value.message == (
        f"Operation {op.id} arrived twice with different content: two machines are using the "
        "same replica id. Give one of them a fresh copy with `kickoff sync join`."
    )
    assert ben.get("card", card)["title"] == "Plan"


def test_an_edit_arriving_after_the_edit_that_replaced_it_counts_as_received_and_changes_nothing(
    tmp_path: Path,
) -> None:
    """Logs can be read out of order: ana's second title arrives before her first. The first
    still counts as a change received (what `kickoff sync` reports) and the title stays the
    second."""
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="p")
    ana.update("card", card, {"title": "Plan v1"}, summary="t1")
    ana.update("card", card, {"title": "Plan v2"}, summary="t2")
    mine = [o for o in ana.operations() if o.row_id == card]
    create, first, second = mine
    assert second.base == (first.id,)
    assert ben.apply([create, second]) == [create, second]
    assert ben.apply([first]) == [first]
    assert ben.get("card", card)["title"] == "Plan v2"
    assert ben.conflicts() == []
