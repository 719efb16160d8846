"""The decision log: its read model, the writes (each one transaction) and the published entry.

:func:`decision_log` is the log's read model (the Decisions screen, the review, ``kickoff
decision list``); :func:`save_decision`, :func:`supersede_decision` and
:func:`publish_decision` are the writes; :func:`decision_markdown` is the entry that publishing
copies and :func:`write_decision_file` writes beside the workspace.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.due import decision_publication_late, decision_publish_due
from kickoff_tui.rules.markdown import block as md_block
from kickoff_tui.rules.markdown import one_line as md
from kickoff_tui.rules.windows import local_stamp
from kickoff_tui.store import queries
from kickoff_tui.store.beside import slug, write_beside
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.queries import numbered_ids

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

DECISION_STATUSES = ("proposed", "accepted", "rejected", "superseded")
DECIDED = ("accepted", "rejected")


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
              LEFT JOIN {numbered_ids("card", "SELECT card_id FROM decision")} cn ON cn.id = c.id
              LEFT JOIN key_result k ON k.id = d.key_result_id AND k.deleted = 0
              LEFT JOIN {numbered_ids("key_result", "SELECT key_result_id FROM decision")} kn
                     ON kn.id = k.id
              LEFT JOIN risk r ON r.id = d.risk_id AND r.deleted = 0
              LEFT JOIN {numbered_ids("risk", "SELECT risk_id FROM decision")} rn ON rn.id = r.id
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
    found = store.one(
        f"SELECT num FROM {queries.numbered('decision')} WHERE id = ?", (decision_id,)
    )
    return row, found["num"]


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
