"""The `kickoff` command.

Only click is imported at start: subcommands live in their own modules and are imported when
named, and Textual is imported only by the commands that open the UI, so `kickoff --help` and
scripted commands such as `kickoff okr checkin` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from kickoff_tui import __version__
from kickoff_tui.exits import NOT_FOUND, epilog
from kickoff_tui.launch import (  # also re-exported: commands/ import them from here
    fail,
    find_db,
    need_terminal,
    open_store,
    run_app,
    welcome,
)

#: name -> "module:attribute" of subcommands imported only when used.
LAZY_COMMANDS: dict[str, str] = {
    "blocker": "kickoff_tui.commands.blocker:blocker",
    "calendar": "kickoff_tui.commands.calendar:calendar",
    "card": "kickoff_tui.commands.card:card",
    "comm": "kickoff_tui.commands.stakeholder:comm",
    "config": "kickoff_tui.commands.config:config_cmd",
    "decision": "kickoff_tui.commands.decision:decision",
    "export": "kickoff_tui.commands.export:export",
    "import": "kickoff_tui.commands.export:import_",
    "keys": "kickoff_tui.commands.keys:keys",
    "kpi": "kickoff_tui.commands.kpi:kpi",
    "minutes": "kickoff_tui.commands.minutes:minutes",
    "nudges": "kickoff_tui.commands.nudges:nudges",
    "me": "kickoff_tui.commands.people:me",
    "okr": "kickoff_tui.commands.okr:okr",
    "okr-review": "kickoff_tui.commands.okr_review:okr_review",
    "people": "kickoff_tui.commands.people:people",
    "pulse": "kickoff_tui.commands.pulse:pulse",
    "risk": "kickoff_tui.commands.risk:risk",
    "retro": "kickoff_tui.commands.retro:retro",
    "serve": "kickoff_tui.commands.serve:serve",
    "stakeholder": "kickoff_tui.commands.stakeholder:stakeholder",
    "standup": "kickoff_tui.commands.standup:standup",
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
    "blocker": "Blockers raised in standups: `kickoff blocker list [--open] [--json]`.",
    "calendar": "The team's rhythm as an .ics file: `kickoff calendar --ics team.ics` (- prints).",
    "card": 'Cards on the board: card list, card add "Title", card move 12 --window 90, card done 12.',
    "comm": "The communication plan: `kickoff comm list [--json] [--due]`.",
    "config": "Your settings file: `kickoff config path` prints where config.toml lives.",
    "decision": "The decision log: `kickoff decision list [--unpublished] [--json]`.",
    "export": "Export the review (Markdown), the workspace (TOML) or its tables (CSV).",
    "import": "Create a new workspace from a TOML export.",
    "keys": "Key binding ids for [keymap] in config.toml: `kickoff keys [board] [--json]`.",
    "kpi": "KPIs: kpi record K1 22 [--at DAY], kpi list [--json], kpi import FILE.",
    "minutes": "Print a standup's minutes as Markdown (to paste into chat).",
    "me": "Say who you are on this machine (kickoff me ana); never synced.",
    "people": 'The team: people list/add/edit/deactivate/show (kickoff people add "Ana Silva").',
    "nudges": "What needs someone today (--me, --json, --post); exits 1 when something is due.",
    "pulse": "Pulse checks: pulse answer, pulse open, pulse results [--json].",
    "okr": "Check in a key result (okr checkin KR3 42) or list the OKR tree (okr list).",
    "okr-review": "The monthly OKR reviews held: `kickoff okr-review list [--json]`.",
    "risk": "The risk register: `kickoff risk list [--json] [--min-score N]`.",
    "retro": "The retrospectives held: `kickoff retro list [--json]`.",
    "serve": "Serve the app to a browser tab on this machine (needs the serve extra).",
    "stakeholder": "The stakeholder map: stakeholder list [--shortlist] [--json], add NAME.",
    "standup": "The standups held: `kickoff standup list [--json]`.",
    "sync": "Sync with teammates through a shared folder or git (init DIR, join DIR, held, or now).",
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


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings=CONTEXT, epilog=epilog())
@db_option
@click.option(
    "--read-only",
    "readonly",
    is_flag=True,
    help="Open without allowing changes (e.g. to show it in a review).",
)
@click.option(
    "--allow-network-db",
    "allow_network",
    is_flag=True,
    help="Open a workspace on a network drive or in a Dropbox/OneDrive/Google Drive/"
    "iCloud folder anyway (without WAL). A sync folder is the safe way to share.",
)
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
        need_terminal()
        store = open_store(db, create_default=not readonly, readonly=readonly)
        run_app(store, welcome(store, db))


def _db(ctx: click.Context, db: str | None) -> str | None:
    """A subcommand's --db, falling back to the one given before the subcommand."""
    return db or (ctx.obj or {}).get("db")


