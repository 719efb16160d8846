"""`kickoff minutes`: the Markdown a team pastes into chat, checked against a golden file.

The golden file (tests/e2e/golden/minutes.md) is read by eye: regenerate it with
`KICKOFF_UPDATE_GOLDEN=1 python -m pytest tests/e2e/test_minutes.py` and look at the diff.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from kickoff_tui import clock
from kickoff_tui.exits import NOT_FOUND
from kickoff_tui.store import standups
from kickoff_tui.store.workspace import init_workspace
from tests.conftest import kickoff_cmd, subprocess_env

GOLDEN = Path(__file__).parent / "golden" / "minutes.md"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
LATER = "2026-11-23T12:00:00Z"


def kickoff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=LATER),
        timeout=120,
    )


def at(seconds: float) -> None:
    clock.freeze(T0 + timedelta(seconds=seconds))


def make_standup(path: Path) -> str:
    """A standup in Paris time with four people, one away, text full of Markdown syntax,
    blockers in every state, a decision and a check-in; ended with one blocker unowned."""
    at(-86400)
    store = init_workspace(
        path,
        name="Atlas *launch* [beta]",
        kickoff_date=date(2026, 10, 17),
        timezone="Europe/Paris",
        actor="ana",
    )
    with store.transaction() as tx:
        p = {
            h: tx.create("person", {"handle": h, "name": n})
            for h, n in (
                ("ana", "Ana Silva"),
                ("ben", "Ben_Okafor"),
                ("cho", "Chloé <Martin>"),
                ("dev", "Dev Patel"),
            )
        }
        obj = tx.create("objective", {"title": "Launch", "owner_id": p["ana"]})
        kr = tx.create(
            "key_result",
            {
                "objective_id": obj,
                "title": "Weekly *active* teams",
                "kind": "increase_to",
                "unit": "teams",
                "baseline": 40,
                "target": 120,
                "current": 71,
                "owner_id": p["ana"],
            },
        )
        card = tx.create(
            "card",
            {
                "title": "Run the load test | 3× traffic",
                "rag": "red",
                "state": "blocked",
                "owner_id": p["ben"],
            },
        )
    old = standups.raise_blocker(
        store, text="Old one, resolved in the meeting", raised_by=p["dev"], owner_id=p["dev"]
    )
    at(0)
    sid = standups.start(store, p["ana"])
    store.update(
        "standup",
        sid,
        {"speaker_order": f'["{p["ana"]}", "{p["ben"]}", "{p["cho"]}", "{p["dev"]}"]'},
    )
    standups.set_away(store, sid, p["dev"], True)
    standups.give_floor(store, sid, p["ana"])
    standups.save_field(store, sid, p["ana"], "done", "Shipped **v2** of the [brief](http://x)")
    standups.save_field(store, sid, p["ana"], "next", "# not a heading\n- nor a list")
    standups.check_in(store, kr, value=75, confidence=6, note="Two *big* teams", author_id=p["ana"])
    at(150)
    standups.step_speaker(store, sid, 1)
    standups.save_field(store, sid, p["ben"], "done", "Load test `prep` <script>")
    standups.save_field(store, sid, p["ben"], "blockers", "Need prod access & a DBA")
    standups.raise_blocker(
        store,
        text="Need prod access & a DBA",
        raised_by=p["ben"],
        owner_id=p["ana"],
        card_id=card,
        standup_id=sid,
    )
    standups.record_decision(
        store,
        title="Load test on staging, not prod",
        outcome="Book the staging cluster for Thu",
        owner_id=p["ben"],
        due=date(2026, 11, 26),
        rag="yellow",
        standup_id=sid,
    )
    at(330)
    standups.step_speaker(store, sid, 1)
    standups.raise_blocker(
        store, text="Legal hasn't read the DPA ~yet~", raised_by=p["cho"], standup_id=sid
    )
    standups.record_decision(
        store, title="Drop the **free** tier", owner_id=None, rag="red", standup_id=sid
    )
    at(400)
    standups.toggle_pause(store, sid)
    at(520)
    standups.toggle_pause(store, sid)
    standups.resolve_blocker(store, old)
    store.update("blocker", old, {"standup_id": sid})
    at(610)
    standups.end(store, sid, anyway=True)
    store.close()
    clock.freeze(None)
    return sid


def test_minutes_match_the_golden_file(tmp_path: Path) -> None:
    make_standup(tmp_path / "w.db")
    result = kickoff("minutes", "--last", "--db", str(tmp_path / "w.db"))
    assert result.returncode == 0, result.stderr
    if os.environ.get("KICKOFF_UPDATE_GOLDEN"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    # rendered, the user text adds no links, emphasis, code, HTML or strike-through
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("strikethrough").render(result.stdout)
    for tag in ("<a ", "<em>", "<code>", "<script", "<del>", "<h3", "<ol"):
        assert tag not in html, tag
    assert html.count("<h2>") == 4 and html.count("<h1>") == 1
    # the same standup by number, by date, and written to a file
    assert (
        kickoff("minutes", "--standup", "S1", "--db", str(tmp_path / "w.db")).stdout
        == result.stdout
    )
    assert (
        kickoff("minutes", "--standup", "2026-11-23", "--db", str(tmp_path / "w.db")).stdout
        == result.stdout
    )
    out = tmp_path / "minutes.md"
    written = kickoff("minutes", "--out", str(out), "--db", str(tmp_path / "w.db"))
    assert written.returncode == 0 and written.stdout == ""
    assert f"Wrote the minutes to {out}" in written.stderr
    assert out.read_text(encoding="utf-8") == result.stdout


def test_publish_marks_the_decisions_published(tmp_path: Path) -> None:
    make_standup(tmp_path / "w.db")
    result = kickoff("minutes", "--publish", "--db", str(tmp_path / "w.db"))
    assert result.returncode == 0 and "Marked 2 decisions as published." in result.stderr
    import sqlite3

    published = (
        sqlite3.connect(tmp_path / "w.db").execute("SELECT published_at FROM decision").fetchall()
    )
    assert published == [("2026-11-23T12:00:00.000Z",)] * 2


def test_minutes_problems_are_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    init_workspace(db, name="E", kickoff_date=date(2026, 10, 17)).close()
    result = kickoff("minutes", "--db", str(db))
    assert result.returncode == NOT_FOUND and "There are no standups yet" in result.stderr
    result = kickoff("minutes", "--standup", "S9", "--db", str(db))
    assert result.returncode == NOT_FOUND and "There is no standup 'S9'" in result.stderr
    result = kickoff("minutes", "--standup", "S1", "--last", "--db", str(db))
    assert result.returncode == 2 and "either --standup or --last" in result.stderr
    result = kickoff("minutes", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 2 and "No workspace at" in result.stderr
    for r in (result,):
        assert "Traceback" not in r.stderr


def test_minutes_does_not_import_textual(tmp_path: Path) -> None:
    make_standup(tmp_path / "w.db")
    probe = subprocess.run(
        [
            *kickoff_cmd()[:1],
            "-c",
            f"import sys; sys.argv=['kickoff','minutes','--db',{str(tmp_path / 'w.db')!r}]\n"
            "from kickoff_tui.cli import main\n"
            "try:\n    main()\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=LATER),
        timeout=60,
    )
    assert probe.stdout.strip().splitlines()[-1] == "[]"
