"""`kickoff stakeholder list|add` and `kickoff comm list`: the stakeholder map and the
communication plan on standard output, as tables or JSON. No Textual here."""

from __future__ import annotations

from typing import Any

import click

from kickoff_tui.cli import _db, cut, db_option, echo_json, echo_table, guarded, open_store
from kickoff_tui.rules.kickoff import ATTITUDES, DISCIPLINES, QUESTION_FIELDS

#: The keys of `stakeholder list --json`, in order (stable: scripts read them).
STAKEHOLDER_JSON = (
    "num",
    "id",
    "name",
    "discipline",
    "internal",
    "influence",
    "interest",
    "engagement",
    "attitude",
    "expectation",
    "owner",
    "last_contact",
    "next_contact",
    "answers",
    "shortlisted",
    "verdict",
    "flags",
    "conflict",
)


@click.group()
def stakeholder() -> None:
    """The stakeholder map: influence × interest, the five-question shortlist."""


@stakeholder.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--shortlist", "only_short", is_flag=True, help="Only the shortlisted stakeholders.")
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, only_short: bool, db: str | None) -> None:
    """Print the stakeholders by number, with their engagement and shortlist verdict."""
    from kickoff_tui.store import stakeholders as sh

    store = open_store(_db(ctx, db))
    rows = [s for s in sh.stakeholders(store) if s["verdict"].on or not only_short]
    store.close()
    if as_json:
        out: list[dict[str, Any]] = []
        for s in rows:
            item = {k: s.get(k) for k in STAKEHOLDER_JSON}
            item["owner"] = s["owner_name"]
            item["internal"] = bool(s["internal"]) if s["internal"] is not None else None
            item["answers"] = [None if s[f] is None else bool(s[f]) for f in QUESTION_FIELDS]
            item["shortlisted"] = s["verdict"].on
            item["verdict"] = s["verdict"].summary()
            out.append(item)
        echo_json(out)
        return
    if not rows:
        click.echo(
            "No shortlisted stakeholders."
            if only_short
            else "No stakeholders yet: kickoff stakeholder add NAME, or key 8 then m, n."
        )
        return
    echo_table(
        (
            "#",
            "Stakeholder",
            "Discipline",
            "Infl",
            "Int",
            "Engagement",
            "Shortlist",
            "Next contact",
            "Attention",
        ),
        [
            (
                f"S{s['num']}",
                cut(s["name"], 32),
                s["discipline_label"],
                str(s["influence"]),
                str(s["interest"]),
                s["engagement"],
                s["verdict"].summary(),
                s["next_contact"] or "-",
                ("⚠ conflict; " if s["conflict"] else "") + ", ".join(s["flags"]),
            )
            for s in rows
        ],
        fill=1,
    )


@stakeholder.command("add")
@click.argument("name")
@click.option(
    "--discipline",
    type=click.Choice(DISCIPLINES),
    default="other",
    show_default=True,
    help="Their organisation or discipline.",
)
@click.option("--influence", type=click.IntRange(1, 5), default=3, show_default=True)
@click.option("--interest", type=click.IntRange(1, 5), default=3, show_default=True)
@click.option("--external", is_flag=True, help="Outside the organisation (default: internal).")
@click.option("--attitude", type=click.Choice(ATTITUDES))
@click.option("--expect", "expectation", help="What we expect of them.")
@click.option("--owner", help="The relationship owner: a handle or name.")
@db_option
@click.pass_context
@guarded
def add(
    ctx: click.Context,
    name: str,
    discipline: str,
    influence: int,
    interest: int,
    external: bool,
    attitude: str | None,
    expectation: str | None,
    owner: str | None,
    db: str | None,
) -> None:
    """Add a stakeholder: kickoff stakeholder add "Legal team" --discipline legal --influence 4."""
    from kickoff_tui.store import people
    from kickoff_tui.store import stakeholders as sh

    store = open_store(_db(ctx, db))
    values: dict[str, Any] = {
        "name": name,
        "discipline": discipline,
        "influence": influence,
        "interest": interest,
        "internal": 0 if external else 1,
    }
    if attitude:
        values["attitude"] = attitude
    if expectation:
        values["expectation"] = expectation
    if owner:
        values["owner_id"] = people.find(store, owner)["id"]
    sid = sh.save_stakeholder(store, values)
    (added,) = [s for s in sh.stakeholders(store) if s["id"] == sid]
    store.close()
    click.echo(f"Added S{added['num']} {added['name']} ({added['engagement']}).")


@click.group()
def comm() -> None:
    """The communication plan: who is told what, how and when."""


COMM_JSON = (
    "num",
    "id",
    "audience",
    "message",
    "channel",
    "cadence",
    "owner",
    "starts",
    "last_done",
    "next_due",
    "overdue",
    "flags",
    "conflict",
)


@comm.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option("--due", "only_due", is_flag=True, help="Only what is due today or overdue.")
@db_option
@click.pass_context
@guarded
def comm_list(ctx: click.Context, as_json: bool, only_due: bool, db: str | None) -> None:
    """Print the plan, soonest due first."""
    from kickoff_tui.store import comms
    from kickoff_tui.store.stakeholders import today_of

    store = open_store(_db(ctx, db))
    today = today_of(store)
    rows = comms.plan(store, today)
    store.close()
    if only_due:
        rows = [c for c in rows if c["next_due"] is not None and c["next_due"] <= today]
    if as_json:
        out = []
        for c in rows:
            item = {k: c.get(k) for k in COMM_JSON}
            item["audience"] = c["audience_label"]
            item["owner"] = c["owner_name"]
            item["next_due"] = c["next_due"].isoformat() if c["next_due"] else None
            out.append(item)
        echo_json(out)
        return
    if not rows:
        click.echo(
            "Nothing due." if only_due else "No communications planned yet: key 8, then p, n."
        )
        return
    echo_table(
        ("#", "Audience", "What", "Channel", "Cadence", "Owner", "Next due", "Attention"),
        [
            (
                f"C{c['num']}",
                cut(c["audience_label"], 24),
                cut(c["message"], 40),
                cut(c["channel"], 20),
                c["cadence_label"],
                c["owner_name"] or "no owner",
                c["next_due"].isoformat() if c["next_due"] else "done",
                ("⚠ conflict; " if c["conflict"] else "") + ", ".join(c["flags"]),
            )
            for c in rows
        ],
        fill=2,
    )
