"""The weekly review and the decision log: read models and the decision write helpers.

:func:`build_review` gathers everything the review page shows (the plan day, objectives with
progress and pace, the board's counts and the cards that need attention, the top risks, open
decisions and blockers, and what changed since a chosen date) in one :class:`Review`, which the
review screen and the Markdown export both render, so the two never disagree.

Decisions: :func:`decision_log` is the log's read model; :func:`save_decision`,
:func:`supersede_decision` and :func:`publish_decision` are the writes (each one transaction);
:func:`decision_markdown` is the entry that publishing copies and writes to a file.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.dates import is_late, iso_utc, parse_instant
from kickoff_tui.rules.markdown import escape
from kickoff_tui.rules.due import (
    blocker_owner_overdue,
    decision_publication_late,
    decision_publish_due,
)
from kickoff_tui.rules.okr import kr_value_text
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS, day_of, format_range, window_of
from kickoff_tui.store import queries
from kickoff_tui.store.errors import InvalidEdit

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

PLAN_DAYS = 90
TOP_RISKS = 5
#: How far back "since last review" looks by default.
DEFAULT_SINCE_DAYS = 7
#: The most late/blocked/red cards a review lists (the count says how many there were in all).
MAX_ATTENTION = 20
#: The most activity lines a review lists (the count says how many there were in all).
MAX_CHANGES = 200

DECISION_STATUSES = ("proposed", "accepted", "rejected", "superseded")
DECIDED = ("accepted", "rejected")
RAGS = ("green", "yellow", "red")


# ---------------------------------------------------------------------- the plan's day


@dataclass(frozen=True)
class PlanDay:
    """Where today falls in the 90 days."""

    today: date
    kickoff: date
    tz: str
    day: int
    window: str  # "30" | "60" | "90" | "later"

    @property
    def headline(self) -> str:
        """'Day 37 of 90 · 31–60 window (Dec 17 – Jan 15)', or before/after the 90 days."""
        if self.day < 0:
            return f"Kickoff in {-self.day} day{'s' if self.day != -1 else ''}"
        if self.window == "later":
            return f"Day {self.day} · past the {PLAN_DAYS} days"
        return (
            f"Day {self.day} of {PLAN_DAYS} · {WINDOW_LABELS[self.window]} window "
            f"({format_range(self.window, self.kickoff)})"
        )


def plan_day(store: Store) -> PlanDay:
    """Today's plan day in the workspace timezone (kickoff date missing: today is day 0)."""
    ws = store.workspace()
    tz = ws.get("timezone") or "UTC"
    today = clock.today(tz)
    try:
        kickoff = date.fromisoformat(ws.get("kickoff_date") or "")
    except ValueError:
        kickoff = today
    return PlanDay(today, kickoff, tz, day_of(today, kickoff, tz), window_of(today, kickoff, tz))


def day_start_iso(day: date, tz: str) -> str:
    """The instant the local day `day` starts in `tz`, as stored ISO-8601 UTC text."""
    import pendulum

    from kickoff_tui.rules.windows import zone

    return iso_utc(pendulum.datetime(day.year, day.month, day.day, tz=zone(tz)))


def default_since(today: date) -> date:
    return today - timedelta(days=DEFAULT_SINCE_DAYS)


# ---------------------------------------------------------------------- the review


@dataclass(frozen=True)
class KrLine:
    num: int
    title: str
    kind: str
    owner: str | None
    current: float | None
    target: float | None
    unit: str | None
    progress: float
    grade: str
    pace: str

    @property
    def value_text(self) -> str:
        """Where it stands against its target, in words: '71 → 120 teams', '3 (keep ≤ 2)'."""
        return kr_value_text(self.kind, self.current, self.target, self.unit, self.progress)


@dataclass(frozen=True)
class ObjectiveLine:
    num: int
    title: str
    owner: str | None
    progress: float
    grade: str
    pace: str
    key_results: list[KrLine]


@dataclass(frozen=True)
class WindowCount:
    window: str
    label: str
    dates: str
    counts: dict[str, int]  # state -> cards
    current: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class AttentionCard:
    """A card that isn't done and is late, blocked or red, with the reasons in words."""

    num: int
    title: str
    window: str
    state: str
    rag: str
    owner: str | None
    due: date | None
    reasons: list[str]


