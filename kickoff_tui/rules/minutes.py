"""Standup minutes as Markdown: what a team pastes into chat after the meeting.

The facts come in as plain dataclasses (built by ``store.standups.minutes``); this module only
writes them out. Every piece of user text goes through :func:`rules.markdown.inline`, and is only
ever placed after fixed text on its line, so nothing typed can add headings, lists or links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kickoff_tui.rules.markdown import inline
from kickoff_tui.rules.standup import format_clock
from kickoff_tui.rules.status import rag_mark

__all__ = [
    "BlockerNote",
    "CheckinNote",
    "DecisionNote",
    "Minutes",
    "SpeakerNote",
    "day_label",
    "render",
]


def day_label(d: date, year: bool = True) -> str:
    """ "Mon 23 Nov 2026" (or without the year)."""
    return f"{d:%a} {d.day} {d:%b}" + (f" {d.year}" if year else "")


@dataclass
class SpeakerNote:
    """One person's turn: how long they spoke and what they wrote."""

    name: str
    seconds: int = 0
    done: str | None = None
    next: str | None = None
    blockers: str | None = None


@dataclass
class BlockerNote:
    ref: str  # "B3"
    text: str
    raised_by: str | None = None
    owner: str | None = None
    card: str | None = None  # "#10 Run the load test at 3× traffic"
    card_rag: str | None = None
    resolved: bool = False
    owner_due: date | None = None  # the (local) day it needs an owner by
    overdue: bool = False  # still no owner and that day is over

    @property
    def rag(self) -> str:
        if self.resolved:
            return "green"
        return "yellow" if self.owner else "red"


@dataclass
class DecisionNote:
    ref: str  # "D5"
    title: str
    outcome: str | None = None
    owner: str | None = None
    due: date | None = None
    rag: str | None = None
    status: str | None = None


@dataclass
class CheckinNote:
    ref: str  # "KR1"
    title: str
    value: str  # already formatted, e.g. "75"
    unit: str | None = None
    confidence: int | None = None
    author: str | None = None
    note: str | None = None


@dataclass
class Minutes:
    """Everything the minutes and the after-standup summary show."""

    workspace: str
    held_on: date
    start: str  # local clock time, "09:00"
    end: str | None  # None while the standup still runs
    tz: str
    seconds: int  # meeting time used (pauses left out)
    paused_seconds: int
    timebox_min: int
    facilitator: str | None = None
    speakers: list[SpeakerNote] = field(default_factory=list)
    away: list[str] = field(default_factory=list)
    blockers: list[BlockerNote] = field(default_factory=list)
    decisions: list[DecisionNote] = field(default_factory=list)
    checkins: list[CheckinNote] = field(default_factory=list)
    ended_unowned: bool = False

    @property
    def unowned(self) -> list[BlockerNote]:
        return [b for b in self.blockers if not b.owner and not b.resolved]


def _minutes(seconds: int) -> str:
    return f"{round(seconds / 60)} min"


def _names(names: list[str]) -> str:
    return ", ".join(inline(n) for n in names) or "nobody"


def _blocker_line(b: BlockerNote) -> str:
    parts = [f"- {rag_mark(b.rag)} **{b.ref}** {inline(b.text)}"]
    if b.raised_by:
        parts.append(f" — raised by {inline(b.raised_by)}")
    if b.resolved:
        parts.append(" · resolved")
    elif b.owner:
        parts.append(f" · owner: {inline(b.owner)}")
    else:
        due = f", needed by the end of {day_label(b.owner_due, year=False)}" if b.owner_due else ""
        parts.append(f" · **no owner**{due}" + (" (overdue)" if b.overdue else ""))
    if b.card:
        rag = f" (RAG {inline(b.card_rag)})" if b.card_rag else ""
        parts.append(f" · card {inline(b.card)}{rag}")
    return "".join(parts)


def _decision_line(d: DecisionNote) -> str:
    parts = [f"- {rag_mark(d.rag)} **{d.ref}** {inline(d.title)}"]
    if d.outcome:
        parts.append(f" — outcome: {inline(d.outcome)}")
    parts.append(f" · owner: {inline(d.owner) if d.owner else '**none**'}")
    parts.append(f" · due {day_label(d.due)}" if d.due else " · no deadline")
    parts.append(f" · RAG {inline(d.rag) or 'none'}")
    if d.status and d.status != "accepted":
        parts.append(f" · {inline(d.status)}")
    return "".join(parts)


def _checkin_line(c: CheckinNote) -> str:
    unit = f" {inline(c.unit)}" if c.unit else ""
    parts = [f"- **{c.ref}** {inline(c.title)}: {inline(c.value)}{unit}"]
    if c.confidence is not None:
        parts.append(f" · confidence {c.confidence}/10")
    if c.author:
        parts.append(f" · by {inline(c.author)}")
    if c.note:
        parts.append(f" — “{inline(c.note)}”")
    return "".join(parts)


def render(m: Minutes) -> str:
    """The minutes as Markdown (CommonMark; lists rather than tables, which chat apps mangle)."""
    start, end, tz = inline(m.start), inline(m.end), inline(m.tz)
    when = (
        f"{day_label(m.held_on)}, {start}–{end} {tz}"
        if m.end
        else (f"{day_label(m.held_on)}, from {start} {tz} (still running)")
    )
    used = f"{_minutes(m.seconds)} of a {m.timebox_min} min timebox"
    if m.paused_seconds >= 60:
        used += f", {_minutes(m.paused_seconds)} paused"
    lines = [
        f"# Standup minutes: {inline(m.workspace)}, {day_label(m.held_on)}",
        "",
        f"- When: {when} ({used})",
    ]
    if m.facilitator:
        lines.append(f"- Facilitator: {inline(m.facilitator)}")
    lines.append(f"- Present ({len(m.speakers)}): {_names([s.name for s in m.speakers])}")
    if m.away:
        lines.append(f"- Away: {_names(m.away)}")
    if m.ended_unowned:
        n = len(m.unowned)
        lines += ["", f"> ⚠ Ended with {n} blocker{'s' if n != 1 else ''} still without an owner."]

    sections = [
        ("Decisions", [_decision_line(d) for d in m.decisions]),
        ("Blockers", [_blocker_line(b) for b in m.blockers]),
        ("Key-result check-ins", [_checkin_line(c) for c in m.checkins]),
    ]
    for title, items in sections:
        lines += ["", f"## {title} ({len(items)})", ""]
        lines += items or ["- none"]

    lines += ["", "## Updates"]
    for s in m.speakers:
        lines += ["", f"**{inline(s.name)}** · {format_clock(s.seconds)}", ""]
        said = [
            (label, getattr(s, key))
            for label, key in (("Done", "done"), ("Next", "next"), ("Blockers", "blockers"))
            if getattr(s, key)
        ]
        lines += [f"- {label}: {inline(text)}" for label, text in said] or ["- (nothing written)"]
    return "\n".join(lines) + "\n"
