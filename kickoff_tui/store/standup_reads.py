"""The standup's read models: the running meeting, speakers, entries, since-last, open
blockers, past standups and the minutes (see :mod:`kickoff_tui.store.standups`)."""

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
from kickoff_tui.rules.standup import meeting_elapsed, turn_seconds
from kickoff_tui.rules.windows import local_day
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okrs import (
    KrView,
    check_in,  # noqa: F401 - the standup's `c` writes through it
)
from kickoff_tui.store.okrs import view as okr_view
from kickoff_tui.store.queries import numbered

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store

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
            return str(found[0]["id"])
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
            and (raised := _at(b["raised_at"])) is not None
            and blocker_owner_overdue(raised, None, now, tz),
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
