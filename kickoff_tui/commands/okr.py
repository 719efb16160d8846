"""`kickoff okr`: check in a key result from the shell and print the OKR tree.

For scripts and CI jobs that push a metric (`kickoff okr checkin KR3 99.95 --note "nightly"`).
No Textual here: the commands read and write the workspace through the store and print text.
"""

from __future__ import annotations

import json
from typing import Any

import click

from kickoff_tui.cli import (
    _db,
    complete_numbers,
    db_option,
    fail,
    guarded,
    not_found,
    open_store,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def okr() -> None:
    """Objectives and key results: check in a key result, list the tree with progress."""


@okr.command(context_settings={"ignore_unknown_options": True})
@click.argument("kr_ref", metavar="KR_REF", shell_complete=complete_numbers("key_result", "KR"))
@click.argument("value", metavar="VALUE")
@click.option("--confidence", metavar="N", help="How sure the target will be met, 0–10.")
@click.option("--note", metavar="TEXT", help="A short note kept with the check-in.")
@db_option
@click.pass_context
@guarded
def checkin(
    ctx: click.Context,
    kr_ref: str,
    value: str,
    confidence: str | None,
    note: str | None,
    db: str | None,
) -> None:
    """Record a check-in: KR_REF is the number shown in the UI (KR3 or 3) or the key result's
    id; VALUE is a number such as 12, 12.5, 12,5 or 45%."""
    from kickoff_tui.rules.numbers import format_number, parse_number
    from kickoff_tui.store import okrs
    from kickoff_tui.store.standups import me

    try:
        number = parse_number(value)
    except ValueError as exc:
        fail(str(exc), 2)
    level = None
    if confidence is not None:
        try:
            level = parse_number(confidence)
        except ValueError:
            level = None
        if level is None or level != int(level) or not 0 <= level <= 10:
            fail(f"Confidence must be a whole number from 0 to 10 (got '{confidence}').", 2)
        level = int(level)
    store = open_store(_db(ctx, db))
    kr_id = okrs.resolve_kr(store, kr_ref)
    if kr_id is None:
        store.close()
        not_found(f"There is no key result {kr_ref!r}; `kickoff okr list` shows their numbers.")
    before = okrs.view(store).key_result(kr_id)
    okrs.check_in(
        store,
        kr_id,
        value=number,
        confidence=None if level is None else int(level),
        note=note,
        author_id=me(store),
    )
    after = okrs.view(store).key_result(kr_id)
    store.close()
    assert after is not None and before is not None
    unit = f" {after.unit}" if after.unit else ""
    was = "" if before.current is None else f" (was {format_number(before.current)})"
    click.echo(
        f"Checked in {after.ref} {after.title}: {format_number(number)}{unit}{was} · "
        f"{after.progress:.0%} · {after.pace}"
    )


def _kr_dict(kr: Any) -> dict[str, Any]:
    return {
        "ref": kr.ref,
        "id": kr.id,
        "title": kr.title,
        "kind": kr.kind,
        "unit": kr.unit,
        "owner": kr.owner_name,
        "baseline": kr.baseline,
        "current": kr.current,
        "target": kr.target,
        "weight": kr.weight,
        "confidence": kr.confidence,
        "progress": round(kr.progress, 4),
        "grade": kr.grade,
        "pace": kr.pace,
        "trend": kr.trend,
        "last_check_in": kr.last_at,
        "days_since_check_in": kr.days_since,
        "cards": kr.cards,
        "cards_done": kr.cards_done,
        "progress_from_cards": kr.from_cards,
        "conflict": kr.conflict,
    }


@okr.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts) instead of text.")
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Print every objective with its key results, progress, grade, pace and confidence."""
    from kickoff_tui.store import okrs

    store = open_store(_db(ctx, db))
    data = okrs.view(store)
    store.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "day": data.day,
                    "objectives": [
                        {
                            "ref": o.ref,
                            "id": o.id,
                            "title": o.title,
                            "owner": o.owner_name,
                            "weight": o.weight,
                            "progress": round(o.progress, 4),
                            "grade": o.grade,
                            "pace": o.pace,
                            "conflict": o.conflict,
                            "key_results": [_kr_dict(k) for k in o.key_results],
                        }
                        for o in data.objectives
                    ],
                    "needs_attention": [{"ref": n.ref, "reason": n.reason} for n in data.nudges],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not data.objectives:
        click.echo("No objectives yet: add one on the OKR screen (kickoff, then 2, then n).")
        return
    for o in data.objectives:
        mark = "⚠ " if o.conflict else ""
        owner = f" ({o.owner_name})" if o.owner_name else ""
        click.echo(f"{mark}{o.ref} {o.title}{owner}  {o.progress:.0%} {o.grade} · {o.pace}")
        for k in o.key_results:
            mark = "⚠ " if k.conflict else ""
            conf = "–" if k.confidence is None else f"{k.confidence}/10"
            last = "never" if k.days_since is None else f"{k.days_since}d ago"
            cards = f" · cards {k.cards_done}/{k.cards}" if k.cards else ""
            click.echo(
                f"  {mark}{k.ref} {k.title}: {k.value_text()}  {k.progress:.0%} {k.grade}"
                f" · {k.pace} · confidence {conf} · last check-in {last}{cards}"
            )
    if data.nudges:
        click.echo("\nNeeds attention:")
        for n in data.nudges:
            click.echo(f"  {n.ref}: {n.reason}")
