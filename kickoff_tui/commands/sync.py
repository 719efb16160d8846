"""`kickoff sync`: share a workspace through a folder on a shared drive or in a git repository.

No Textual here. `kickoff sync init DIR` attaches this workspace to a sync folder,
`kickoff sync join DIR` makes a new local workspace from one, and `kickoff sync` exports my
operations, imports everyone else's (and, in git, commits, pulls and pushes).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kickoff_tui.cli import (
    _db,
    db_option,
    echo_json,
    fail,
    find_db,
    guarded,
    json_option,
    open_store,
)


def _report(result) -> None:
    """Print what came in; bad lines and refused logs go to stderr (refusals exit non-zero)."""
    click.echo(result.summary())
    for problem in result.problems[:20]:
        click.echo(f"kickoff: {problem}", err=True)
    if len(result.problems) > 20:
        click.echo(f"kickoff: … and {len(result.problems) - 20} more bad lines", err=True)
    older = result.held - len(result.problems)
    if older > 0:
        click.echo(
            f"kickoff: {older} more line{'s' if older != 1 else ''} of the sync folder "
            f"{'are' if older != 1 else 'is'} still held back from earlier syncs "
            "(`kickoff sync held` lists them)",
            err=True,
        )
    for sentence in result.waiting:
        click.echo(f"kickoff: {sentence}", err=True)
    for clash in result.clashes:
        click.echo(f"kickoff: {clash}", err=True)
    if result.clashes:
        sys.exit(9)


def _report_json(result) -> None:
    """The same summary for scripts; refused logs still exit 9."""
    echo_json(
        {
            "summary": result.summary(),
            "exported": result.exported,
            "changes": dict(sorted(result.changes.items())),
            "applied": result.applied,
            "conflicts": result.conflicts,
            "settled": result.settled,
            "held": result.held,
            "problems": [
                {"file": p.file, "line": p.line, "reason": p.reason} for p in result.problems
            ],
            "waiting": list(result.waiting),
            "clashes": list(result.clashes),
            "git": result.git,
        }
    )
    if result.clashes:
        sys.exit(9)


@click.group("sync", invoke_without_command=True)
@db_option
@json_option
@click.pass_context
@guarded
def sync_cmd(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Sync now: export my changes, import everyone else's, and print what came in.

    \b
    Examples:
      kickoff sync
      kickoff sync --json | jq .conflicts
    """
    ctx.ensure_object(dict)
    if db:
        ctx.obj["db"] = db
    if ctx.invoked_subcommand is not None:
        return
    from kickoff_tui.store import sync

    store = open_store(_db(ctx, db))
    try:
        result = sync.sync(store)
    finally:
        store.close()
    (_report_json if as_json else _report)(result)


@sync_cmd.command("held")
@db_option
@click.pass_context
@guarded
def held(ctx: click.Context, db: str | None) -> None:
    """List the lines of teammates' logs held back here, and why (nothing: all applied)."""
    from kickoff_tui.store import sync

    store = open_store(_db(ctx, db))
    try:
        problems, waiting = sync.held(store), sync.ahead(store)
    finally:
        store.close()
    for problem in problems:
        click.echo(str(problem))
    for sentence in waiting:
        click.echo(sentence)
    if not problems and not waiting:
        click.echo("Nothing is held back: every line of the sync folder was applied.")


@sync_cmd.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@db_option
@click.pass_context
@guarded
def init(ctx: click.Context, folder: str, db: str | None) -> None:
    """Attach this workspace to a sync folder (made if new; in a git repo, git syncs it too)."""
    from kickoff_tui.store import sync

    store = open_store(_db(ctx, db))
    try:
        where = sync.attach(store, Path(folder))
        kind = store.meta(sync.K_KIND)
        result = sync.sync(store)
        name = store.workspace().get("name") or store.path.stem
    finally:
        store.close()
    place = "a git repository" if kind == "git" else "a shared folder"
    click.echo(f"Attached {name} to {where} ({place}); {result.exported} operations exported.")
    click.echo(f"Teammates join with: kickoff sync join {where}")
    if result.changes:
        click.echo(result.summary())


@sync_cmd.command("join")
@click.argument("folder", type=click.Path(file_okay=False))
@db_option
@click.option("--me", help="Your handle in this workspace (default: your login name).")
@click.pass_context
@guarded
def join(ctx: click.Context, folder: str, db: str | None, me: str | None) -> None:
    """Make a new local workspace from a sync folder's logs, and keep it attached."""
    from kickoff_tui.store import sync

    path, _ = find_db(_db(ctx, db))
    if path.exists():
        fail(
            f"{path} already exists; kickoff never overwrites a file. Give another path with --db.",
            2,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    store, result = sync.join(Path(folder), path, actor=me)
    name = store.workspace().get("name") or path.stem
    store.close()
    click.echo(f"Joined {name}: {result.summary(operations=True)}.")
    click.echo(f"Open it with: kickoff --db {path}")
