"""Sync through a folder: logs per replica, set-union merge, bad input never hurting a workspace.

Real folders and real SQLite files in tmp dirs; several replicas on one folder.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kickoff_tui.store import schema, sync
from kickoff_tui.store.ops import Op, Store
from kickoff_tui.store.workspace import init_workspace


def dump(store: Store) -> dict[str, list[dict]]:
    return {
        t: [dict(r) for r in store.rows(f"SELECT * FROM {t} ORDER BY id")] for t in schema.TABLES
    }


def team(tmp_path: Path, n: int = 2) -> list[Store]:
    """ana's workspace on a sync folder, and n - 1 teammates who joined it."""
    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    sync.attach(ana, tmp_path / "shared")
    sync.sync(ana)
    others = [
        sync.join(tmp_path / "shared", tmp_path / f"{who}.db", actor=who)[0]
        for who in ("ben", "cy", "dee", "eli")[: n - 1]
    ]
    return [ana, *others]


def log_of(store: Store) -> Path:
    return sync.folder_of(store) / "ops" / f"{store.replica}.jsonl"


def test_init_makes_the_folder_and_join_builds_the_same_workspace(tmp_path: Path) -> None:
    ana = init_workspace(
        tmp_path / "ana.db", name="Atlas", kickoff_date=date(2026, 10, 17), actor="ana"
    )
    card = ana.create("card", {"title": "Pick a vendor"}, summary="Added Pick a vendor")
    folder = sync.attach(ana, tmp_path / "drive" / "atlas")
    result = sync.sync(ana)
    assert (folder / "workspace.toml").is_file() and (folder / "ops").is_dir()
    assert result.exported == len(ana.operations())
    lines = log_of(ana).read_text().splitlines()
    assert json.loads(lines[0])["workspace"] == sync.workspace_id(ana)
    assert len(lines) == 1 + len(ana.operations())
    ben, joined = sync.join(folder, tmp_path / "ben.db", actor="ben")
    assert joined.changes == {"ana": 2}  # the workspace and the card
    assert dump(ben) == dump(ana)
    assert ben.get("card", card)["title"] == "Pick a vendor"
    assert sync.sync(ben).summary() == "nothing new"


def test_a_sync_reports_changes_by_person_and_conflicts(tmp_path: Path) -> None:
    ana, ben, cy = team(tmp_path, 3)
    card = ana.create("card", {"title": "Plan"}, summary="Added Plan")
    sync.sync(ana)
    sync.sync(ben), sync.sync(cy)
    for n in range(3):
        ben.update("card", card, {"state": ["doing", "blocked", "done"][n]}, summary=f"b{n}")
    cy.update("card", card, {"title": "Plan (cy)"}, summary="cy")
    ana.update("card", card, {"title": "Plan (ana)"}, summary="ana")
    sync.sync(ben), sync.sync(cy)
    result = sync.sync(ana)
    assert result.summary() == "3 changes from ben, 1 from cy; 1 conflict"
    for s in (ben, cy):
        sync.sync(s)
    assert dump(ana) == dump(ben) == dump(cy)
    assert [c.field for c in ben.conflicts()] == ["title"]


def test_nothing_is_exported_twice_and_re_reading_changes_nothing(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "A"}, summary="a")
    assert sync.sync(ana).exported == 2  # the card and its activity line
    assert sync.sync(ana).exported == 0
    before = log_of(ana).read_bytes()
    sync.sync(ben)
    state = dump(ben)
    for key in [k for k in ("sync.read:" + log_of(ana).name,)]:
        ben.set_meta(key, None)  # forget how far the log was read: all of it comes again
    assert sync.sync(ben).applied == 0
    assert dump(ben) == state and log_of(ana).read_bytes() == before


