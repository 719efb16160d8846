"""The standup's writes: starting, turns, pauses, ending, entries and drafts, blockers,
decisions (see :mod:`kickoff_tui.store.standups`). Each is one transaction."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules.standup import move, shuffled, step, turn_seconds
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okrs import (
    check_in,  # noqa: F401 - the standup's `c` writes through it
)
from kickoff_tui.store.queries import live, numbered

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

from kickoff_tui.store.standup_reads import (
    DRAFT_PREFIX,
    ENTRY_MAX,
    FIELDS,
    UnownedBlockers,
    _at,
    _card_num,
    _dumps,
    _ids,
    entry_id,
    get,
    speakers,
    unowned_blockers,
)

# ---------------------------------------------------------------------- the meeting's writes


def _current(tx: Transaction, standup_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = tx.conn.execute(
        "SELECT * FROM standup WHERE id = ? AND deleted = 0", (standup_id,)
    ).fetchone()
    if row is None:
        raise InvalidEdit("That standup no longer exists.")
    if row["ended_at"]:
        raise InvalidEdit("That standup has already ended.")
    return row


def _entry(tx: Transaction, standup_id: str, person_id: str) -> str:
    """The id of a person's entry, created if they have none yet."""
    row = tx.conn.execute(
        "SELECT id FROM standup_entry WHERE standup_id = ? AND person_id = ? AND deleted = 0 "
        "ORDER BY created_at, id LIMIT 1",
        (standup_id, person_id),
    ).fetchone()
    if row:
        return str(row["id"])
    eid = entry_id(standup_id, person_id)
    if tx.conn.execute("SELECT 1 FROM standup_entry WHERE id = ?", (eid,)).fetchone():
        tx.update("standup_entry", eid, {"deleted": 0})
        return eid
    return tx.create(
        "standup_entry",
        {"standup_id": standup_id, "person_id": person_id, "speak_seconds": 0},
        row_id=eid,
    )


def _switch(tx: Transaction, standup: sqlite3.Row, to: str | None) -> None:
    """End the running turn (banking its seconds) and start `to`'s; resumes a paused meeting."""
    now = clock.now()
    values: dict[str, Any] = {
        "current_speaker_id": to,
        "turn_started_at": clock.iso(now) if to else None,
    }
    current, turn_start = standup["current_speaker_id"], _at(standup["turn_started_at"])
    if current and turn_start:
        eid = _entry(tx, standup["id"], current)
        spoken = tx.conn.execute(
            "SELECT speak_seconds FROM standup_entry WHERE id = ?", (eid,)
        ).fetchone()[0]
        tx.update("standup_entry", eid, {"speak_seconds": turn_seconds(spoken, turn_start, now)})
    if standup["paused_at"]:
        paused_at = _at(standup["paused_at"])  # None: unreadable, counted as no pause
        paused = int((now - paused_at).total_seconds()) if paused_at else 0
        values["paused_seconds"] = int(standup["paused_seconds"] or 0) + max(0, paused)
        values["paused_at"] = None
    if to:
        _entry(tx, standup["id"], to)
    tx.update("standup", standup["id"], values)


