"""`kickoff nudges [--me] [--json] [--post]`: what needs someone today, for cron and shell prompts.

The same list as the inbox (store/inbox.py). Exits 0 when nothing is due and 1 when something
is; `--post` sends the team's list to the webhook in config.toml once per item per day. No
Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from kickoff_tui.cli import (
    _db,
    cut,
    db_option,
    echo_json,
    echo_table,
    fail,
    guarded,
    json_option,
    open_store,
)

if TYPE_CHECKING:
    from kickoff_tui.store.inbox import InboxItem
    from kickoff_tui.store.ops import Store

#: Exit code when something is due (0 when nothing is): `kickoff nudges || notify-send …`.
DUE = 1


@click.command("nudges")
@click.option("--me", "mine", is_flag=True, help="Only what needs me (kickoff me HANDLE).")
@click.option(
    "--post",
    is_flag=True,
    help="Send the team's list to the [notify] webhook in config.toml (once per item per day).",
)
@json_option
@db_option
@click.pass_context
@guarded
def nudges(ctx: click.Context, mine: bool, post: bool, as_json: bool, db: str | None) -> None:
    """Print what needs someone today: late, blocked or stale items, with who and since when.

    Exits 0 when nothing is due and 1 when something is (for scripts and shell prompts).

    \b
    Examples:
      kickoff nudges
      kickoff nudges --me --json
      kickoff nudges --post        # in cron, each morning
    """
    from kickoff_tui.store import inbox, people

    store = open_store(_db(ctx, db))
    today = inbox.today(store)
    me = people.me(store) if mine else None
    if mine and me is None:
        store.close()
        fail("You are nobody in this workspace yet: say who with `kickoff me HANDLE`.", 2)
    if post:
        _post(store, today)
        return
    view = inbox.view(store, today, me=me, everyone=not mine)
    store.close()
    if as_json:
        echo_json([_json(item) for item in view.items])
    elif not view.items:
        click.echo("Nothing needs you today." if mine else "Nothing needs anyone today.")
    else:
        _table(view.items)
    ctx.exit(DUE if view.items else 0)


def _json(item: InboxItem) -> dict[str, object]:
    n = item.nudge
    return {
        "kind": n.kind,
        "group": item.label,
        "ref": n.ref,
        "title": n.title,
        "why": n.why,
        "person_id": n.person_id,
        "who": item.who,
        "since": n.since.isoformat(),
        "screen": n.screen,
        "record_id": n.record_id,
        "key": n.key,
    }


def _table(items: list[InboxItem]) -> None:
    rows: list[tuple[str, ...]] = []
    label = None
    for item in items:
        n = item.nudge
        rows.append(
            (
                item.label if item.label != label else "",
                n.ref,
                cut(n.title, 40),
                n.why,
                item.who,
                n.since.isoformat(),
            )
        )
        label = item.label
    echo_table(("What", "#", "Title", "Why", "Who", "Since"), rows, fill=2)


def _post(store: Store, today: date) -> None:
    """Post the team's items not posted today; remember them only once the webhook said yes."""
    from kickoff_tui import config, notify
    from kickoff_tui.store import inbox

    try:
        hook = notify.webhook(config.get("notify"))
    except notify.NotifyError as exc:
        store.close()
        fail(str(exc), 2)
    if store.readonly:
        store.close()
        fail("The workspace is read-only, so what was posted can't be remembered; not posted.", 7)
    fresh = inbox.unposted(store, inbox.gather(store, today), today)
    if not fresh:
        store.close()
        click.echo("Nothing new to post today.")
        return
    text = notify.message(
        inbox.items(store, fresh), str(store.workspace().get("name") or "kickoff"), hook.format
    )
    try:
        notify.post(hook, text)
    except notify.NotifyError as exc:
        store.close()
        fail(f"{exc} Nothing was marked as posted.", 1)
    inbox.mark_posted(store, fresh, today)
    store.close()
    click.echo(f"Posted {len(fresh)} item{'s' if len(fresh) != 1 else ''} to the team's chat.")