@dataclass
class Review:
    """Everything the review page shows, read in one go."""

    name: str
    vision: str | None
    plan: PlanDay
    since: date
    objectives: list[ObjectiveLine] = field(default_factory=list)
    windows: list[WindowCount] = field(default_factory=list)
    attention: list[AttentionCard] = field(default_factory=list)
    attention_total: int = 0
    risks: list[sqlite3.Row] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    blockers: list[dict[str, Any]] = field(default_factory=list)
    changes: list[sqlite3.Row] = field(default_factory=list)
    changes_total: int = 0
    #: Active people's first actions: {name, handle, state, label, card_num, title}.
    first_actions: list[dict[str, Any]] = field(default_factory=list)


def build_review(store: Store, since: date | None = None) -> Review:
    """Read the whole review page; `since` defaults to a week before today."""
    plan = plan_day(store)
    ws = store.workspace()
    since = since or default_since(plan.today)
    review = Review(ws.get("name") or "", ws.get("vision"), plan, since)
    review.objectives = _objectives(store, plan)
    review.windows, review.attention, review.attention_total = _board(store, plan)
    review.risks = top_risks(store)
    review.decisions = [d for d in decision_log(store) if d["open"]]
    review.blockers = _blockers(store, plan)
    start = day_start_iso(since, plan.tz)
    review.changes = queries.recent_activity(store, since=start, limit=MAX_CHANGES)
    review.changes_total = store.row(
        "SELECT count(*) FROM activity WHERE deleted = 0 AND at > ?", (start,)
    )[0]
    review.first_actions = first_action_lines(store)
    return review


def first_action_lines(store: Store) -> list[dict[str, Any]]:
    """Each active person's first action (none yet / due in N h / done on time / ⚠ late)."""
    from kickoff_tui.store.people import first_actions

    firsts = first_actions(store)
    return [
        {
            "name": p["name"] or p["handle"] or "?",
            "handle": p["handle"],
            **firsts.get(
                p["id"], {"state": "none", "label": "none yet", "card_num": None, "title": None}
            ),
        }
        for p in store.rows(
            "SELECT id, name, handle FROM person WHERE deleted = 0 "
            "AND coalesce(active, 1) = 1 ORDER BY name COLLATE NOCASE, id"
        )
    ]


def _objectives(store: Store, plan: PlanDay) -> list[ObjectiveLine]:
    """The objectives and key results as the OKR screen scores them (store.okrs.view, the one
    read model of a key result's progress)."""
    from kickoff_tui.store.okrs import view

    return [
        ObjectiveLine(
            obj.num,
            obj.title,
            obj.owner_name,
            obj.progress,
            obj.grade,
            obj.pace,
            [
                KrLine(
                    kr.num,
                    kr.title,
                    kr.kind,
                    kr.owner_name,
                    kr.current,
                    kr.target,
                    kr.unit,
                    kr.progress,
                    kr.grade,
                    kr.pace,
                )
                for kr in obj.key_results
            ],
        )
        for obj in view(store).objectives
    ]


