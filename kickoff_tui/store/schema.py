"""The workspace tables: names, columns and types, shared by migrations and the write path.

The tables are a public interface (a user may open the file with sqlite-utils or Datasette),
and the write path accepts operations only for the tables and fields named here, so values
coming from a sync log can never reach SQL as an identifier.
"""

from __future__ import annotations

#: `PRAGMA application_id` of every kickoff workspace ("KICK"): tells our files from others.
APPLICATION_ID = 0x4B49434B

#: Columns every synced table has, after its own. `deleted` is a 0/1 tombstone.
COMMON = {"created_at": str, "updated_at": str, "updated_by": str, "deleted": int}

#: Synced tables: name -> {column: python type}. `id TEXT PRIMARY KEY` comes first.
TABLES: dict[str, dict[str, type]] = {
    "workspace": {
        "name": str,
        "vision": str,
        "kickoff_date": str,  # YYYY-MM-DD, day 0 of the 90 days
        "timezone": str,  # IANA name, e.g. Europe/Paris
        "standup_cadence": str,  # daily | weekly
        "standup_timebox_min": int,
        # Workspace settings (schema version 4):
        "purpose": str,  # one line: why this team exists
        "standup_day": str,  # mon | tue | wed | thu | fri | sat | sun
        "standup_time": str,  # HH:MM in the workspace time zone
        # The team's rhythm (rules/cadence.py):
        "okr_review_day": str,  # monthly: "10" (the last day in shorter months) or "first-tue"
        "review_time": str,  # HH:MM of the OKR review and the retrospectives
        "retro_every": str,  # day90 | fortnightly | monthly (day 90 always)
        "pulse_every": str,  # weekly | fortnightly: how long a pulse stays open
    },
    "person": {
        "name": str,
        "handle": str,
        "role": str,
        "email": str,
        # schema version 4:
        "active": int,  # 1, or 0 once deactivated (never a hard delete); NULL counts as active
        "timezone": str,  # IANA name, optional
        "first_action_card_id": str,  # the card they committed to as their first action
    },
    "objective": {
        "title": str,
        "description": str,
        "owner_id": str,
        "weight": float,
        "position": str,
        "status": str,
    },
    "key_result": {
        "objective_id": str,
        "title": str,
        "kind": str,
        "unit": str,
        "baseline": float,
        "target": float,
        "current": float,
        "weight": float,
        "owner_id": str,
        "due": str,
        "confidence": int,
        "position": str,
        # "cards": a milestone key result counted from its linked board cards (done/total);
        # NULL: from its check-ins (schema version 3)
        "progress_from": str,
    },
    "check_in": {
        "key_result_id": str,
        "value": float,
        "confidence": int,
        "note": str,
        "author_id": str,
        "at": str,
        "corrects_id": str,  # a correction of an earlier check-in; the original stays
    },
    "card": {
        "title": str,
        "description": str,
        "window": str,  # 30 | 60 | 90 | later
        "state": str,  # todo | doing | blocked | done
        "rag": str,  # green | yellow | red
        "owner_id": str,
        "key_result_id": str,
        "due": str,
        "deliverable": str,
        "position": str,  # fractional index within the window
        "first_action_due": str,
        "tags": str,  # space-separated
    },
    "card_dependency": {"card_id": str, "depends_on_id": str},
    "raci": {"entity": str, "entity_id": str, "person_id": str, "role": str},
    "risk": {
        "title": str,
        "cause": str,
        "consequence": str,
        "likelihood": int,
        "impact": int,
        "residual_likelihood": int,
        "residual_impact": int,
        "owner_id": str,
        "mitigation": str,
        "treatment": str,
        "status": str,
        "due": str,
        "next_review": str,
        "objective_id": str,
        "card_id": str,
    },
    "decision": {
        "title": str,
        "context": str,
        "outcome": str,
        "status": str,
        "rag": str,
        "owner_id": str,
        "decided_at": str,
        "published_at": str,
        "due": str,
        "supersedes_id": str,
        "card_id": str,
        "key_result_id": str,
        "risk_id": str,
        "standup_id": str,
    },
    "standup": {
        "held_on": str,
        "kind": str,
        "started_at": str,
        "ended_at": str,
        "facilitator_id": str,
        "timebox_min": int,
        "speaker_order": str,  # JSON list of person ids
        "away": str,  # JSON list of person ids marked away
        "ended_unowned": int,  # ended with blockers left without an owner
        # The running meeting, shared by everyone in it (schema version 2):
        "current_speaker_id": str,  # whose turn it is; NULL before the first and after the last
        "turn_started_at": str,  # when the current turn's clock last started; NULL while paused
        "paused_at": str,  # when the meeting was paused; NULL while it runs
        "paused_seconds": int,  # time spent paused before `paused_at`, off the countdown
    },
    "standup_entry": {
        "standup_id": str,
        "person_id": str,
        "done": str,
        "next": str,
        "blockers": str,
        "mood": str,
        "speak_seconds": int,
    },
    "blocker": {
        "text": str,
        "raised_by": str,
        "raised_at": str,
        "owner_id": str,
        "owned_at": str,
        "resolved_at": str,
        "card_id": str,
        "standup_id": str,
    },
    "pulse": {
        "opens_on": str,  # YYYY-MM-DD, the first day it can be answered
        "closes_on": str,  # YYYY-MM-DD, the last day it can be answered
        "questions": str,  # JSON list of 3-5 questions, each answered 1-5
    },
    "pulse_answer": {
        "pulse_id": str,
        "person_id": str,
        "answers": str,  # JSON list, 1-5 or null per question, in the pulse's order
        "text": str,  # "What would help?", optional
        "answered_at": str,
    },
    # KPIs (issue 15): running health measures beside the key results, read at a frequency.
    "kpi": {
        "name": str,
        "definition": str,
        "unit": str,
        "direction": str,  # higher | lower (which way is better)
        "baseline": float,
        "target_30": float,  # the value wanted on day 30 of the plan
        "target_90": float,  # ... and on day 90
        "threshold": float,  # the alert threshold; NULL: the baseline
        "frequency": str,  # daily | weekly | monthly
        "owner_id": str,
        "source": str,  # where the number comes from: CRM, service desk, survey...
        "objective_id": str,  # the objective it backs, optional
    },
    "kpi_reading": {
        "kpi_id": str,
        "value": float,
        "at": str,  # YYYY-MM-DD: the day it was measured, in the workspace time zone
        "note": str,
        "author_id": str,
        "corrects_id": str,  # a correction of an earlier reading; the original stays
    },
    "activity": {
        "at": str,
        "actor": str,
        "entity": str,
        "entity_id": str,
        "action": str,
        "summary": str,
        "detail": str,  # JSON {field: [old, new]} of what changed
    },
    # The monthly OKR review and the retrospective (issue 16):
    "okr_review": {
        "held_on": str,  # YYYY-MM-DD, local day
        "attendees": str,  # JSON list of person ids
        "facilitator_id": str,
        "ended_at": str,  # when it was closed; NULL while it runs
    },
    "okr_verdict": {
        "review_id": str,
        "objective_id": str,
        "key_result_id": str,  # NULL: a verdict on the objective
        "verdict": str,  # keep | adjust | drop | add
        "note": str,
        "old_target": float,
        "new_target": float,
        "progress": float,  # 0..1 at the time of the verdict (the next review compares)
        "confidence": int,
        "decision_id": str,  # the decision that logged an adjustment
        "new_key_result_id": str,  # the key result an "add" created
        "author_id": str,
    },
    "retro": {
        "held_on": str,  # YYYY-MM-DD, local day
        "day": int,  # the plan day it was held on
        "facilitator_id": str,
        "ended_at": str,
    },
    "retro_item": {
        "retro_id": str,
        "kind": str,  # well | not_well | change
        "text": str,
        "author_id": str,  # NULL with source "data"
        "source": str,  # "data": pre-filled from the workspace; NULL: typed by a person
        "action_kind": str,  # card | risk | decision
        "action_id": str,
    },
    # One vote per person per item: the row id is "<item id>.<person id>", so the same vote
    # recorded on two machines is one row; unvoting tombstones it.
    "retro_vote": {"item_id": str, "person_id": str},
    # The kickoff page (schema version 6): the charter (one row, id "charter"), the questions
    # collected at the kickoff, the stakeholder map and the communication plan.
    "charter": {
        "purpose": str,
        "context": str,
        "scope_in": str,
        "scope_out": str,
        "success": str,
        "roles": str,
        "rules": str,
    },
    "question": {
        "text": str,
        "owner_id": str,
        "answer_by": str,  # YYYY-MM-DD
        "answer": str,
        "answered_at": str,  # YYYY-MM-DD
    },
    "stakeholder": {
        "name": str,
        "discipline": str,  # rules.kickoff.DISCIPLINES
        "internal": int,  # 1 internal, 0 external
        "influence": int,  # 1–5
        "interest": int,  # 1–5
        "attitude": str,  # supporter | neutral | critic
        "expectation": str,  # what we expect of them
        "owner_id": str,  # the relationship owner (a person)
        "last_contact": str,  # YYYY-MM-DD
        "next_contact": str,  # YYYY-MM-DD
        "notes": str,
        # The five shortlist answers: 1 yes, 0 no, NULL not answered (rules.kickoff.QUESTIONS)
        "q_affects": int,
        "q_expect": int,
        "q_relationship": int,
        "q_replaceable": int,
        "q_assigned": int,
    },
    "comm": {
        "audience": str,  # "everyone" or a group of people (when no stakeholder)
        "stakeholder_id": str,  # the audience when it is one stakeholder
        "message": str,  # what they are told
        "channel": str,  # free text: all-hands, email, Slack…
        "cadence": str,  # rules.kickoff.CADENCES
        "starts": str,  # YYYY-MM-DD: the date of a one-off, the first of a series
        "owner_id": str,
        "last_done": str,  # YYYY-MM-DD
    },
}

