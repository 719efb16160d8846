"""Standups: the read models of the standup screen and the minutes, and the meeting's writes.

A running standup is one ``standup`` row shared by everyone in it: the speaker order, who is away,
whose turn it is and the turn clock (`current_speaker_id`, `turn_started_at`), pauses
(`paused_at`, `paused_seconds`). Moving to the next speaker is one transaction that banks the
finished turn's seconds on that person's ``standup_entry`` and starts the next turn, so every
machine showing the standup shows the same speaker and the same timers.

Typing is saved in two layers. Every keystroke goes to a per-machine *draft* (a ``local_meta``
row, never synced), so a crash loses nothing; the entry's field is written as an operation at
most once a second while typing, when the field is left and when the speaker changes, so
teammates see it within two seconds without hundreds of operations per entry in their logs.
Drafts left by a crash are written on the next start when they are newer than the field.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kickoff_tui import clock
from kickoff_tui.rules import minutes as mn
from kickoff_tui.rules.domains import instant
from kickoff_tui.rules.due import blocker_owner_overdue
from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.standup import meeting_elapsed, move, shuffled, step, turn_seconds
from kickoff_tui.rules.text import clean_line, clean_text
from kickoff_tui.rules.windows import local_day
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okrs import (
    KrView,
    check_in,  # noqa: F401 - the standup's `c` writes through it
)
from kickoff_tui.store.okrs import view as okr_view
from kickoff_tui.store.queries import numbered

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store, Transaction

#: The typed fields of an entry, in screen order.
FIELDS = ("done", "next", "blockers")
FIELD_LABELS = {"done": "Done", "next": "Next", "blockers": "Blockers"}
ENTRY_MAX = 2000
DRAFT_PREFIX = "standup_draft"
_ENTRY_NS = uuid.UUID("6b1c0ff5-57a2-4d1e-9a53-3d7d0c1e8a01")


class UnownedBlockers(InvalidEdit):
    """Ending was refused: blockers raised in this standup still have no owner."""


# ---------------------------------------------------------------------- small helpers


def _at(text: str | None) -> datetime | None:
    """A stored instant, or None when absent or unreadable (a bad value never stops a screen)."""
    return instant(text) if text else None


def _ids(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _dumps(ids: list[str]) -> str:
    return json.dumps(ids)


def _card_num(alias: str) -> str:
    """SQL for the #number of the card `alias` (as ``queries.numbered`` counts: by creation,
    tombstones included), for one row at a time: numbering all cards costs too much at 10k."""
    return (
        f"(SELECT count(*) FROM card n WHERE n.created_at < {alias}.created_at "
        f"OR (n.created_at = {alias}.created_at AND n.id <= {alias}.id))"
    )


def entry_id(standup_id: str, person_id: str) -> str:
    """The id of a person's entry in a standup: the same on every machine, so two replicas that
    both start someone's entry make one row, not two."""
    return str(uuid.uuid5(_ENTRY_NS, f"{standup_id}/{person_id}"))


def local_time(instant: str | None, tz: str) -> str:
    """ "09:00" in the workspace time zone."""
    if not instant:
        return ""
    import pendulum

    from kickoff_tui.rules.windows import zone

    at = _at(instant)
    if at is None:
        return "?⚠"
    return pendulum.instance(at).in_timezone(zone(tz)).format("HH:mm")


def me(store: Store) -> str | None:
    """The person this machine's user is: :func:`kickoff_tui.store.people.me`, the one answer."""
    from kickoff_tui.store.people import me as who

    return who(store)


# ---------------------------------------------------------------------- read models


def running(store: Store) -> dict[str, Any] | None:
    """The standup in progress (started, not ended); None between meetings. Two started at
    once on two machines are one meeting: every machine shows the first (lowest id) until
    :func:`settle_duplicates` merges the other into it."""
    row = store.row(
        f"SELECT * FROM {numbered('standup')} WHERE deleted = 0 AND started_at IS NOT NULL "
        "AND ended_at IS NULL ORDER BY id LIMIT 1"
    )
    return dict(row) if row else None


def get(store: Store, standup_id: str) -> dict[str, Any] | None:
    row = store.row(
        f"SELECT * FROM {numbered('standup')} WHERE id = ? AND deleted = 0", (standup_id,)
    )
    return dict(row) if row else None


