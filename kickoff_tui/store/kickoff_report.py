"""The kickoff report (`kickoff export --format md --charter`): what goes to everyone after the
kickoff meeting as the reference for the rest of the project — the charter, the objectives and
key results, the 0–30 day plan, the top risks, the stakeholders and the communication plan.

Every user value goes through the one Markdown escaper (:mod:`kickoff_tui.rules.markdown`), and
user text only ever follows fixed text on a line, so no one's words can add structure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kickoff_tui.rules.kickoff import CHARTER_SECTIONS, QUESTIONS
from kickoff_tui.rules.markdown import escape, inline
from kickoff_tui.rules.markdown import table as md_table
from kickoff_tui.store import charter as ch
from kickoff_tui.store import comms, queries
from kickoff_tui.store import stakeholders as sh

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

#: How many risks the report lists.
TOP_RISKS = 5


_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def _quoted(line: str) -> str:
    """One line of user text inside a quote: escaped, and a character that would start a
    block inside the quote (a heading, a list, a nested quote) escaped too."""
    text = _BLOCK_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
        escape(line.strip()),
    )
    return f"> {text}"


def _block(text: str) -> list[str]:
    """Multi-line user text as quoted paragraphs: each line after "> ", escaped."""
    return [_quoted(line) if line.strip() else ">" for line in text.splitlines()]


def kickoff_markdown(store: Store) -> str:
    """The kickoff report as one Markdown document."""
    from kickoff_tui.store.stakeholders import today_of

    today = today_of(store)
    ws = store.workspace()
    charter = ch.charter(store, today)
    out = [f"# {inline(ws.get('name'))} — kickoff report", ""]
    kickoff = ws.get("kickoff_date")
    out += [f"Kickoff {escape(kickoff)} · written {today.isoformat()}", ""]

    out += ["## Charter", ""]
    for name, title, _ in CHARTER_SECTIONS:
        text = charter.sections[name]
        out += [f"### {title}", ""]
        out += _block(text) if text else ["Not written yet."]
        out.append("")
        if name == "success" and charter.objectives:
            for o in charter.objectives:
                out.append(
                    f"- **{o['ref']}** {inline(o['title'])} — {o['progress']:.0%}"
                    + (f" ({inline(o['owner'])})" if o["owner"] else "")
                )
                out += [
                    f"  - {k['ref']} {inline(k['title'])} — {k['progress']:.0%}"
                    for k in o["key_results"]
                ]
            out.append("")
        if name == "roles" and charter.roles:
            out += [f"- {inline(line)}" for line in charter.roles]
            out.append("")

    out += ["### Open questions", ""]
    qs = charter.questions
    out += [
        f"- **Q{q['num']}** {inline(q['text'])} — "
        + (
            f"answered: {inline(q['answer'])}"
            if q["answer"]
            else f"{'⚠ late, ' if q['late'] else ''}answer by {escape(q['answer_by'])}"
        )
        + f" ({inline(q['owner_name']) or 'no owner'})"
        for q in qs
    ] or ["No open questions."]

    out += ["", "## The first 30 days", ""]
    cards = [c for c in queries.board_cards(store) if c["window"] == "30"]
    out += [
        f"- **#{c['num']}** {inline(c['title'])} — {escape(c['state'])}"
        + (f", due {escape(c['due'])}" if c["due"] else "")
        + f" ({inline(c['owner_name']) or 'no owner'})"
        for c in cards
    ] or ["No cards in the first 30 days yet."]

    out += ["", "## Top risks", ""]
    risks = queries.risks(store)[:TOP_RISKS]
    if risks:
        out += md_table(
            ["", "Risk", "Score", "Owner", "Mitigation"],
            [
                [
                    f"R{r['num']}",
                    inline(r["title"]),
                    str(r["score"]),
                    inline(r["owner_name"]) or "no owner",
                    inline(r["mitigation"]),
                ]
                for r in risks
            ],
        )
    else:
        out.append("No risks yet.")

    out += ["", "## Stakeholders", ""]
    people = sh.stakeholders(store, today)
    if people:
        out += md_table(
            ["", "Stakeholder", "Discipline", "Influence", "Interest", "Engagement", "Shortlist"],
            [
                [
                    f"S{s['num']}",
                    inline(s["name"]),
                    inline(s["discipline_label"]),
                    str(s["influence"]),
                    str(s["interest"]),
                    s["engagement"],
                    escape(s["verdict"].summary()),
                ]
                for s in people
            ],
        )
        out += [
            "",
            "Shortlist questions: " + "; ".join(f"{n} {q[0]}" for n, q in enumerate(QUESTIONS, 1)),
        ]
    else:
        out.append("No stakeholders yet.")

    out += ["", "## Communication plan", ""]
    plan = comms.plan(store, today)
    if plan:
        out += md_table(
            ["", "Audience", "What", "Channel", "When", "Owner", "Next"],
            [
                [
                    f"C{c['num']}",
                    inline(c["audience_label"]),
                    inline(c["message"]),
                    inline(c["channel"]),
                    escape(c["cadence_label"]),
                    inline(c["owner_name"]) or "no owner",
                    c["next_due"].isoformat() if c["next_due"] else "done",
                ]
                for c in plan
            ],
        )
    else:
        out.append("No communications planned yet.")
    return "\n".join(out) + "\n"
