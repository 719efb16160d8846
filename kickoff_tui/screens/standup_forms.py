"""The standup screen's forms and questions: what each asks, built from plain choices.

Each function returns the modal the screen pushes (`push_screen_wait`); the screen reads the
choices from the store and writes the answer.
"""

from __future__ import annotations

from typing import Any

from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen

Choices = list[tuple[str, Any]]
RAG_CHOICES = [("green", "green"), ("yellow", "yellow"), ("red", "red")]


def _blocker_choices(rows: list[dict[str, Any]]) -> Choices:
    return [(f"B{b['num']} {b['text']}", b["id"]) for b in rows]


def start_again(num: int, at: str) -> ConfirmScreen:
    """Today's standup already ended: start another? Not a red button: starting one loses
    nothing (S{num} stays as it ended, and an empty new one is cancelled with x)."""
    return ConfirmScreen(
        f"Today's standup S{num} ended at {at}. Start another?",
        detail=f"S{num} stays as it is. x cancels a standup started by mistake, while "
        "nothing is in it.",
        yes="Start",
        no="Not now",
        destructive=False,
    )


def cancel_standup(num: int) -> ConfirmScreen:
    return ConfirmScreen(
        f"Cancel the standup S{num}?",
        detail="Nothing was recorded in it. ctrl+z brings it back.",
    )


def raise_blocker(title: str, people: Choices, cards: Choices, text: str | None) -> FormScreen:
    return FormScreen(
        title,
        [
            Field("text", "Blocker", required=True, max_len=300, value=text),
            Field(
                "owner_id",
                "Owner",
                kind="choice",
                choices=people,
                hint="who will clear it (can be set later with o)",
            ),
            Field(
                "card_id",
                "Card",
                kind="choice",
                choices=cards,
                hint="the card it holds up (optional)",
            ),
        ],
        submit="Raise",
    )


def own_blocker(rows: list[dict[str, Any]], people: Choices, chosen: str | None) -> FormScreen:
    return FormScreen(
        "Give a blocker an owner",
        [
            Field(
                "blocker_id",
                "Blocker",
                kind="choice",
                choices=_blocker_choices(rows),
                value=chosen,
                required=True,
            ),
            Field("owner_id", "Owner", kind="choice", choices=people, required=True),
        ],
        submit="Assign",
    )


def resolve_blocker(rows: list[dict[str, Any]], chosen: str | None) -> FormScreen:
    return FormScreen(
        "Resolve a blocker",
        [
            Field(
                "blocker_id",
                "Blocker",
                kind="choice",
                choices=_blocker_choices(rows),
                value=chosen,
                required=True,
            ),
        ],
        submit="Resolve",
    )


def which_kr(krs: Choices, first: str | None) -> FormScreen:
    return FormScreen(
        "Which key result?",
        [
            Field(
                "kr_id",
                "Key result",
                kind="choice",
                choices=krs,
                value=first,
                required=True,
            ),
        ],
        submit="Next",
    )


def decision(people: Choices, owner: str | None) -> FormScreen:
    return FormScreen(
        "Record a decision",
        [
            Field("title", "Decision", required=True, max_len=200),
            Field("outcome", "Outcome", max_len=500, hint="what was decided, in one sentence"),
            Field("owner_id", "Owner", kind="choice", choices=people, value=owner),
            Field("due", "Due", kind="date", hint="2026-12-24, +3d, next friday"),
            Field(
                "rag",
                "RAG",
                kind="choice",
                choices=RAG_CHOICES,
                value="green",
                required=True,
            ),
        ],
        submit="Record",
    )
