"""Board cards: the board's read model and every card edit, on the operation write path.

Each function that writes is one transaction (operations + rows + an activity line), so the
app's undo (``Store.undo`` of the returned change) puts everything back, including a card's
dependencies and RACI rows. Positions are fractional keys (rules/position.py): a move writes the
moved card's window and position only, never renumbers its neighbours (except once for a lane
whose cards have no position yet).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kickoff_tui.rules.cards import (
    RAGS,
    STATES,
    find_cycle,
    next_rag,
    next_state,
    state_before_block,
)
from kickoff_tui.rules.position import key_between, keys_between
from kickoff_tui.rules.windows import WINDOW_LABELS, WINDOWS
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.ops import CREATE
from kickoff_tui.store.queries import numbered

if TYPE_CHECKING:
    import sqlite3

    from kickoff_tui.store.ops import Store, Transaction

__all__ = [
    "advance_state",
    "board",
    "card",
    "create_card",
    "cycle_rag",
    "delete_card",
    "dependency_edges",
    "links",
    "move_card",
    "save_card",
    "set_blocked",
    "set_state",
]

#: Card fields a form may write (the rest are the store's own).
EDITABLE = (
    "title",
    "description",
    "window",
    "state",
    "rag",
    "owner_id",
    "key_result_id",
    "due",
    "deliverable",
    "tags",
)

#: A card's display number without numbering every card (uses the (created_at, id) index).
_NUM = "(SELECT count(*) FROM card o WHERE (o.created_at, o.id) <= ({a}.created_at, {a}.id))"

_BOARD_SQL = """
SELECT c.id, c.num, c.title, c.window, c.state, c.rag, c.owner_id, c.due, c.position, c.tags,
       c.deliverable, c.key_result_id, c.created_at,
       p.name AS owner_name, p.handle AS owner_handle, k.num AS kr_num,
       (SELECT count(*) FROM card_dependency d JOIN card x ON x.id = d.depends_on_id
         WHERE d.card_id = c.id AND d.deleted = 0 AND x.deleted = 0 AND x.state != 'done')
         AS open_deps
  FROM {cards} c
  LEFT JOIN person p ON p.id = c.owner_id AND p.deleted = 0
  LEFT JOIN {krs} k ON k.id = c.key_result_id AND k.deleted = 0
 WHERE c.deleted = 0 {where}
 ORDER BY c.window, c.position, c.created_at, c.id
"""


def board(store: Store) -> list[dict[str, Any]]:
    """Every live card in board order (window, position) with its number, owner, KR number,
    unmet-dependency count and whether a field of it is in a sync conflict."""
    sql = _BOARD_SQL.format(cards=numbered("card"), krs=numbered("key_result"), where="")
    conflicted = {
        r[0]
        for r in store.rows(
            "SELECT row_id FROM operation_head WHERE tbl = 'card' "
            "GROUP BY row_id, field HAVING count(*) > 1"
        )
    }
    cursor_rows = store.rows(sql)
    out = []
    for r in cursor_rows:
        d = dict(r)
        d["conflict"] = d["id"] in conflicted
        out.append(d)
    return out


def card(store: Store, card_id: str) -> dict[str, Any] | None:
    """One live card as :func:`board` shows it (numbered without numbering every card)."""
    one = f"(SELECT *, {_NUM.format(a='x')} AS num FROM card x WHERE x.id = ?)"
    sql = _BOARD_SQL.format(cards=one, krs=numbered("key_result"), where="")
    found = store.row(sql, (card_id,))
    if found is None:
        return None
    d = dict(found)
    d["conflict"] = bool(
        store.row(
            "SELECT 1 FROM operation_head WHERE tbl = 'card' AND row_id = ? "
            "GROUP BY field HAVING count(*) > 1 LIMIT 1",
            (card_id,),
        )
    )
    return d


def links(store: Store, card_id: str) -> dict[str, Any]:
    """A card's dependencies (cards it waits for), dependents, and RACI {person id: role}."""
    num = _NUM.format(a="c")
    deps = [
        dict(r)
        for r in store.rows(
            f"SELECT c.id, {num} AS num, c.title, c.window, c.state FROM card_dependency d "
            "JOIN card c ON c.id = d.depends_on_id "
            "WHERE d.card_id = ? AND d.deleted = 0 AND c.deleted = 0 ORDER BY num",
            (card_id,),
        )
    ]
    dependents = [
        dict(r)
        for r in store.rows(
            f"SELECT c.id, {num} AS num, c.title, c.window, c.state FROM card_dependency d "
            "JOIN card c ON c.id = d.card_id "
            "WHERE d.depends_on_id = ? AND d.deleted = 0 AND c.deleted = 0 ORDER BY num",
            (card_id,),
        )
    ]
    raci = {
        r["person_id"]: r["role"]
        for r in store.rows(
            "SELECT person_id, role FROM raci WHERE entity = 'card' AND entity_id = ? "
            "AND deleted = 0 ORDER BY created_at, id",
            (card_id,),
        )
    }
    return {"depends_on": deps, "dependents": dependents, "raci": raci}


