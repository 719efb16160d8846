"""`kickoff minutes`: a standup's minutes as Markdown, ready to paste into the team's chat.

No Textual here: the command reads the workspace and prints (or writes) text.
"""

from __future__ import annotations

from pathlib import Path

import click

from kickoff_tui.cli import _db, complete_numbers, db_option, fail, guarded, not_found, open_store


@click.command()
@click.option(
    "--standup",
    "ref",
    metavar="ID",
    shell_complete=complete_numbers("standup", "S", "held_on"),
    help="Which standup: its number (S2 or 2), its date (2026-11-16) or its id.",
)
@click.option("--last", is_flag=True, help="The standup that ended last (the default).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the minutes to this file (replacing it) instead of printing them.",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Also mark the standup's decisions as published now (the 24-hour rule).",
)
@db_option
@click.pass_context
@guarded
def minutes(
    ctx: click.Context, ref: str | None, last: bool, out: str | None, publish: bool, db: str | None
) -> None:
    """Print a standup's minutes as Markdown: who spoke, blockers with owners, decisions with
    owners, deadlines and RAG status, key-result check-ins."""
    from kickoff_tui.rules.minutes import render
    from kickoff_tui.store import standups

    if ref and last:
        raise click.UsageError("Give either --standup or --last, not both.")
    store = open_store(_db(ctx, db))
    if ref:
        standup_id = standups.resolve_standup(store, ref)
        if standup_id is None:
            not_found(f"There is no standup {ref!r}; `kickoff standup list` shows their numbers.")
    else:
        found = standups.last_ended(store) or standups.running(store)
        if found is None:
            not_found("There are no standups yet: start one on the standup screen (key 4, then s).")
        standup_id = found["id"]
    if publish:
        count = standups.publish_decisions(store, standup_id)
        click.echo(f"Marked {count} decision{'s' if count != 1 else ''} as published.", err=True)
    text = render(standups.minutes(store, standup_id))
    store.close()
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"Can't write {out}: {exc.strerror or exc}.", 2)
        click.echo(f"Wrote the minutes to {out}", err=True)
    else:
        click.echo(text, nl=False)
