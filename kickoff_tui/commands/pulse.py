"""`kickoff pulse open | answer | results | list`: pulse checks from the shell.

Answers are synced like every other change: anyone with a copy of the workspace can read who
answered what (said when answering). Results show only from three answers. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kickoff_tui.cli import _db, db_option, echo_json, fail, guarded, json_option, open_store

if TYPE_CHECKING:
    from kickoff_tui.rules.pulse import Results
    from kickoff_tui.store.pulses import Pulse

PRIVACY = "Answers are synced: anyone with a copy of the workspace can read who answered what."


@click.group()
def pulse() -> None:
    """Pulse checks: 3–5 questions answered 1–5 in under 30 seconds, every week or two.

    \b
    Examples:
      kickoff pulse open
      kickoff pulse answer                  (asks each question)
      kickoff pulse answer --answers 4,3,5,4 --text "Fewer meetings"
      kickoff pulse results --json
    """


def _span(p: Pulse) -> str:
    return f"{p.opens_on:%a %-d %b} – {p.closes_on:%a %-d %b}"


@pulse.command("list")
@json_option
@db_option
@click.pass_context
@guarded
def list_(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Every pulse: when it is open and how many answered."""
    from kickoff_tui.cli import echo_table
    from kickoff_tui.store import pulses as ps

    store = open_store(_db(ctx, db))
    everyone = ps.pulses(store, ps.today_here(store))
    store.close()
    if as_json:
        echo_json(
            [
                {
                    "pulse": p.ref,
                    "status": p.status,
                    "opens_on": p.opens_on.isoformat(),
                    "closes_on": p.closes_on.isoformat(),
                    "answered": p.answered,
                    "questions": p.questions,
                }
                for p in everyone
            ]
        )
        return
    if not everyone:
        click.echo("No pulse yet: open one with `kickoff pulse open`.")
        return
    echo_table(
        ("#", "Status", "Open", "Answered"),
        [(p.ref, p.status, _span(p), str(p.answered)) for p in everyone],
    )


@pulse.command("open")
@click.option(
    "--question",
    "-q",
    "questions",
    multiple=True,
    help="A question answered 1–5 (3 to 5 of them; default: the last pulse's).",
)
@click.option("--on", "on", metavar="DAY", help="Open on a later day (YYYY-MM-DD, +3d, …).")
@db_option
@click.pass_context
@guarded
def open_(ctx: click.Context, questions: tuple[str, ...], on: str | None, db: str | None) -> None:
    """Open a pulse for the workspace's pulse length (a week or two)."""
    from kickoff_tui.rules.dates import parse_date
    from kickoff_tui.store import pulses as ps

    store = open_store(_db(ctx, db))
    today = ps.today_here(store)
    try:
        opens = parse_date(on, today) if on else None
    except ValueError as exc:
        store.close()
        fail(str(exc), 2)
    pid = ps.open_pulse(store, today, list(questions) or None, opens)
    p = next(p for p in ps.pulses(store, today) if p.id == pid)
    store.close()
    click.echo(f"Opened {p.ref} ({_span(p)}): {', '.join(p.questions)}.")


@pulse.command("questions")
@click.argument("ref")
@click.option("--question", "-q", "questions", multiple=True, required=True, help="3 to 5.")
@db_option
@click.pass_context
@guarded
def questions_(ctx: click.Context, ref: str, questions: tuple[str, ...], db: str | None) -> None:
    """Change the questions of a pulse that hasn't opened yet (kickoff pulse open --on …)."""
    from kickoff_tui.store import pulses as ps

    store = open_store(_db(ctx, db))
    today = ps.today_here(store)
    p = ps.find(store, ref, today)
    ps.edit_questions(store, p.id, list(questions), today)
    store.close()
    click.echo(f"{p.ref} will ask: {', '.join(questions)}.")