def dependency_edges(store: Store) -> list[tuple[str, str]]:
    """Every live (card, depends on) pair between live cards."""
    return [
        (r[0], r[1])
        for r in store.rows(
            "SELECT d.card_id, d.depends_on_id FROM card_dependency d "
            "JOIN card a ON a.id = d.card_id AND a.deleted = 0 "
            "JOIN card b ON b.id = d.depends_on_id AND b.deleted = 0 WHERE d.deleted = 0"
        )
    ]


# ---------------------------------------------------------------------- helpers


def _live(tx: Transaction, card_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = tx.conn.execute(
        f"SELECT *, {_NUM.format(a='card')} AS num FROM card WHERE id = ? AND deleted = 0",
        (card_id,),
    ).fetchone()
    if row is None:
        raise InvalidEdit("That card no longer exists (someone may have deleted it).")
    return row


def _label(row: Mapping[str, Any] | sqlite3.Row) -> str:
    title = row["title"] or ""
    if len(title) > 60:
        title = title[:59] + "…"
    return f"#{row['num']} {title}"


def _check_values(values: Mapping[str, Any]) -> None:
    if "window" in values and values["window"] not in WINDOWS:
        raise InvalidEdit(f"Window must be one of 30, 60, 90 or later (got {values['window']!r}).")
    if "state" in values and values["state"] not in STATES:
        raise InvalidEdit(f"State must be one of {', '.join(STATES)} (got {values['state']!r}).")
    if "rag" in values and values["rag"] not in RAGS:
        raise InvalidEdit(f"RAG must be green, yellow or red (got {values['rag']!r}).")
    if "title" in values and not (values["title"] or "").strip():
        raise InvalidEdit("A card needs a title.")


def _lane_positions(tx: Transaction, window: str, exclude: str | None = None) -> list[sqlite3.Row]:
    return tx.conn.execute(
        "SELECT id, position FROM card WHERE window = ? AND deleted = 0 AND id IS NOT ? "
        "ORDER BY position, created_at, id",
        (window, exclude),
    ).fetchall()


def _valid(key: Any) -> bool:
    try:
        key_between(key, None)
    except (ValueError, TypeError):
        return False
    return key is not None


_NEXT_SQL = (
    "SELECT id, position FROM card WHERE window = :w AND deleted = 0 AND id IS NOT :me AND "
    "position IS NOT NULL AND (position > :p OR (position = :p AND (created_at, id) > (:c, :i))) "
    "ORDER BY position, created_at, id LIMIT 1"
)
_PREV_SQL = (
    "SELECT id, position FROM card WHERE window = :w AND deleted = 0 AND id IS NOT :me AND "
    "(position IS NULL OR position < :p OR (position = :p AND (created_at, id) < (:c, :i))) "
    "ORDER BY position DESC, created_at DESC, id DESC LIMIT 1"
)
_LAST_SQL = (
    "SELECT id, position FROM card WHERE window = ? AND deleted = 0 AND id IS NOT ? "
    "ORDER BY position DESC, created_at DESC, id DESC LIMIT 1"
)


def _neighbours(
    tx: Transaction, window: str, card_id: str | None, after_id: str | None, before_id: str | None
) -> tuple[Any, Any] | None:
    """The positions either side of the gap (two indexed lookups), or None when the lane
    has to be keyed afresh (a neighbour without a position)."""
    anchor_id = after_id if after_id is not None else before_id
    anchor = None
    if anchor_id is not None and anchor_id != card_id:
        anchor = tx.conn.execute(
            "SELECT id, position, created_at FROM card WHERE id = ? AND window = ? AND deleted = 0",
            (anchor_id, window),
        ).fetchone()
    if anchor is None:  # last in the lane
        last = tx.conn.execute(_LAST_SQL, (window, card_id)).fetchone()
        if last is None:
            return None, None
        return (last["position"], None) if last["position"] is not None else None
    if anchor["position"] is None:
        return None
    params = {
        "w": window,
        "me": card_id,
        "p": anchor["position"],
        "c": anchor["created_at"],
        "i": anchor["id"],
    }
    if after_id is not None:
        nxt = tx.conn.execute(_NEXT_SQL, params).fetchone()
        return anchor["position"], nxt["position"] if nxt else None
    prev = tx.conn.execute(_PREV_SQL, params).fetchone()
    if prev is not None and prev["position"] is None:
        return None
    return (prev["position"] if prev else None), anchor["position"]


def _position(
    tx: Transaction, window: str, card_id: str | None, after_id: str | None, before_id: str | None
) -> str:
    """A position key in `window` just after `after_id` (or before `before_id`; neither: last).

    Two indexed lookups find the neighbours; if one has no usable key (cards made before
    positions, or two machines that picked the same key), the lane is given fresh keys first,
    in its current order, as part of the same transaction.
    """
    found = _neighbours(tx, window, card_id, after_id, before_id)
    if found is not None:
        lo, hi = found
        if (
            (lo is None or _valid(lo))
            and (hi is None or _valid(hi))
            and (lo is None or hi is None or lo < hi)
        ):
            return key_between(lo, hi)
    lane = _lane_positions(tx, window, card_id)
    ids = [r["id"] for r in lane]
    if after_id is not None and after_id in ids:
        i = ids.index(after_id) + 1
    elif before_id is not None and before_id in ids:
        i = ids.index(before_id)
    else:
        i = len(ids)
    keys = keys_between(None, None, len(lane) + 1)
    for row, key in zip(lane, keys[:i] + keys[i + 1 :]):
        if row["position"] != key:
            tx.update("card", row["id"], {"position": key})
    return keys[i]


# ---------------------------------------------------------------------- writes


def _deps_and_raci(
    tx: Transaction, card_id: str, deps: Iterable[str] | None, raci: Mapping[str, str] | None
) -> None:
    if deps is not None:
        wanted = list(dict.fromkeys(d for d in deps if d and d != card_id))
        edges = [
            (r[0], r[1])
            for r in tx.conn.execute(
                "SELECT card_id, depends_on_id FROM card_dependency WHERE deleted = 0"
            ).fetchall()
        ]
        loop = find_cycle(edges, card_id, wanted)
        if loop:
            raise InvalidEdit(_cycle_sentence(tx, loop))
        have = {
            r["depends_on_id"]: r["id"]
            for r in tx.conn.execute(
                "SELECT id, depends_on_id FROM card_dependency WHERE card_id = ? AND deleted = 0",
                (card_id,),
            ).fetchall()
        }
        for dep in wanted:
            if dep not in have:
                if (
                    tx.conn.execute(
                        "SELECT 1 FROM card WHERE id = ? AND deleted = 0", (dep,)
                    ).fetchone()
                    is None
                ):
                    raise InvalidEdit("A card it depends on no longer exists.")
                tx.create("card_dependency", {"card_id": card_id, "depends_on_id": dep})
        for dep, row_id in have.items():
            if dep not in wanted:
                tx.delete("card_dependency", row_id)
    if raci is not None:
        if sum(1 for role in raci.values() if role == "A") > 1:
            raise InvalidEdit("Only one person can be accountable (A) for a card.")
        have_r = {
            r["person_id"]: (r["id"], r["role"])
            for r in tx.conn.execute(
                "SELECT id, person_id, role FROM raci WHERE entity = 'card' AND entity_id = ? "
                "AND deleted = 0",
                (card_id,),
            ).fetchall()
        }
        for person, role in raci.items():
            if person in have_r:
                if have_r[person][1] != role:
                    tx.update("raci", have_r[person][0], {"role": role})
            else:
                tx.create(
                    "raci",
                    {"entity": "card", "entity_id": card_id, "person_id": person, "role": role},
                )
        for person, (row_id, _role) in have_r.items():
            if person not in raci:
                tx.delete("raci", row_id)


def _cycle_sentence(tx: Transaction, loop: list[str]) -> str:
    nums = []
    for cid in loop:
        row = tx.conn.execute(
            f"SELECT {_NUM.format(a='c')} FROM card c WHERE c.id = ?", (cid,)
        ).fetchone()
        nums.append(f"#{row[0]}" if row else "this card")
    nums[0] = nums[-1] = "this card" if len(nums) > 2 else nums[0]
    return "That would make a loop: " + " waits for ".join(nums) + "."


def create_card(
    store: Store,
    values: Mapping[str, Any],
    *,
    after_id: str | None = None,
    deps: Iterable[str] | None = None,
    raci: Mapping[str, str] | None = None,
) -> str:
    """Add a card (in `values["window"]`, after `after_id` or last); return its id."""
    values = {k: v for k, v in values.items() if k in EDITABLE}
    values.setdefault("window", "30")
    _check_values({"title": values.get("title"), **values})
    with store.transaction() as tx:
        values["position"] = _position(tx, values["window"], None, after_id, None)
        card_id = tx.create("card", values)
        _deps_and_raci(tx, card_id, deps, raci)
        row = _live(tx, card_id)
        tx.log(
            f"Added {_label(row)} to {WINDOW_LABELS[values['window']]}",
            entity="card",
            entity_id=card_id,
            action="create",
        )
    tx.change.summary = f"Added {_label(row)}"
    return card_id


def save_card(
    store: Store,
    card_id: str,
    values: Mapping[str, Any],
    *,
    deps: Iterable[str] | None = None,
    raci: Mapping[str, str] | None = None,
) -> bool:
    """Save a card's form in one transaction; True if anything changed.

    A new window puts the card last in that window.
    """
    values = {k: v for k, v in values.items() if k in EDITABLE}
    _check_values(values)
    with store.transaction() as tx:
        row = _live(tx, card_id)
        if "window" in values and values["window"] != row["window"]:
            values["position"] = _position(tx, values["window"], card_id, None, None)
        tx.update("card", card_id, values)
        _deps_and_raci(tx, card_id, deps, raci)
        if tx.change:
            tx.log(f"Edited {_label(_live(tx, card_id))}", entity="card", entity_id=card_id)
    if tx.change:
        tx.change.summary = f"Edited {_label(row)}"
    return bool(tx.change)


def move_card(
    store: Store,
    card_id: str,
    window: str,
    *,
    after_id: str | None = None,
    before_id: str | None = None,
) -> bool:
    """Put a card in `window`, just after `after_id` or before `before_id` (neither: last).

    Writes the card's window and position only (one transaction); True if it moved.
    """
    _check_values({"window": window})
    with store.transaction() as tx:
        row = _live(tx, card_id)
        position = _position(tx, window, card_id, after_id, before_id)
        tx.update("card", card_id, {"window": window, "position": position})
        if window != row["window"]:
            summary = f"Moved {_label(row)} to {WINDOW_LABELS[window]}"
        else:
            summary = f"Reordered {_label(row)} in {WINDOW_LABELS[window]}"
        if tx.change:
            tx.log(summary, entity="card", entity_id=card_id, action="move")
    if tx.change:
        tx.change.summary = summary
    return bool(tx.change)


_STATE_VERB = {
    "doing": "Started",
    "done": "Marked {} done",
    "todo": "Reopened",
    "blocked": "Blocked",
}


def _set(
    store: Store,
    card_id: str,
    describe: Callable[[sqlite3.Row], tuple[dict[str, Any], str]],
) -> str:
    """One field change decided from the card as it is inside the transaction."""
    with store.transaction() as tx:
        row = _live(tx, card_id)
        new = describe(row)
        tx.update("card", card_id, new[0])
        tx.log(new[1], entity="card", entity_id=card_id)
    tx.change.summary = new[1]
    value: str = next(iter(new[0].values()))
    return value


def _state_summary(row: Mapping[str, Any] | sqlite3.Row, state: str) -> str:
    verb = _STATE_VERB[state]
    return verb.format(_label(row)) if "{}" in verb else f"{verb} {_label(row)}"


def advance_state(store: Store, card_id: str) -> str:
    """`space`: todo → doing → done → todo (blocked → doing); return the new state."""
    return _set(
        store,
        card_id,
        lambda row: (
            {"state": next_state(row["state"])},
            _state_summary(row, next_state(row["state"])),
        ),
    )


def set_blocked(store: Store, card_id: str) -> str:
    """`b`: block a card, or unblock it back to the state it had before it was blocked (a
    done card stays done), read from its operations; return the new state."""

    def describe(row: sqlite3.Row) -> tuple[dict[str, Any], str]:
        if row["state"] != "blocked":
            return {"state": "blocked"}, _state_summary(row, "blocked")
        state = state_before_block(_states(store, card_id))
        return {"state": state}, f"Unblocked {_label(row)} (back to {state})"

    return _set(store, card_id, describe)


def set_state(store: Store, card_id: str, state: str) -> bool:
    """Put a card in `state` (`kickoff card done 12`); False when it already was (nothing written)."""
    _check_values({"state": state})
    with store.transaction() as tx:
        row = _live(tx, card_id)
        if row["state"] == state:
            return False
        summary = _state_summary(row, state)
        tx.update("card", card_id, {"state": state})
        tx.log(summary, entity="card", entity_id=card_id)
    tx.change.summary = summary
    return True


def _states(store: Store, card_id: str) -> list[str | None]:
    """Every state a card was given, oldest first (on creation, then each change), as its
    operations say: every machine that has them finds the same."""
    states: list[str | None] = []
    for op in store.rows(
        "SELECT field, value FROM operation WHERE tbl = 'card' AND row_id = ? "
        "AND field IN (?, 'state') ORDER BY hlc, id",
        (card_id, CREATE),
    ):
        try:
            value = json.loads(op["value"]) if op["value"] is not None else None
        except ValueError:
            continue
        if op["field"] == CREATE:
            value = value.get("state") if isinstance(value, dict) else None
        states.append(value if isinstance(value, str) else None)
    return states


def cycle_rag(store: Store, card_id: str) -> str:
    """`r`: green → yellow → red → green; return the new colour."""
    return _set(
        store,
        card_id,
        lambda row: ({"rag": next_rag(row["rag"])}, f"Set {_label(row)} to {next_rag(row['rag'])}"),
    )


def delete_card(store: Store, card_id: str) -> str:
    """Tombstone a card with its dependencies and RACI rows (one transaction); return its label."""
    with store.transaction() as tx:
        row = _live(tx, card_id)
        tx.delete("card", card_id)
        for r in tx.conn.execute(
            "SELECT id FROM card_dependency WHERE (card_id = ? OR depends_on_id = ?) "
            "AND deleted = 0",
            (card_id, card_id),
        ).fetchall():
            tx.delete("card_dependency", r[0])
        for r in tx.conn.execute(
            "SELECT id FROM raci WHERE entity = 'card' AND entity_id = ? AND deleted = 0",
            (card_id,),
        ).fetchall():
            tx.delete("raci", r[0])
        tx.log(f"Deleted {_label(row)}", entity="card", entity_id=card_id, action="delete")
    tx.change.summary = f"Deleted {_label(row)}"
    return _label(row)