def not_found(message: str) -> NoReturn:
    """A card, key result or standup that doesn't exist: one sentence and its own exit code."""
    fail(message, NOT_FOUND)


def cut(text: str | None, width: int) -> str:
    """One line of at most `width` characters (an ellipsis marks a cut)."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def echo_table(
    header: tuple[str, ...], rows: Sequence[tuple[str, ...]], fill: int | None = None
) -> None:
    """Print rows as left-aligned columns under `header` (what the list commands print).

    In a terminal, column `fill` (the title), if given, is cut so that a row fits the window's
    width; into a pipe or a file, rows are never cut further.
    """
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    if fill is not None and sys.stdout.isatty():
        import shutil

        room = (
            shutil.get_terminal_size().columns - sum(widths) + widths[fill] - 2 * (len(widths) - 1)
        )
        if room < widths[fill]:
            widths[fill] = max(len(header[fill]), 12, room)
            table = [
                row[:fill] + (cut(row[fill], widths[fill]),) + row[fill + 1 :] for row in table
            ]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of a table."
)


# ---------------------------------------------------------------------- shell completion


def _completion_rows(ctx: click.Context, sql: str) -> list[Any]:
    """Rows for a completion, from the workspace the command line names (--db given before or
    after, $KICKOFF_DB, ./kickoff.db...); [] whatever goes wrong: completion never complains."""
    db = None
    node: click.Context | None = ctx
    while node is not None and db is None:
        db = node.params.get("db")
        node = node.parent
    try:
        path, _ = find_db(db)
        if not path.is_file():
            return []
        from kickoff_tui.store.ops import Store

        with Store(path, readonly=True) as store:
            return store.rows(sql)
    except Exception:  # noqa: BLE001 - a completion must not print a traceback into the shell
        return []


def complete_numbers(
    table: str, prefix: str = "", label: str = "title"
) -> Callable[..., list[Any]]:
    """A click `shell_complete` offering the live rows of `table` by number (KR3, 12), with
    their `label` column (the title) as the description; no Textual, one query."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        from kickoff_tui.store.queries import numbered

        rows = _completion_rows(
            ctx,
            f"SELECT num, {label} AS label FROM {numbered(table)} WHERE deleted = 0 ORDER BY num",
        )
        bare = incomplete[:1].isdigit() or not prefix
        out = []
        for row in rows:
            value = str(row["num"]) if bare else f"{prefix}{row['num']}"
            if value.lower().startswith(incomplete.lower()):
                out.append(CompletionItem(value, help=cut(str(row["label"] or ""), 60)))
        return out

    return complete


def complete_handles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """People's handles, for --owner."""
    from click.shell_completion import CompletionItem

    rows = _completion_rows(
        ctx,
        "SELECT handle, name FROM person WHERE deleted = 0 AND handle IS NOT NULL ORDER BY handle",
    )
    return [
        CompletionItem(r["handle"], help=r["name"] or "")
        for r in rows
        if r["handle"].lower().startswith(incomplete.lower())
    ]


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01."
        ) from None


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--name", help="Workspace name, e.g. 'Atlas launch' (asked when missing in a terminal)."
)
@click.option(
    "--kickoff-date",
    "kickoff",
    help="Day 0 of the 90 days (YYYY-MM-DD; asked when missing in a terminal).",
)
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
    click.echo(
        f"Created {target} — kickoff on {day:%a %d %b %Y}. Open it with: kickoff --db {target}"
    )


