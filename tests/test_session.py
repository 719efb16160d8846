"""The session between screens and store: edits are undoable, refusals reported, changes seen."""

from __future__ import annotations

import sqlite3

from kickoff_tui.session import Session
from kickoff_tui.store import cards


def _titles(store) -> list[str]:
    return [card["title"] for card in cards.board(store)]


def test_an_edit_can_be_undone_and_listeners_hear_of_both(workspace) -> None:
    heard: list[object] = []
    session = Session(workspace)
    session.subscribe(heard.append)
    card_id = session.edit(cards.create_card, workspace, {"title": "Book the kickoff room"})
    assert card_id and _titles(workspace) == ["Book the kickoff room"]
    assert len(heard) == 1 and heard[0] is not None and session.generation == 1
    assert "Book the kickoff room" in (session.undo() or "") and session.generation == 2
    assert _titles(workspace) == []
    assert heard[-1] is None
    assert session.undo() is None  # nothing left to undo


def test_a_refused_edit_is_reported_once_and_not_put_on_the_undo_stack(workspace) -> None:
    said: list[tuple[str, str]] = []
    session = Session(workspace, report=lambda message, title: said.append((title, message)))
    assert session.edit(cards.create_card, workspace, {"title": "   "}) is None
    assert said and said[0][0] == "Not saved" and session.undo_stack == []
    assert session.generation == 0


def test_poll_sees_a_commit_by_another_program(workspace) -> None:
    session = Session(workspace)
    session.start()
    assert session.poll() is False
    other = sqlite3.connect(workspace.path)
    other.execute("update workspace set name = 'Renamed elsewhere'")
    other.commit()
    other.close()
    assert session.behind() is True
    assert session.poll() is True
    assert session.workspace["name"] == "Renamed elsewhere"
    assert session.behind() is False