def start(store: Store, facilitator_id: str | None = None) -> str:
    """Start today's standup (or return the one already running): the people in a shuffled
    order, the first one's turn running, the workspace's timebox on the clock."""
    ws = store.workspace()
    tz = ws.get("timezone") or "UTC"
    with store.transaction("Started the standup", entity="standup", action="start") as tx:
        found = tx.conn.execute(
            "SELECT id FROM standup WHERE deleted = 0 AND started_at IS NOT NULL "
            "AND ended_at IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        if found:
            return str(found["id"])
        held_on = clock.today(tz).isoformat()
        people = [
            r["id"]
            for r in tx.conn.execute(
                "SELECT id FROM person WHERE deleted = 0 AND coalesce(active, 1) = 1 "
                "ORDER BY name COLLATE NOCASE, id"
            )
        ]
        order = shuffled(people, f"{ws.get('name')}/{held_on}")
        now = clock.iso()
        sid = tx.create(
            "standup",
            {
                "held_on": held_on,
                "kind": ws.get("standup_cadence") or "weekly",
                "started_at": now,
                "facilitator_id": facilitator_id,
                "timebox_min": int(ws.get("standup_timebox_min") or 15),
                "speaker_order": _dumps(order),
                "away": _dumps([]),
                "ended_unowned": 0,
                "paused_seconds": 0,
            },
        )
        if order:
            _switch(
                tx,
                tx.conn.execute("SELECT * FROM standup WHERE id = ?", (sid,)).fetchone(),
                order[0],
            )
    return sid


def settle_duplicates(store: Store) -> int:
    """Two people who pressed `s` before either saw the other's standup made two running ones.
    After a sync every machine keeps the first (lowest id, as :func:`running` shows); the
    machine that started another moves its entries (merged with the same person's, if any),
    blockers and decisions into the first and removes its own. Returns how many it merged."""
    running_ids = [
        r[0]
        for r in store.rows(
            "SELECT id FROM standup WHERE deleted = 0 AND started_at IS NOT NULL "
            "AND ended_at IS NULL ORDER BY id"
        )
    ]
    merged = 0
    keep = running_ids[0] if running_ids else None
    for sid in running_ids[1:]:
        made = store.row(
            "SELECT replica FROM operation WHERE tbl = 'standup' AND row_id = ? "
            "AND field = '*' ORDER BY hlc, id LIMIT 1",
            (sid,),
        )
        if made is None or made[0] != store.replica:
            continue  # its maker merges it, so two machines never write the merge twice
        with store.transaction(
            "Merged a standup started at the same time into the first one",
            entity="standup",
            entity_id=keep,
            action="merge",
            record_last=False,
        ) as tx:
            for e in tx.conn.execute(
                "SELECT * FROM standup_entry WHERE standup_id = ? AND deleted = 0 ORDER BY id",
                (sid,),
            ).fetchall():
                same = tx.conn.execute(
                    "SELECT * FROM standup_entry WHERE standup_id = ? AND person_id = ? "
                    "AND deleted = 0 ORDER BY created_at, id LIMIT 1",
                    (keep, e["person_id"]),
                ).fetchone()
                if same is None:
                    tx.update("standup_entry", e["id"], {"standup_id": keep})
                    continue
                values: dict[str, Any] = {
                    "speak_seconds": int(same["speak_seconds"] or 0) + int(e["speak_seconds"] or 0)
                }
                for name in (*FIELDS, "mood"):
                    mine, theirs = e[name], same[name]
                    if mine and mine != theirs:
                        values[name] = f"{theirs}\n{mine}" if theirs else mine
                tx.update("standup_entry", same["id"], values)
                tx.update("standup_entry", e["id"], {"deleted": 1})
            for table in ("blocker", "decision"):
                for r in tx.conn.execute(
                    f"SELECT id FROM {table} WHERE standup_id = ? AND deleted = 0", (sid,)
                ).fetchall():
                    tx.update(table, r["id"], {"standup_id": keep})
            tx.update("standup", sid, {"deleted": 1})
        merged += 1
    return merged


def step_speaker(store: Store, standup_id: str, delta: int) -> str | None:
    """Move to the next (+1) or previous (-1) present speaker; returns who speaks now.

    Past the last speaker nobody has the floor (everyone has spoken) and the turn clock stops.
    """
    with store.transaction() as tx:
        standup = _current(tx, standup_id)
        order = [s.id for s in speakers(store, dict(standup))]
        to = step(order, _ids(standup["away"]), standup["current_speaker_id"], delta)
        if to != standup["current_speaker_id"]:
            _switch(tx, standup, to)
    return to


def give_floor(store: Store, standup_id: str, person_id: str) -> None:
    """Make `person_id` the speaker now (back from away, if they were)."""
    with store.transaction() as tx:
        standup = _current(tx, standup_id)
        away = _ids(standup["away"])
        if person_id in away:
            tx.update("standup", standup_id, {"away": _dumps([p for p in away if p != person_id])})
        if standup["current_speaker_id"] != person_id:
            _switch(tx, standup, person_id)


def toggle_pause(store: Store, standup_id: str) -> bool:
    """Pause the meeting (both clocks stop) or resume it; returns True when now paused."""
    now = clock.now()
    with store.transaction() as tx:
        standup = _current(tx, standup_id)
        if standup["paused_at"]:
            paused_at = _at(standup["paused_at"])  # None: unreadable, counted as no pause
            paused = max(0, int((now - paused_at).total_seconds())) if paused_at else 0
            tx.update(
                "standup",
                standup_id,
                {
                    "paused_at": None,
                    "paused_seconds": int(standup["paused_seconds"] or 0) + paused,
                    "turn_started_at": clock.iso(now) if standup["current_speaker_id"] else None,
                },
            )
            return False
        current, turn_start = standup["current_speaker_id"], _at(standup["turn_started_at"])
        if current and turn_start:
            eid = _entry(tx, standup_id, current)
            spoken = tx.conn.execute(
                "SELECT speak_seconds FROM standup_entry WHERE id = ?", (eid,)
            ).fetchone()[0]
            tx.update(
                "standup_entry", eid, {"speak_seconds": turn_seconds(spoken, turn_start, now)}
            )
        tx.update("standup", standup_id, {"paused_at": clock.iso(now), "turn_started_at": None})
        return True


def set_away(store: Store, standup_id: str, person_id: str, away: bool) -> None:
    """Mark someone away (skipped; if it was their turn, the next person's starts) or back."""
    with store.transaction() as tx:
        standup = _current(tx, standup_id)
        now_away = [p for p in _ids(standup["away"]) if p != person_id] + (
            [person_id] if away else []
        )
        tx.update("standup", standup_id, {"away": _dumps(now_away)})
        if away and standup["current_speaker_id"] == person_id:
            order = [s.id for s in speakers(store, dict(standup))]
            _switch(tx, standup, step(order, now_away, person_id, 1))


def move_speaker(store: Store, standup_id: str, person_id: str, delta: int) -> None:
    """Move someone earlier (-1) or later (+1) in the speaker order."""
    with store.transaction() as tx:
        standup = _current(tx, standup_id)
        order = [s.id for s in speakers(store, dict(standup))]
        tx.update("standup", standup_id, {"speaker_order": _dumps(move(order, person_id, delta))})


def end(store: Store, standup_id: str, *, anyway: bool = False) -> str:
    """End the standup. Refused (UnownedBlockers) while blockers raised in it have no owner,
    unless `anyway`, which records that they were left unowned."""
    unowned = unowned_blockers(store, standup_id)
    if unowned and not anyway:
        listed = "; ".join(f"B{b['num']} {b['text']}" for b in unowned)
        n = len(unowned)
        raise UnownedBlockers(
            f"{n} blocker{'s' if n != 1 else ''} raised today still need{'s' if n == 1 else ''} "
            f"an owner: {listed}. Give {'them owners' if n != 1 else 'it an owner'} with o, "
            "or press E to end anyway."
        )
    summary = "Ended the standup" + (f" with {len(unowned)} unowned blockers" if unowned else "")
    with store.transaction(summary, entity="standup", entity_id=standup_id, action="end") as tx:
        standup = _current(tx, standup_id)
        _switch(tx, standup, None)
        tx.update(
            "standup", standup_id, {"ended_at": clock.iso(), "ended_unowned": 1 if unowned else 0}
        )
    return standup_id


def is_empty(store: Store, standup_id: str) -> bool:
    """Whether nothing was recorded in a standup: no entry text (saved or still a draft), no
    blocker raised and no decision recorded in it."""
    typed = store.row(
        "SELECT 1 FROM standup_entry WHERE standup_id = ? AND deleted = 0 AND "
        "(coalesce(done, '') != '' OR coalesce(next, '') != '' OR coalesce(blockers, '') != '') "
        "UNION ALL SELECT 1 FROM blocker WHERE standup_id = ? AND deleted = 0 "
        "UNION ALL SELECT 1 FROM decision WHERE standup_id = ? AND deleted = 0 LIMIT 1",
        (standup_id, standup_id, standup_id),
    )
    return typed is None and not any(d.text.strip() for d in drafts(store, standup_id))


def cancel(store: Store, standup_id: str) -> str:
    """Delete a standup started by mistake (running or ended) with its empty entries; refused
    once anything was recorded in it. One change: ctrl+z brings it back. Returns "S4"."""
    standup = get(store, standup_id)
    if standup is None:
        raise InvalidEdit("That standup no longer exists.")
    label = f"S{standup['num']}"
    if not is_empty(store, standup_id):
        raise InvalidEdit(
            f"{label} can't be cancelled: something was recorded in it "
            "(an entry, a blocker or a decision). End it with e instead."
        )
    with store.transaction(
        f"Cancelled the standup {label}", entity="standup", entity_id=standup_id, action="delete"
    ) as tx:
        for row in tx.conn.execute(
            "SELECT id FROM standup_entry WHERE standup_id = ? AND deleted = 0", (standup_id,)
        ).fetchall():
            tx.delete("standup_entry", row["id"])
        tx.delete("standup", standup_id)
    for d in drafts(store, standup_id):
        clear_draft(store, standup_id, d.person_id, d.field)
    return label


# ---------------------------------------------------------------------- entries and drafts


def clean_entry(text: str | None) -> str | None:
    """What typed entry text is stored as: control characters out, blank is None."""
    cleaned = clean_text(text or "", max_len=ENTRY_MAX, what="An entry")
    return cleaned or None


def save_field(store: Store, standup_id: str, person_id: str, name: str, text: str | None) -> bool:
    """Write one field of a person's entry (an operation only if it changed); clears its draft."""
    if name not in FIELDS:
        raise InvalidEdit(f"An entry has no field {name!r}.")
    value = clean_entry(text)
    with store.transaction() as tx:
        eid = _entry(tx, standup_id, person_id)
        changed = bool(tx.update("standup_entry", eid, {name: value}))
    clear_draft(store, standup_id, person_id, name)
    return changed


def draft_key(standup_id: str, person_id: str, name: str) -> str:
    return f"{DRAFT_PREFIX}:{standup_id}:{person_id}:{name}"


def _field_heads(store: Store, standup_id: str, person_id: str, name: str) -> list[str]:
    """The operations that last wrote a field of a person's entry (none if never written)."""
    return sorted(
        r[0]
        for r in store.rows(
            "SELECT h.op_id FROM standup_entry e JOIN operation_head h ON h.tbl = 'standup_entry' "
            "AND h.row_id = e.id AND h.field = ? WHERE e.standup_id = ? AND e.person_id = ? "
            "AND e.deleted = 0",
            (name, standup_id, person_id),
        )
    )


def save_draft(store: Store, standup_id: str, person_id: str, name: str, text: str) -> None:
    """Keep what is typed on this machine right away (one local row, never synced).

    The draft remembers which write of the field it was typed over, so a draft left by a crash
    can tell whether someone wrote the field after it (clocks can't: they differ per machine).
    """
    draft = {
        "text": text,
        "at": clock.iso(),
        "base": _field_heads(store, standup_id, person_id, name),
    }
    store.set_meta(draft_key(standup_id, person_id, name), json.dumps(draft, ensure_ascii=False))


def clear_draft(store: Store, standup_id: str, person_id: str, name: str) -> None:
    if store.meta(draft_key(standup_id, person_id, name)) is not None:
        store.set_meta(draft_key(standup_id, person_id, name), None)


@dataclass
class Draft:
    person_id: str
    field: str
    text: str
    at: str
    base: list[str]


def drafts(store: Store, standup_id: str) -> list[Draft]:
    """This machine's unsaved typing in a standup."""
    found = []
    prefix = f"{DRAFT_PREFIX}:{standup_id}:"
    for row in store.rows(
        "SELECT key, value FROM local_meta WHERE key >= ? AND key < ? AND value IS NOT NULL",
        (prefix, prefix + "\uffff"),
    ):
        person_id, _, name = row["key"][len(prefix) :].rpartition(":")
        try:
            draft = json.loads(row["value"])
            found.append(
                Draft(
                    person_id,
                    name,
                    str(draft["text"]),
                    str(draft["at"]),
                    [str(b) for b in draft.get("base") or []],
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return found


def restore_drafts(store: Store, standup_id: str) -> int:
    """Write the drafts a crash left behind; return how many changed an entry.

    A draft is newer than the field when nobody wrote the field after the draft was typed over
    it; a draft some later write superseded (a teammate's, say) is dropped.
    """
    restored = []
    for d in drafts(store, standup_id):
        if d.field in FIELDS and _field_heads(store, standup_id, d.person_id, d.field) == d.base:
            restored.append(d)
        else:
            clear_draft(store, standup_id, d.person_id, d.field)
    changed = 0
    if restored:
        with store.transaction() as tx:
            for d in restored:
                eid = _entry(tx, standup_id, d.person_id)
                changed += bool(tx.update("standup_entry", eid, {d.field: clean_entry(d.text)}))
        for d in restored:
            clear_draft(store, standup_id, d.person_id, d.field)
    return changed


# ---------------------------------------------------------------------- blockers, decisions, KRs


def raise_blocker(
    store: Store,
    *,
    text: str,
    raised_by: str | None,
    owner_id: str | None = None,
    card_id: str | None = None,
    standup_id: str | None = None,
) -> str:
    """Record a blocker (owned now if an owner is given)."""
    text = clean_line(text, max_len=300, what="The blocker")
    now = clock.iso()
    return store.create(
        "blocker",
        {
            "text": text,
            "raised_by": raised_by,
            "raised_at": now,
            "owner_id": owner_id,
            "owned_at": now if owner_id else None,
            "card_id": card_id,
            "standup_id": standup_id,
        },
        summary=f"Raised a blocker: {text}",
    )


def assign_blocker(store: Store, blocker_id: str, owner_id: str) -> None:
    row = live(store, "blocker", blocker_id, "blocker")
    store.update(
        "blocker",
        blocker_id,
        {"owner_id": owner_id, "owned_at": clock.iso()},
        summary=f"Gave the blocker an owner: {row['text']}",
    )


def resolve_blocker(store: Store, blocker_id: str) -> None:
    row = live(store, "blocker", blocker_id, "blocker")
    store.update(
        "blocker",
        blocker_id,
        {"resolved_at": clock.iso()},
        summary=f"Resolved the blocker: {row['text']}",
        action="resolve",
    )


def record_decision(
    store: Store,
    *,
    title: str,
    outcome: str | None = None,
    owner_id: str | None = None,
    due: date | None = None,
    rag: str = "green",
    standup_id: str | None = None,
) -> str:
    """Write down a decision taken now (accepted), with its owner, deadline and RAG status."""
    if rag not in ("green", "yellow", "red"):
        raise InvalidEdit("RAG must be green, yellow or red.")
    title = clean_line(title, what="The decision")
    return store.create(
        "decision",
        {
            "title": title,
            "outcome": clean_entry(outcome),
            "owner_id": owner_id,
            "due": due.isoformat() if due else None,
            "rag": rag,
            "status": "accepted",
            "decided_at": clock.iso(),
            "standup_id": standup_id,
        },
        summary=f"Decided: {title}",
    )


def publish_decisions(store: Store, standup_id: str) -> int:
    """Mark a standup's decisions published now (they were shared in its minutes)."""
    rows = store.rows(
        "SELECT id FROM decision WHERE standup_id = ? AND deleted = 0 AND published_at IS NULL",
        (standup_id,),
    )
    if rows:
        now = clock.iso()
        with store.transaction(
            f"Published {len(rows)} decisions in the standup minutes",
            entity="standup",
            entity_id=standup_id,
            action="publish",
        ) as tx:
            for row in rows:
                tx.update("decision", row["id"], {"published_at": now})
    return len(rows)


#: At most this many cards are offered when linking a blocker to a card.
CARD_CHOICES = 300


def choices(store: Store, person_id: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """(label, id) lists for the standup's forms: people, open cards (`person_id`'s first, then
    blocked ones, then the rest by window), key results."""
    people = [
        (r["name"] or r["handle"] or "?", r["id"])
        for r in store.rows(
            "SELECT * FROM person WHERE deleted = 0 AND coalesce(active, 1) = 1 "
            "ORDER BY name COLLATE NOCASE, id"
        )
    ]
    cards = [
        (f"#{r['num']} {r['title']}", r["id"])
        for r in store.rows(
            f"""SELECT {_card_num("c")} AS num, c.title, c.id FROM card c
             WHERE c.deleted = 0 AND c.state != 'done'
             ORDER BY c.owner_id IS NOT ? , c.state != 'blocked', c.window, c.position, c.id
             LIMIT ?""",
            (person_id, CARD_CHOICES),
        )
    ]
    krs = [
        (f"KR{r['num']} {r['title']}" + (f" ({r['owner']})" if r["owner"] else ""), r["id"])
        for r in store.rows(
            f"SELECT k.num, k.title, k.id, p.name AS owner FROM {numbered('key_result')} k "
            "LEFT JOIN person p ON p.id = k.owner_id WHERE k.deleted = 0 ORDER BY k.num"
        )
    ]
    return {"people": people, "cards": cards, "krs": krs}


def key_results_of(store: Store, person_id: str | None) -> list[str]:
    if not person_id:
        return []
    return [
        r["id"]
        for r in store.rows(
            "SELECT id FROM key_result WHERE owner_id = ? AND deleted = 0 ORDER BY position, id",
            (person_id,),
        )
    ]
