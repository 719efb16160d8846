"""The `kickoff` command.

Only click is imported at start: subcommands live in their own modules and are imported when
named, and Textual is imported only by the commands that open the UI, so `kickoff --help` and
scripted commands such as `kickoff okr checkin` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from kickoff_tui import __version__
from kickoff_tui.launch import fail, find_db, open_store, run_app  # noqa: F401 - re-exported

#: name -> "module:attribute" of subcommands imported only when used.
LAZY_COMMANDS: dict[str, str] = {
    "export": "kickoff_tui.commands.export:export",
    "import": "kickoff_tui.commands.export:import_",
    "minutes": "kickoff_tui.commands.minutes:minutes",
    "me": "kickoff_tui.commands.people:me",
    "okr": "kickoff_tui.commands.okr:okr",
    "people": "kickoff_tui.commands.people:people",
    "risk": "kickoff_tui.commands.risk:risk",
    "serve": "kickoff_tui.commands.serve:serve",
    "sync": "kickoff_tui.commands.sync:sync_cmd",
    "workspace": "kickoff_tui.commands.workspace:workspace",
}

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, _, attr = LAZY_COMMANDS[name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List commands with the one-line help written here, without importing them."""
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_HELP.get(name, "")))
            else:
                cmd = self.commands[name]
                if not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit=70)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


#: One-line help of lazy commands, shown by `kickoff --help` without importing them.
LAZY_HELP: dict[str, str] = {
    "export": "Export the review (Markdown), the workspace (TOML) or its tables (CSV).",
    "import": "Create a new workspace from a TOML export.",
    "minutes": "Print a standup's minutes as Markdown (to paste into chat).",
    "me": "Say who you are on this machine (kickoff me ana); never synced.",
    "people": "The team: people list/add/edit/deactivate/show (kickoff people add \"Ana Silva\").",
    "okr": "Check in a key result (okr checkin KR3 42) or list the OKR tree (okr list).",
    "risk": "The risk register: `kickoff risk list [--json] [--min-score N]`.",
    "serve": "Serve the app to a browser tab on this machine (needs the serve extra).",
    "sync": "Sync with teammates through a shared folder or git (init DIR, join DIR, or now).",
    "workspace": "Workspace settings: workspace show [--json], workspace set --timebox 20 ….",
}


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn store errors raised by a command into one sentence and an exit code."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kickoff_tui.store.errors import StoreError

        try:
            return fn(*args, **kwargs)
        except StoreError as exc:
            fail(exc.message, exc.exit_code)

    return wrapper


db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    help="Workspace file (default: $KICKOFF_DB, ./kickoff.db or a parent's, then your own).",
)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings=CONTEXT)
@db_option
@click.option("--read-only", "readonly", is_flag=True,
              help="Open without allowing changes (e.g. to show it in a review).")
@click.option("--allow-network-db", "allow_network", is_flag=True,
              help="Open a workspace on a network drive or in a Dropbox/OneDrive/Google Drive/"
                   "iCloud folder anyway (without WAL). A sync folder is the safe way to share.")
@click.version_option(__version__, "-V", "--version", prog_name="kickoff")
@click.pass_context
def main(ctx: click.Context, db: str | None, readonly: bool, allow_network: bool) -> None:
    """A terminal workspace for the 90 days after a kickoff.

    Run `kickoff` to open your workspace (a 30-60-90 board, OKRs, risks and standups in one
    local SQLite file), or `kickoff demo` to try it on a sample team.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if allow_network:
        import os

        os.environ["KICKOFF_ALLOW_NETWORK_DB"] = "1"  # every open in this run
    if ctx.invoked_subcommand is None:
        run_app(open_store(db, create_default=not readonly, readonly=readonly))


def _db(ctx: click.Context, db: str | None) -> str | None:
    """A subcommand's --db, falling back to the one given before the subcommand."""
    return db or (ctx.obj or {}).get("db")


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01.") from None


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--name", help="Workspace name, e.g. 'Atlas launch' (asked when missing in a terminal).")
@click.option("--kickoff-date", "kickoff",
              help="Day 0 of the 90 days (YYYY-MM-DD; asked when missing in a terminal).")
