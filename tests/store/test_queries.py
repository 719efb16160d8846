"""Named read functions the screens use instead of SQL (store/queries.py)."""

from __future__ import annotations

from kickoff_tui.store import queries
from kickoff_tui.store import risks as rk
from kickoff_tui.store.ops import Store


def test_titles_are_the_live_rows_by_number_and_a_deleted_one_keeps_the_others_numbers(
    workspace: Store,
) -> None:
    first = rk.save_risk(workspace, {"title": "Vendor late", "likelihood": 3, "impact": 4})
    gone = rk.save_risk(workspace, {"title": "Room lost", "likelihood": 1, "impact": 1})
    third = rk.save_risk(workspace, {"title": "Key person leaves", "likelihood": 2, "impact": 5})
    rk.delete_risk(workspace, gone)

    assert queries.titles(workspace, "risk") == [
        {"id": first, "num": 1, "title": "Vendor late"},
        {"id": third, "num": 3, "title": "Key person leaves"},
    ]
    # a picker's label and a loop sentence show the same numbers, deleted rows included
    assert queries.numbers(workspace, "risk", [third, gone, third]) == {third: 3, gone: 2}
    assert queries.numbers(workspace, "risk", []) == {}
