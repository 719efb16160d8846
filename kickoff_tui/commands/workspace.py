"""`kickoff workspace show [--json]` and `kickoff workspace set …`: the workspace's settings.

No Textual here. Values are checked by the store (time zone in the tz database, timebox
15–30 minutes, a weekday, HH:MM); a bad one exits non-zero with one sentence and saves nothing.
"""

from __future__ import annotations

import json

import click

from kickoff_tui.cli import _db, db_option, fail, guarded, open_store

#: (setting, label) in the order shown.
SHOWN = (
    ("name", "Name"),
    ("purpose", "Purpose"),
    ("kickoff_date", "Kickoff"),
    ("timezone", "Time zone"),
    ("standup_day", "Standup day"),
    ("standup_time", "Standup time"),
    ("standup_timebox_min", "Timebox (min)"),
    ("okr_review_day", "OKR review"),
    ("review_time", "Review time"),
    ("retro_every", "Retro"),
    ("pulse_every", "Pulse"),
)


@click.group()
def workspace() -> None:
    """The workspace's settings: name, purpose, kickoff date, time zone, the rhythm."""


@workspace.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@db_option
@click.pass_context
@guarded
def show(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print the settings."""
    store = open_store(_db(ctx, db))
    ws = store.workspace()
    store.close()
    if as_json:
        click.echo(json.dumps({k: ws.get(k) for k, _ in SHOWN}, ensure_ascii=False, indent=2))
        return
    for key, label in SHOWN:
        value = ws.get(key)
        click.echo(f"{label:<14}{'-' if value in (None, '') else value}")


@workspace.command("set")
@click.option("--name", help="The workspace's name.")
@click.option("--purpose", help="One line: why this team exists.")
@click.option("--kickoff-date", "kickoff_date", help="Day 0 of the 90 days (YYYY-MM-DD).")
@click.option("--timezone", help="IANA time zone, e.g. Europe/Paris.")
@click.option("--standup-day", "standup_day", help="mon, tue, wed, thu, fri, sat or sun.")
@click.option("--standup-time", "standup_time", help="HH:MM in the workspace's time zone.")
@click.option("--timebox", "standup_timebox_min", help="Standup timebox, 15 to 30 minutes.")
@click.option(
    "--okr-review",
    "okr_review_day",
    help="Monthly OKR review: a day (10; 31 = the last day) or 'first Tuesday'.",
)
@click.option("--review-time", "review_time", help="HH:MM of the OKR review and retros.")
@click.option("--retro", "retro_every", help="day90, fortnightly or monthly (day 90 always).")
@click.option("--pulse", "pulse_every", help="weekly or fortnightly: how long a pulse stays open.")
@db_option
@click.pass_context
@guarded
def set_(ctx: click.Context, db: str | None, **options: str | None) -> None:
    """Change settings; a new kickoff date moves dated cards to their new windows."""
    from kickoff_tui.store.workspace import check_settings, update_settings

    values: dict[str, object] = {k: v for k, v in options.items() if v is not None}
    if not values:
        fail("Say what to change, e.g. kickoff workspace set --timebox 20.", 2)
    check_settings(values)  # before opening: a bad value names itself first
    store = open_store(_db(ctx, db))
    moved = update_settings(store, values)
    store.close()
    said = ", ".join(
        f"{k.replace('standup_timebox_min', 'timebox').replace('_', ' ')}" for k in values
    )
    n = len(moved)
    click.echo(
        f"Saved {said}."
        + (f" {n} card{'' if n == 1 else 's'} changed window." if "kickoff_date" in values else "")
    )
