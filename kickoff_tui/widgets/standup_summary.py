"""The standup screen's *after* state: the summary of one standup (the minutes' facts)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kickoff_tui.rules import minutes as mn
from kickoff_tui.rules.standup import format_clock
from kickoff_tui.rules.status import rag_mark
from kickoff_tui.widgets.tones import BAD, OK, RAG, strong


class StandupSummary(VerticalScroll):
    """Who spoke, the blockers raised, decisions and check-ins of one standup."""

    def compose(self) -> ComposeResult:
        yield Static(id="summary", markup=False)

    def show(self, minutes: mn.Minutes, *, roomy: bool) -> None:
        """Show `minutes` (store.standups.minutes); `roomy` leaves blank lines between parts."""
        self.query_one("#summary", Static).update(summary(minutes, roomy=roomy))


def summary(m: mn.Minutes, roomy: bool = False) -> Content:
    """The after-standup summary: the same facts as the minutes, laid out to fit 80×24
    (`roomy` leaves a blank line between sections when the terminal is tall enough)."""
    gap = "\n" if roomy else ""
    used = f"{format_clock(m.seconds)} of {m.timebox_min}:00"
    end = f"–{m.end}" if m.end else " (running)"
    parts: list[Any] = [
        (f"Standup of {mn.day_label(m.held_on)}", "bold"),
        f" · {m.start}{end} {m.tz} · {used}",
    ]
    if m.ended_unowned:
        n = len(m.unowned)
        parts.append(
            (
                f"\n⚠ Ended with {n} blocker{'s' if n != 1 else ''} still without an owner",
                strong(BAD),
            )
        )
    parts.append((gap + f"\nWho spoke ({len(m.speakers)})", "bold $text-accent"))
    if m.facilitator:
        parts.append((f" · facilitator {m.facilitator}", "dim"))
    parts.append("\n  ")
    for i, s in enumerate(m.speakers):
        if i:
            parts.append((" · ", "dim"))
        parts += [s.name, (f" {format_clock(s.seconds)}", "dim")]
    if not m.speakers:
        parts.append(("nobody", "dim"))
    if m.away:
        parts.append((f" · away: {', '.join(m.away)}", "dim"))

    parts.append((gap + f"\nBlockers raised ({len(m.blockers)})", "bold $text-accent"))
    for b in m.blockers:
        parts += [(f"\n  {rag_mark(b.rag)} ", RAG[b.rag]), (f"{b.ref} ", "dim"), b.text]
        if b.resolved:
            parts.append((" · resolved", OK))
        elif b.owner:
            parts.append(f" · owner {b.owner}")
        else:
            parts.append((" · no owner", strong(BAD)))
        if b.card:
            parts.append((f" · card {b.card}", "dim"))

    parts.append((gap + f"\nDecisions ({len(m.decisions)})", "bold $text-accent"))
    for d in m.decisions:
        parts += [
            (f"\n  {rag_mark(d.rag)} ", RAG.get(d.rag or "", "$text-muted")),
            (f"{d.ref} ", "dim"),
            d.title,
        ]
        if d.outcome:
            parts.append(f": {d.outcome}")
        parts.append(f" · owner {d.owner or 'none'}")
        parts.append(f" · due {mn.day_label(d.due, year=False)}" if d.due else " · no deadline")
        parts.append((f" · {d.rag or 'no RAG'}", RAG.get(d.rag or "", "$text-muted")))

    parts.append((gap + f"\nKey-result check-ins ({len(m.checkins)})", "bold $text-accent"))
    for c in m.checkins:
        unit = f" {c.unit}" if c.unit else ""
        parts += [("\n  ", ""), (f"{c.ref} ", "dim"), c.title, f": {c.value}{unit}"]
        if c.confidence is not None:
            parts.append(f" · {c.confidence}/10")
        if c.author:
            parts.append((f" · {c.author}", "dim"))
    return Content.assemble(*parts)
