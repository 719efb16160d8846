"""`kickoff retro list`: the retrospectives held, as a table or as JSON.

No Textual here. The retro itself is held in the app (palette: Retrospective); its Markdown is
`kickoff export --format md --retro last`.
"""

from __future__ import annotations

import click

from kickoff_tui.cli import _db, db_option, echo_json, echo_table, guarded, json_option, open_store


@click.group()
def retro() -> None:
    """Retrospectives: went well, didn't go well, change; votes and actions."""


@retro.command("list")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print the retros, newest first: day, plan day, items, votes and actions.

    \b
    Examples:
      kickoff retro list
      kickoff retro list --json
      kickoff export --format md --retro last
    """
    from kickoff_tui.store import retro as rt

    store = open_store(_db(ctx, db))
    rows = rt.retros(store)
    store.close()
    if as_json:
        echo_json(
            [
                {
                    "id": r["id"],
                    "held_on": r["held_on"],
                    "day": r["day"],
                    "items": r["items"],
                    "votes": r["votes"],
                    "actions": r["actions"],
                    "ended": bool(r["ended_at"]),
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo("No retrospectives yet: start one from the palette (ctrl+p, Retrospective).")
        return
    echo_table(
        ("Day", "Plan day", "Items", "Votes", "Actions", "State"),
        [
            (
                r["held_on"] or "-",
                str(r["day"] if r["day"] is not None else "-"),
                str(r["items"]),
                str(r["votes"]),
                str(r["actions"]),
                "ended" if r["ended_at"] else "running",
            )
            for r in rows
        ],
    )