def last_ended(store: Store) -> dict[str, Any] | None:
    row = store.row(
        f"SELECT * FROM {numbered('standup')} WHERE deleted = 0 AND ended_at IS NOT NULL "
        "ORDER BY ended_at DESC, id DESC LIMIT 1"
    )
    return dict(row) if row else None


def previous(store: Store, standup: dict[str, Any]) -> dict[str, Any] | None:
    """The last standup that ended before `standup` started."""
    row = store.row(
        "SELECT * FROM standup WHERE deleted = 0 AND ended_at IS NOT NULL AND id != ? "
        "AND ended_at <= ? ORDER BY ended_at DESC, id DESC LIMIT 1",
        (standup["id"], standup["started_at"] or standup["held_on"] or ""),
    )
    return dict(row) if row else None


def ended_today(store: Store) -> dict[str, Any] | None:
    """The standup that ended last, if it ended today (workspace time zone)."""
    last = last_ended(store)
    tz = store.workspace().get("timezone") or "UTC"
    if last and local_day(last["ended_at"], tz) == clock.today(tz):
        return last
    return None


def held_on(store: Store, day: str) -> list[dict[str, Any]]:
    """Every standup held on `day` (2026-11-16), in the order they started, with numbers."""
    return [
        dict(r)
        for r in store.rows(
            f"SELECT * FROM {numbered('standup')} WHERE deleted = 0 AND held_on = ? "
            "ORDER BY started_at, id",
            (day,),
        )
    ]


class AmbiguousStandup(InvalidEdit):
    """A date names more than one standup: the caller must pick one by number."""

    exit_code = 2


def resolve_standup(store: Store, ref: str) -> str | None:
    """A standup named by its number (`2`, `S2`), its date (2026-11-16) or its id (or a prefix).

    A date with two standups is refused (AmbiguousStandup, listing them) rather than guessed.
    """
    ref = ref.strip()
    if ref[:1] in ("S", "s") and ref[1:].isdigit():
        ref = ref[1:]
    if len(ref) == 10 and ref[4:5] == "-":
        found = held_on(store, ref)
        if len(found) == 1:
            return found[0]["id"]
        if found:
            tz = store.workspace().get("timezone") or "UTC"
            listed = ", ".join(
                f"S{s['num']} ({local_time(s['started_at'], tz) or '?'}–"
                f"{local_time(s['ended_at'], tz) or 'running'})"
                for s in found
            )
            raise AmbiguousStandup(
                f"{len(found)} standups were held on {ref}: {listed}. "
                f"Name one by its number, e.g. --standup S{found[-1]['num']}."
            )
    from kickoff_tui.store.queries import resolve_ref

    return resolve_ref(store, "standup", ref)


@dataclass
class Speaker:
    """One person in a standup's speaker order."""

    id: str
    name: str
    handle: str | None
    role: str | None
    away: bool = False
    spoken: int = 0  # seconds banked in finished turns
    entry: dict[str, Any] | None = None


def entries(store: Store, standup_id: str) -> dict[str, dict[str, Any]]:
    """Each person's entry in a standup (the oldest row per person, should two ever exist)."""
    found: dict[str, dict[str, Any]] = {}
    for row in store.rows(
        "SELECT * FROM standup_entry WHERE standup_id = ? AND deleted = 0 ORDER BY created_at, id",
        (standup_id,),
    ):
        found.setdefault(row["person_id"], dict(row))
    return found


def speakers(store: Store, standup: dict[str, Any]) -> list[Speaker]:
    """The speaker order with names, who is away and each person's entry.

    People added to the workspace after the start are listed at the end, so nobody is skipped.
    """
    people = {
        r["id"]: r
        for r in store.rows(
            "SELECT * FROM person WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id"
        )
    }
    order = [p for p in _ids(standup["speaker_order"]) if p in people]
    # (deactivated people stay where a standup already named them, and join no other)
    order += [p for p in people if p not in order and people[p]["active"] != 0]
    away = set(_ids(standup["away"]))
    by_person = entries(store, standup["id"])
    result = []
    for pid in order:
        person = people[pid]
        entry = by_person.get(pid)
        result.append(
            Speaker(
                pid,
                person["name"] or person["handle"] or "?",
                person["handle"],
                person["role"],
                pid in away,
                int(entry["speak_seconds"] or 0) if entry else 0,
                entry,
            )
        )
    return result


