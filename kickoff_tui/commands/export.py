"""`kickoff export` and `kickoff import`: the workspace as Markdown, TOML or CSV, and back from TOML.

No Textual here: these run from scripts and cron jobs. Long runs print a progress line on stderr.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kickoff_tui.cli import _db, _parse_day, db_option, fail, find_db, guarded, open_store

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: Below this many rows an export is quick enough to need no progress line.
PROGRESS_FROM = 1000


class StderrProgress:
    """A progress line on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, verb: str) -> None:
        self.verb = verb
        self.tty = sys.stderr.isatty()
        self.shown = -1
        self.started = False

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        percent = 100 * done // total
        step = percent if self.tty else percent // 10 * 10
        if step == self.shown:
            return
        self.shown = step
        self.started = True
        line = f"kickoff: {self.verb} {done:,} of {total:,} ({percent}%)"
        if self.tty:  # our own \r, past the filter that shows others' control characters
            err = getattr(sys.stderr, "unfiltered", sys.stderr)
            err.write("\r" + line + ("\n" if done >= total else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _write(path: Path, text: str) -> None:
    """Write a file atomically (a reader never sees half an export)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        fail(f"Can't write {path}: {exc.strerror or exc}.", 2)


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "toml", "csv"]),
    required=True,
    help="md: the review page as a document; toml: the whole workspace; csv: one file per table.",
)
@click.option(
    "--out",
    type=click.Path(),
    help="File to write (md, toml; default or `-`: standard "
    "output) or folder (csv; default: <workspace>-csv next to you).",
)
@click.option("--since", help="md: list changes since this day (YYYY-MM-DD; default 7 days ago).")
@click.option(
    "--okr-review",
    "okr_review",
    metavar="last|YYYY-MM-DD",
    help="md: a monthly OKR review (the last one, or the one held that day) instead of the review.",
)
@click.option(
    "--retro",
    metavar="last|YYYY-MM-DD",
    help="md: a retrospective (the last one, or the one held that day) instead of the review.",
)
@click.option(
    "--charter",
    is_flag=True,
    help="md: the kickoff report (charter, OKRs, first 30 days, risks, stakeholders, "
    "communication plan) instead of the review.",
)
@db_option
@click.pass_context
@guarded
def export(
    ctx: click.Context,
    fmt: str,
    out: str | None,
    since: str | None,
    okr_review: str | None,
    retro: str | None,
    charter: bool,
    db: str | None,
) -> None:
    """Export the workspace: the review as Markdown, everything as TOML, or tables as CSV.

    \b
    Examples:
      kickoff export --format md > review.md
      kickoff export --format md --okr-review last > okr-review.md
      kickoff export --format md --retro 2026-12-18 --out retro.md
      kickoff export --format md --charter --out kickoff-report.md
      kickoff export --format toml --out - | gzip > plan.toml.gz
      kickoff export --format csv --out plan-csv
    """
    from kickoff_tui.store import export as ex

    if out == "-" and fmt == "csv":
        raise click.BadParameter(
            "CSV is one file per table, so it needs a folder, not `-`.", param_hint="--out"
        )
    if charter and fmt != "md":
        raise click.BadParameter(
            "--charter is the kickoff report, a Markdown document: use it with --format md.",
            param_hint="--charter",
        )
    if out == "-":
        out = None  # standard output
    if (okr_review or retro) and fmt != "md":
        raise click.BadParameter(
            "--okr-review and --retro are Markdown documents: use --format md.",
            param_hint="--format",
        )
    if sum(map(bool, (okr_review, retro, charter))) > 1:
        raise click.UsageError("Export one document at a time: --charter, --okr-review or --retro.")
    for which, hint in ((okr_review, "--okr-review"), (retro, "--retro")):
        if which and which != "last":
            try:
                date.fromisoformat(which)
            except ValueError:
                raise click.BadParameter(
                    f"{which!r} is neither `last` nor a day (YYYY-MM-DD).", param_hint=hint
                ) from None
    day: date | None = _parse_day(since) if since else None
    store = open_store(_db(ctx, db))
    if okr_review or retro:
        text, what = _meeting_markdown(store, okr_review, retro)
        store.close()
        if out is None:
            click.echo(text, nl=False)
            return
        _write(Path(out), text)
        click.echo(f"Wrote {what} to {out}")
        return
    progress = StderrProgress("exported rows:")
    if fmt == "csv":
        folder = Path(out) if out else Path(f"{store.path.stem}-csv")
        try:
            paths = ex.write_csv(store, folder, progress)
        except OSError as exc:
            fail(f"Can't write CSV files into {folder}: {exc.strerror or exc}.", 2)
        click.echo(f"Wrote {len(paths)} CSV files (one per table) into {folder}/")
        return
    if charter:
        from kickoff_tui.store.kickoff_report import kickoff_markdown

        text = kickoff_markdown(store)
    elif fmt == "md":
        text = ex.review_markdown(store, day)
    else:
        text = ex.workspace_toml(store, progress)
    store.close()
    if out is None:
        click.echo(text, nl=False)
        return
    _write(Path(out), text)
    what = "the kickoff report" if charter else "the review" if fmt == "md" else "the workspace"
    click.echo(f"Wrote {what} to {out}")


def _meeting_markdown(store: Store, okr_review: str | None, retro: str | None) -> tuple[str, str]:
    """The Markdown of the OKR review or retro asked for, and what it is; exit 2 if none."""
    from kickoff_tui.cli import not_found

    if okr_review:
        from kickoff_tui.store import okr_review as orv

        found = orv.find_review(store, okr_review)
        if found is None:
            not_found(
                "There is no OKR review yet."
                if okr_review == "last"
                else f"No OKR review was held on {okr_review} (kickoff okr-review list)."
            )
            raise SystemExit(2)  # not_found exits; this line is for the type checker
        return orv.review_markdown(store, found), "the OKR review"
    from kickoff_tui.store import retro as rt

    found = rt.find_retro(store, retro or "last")
    if found is None:
        not_found(
            "There is no retrospective yet."
            if retro == "last"
            else f"No retrospective was held on {retro} (kickoff retro list)."
        )
        raise SystemExit(2)  # not_found exits; this line is for the type checker
    return rt.retro_markdown(store, found), "the retrospective"


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
@click.pass_context
@guarded
def import_(ctx: click.Context, file: str, db: str | None) -> None:
    """Create a NEW workspace from a TOML export (never overwrites; default ./FILE-NAME.db).
    FILE `-` reads the export from standard input (then --db names the new workspace).

    \b
    Examples:
      kickoff import plan.toml --db copy.db
      gunzip -c plan.toml.gz | kickoff import - --db copy.db
    """
    from kickoff_tui.store import export as ex
    from kickoff_tui.store import queries

    source = Path(file)
    if file == "-" and not _db(ctx, db):
        raise click.UsageError(
            "Reading the export from standard input (`-`) needs --db for "
            "the new workspace, e.g. kickoff import - --db copy.db."
        )
    try:
        if file == "-":
            source = Path("standard input")
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"There is no file {source}.", 2)
    except UnicodeDecodeError:
        fail(f"{source} is not a UTF-8 text file, so it can't be a TOML export.", 2)
    except OSError as exc:
        fail(f"Can't read {source}: {exc.strerror or exc}.", 2)
    target = find_db(_db(ctx, db))[0] if _db(ctx, db) else Path(f"{source.stem}.db")
    if target.exists():
        fail(
            f"{target} already exists; import never overwrites a workspace. "
            "Pick a new path with --db.",
            2,
        )
    if len(text) >= 1_000_000:  # parsing is most of a big import: say so before it starts
        sys.stderr.write(f"kickoff: reading {source} ({len(text) / 1e6:.1f} MB)…\n")
    store = ex.import_toml(text, target, progress=StderrProgress("imported operations:"))
    ws = store.workspace()
    rows = sum(live + deleted for live, deleted in queries.counts(store).values())
    store.close()
    click.echo(
        f"Created {target} ({ws['name']}, {rows} rows) from {source}. "
        f"Open it with: kickoff --db {target}"
    )