def test_a_torn_last_line_waits_until_it_is_complete(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "First"}, summary="first")
    sync.sync(ana)
    whole = log_of(ana).read_bytes()
    ana.create("card", {"title": "Second"}, summary="second")
    sync.sync(ana)
    full = log_of(ana).read_bytes()
    card_line = full[len(whole) :].split(b"\n")[0]
    assert b"Second" in card_line
    log_of(ana).write_bytes(whole + card_line[: len(card_line) // 2])  # half synced by the drive
    result = sync.sync(ben)
    assert result.problems == []
    assert [r["title"] for r in ben.rows("SELECT title FROM card ORDER BY title")] == ["First"]
    log_of(ana).write_bytes(full)  # the rest arrives
    sync.sync(ben)
    assert [r["title"] for r in ben.rows("SELECT title FROM card ORDER BY title")] == [
        "First",
        "Second",
    ]


def test_a_malformed_line_is_reported_with_file_and_line_and_the_rest_imports(
    tmp_path: Path,
) -> None:
    ana, ben = team(tmp_path)
    for title in ("One", "Two"):
        ana.create("card", {"title": title}, summary=title)
    sync.sync(ana)
    lines = log_of(ana).read_text().splitlines(keepends=True)
    bad_json = len(lines) - 1  # 1-based number of the line we spoil
    lines[bad_json - 1] = '{"id": "oops", not json\n'
    evil = Op(
        f"{ana.replica}:999",
        "001795613762349-00000",
        "ana",
        "card; DROP TABLE card",
        "x",
        "title",
        "t",
    )
    lines.append(json.dumps(evil.to_dict()) + "\n")
    log_of(ana).write_text("".join(lines))
    result = sync.sync(ben)
    name = f"ops/{log_of(ana).name}"
    assert [(p.file, p.line) for p in result.problems] == [(name, bad_json), (name, len(lines))]
    assert "unknown table" in result.problems[1].reason
    assert {r["title"] for r in ben.rows("SELECT title FROM card")} >= {"One"}
    assert ben.rows("SELECT count(*) FROM card")[0][0] >= 1  # the table is still there


def test_lines_other_writers_format_are_read_and_broken_ones_reported(tmp_path: Path) -> None:
    """The fast line reader accepts what json.loads accepts (spaces, CRLF, a BOM, escapes) and
    reports the rest, a nesting too deep to parse included, without stopping the import."""
    ana, ben = team(tmp_path)
    for n in range(5):
        ana.create("card", {"title": f"card {n} é"}, summary=f"c{n}")
    sync.sync(ana)
    log = log_of(ana)
    lines = log.read_bytes().splitlines()
    cards = [n for n, raw in enumerate(lines) if b'"table":"card"' in raw]
    odd = {
        cards[0]: b"  " + lines[cards[0]] + b"\t ",  # spaces around
        cards[1]: lines[cards[1]] + b"\r",  # a CRLF line
        cards[2]: b"\xef\xbb\xbf" + lines[cards[2]],  # a BOM
        cards[3]: json.dumps(json.loads(lines[cards[3]]), ensure_ascii=True).encode(),
    }
    for n, raw in odd.items():
        lines[n] = raw
    lines[cards[4]] = lines[cards[4]][:-1] + b',"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    lines.insert(cards[4], b'{"id": "\xff\xfe"}')  # not UTF-8
    log.write_bytes(b"\n".join(lines) + b"\n")
    result = sync.sync(ben)
    name = f"ops/{log.name}"
    assert [(p.file, p.line, p.reason) for p in result.problems] == [
        (name, cards[4] + 1, "not a JSON line; skipped"),
        (name, cards[4] + 2, "not a JSON line; skipped"),
    ]
    titles = sorted(r[0] for r in ben.rows("SELECT title FROM card"))
    assert titles == [f"card {n} é" for n in range(4)]


def test_a_log_of_another_workspace_is_refused(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    stranger = init_workspace(
        tmp_path / "x.db", name="Other", kickoff_date=date(2026, 1, 1), actor="x"
    )
    sync.attach(stranger, tmp_path / "other")
    sync.sync(stranger)
    shutil.copy(log_of(stranger), sync.folder_of(ana) / "ops" / log_of(stranger).name)
    result = sync.sync(ben)
    assert [p.reason for p in result.problems] == [
        "belongs to another workspace; the whole log was refused"
    ]
    assert ben.rows("SELECT name FROM workspace")[0][0] == "Atlas"
    with pytest.raises(sync.SyncError, match="another workspace"):
        sync.attach(stranger, sync.folder_of(ana))


def test_an_operation_id_reused_with_other_content_is_refused_loudly(tmp_path: Path) -> None:
    ana, ben, cy = team(tmp_path, 3)
    card = ana.create("card", {"title": "Real"}, summary="real")
    sync.sync(ana), sync.sync(ben)
    cy.create("card", {"title": "From cy"}, summary="cy")
    sync.sync(cy)
    # A copy of ana's machine (same replica id) writes its own ops under ana's ids.
    lines = log_of(ana).read_text().splitlines()
    forged = json.loads(lines[-2])
    forged["value"] = {"title": "Forged"} if forged["field"] == "*" else "Forged"
    (log_of(ana).parent / f"{ana.replica} (conflicted copy).jsonl").write_text(
        lines[0] + "\n" + json.dumps(forged) + "\n"
    )
    result = sync.sync(ben)
    assert result.clashes and "same replica id" in result.clashes[0]
    assert ben.get("card", card)["title"] == "Real"
    assert "From cy" in {r[0] for r in ben.rows("SELECT title FROM card")}  # others still import


def test_cloud_conflicted_copies_are_read_too(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "Kept in a copy"}, summary="x")
    sync.sync(ana)
    log = log_of(ana)
    log.rename(log.with_name(f"{ana.replica} (Ana's conflicted copy 2026-11-23).jsonl"))
    sync.sync(ben)
    assert ben.rows("SELECT title FROM card")[0][0] == "Kept in a copy"


def test_values_from_a_log_stay_plain_text(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "[bold red]x[/] '); DROP TABLE card; --"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    assert ben.get("card", card)["title"] == "[bold red]x[/] '); DROP TABLE card; --"


def test_my_own_log_torn_by_a_crash_is_repaired_before_the_next_export(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "A"}, summary="a")
    sync.sync(ana)
    with log_of(ana).open("ab") as f:
        f.write(b'{"id": "half')  # killed mid-write
    ana.set_metas({"sync.exported_seq": "1", "sync.export_size": "0"})  # ...before recording
    ana.create("card", {"title": "B"}, summary="b")
    sync.sync(ana)
    ids = [json.loads(line).get("id") for line in log_of(ana).read_text().splitlines()[1:]]
    assert len(ids) == len(set(ids)) == len(ana.operations())
    sync.sync(ben)
    assert dump(ben) == dump(ana)


def test_a_log_written_by_another_machine_with_my_replica_id_stops_the_export(
    tmp_path: Path,
) -> None:
    ana, ben = team(tmp_path)
    sync.sync(ana)
    line = json.dumps(
        Op(
            f"{ana.replica}:500",
            "001795613762349-00000",
            "imposter",
            "card",
            "c1",
            "*",
            {"title": "t"},
        ).to_dict()
    )
    with log_of(ana).open("a") as f:
        f.write(line + "\n")
    ana.create("card", {"title": "mine"}, summary="m")
    with pytest.raises(sync.ReplicaClash, match="same replica id"):
        sync.sync(ana)


def test_an_edit_of_a_row_deleted_elsewhere_is_a_conflict_on_every_replica(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    ana.delete("card", card, summary="deleted")
    ben.update("card", card, {"title": "Plan v2"}, summary="edited")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    for s in (ana, ben):
        [dc] = s.delete_conflicts()
        assert (dc.delete.by, [e.by for e in dc.edits], dc.edits[0].value) == (
            "ana",
            ["ben"],
            "Plan v2",
        )
    assert sync.sync(ana).conflicts == 1
    ben.resolve_delete(ben.delete_conflicts()[0], restore=True)
    sync.sync(ben), sync.sync(ana)
    for s in (ana, ben):
        assert s.delete_conflicts() == []
        assert (s.get("card", card)["deleted"], s.get("card", card)["title"]) == (0, "Plan v2")


def test_delete_for_good_ends_the_conflict(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    ana.delete("card", card, summary="deleted")
    ben.update("card", card, {"rag": "red"}, summary="edited")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    ana.resolve_delete(ana.delete_conflicts()[0], restore=False)
    sync.sync(ana), sync.sync(ben)
    assert ana.delete_conflicts() == ben.delete_conflicts() == []
    assert ben.get("card", card)["deleted"] == 1


def test_a_delete_after_seeing_the_edit_is_no_conflict(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    ben.update("card", card, {"title": "Plan v2"}, summary="edited")
    sync.sync(ben), sync.sync(ana)
    ana.delete("card", card, summary="deleted")
    sync.sync(ana), sync.sync(ben)
    assert ana.delete_conflicts() == ben.delete_conflicts() == []


def test_the_same_value_from_two_people_is_no_conflict(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    ana.update("card", card, {"state": "done"}, summary="a")
    ben.update("card", card, {"state": "done"}, summary="b")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    assert ana.conflicts() == ben.conflicts() == []


def test_simultaneous_moves_settle_with_an_activity_line(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan"}, summary="x")
    sync.sync(ana), sync.sync(ben)
    ana.update("card", card, {"window": "60"}, summary="a")
    ben.update("card", card, {"window": "90"}, summary="b")
    sync.sync(ana), sync.sync(ben), sync.sync(ana), sync.sync(ben)
    assert ana.conflicts(moves=True) == ben.conflicts(moves=True) == []
    assert ana.get("card", card)["window"] == ben.get("card", card)["window"]
    lines = [r[0] for r in ana.rows("SELECT summary FROM activity WHERE action = 'resolve'")]
    assert len(lines) == 1 and "moved by ana and ben at once" in lines[0]
    assert dump(ana) == dump(ben)


# ---------------------------------------------------------------------------- properties

steps = st.lists(
    st.tuples(
        st.integers(0, 3),  # replica
        st.sampled_from(["create", "edit", "edit", "move", "delete", "resolve", "sync", "sync"]),
        st.integers(0, 5),  # which card
        st.integers(0, 3),  # which value
    ),
    max_size=30,
)

TITLES = ["alpha", "beta", "[b]gamma[/b]", "δέλτα"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=steps, replicas=st.integers(3, 5), order=st.randoms(use_true_random=False))
def test_replicas_on_one_folder_end_identical_whatever_the_order(
    tmp_path_factory, script, replicas, order
) -> None:
    """Random edits and partial, repeated syncs: after a full exchange every replica has the
    same tables, the same conflicts, and every operation of every replica."""
    folder = tmp_path_factory.mktemp("team")
    stores = team(folder, replicas)
    cards: list[str] = []
    for who, action, card, value in script:
        s = stores[who % replicas]
        live = [r[0] for r in s.rows("SELECT id FROM card WHERE deleted = 0 ORDER BY id")]
        if action == "create" or (not live and action != "sync"):
            cards.append(s.create("card", {"title": TITLES[value]}, summary="new"))
        elif action == "edit":
            s.update(
                "card",
                live[card % len(live)],
                {"title": TITLES[value], "rag": "red"},
                summary="edit",
            )
        elif action == "move":
            s.update(
                "card",
                live[card % len(live)],
                {"window": ["30", "60", "90", "later"][value]},
                summary="move",
            )
        elif action == "delete":
            s.delete("card", live[card % len(live)], summary="delete")
        elif action == "resolve":
            for c in s.conflicts()[:1]:
                s.resolve(c, c.heads[-1].value)
            for dc in s.delete_conflicts()[:1]:
                s.resolve_delete(dc, restore=bool(value % 2))
        else:
            sync.sync(s)
    for _ in range(3):  # full exchange, in a shuffled order, until nothing new moves
        shuffled = list(stores)
        order.shuffle(shuffled)
        for s in shuffled + shuffled:
            sync.sync(s)
    dumps = [dump(s) for s in stores]
    assert all(d == dumps[0] for d in dumps)
    keys = [
        {(c.row_id, c.field, tuple(h.id for h in c.heads)) for c in s.conflicts()} for s in stores
    ]
    assert all(k == keys[0] for k in keys)
    dels = [{(d.row_id, d.delete.id) for d in s.delete_conflicts()} for s in stores]
    assert all(d == dels[0] for d in dels)
    everything = {o.id for s in stores for o in s.operations()}
    assert all({o.id for o in s.operations()} == everything for s in stores)
    for s in stores:
        s.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.integers(0, 10_000), min_size=1, max_size=6),
    junk=st.binary(max_size=40),
    where=st.integers(0, 50),
)
def test_torn_and_malformed_logs_never_corrupt_and_the_rest_imports(
    tmp_path_factory, cuts, junk, where
) -> None:
    """A log seen at random cut points, with a junk line spliced in, imports everything else."""
    folder = tmp_path_factory.mktemp("torn")
    ana, ben = team(folder)
    for n in range(8):
        card = ana.create("card", {"title": f"c{n}"}, summary=f"c{n}")
        ana.update("card", card, {"state": "doing"}, summary="s")
    sync.sync(ana)
    log = log_of(ana)
    lines = log.read_bytes().splitlines(keepends=True)
    at = 1 + where % (len(lines) - 1)
    junk_line = junk.replace(b"\n", b"") + b"\n"
    full = b"".join(lines[:at] + [junk_line] + lines[at:])
    for cut in sorted(cuts):
        log.write_bytes(full[: cut % (len(full) + 1)])
        sync.sync(ben)
    log.write_bytes(full)
    result = sync.sync(ben)
    ana_ops = {o.id for o in ana.operations()}
    assert ana_ops <= {o.id for o in ben.operations()}
    assert dump(ben) == dump(ana)
    del result


# ---------------------------------------------------------------------------- where a .db may live

MOUNTS = """/dev/vda / ext4 rw 0 0
server:/export /mnt/team nfs4 rw 0 0
//nas/share /mnt/nas\\040drive cifs rw 0 0
"""


def test_network_filesystems_are_recognised_from_the_mount_table() -> None:
    from kickoff_tui.store.db import network_fs, shared_location

    assert network_fs(Path("/mnt/team/plan/kickoff.db"), MOUNTS) == "nfs4"
    assert network_fs(Path("/mnt/nas drive/kickoff.db"), MOUNTS) == "cifs"
    assert network_fs(Path("/mnt/teamwork/kickoff.db"), MOUNTS) is None  # not under /mnt/team
    assert network_fs(Path("/home/ana/kickoff.db"), MOUNTS) is None
    assert shared_location(Path("/mnt/team/kickoff.db"), MOUNTS) == "a network filesystem (nfs4)"
    for folder, client in [
        ("Dropbox", "Dropbox"),
        ("OneDrive - Contoso", "OneDrive"),
        ("Google Drive", "Google Drive"),
        ("iCloud Drive", "iCloud"),
        ("Library/CloudStorage/Dropbox-Personal", "Dropbox"),
    ]:
        assert (
            shared_location(Path(f"/home/ana/{folder}/plan/kickoff.db"), MOUNTS)
            == f"a {client} folder"
        )
    assert shared_location(Path("/home/ana/work/kickoff.db"), MOUNTS) is None


def test_a_workspace_in_a_sync_client_folder_is_refused_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kickoff_tui.store.errors import SharedLocation

    (tmp_path / "Dropbox").mkdir()
    target = tmp_path / "Dropbox" / "plan.db"
    with pytest.raises(SharedLocation, match="Dropbox folder.*sync folder.*--allow-network-db"):
        init_workspace(target, name="X", kickoff_date=date(2026, 10, 17))
    assert not target.exists()
    monkeypatch.setenv("KICKOFF_ALLOW_NETWORK_DB", "1")
    store = init_workspace(target, name="X", kickoff_date=date(2026, 10, 17))
    assert store.row("PRAGMA journal_mode")[0] == "delete"  # never WAL there
    store.close()
    assert Store(target).row("PRAGMA journal_mode")[0] == "delete"


def test_a_cold_join_builds_exactly_what_applying_one_by_one_builds(tmp_path: Path) -> None:
    """Joining applies a big log in bulk; the tables, heads and conflicts match the slow path."""
    ana, ben = team(tmp_path)
    cards = []
    with ana.transaction() as tx:
        cards = [tx.create("card", {"title": f"c{n}", "window": "30"}) for n in range(150)]
    sync.sync(ana), sync.sync(ben)
    for n, card in enumerate(cards):
        ana.update("card", card, {"title": f"ana {n}"}, summary="a")
        if n % 3 == 0:
            ben.update("card", card, {"title": f"ben {n}", "rag": "red"}, summary="b")
        if n % 7 == 0:
            ana.delete("card", card, summary="gone")
        if n % 11 == 0:
            ben.update("card", card, {"window": "60"}, summary="moved")
    sync.sync(ana), sync.sync(ben), sync.sync(ana)
    cy, _ = sync.join(sync.folder_of(ana), tmp_path / "cy.db", actor="cy")
    slow = Store(tmp_path / "slow.db", create=True)
    everything = sorted(ana.operations(), key=lambda o: o.id)
    for start in range(0, len(everything), 50):
        slow.apply(everything[start : start + 50])
    assert len(everything) > 200
    assert dump(cy) == dump(slow) == dump(ana)
    heads = "SELECT * FROM operation_head ORDER BY tbl, row_id, field, op_id"
    assert [tuple(r) for r in cy.rows(heads)] == [tuple(r) for r in slow.rows(heads)]
    assert cy.conflicts() == slow.conflicts() and len(cy.conflicts()) > 0
    assert cy.delete_conflicts() == slow.delete_conflicts() and len(cy.delete_conflicts()) > 0


WSID = "01a21319-cf07-7471-841e-8972b9d279d2"
REPLICAS = ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"]
#: Rows edited in the generated logs, and the values their fields take: text a terminal would
#: act on, markup, empty text, None, and whole numbers for number fields (stored as floats).
ROWS = [("card", "c1"), ("card", "c2"), ("card", "c3"), ("key_result", "k1")]
VALUES = {
    "title": ["alpha", "[b]x[/b]", "\x1b[31mred\x1b[0m", "δέλτα", "", "a\x07b\u2028c", None],
    "state": ["todo", "doing", "done"],
    "window": ["30", "60", "90"],
    "current": [0, 2.5, 7, None],
    "baseline": [1, 1.5],
    "deleted": [1, 1, 0],
}
FIELDS = {
    "card": ["title", "state", "window", "deleted"],
    "key_result": ["title", "current", "baseline", "deleted"],
}


@st.composite
def logs(draw) -> list[Op]:
    """Operations of three replicas as they could really meet: each edit names in its base
    some of the field's earlier operations (all of them when synced, none when concurrent),
    a delete some of the row's; clocks tie across replicas; edits may come before their row."""
    seqs = dict.fromkeys(REPLICAS, 0)
    ms, ops = 1_795_000_000_000, []
    seen: dict[tuple[str, ...], list[str]] = {}

    def add(replica: str, table: str, row: str, name: str, value, base=()) -> None:
        seqs[replica] += 1
        op = Op(
            f"{replica}:{seqs[replica]}",
            f"{ms:015d}-{draw(st.integers(0, 2)):05d}",
            replica[:3],
            table,
            row,
            name,
            value,
            tuple(base),
            f"{replica}:{seqs[replica]}",
        )
        ops.append(op)
        seen.setdefault((table, row, name), []).append(op.id)
        seen.setdefault((table, row), []).append(op.id)

    add(REPLICAS[0], "workspace", WSID, "*", {"name": "Atlas", "kickoff_date": "2026-10-19"})
    for n in range(201):  # enough operations for the bulk path
        add(
            REPLICAS[n % 3],
            "person",
            f"p{n:03d}",
            "*",
            {"name": f"P{n}", "handle": "\x1b]0;x\x07h"},
        )
    for step in draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),
                st.integers(0, len(ROWS) - 1),
                st.integers(0, 3),
                st.integers(0, 6),
                st.integers(0, 255),
                st.booleans(),
            ),
            max_size=40,
        )
    ):
        who, which, field_no, value_no, mask, create = step
        replica, (table, row) = REPLICAS[who], ROWS[which]
        ms += draw(st.integers(0, 2))
        if create and (table, row, "*") not in seen:
            first = (
                {"title": f"{row}", "window": "30"}
                if table == "card"
                else {"title": row, "baseline": 3}
            )
            add(replica, table, row, "*", first)
            continue
        name = FIELDS[table][field_no]
        earlier = seen.get((table, row) if name == "deleted" else (table, row, name), [])
        base = [i for k, i in enumerate(earlier) if mask >> (k % 8) & 1]
        values = VALUES[name]
        add(replica, table, row, name, values[value_no % len(values)], base)
    return ops


def _one_by_one(path: Path, ops: list[Op], order: random.Random) -> Store:
    slow = Store(path, create=True)
    shuffled = list(ops)
    order.shuffle(shuffled)
    for start in range(0, len(shuffled), 7):
        slow.apply(shuffled[start : start + 7])
    return slow


def _everything(store: Store) -> dict:
    return {
        **dump(store),
        "operation": [tuple(r) for r in store.rows("SELECT * FROM operation ORDER BY id")],
        "base": [
            tuple(r) for r in store.rows("SELECT * FROM operation_base ORDER BY base_id, op_id")
        ],
        "heads": [
            tuple(r)
            for r in store.rows("SELECT * FROM operation_head ORDER BY tbl, row_id, field, op_id")
        ],
        "conflicts": store.conflicts(moves=True),
        "delete_conflicts": store.delete_conflicts(),
        "hlc": store.meta("hlc"),
    }


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=logs(), order=st.randoms(use_true_random=False), restyle=st.integers(0, 2**16))
def test_a_cold_join_of_any_log_equals_applying_it_one_operation_at_a_time(
    tmp_path_factory, ops, order, restyle
) -> None:
    """The bulk join from log files (some lines written by other JSON writers, some twice)
    builds the same tables, operations, heads, conflicts and clock as the one-by-one path."""
    folder = tmp_path_factory.mktemp("bulk")
    shared = folder / "shared"
    (shared / "ops").mkdir(parents=True)
    (shared / "workspace.toml").write_text(f'format = 1\nworkspace_id = "{WSID}"\n')
    for replica in REPLICAS:
        lines = [json.dumps({"kickoff": "ops", "format": 1, "workspace": WSID, "replica": replica})]
        for n, op in enumerate(o for o in ops if o.replica == replica):
            d = op.to_dict()
            style = restyle >> (n % 16) & 3
            if style == 1:  # another writer: spaces, escaped non-ASCII, keys in its own order
                lines.append(json.dumps(dict(reversed(d.items()))))
            elif style == 2:  # a copy of the line made it twice
                lines += [json.dumps(d, ensure_ascii=False, separators=(",", ":"))] * 2
            else:
                lines.append(
                    json.dumps(d, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                )
        (shared / "ops" / f"{replica}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    joined, result = sync.join(shared, folder / "joined.db", actor="dee")
    assert result.applied == len(ops) and result.problems == []
    slow = _one_by_one(folder / "slow.db", ops, order)
    assert _everything(joined) == _everything(slow)
    schema_sql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    assert [tuple(r) for r in joined.rows(schema_sql)] == [tuple(r) for r in slow.rows(schema_sql)]
    assert sync.sync(joined).applied == 0  # idempotent: nothing comes twice
    joined.close(), slow.close()


ODD_LINES = st.dictionaries(
    st.sampled_from(["id", "hlc", "by", "table", "row_id", "field", "value", "base", "tx", "x"]),
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 2_000_000_000_000_000),
        st.floats(),
        st.sampled_from(
            [
                "a:1",
                "x:y:2",
                "nope",
                "001795000000000-00001",
                "1795000000000-1",
                "card",
                "key_result",
                "title",
                "current",
                "deleted",
                "*",
                "\x1b[2J",
            ]
        ),
        st.lists(st.sampled_from(["a:1", 3]), max_size=2),
        st.dictionaries(
            st.sampled_from(["title", "baseline", "zz"]),
            st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=3)),
            max_size=2,
        ),
    ),
)
GOOD_LINE = {
    "id": "a:1",
    "hlc": "001795000000000-00001",
    "by": "ana",
    "table": "card",
    "row_id": "c1",
    "field": "title",
    "value": "t",
    "base": [],
    "tx": None,
}


