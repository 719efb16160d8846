"""The team: people, who "me" is on this machine, and each person's first action.

Every write goes through the operation path (one transaction, an activity line), so undo,
sync and conflicts work as for cards. People are never deleted: deactivating keeps their name
on past cards, check-ins, minutes and decisions, and only takes them out of owner pickers and
standup speakers.

"Me" is local to this machine (``local_meta``, never synced): the person picked with
`kickoff me HANDLE` or in the app, unless KICKOFF_USER names someone else. :func:`me` is the one
answer every "mine" uses (board `o`, the standup, default owners).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.dates import parse_instant
from kickoff_tui.rules.people import (
    check_email,
    check_handle,
    derive_handle,
    first_action_status,
)
from kickoff_tui.rules.text import clean_line
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.queries import conflicted_ids, numbered

if TYPE_CHECKING:
    import sqlite3

    from kickoff_tui.store.ops import Store, Transaction

#: Person fields a form or the CLI may write.
EDITABLE = ("name", "handle", "role", "email", "timezone")
#: local_meta key of the person this machine's user is.
ME_KEY = "me_person_id"

ACTIVE = "coalesce(active, 1) = 1"


def everyone(store: Store) -> list[sqlite3.Row]:
    """Every person, active or not, by name."""
    return store.rows(
        "SELECT * FROM person WHERE deleted = 0 "
        "ORDER BY coalesce(active, 1) = 0, name COLLATE NOCASE, id"
    )


def find(store: Store, ref: str) -> dict[str, Any]:
    """The live person named by `ref`: a handle (with or without @), a full name or an email.

    Raises InvalidEdit with one sentence when nobody (or more than one person) matches.
    """
    key = (ref or "").strip().lstrip("@").lower()
    rows = (
        store.rows(
            "SELECT * FROM person WHERE deleted = 0 AND lower(handle) = ? ORDER BY created_at, id",
            (key,),
        )
        if key
        else []
    )
    if not rows and key:
        rows = store.rows(
            "SELECT * FROM person WHERE deleted = 0 AND (lower(name) = ? OR lower(email) = ?) "
            "ORDER BY created_at, id",
            (key, key),
        )
    if len(rows) == 1 or (rows and rows[0]["handle"] and rows[0]["handle"].lower() == key):
        return dict(rows[0])
    shown = "".join(ch if ch.isprintable() else "?" for ch in (ref or "").strip())[:40]
    if rows:
        raise InvalidEdit(f"{shown!r} names {len(rows)} people; use their handle.")
    known = ", ".join("@" + r["handle"] for r in everyone(store) if r["handle"])
    raise InvalidEdit(
        f"There is nobody called {shown!r} here"
        + (f" (people: {known})." if known else "; add them with `kickoff people add`.")
    )


def _taken(conn: sqlite3.Connection, but: str | None = None) -> set[str]:
    return {
        (r[0] or "").lower()
        for r in conn.execute(
            "SELECT handle FROM person WHERE deleted = 0 AND id IS NOT ?", (but,)
        ).fetchall()
    }


def suggest_handle(store: Store, name: str, *, but: str | None = None) -> str:
    """The handle a new person called `name` would get (unique in this workspace)."""
    return derive_handle(name, _taken(store.conn, but))


def _clean(values: Mapping[str, Any], tx: Transaction, person_id: str | None) -> dict[str, Any]:
    """Person values checked: raises InvalidEdit with one sentence for anything off."""
    from kickoff_tui.store.workspace import valid_timezone

    out: dict[str, Any] = {}
    try:
        if "name" in values or person_id is None:
            out["name"] = clean_line(values.get("name"), max_len=100, what="A person's name")
        if values.get("handle"):
            out["handle"] = check_handle(str(values["handle"]))
        elif person_id is None:
            out["handle"] = derive_handle(out["name"], _taken(tx.conn))
        for key, what in (("role", "The role"),):
            if key in values:
                out[key] = clean_line(values[key], max_len=100, what=what) if values[key] else None
        if "email" in values:
            out["email"] = check_email(values["email"]) if values["email"] else None
        if "timezone" in values:
            tz = (values["timezone"] or "").strip() or None
            if tz and not valid_timezone(tz):
                raise ValueError(
                    f"{tz[:40]!r} is not a time zone name; use one like Europe/Paris or UTC."
                )
            out["timezone"] = tz
    except ValueError as exc:
        raise InvalidEdit(str(exc)) from None
    handle = out.get("handle")
    if handle and handle in _taken(tx.conn, person_id):
        raise InvalidEdit(f"@{handle} is already someone's handle; pick another.")
    return out


def add_person(store: Store, values: Mapping[str, Any]) -> str:
    """Add an active person (name required; handle derived from the name when not given)."""
    with store.transaction(None) as tx:
        clean = _clean(values, tx, None)
        clean["active"] = 1
        person_id = tx.create("person", clean)
        tx.log(
            f"Added {clean['name']} (@{clean['handle']}) to the team",
            entity="person",
            entity_id=person_id,
            action="create",
        )
    tx.change.summary = f"Added {clean['name']}"
    return person_id


def _live(tx: Transaction, person_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = tx.conn.execute(
        "SELECT * FROM person WHERE id = ? AND deleted = 0", (person_id,)
    ).fetchone()
    if row is None:
        raise InvalidEdit("That person is no longer in the workspace.")
    return row


def edit_person(store: Store, person_id: str, values: Mapping[str, Any]) -> str:
    """Change a person's name, handle, role, email or time zone."""
    wanted = {k: v for k, v in values.items() if k in EDITABLE}
    with store.transaction(None) as tx:
        before = _live(tx, person_id)
        clean = _clean(wanted, tx, person_id)
        if "handle" in wanted and not wanted["handle"]:
            clean.pop("handle", None)  # an emptied handle keeps the old one
        tx.update("person", person_id, clean)
        if tx.change:
            tx.log(
                f"Edited {clean.get('name') or before['name']} (@{clean.get('handle') or before['handle']})",
                entity="person",
                entity_id=person_id,
                action="update",
            )
    if tx.change:
        tx.change.summary = f"Edited {before['name']}"
    return person_id


