"""The review's read model and the decision log's writes, on real workspace files."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kickoff_tui import clock
from kickoff_tui.rules.okr import kr_progress
from kickoff_tui.store import review as rv
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store
from tests.screens.helpers import MARKUP_CORPUS


def test_the_review_of_the_demo_on_day_37(demo: Store) -> None:
    r = rv.build_review(demo)
    assert r.plan.day == 37 and r.plan.window == "60"
    assert r.plan.headline.startswith("Day 37 of 90 · 31–60 window (")
    assert r.since == r.plan.today - timedelta(days=7)
    # objectives and KRs use the OKR rules' progress, not a formula of their own
    assert [o.num for o in r.objectives] == [1, 2, 3]
    kr1 = r.objectives[0].key_results[0]
    assert kr1.title == "Weekly activated teams"
    assert kr1.progress == kr_progress("increase_to", 40, 120, 71)
    assert kr1.value_text == "71 → 120 teams" and kr1.pace == "behind"
    # board counts per window add up to the live cards
    total = demo.row("SELECT count(*) FROM card WHERE deleted = 0")[0]
    assert sum(w.total for w in r.windows) == total
    assert [w.current for w in r.windows] == [False, True, False, False]
    # late, blocked or red cards that aren't done
    attention = {c.title: c.reasons for c in r.attention}
    assert attention["Run the load test at 3× traffic"] == ["blocked", "red", "2 days late"]
    assert attention["Draft the SOC 2 control list"] == ["7 days late"]
    assert "Write the kickoff brief and share it" not in attention  # done
    assert list(attention)[:2] == ["Run the load test at 3× traffic", "Hire a second SRE"]
    assert r.attention_total == len(r.attention)
    # top five risks by residual score
    assert len(r.risks) == 5
    scores = [x["residual_score"] for x in r.risks]
    assert scores == sorted(scores, reverse=True) and scores[0] == 12
    # open decisions: the proposal and the accepted-but-unpublished one (flagged)
    assert {d["title"]: d["late"] for d in r.decisions} == {
        "Postgres read replicas for reporting": False,
        "Delay annual plans to the 61–90 window": True,
    }
    assert [b["text"] for b in r.blockers] == [
        "Load-test environment not provisioned",
        "Recruiter hasn't shared the SRE shortlist",
        "Analytics vendor contract needs a signature",
    ]
    summaries = [a["summary"] for a in r.changes]
    assert "Blocked #13 Hire a second SRE" in summaries
    assert r.changes_total == len(r.changes)


def test_changes_since_a_chosen_day(demo: Store) -> None:
    today = rv.plan_day(demo).today
    few = rv.build_review(demo, since=today - timedelta(days=1))
    many = rv.build_review(demo, since=today - timedelta(days=30))
    assert few.changes_total < many.changes_total
    assert all(a["at"] >= rv.day_start_iso(today - timedelta(days=1), "UTC") for a in few.changes)
    assert "Blocked #13 Hire a second SRE" in [a["summary"] for a in few.changes]
    assert "Started #8 Sample data on sign-up" not in [a["summary"] for a in few.changes]


def test_day_start_is_local_midnight() -> None:
    assert rv.day_start_iso(date(2026, 11, 16), "Europe/Paris") == "2026-11-15T23:00:00.000Z"
    assert rv.day_start_iso(date(2026, 7, 1), "UTC") == "2026-07-01T00:00:00.000Z"


def _decision(store: Store, title: str) -> dict:
    return next(d for d in rv.decision_log(store) if d["title"] == title)


def test_accepting_stamps_decided_and_the_24_hour_flag_follows(workspace: Store) -> None:
    clock.freeze("2026-11-20T10:00:00Z")
    did = rv.save_decision(workspace, {"title": "Use Postgres", "status": "proposed"})
    assert workspace.get("decision", did)["decided_at"] is None
    rv.save_decision(workspace, {"status": "accepted"}, did)
    assert workspace.get("decision", did)["decided_at"] == "2026-11-20T10:00:00.000Z"
    clock.freeze("2026-11-21T09:59:00Z")
    assert _decision(workspace, "Use Postgres")["late"] is False
    clock.freeze("2026-11-21T10:01:00Z")
    assert _decision(workspace, "Use Postgres")["late"] is True
    assert rv.publish_decision(workspace, did) is True
    assert workspace.get("decision", did)["published_at"] == "2026-11-21T10:01:00.000Z"
    d = _decision(workspace, "Use Postgres")
    assert d["late"] is False and d["open"] is False
    assert rv.publish_decision(workspace, did) is False  # already published: nothing written
    rv.save_decision(workspace, {"status": "proposed"}, did)
    assert workspace.get("decision", did)["decided_at"] is None


def test_a_proposal_cannot_be_published(workspace: Store) -> None:
    did = rv.save_decision(workspace, {"title": "Maybe"})
    with pytest.raises(InvalidEdit, match="still proposed"):
        rv.publish_decision(workspace, did)
    assert workspace.get("decision", did)["published_at"] is None


def test_supersede_is_one_transaction_and_undoes_as_one(workspace: Store) -> None:
    old = rv.save_decision(workspace, {"title": "Standup on Monday", "status": "accepted"})
    new = rv.supersede_decision(
        workspace, old, {"title": "Standup on Tuesday", "status": "accepted"}
    )
    change = workspace.last_change
    assert workspace.get("decision", old)["status"] == "superseded"
    assert workspace.get("decision", new)["supersedes_id"] == old
    assert len({op.tx for op in change.ops}) == 1
    log = {d["title"]: d for d in rv.decision_log(workspace)}
    assert log["Standup on Tuesday"]["supersedes_num"] == 1
    assert log["Standup on Monday"]["superseded_by_num"] == 2
    with pytest.raises(InvalidEdit, match="already superseded"):
        rv.supersede_decision(workspace, old, {"title": "Again"})
    workspace.undo(change)
    assert workspace.get("decision", old)["status"] == "accepted"
    assert workspace.get("decision", new)["deleted"] == 1


def test_decision_links_and_markdown_entry(demo: Store) -> None:
    card = demo.row("SELECT id FROM card WHERE title LIKE 'Run the load test%'")["id"]
    risk = demo.row("SELECT id FROM risk WHERE title LIKE 'API%'")["id"]
    did = rv.save_decision(
        demo,
        {
            "title": "[bold]Replicas[/bold] *now*",
            "status": "accepted",
            "card_id": card,
            "risk_id": risk,
            "context": "- not a list\n# not a heading\nline <b>two</b>",
        },
    )
    d = _decision(demo, "[bold]Replicas[/bold] *now*")
    assert rv.decision_links(d) == [
        "card #10 Run the load test at 3× traffic",
        "risk R1 API can't take 3× traffic",
    ]
    text = rv.decision_markdown(demo, did)
    assert text.startswith("### D5 — \\[bold\\]Replicas\\[/bold\\] \\*now\\*\n")
    assert "- **Status:** accepted (green)" in text
    assert (
        "- **Affects:** card #10 Run the load test at 3× traffic; risk R1 API can't take 3× traffic"
        in text
    )
    assert "\\- not a list  \n\\# not a heading  \nline \\<b\\>two\\</b\\>" in text
    path = rv.write_decision_file(demo, did, text)
    assert path.name == "D5-bold-replicas-bold-now.md"
    assert path.parent == demo.path.resolve().with_name("demo-decisions")
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("text", MARKUP_CORPUS)
def test_markdown_escaping_keeps_user_text_literal(text: str) -> None:
    escaped = rv.md(text)
    assert "[" not in escaped.replace("\\[", "") and "]" not in escaped.replace("\\]", "")
    # Removing the escapes gives the text back.
    assert escaped.replace("\\", "") == text.replace("\\", "")


def test_a_big_board_lists_the_most_urgent_cards_and_counts_the_rest(demo: Store) -> None:
    from kickoff_tui.store.demo import add_generated_cards

    add_generated_cards(demo, 600)
    r = rv.build_review(demo)
    assert len(r.attention) == rv.MAX_ATTENTION < r.attention_total
    states = [c.state for c in r.attention]
    assert states == sorted(states, key=lambda s: s != "blocked")  # blocked ones first
    numbered = {
        row["id"]: row["num"]
        for row in demo.rows(
            "SELECT id, row_number() OVER (ORDER BY created_at, id) AS num FROM card"
        )
    }
    by_title = {
        row["title"]: numbered[row["id"]] for row in demo.rows("SELECT id, title FROM card")
    }
    assert all(by_title[c.title] == c.num for c in r.attention)


def test_a_blocker_whose_owner_left_the_team_needs_an_owner_in_the_review(workspace: Store) -> None:
    """One meaning of open blockers (store.standups.open_blockers): an owner removed from the
    team is no owner. The review had its own query that still named the removed person as
    owner and never flagged the blocker, while the standup asked for an owner."""
    from datetime import datetime, timezone

    from kickoff_tui.store import standups

    clock.freeze(datetime(2026, 11, 23, 9, tzinfo=timezone.utc))
    ana = workspace.create("person", {"handle": "ana", "name": "Ana"})
    ben = workspace.create("person", {"handle": "ben", "name": "Ben"})
    standups.raise_blocker(workspace, text="VPN down", raised_by=ana, owner_id=ben)
    workspace.delete("person", ben)
    clock.freeze(datetime(2026, 11, 25, 9, tzinfo=timezone.utc))
    review_rows = rv.build_review(workspace).blockers
    standup_rows = standups.open_blockers(workspace)
    assert [(b["text"], b["owner_name"], b["owner_overdue"]) for b in review_rows] == [
        ("VPN down", None, True)
    ]
    assert [(b["text"], b["owner_name"], b["overdue"]) for b in standup_rows] == [
        ("VPN down", None, True)
    ]