def _ask_missing(name: str | None, kickoff: str | None) -> tuple[str, str]:
    """The workspace name and kickoff date: asked for in a terminal when not given, else one
    sentence saying which option is missing."""
    if name is not None and kickoff is not None:
        return name, kickoff
    if not sys.stdin.isatty():
        missing = " and ".join(
            o for o, v in (("--name", name), ("--kickoff-date", kickoff)) if v is None
        )
        fail(
            f'Give {missing}, e.g. kickoff init plan.db --name "Atlas launch" '
            "--kickoff-date 2026-12-01.",
            2,
        )
    if name is None:
        name = click.prompt("Workspace name (e.g. Atlas launch)")
    while kickoff is None:
        text = click.prompt(
            "Kickoff date, day 0 of the 90 days (YYYY-MM-DD)", default=date.today().isoformat()
        )
        try:
            date.fromisoformat(text.strip())
            kickoff = text.strip()
        except ValueError:
            click.echo(f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01.", err=True)
    return name, kickoff


@main.command()
@db_option
@click.option(
    "--cards",
    type=click.IntRange(0, 200_000),
    default=0,
    help="Also add N generated cards (for benchmarks).",
)
@click.option("--no-open", is_flag=True, help="Only create the workspace; don't open it.")
@click.option("--fresh", is_flag=True, help="Replace an existing demo workspace.")
@click.pass_context
def demo(ctx: click.Context, db: str | None, cards: int, no_open: bool, fresh: bool) -> None:
    """Open a ready-made sample workspace (created on first use, then reused)."""
    from kickoff_tui import config
    from kickoff_tui.store.demo import add_generated_cards, make_demo
    from kickoff_tui.store.errors import StoreError

    if not no_open:
        need_terminal()  # say so before making the demo, not after
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
            said = f"Using the demo workspace at {path}"
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            store = make_demo(path, cards=cards)
            if cards:
                store.set_meta("demo_generated_cards", str(cards))
            said = f"Created the demo workspace at {path}"
        click.echo(said)
    except StoreError as exc:
        fail(exc.message, exc.exit_code)
    except OSError as exc:
        fail(f"Can't create {path}: {exc.strerror or exc}.", 2)
    if no_open:
        store.close()
        return
    # The line above is hidden as soon as the full-screen UI starts: say it there too.
    again = (
        "" if db else " `kickoff demo` opens it again; plain `kickoff` opens your own workspace."
    )
    run_app(store, f"{said}.{again}")


@main.command()
@db_option
@json_option
@click.pass_context
@guarded
def check(ctx: click.Context, db: str | None, as_json: bool) -> None:
    """Print the schema version, rows per table and the integrity check.

    Exits with 5 when SQLite's integrity check finds a problem.

    \b
    Examples:
      kickoff check --db plan.db
      kickoff check --json | jq .integrity
    """
    from kickoff_tui.store import queries
    from kickoff_tui.store.db import SCHEMA_VERSION, integrity

    store = open_store(_db(ctx, db))
    ws = store.workspace()
    ops = queries.operation_count(store)
    conflicts = len(store.conflicts())
    counts = queries.counts(store)
    result = integrity(store.conn)
    info = {
        "path": str(store.path),
        "readonly": store.readonly,
        "replica": store.replica,
        "actor": store.actor,
    }
    store.close()
    ok = result == ["ok"]
    #: Stored values kickoff can't use (a teammate's hand edit): shown, with what is used instead.
    warnings = [
        f"{name} ? (stored {ws[name + '_unknown']!r}; {ws[name]} is used)"
        for name in ("timezone", "kickoff_date")
        if f"{name}_unknown" in ws
    ]
    if as_json:
        echo_json(
            {
                "workspace": {k: ws.get(k) for k in ("name", "kickoff_date", "timezone")},
                "file": info["path"],
                "read_only": info["readonly"],
                "schema_version": SCHEMA_VERSION,
                "replica": info["replica"] or None,
                "you": info["actor"],
                "operations": ops,
                "conflicts": conflicts,
                "rows": {
                    table: {"live": live, "deleted": gone} for table, (live, gone) in counts.items()
                },
                "integrity": "ok" if ok else result[:20],
                "warnings": warnings,
            }
        )
        if not ok:
            sys.exit(5)
        return
    click.echo(f"Workspace   {ws['name']} (kickoff {ws['kickoff_date']}, {ws['timezone']})")
    for warning in warnings:
        click.echo(f"  ⚠ {warning}")
    click.echo(f"File        {info['path']}{'  [read-only]' if info['readonly'] else ''}")
    click.echo(f"Schema      version {SCHEMA_VERSION}")
    click.echo(f"Replica     {info['replica'] or '-'} (you are {info['actor']})")
    click.echo(f"Operations  {ops}" + (f"; {conflicts} conflicts" if conflicts else ""))
    click.echo("Rows        live  deleted")
    for table, (live, gone) in counts.items():
        click.echo(f"  {table:<16}{live:>6}{gone:>9}")
    if ok:
        click.echo("Integrity   ok")
    else:
        click.echo("Integrity   FAILED")
        for line in result[:20]:
            click.echo(f"  {line}")
        sys.exit(5)