def unowned_blockers(store: Store, standup_id: str) -> list[sqlite3.Row]:
    """Blockers raised in a standup that are still open and have nobody to own them."""
    return store.rows(
        f"SELECT * FROM {numbered('blocker')} WHERE standup_id = ? AND deleted = 0 "
        "AND owner_id IS NULL AND resolved_at IS NULL ORDER BY raised_at, id",
        (standup_id,),
    )


@dataclass
class CardMove:
    """A card of the speaker's that changed state or window since the last standup."""

    num: int
    title: str
    rag: str | None
    changes: list[tuple[str, Any, Any]]  # (field, first old value, last new value)
    at: str


@dataclass
class KrStatus:
    """One of the speaker's key results: progress read as everywhere else (store.okrs.view:
    a key result counted from its cards shows its cards done, not a stale check-in)."""

    kr: KrView
    new: bool  # checked in since the last standup

    @property
    def due(self) -> bool:
        """No check-in for 14 days (never for a key result that counts its cards)."""
        return self.kr.stale


@dataclass
class SinceLast:
    """What moved for one person since the last standup, from the activity feed."""

    since: str | None  # when the previous standup ended
    cards: list[CardMove] = field(default_factory=list)
    krs: list[KrStatus] = field(default_factory=list)
    blockers: list[sqlite3.Row] = field(default_factory=list)


def since_last(store: Store, standup: dict[str, Any], person_id: str) -> SinceLast:
    """For the speaker: their cards that changed state or window, their key results' latest
    check-ins (and whether one is due), their open blockers."""
    prev = previous(store, standup)
    since = prev["ended_at"] if prev else None
    moves: dict[str, CardMove] = {}
    for row in store.rows(
        f"""SELECT a.at, a.detail, c.id AS card_id, {_card_num("c")} AS num, c.title, c.rag
              FROM activity a JOIN card c ON c.id = a.entity_id
             WHERE a.deleted = 0 AND a.entity = 'card' AND a.at > ? AND c.owner_id = ?
               AND c.deleted = 0 AND json_valid(a.detail)
               AND (json_type(a.detail, '$.state') IS NOT NULL
                    OR json_type(a.detail, '$.window') IS NOT NULL)
             ORDER BY a.at, a.id""",
        (since or "", person_id),
    ):
        try:
            detail = json.loads(row["detail"])
        except ValueError:
            continue
        move_ = moves.setdefault(
            row["card_id"], CardMove(row["num"], row["title"] or "", row["rag"], [], row["at"])
        )
        move_.at = row["at"]
        for name in ("state", "window"):
            change = detail.get(name)
            if not isinstance(change, list) or len(change) != 2:
                continue
            for i, (known, old, _new) in enumerate(move_.changes):
                if known == name:
                    move_.changes[i] = (name, old, change[1])
                    break
            else:
                move_.changes.append((name, change[0], change[1]))
    cards = [m for m in moves.values() if any(old != new for _, old, new in m.changes)]
    krs = [
        KrStatus(kr, bool(kr.last_at and since and kr.last_at > since))
        for objective in okr_view(store).objectives
        for kr in objective.key_results
        if kr.owner_id == person_id
    ]
    krs.sort(key=lambda status: status.kr.num)
    blockers = store.rows(
        f"""SELECT b.*, o.name AS owner_name, r.name AS raised_by_name
              FROM {numbered("blocker")} b
              LEFT JOIN person o ON o.id = b.owner_id
              LEFT JOIN person r ON r.id = b.raised_by
             WHERE b.deleted = 0 AND b.resolved_at IS NULL AND (b.raised_by = ? OR b.owner_id = ?)
             ORDER BY b.raised_at, b.id""",
        (person_id, person_id),
    )
    return SinceLast(since, cards, krs, blockers)