def set_active(store: Store, person_id: str, active: bool) -> bool:
    """Deactivate (or reactivate) a person; False when they already were."""
    with store.transaction(None) as tx:
        row = _live(tx, person_id)
        if (row["active"] if row["active"] is not None else 1) == int(active):
            return False
        tx.update("person", person_id, {"active": int(active)})
        verb = "Reactivated" if active else "Deactivated"
        tx.log(
            f"{verb} {row['name']} (@{row['handle']})",
            entity="person",
            entity_id=person_id,
            action="reactivate" if active else "deactivate",
        )
    tx.change.summary = f"{verb} {row['name']}"
    return True


def set_first_action(store: Store, person_id: str, card_id: str | None) -> None:
    """Flag `card_id` as the person's first action (None clears it).

    The card gets its `first_action_due` from the 72-hour rule (72 h after the kickoff day
    starts), or 72 h from now for someone who commits after that, and the person as owner when
    it has none.
    """
    from datetime import date, timedelta

    from kickoff_tui.rules.due import FIRST_ACTION_HOURS, first_action_due

    ws = store.workspace()
    with store.transaction(None) as tx:
        person = _live(tx, person_id)
        values: dict[str, Any] = {"first_action_card_id": card_id}
        if card_id is not None:
            card = tx.conn.execute(
                "SELECT * FROM card WHERE id = ? AND deleted = 0", (card_id,)
            ).fetchone()
            if card is None:
                raise InvalidEdit("That card no longer exists (someone may have deleted it).")
            card_values: dict[str, Any] = {}
            if not card["first_action_due"]:
                due = clock.now() + timedelta(hours=FIRST_ACTION_HOURS)
                if ws.get("kickoff_date"):
                    rule = first_action_due(
                        date.fromisoformat(ws["kickoff_date"]), ws.get("timezone") or "UTC"
                    )
                    due = rule if clock.now() <= rule else due
                card_values["first_action_due"] = clock.iso(due)
            if not card["owner_id"]:
                card_values["owner_id"] = person_id
            if card_values:
                tx.update("card", card_id, card_values)
        tx.update("person", person_id, values)
        if tx.change:
            what = "Cleared" if card_id is None else "Set"
            tx.log(
                f"{what} the first action of {person['name']}",
                entity="person",
                entity_id=person_id,
                action="first-action",
            )


# ---------------------------------------------------------------------- who am I


def me(store: Store) -> str | None:
    """The id of the person this machine's user is, or None when unknown.

    The person picked on this machine (`kickoff me`, `m` on the Team screen, the question on
    first open), unless KICKOFF_USER says otherwise; else the person the store's actor names
    (a handle, name or email: KICKOFF_USER when set, `init --me`, the login name).
    """
    if not os.environ.get("KICKOFF_USER"):
        picked = store.meta(ME_KEY)
        if picked and store.row("SELECT 1 FROM person WHERE id = ? AND deleted = 0", (picked,)):
            return picked
    return _match(store, store.actor or "")


def me_handle(store: Store) -> str | None:
    """My handle (what board `o` filters on), or None when I am nobody here yet."""
    pid = me(store)
    if pid is None:
        return None
    row = store.row("SELECT handle FROM person WHERE id = ?", (pid,))
    return row["handle"] if row and row["handle"] else None


