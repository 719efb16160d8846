"""TOML / CSV / Markdown exports and the TOML import, on real workspace files."""

from __future__ import annotations

import csv
import re
import tempfile
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kickoff_tui import clock
from kickoff_tui.store import export as ex
from kickoff_tui.store import queries, schema
from kickoff_tui.store.errors import InvalidEdit, StoreError
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace
from tests.screens.helpers import MARKUP_CORPUS


def roundtrip(store: Store, folder: Path) -> tuple[str, str, Store]:
    first = ex.workspace_toml(store)
    again = ex.import_toml(first, folder / "imported.db")
    return first, ex.workspace_toml(again), again


def test_demo_export_import_export_is_byte_identical(demo: Store, tmp_path: Path) -> None:
    with demo.transaction("edits after creation") as tx:  # a later edit, a tombstone
        card = demo.row("SELECT id FROM card ORDER BY created_at, id LIMIT 1")["id"]
        tx.update("card", card, {"state": "doing", "description": "line 1\nline 2\r\nline 3"})
        tx.delete("risk", demo.row("SELECT id FROM risk ORDER BY id LIMIT 1")["id"])
    first, second, again = roundtrip(demo, tmp_path)
    assert first == second
    # the new file keeps numbers, ids, timestamps and tombstones ...
    assert [dict(r) for r in queries.board_cards(again)] == [
        dict(r) for r in queries.board_cards(demo)
    ]
    assert again.row("SELECT count(*) FROM risk WHERE deleted = 1")[0] == 1
    # ... is a materialized view of its own operation log (so it can sync) ...
    assert again.row("SELECT count(DISTINCT replica) FROM operation")[0] == 1
    assert again.row("SELECT replica FROM operation LIMIT 1")[0] == again.replica
    again.rebuild()
    assert ex.workspace_toml(again) == first
    # ... and takes new edits after the imported ones.
    again.update("card", card, {"state": "done"})
    assert again.get("card", card)["state"] == "done"
    assert (
        again.row("SELECT max(seq) FROM operation")[0]
        == again.row("SELECT count(*) FROM operation")[0]
    )
    again.close()


def test_toml_layout_is_readable_and_stable(demo: Store) -> None:
    text = ex.workspace_toml(demo)
    assert text.startswith("# A kickoff-tui workspace")
    data = tomllib.loads(text)
    assert data["kickoff"] == {"format": ex.FORMAT, "version": ex.FORMAT_VERSION}
    tables = [k for k in data if k != "kickoff"]
    assert tables == [t for t in schema.TABLES if t in tables]  # schema order
    for table in tables:
        ids = [r["id"] for r in data[table]]
        assert ids == sorted(ids)
        for row in data[table]:
            assert list(row) == [c for c in schema.columns(table) if c in row]
    decision = next(d for d in data["decision"] if d["title"].startswith("Postgres"))
    assert "published_at" not in decision and "decided_at" not in decision  # NULL is absent
    assert ex.workspace_toml(demo) == text


def test_import_refuses_an_existing_file_and_bad_exports(demo: Store, tmp_path: Path) -> None:
    text = ex.workspace_toml(demo)
    (tmp_path / "taken.db").write_bytes(b"")
    with pytest.raises(StoreError, match="never overwrites"):
        ex.import_toml(text, tmp_path / "taken.db")
    bad = {
        "not toml": "x = = 1",
        "no header": "[[person]]\nid = 'a'\n",
        "newer": '[kickoff]\nformat = "kickoff-tui workspace"\nversion = 99\n',
        "unknown table": text + '\n[[spaceship]]\nid = "x"\n',
        "unknown key": text.replace('handle = "ana"', 'handle = "ana"\nshoe_size = 42', 1),
        "wrong type": text.replace("likelihood = 4", 'likelihood = "very"', 1),
        "bad date": text.replace('created_at = "', 'created_at = "yesterday', 1),
        "no workspace": '[kickoff]\nformat = "kickoff-tui workspace"\nversion = 1\n',
    }
    for name, content in bad.items():
        target = tmp_path / f"{name}.db"
        with pytest.raises(InvalidEdit) as caught:
            ex.import_toml(content, target)
        assert "\n" not in caught.value.message, name
        assert not target.exists(), name  # nothing half-made is left behind
    with pytest.raises(InvalidEdit, match="likelihood must be int"):
        ex.import_toml(bad["wrong type"], tmp_path / "x.db")


def test_a_hand_written_file_without_ids_or_timestamps_imports(tmp_path: Path, frozen: str) -> None:
    text = (
        '[kickoff]\nformat = "kickoff-tui workspace"\nversion = 1\n\n'
        '[[workspace]]\nname = "Hand made"\nkickoff_date = "2026-11-01"\n\n'
        '[[card]]\ntitle = "First"\nwindow = "30"\n'
    )
    store = ex.import_toml(text, tmp_path / "hand.db")
    assert store.workspace()["name"] == "Hand made"
    card = store.row("SELECT * FROM card")
    assert card["title"] == "First" and card["created_at"] == "2026-11-23T09:00:00.000Z"
    store.close()