ODD_VALUES = st.one_of(
    st.sampled_from([None, True, 3, 2.5, float("nan"), float("inf"), "x", {}]),
    st.integers(),
    st.floats(),
    st.text(max_size=3),
    st.dictionaries(
        st.sampled_from(["title", "baseline", "confidence", "zz"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3)),
        max_size=3,
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    target=st.sampled_from(
        [
            ("card", "title"),
            ("key_result", "current"),
            ("key_result", "*"),
            ("key_result", "confidence"),
            ("card", "deleted"),
            ("card", "nope"),
            ("nope", "*"),
        ]
    ),
    value=ODD_VALUES,
    changes=ODD_LINES,
)
def test_reading_a_line_the_short_way_accepts_and_refuses_what_the_long_way_does(
    target, value, changes
) -> None:
    """ops.read_op (the join's short path) = Op.from_dict then validate, for any line."""
    from kickoff_tui.store.errors import InvalidEdit
    from kickoff_tui.store.ops import read_op, validate

    d = {**GOOD_LINE, "table": target[0], "field": target[1], "value": value}
    if len(changes) > 1:
        d.update(changes)
    try:
        expected = Op.from_dict(d)
        validate(expected)
    except InvalidEdit as exc:
        with pytest.raises(InvalidEdit) as caught:
            read_op(d)
        assert caught.value.message == exc.message
    else:
        assert read_op(d) == expected


# ---------------------------------------------------------------------------- kill -9


def _killed_mid_work(work, rng, *, min_ms: int = 2, max_ms: int = 40) -> None:
    """Run `work(done)` in a forked child and SIGKILL it a random few milliseconds after it
    has called `done()` once (finished one round of its work: counting from the fork instead
    let a loaded machine kill every child before its first round, testing nothing)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        try:
            os.close(read)
            work(lambda: os.write(write, b"."))
        finally:
            os._exit(0)
    os.close(write)
    try:
        assert os.read(read, 1) == b".", "the child died before its first round"
    finally:
        os.close(read)
    time.sleep(rng.uniform(min_ms, max_ms) / 1000)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_kill_9_during_export_50_times_loses_and_repeats_nothing(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    path = ana.path
    ana.close()
    rng = random.Random(9)

    def export_forever(done) -> None:  # noqa: ANN001
        me = Store(path, actor="ana")
        n = 0
        while True:
            with me.transaction("burst") as tx:
                for _ in range(20):
                    n += 1
                    tx.create("card", {"title": f"card {os.getpid()} {n}"})
            sync.sync(me)
            done()

    for _ in range(50):
        _killed_mid_work(export_forever, rng)
    _after_kill_nothing_lost_or_repeated(path, ben)
    with Store(path) as ana:
        assert ana.rows("SELECT count(*) FROM card")[0][0] >= 50 * 20  # a round at least each


def test_kill_9_during_import_50_times_loses_and_repeats_nothing(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    path = ben.path
    ben.close()
    rng = random.Random(11)

    def import_forever(done) -> None:  # noqa: ANN001
        me = Store(path, actor="ben")
        while True:
            sync.sync(me)
            done()

    for round_ in range(50):
        with ana.transaction("burst") as tx:
            for n in range(40):
                tx.create("card", {"title": f"card {round_} {n}"})
        if round_ % 5 == 0 and round_:
            card = ana.rows("SELECT id FROM card ORDER BY id LIMIT 1")[0][0]
            ana.update("card", card, {"title": f"renamed {round_}"}, summary="r")
        sync.sync(ana)
        _killed_mid_work(import_forever, rng, min_ms=1, max_ms=25)
    ben = Store(path, actor="ben")
    sync.sync(ben)
    assert dump(ben) == dump(ana)
    assert (
        ben.rows("SELECT count(*) FROM operation")[0][0]
        == ana.rows("SELECT count(*) FROM operation")[0][0]
    )


def _killed_where(work, stop_at) -> None:  # noqa: ANN001
    """Run `work` in a forked child that stops itself at one point and SIGKILL it there.

    `stop_at(stop)` installs, in the child only, a hook that calls `stop()` at the point; the
    parent waits for the child to stop (an event, not a guess at the time it takes) and kills
    it, so the kill lands exactly there. Fails if the child never got there.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        try:
            stop_at(lambda: os.kill(os.getpid(), signal.SIGSTOP))
            work()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, os.WUNTRACED)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert os.WIFSTOPPED(status), "the child ended before reaching the point of the kill"