def open_blockers(store: Store, *, resolved: bool = False) -> list[dict[str, Any]]:
    """Every open blocker (with `resolved`, every blocker), oldest first, with names, its card,
    age and the same-day-owner flag."""
    tz = store.workspace().get("timezone") or "UTC"
    now = clock.now()
    rows = store.rows(
        f"""SELECT b.*, o.name AS owner_name, o.handle AS owner_handle,
                   r.name AS raised_by_name,
                   CASE WHEN c.id IS NOT NULL THEN {_card_num("c")} END AS card_num,
                   c.title AS card_title
              FROM {numbered("blocker")} b
              LEFT JOIN person o ON o.id = b.owner_id AND o.deleted = 0
              LEFT JOIN person r ON r.id = b.raised_by
              LEFT JOIN card c ON c.id = b.card_id
             WHERE b.deleted = 0 AND (b.resolved_at IS NULL OR ?)
             ORDER BY b.raised_at, b.id""",
        (resolved,),
    )
    result = []
    for row in rows:
        item = dict(row)
        raised = _at(row["raised_at"]) or now
        item["age_days"] = max(0, (now - raised).days)
        item["overdue"] = (
            not row["resolved_at"]
            and not row["owner_name"]
            and blocker_owner_overdue(raised, None, now, tz)
        )
        result.append(item)
    return result


def past(store: Store, limit: int | None = 20) -> list[dict[str, Any]]:
    """Recent standups (None: all) with duration, attendance and blocker counts, newest first.

    `attendees` counts who was there: everyone in the speaker order who wasn't marked away,
    whether or not their turn came (and anyone who wrote an entry), not only who spoke.
    """
    rows = store.rows(
        f"""SELECT s.*,
                   (SELECT json_group_array(e.person_id) FROM standup_entry e
                     WHERE e.standup_id = s.id AND e.deleted = 0) AS entry_people,
                   (SELECT count(*) FROM blocker b
                     WHERE b.standup_id = s.id AND b.deleted = 0) AS blockers_raised,
                   (SELECT count(*) FROM blocker b WHERE b.standup_id = s.id AND b.deleted = 0
                       AND b.resolved_at IS NOT NULL) AS blockers_resolved,
                   (SELECT count(*) FROM decision d
                     WHERE d.standup_id = s.id AND d.deleted = 0) AS decisions
              FROM {numbered("standup")} s WHERE s.deleted = 0
             ORDER BY s.held_on DESC, s.started_at DESC LIMIT ?""",
        (-1 if limit is None else limit,),
    )
    result = []
    for row in rows:
        item = dict(row)
        away = set(_ids(row["away"]))
        present = {p for p in _ids(row["speaker_order"]) if p not in away}
        item["attendees"] = len(present | set(_ids(item.pop("entry_people"))))
        started = _at(row["started_at"])
        item["seconds"] = (
            meeting_elapsed(
                started,
                _at(row["ended_at"]) or clock.now(),
                paused_seconds=row["paused_seconds"],
                ended_at=_at(row["ended_at"]),
            )
            if started
            else None
        )
        result.append(item)
    return result


def write_minutes_file(store: Store, standup_id: str, text: str) -> Path:
    """Write a standup's Markdown minutes to `<workspace>-minutes/S3-2026-12-03.md` beside the
    workspace (replacing an earlier copy); return the path. Raises OSError when it can't."""
    from kickoff_tui.store.beside import write_beside

    row = store.row(f"SELECT num, held_on FROM {numbered('standup')} WHERE id = ?", (standup_id,))
    if row is None:
        raise InvalidEdit("That standup no longer exists.")
    return write_beside(store, "minutes", f"S{row['num']}-{row['held_on'] or 'undated'}.md", text)


