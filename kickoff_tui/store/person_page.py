"""A person's page, the one a new teammate reads on day one: the workspace's purpose and
objectives, then their cards by window, RACI roles, key results, risks, open blockers,
decisions and the last 14 days of activity. One read model (:func:`person_page`) feeds both the
screen and :func:`person_markdown` (`kickoff people show ana --md`)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.markdown import inline
from kickoff_tui.rules.okr import kr_progress
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.people import first_actions
from kickoff_tui.store.queries import numbered

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

ACTIVITY_DAYS = 14


def person_page(store: Store, person_id: str) -> dict[str, Any]:
    """Everything the page shows, as plain data (sections of (label, text) lines)."""
    person = store.row("SELECT * FROM person WHERE id = ? AND deleted = 0", (person_id,))
    if person is None:
        raise InvalidEdit("That person is no longer in the workspace.")
    p = dict(person)
    ws = store.workspace()
    objectives = [
        f"O{r['num']} {r['title']}"
        for r in store.rows(
            f"SELECT num, title FROM {numbered('objective')} WHERE deleted = 0 "
            "ORDER BY position, created_at, id"
        )
    ]
    cards: dict[str, list[str]] = {w: [] for w in WINDOWS}
    for r in store.rows(
        f"SELECT num, title, window, state FROM {numbered('card')} "
        "WHERE deleted = 0 AND owner_id = ? ORDER BY window, position, created_at, id",
        (person_id,),
    ):
        cards.setdefault(r["window"] or "30", []).append(f"#{r['num']} {r['title']} ({r['state']})")
    raci = [
        f"{r['role']} · #{r['num']} {r['title']}"
        for r in store.rows(
            f"SELECT x.role, c.num, c.title FROM raci x JOIN {numbered('card')} c "
            "ON c.id = x.entity_id AND c.deleted = 0 WHERE x.entity = 'card' AND x.deleted = 0 "
            "AND x.person_id = ? ORDER BY instr('RACI', x.role), c.num",
            (person_id,),
        )
    ]
    krs = []
    for r in store.rows(
        f"SELECT num, title, kind, baseline, target, current FROM {numbered('key_result')} "
        "WHERE deleted = 0 AND owner_id = ? ORDER BY num",
        (person_id,),
    ):
        try:
            progress = kr_progress(r["kind"], r["baseline"], r["target"], r["current"])
        except (ValueError, TypeError):
            progress = 0.0
        krs.append(f"KR{r['num']} {r['title']} — {round(progress * 100)}%")
    risks = [
        f"R{r['num']} {r['title']} (score {r['score']}, {r['status'] or 'open'})"
        for r in store.rows(
            f"SELECT num, title, status, likelihood * impact AS score FROM {numbered('risk')} "
            "WHERE deleted = 0 AND owner_id = ? AND coalesce(status, 'open') != 'closed' "
            "ORDER BY score DESC, num",
            (person_id,),
        )
    ]
    blockers = []
    for r in store.rows(
        f"SELECT num, text, owner_id, raised_by FROM {numbered('blocker')} WHERE deleted = 0 "
        "AND resolved_at IS NULL AND (owner_id = ? OR raised_by = ?) ORDER BY raised_at, id",
        (person_id, person_id),
    ):
        how = "owns" if r["owner_id"] == person_id else "raised"
        blockers.append(f"B{r['num']} {r['text']} ({how})")
    decisions = [
        f"D{r['num']} {r['title']} ({r['status']})"
        for r in store.rows(
            f"SELECT num, title, status FROM {numbered('decision')} WHERE deleted = 0 "
            "AND owner_id = ? ORDER BY num DESC",
            (person_id,),
        )
    ]
    since = clock.iso(clock.now() - timedelta(days=ACTIVITY_DAYS))
    who = [x for x in {(p["handle"] or "").lower(), (p["name"] or "").lower()} if x]
    marks = ", ".join("?" for _ in who) or "NULL"
    activity = [
        (r["at"], r["summary"] or "")
        for r in store.rows(
            "SELECT at, summary FROM activity WHERE deleted = 0 AND at >= ? AND "
            f"(lower(actor) IN ({marks}) OR entity_id = ?) ORDER BY at DESC, id DESC LIMIT 30",
            (since, *who, person_id),
        )
    ]
    first = first_actions(store).get(person_id, {})
    return {
        "person": p,
        "workspace": ws,
        "objectives": objectives,
        "cards": cards,
        "raci": raci,
        "krs": krs,
        "risks": risks,
        "blockers": blockers,
        "decisions": decisions,
        "activity": activity,
        "first_action": first,
    }


def sections(page: dict[str, Any], tz: str) -> list[tuple[str, list[str]]]:
    """The page's sections in reading order: (heading, lines); empty ones say so."""
    from kickoff_tui.store.review import local_stamp

    ws = page["workspace"]
    first = page["first_action"]
    first_line = first.get("label", "none yet")
    if first.get("card_num"):
        first_line += f" · #{first['card_num']} {first['title']}"
    out = [
        (
            f"Why {ws.get('name') or 'this workspace'} exists",
            [
                ws.get("purpose")
                or ws.get("vision")
                or "No purpose written yet (Workspace settings… in the command palette)."
            ],
        ),
        ("Objectives", page["objectives"] or ["No objectives yet."]),
        ("First action (within 72 h)", [first_line]),
    ]
    for w in WINDOWS:
        out.append((f"Cards · {WINDOW_LABELS[w]}", page["cards"].get(w) or ["–"]))
    out += [
        ("RACI roles", page["raci"] or ["–"]),
        ("Key results", page["krs"] or ["–"]),
        ("Risks", page["risks"] or ["–"]),
        ("Open blockers", page["blockers"] or ["–"]),
        ("Decisions", page["decisions"] or ["–"]),
        (
            f"Last {ACTIVITY_DAYS} days",
            [f"{local_stamp(at, tz)} {text}" for at, text in page["activity"]] or ["Nothing yet."],
        ),
    ]
    return out


def person_markdown(store: Store, person_id: str) -> str:
    """The person page as Markdown (user text escaped, so it renders as typed)."""
    page = person_page(store, person_id)
    p = page["person"]
    tz = page["workspace"].get("timezone") or "UTC"
    facts = [
        f"@{p['handle']}" if p["handle"] else "",
        p["role"] or "",
        p["email"] or "",
        p["timezone"] or "",
        "" if p["active"] != 0 else "inactive",
    ]
    lines = [f"# {inline(p['name'])}", "", " · ".join(inline(f) for f in facts if f), ""]
    for heading, items in sections(page, tz):
        lines += [f"## {inline(heading)}", ""]
        lines += [f"- {inline(item)}" for item in items]
        lines.append("")
    return "\n".join(lines)