def test_csv_is_one_file_per_table(demo: Store, tmp_path: Path) -> None:
    paths = ex.write_csv(demo, tmp_path / "csv")
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in schema.TABLES)
    with (tmp_path / "csv" / "card.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    columns = schema.columns("card")
    # readable columns next to the ids: the owner's handle, the window's label
    at = columns.index("owner_id") + 1
    columns = [*columns[:at], "owner_handle", *columns[at:]]
    at = columns.index("window") + 1
    columns = [*columns[:at], "window_label", *columns[at:]]
    assert list(rows[0]) == columns
    wizard = next(r for r in rows if r["title"] == "Ship the guided setup wizard")
    assert (wizard["owner_handle"], wizard["window"], wizard["window_label"]) == (
        "chloe",
        "60",
        "31–60",
    )
    with (tmp_path / "csv" / "check_in.csv").open(encoding="utf-8", newline="") as f:
        check_ins = list(csv.DictReader(f))
    assert {r["author_handle"] for r in check_ins} <= {"ana", "ben", "chloe", "dev", "eunji", ""}
    assert len(rows) == demo.row("SELECT count(*) FROM card")[0]
    assert {r["title"] for r in rows} >= {"Localise onboarding (FR, DE, 日本語)"}
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_progress_is_reported_for_long_exports(demo: Store, tmp_path: Path) -> None:
    from kickoff_tui.store.demo import add_generated_cards

    add_generated_cards(demo, 1200)
    seen: list[tuple[int, int]] = []
    text = ex.workspace_toml(demo, lambda done, total: seen.append((done, total)))
    total = ex.row_count(demo)
    assert len(seen) >= 3 and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    imported: list[tuple[int, int]] = []
    ex.import_toml(text, tmp_path / "big.db", progress=lambda d, t: imported.append((d, t))).close()
    assert imported[-1][0] == imported[-1][1] and len(imported) >= 2


def test_review_markdown_is_the_review_page(demo: Store) -> None:
    demo.update(
        "card",
        demo.row("SELECT id FROM card WHERE title LIKE 'Hire%'")["id"],
        {"title": "[red]Hire[/red] | *SRE* <b>"},
    )
    text = ex.review_markdown(demo)
    assert text.startswith("# Atlas launch — weekly review\n\nDay 37 of 90 · 31–60 window")
    for heading in (
        "## Objectives and key results",
        "## Board",
        "## Top risks by residual score",
        "## Open decisions",
        "## Open blockers",
        "## Since ",
    ):
        assert f"\n{heading}" in text
    assert (
        "| KR1 | Weekly activated teams | 71 → 120 teams | ■R 39% | ▲ behind | Ana Silva |" in text
    )
    assert (
        "**D3** Delay annual plans to the 61–90 window — accepted, not published within 24 h"
        in text
    )
    assert "\\[red\\]Hire\\[/red\\] \\| \\*SRE\\* \\<b\\>" in text


def test_review_markdown_statuses_read_without_colour(demo: Store) -> None:
    """Grades, paces, risk bands and the attention cards' RAG carry the shared marks
    (rules/status.py), so a printed or pasted review reads in black and white."""
    text = ex.review_markdown(demo)
    assert "| **O1** | **Launch self-serve onboarding** |   | ▲Y **44%** | ● on track |" in text
    assert "| KR4 | API uptime | 99.95 % (keep ≥ 99.9) | ●G 100% | ● on track |" in text
    assert "| KR5 | P1 incidents per month | 3 incidents (keep ≤ 2) | ■R 0% | ■ at risk |" in text
    assert "| R4 | Trials don't reach value in a week | 9 ▲ medium | 16 ■ high |" in text
    assert "- ■R **#10** Run the load test at 3× traffic — blocked, red, 2 days late" in text
    assert "- ▲Y **#6** Draft the SOC 2 control list — 7 days late" in text


# ---------------------------------------------------------------------- generated workspaces

AWKWARD = [
    *MARKUP_CORPUS,
    "😀 launch 🚀",
    "日本語のタイトル",
    "line one\nline two",
    "a\r\nb",
    'say "hi"',
    "it's",
    '"""',
    "'''",
    "back\\slash\\",
    "tab\there",
    "x" * 3000,
    "",
    " spaced ",
    "[[card]]",
    "# not a comment",
    "=",
    "\u2028",
    "\x7f",
    "é" * 10,
]
TEXT = st.one_of(
    st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
)
FLOAT = st.one_of(
    st.sampled_from([0.1, -0.0, 0.0, 1e20, -1e20, 1e-7, 2.5, 99.95]),
    st.floats(allow_nan=False, allow_infinity=False),
)
INT = st.integers(min_value=-(2**63), max_value=2**63 - 1)
KIND = {str: TEXT, float: FLOAT, int: INT}
TABLES = [t for t in schema.TABLES if t != "workspace"]


@st.composite
def rows(draw):
    table = draw(st.sampled_from(TABLES))
    fields = schema.TABLES[table]
    values = {}
    for name in draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=6)):
        values[name] = draw(st.one_of(st.none(), KIND[fields[name]]))
    return table, values


