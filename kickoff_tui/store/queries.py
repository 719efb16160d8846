"""Read models for the screens and the CLI: one query per view, no N+1.

Every function takes a :class:`~kickoff_tui.store.ops.Store` and returns plain rows or dicts.
Short numbers (#12) are display-only: a row's rank by creation among all rows of its table,
tombstones included, so deleting a row never renumbers the others.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kickoff_tui.store import schema
from kickoff_tui.store.errors import InvalidEdit

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store


def live(store: Store, table: str, row_id: str, what: str) -> dict[str, Any]:
    """The row `row_id` of `table`, or InvalidEdit "That <what> no longer exists." when it is
    missing or deleted (a teammate's sync may have deleted it while a form was open)."""
    row = store.get(table, row_id)
    if row is None or row["deleted"]:
        raise InvalidEdit(f"That {what} no longer exists.")
    return row


def numbered(table: str) -> str:
    """SQL for `table` with its display number `num`, live rows only."""
    if table not in schema.TABLES:
        raise ValueError(f"unknown table {table!r}")
    return f"(SELECT *, row_number() OVER (ORDER BY created_at, id) AS num FROM {table}) "


def numbered_ids(table: str, ids: str) -> str:
    """SQL for (id, num) of the rows of `table` whose id is in the SQL list `ids`: the
    :func:`numbered` rule (rank by creation, tombstones included), ranking ids only."""
    return (
        f"(SELECT * FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS num "
        f"FROM {table}) WHERE id IN ({ids}))"
    )


def resolve_ref(store: Store, table: str, ref: str) -> str | None:
    """The id of a live row named by its short number (`12`, `#12`) or by its id (or a prefix)."""
    ref = ref.strip().lstrip("#")
    if ref.isdigit():
        row = store.row(
            f"SELECT id FROM {numbered(table)} WHERE num = ? AND deleted = 0", (int(ref),)
        )
        if row:
            return str(row["id"])
    if len(ref) >= 4:
        rows = store.rows(
            f"SELECT id FROM {table} WHERE deleted = 0 AND id LIKE ? LIMIT 2", (ref + "%",)
        )
        if len(rows) == 1:
            return str(rows[0]["id"])
    return None


def people(store: Store, keep: Iterable[str | None] = ()) -> list[sqlite3.Row]:
    """The people an owner picker offers, by name: everyone active, and those in `keep` (the
    record's current owner stays pickable after being deactivated, so saving keeps them)."""
    kept = [k for k in keep if k]
    marks = ", ".join("?" for _ in kept) or "NULL"
    return store.rows(
        "SELECT * FROM person WHERE deleted = 0 "
        f"AND (coalesce(active, 1) = 1 OR id IN ({marks})) ORDER BY name COLLATE NOCASE, id",
        kept,
    )


def counts(store: Store) -> dict[str, tuple[int, int]]:
    """Per synced table: (live rows, tombstones)."""
    out = {}
    for table in schema.TABLES:
        row = store.one(
            f"SELECT count(*) - coalesce(sum(deleted), 0), coalesce(sum(deleted), 0) FROM {table}"
        )
        out[table] = (row[0], row[1])
    return out


def board_cards(store: Store) -> list[sqlite3.Row]:
    """Every live card with its number, owner and open-dependency count, in board order."""
    return store.rows(
        f"""
        SELECT c.*, p.name AS owner_name, p.handle AS owner_handle,
               (SELECT count(*) FROM card_dependency d JOIN card x ON x.id = d.depends_on_id
                 WHERE d.card_id = c.id AND d.deleted = 0 AND x.deleted = 0 AND x.state != 'done')
                 AS open_deps
          FROM {numbered("card")} c
          LEFT JOIN person p ON p.id = c.owner_id AND p.deleted = 0
         WHERE c.deleted = 0
         ORDER BY c.window, c.position, c.created_at, c.id
        """
    )


def okr_tree(store: Store) -> list[dict[str, Any]]:
    """Objectives (by position) each with its key results and their check-in values.

    A key result's `checkins` are ``[value, at, confidence]`` in time order, corrections in
    place of the check-ins they correct (the originals stay in the table, see store.okrs). A
    milestone key result counted from its cards (`progress_from` = "cards") shows its linked
    cards done as `current` and their number as `target`.
    """
    objectives = store.rows(
        f"""SELECT o.*, p.name AS owner_name FROM {numbered("objective")} o
             LEFT JOIN person p ON p.id = o.owner_id
            WHERE o.deleted = 0 ORDER BY o.position, o.created_at, o.id"""
    )
    krs = store.rows(
        f"""SELECT k.*, p.name AS owner_name,
                   (SELECT count(*) FROM card WHERE key_result_id = k.id AND deleted = 0) AS cards,
                   (SELECT count(*) FROM card WHERE key_result_id = k.id AND deleted = 0
                       AND state = 'done') AS cards_done
              FROM {numbered("key_result")} k
              LEFT JOIN person p ON p.id = k.owner_id
             WHERE k.deleted = 0 ORDER BY k.position, k.created_at, k.id"""
    )
    checkins = store.rows(
        "SELECT c.id, c.key_result_id, c.value, c.at, c.confidence, c.corrects_id FROM check_in c "
        "JOIN key_result k ON k.id = c.key_result_id AND k.deleted = 0 "
        "WHERE c.deleted = 0 ORDER BY c.at, c.created_at, c.id"
    )
    corrected = {c["corrects_id"] for c in checkins if c["corrects_id"]}
    series: dict[str, list[list[Any]]] = {}
    for c in checkins:
        if c["id"] not in corrected:
            series.setdefault(c["key_result_id"], []).append([c["value"], c["at"], c["confidence"]])
    by_objective: dict[str, list[dict[str, Any]]] = {}
    for kr in krs:
        item = dict(kr)
        item["checkins"] = series.get(kr["id"], [])
        if item.get("progress_from") == "cards" and item["kind"] == "milestone":
            item["current"], item["target"], item["baseline"] = kr["cards_done"], kr["cards"], 0
        by_objective.setdefault(kr["objective_id"], []).append(item)
    return [{**dict(o), "key_results": by_objective.get(o["id"], [])} for o in objectives]


def risks(store: Store) -> list[sqlite3.Row]:
    """Live risks, highest inherent score first."""
    return store.rows(
        f"""SELECT r.*, p.name AS owner_name,
                   r.likelihood * r.impact AS score,
                   coalesce(r.residual_likelihood, r.likelihood)
                     * coalesce(r.residual_impact, r.impact) AS residual_score
              FROM {numbered("risk")} r LEFT JOIN person p ON p.id = r.owner_id
             WHERE r.deleted = 0
             ORDER BY score DESC, residual_score DESC, r.num"""
    )


def open_blockers(store: Store) -> list[dict[str, Any]]:
    """Blockers not yet resolved, oldest first: :func:`kickoff_tui.store.standups.open_blockers`,
    the one meaning (an owner removed from the team is no owner)."""
    from kickoff_tui.store.standups import open_blockers as one_meaning

    return one_meaning(store)


def decisions(store: Store) -> list[sqlite3.Row]:
    """Live decisions, newest first."""
    return store.rows(
        f"""SELECT d.*, p.name AS owner_name FROM {numbered("decision")} d
              LEFT JOIN person p ON p.id = d.owner_id
             WHERE d.deleted = 0 ORDER BY d.num DESC"""
    )


def recent_activity(store: Store, since: str | None = None, limit: int = 200) -> list[sqlite3.Row]:
    """The activity feed, newest first (optionally only after an ISO instant)."""
    if since:
        return store.rows(
            "SELECT * FROM activity WHERE deleted = 0 AND at > ? ORDER BY at DESC, id DESC LIMIT ?",
            (since, limit),
        )
    return store.rows(
        "SELECT * FROM activity WHERE deleted = 0 ORDER BY at DESC, id DESC LIMIT ?", (limit,)
    )


def conflicted_ids(store: Store, table: str) -> set[str]:
    """Ids of rows of `table` with at least one field in conflict (show a ⚠ on them).

    Heads that agree are no conflict, and moves (ops.MOVE_FIELDS) settle by themselves.
    """
    from kickoff_tui.store.ops import MOVE_FIELDS

    moves = sorted(f for t, f in MOVE_FIELDS if t == table) or [""]
    marks = ", ".join("?" for _ in moves)
    return {
        r[0]
        for r in store.rows(
            "SELECT h.row_id FROM (SELECT row_id, field FROM operation_head "
            f"      WHERE tbl = ? AND field NOT IN ({marks}) "
            "      GROUP BY row_id, field HAVING count(*) > 1) k "
            "  JOIN operation_head h ON h.tbl = ? AND h.row_id = k.row_id AND h.field = k.field "
            "  JOIN operation o ON o.id = h.op_id "
            "GROUP BY h.row_id, h.field HAVING count(DISTINCT o.value) > 1",
            (table, *moves, table),
        )
    }


def titles(store: Store, table: str) -> list[dict[str, Any]]:
    """Every live row of `table` as ``{id, num, title}``, by number: the choices of a picker
    ("KR3 Ship the beta", "O2 ...", "R4 ...")."""
    return [
        {"id": r["id"], "num": r["num"], "title": r["title"]}
        for r in store.rows(
            f"SELECT id, num, title FROM {numbered(table)} WHERE deleted = 0 ORDER BY num"
        )
    ]


def numbers(store: Store, table: str, ids: Iterable[str]) -> dict[str, int]:
    """The display number of each row of `table` named in `ids` (tombstones too), by id."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    marks = ",".join("?" for _ in wanted)
    return {
        r["id"]: r["num"]
        for r in store.rows(f"SELECT id, num FROM {numbered(table)} WHERE id IN ({marks})", wanted)
    }


def operation_count(store: Store) -> int:
    """How many operations the file holds (every change ever made, by anyone)."""
    row = store.row("SELECT count(*) FROM operation")
    return int(row[0]) if row else 0
