"""A date from another machine's sync log is exactly an ISO day (or, for a due, a day and a
time): "2026-12-03 junk" is held with a sentence, never stored as if it were 3 December.

Real folders and real SQLite files in tmp dirs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kickoff_tui.store import sync
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.opformat import read_op
from tests.store.test_sync import log_of, team
from tests.store.test_sync_untrusted import LINE, append, forged_line


@pytest.mark.parametrize(
    ("table", "field", "value", "sentence"),
    [
        ("card", "due", "2026-12-03 junk", "card.due must be a date, not '2026-12-03 junk'"),
        ("card", "due", "2026-12-03junk", "card.due must be a date, not '2026-12-03junk'"),
        ("risk", "next_review", "2026-02-30", "risk.next_review must be a date, not '2026-02-30'"),
        (
            "workspace",
            "kickoff_date",
            "2026-12-01 junk",
            "workspace.kickoff_date must be a date (YYYY-MM-DD), not '2026-12-01 junk'",
        ),
        (
            "okr_review",
            "held_on",
            "2026-12-03T09:00:00Z",
            "okr_review.held_on must be a date (YYYY-MM-DD), not '2026-12-03T09:00:00Z'",
        ),
        (
            "kpi_reading",
            "at",
            "20261203",
            "kpi_reading.at must be a date (YYYY-MM-DD), not '20261203'",
        ),
    ],
)
def test_a_date_that_is_not_exactly_a_day_is_refused_with_a_sentence(
    table: str, field: str, value: str, sentence: str
) -> None:
    line = {**LINE, "table": table, "field": field, "value": value}
    with pytest.raises(InvalidEdit) as refused:
        read_op(line)
    assert refused.value.message == f"Operation ana1:7: {sentence}."
    # The same value in a row's first values is refused the same way.
    created = {**LINE, "table": table, "field": "*", "value": {field: value}}
    with pytest.raises(InvalidEdit) as refused:
        read_op(created)
    assert refused.value.message == f"Operation ana1:7: {sentence}."


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("card", "due", "2026-12-03"),
        ("card", "due", "2026-12-03T17:00:00.000Z"),
        ("decision", "due", "2026-12-03 17:00"),
        ("workspace", "kickoff_date", "2026-12-01"),
        ("okr_review", "held_on", "2028-02-29"),
    ],
)
def test_a_day_or_a_due_with_its_time_still_reads(table: str, field: str, value: str) -> None:
    assert read_op({**LINE, "table": table, "field": field, "value": value}).value == value


def test_a_due_with_junk_after_the_day_is_held_and_the_card_keeps_its_due(tmp_path: Path) -> None:
    ana, ben = team(tmp_path)
    card = ana.create("card", {"title": "Plan", "due": "2026-12-10"}, summary="c")
    sync.sync(ana)
    log = log_of(ana)
    append(log, forged_line(ana, 9000, "card", card, "due", "2026-12-03 junk"))
    n_bad = len(log.read_bytes().splitlines())
    append(log, forged_line(ana, 9001, "card", card, "rag", "red"))  # a good line after it
    result = sync.sync(ben)
    assert ben.get("card", card)["due"] == "2026-12-10"
    assert ben.get("card", card)["rag"] == "red"
    why = f"Operation {ana.replica}:9000: card.due must be a date, not '2026-12-03 junk'"
    assert [(p.line, p.reason) for p in result.problems] == [(n_bad, f"{why}; quarantined")]
    assert [p.reason for p in sync.held(ben)] == [f"{why}; quarantined"]
