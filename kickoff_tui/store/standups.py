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

The read models are :mod:`.standup_reads`, the writes :mod:`.standup_writes`; every name is
importable from here, as it always was.
"""

from __future__ import annotations

from kickoff_tui.rules.windows import local_day
from kickoff_tui.store.errors import InvalidEdit
from kickoff_tui.store.okrs import check_in
from kickoff_tui.store.people import me  # the one answer to "who am I"
from kickoff_tui.store.standup_reads import (
    DRAFT_PREFIX,
    ENTRY_MAX,
    FIELD_LABELS,
    FIELDS,
    AmbiguousStandup,
    CardMove,
    KrStatus,
    SinceLast,
    Speaker,
    UnownedBlockers,
    ended_today,
    entries,
    entry_id,
    get,
    held_on,
    last_ended,
    local_time,
    minutes,
    open_blockers,
    past,
    previous,
    resolve_standup,
    running,
    since_last,
    speakers,
    unowned_blockers,
    write_minutes_file,
)
from kickoff_tui.store.standup_writes import (
    CARD_CHOICES,
    Draft,
    assign_blocker,
    cancel,
    choices,
    clean_entry,
    clear_draft,
    draft_key,
    drafts,
    end,
    give_floor,
    is_empty,
    key_results_of,
    move_speaker,
    publish_decisions,
    raise_blocker,
    record_decision,
    resolve_blocker,
    restore_drafts,
    save_draft,
    save_field,
    set_away,
    settle_duplicates,
    start,
    step_speaker,
    toggle_pause,
)

__all__ = [
    "CARD_CHOICES",
    "DRAFT_PREFIX",
    "ENTRY_MAX",
    "FIELDS",
    "FIELD_LABELS",
    "AmbiguousStandup",
    "CardMove",
    "Draft",
    "InvalidEdit",
    "KrStatus",
    "SinceLast",
    "Speaker",
    "UnownedBlockers",
    "assign_blocker",
    "cancel",
    "check_in",
    "choices",
    "clean_entry",
    "clear_draft",
    "draft_key",
    "drafts",
    "end",
    "ended_today",
    "entries",
    "entry_id",
    "get",
    "give_floor",
    "held_on",
    "is_empty",
    "key_results_of",
    "last_ended",
    "local_day",
    "local_time",
    "me",
    "minutes",
    "move_speaker",
    "open_blockers",
    "past",
    "previous",
    "publish_decisions",
    "raise_blocker",
    "record_decision",
    "resolve_blocker",
    "resolve_standup",
    "restore_drafts",
    "running",
    "save_draft",
    "save_field",
    "set_away",
    "settle_duplicates",
    "since_last",
    "speakers",
    "start",
    "step_speaker",
    "toggle_pause",
    "unowned_blockers",
    "write_minutes_file",
]