#: Defaults applied when a row is created without a value for these columns.
DEFAULTS: dict[str, dict[str, object]] = {
    "workspace": {"timezone": "UTC", "standup_cadence": "weekly", "standup_timebox_min": 15},
    "person": {"active": 1},
    "objective": {"weight": 1.0, "status": "active"},
    "key_result": {"kind": "increase_to", "weight": 1.0, "baseline": 0.0},
    "card": {"window": "30", "state": "todo", "rag": "green"},
    "risk": {"likelihood": 3, "impact": 3, "treatment": "mitigate", "status": "open"},
    "decision": {"status": "proposed", "rag": "green"},
    "standup": {"kind": "weekly", "timebox_min": 15, "ended_unowned": 0},
    "kpi": {"direction": "higher", "frequency": "weekly"},
    "stakeholder": {"discipline": "other", "internal": 1, "influence": 3, "interest": 3},
    "comm": {"cadence": "once", "audience": "everyone"},
}

#: Secondary indexes (table, columns), for the screens' read models.
INDEXES: list[tuple[str, tuple[str, ...]]] = [
    ("card", ("window", "position")),
    ("card", ("owner_id",)),
    ("card", ("key_result_id",)),
    ("card", ("created_at", "id")),  # a card's #number for one row without numbering them all
    ("card_dependency", ("card_id",)),
    ("card_dependency", ("depends_on_id",)),
    ("raci", ("entity", "entity_id")),
    ("key_result", ("objective_id",)),
    ("check_in", ("key_result_id", "at")),
    ("risk", ("likelihood", "impact")),
    ("standup_entry", ("standup_id",)),
    ("blocker", ("standup_id",)),
    ("pulse_answer", ("pulse_id", "person_id")),
    ("activity", ("at",)),
    ("activity", ("entity", "entity_id")),
    ("okr_verdict", ("review_id",)),
    ("retro_item", ("retro_id",)),
    ("retro_vote", ("item_id",)),
    ("kpi_reading", ("kpi_id", "at")),
    ("stakeholder", ("influence", "interest")),
]


def columns(table: str) -> list[str]:
    """All columns of a synced table, in file order."""
    return ["id", *TABLES[table], *COMMON]


def field_type(table: str, field: str) -> type | None:
    """The python type of a writable field, or None if the field can't be written."""
    cols = TABLES.get(table)
    if cols is None:
        return None
    if field == "deleted":
        return int
    return cols.get(field)
