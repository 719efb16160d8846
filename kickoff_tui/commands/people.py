"""`kickoff people …` (the team) and `kickoff me HANDLE` (who I am on this machine).

No Textual here: the commands read or write the workspace through store functions and print
text. Bad input exits non-zero with one sentence.
"""

from __future__ import annotations

import json

import click

from kickoff_tui.cli import _db, db_option, fail, guarded, open_store

#: The columns of `people list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "id",
    "handle",
    "name",
    "role",
    "email",
    "timezone",
    "active",
    "open_cards",
    "krs",
    "risks",
    "blockers",
    "first_action",
)


@click.group()
def people() -> None:
    """The team: list, add, edit, deactivate or show a person."""


@people.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--all", "show_all", is_flag=True, help="Also list deactivated people.")
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, show_all: bool, db: str | None) -> None:
    """Everyone active, by name, with their open work and first action."""
    from kickoff_tui.store import people as ps

    store = open_store(_db(ctx, db))
    rows = [p for p in ps.team(store) if show_all or p["active"]]
    me = ps.me(store)
    store.close()
    if as_json:
        out = []
        for p in rows:
            item = {k: p.get(k) for k in JSON_FIELDS}
            item["active"] = bool(p["active"])
            item["first_action"] = p["first_action"]["label"]
            item["me"] = p["id"] == me
            out.append(item)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo('Nobody yet: add your team with `kickoff people add "Ana Silva"`.')
        return
    table = [("Handle", "Name", "Role", "Cards", "KRs", "Risks", "Blockers", "First action")]
    for p in rows:
        handle = "@" + (p["handle"] or "?") + (" (me)" if p["id"] == me else "")
        table.append(
            (
                handle,
                _cut(p["name"], 30) + ("" if p["active"] else " (inactive)"),
                _cut(p["role"], 24),
                str(p["open_cards"]),
                str(p["krs"]),
                str(p["risks"]),
                str(p["blockers"]),
                p["first_action"]["label"],
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _fields(
    handle: str | None, role: str | None, email: str | None, timezone: str | None
) -> dict[str, str | None]:
    values: dict[str, str | None] = {}
    for key, value in (
        ("handle", handle),
        ("role", role),
        ("email", email),
        ("timezone", timezone),
    ):
        if value is not None:
            values[key] = value
    return values


_person_options = [
    click.option("--role", help="e.g. 'Product lead'."),
    click.option("--email", help="e.g. ana@example.com."),
    click.option("--timezone", "timezone", help="IANA time zone, e.g. Europe/Lisbon."),
]


def _with_options(fn):
    for option in reversed(_person_options):
        fn = option(fn)
    return fn


@people.command("add")
@click.argument("name")
@click.option("--handle", help="Short unique name (default: from the name, e.g. ana).")
@_with_options
@db_option
@click.pass_context
@guarded
def add(
    ctx: click.Context,
    name: str,
    handle: str | None,
    role: str | None,
    email: str | None,
    timezone: str | None,
    db: str | None,
) -> None:
    """Add a person: kickoff people add "Ana Silva" --role "Product lead"."""
    from kickoff_tui.store import people as ps

    store = open_store(_db(ctx, db))
    pid = ps.add_person(store, {"name": name, **_fields(handle, role, email, timezone)})
    row = store.get("person", pid)
    store.close()
    assert row is not None  # just added
    click.echo(f"Added {row['name']} as @{row['handle']}.")


@people.command("edit")
@click.argument("who")
@click.option("--name", help="Their full name.")
@click.option("--handle", help="A new unique handle.")
@_with_options
@db_option
@click.pass_context
@guarded
def edit(
    ctx: click.Context,
    who: str,
    name: str | None,
    handle: str | None,
    role: str | None,
    email: str | None,
    timezone: str | None,
    db: str | None,
) -> None:
    """Change a person's name, handle, role, email or time zone (an empty value clears it)."""
    from kickoff_tui.store import people as ps

    values = _fields(handle, role, email, timezone)
    if name is not None:
        values["name"] = name
    if not values:
        fail('Say what to change, e.g. kickoff people edit ana --role "Product lead".', 2)
    store = open_store(_db(ctx, db))
    person = ps.find(store, who)
    ps.edit_person(store, person["id"], values)
    row = store.get("person", person["id"])
    store.close()
    assert row is not None  # just saved
    click.echo(f"Saved {row['name']} (@{row['handle']}).")


@people.command("deactivate")
@click.argument("who")
@db_option
@click.pass_context
@guarded
def deactivate(ctx: click.Context, who: str, db: str | None) -> None:
    """Take a person out of owner pickers and standups; their name stays on past records."""
    _set_active(ctx, who, db, False)


@people.command("reactivate")
@click.argument("who")
@db_option
@click.pass_context
@guarded
def reactivate(ctx: click.Context, who: str, db: str | None) -> None:
    """Bring a deactivated person back."""
    _set_active(ctx, who, db, True)


def _set_active(ctx: click.Context, who: str, db: str | None, active: bool) -> None:
    from kickoff_tui.store import people as ps

    store = open_store(_db(ctx, db))
    person = ps.find(store, who)
    changed = ps.set_active(store, person["id"], active)
    store.close()
    state = "active" if active else "deactivated"
    click.echo(
        f"@{person['handle']} is {state}."
        if changed
        else f"@{person['handle']} was already {state}; nothing changed."
    )


@people.command("show")
@click.argument("who")
@click.option("--md", "as_md", is_flag=True, help="Print Markdown (to paste into a wiki).")
@db_option
@click.pass_context
@guarded
def show(ctx: click.Context, who: str, as_md: bool, db: str | None) -> None:
    """A person's onboarding page: purpose, objectives, their cards, RACI, KRs, risks,
    blockers, decisions and recent activity."""
    from kickoff_tui.store import people as ps
    from kickoff_tui.store.person_page import person_markdown

    store = open_store(_db(ctx, db))
    person = ps.find(store, who)
    text = person_markdown(store, person["id"])
    store.close()
    click.echo(text.rstrip("\n"))


@click.command("me")
@click.argument("who", required=False)
@db_option
@click.pass_context
@guarded
def me(ctx: click.Context, who: str | None, db: str | None) -> None:
    """Say who you are on this machine (kept here, never synced): kickoff me ana."""
    import os

    from kickoff_tui.store import people as ps

    store = open_store(_db(ctx, db))
    if who is None:
        pid = ps.me(store)
        row = store.get("person", pid) if pid else None
        store.close()
        if row is None:
            fail("You are nobody in this workspace yet: say who with `kickoff me HANDLE`.", 1)
        source = " (from KICKOFF_USER)" if os.environ.get("KICKOFF_USER") else ""
        click.echo(f"You are {row['name']} (@{row['handle']}){source}.")
        return
    person = ps.find(store, who)
    ps.set_me(store, person["id"])
    store.close()
    click.echo(f"On this machine you are {person['name']} (@{person['handle']}).")
    env = os.environ.get("KICKOFF_USER")
    if env and env.strip().lstrip("@").lower() != (person["handle"] or "").lower():
        click.echo(f"Note: KICKOFF_USER={env} is set and wins while it is.", err=True)


def _cut(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
