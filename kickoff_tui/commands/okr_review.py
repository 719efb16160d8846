"""`kickoff okr-review list`: the monthly OKR reviews held, as a table or as JSON.

No Textual here: the command reads store/okr_review.py's list and prints. The review itself is
held in the app (OKRs screen, R); its Markdown is `kickoff export --format md --okr-review last`.
"""

from __future__ import annotations

import click

from kickoff_tui.cli import (
    _db,
    cut,
    db_option,
    echo_json,
    echo_table,
    guarded,
    json_option,
    open_store,
)


@click.group("okr-review")
def okr_review() -> None:
    """The monthly OKR reviews (verdicts on each objective and key result)."""


@okr_review.command("list")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print the reviews, newest first: day, attendees, verdicts and how many changed something.

    \b
    Examples:
      kickoff okr-review list
      kickoff okr-review list --json
      kickoff export --format md --okr-review last
    """
    from kickoff_tui.store import okr_review as orv

    store = open_store(_db(ctx, db))
    rows = orv.reviews(store)
    store.close()
    if as_json:
        echo_json(
            [
                {
                    "id": r["id"],
                    "held_on": r["held_on"],
                    "attendees": r["attendee_names"],
                    "verdicts": r["verdicts"],
                    "changes": r["changes"],
                    "ended": bool(r["ended_at"]),
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo("No OKR reviews yet: hold one from the OKRs screen (key 2, then R).")
        return
    echo_table(
        ("Day", "Verdicts", "Changes", "State", "Attendees"),
        [
            (
                r["held_on"] or "-",
                str(r["verdicts"]),
                str(r["changes"]),
                "ended" if r["ended_at"] else "running",
                cut(", ".join(r["attendee_names"]), 60),
            )
            for r in rows
        ],
        fill=4,
    )
