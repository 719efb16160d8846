"""The first-run checklist of a new workspace, ticked off from the data itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store


def is_empty(store: Store) -> bool:
    """A workspace with no objectives and no cards (people may be just me): show the checklist."""
    return bool(
        store.one(
            "SELECT (SELECT count(*) FROM objective WHERE deleted = 0) + "
            "(SELECT count(*) FROM card WHERE deleted = 0)"
        )[0]
        == 0
    )


def checklist(store: Store) -> list[dict[str, Any]]:
    """[{key, text, done, mode}] in the guides' order; `mode` is the screen to do it on."""
    n = store.one(
        """SELECT
            (SELECT count(*) FROM person WHERE deleted = 0 AND coalesce(active, 1) = 1) AS people,
            (SELECT count(*) FROM person WHERE deleted = 0 AND coalesce(active, 1) = 1
               AND first_action_card_id IS NOT NULL) AS firsts,
            (SELECT count(*) FROM objective WHERE deleted = 0) AS objectives,
            (SELECT count(*) FROM key_result k JOIN objective o ON o.id = k.objective_id
               AND o.deleted = 0 WHERE k.deleted = 0) AS krs,
            (SELECT count(*) FROM card WHERE deleted = 0 AND window = '30') AS first30,
            (SELECT count(*) FROM risk WHERE deleted = 0) AS risks"""
    )
    from kickoff_tui.store.charter import CHARTER_ID, SECTION_FIELDS

    row = store.get("charter", CHARTER_ID) or {}
    written = sum(1 for name in SECTION_FIELDS if str(row.get(name) or "").strip())
    people, objectives, krs = n["people"], n["objectives"], n["krs"]
    return [
        {
            "key": "team",
            "mode": "team",
            "done": people >= 2,
            "text": f"Add your team ({people} {'person' if people == 1 else 'people'} so far)",
        },
        {
            "key": "okrs",
            "mode": "okrs",
            "done": 3 <= objectives <= 5 and krs >= 2 * objectives,
            "text": f"Write 3–5 objectives with 2–4 key results each ({objectives} objectives, "
            f"{krs} key results)",
        },
        {
            "key": "plan",
            "mode": "board",
            "done": n["first30"] > 0,
            "text": f"Plan the first 30 days ({n['first30']} cards in 0–30)",
        },
        {
            "key": "risks",
            "mode": "risks",
            "done": n["risks"] >= 3,
            "text": f"Name your top risks ({n['risks']} so far)",
        },
        {
            "key": "first",
            "mode": "team",
            "done": people > 0 and n["firsts"] == people,
            "text": f"Pick each person's first action ({n['firsts']} of {people})",
        },
        {
            "key": "charter",
            "mode": "kickoff",
            "done": written > 0,
            "text": f"Write the charter ({written} of {len(SECTION_FIELDS)} sections)",
        },
    ]
