"""`kickoff risk list`: the risk register on standard output, as a table or as JSON.

No Textual here: the command reads the workspace and prints text.
"""

from __future__ import annotations

import json

import click

from kickoff_tui.cli import _db, cut, db_option, echo_table, fail, guarded, open_store

#: The columns of `risk list --json`, in order (stable: scripts read them).
JSON_FIELDS = (
    "num",
    "id",
    "title",
    "owner",
    "likelihood",
    "impact",
    "score",
    "band",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "residual_band",
    "treatment",
    "status",
    "mitigation",
    "due",
    "next_review",
    "flags",
    "conflict",
)


@click.group()
def risk() -> None:
    """The risk register (likelihood × impact, owners, mitigations, reviews)."""


@risk.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option(
    "--min-score",
    "min_text",
    default="1",
    show_default=True,
    metavar="N",
    help="Only risks whose inherent score (likelihood × impact) is N or more.",
)
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, min_text: str, db: str | None) -> None:
    """Print the register, highest inherent score first, with the attention flags."""
    from kickoff_tui.store import risks as rk

    try:
        min_score = int(min_text.strip())
    except ValueError:
        min_score = 0
    if not 1 <= min_score <= 25:
        shown = "".join(ch if ch.isprintable() else "?" for ch in min_text)[:20]
        fail(f"--min-score must be a whole number from 1 to 25 (got {shown!r}).", 2)

    store = open_store(_db(ctx, db))
    rows = [r for r in rk.register(store) if r["score"] >= min_score]
    store.close()
    if as_json:
        out = []
        for r in rows:
            item = {k: r.get(k) for k in JSON_FIELDS}
            item["owner"] = r["owner_name"]
            if not r["mitigated"]:
                item["residual_likelihood"] = item["residual_impact"] = None
            out.append(item)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(
            "No risks"
            + (
                f" with a score of {min_score} or more."
                if min_score > 1
                else " yet: add one on the risk screen (key 3, then n)."
            )
        )
        return
    rows_out = []
    for r in rows:
        rows_out.append(
            (
                f"R{r['num']}",
                cut(r["title"], 40),
                r["owner_name"] or "no owner",
                f"{r['score']} {r['band']}",
                f"{r['residual_score']} {r['residual_band']}" if r["mitigated"] else "-",
                r["treatment"] or "",
                r["status"] or "",
                r["due"] or "-",
                r["next_review"] or "-",
                ("⚠ conflict; " if r["conflict"] else "") + ", ".join(r["flags"]),
            )
        )
    echo_table(
        (
            "#",
            "Risk",
            "Owner",
            "Score",
            "Residual",
            "Treatment",
            "Status",
            "Due",
            "Review",
            "Attention",
        ),
        rows_out,
    )