@click.option("--timezone", "tz", default="UTC", show_default=True, help="IANA time zone.")
@click.option("--me", help="Your handle in this workspace (default: your login name).")
def init(path: str | None, name: str | None, kickoff: str | None, tz: str, me: str | None) -> None:
    """Create a new workspace file (default ./kickoff.db); never overwrites."""
    from kickoff_tui.rules.text import clean_line
    from kickoff_tui.store.errors import StoreError
    from kickoff_tui.store.workspace import init_workspace

    target = Path(path or "kickoff.db")
    if target.exists():
        fail(f"{target} already exists; kickoff never overwrites a file. Pick another path.", 1)
    name, kickoff = _ask_missing(name, kickoff)
    day = _parse_day(kickoff)
    try:
        name = clean_line(name, what="The workspace name")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None
    try:
        store = init_workspace(target, name=name, kickoff_date=day, timezone=tz, actor=me)
    except StoreError as exc:
        fail(exc.message, exc.exit_code)
    store.close()
    click.echo(f"Created {target} — kickoff on {day:%a %d %b %Y}. Open it with: kickoff --db {target}")


def _ask_missing(name: str | None, kickoff: str | None) -> tuple[str, str]:
    """The workspace name and kickoff date: asked for in a terminal when not given, else one
    sentence saying which option is missing."""
    if name is not None and kickoff is not None:
        return name, kickoff
    if not sys.stdin.isatty():
        missing = " and ".join(o for o, v in (("--name", name), ("--kickoff-date", kickoff))
                               if v is None)
        fail(f"Give {missing}, e.g. kickoff init plan.db --name \"Atlas launch\" "
             "--kickoff-date 2026-12-01.", 2)
    if name is None:
        name = click.prompt("Workspace name (e.g. Atlas launch)")
    while kickoff is None:
        text = click.prompt("Kickoff date, day 0 of the 90 days (YYYY-MM-DD)",
                            default=date.today().isoformat())
        try:
            date.fromisoformat(text.strip())
            kickoff = text.strip()
        except ValueError:
            click.echo(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01.", err=True)
    return name, kickoff


@main.command()
@db_option
@click.option("--cards", type=click.IntRange(0, 200_000), default=0,
              help="Also add N generated cards (for benchmarks).")
@click.option("--no-open", is_flag=True, help="Only create the workspace; don't open it.")
@click.option("--fresh", is_flag=True, help="Replace an existing demo workspace.")
@click.pass_context
def demo(ctx: click.Context, db: str | None, cards: int, no_open: bool, fresh: bool) -> None:
    """Open a ready-made sample workspace (created on first use, then reused)."""
    from kickoff_tui import config
    from kickoff_tui.store.demo import add_generated_cards, make_demo
    from kickoff_tui.store.errors import StoreError

    db = _db(ctx, db)
    path = Path(db).expanduser() if db else config.data_dir() / "demo.db"
    try:
        if fresh and path.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        if path.exists():
            store = open_store(path)
            generated = int(store.meta("demo_generated_cards") or 0)
            if cards > generated:
                add_generated_cards(store, cards - generated, seed=generated + 7)
                store.set_meta("demo_generated_cards", str(cards))
            click.echo(f"Using the demo workspace at {path}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            store = make_demo(path, cards=cards)
            if cards:
                store.set_meta("demo_generated_cards", str(cards))
            click.echo(f"Created the demo workspace at {path}")
    except StoreError as exc:
        fail(exc.message, exc.exit_code)
    except OSError as exc:
        fail(f"Can't create {path}: {exc.strerror or exc}.", 2)
    if no_open:
        store.close()
        return
    run_app(store)


@main.command()
@db_option
@click.pass_context
@guarded
def check(ctx: click.Context, db: str | None) -> None:
    """Print the schema version, rows per table and SQLite's integrity check."""
    from kickoff_tui.store import queries
    from kickoff_tui.store.db import SCHEMA_VERSION, integrity

    store = open_store(_db(ctx, db))
    ws = store.workspace()
    click.echo(f"Workspace   {ws['name']} (kickoff {ws['kickoff_date']}, {ws['timezone']})")
    click.echo(f"File        {store.path}{'  [read-only]' if store.readonly else ''}")
    click.echo(f"Schema      version {SCHEMA_VERSION}")
    click.echo(f"Replica     {store.replica or '-'} (you are {store.actor})")
    ops = store.row("SELECT count(*) FROM operation")[0]
    conflicts = len(store.conflicts())
    click.echo(f"Operations  {ops}" + (f"; {conflicts} conflicts" if conflicts else ""))
    click.echo("Rows        live  deleted")
    for table, (live, gone) in queries.counts(store).items():
        click.echo(f"  {table:<16}{live:>6}{gone:>9}")
    result = integrity(store.conn)
    store.close()
    if result == ["ok"]:
        click.echo("Integrity   ok")
    else:
        click.echo("Integrity   FAILED")
        for line in result[:20]:
            click.echo(f"  {line}")
        sys.exit(5)