@pulse.command("answer")
@click.argument("ref", required=False)
@click.option("--answers", help="One 1–5 per question in order, e.g. 4,3,5,4 (- skips one).")
@click.option("--text", help="What would help? (optional)")
@db_option
@click.pass_context
@guarded
def answer(
    ctx: click.Context, ref: str | None, answers: str | None, text: str | None, db: str | None
) -> None:
    """Answer the open pulse as yourself (kickoff me); without --answers, asks each question."""
    from kickoff_tui.rules import pulse as pr
    from kickoff_tui.store import people
    from kickoff_tui.store import pulses as ps

    store = open_store(_db(ctx, db))
    today = ps.today_here(store)
    p = ps.find(store, ref, today)
    me = people.me(store)
    if me is None:
        store.close()
        fail("Say who you are first: kickoff me HANDLE (your answer carries your name).", 1)
    if p.status != "open":
        store.close()
        fail(f"{p.ref} is {p.status} ({_span(p)}); answers are taken while it is open.", 1)
    if answers is not None:
        try:
            values = pr.parse_answers(answers, p.questions)
        except ValueError as exc:
            store.close()
            fail(str(exc), 2)
    else:
        click.echo(f"{p.ref}, open until {p.closes_on:%a %-d %b}. {PRIVACY}")
        click.echo("Answer 1 (low) to 5 (high); press enter to skip a question.")
        try:
            values = [_ask(q) for q in p.questions]
            if text is None:
                text = click.prompt(pr.TEXT_QUESTION, default="", show_default=False)
        except click.Abort:  # no terminal and nothing more on stdin, or ctrl+c / ctrl+d
            store.close()
            fail(
                "Nothing saved. Answer each question, or give "
                f"--answers {','.join(['4'] * len(p.questions))}.",
                1,
            )
        if all(v is None for v in values):
            store.close()
            fail("Nothing saved: answer at least one question (1–5).", 1)
    ps.answer(store, p.id, me, values, text, today)
    store.close()
    click.echo(f"Saved your answer to {p.ref}. {PRIVACY}")


def _ask(question: str) -> int | None:
    from kickoff_tui.rules.pulse import check_answer

    while True:
        raw = click.prompt(f"{question} (1–5)", default="", show_default=False)
        if not raw.strip():
            return None
        try:
            return check_answer(raw, question)
        except ValueError as exc:
            click.echo(str(exc), err=True)


def results_data(p: Pulse, res: Results) -> dict[str, Any]:
    """What `pulse results --json` prints (questions empty below three answers)."""
    from kickoff_tui.rules.pulse import MIN_ANSWERS

    return {
        "pulse": p.ref,
        "status": p.status,
        "opens_on": p.opens_on.isoformat(),
        "closes_on": p.closes_on.isoformat(),
        "answered": res.answered,
        "shown": res.enough,
        "min_answers": MIN_ANSWERS,
        "questions": [
            {
                "question": q.question,
                "average": q.average,
                "answered": q.answered,
                "counts": dict(zip(("1", "2", "3", "4", "5"), q.counts)),
                "trend": list(q.trend),
                "dropped": q.dropped,
            }
            for q in res.questions
        ],
        "what_would_help": res.texts,
    }


@pulse.command("results")
@click.argument("ref", required=False)
@json_option
@db_option
@click.pass_context
@guarded
def results(ctx: click.Context, ref: str | None, as_json: bool, db: str | None) -> None:
    """A pulse's results (the open one, else the last): average, spread and trend per
    question; shown from three answers on."""
    from kickoff_tui.rules import pulse as pr
    from kickoff_tui.store import pulses as ps

    store = open_store(_db(ctx, db))
    today = ps.today_here(store)
    p = ps.find(store, ref, today)
    res = ps.results(store, p, today)
    store.close()
    if as_json:
        echo_json(results_data(p, res))
        return
    click.echo(f"{p.ref} · {p.status} {_span(p)} · {res.answered} answered")
    if not res.enough:
        click.echo(f"Results show from {pr.MIN_ANSWERS} answers, so no one's answer stands out.")
        return
    width = max(len(q.question) for q in res.questions)
    for q in res.questions:
        avg = "–" if q.average is None else f"{q.average:.1f}"
        flag = " ⚠" if q.dropped else "  "
        click.echo(
            f"{q.question:<{width}}  {avg:>3}  {pr.sparkline(q.trend):<6}{flag}  {pr.bars(q.counts)}"
        )
    if res.texts:
        click.echo(pr.TEXT_QUESTION)
        for t in res.texts:
            click.echo(f"  - {' '.join(t.split())}")
