"""`kickoff card`: the 30-60-90 board from the shell: list, add, move and finish cards.

For scripts (`kickoff card list --owner ana --json | jq ...`, a cron job adding a card). No
Textual here. Every write goes through the store functions the board uses (store/cards.py), so
it is an operation like an edit in the app: it syncs, it can be undone, it is in the activity.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from kickoff_tui.cli import (
    _db,
    complete_handles,
    complete_numbers,
    cut,
    db_option,
    echo_json,
    echo_table,
    fail,
    guarded,
    json_option,
    not_found,
    open_store,
)
from kickoff_tui.rules.cards import STATES
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS

#: The fields of `card list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "num",
    "id",
    "title",
    "window",
    "state",
    "rag",
    "owner",
    "owner_name",
    "due",
    "kr",
    "tags",
    "deliverable",
    "open_dependencies",
    "conflict",
)

window_choice = click.Choice(WINDOWS)


@click.group()
def card() -> None:
    """Cards on the 30-60-90 board: list, add, move, mark done.

    \b
    Examples:
      kickoff card list --window 30 --owner ana
      kickoff card list --state doing --state blocked --json
      kickoff card add "Write the launch FAQ" --window 60 --owner ana --due +3d --kr KR2
      kickoff card move 12 --window 90
      kickoff card done 12
    """


def _card_json(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "num": c["num"],
        "id": c["id"],
        "title": c["title"],
        "window": c["window"],
        "state": c["state"],
        "rag": c["rag"],
        "owner": c["owner_handle"],
        "owner_name": c["owner_name"],
        "due": c["due"],
        "kr": f"KR{c['kr_num']}" if c["kr_num"] else None,
        "tags": c["tags"],
        "deliverable": c["deliverable"],
        "open_dependencies": c["open_deps"],
        "conflict": c["conflict"],
    }


@card.command("list")
@click.option("--window", type=window_choice, help="Only this window (30, 60, 90 or later).")
@click.option(
    "--owner",
    metavar="WHO",
    shell_complete=complete_handles,
    help="Only cards of this person (handle or name, as @ana in the board's filter).",
)
@click.option(
    "--state",
    "states",
    type=click.Choice(STATES),
    multiple=True,
    help="Only cards in this state (repeat for several).",
)
@json_option
@db_option
@click.pass_context
@guarded
def list_(
    ctx: click.Context,
    window: str | None,
    owner: str | None,
    states: tuple[str, ...],
    as_json: bool,
    db: str | None,
) -> None:
    """Print the cards in board order (window, then position), with state, RAG, owner and due.

    \b
    Examples:
      kickoff card list
      kickoff card list --window 60 --owner ana --state todo
      kickoff card list --json | jq -r '.[] | select(.rag == "red") | .title'
    """
    from kickoff_tui.rules.card_filter import CardFilter
    from kickoff_tui.store import cards as store_cards

    wanted = CardFilter(
        owners=(owner.strip().lower(),) if owner and owner.strip() else (), states=frozenset(states)
    )
    store = open_store(_db(ctx, db))
    rows = [
        c
        for c in store_cards.board(store)
        if (window is None or c["window"] == window) and wanted.matches(c)
    ]
    store.close()
    if as_json:
        echo_json([_card_json(c) for c in rows])
        return
    if not rows:
        click.echo(
            "No cards match."
            if window or owner or states
            else 'No cards yet: add one with `kickoff card add "Title"`.'
        )
        return
    echo_table(
        ("#", "Card", "Window", "State", "RAG", "Owner", "Due", "KR"),
        [
            (
                f"#{c['num']}",
                ("⚠ " if c["conflict"] else "") + cut(c["title"], 40),
                WINDOW_LABELS.get(c["window"], c["window"] or ""),
                c["state"] or "",
                c["rag"] or "",
                c["owner_handle"] or c["owner_name"] or "-",
                c["due"] or "-",
                f"KR{c['kr_num']}" if c["kr_num"] else "-",
            )
            for c in rows
        ],
        fill=1,
    )


def _resolve_card(store: Any, ref: str) -> str:
    from kickoff_tui.store import queries

    card_id = queries.resolve_ref(store, "card", ref)
    if card_id is None:
        store.close()
        shown = "".join(ch if ch.isprintable() else "?" for ch in ref)[:20]
        not_found(f"There is no card {shown!r}; `kickoff card list` shows their numbers.")
    return card_id


def _person(store: Any, who: str) -> str:
    """The id of the person with this handle or name (case-insensitive)."""
    wanted = who.strip().lower()
    row = store.row(
        "SELECT id FROM person WHERE deleted = 0 AND (lower(handle) = ? OR "
        "lower(name) = ?) ORDER BY created_at, id LIMIT 1",
        (wanted, wanted),
    )
    if row is None:
        store.close()
        shown = "".join(ch if ch.isprintable() else "?" for ch in who)[:30]
        not_found(f"There is no one called {shown!r} in this workspace; give a handle such as ana.")
    return row["id"]


def _warnings(store: Any, card_id: str, kickoff: date | None) -> None:
    """What the board warns about after a move (a due date outside the window, dependencies in a
    later window), on stderr: the change is made, but say it."""
    from kickoff_tui.rules.cards import dependency_warnings, due_outside_window
    from kickoff_tui.store import cards as store_cards

    fresh = store_cards.card(store, card_id)
    if fresh is None:
        return
    messages = []
    if kickoff and fresh.get("due"):
        try:
            found = due_outside_window(date.fromisoformat(fresh["due"]), fresh["window"], kickoff)
        except ValueError:
            found = None
        if found:
            messages.append(found)
    linked = store_cards.links(store, card_id)
    messages += dependency_warnings(fresh, linked["depends_on"], linked["dependents"])
    for message in messages:
        click.echo(f"kickoff: warning: {message}", err=True)


def _kickoff_day(store: Any) -> tuple[date | None, str]:
    ws = store.workspace()
    try:
        kickoff = date.fromisoformat(ws["kickoff_date"]) if ws.get("kickoff_date") else None
    except ValueError:
        kickoff = None
    return kickoff, ws.get("timezone") or "UTC"


@card.command("add")
@click.argument("title")
@click.option(
    "--window", type=window_choice, help="30, 60, 90 or later (default: the window today falls in)."
)
@click.option(
    "--owner",
    metavar="WHO",
    shell_complete=complete_handles,
    help="Handle or name of the owner (default: you, as in the board's form).",
)
@click.option("--due", metavar="WHEN", help="Due date: 2026-12-24, +3d, +2w or next friday.")
@click.option(
    "--kr",
    "kr_ref",
    metavar="KR",
    shell_complete=complete_numbers("key_result", "KR"),
    help="The key result it moves (KR2 or 2).",
)
@db_option
@click.pass_context
@guarded
def add(
    ctx: click.Context,
    title: str,
    window: str | None,
    owner: str | None,
    due: str | None,
    kr_ref: str | None,
    db: str | None,
) -> None:
    """Add a card, last in its window, and print its number.

    \b
    Examples:
      kickoff card add "Write the launch FAQ"
      kickoff card add "Load test the API" --window 60 --owner ben --due +3d --kr KR2
    """
    from kickoff_tui import clock
    from kickoff_tui.rules.dates import parse_date
    from kickoff_tui.rules.text import clean_line
    from kickoff_tui.rules.windows import window_of
    from kickoff_tui.store import cards as store_cards
    from kickoff_tui.store import okrs
    from kickoff_tui.store.standups import me

    try:
        title = clean_line(title, max_len=200, what="The card's title")
    except ValueError as exc:
        fail(str(exc), 2)
    store = open_store(_db(ctx, db))
    kickoff, tz = _kickoff_day(store)
    today = clock.today(tz)
    values: dict[str, Any] = {"title": title}
    try:
        day = parse_date(due, today) if due else None
    except ValueError as exc:
        store.close()
        fail(f"--due: {exc}", 2)
    if day is not None:
        values["due"] = day.isoformat()
    values["window"] = window or (window_of(today, kickoff) if kickoff else "30")
    owner_id = _person(store, owner) if owner and owner.strip() else me(store)
    if owner_id:
        values["owner_id"] = owner_id
    if kr_ref:
        kr_id = okrs.resolve_kr(store, kr_ref)
        if kr_id is None:
            store.close()
            not_found(f"There is no key result {kr_ref!r}; `kickoff okr list` shows their numbers.")
        values["key_result_id"] = kr_id
    try:
        card_id = store_cards.create_card(store, values)
        added = store_cards.card(store, card_id)
        _warnings(store, card_id, kickoff)
    finally:
        store.close()
    assert added is not None
    click.echo(f"Added #{added['num']} {added['title']} to {WINDOW_LABELS[added['window']]}")


@card.command("move")
@click.argument("ref", metavar="CARD", shell_complete=complete_numbers("card"))
@click.option("--window", type=window_choice, required=True, help="30, 60, 90 or later.")
@db_option
@click.pass_context
@guarded
def move(ctx: click.Context, ref: str, window: str, db: str | None) -> None:
    """Move a card to the end of another window (CARD is its number, e.g. 12 or #12).

    \b
    Examples:
      kickoff card move 12 --window 90
      kickoff card move '#12' --window later
    """
    from kickoff_tui.store import cards as store_cards

    store = open_store(_db(ctx, db))
    try:
        card_id = _resolve_card(store, ref)
        before = store_cards.card(store, card_id)
        assert before is not None
        if before["window"] == window:
            click.echo(f"#{before['num']} is already in {WINDOW_LABELS[window]}.")
            return
        store_cards.move_card(store, card_id, window)
        click.echo(store.last_change.summary if store.last_change else f"Moved #{before['num']}")
        _warnings(store, card_id, _kickoff_day(store)[0])
    finally:
        store.close()


@card.command("done")
@click.argument("ref", metavar="CARD", shell_complete=complete_numbers("card"))
@db_option
@click.pass_context
@guarded
def done(ctx: click.Context, ref: str, db: str | None) -> None:
    """Mark a card done (CARD is its number, e.g. 12 or #12).

    \b
    Examples:
      kickoff card done 12
    """
    from kickoff_tui.store import cards as store_cards

    store = open_store(_db(ctx, db))
    try:
        card_id = _resolve_card(store, ref)
        if store_cards.set_state(store, card_id, "done"):
            click.echo(store.last_change.summary if store.last_change else "")
        else:
            shown = store_cards.card(store, card_id)
            click.echo(f"#{shown['num'] if shown else ref} is already done.")
    finally:
        store.close()
