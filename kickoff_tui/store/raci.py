"""The RACI matrix: cards (rows, by window) × active people (columns), one role per cell.

At most one A per card: setting A for a second person moves it (one transaction, so one undo),
and says so. Writes go through the operation path like every card edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.queries import numbered

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

ROLES = ("R", "A", "C", "I")
ROLE_NAMES = {"R": "responsible", "A": "accountable", "C": "consulted", "I": "informed"}


def matrix(store: Store) -> dict[str, Any]:
    """{cards: [{id, num, title, window, roles: {person id: role}, missing: "A"/"R"/"A, R"/""}],
    people: [{id, handle, name}]} with cards in board order and active people by name (plus any
    deactivated person still holding a role, so no role is hidden)."""
    cards = [
        dict(r)
        for r in store.rows(
            f"SELECT id, num, title, window FROM {numbered('card')} WHERE deleted = 0 "
            "ORDER BY window, position, created_at, id"
        )
    ]
    roles: dict[str, dict[str, str]] = {}
    holders: set[str] = set()
    for r in store.rows(
        "SELECT entity_id, person_id, role FROM raci WHERE entity = 'card' "
        "AND deleted = 0 ORDER BY created_at, id"
    ):
        roles.setdefault(r["entity_id"], {})[r["person_id"]] = r["role"]
        holders.add(r["person_id"])
    people = [
        dict(r)
        for r in store.rows(
            "SELECT id, handle, name, coalesce(active, 1) AS active FROM person WHERE deleted = 0 "
            "ORDER BY coalesce(active, 1) = 0, name COLLATE NOCASE, id"
        )
    ]
    people = [p for p in people if p["active"] or p["id"] in holders]
    for c in cards:
        c["roles"] = roles.get(c["id"], {})
        have = set(c["roles"].values())
        c["missing"] = ", ".join(x for x in ("A", "R") if x not in have)
    return {"cards": cards, "people": people}


def set_role(store: Store, card_id: str, person_id: str, role: str | None) -> str | None:
    """Give `person_id` `role` on the card (None clears it). Returns a sentence when an A
    moved from someone else, else None."""
    if role is not None and role not in ROLES:
        raise InvalidEdit(f"{role!r} is not a RACI role; use R, A, C or I.")
    moved = None
    with store.transaction(None) as tx:
        card = tx.conn.execute(
            f"SELECT num, title FROM {numbered('card')} WHERE id = ? AND deleted = 0", (card_id,)
        ).fetchone()
        person = tx.conn.execute(
            "SELECT handle, name FROM person WHERE id = ? AND deleted = 0", (person_id,)
        ).fetchone()
        if card is None or person is None:
            raise InvalidEdit("That card or person is no longer in the workspace.")
        rows = {
            r["person_id"]: (r["id"], r["role"])
            for r in tx.conn.execute(
                "SELECT id, person_id, role FROM raci WHERE entity = 'card' AND entity_id = ? "
                "AND deleted = 0 ORDER BY created_at, id",
                (card_id,),
            ).fetchall()
        }
        if role == "A":
            for other, (row_id, was) in rows.items():
                if other != person_id and was == "A":
                    tx.delete("raci", row_id)
                    who = tx.conn.execute(
                        "SELECT handle FROM person WHERE id = ?", (other,)
                    ).fetchone()
                    moved = (
                        f"#{card['num']} has one accountable person: A moved from "
                        f"@{who['handle'] if who else '?'} to @{person['handle']}."
                    )
        mine = rows.get(person_id)
        if role is None:
            if mine:
                tx.delete("raci", mine[0])
        elif mine:
            tx.update("raci", mine[0], {"role": role})
        else:
            tx.create(
                "raci",
                {"entity": "card", "entity_id": card_id, "person_id": person_id, "role": role},
            )
        if tx.change:
            what = f"{role} ({ROLE_NAMES[role]})" if role else "no role"
            tx.log(
                f"RACI of #{card['num']} {card['title']}: @{person['handle']} {what}",
                entity="card",
                entity_id=card_id,
                action="raci",
            )
    if store.last_change is not None and store.last_change.ops:
        store.last_change.summary = f"RACI of #{card['num']}"
    return moved
