"""The risk register in the store: saving, moving on the grid, deleting, undo and score history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kickoff_tui.store import risks as rk
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import Store
from kickoff_tui.store.workspace import init_workspace


def by_title(store: Store, title: str) -> dict:
    return dict(store.row("SELECT * FROM risk WHERE title = ?", (title,)))


def test_the_demo_register_ranks_by_score_and_flags_what_needs_attention(demo: Store) -> None:
    register = rk.register(demo)
    assert [r["num"] for r in register] == [1, 4, 7, 2, 3, 5, 8, 6]
    assert [r["score"] for r in register] == [20, 16, 12, 12, 9, 6, 5, 4]
    api = register[0]
    assert (api["residual_score"], api["band"], api["residual_band"]) == (8, "high", "medium")
    assert api["owner_name"] == "Ben Okafor" and api["card_num"] == 10
    assert api["objective_title"] == "Make the platform reliable enough to sell"
    flagged = rk.needing_attention(register)
    assert [(r["num"], r["flags"]) for r in flagged] == [
        (7, ["review overdue", "no owner", "no mitigation"]),
        (2, ["review overdue"]),
    ]
    assert not any(r["conflict"] for r in register)


def test_a_new_risk_gets_its_review_date_from_its_band(workspace: Store) -> None:
    from kickoff_tui import clock

    clock.freeze("2026-11-23T09:00:00Z")
    high = rk.save_risk(workspace, {"title": "High", "likelihood": 3, "impact": 4})
    medium = rk.save_risk(workspace, {"title": "Medium", "likelihood": 2, "impact": 5})
    low = rk.save_risk(workspace, {"title": "Low", "likelihood": 2, "impact": 2})
    chosen = rk.save_risk(
        workspace,
        {"title": "Chosen", "likelihood": 5, "impact": 5, "next_review": date(2026, 11, 30)},
    )
    assert workspace.get("risk", high)["next_review"] == "2026-12-07"
    assert workspace.get("risk", medium)["next_review"] == "2026-12-23"
    assert workspace.get("risk", low)["next_review"] == "2027-02-21"
    assert workspace.get("risk", chosen)["next_review"] == "2026-11-30"
    assert workspace.get("risk", high)["status"] == "open"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": "  "}, "Title can't be empty"),
        ({"title": "x", "likelihood": 6}, "Likelihood must be a whole number from 1"),
        (
            {"title": "x", "likelihood": 2, "impact": 2, "residual_likelihood": 3},
            "Residual likelihood (Possible) can't be higher than the likelihood before mitigation",
        ),
        ({"title": "x", "treatment": "ignore"}, "Treatment is one of mitigate, accept"),
        ({"title": "x", "status": "done"}, "Status is one of open, mitigating, closed, accepted"),
        ({"title": "x", "due": "soon"}, "The mitigation due date must be a date"),
        ({"title": "x", "colour": "red"}, "A risk has no field 'colour'"),
    ],
)
def test_bad_risks_are_refused_with_a_sentence_and_nothing_is_saved(
    workspace: Store, values: dict, message: str
) -> None:
    with pytest.raises(InvalidEdit, match=message.replace("(", r"\(").replace(")", r"\)")):
        rk.save_risk(workspace, values)
    assert workspace.rows("SELECT * FROM risk") == []
    assert workspace.rows("SELECT * FROM activity WHERE entity = 'risk'") == []


def test_a_date_typed_with_spaces_around_it_is_read_as_the_day(workspace: Store) -> None:
    """Risks read their dates like the kickoff page does (stakeholders.iso_day): padded text is
    the day it names, a date object its day."""
    rid = rk.save_risk(
        workspace, {"title": "x", "due": " 2026-12-24 ", "next_review": date(2026, 12, 1)}
    )
    row = workspace.get("risk", rid)
    assert (row["due"], row["next_review"]) == ("2026-12-24", "2026-12-01")


def test_moving_a_risk_changes_its_levels_in_one_undoable_edit(demo: Store) -> None:
    api = by_title(demo, "API can't take 3× traffic")  # 4 × 5, residual 2 × 4
    assert rk.move_risk(demo, api["id"], -1, 0) == (3, 5)
    row = demo.get("risk", api["id"])
    assert (row["likelihood"], row["impact"]) == (3, 5)
    assert demo.row("SELECT summary FROM activity ORDER BY at DESC, id DESC LIMIT 1")[0] == (
        "Moved R1 API can't take 3× traffic (inherent) to Possible × Severe (15, high)"
    )
    demo.undo(demo.last_change)
    row = demo.get("risk", api["id"])
    assert (row["likelihood"], row["impact"]) == (4, 5)


def test_lowering_the_inherent_risk_brings_the_residual_down_with_it(demo: Store) -> None:
    api = by_title(demo, "API can't take 3× traffic")  # residual 2 × 4
    rk.move_risk(demo, api["id"], 0, -1)
    rk.move_risk(demo, api["id"], 0, -1)  # impact 3: the residual impact 4 must follow
    row = demo.get("risk", api["id"])
    assert (row["likelihood"], row["impact"]) == (4, 3)
    assert (row["residual_likelihood"], row["residual_impact"]) == (2, 3)


def test_residual_moves_stay_at_or_below_the_inherent_risk(demo: Store) -> None:
    soc2 = by_title(demo, "SOC 2 auditor slot slips")  # 3 × 4, residual 2 × 3
    assert rk.move_risk(demo, soc2["id"], 1, 0, residual=True) == (3, 3)
    with pytest.raises(
        InvalidEdit,
        match=r"R2's residual risk can't be above its inherent risk "
        r"\(Possible × Major\)",
    ):
        rk.move_risk(demo, soc2["id"], 1, 0, residual=True)
    sre = by_title(demo, "Second SRE hire takes over 60 days")  # no residual yet: starts inherent
    assert rk.move_risk(demo, sre["id"], -1, 0, residual=True) == (3, 3)
    row = demo.get("risk", sre["id"])
    assert (row["residual_likelihood"], row["residual_impact"]) == (3, 3)


def test_a_move_off_the_grid_is_refused_and_writes_nothing(demo: Store) -> None:
    free_tier = by_title(demo, "Competitor launches a free tier")  # 1 × 5
    before = demo.row("SELECT count(*) FROM operation")[0]
    with pytest.raises(InvalidEdit, match="R8's position is already at the lowest likelihood"):
        rk.move_risk(demo, free_tier["id"], -1, 0)
    with pytest.raises(InvalidEdit, match="already at the highest impact"):
        rk.move_risk(demo, free_tier["id"], 0, 1)
    assert demo.row("SELECT count(*) FROM operation")[0] == before


def test_delete_and_undo(demo: Store) -> None:
    pipeline = by_title(demo, "Pipeline costs double")
    rk.delete_risk(demo, pipeline["id"])
    assert [r["num"] for r in rk.register(demo)] == [1, 4, 7, 2, 3, 5, 8]
    with pytest.raises(InvalidEdit, match="That risk no longer exists"):
        rk.move_risk(demo, pipeline["id"], 1, 0)
    demo.undo(demo.last_change)
    assert 6 in [r["num"] for r in rk.register(demo)]


def test_the_score_history_lists_each_change_with_when_and_who(demo: Store) -> None:
    from kickoff_tui import clock

    api = by_title(demo, "API can't take 3× traffic")
    clock.freeze("2026-11-24T10:00:00Z")
    rk.move_risk(demo, api["id"], -1, 0)
    rk.save_risk(
        demo, {"title": "API can't take 3× traffic", "mitigation": "More replicas"}, api["id"]
    )  # no level changed: no history entry
    clock.freeze("2026-11-25T10:00:00Z")
    rk.save_risk(
        demo,
        {"title": "API can't take 3× traffic", "residual_likelihood": 1, "residual_impact": 3},
        api["id"],
    )
    history = rk.score_history(demo, api["id"])
    assert [(e.at[:10], e.by, e.score, e.residual_score) for e in history] == [
        ("2026-11-23", "Ana Silva", 20, 8),
        ("2026-11-24", "Ana Silva", 15, 8),
        ("2026-11-25", "Ana Silva", 15, 3),
    ]
    assert (history[1].likelihood, history[1].impact) == (3, 5)
    # undo is a change of its own, so the history shows the levels coming back
    demo.undo(demo.last_change)
    assert rk.score_history(demo, api["id"])[-1].residual_score == 8


def test_a_teammates_moves_arrive_in_the_history_by_sync(tmp_path: Path) -> None:
    a = init_workspace(tmp_path / "a.db", name="T", kickoff_date=date(2026, 10, 17), actor="ana")
    a.create("person", {"handle": "ben", "name": "Ben Okafor"})
    risk_id = rk.save_risk(a, {"title": "Outage", "likelihood": 2, "impact": 3})
    b = Store(tmp_path / "b.db", create=True, actor="ben")
    b.apply(a.operations())
    rk.move_risk(b, risk_id, 1, 0)
    a.apply(b.operations())
    history = rk.score_history(a, risk_id)
    assert [(e.by, e.likelihood, e.impact) for e in history] == [
        ("ana", 2, 3),
        ("Ben Okafor", 3, 3),
    ]
    assert a.get("risk", risk_id)["likelihood"] == 3


def test_a_risk_edited_on_two_machines_at_once_is_marked(tmp_path: Path) -> None:
    a = init_workspace(tmp_path / "a.db", name="T", kickoff_date=date(2026, 10, 17), actor="ana")
    risk_id = rk.save_risk(a, {"title": "Outage", "likelihood": 2, "impact": 3})
    b = Store(tmp_path / "b.db", create=True, actor="ben")
    b.apply(a.operations())
    rk.move_risk(a, risk_id, 1, 0)  # ana: likelihood 2 -> 3
    rk.move_risk(b, risk_id, 0, 1)  # ben: impact 3 -> 4 (only his: no conflict)
    rk.move_risk(b, risk_id, -1, 0)  # ben: likelihood 2 -> 1, against ana's 3
    a.apply(b.operations())
    [marked] = rk.register(a)
    assert marked["conflict"] is True
