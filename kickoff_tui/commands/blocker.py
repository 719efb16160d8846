"""`kickoff blocker list`: blockers raised in standups, as a table or as JSON.

No Textual here: the command reads the workspace (store/standups.py) and prints.
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

#: The fields of `blocker list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "num",
    "id",
    "text",
    "owner",
    "owner_name",
    "raised_by_name",
    "raised_at",
    "resolved_at",
    "age_days",
    "needs_owner",
    "card",
)


@click.group()
def blocker() -> None:
    """Blockers raised in standups (owner, age, resolved or not)."""


@blocker.command("list")
@click.option("--open", "only_open", is_flag=True, help="Only blockers not resolved yet.")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, only_open: bool, as_json: bool, db: str | None) -> None:
    """Print the blockers, oldest first, with owner, age and whether they are resolved.

    \b
    Examples:
      kickoff blocker list --open
      kickoff blocker list --json | jq '[.[] | select(.needs_owner)] | length'
    """
    from kickoff_tui.store import standups

    store = open_store(_db(ctx, db))
    rows = standups.open_blockers(store, resolved=not only_open)
    store.close()
    if as_json:
        echo_json(
            [
                {
                    "num": b["num"],
                    "id": b["id"],
                    "text": b["text"],
                    "owner": b["owner_handle"],
                    "owner_name": b["owner_name"],
                    "raised_by_name": b["raised_by_name"],
                    "raised_at": b["raised_at"],
                    "resolved_at": b["resolved_at"],
                    "age_days": b["age_days"],
                    "needs_owner": bool(b["overdue"]),
                    "card": f"#{b['card_num']}" if b["card_num"] else None,
                }
                for b in rows
            ]
        )
        return
    if not rows:
        click.echo("No open blockers." if only_open else "No blockers yet.")
        return
    echo_table(
        ("#", "Blocker", "Owner", "Raised by", "Age", "Card", "Resolved"),
        [
            (
                f"B{b['num']}",
                cut(b["text"], 44),
                b["owner_name"] or ("no owner, overdue" if b["overdue"] else "no owner"),
                b["raised_by_name"] or "-",
                f"{b['age_days']}d",
                f"#{b['card_num']}" if b["card_num"] else "-",
                (b["resolved_at"] or "open")[:10],
            )
            for b in rows
        ],
        fill=1,
    )
