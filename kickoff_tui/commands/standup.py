"""`kickoff standup list`: the standups held, as a table or as JSON.

No Textual here: the command reads the workspace (store/standups.py) and prints. The minutes of
one standup are `kickoff minutes`.
"""

from __future__ import annotations

import click

from kickoff_tui.cli import _db, db_option, echo_json, echo_table, guarded, json_option, open_store

#: The fields of `standup list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "num",
    "id",
    "held_on",
    "started_at",
    "ended_at",
    "seconds",
    "attendees",
    "blockers_raised",
    "blockers_resolved",
    "decisions",
)


@click.group()
def standup() -> None:
    """Standups: when they were held, who came, blockers and decisions."""


@standup.command("list")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print every standup, newest first (the minutes of one: `kickoff minutes --standup S2`).

    \b
    Examples:
      kickoff standup list
      kickoff standup list --json | jq '.[0].attendees'
    """
    from kickoff_tui.store import standups

    store = open_store(_db(ctx, db))
    rows = standups.past(store, limit=None)
    store.close()
    if as_json:
        echo_json([{k: s[k] for k in JSON_FIELDS} for s in rows])
        return
    if not rows:
        click.echo("No standups yet: start one on the standup screen (key 4, then s).")
        return
    echo_table(
        ("#", "Held on", "Length", "Attended", "Blockers", "Decisions", "State"),
        [
            (
                f"S{s['num']}",
                s["held_on"] or "-",
                f"{s['seconds'] // 60} min" if s["seconds"] is not None else "-",
                str(s["attendees"]),
                f"{s['blockers_raised']} ({s['blockers_resolved']} resolved)",
                str(s["decisions"]),
                "ended" if s["ended_at"] else "running",
            )
            for s in rows
        ],
    )