def _recorded_export_size(path: Path) -> int:
    """How much of its log the workspace at `path` has recorded as written (committed)."""
    with Store(path) as store:
        return int(store.meta(sync.K_SIZE) or 0)


def _export_once(path: Path) -> None:
    me = Store(path, actor="ana")
    with me.transaction("burst") as tx:
        for n in range(20):
            tx.create("card", {"title": f"card {n}"})
    sync.sync(me)


def _after_kill_nothing_lost_or_repeated(path: Path, ben: Store) -> None:
    ana = Store(path, actor="ana")
    sync.sync(ana)
    lines = log_of(ana).read_text().splitlines()
    ids = [json.loads(line)["id"] for line in lines[1:]]
    assert len(ids) == len(set(ids)), "an operation was exported twice"
    assert set(ids) == {o.id for o in ana.operations() if o.replica == ana.replica}
    sync.sync(ben)
    assert dump(ben) == dump(ana)
    ana.close()


def test_kill_9_after_the_log_is_written_but_before_it_is_recorded(tmp_path: Path) -> None:
    """The crash the export's read-back exists for: the lines are on disk, fsync'd, and the
    workspace's record of them is not committed."""
    ana, ben = team(tmp_path)
    path, log = ana.path, log_of(ana)
    ana.close()

    def after_fsync(stop) -> None:  # noqa: ANN001
        real = os.fsync

        def fsync(fd: int) -> None:
            real(fd)
            stop()

        sync.os.fsync = fsync  # this module's os is the child's os: only the child's

    _killed_where(lambda: _export_once(path), after_fsync)
    assert log.stat().st_size > _recorded_export_size(path)  # landed: written, not recorded
    assert log.read_bytes().endswith(b"\n")
    _after_kill_nothing_lost_or_repeated(path, ben)


