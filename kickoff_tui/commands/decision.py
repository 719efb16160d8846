"""`kickoff decision list`: the decision log on standard output, as a table or as JSON.

No Textual here: the command reads the workspace (store/review.py's decision log) and prints.
"""

from __future__ import annotations

from typing import Any

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

#: The fields of `decision list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "num",
    "id",
    "title",
    "status",
    "owner",
    "owner_name",
    "due",
    "decided_at",
    "published_at",
    "late",
    "card",
    "kr",
    "risk",
    "supersedes",
    "superseded_by",
)


@click.group()
def decision() -> None:
    """The decision log (proposed, accepted, rejected, superseded; published or not)."""


def _ref(prefix: str, num: Any) -> str | None:
    return f"{prefix}{num}" if num else None


def _unpublished(d: dict[str, Any]) -> bool:
    """Decided (accepted or rejected) and not published yet: what the 24-hour rule is about."""
    return d["status"] in ("accepted", "rejected") and not d["published_at"]


@decision.command("list")
@click.option(
    "--unpublished",
    is_flag=True,
    help="Only decisions decided (accepted or rejected) but not published yet.",
)
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, unpublished: bool, as_json: bool, db: str | None) -> None:
    """Print the decisions, newest first, with status, owner and publication.

    \b
    Examples:
      kickoff decision list
      kickoff decision list --unpublished --json
    """
    from kickoff_tui.store import review

    store = open_store(_db(ctx, db))
    rows = [d for d in review.decision_log(store) if not unpublished or _unpublished(d)]
    store.close()
    if as_json:
        echo_json(
            [
                {
                    "num": d["num"],
                    "id": d["id"],
                    "title": d["title"],
                    "status": d["status"],
                    "owner": d["owner_handle"],
                    "owner_name": d["owner_name"],
                    "due": d["due"],
                    "decided_at": d["decided_at"],
                    "published_at": d["published_at"],
                    "late": d["late"],
                    "card": _ref("#", d["card_num"]),
                    "kr": _ref("KR", d["kr_num"]),
                    "risk": _ref("R", d["risk_num"]),
                    "supersedes": _ref("D", d["supersedes_num"]),
                    "superseded_by": _ref("D", d["superseded_by_num"]),
                }
                for d in rows
            ]
        )
        return
    if not rows:
        click.echo(
            "No unpublished decisions."
            if unpublished
            else "No decisions yet: record one on the decision log (key 6, then n)."
        )
        return
    echo_table(
        ("#", "Decision", "Status", "Owner", "Decided", "Published"),
        [
            (
                f"D{d['num']}",
                cut(d["title"], 44),
                d["status"] or "",
                d["owner_handle"] or d["owner_name"] or "-",
                (d["decided_at"] or "-")[:10],
                (d["published_at"] or ("late" if d["late"] else "-"))[:10],
            )
            for d in rows
        ],
        fill=1,
    )