def _due(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _numbers(table: str, ids: str) -> str:
    """SQL for (id, num) of the rows of `table` whose id is in the SQL list `ids`: the
    queries.numbered rule (rank by creation, tombstones included), ranking ids only."""
    return (
        f"(SELECT * FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS num "
        f"FROM {table}) WHERE id IN ({ids}))"
    )


def _board(store: Store, plan: PlanDay) -> tuple[list[WindowCount], list[AttentionCard], int]:
    """Cards per window and state, and the cards not done that are late, blocked or red
    (blocked first, then red, then the latest; at most MAX_ATTENTION, with the total)."""
    counts: dict[str, dict[str, int]] = {
        w: {"todo": 0, "doing": 0, "blocked": 0, "done": 0} for w in WINDOWS
    }
    for row in store.rows(
        "SELECT window, state, count(*) AS n FROM card WHERE deleted = 0 GROUP BY window, state"
    ):
        window = row["window"] if row["window"] in counts else "30"
        state = row["state"] if row["state"] in counts[window] else "todo"
        counts[window][state] += row["n"]
    today = plan.today.isoformat()
    where = (
        "c.deleted = 0 AND coalesce(c.state, 'todo') != 'done' AND "
        "(c.state = 'blocked' OR c.rag = 'red' OR (c.due IS NOT NULL AND c.due < :today))"
    )
    total = store.row(f"SELECT count(*) FROM card c WHERE {where}", {"today": today})[0]
    attention = []
    for card in store.rows(
        f"""WITH shown AS (
                SELECT * FROM card c WHERE {where}
                 ORDER BY c.state = 'blocked' DESC, c.rag = 'red' DESC,
                          coalesce(c.due, '9999') ASC, c.created_at, c.id
                 LIMIT :limit)
            SELECT c.*, n.num, p.name AS owner_name FROM shown c
              JOIN {_numbers("card", "SELECT id FROM shown")} n ON n.id = c.id
              LEFT JOIN person p ON p.id = c.owner_id AND p.deleted = 0
             ORDER BY c.state = 'blocked' DESC, c.rag = 'red' DESC,
                      coalesce(c.due, '9999') ASC, c.created_at, c.id""",
        {"today": today, "limit": MAX_ATTENTION},
    ):
        due = _due(card["due"])
        reasons = []
        if card["state"] == "blocked":
            reasons.append("blocked")
        if card["rag"] == "red":
            reasons.append("red")
        if is_late(due, plan.today):
            late = (plan.today - due).days  # type: ignore[operator]
            reasons.append(f"{late} day{'s' if late != 1 else ''} late")
        if reasons:
            attention.append(
                AttentionCard(
                    card["num"],
                    card["title"] or "",
                    card["window"] or "30",
                    card["state"] or "todo",
                    card["rag"] or "",
                    card["owner_name"],
                    due,
                    reasons,
                )
            )
    windows = [
        WindowCount(
            w,
            WINDOW_LABELS[w],
            format_range(w, plan.kickoff),
            counts[w],
            w == plan.window and plan.day >= 0,
        )
        for w in WINDOWS
    ]
    return windows, attention, total


def top_risks(store: Store, limit: int = TOP_RISKS) -> list[sqlite3.Row]:
    """Risks not closed, highest residual score first (then inherent score, then number)."""
    live = [r for r in queries.risks(store) if (r["status"] or "open") != "closed"]
    live.sort(key=lambda r: (-(r["residual_score"] or 0), -(r["score"] or 0), r["num"]))
    return live[:limit]


def _blockers(store: Store, plan: PlanDay) -> list[dict[str, Any]]:
    now = clock.now()
    out = []
    for b in queries.open_blockers(store):
        item = dict(b)
        overdue = False
        if b["raised_at"] and not b["owner_id"]:
            try:
                overdue = blocker_owner_overdue(b["raised_at"], None, now, plan.tz)
            except ValueError:
                overdue = False
        item["owner_overdue"] = overdue
        out.append(item)
    return out


# ---------------------------------------------------------------------- decisions


def decision_log(store: Store) -> list[dict[str, Any]]:
    """Live decisions, newest first, with owner, links (card, KR, risk), supersede chain and
    the publication state (`late` when accepted over 24 hours ago and not published)."""
    rows = store.rows(
        f"""WITH dn AS {queries.numbered("decision")}
            SELECT d.*, p.name AS owner_name, p.handle AS owner_handle,
                   cn.num AS card_num, c.title AS card_title,
                   kn.num AS kr_num, k.title AS kr_title,
                   rn.num AS risk_num, r.title AS risk_title,
                   s.num AS supersedes_num, s.title AS supersedes_title,
                   (SELECT min(n.num) FROM dn n WHERE n.supersedes_id = d.id AND n.deleted = 0)
                     AS superseded_by_num
              FROM dn d
              LEFT JOIN person p ON p.id = d.owner_id AND p.deleted = 0
              LEFT JOIN card c ON c.id = d.card_id AND c.deleted = 0
              LEFT JOIN {_numbers("card", "SELECT card_id FROM decision")} cn ON cn.id = c.id
              LEFT JOIN key_result k ON k.id = d.key_result_id AND k.deleted = 0
              LEFT JOIN {_numbers("key_result", "SELECT key_result_id FROM decision")} kn
                     ON kn.id = k.id
              LEFT JOIN risk r ON r.id = d.risk_id AND r.deleted = 0
              LEFT JOIN {_numbers("risk", "SELECT risk_id FROM decision")} rn ON rn.id = r.id
              LEFT JOIN dn s ON s.id = d.supersedes_id
             WHERE d.deleted = 0
             ORDER BY d.num DESC"""
    )
    now = clock.now()
    out = []
    for row in rows:
        item = dict(row)
        item["late"] = publication_late(item, now)
        item["open"] = item["status"] == "proposed" or (
            item["status"] == "accepted" and not item["published_at"]
        )
        out.append(item)
    return out


def publication_late(decision: dict[str, Any], now: datetime) -> bool:
    """An accepted decision still unpublished more than 24 hours after it was decided."""
    if decision.get("status") != "accepted" or not decision.get("decided_at"):
        return False
    try:
        return decision_publication_late(decision["decided_at"], decision.get("published_at"), now)
    except ValueError:
        return False


def decision_state(decision: dict[str, Any], today: date) -> str:
    """An open decision's state in words: what the review asks of it."""
    if decision["late"]:
        return "accepted, not published within 24 h"
    if decision["status"] == "accepted" and not decision["published_at"]:
        return "accepted, publish within 24 h"
    if decision["status"] == "proposed" and decision["due"]:
        if decision["due"] < today.isoformat():
            return f"proposed, was due {decision['due']}"
        return f"proposed, due {decision['due']}"
    return decision["status"] or ""


def publish_due(decision: dict[str, Any]) -> datetime | None:
    """When an accepted decision should be published (24 hours after it was decided)."""
    if decision.get("status") != "accepted" or not decision.get("decided_at"):
        return None
    try:
        return decision_publish_due(decision["decided_at"])
    except ValueError:
        return None


def _decision_values(values: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    """Fill in what follows from the status: deciding stamps decided_at, reopening clears it."""
    values = dict(values)
    status = values.get("status", (before or {}).get("status") or "proposed")
    if status not in DECISION_STATUSES:
        raise InvalidEdit(
            f"A decision's status is one of {', '.join(DECISION_STATUSES)} (got {status!r})."
        )
    decided = (before or {}).get("decided_at")
    if status in DECIDED and not decided:
        values["decided_at"] = clock.iso()
    elif status == "proposed" and decided:
        values["decided_at"] = None
    return values


def save_decision(store: Store, values: dict[str, Any], decision_id: str | None = None) -> str:
    """Create a decision (no `decision_id`) or change one; return its id.

    Accepting or rejecting stamps `decided_at` (the 24-hour publication clock starts then);
    moving back to proposed clears it.
    """
    if decision_id is None:
        values = _decision_values(values, None)
        return store.create("decision", values, summary=f"Recorded decision: {values.get('title')}")
    before, num = _live_decision(store, decision_id)
    values = _decision_values(values, before)
    store.update(
        "decision",
        decision_id,
        values,
        summary=f"Edited decision D{num} {values.get('title') or before['title']}",
    )
    return decision_id


def supersede_decision(store: Store, old_id: str, values: dict[str, Any]) -> str:
    """Record a new decision that replaces `old_id`; the old one becomes superseded.

    Both happen in one transaction, so there is never a replacement without its old decision
    marked (or the other way round). Returns the new decision's id.
    """
    old, num = _live_decision(store, old_id)
    if old["status"] == "superseded":
        raise InvalidEdit(f"D{num} is already superseded; supersede its replacement instead.")
    values = _decision_values({**values, "supersedes_id": old_id}, None)
    with store.transaction(
        f"Superseded D{num} {old['title']} with: {values.get('title')}",
        entity="decision",
        action="supersede",
    ) as tx:
        new_id = tx.create("decision", values)
        tx.update("decision", old_id, {"status": "superseded"})
    return new_id


def publish_decision(store: Store, decision_id: str) -> bool:
    """Mark a decided decision published now; False when it already was (nothing written)."""
    row, num = _live_decision(store, decision_id)
    if row["status"] == "proposed":
        raise InvalidEdit(f"D{num} is still proposed: accept or reject it before publishing it.")
    if row["published_at"]:
        return False
    store.update(
        "decision",
        decision_id,
        {"published_at": clock.iso()},
        summary=f"Published decision D{num} {row['title']}",
        action="publish",
    )
    return True


def _live_decision(store: Store, decision_id: str) -> tuple[dict[str, Any], int]:
    """A decision that still exists, and its number; InvalidEdit when it was deleted."""
    row = store.get("decision", decision_id)
    if row is None or row["deleted"]:
        raise InvalidEdit("That decision no longer exists.")
    found = store.row(
        f"SELECT num FROM {queries.numbered('decision')} WHERE id = ?", (decision_id,)
    )
    return row, found["num"]


def local_stamp(instant: str | None, tz: str) -> str:
    """A stored instant as 'YYYY-MM-DD HH:MM' in the workspace timezone ('' when absent)."""
    if not instant:
        return ""
    try:
        import pendulum

        from kickoff_tui.rules.windows import zone

        local = pendulum.instance(parse_instant(instant)).in_timezone(zone(tz))
    except ValueError:
        return instant
    return f"{local:%Y-%m-%d %H:%M}"


def local_day(instant: str | None, tz: str) -> date | None:
    """The workspace-local calendar day of a stored instant."""
    if not instant:
        return None
    from kickoff_tui.rules.windows import local_date

    try:
        return local_date(instant, tz)
    except ValueError:
        return None


# ---------------------------------------------------------------------- Markdown

#: What makes a line a heading or a list item when it starts one: "# x", "- x", "+ x", "1. x".
_MD_LINE_START = re.compile(r"^(\d*)([-=+#.)])")


def md(text: Any) -> str:
    """User text made literal in Markdown with the one escaper (rules.markdown.escape), line
    breaks and runs of spaces made one space (for headings, list items, table cells)."""
    if text is None:
        return ""
    return escape(" ".join(str(text).split()))


def md_block(text: Any) -> str:
    """Multi-line user text made literal in Markdown, keeping its paragraphs and lines."""
    lines = []
    for line in str(text or "").splitlines():
        line = escape(line.strip())
        line = _MD_LINE_START.sub(r"\1\\\2", line, count=1)
        if line:
            lines.append(line)
    # Two trailing spaces are a Markdown hard break: the author's line breaks stay.
    return "  \n".join(lines)


def decision_links(d: dict[str, Any]) -> list[str]:
    """What a decision affects, as plain phrases: 'card #14 Title', 'KR7 Title', 'risk R2 Title'."""
    links = []
    if d.get("card_num"):
        links.append(f"card #{d['card_num']} {d['card_title']}")
    if d.get("kr_num"):
        links.append(f"KR{d['kr_num']} {d['kr_title']}")
    if d.get("risk_num"):
        links.append(f"risk R{d['risk_num']} {d['risk_title']}")
    return links


def decision_markdown(store: Store, decision_id: str) -> str:
    """The decision as a Markdown entry, ready for the team's wiki or chat."""
    tz = store.workspace().get("timezone") or "UTC"
    found = [d for d in decision_log(store) if d["id"] == decision_id]
    if not found:
        raise InvalidEdit("That decision no longer exists.")
    d = found[0]
    lines = [f"### D{d['num']} — {md(d['title'])}", ""]
    facts = [
        ("Status", md(f"{d['status']} ({d['rag']})" if d["rag"] else d["status"])),
        ("Owner", md(d["owner_name"]) if d["owner_name"] else "nobody yet"),
        (
            "Decided",
            md(f"{local_stamp(d['decided_at'], tz)} ({tz})") if d["decided_at"] else "not yet",
        ),
        (
            "Published",
            md(f"{local_stamp(d['published_at'], tz)} ({tz})") if d["published_at"] else "not yet",
        ),
        ("Due", md(d["due"]) or "—"),
    ]
    links = decision_links(d)
    if links:
        facts.append(("Affects", "; ".join(md(link) for link in links)))
    if d["supersedes_num"]:
        facts.append(("Supersedes", f"D{d['supersedes_num']} {md(d['supersedes_title'])}"))
    if d["superseded_by_num"]:
        facts.append(("Superseded by", f"D{d['superseded_by_num']}"))
    lines += [f"- **{name}:** {value}" for name, value in facts]
    for name, text in (("Context", d["context"]), ("Outcome", d["outcome"])):
        if text and text.strip():
            lines += ["", f"**{name}.**", "", md_block(text)]
    return "\n".join(lines) + "\n"


def slug(text: str, max_len: int = 40) -> str:
    """A file-name-safe ASCII slug of a title ('Delay annual plans…' -> 'delay-annual-plans')."""
    spaced = re.sub(r"[^\w]+", " ", text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_len].rstrip("-") or "decision"


def folder_beside(store: Store, what: str) -> Path:
    """`<workspace>-<what>/` beside the workspace file, e.g. plan-decisions/ or plan-minutes/."""
    path = store.path.resolve()
    return path.with_name(f"{path.stem}-{what}")


def decisions_folder(store: Store) -> Path:
    """Where published decision entries are written: `<workspace>-decisions/` beside the file."""
    return folder_beside(store, "decisions")


def write_beside(store: Store, what: str, name: str, text: str) -> Path:
    """Write `text` to `<workspace>-<what>/<name>` (replacing an earlier one); return the path.

    Terminal clipboards are unreliable (tmux drops them by default), so what the app copies is
    also written here. Raises OSError when the folder can't be written.
    """
    folder = folder_beside(store, what)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target


def write_decision_file(store: Store, decision_id: str, text: str) -> Path:
    """Write a decision's Markdown entry to its file (replacing an earlier one); return the path.

    Raises OSError when the folder can't be written.
    """
    row = store.row(
        f"SELECT num, title FROM {queries.numbered('decision')} WHERE id = ?", (decision_id,)
    )
    if row is None:
        raise InvalidEdit("That decision no longer exists.")
    return write_beside(store, "decisions", f"D{row['num']}-{slug(row['title'] or '')}.md", text)