def test_kill_9_halfway_through_a_line_of_the_log(tmp_path: Path) -> None:
    """A torn last line of my own log is cut off and its operations written again."""
    ana, ben = team(tmp_path)
    path, log = ana.path, log_of(ana)
    ana.close()

    def halfway(stop) -> None:  # noqa: ANN001
        import pathlib

        real_open = pathlib.Path.open

        def open_log(self, mode="r", *args, **kwargs):  # noqa: ANN001, ANN202
            f = real_open(self, mode, *args, **kwargs)
            if mode != "ab":
                return f
            real_write = f.write

            def write(data: bytes) -> int:
                real_write(data[: len(data) // 2])
                f.flush()
                stop()
                return len(data)

            f.write = write
            return f

        pathlib.Path.open = open_log

    _killed_where(lambda: _export_once(path), halfway)
    assert not log.read_bytes().endswith(b"\n")  # landed: mid-line
    _after_kill_nothing_lost_or_repeated(path, ben)


def test_kill_9_in_the_middle_of_applying_an_import(tmp_path: Path) -> None:
    """Killed with part of a batch applied in its open transaction: none of it stays, and the
    next sync applies all of it once."""
    from kickoff_tui.store import merge

    ana, ben = team(tmp_path)
    with ana.transaction("burst") as tx:
        for n in range(40):
            tx.create("card", {"title": f"card {n}"})
    sync.sync(ana)
    path = ben.path
    before = ben.rows("SELECT count(*) FROM operation")[0][0]
    ben.close()

    def after_ten_applied(stop) -> None:  # noqa: ANN001
        real = merge.apply_one
        applied = []

        def apply(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            result = real(*args, **kwargs)
            applied.append(result)
            if len(applied) == 10:
                stop()
            return result

        merge.apply_one = apply

    _killed_where(lambda: sync.sync(Store(path, actor="ben")), after_ten_applied)
    with Store(path, actor="ben") as ben:
        assert ben.rows("SELECT count(*) FROM operation")[0][0] == before  # none of the ten
        sync.sync(ben)
        assert dump(ben) == dump(ana)
        assert (
            ben.rows("SELECT count(*) FROM operation")[0][0]
            == ana.rows("SELECT count(*) FROM operation")[0][0]
        )


def test_a_conflicted_copy_of_my_own_log_is_harmless(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "A"}, summary="a")
    sync.sync(ana)
    shutil.copy(log_of(ana), log_of(ana).with_name(f"{ana.replica} (conflicted copy).jsonl"))
    result = sync.sync(ana)
    assert result.clashes == [] and result.problems == []


# ---------------------------------------------------------------------------- stateful


class Replicas(RuleBasedStateMachine):
    """3–5 replicas, each with its own copy of the sync folder (as a sync client keeps one).

    Logs travel between copies in random partial (torn at any byte), repeated and out-of-order
    deliveries; replicas create, edit, move, delete and resolve. After a full exchange every
    replica has the same tables, conflicts and operations.
    """

    @initialize(n=st.integers(3, 5))
    def start(self, n: int) -> None:
        import tempfile

        self.root = Path(tempfile.mkdtemp(prefix="replicas"))
        first = init_workspace(
            self.root / "r0.db", name="T", kickoff_date=date(2026, 10, 17), actor="r0"
        )
        sync.attach(first, self.root / "f0")
        sync.sync(first)
        self.stores = [first]
        for k in range(1, n):
            shutil.copytree(self.root / "f0", self.root / f"f{k}")
            self.stores.append(
                sync.join(self.root / f"f{k}", self.root / f"r{k}.db", actor=f"r{k}")[0]
            )
        #: title operation -> (row, value, every operation its replica had when writing it)
        self.titles: dict[str, tuple[str, str, set[str]]] = {}

    def _titled(self, s: Store, do) -> None:  # noqa: ANN001
        """Run one edit on `s`, noting what its replica knew for each title it wrote."""
        known = {o.id for o in s.operations()}
        before = s.last_change
        do()
        if s.last_change is not before and s.last_change:
            for op in s.last_change.ops:
                if op.table == "card" and op.field == "title":
                    self.titles[op.id] = (op.row_id, op.value, known)

    def _live(self, s: Store) -> list[str]:
        return [r[0] for r in s.rows("SELECT id FROM card WHERE deleted = 0 ORDER BY id")]

    def _deliver(self, src: int, dst: int, cut: float | None) -> None:
        """Copy replica src's log (a prefix of it when `cut` is given) into dst's folder."""
        log = log_of(self.stores[src])
        if src == dst or not log.exists():
            return
        data = log.read_bytes()
        if cut is not None:
            data = data[: int(len(data) * cut)]
        (sync.folder_of(self.stores[dst]) / "ops" / log.name).write_bytes(data)

    @rule(who=st.integers(0, 4), title=st.sampled_from(TITLES))
    def create(self, who: int, title: str) -> None:
        self.stores[who % len(self.stores)].create("card", {"title": title}, summary="new")

    @rule(who=st.integers(0, 4), pick=st.integers(0, 20), title=st.sampled_from(TITLES))
    def edit(self, who: int, pick: int, title: str) -> None:
        s = self.stores[who % len(self.stores)]
        if live := self._live(s):
            self._titled(
                s,
                lambda: s.update("card", live[pick % len(live)], {"title": title}, summary="edit"),
            )

    @rule(
        who=st.integers(0, 4),
        pick=st.integers(0, 20),
        window=st.sampled_from(["30", "60", "90", "later"]),
    )
    def move(self, who: int, pick: int, window: str) -> None:
        s = self.stores[who % len(self.stores)]
        if live := self._live(s):
            s.update("card", live[pick % len(live)], {"window": window}, summary="move")

    @rule(who=st.integers(0, 4), pick=st.integers(0, 20))
    def delete(self, who: int, pick: int) -> None:
        s = self.stores[who % len(self.stores)]
        if live := self._live(s):
            s.delete("card", live[pick % len(live)], summary="delete")

    @rule(who=st.integers(0, 4), keep=st.integers(0, 3), restore=st.booleans())
    def resolve(self, who: int, keep: int, restore: bool) -> None:
        s = self.stores[who % len(self.stores)]
        for c in s.conflicts()[:1]:
            self._titled(s, lambda: s.resolve(c, c.heads[keep % len(c.heads)].value))
        for dc in s.delete_conflicts()[:1]:
            s.resolve_delete(dc, restore=restore)

    @rule(src=st.integers(0, 4), dst=st.integers(0, 4), cut=st.one_of(st.none(), st.floats(0, 1)))
    def deliver(self, src: int, dst: int, cut: float | None) -> None:
        self._deliver(src % len(self.stores), dst % len(self.stores), cut)

    @rule(who=st.integers(0, 4))
    def sync_one(self, who: int) -> None:
        result = sync.sync(self.stores[who % len(self.stores)])
        assert result.clashes == []

    @invariant()
    def every_workspace_is_what_its_operations_say(self) -> None:
        """At every step the tables equal a rebuild from the operations alone."""
        for s in getattr(self, "stores", []):
            before = dump(s)
            s.rebuild()
            assert dump(s) == before

    def teardown(self) -> None:
        stores = getattr(self, "stores", [])
        try:
            if stores:
                for _ in range(2):  # a full exchange: export, deliver everything, import
                    for s in stores:
                        sync.sync(s)
                    for a in range(len(stores)):
                        for b in range(len(stores)):
                            self._deliver(a, b, None)
                    for s in stores:
                        sync.sync(s)
                for _ in range(2):  # settling moves writes operations: pass them on too
                    for a in range(len(stores)):
                        for b in range(len(stores)):
                            self._deliver(a, b, None)
                    for s in stores:
                        sync.sync(s)
                dumps = [dump(s) for s in stores]
                assert all(d == dumps[0] for d in dumps)
                keys = [
                    {(c.row_id, c.field, tuple(h.id for h in c.heads)) for c in s.conflicts()}
                    for s in stores
                ]
                assert all(k == keys[0] for k in keys)
                # The oracle: title edits nobody saw the other of, with different values, are
                # exactly the title conflicts (whatever the bases say).
                heads: dict[str, set[str]] = {}
                for op_id, (row, value, _known) in self.titles.items():
                    if not any(op_id in k for o, (r, _v, k) in self.titles.items() if r == row):
                        heads.setdefault(row, set()).add(value)
                expected = {row for row, values in heads.items() if len(values) > 1}
                assert {c.row_id for c in stores[0].conflicts() if c.field == "title"} == expected
                dels = [{(d.row_id, d.delete.id) for d in s.delete_conflicts()} for s in stores]
                assert all(d == dels[0] for d in dels)
                everything = {o.id for s in stores for o in s.operations()}
                assert all({o.id for o in s.operations()} == everything for s in stores)
        finally:
            for s in stores:
                s.close()
            if hasattr(self, "root"):
                shutil.rmtree(self.root, ignore_errors=True)


Replicas.TestCase.settings = settings(max_examples=20, stateful_step_count=25, deadline=None)
test_replicas_exchanging_logs_any_way_converge = Replicas.TestCase


def test_moving_to_another_folder_starts_its_logs_afresh(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    ana.create("card", {"title": "A"}, summary="a")
    sync.sync(ana), sync.sync(ben)
    for s in (ana, ben):
        sync.attach(s, tmp_path / "new-drive")
    ana.create("card", {"title": "B"}, summary="b")
    sync.sync(ana), sync.sync(ben)
    mine = [o for o in ana.operations() if o.replica == ana.replica]
    assert len(log_of(ana).read_text().splitlines()) == 1 + len(mine)  # the header, then all
    assert dump(ana) == dump(ben)
    cy, _ = sync.join(tmp_path / "new-drive", tmp_path / "cy.db", actor="cy")
    assert dump(cy) == dump(ana)