def minutes(store: Store, standup_id: str) -> mn.Minutes:
    """Everything the summary and the Markdown minutes say about one standup."""
    standup = get(store, standup_id)
    if standup is None:
        raise InvalidEdit("That standup no longer exists.")
    ws = store.workspace()
    tz = ws.get("timezone") or "UTC"
    now = clock.now()
    started, ended = _at(standup["started_at"]), _at(standup["ended_at"])
    seconds = (
        meeting_elapsed(
            started,
            now,
            paused_seconds=standup["paused_seconds"],
            paused_at=_at(standup["paused_at"]),
            ended_at=ended,
        )
        if started
        else 0
    )
    wall = int(((ended or now) - started).total_seconds()) if started else 0
    names = {r["id"]: r["name"] or r["handle"] or "?" for r in store.rows("SELECT * FROM person")}
    spoke, away = [], []
    current = standup["current_speaker_id"]
    turn_start = _at(standup["turn_started_at"])
    for s in speakers(store, standup):
        if s.away and s.entry is None:
            away.append(s.name)
            continue
        if s.entry is None:
            continue
        secs = turn_seconds(s.spoken, turn_start if s.id == current and not ended else None, now)
        spoke.append(
            mn.SpeakerNote(s.name, secs, s.entry["done"], s.entry["next"], s.entry["blockers"])
        )
    blockers = [
        mn.BlockerNote(
            f"B{b['num']}",
            b["text"] or "",
            names.get(b["raised_by"]),
            names.get(b["owner_id"]),
            f"#{b['card_num']} {b['card_title']}" if b["card_num"] else None,
            b["card_rag"],
            bool(b["resolved_at"]),
            local_day(b["raised_at"], tz),
            not b["owner_id"]
            and not b["resolved_at"]
            and _at(b["raised_at"]) is not None
            and blocker_owner_overdue(_at(b["raised_at"]), None, now, tz),
        )
        for b in store.rows(
            f"""SELECT b.*, CASE WHEN c.id IS NOT NULL THEN {_card_num("c")} END AS card_num,
                       c.title AS card_title, c.rag AS card_rag
                  FROM {numbered("blocker")} b LEFT JOIN card c ON c.id = b.card_id
                 WHERE b.standup_id = ? AND b.deleted = 0 ORDER BY b.num""",
            (standup_id,),
        )
    ]
    decisions = [
        mn.DecisionNote(
            f"D{d['num']}",
            d["title"] or "",
            d["outcome"],
            names.get(d["owner_id"]),
            date.fromisoformat(d["due"]) if d["due"] else None,
            d["rag"],
            d["status"],
        )
        for d in store.rows(
            f"SELECT * FROM {numbered('decision')} WHERE standup_id = ? AND deleted = 0 "
            "ORDER BY num",
            (standup_id,),
        )
    ]
    checkins = [
        mn.CheckinNote(
            f"KR{c['kr_num']}",
            c["kr_title"] or "",
            format_number(c["value"]) if c["value"] is not None else "–",
            c["unit"],
            c["confidence"],
            names.get(c["author_id"]),
            c["note"],
        )
        for c in store.rows(
            f"""SELECT c.*, k.num AS kr_num, k.title AS kr_title, k.unit
                  FROM check_in c JOIN {numbered("key_result")} k ON k.id = c.key_result_id
                 WHERE c.deleted = 0 AND c.at >= ? AND c.at <= ? ORDER BY c.at, c.id""",
            (standup["started_at"] or "", standup["ended_at"] or clock.iso(now)),
        )
    ]
    return mn.Minutes(
        workspace=ws.get("name") or "",
        held_on=date.fromisoformat(standup["held_on"]) if standup["held_on"] else now.date(),
        start=local_time(standup["started_at"], tz),
        end=local_time(standup["ended_at"], tz) or None,
        tz=tz,
        seconds=seconds,
        paused_seconds=max(0, wall - seconds),
        timebox_min=int(standup["timebox_min"] or 0),
        facilitator=names.get(standup["facilitator_id"]),
        speakers=spoke,
        away=away,
        blockers=blockers,
        decisions=decisions,
        checkins=checkins,
        ended_unowned=bool(standup["ended_unowned"]),
    )


# ---------------------------------------------------------------------- the meeting's writes


def _current(tx: Transaction, standup_id: str) -> sqlite3.Row:
    row = tx.conn.execute(
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
        return row["id"]
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
        paused = int((now - _at(standup["paused_at"])).total_seconds())
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
            return found["id"]
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
            paused = max(0, int((now - _at(standup["paused_at"])).total_seconds()))
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
    row = store.get("blocker", blocker_id)
    if row is None or row["deleted"]:
        raise InvalidEdit("That blocker no longer exists.")
    store.update(
        "blocker",
        blocker_id,
        {"owner_id": owner_id, "owned_at": clock.iso()},
        summary=f"Gave the blocker an owner: {row['text']}",
    )


def resolve_blocker(store: Store, blocker_id: str) -> None:
    row = store.get("blocker", blocker_id)
    if row is None or row["deleted"]:
        raise InvalidEdit("That blocker no longer exists.")
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