@st.composite
def histories(draw):
    """Rows created at various instants, some edited or deleted later."""
    steps = []
    for table, values in draw(st.lists(rows(), min_size=1, max_size=12)):
        later = draw(st.sampled_from([None, "edit", "delete"]))
        gap = draw(st.integers(min_value=0, max_value=10**9))
        edit = draw(rows()) if later == "edit" else None
        steps.append((table, values, later, gap, edit))
    return steps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(), start=st.integers(min_value=0, max_value=2 * 10**12))
def test_generated_workspaces_round_trip_byte_identical(history, start) -> None:
    now = datetime(2001, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=start)
    with tempfile.TemporaryDirectory() as folder:
        clock.freeze(now)
        try:
            store = init_workspace(
                Path(folder) / "w.db", name="Gen [b]", kickoff_date=date(2026, 1, 1), actor="gen"
            )
            made = []
            for table, values, later, gap, edit in history:
                made.append((table, store.create(table, values), later, gap, edit))
            for table, row_id, later, gap, edit in made:
                clock.freeze(now + timedelta(milliseconds=gap))
                if later == "delete":
                    store.delete(table, row_id)
                elif later == "edit":
                    fields = schema.TABLES[table]
                    changes = {
                        k: v
                        for k, v in edit[1].items()
                        if k in fields and fields[k] is schema.TABLES[edit[0]][k]
                    }
                    if changes:
                        store.update(table, row_id, changes, summary="edited")
            first, second, again = roundtrip(store, Path(folder))
            assert first == second
            again.close()
            store.close()
        finally:
            clock.freeze(None)


# ---------------------------------------------------------------------- hostile values (issue 12)


def test_csv_cells_that_start_like_formulas_are_text(demo: Store, tmp_path: Path) -> None:
    """OWASP CSV injection: a spreadsheet must show these as typed, never run them."""
    hostile = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1:A9)"]
    cards = [r["id"] for r in demo.rows("SELECT id FROM card ORDER BY id LIMIT 5")]
    for card, title in zip(cards, hostile):
        demo.update("card", card, {"title": title})
    demo.update("card", cards[4], {"description": "\tcmd|' /C calc'!A0"})
    kr = demo.row("SELECT id FROM key_result ORDER BY id LIMIT 1")["id"]
    demo.update("key_result", kr, {"baseline": -5.0})
    ex.write_csv(demo, tmp_path / "csv")
    with (tmp_path / "csv" / "card.csv").open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert [rows[c]["title"] for c in cards[:4]] == ["'" + t for t in hostile]
    assert rows[cards[4]]["description"] == "'\tcmd|' /C calc'!A0"
    with (tmp_path / "csv" / "key_result.csv").open(encoding="utf-8", newline="") as f:
        krs = {r["id"]: r for r in csv.DictReader(f)}
    assert krs[kr]["baseline"] == "-5.0"  # a number stays a number


def test_markdown_export_escapes_every_synced_value(demo: Store) -> None:
    """Dates and states from a teammate's log are untrusted too: no raw HTML in the document."""
    decision = demo.row("SELECT id FROM decision WHERE status = 'proposed' AND deleted = 0 LIMIT 1")
    if decision is None:
        decision = {"id": demo.create("decision", {"title": "Pick a vendor", "status": "proposed"})}
    demo.update(
        "decision", decision["id"], {"status": "proposed", "due": "<script>alert(1)</script>"}
    )
    risk = demo.row("SELECT id FROM risk WHERE deleted = 0 AND status != 'closed' LIMIT 1")["id"]
    demo.update("risk", risk, {"next_review": "<img src=x onerror=alert(2)>"})
    text = ex.review_markdown(demo)
    assert not re.search(r"(?<!\\)<", text)  # every < is escaped: no HTML gets through
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "\\<img src=x onerror=alert(2)\\>" in text
    decision_md = __import__("kickoff_tui.store.review", fromlist=["x"]).decision_markdown(
        demo, decision["id"]
    )
    assert not re.search(r"(?<!\\)<", decision_md) and "\\<script\\>" in decision_md