def _match(store: Store, who: str) -> str | None:
    key = who.strip().lstrip("@").lower()
    if not key:
        return None
    row = store.row(
        "SELECT id FROM person WHERE deleted = 0 AND (lower(handle) = ? OR lower(name) = ? "
        "OR lower(email) = ?) ORDER BY lower(handle) = ? DESC, created_at, id LIMIT 1",
        (key, key, key, key),
    )
    return row["id"] if row else None


def set_me(store: Store, person_id: str) -> dict[str, Any]:
    """Remember on this machine (never synced) that its user is `person_id`; their handle
    becomes the name on this machine's changes. Returns the person."""
    row = store.row("SELECT * FROM person WHERE id = ? AND deleted = 0", (person_id,))
    if row is None:
        raise InvalidEdit("That person is no longer in the workspace.")
    handle = row["handle"] or row["name"]
    store.set_metas({ME_KEY: person_id, "actor": handle})
    if not os.environ.get("KICKOFF_USER"):
        store.actor = handle
    return dict(row)


def me_asked(store: Store) -> bool:
    """Whether this machine has been asked who its user is (or knows it already)."""
    return bool(store.meta("me_asked")) or me(store) is not None


# ---------------------------------------------------------------------- read models


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        return None


def first_actions(store: Store, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Per person id: {state, label, card_id, card_num, title, due} of their first action."""
    from datetime import date

    from kickoff_tui.rules.due import first_action_due

    now = now or clock.now()
    ws = store.workspace()
    rule_due = None
    if ws.get("kickoff_date"):
        try:
            rule_due = first_action_due(
                date.fromisoformat(ws["kickoff_date"]), ws.get("timezone") or "UTC"
            )
        except ValueError:
            rule_due = None
    rows = store.rows(
        f"""SELECT p.id AS person_id, c.id AS card_id, c.num, c.title, c.state,
                   c.first_action_due, c.updated_at,
                   (SELECT max(a.at) FROM activity a
                     WHERE a.entity = 'card' AND a.entity_id = c.id AND a.deleted = 0
                       AND json_valid(a.detail)
                       AND json_extract(a.detail, '$.state[1]') = 'done') AS done_logged
              FROM person p
              LEFT JOIN {numbered("card")} c ON c.id = p.first_action_card_id AND c.deleted = 0
             WHERE p.deleted = 0"""
    )
    out = {}
    for r in rows:
        due = _instant(r["first_action_due"]) or rule_due
        done_at = None
        if r["card_id"] and r["state"] == "done":
            done_at = _instant(r["done_logged"]) or _instant(r["updated_at"])
        state, label = first_action_status(
            has_card=r["card_id"] is not None, done_at=done_at, due=due, now=now
        )
        out[r["person_id"]] = {
            "state": state,
            "label": label,
            "card_id": r["card_id"],
            "card_num": r["num"],
            "title": r["title"],
            "due": due,
            "done": done_at is not None,
        }
    return out


def team(store: Store, now: datetime | None = None) -> list[dict[str, Any]]:
    """Everyone (active first, by name) with, at a glance, their open cards, key results, open
    risks, open blockers (owned or raised) and first-action status."""
    counts = {
        r["id"]: dict(r)
        for r in store.rows(
            """SELECT p.id,
             (SELECT count(*) FROM card c WHERE c.owner_id = p.id AND c.deleted = 0
                AND c.state != 'done') AS open_cards,
             (SELECT count(*) FROM key_result k WHERE k.owner_id = p.id AND k.deleted = 0) AS krs,
             (SELECT count(*) FROM risk r WHERE r.owner_id = p.id AND r.deleted = 0
                AND coalesce(r.status, 'open') != 'closed') AS risks,
             (SELECT count(*) FROM blocker b WHERE (b.owner_id = p.id OR b.raised_by = p.id)
                AND b.deleted = 0 AND b.resolved_at IS NULL) AS blockers
           FROM person p WHERE p.deleted = 0"""
        )
    }
    firsts = first_actions(store, now)
    conflicted = conflicted_ids(store, "person")
    out = []
    for p in everyone(store):
        d = dict(p)
        d["active"] = p["active"] if p["active"] is not None else 1
        d.update({k: v for k, v in counts.get(p["id"], {}).items() if k != "id"})
        d["first_action"] = firsts.get(p["id"]) or {
            "state": "none",
            "label": "none yet",
            "card_id": None,
            "card_num": None,
        }
        d["conflict"] = p["id"] in conflicted
        out.append(d)
    return out
