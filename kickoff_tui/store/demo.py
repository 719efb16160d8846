"""A realistic sample workspace: a product team 37 days into a 90-day plan.

Dates are relative to today (or the frozen clock), so the demo always shows a plan in flight:
five people, three objectives with key results of every kind and five weeks of check-ins,
about twenty cards over the windows, eight risks, four decisions and two past standups.
The data itself is :mod:`.demo_data`; this module writes it. A new part of the demo is a
function in its own store module, called from :func:`make_demo` with one line.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.rules.position import keys_between
from kickoff_tui.store import cadence, charter, kpis, okr_review, retro
from kickoff_tui.store.demo_data import (
    CARDS,
    DECISIONS,
    DEMO_DAY,
    FIRST_ACTIONS,
    KEY_RESULTS,
    OBJECTIVES,
    PEOPLE,
    RACI,
    RISKS,
    TITLE_NOUNS,
    TITLE_VERBS,
)
from kickoff_tui.store.ops import Store, Transaction
from kickoff_tui.store.workspace import init_workspace


def _at(kickoff: date, day: float, hour: int = 9) -> str:
    moment = datetime.combine(kickoff + timedelta(days=int(day)), time(hour), UTC)
    return clock.iso(moment + timedelta(days=day - int(day)))


def make_demo(path: Path | str, *, cards: int = 0, seed: int = 7) -> Store:
    """Create the sample workspace at `path` (which must not exist) and return it open."""
    today = clock.today()
    kickoff = today - timedelta(days=DEMO_DAY)
    store = init_workspace(
        path,
        name="Atlas launch",
        kickoff_date=kickoff,
        timezone="UTC",
        vision="Teams sign up, reach value in a day and pay for it within a month.",
        actor="ana",
    )
    with store.transaction("Filled the workspace with the sample plan", entity="workspace") as tx:
        people = {
            h: tx.create("person", {"handle": h, "name": n, "role": r, "email": e})
            for h, n, r, e in PEOPLE
        }
        objectives = {}
        for pos, (key, title, description, owner) in zip(
            keys_between(None, None, len(OBJECTIVES)), OBJECTIVES
        ):
            objectives[key] = tx.create(
                "objective",
                {
                    "title": title,
                    "description": description,
                    "owner_id": people[owner],
                    "weight": 1.0,
                    "position": pos,
                    "status": "active",
                },
            )
        krs = {}
        kr_positions = keys_between(None, None, len(KEY_RESULTS))
        for pos, (key, obj, title, kind, unit, base, target, owner, values, confs) in zip(
            kr_positions, KEY_RESULTS
        ):
            krs[key] = tx.create(
                "key_result",
                {
                    "objective_id": objectives[obj],
                    "title": title,
                    "kind": kind,
                    "unit": unit,
                    "baseline": base,
                    "target": target,
                    "current": values[-1],
                    "weight": 1.0,
                    "owner_id": people[owner],
                    "due": (kickoff + timedelta(days=90)).isoformat(),
                    "confidence": confs[-1],
                    "position": pos,
                },
            )
            for week, (value, conf) in enumerate(zip(values, confs), start=1):
                tx.create(
                    "check_in",
                    {
                        "key_result_id": krs[key],
                        "value": value,
                        "confidence": conf,
                        "note": "Weekly check-in" if week < len(values) else "On the usual path",
                        "author_id": people[owner],
                        "at": _at(kickoff, 7 * week, 10),
                    },
                )
        cards_by_key = _add_cards(tx, kickoff, people, krs)
        _add_risks(tx, kickoff, people, objectives, cards_by_key)
        _add_decisions(tx, kickoff, people)
        _add_standups(tx, kickoff, people, cards_by_key)
        _add_first_actions(tx, kickoff, people, cards_by_key)
        okr_review.seed_demo(tx, kickoff, people, objectives, krs)
        retro.seed_demo(tx, kickoff, people, cards_by_key)
        cadence.seed_demo(tx, people, today)  # rhythm settings and pulse checks
        kpis.seed_demo(tx, today, people, objectives)
        charter.seed_demo(tx, kickoff, today, people)
    if cards:
        add_generated_cards(store, cards, seed=seed)
    return store


def _add_cards(
    tx: Transaction, kickoff: date, people: dict[str, str], krs: dict[str, str]
) -> dict[str, str]:
    ids: dict[str, str] = {}
    by_window: dict[str, list[tuple[Any, ...]]] = {}
    for card in CARDS:
        by_window.setdefault(card[2], []).append(card)
    for window, cards in by_window.items():
        for pos, (key, title, _, state, rag, owner, due, kr, _deps, tags, deliverable) in zip(
            keys_between(None, None, len(cards)), cards
        ):
            ids[key] = tx.create(
                "card",
                {
                    "title": title,
                    "window": window,
                    "state": state,
                    "rag": rag,
                    "owner_id": people[owner],
                    "due": (kickoff + timedelta(days=due)).isoformat() if due is not None else None,
                    "key_result_id": krs.get(kr) if kr else None,
                    "tags": tags or None,
                    "deliverable": deliverable or None,
                    "position": pos,
                    "first_action_due": _at(kickoff, 3, 0),
                },
            )
    for key, *_rest, deps, _tags, _deliv in CARDS:
        for dep in deps:
            tx.create("card_dependency", {"card_id": ids[key], "depends_on_id": ids[dep]})
    for key, roles in RACI.items():
        for handle, role in roles.items():
            tx.create(
                "raci",
                {
                    "entity": "card",
                    "entity_id": ids[key],
                    "person_id": people[handle],
                    "role": role,
                },
            )
    return ids


#: Each person's first action (committed in the kickoff room), showing every state: ana's done
#: on day 2 (on time), ben's still open past the 72 hours (late), eunji joined later and has
#: until tomorrow, chloe and dev have none yet.
def _add_first_actions(
    tx: Transaction, kickoff: date, people: dict[str, str], cards: dict[str, str]
) -> None:
    for handle, key in FIRST_ACTIONS.items():
        tx.update("person", people[handle], {"first_action_card_id": cards[key]})
    tx.update("card", cards["c11"], {"first_action_due": _at(kickoff, DEMO_DAY + 1, 15)})


def _add_risks(
    tx: Transaction,
    kickoff: date,
    people: dict[str, str],
    objectives: dict[str, str],
    cards: dict[str, str],
) -> None:
    for (
        title,
        cause,
        consequence,
        l,
        i,
        rl,
        ri,
        owner,
        treatment,
        mitigation,
        status,
        due,
        review,
        obj,
    ) in RISKS:
        tx.create(
            "risk",
            {
                "title": title,
                "cause": cause,
                "consequence": consequence,
                "likelihood": l,
                "impact": i,
                "residual_likelihood": rl,
                "residual_impact": ri,
                "owner_id": people.get(owner) if owner else None,
                "treatment": treatment,
                "mitigation": mitigation or None,
                "status": status,
                "due": (kickoff + timedelta(days=due)).isoformat() if due else None,
                "next_review": (kickoff + timedelta(days=review)).isoformat(),
                "objective_id": objectives.get(obj) if obj else None,
                "card_id": cards["c10"] if title.startswith("API") else None,
            },
        )


def _add_decisions(tx: Transaction, kickoff: date, people: dict[str, str]) -> None:
    for title, context, outcome, status, rag, owner, decided, published, due in DECISIONS:
        tx.create(
            "decision",
            {
                "title": title,
                "context": context,
                "outcome": outcome or None,
                "status": status,
                "rag": rag,
                "owner_id": people[owner],
                "decided_at": _at(kickoff, decided, 11) if decided is not None else None,
                "published_at": _at(kickoff, decided + published / 24, 11)
                if decided is not None and published is not None
                else None,
                "due": (kickoff + timedelta(days=due)).isoformat() if due else None,
            },
        )


def _add_standups(
    tx: Transaction, kickoff: date, people: dict[str, str], cards: dict[str, str]
) -> None:
    order = ["ben", "chloe", "dev", "eunji", "ana"]
    notes = {
        "ben": ("On-call rotation live", "Status page", "Security review for SSO"),
        "chloe": ("12 interviews done", "Checklist spec", ""),
        "dev": ("Funnel dashboard", "Sample data spike", ""),
        "eunji": ("Trial email drafts", "Pricing test plan", ""),
        "ana": ("Brief shared", "SRE job post", ""),
    }
    for day, away, speak in ((23, [], 140), (30, ["eunji"], 150)):
        sid = tx.create(
            "standup",
            {
                "held_on": (kickoff + timedelta(days=day)).isoformat(),
                "kind": "weekly",
                "started_at": _at(kickoff, day, 9),
                "ended_at": _at(kickoff, day + 14 / 1440, 9),
                "facilitator_id": people["ana"],
                "timebox_min": 15,
                "speaker_order": json.dumps([people[h] for h in order]),
                "away": json.dumps([people[h] for h in away]),
                "ended_unowned": 0,
            },
        )
        for handle in order:
            if handle in away:
                continue
            done, nxt, blockers = notes[handle]
            tx.create(
                "standup_entry",
                {
                    "standup_id": sid,
                    "person_id": people[handle],
                    "done": done,
                    "next": nxt,
                    "blockers": blockers or None,
                    "mood": "ok",
                    "speak_seconds": speak,
                },
            )
        if day == 23:
            tx.create(
                "blocker",
                {
                    "text": "Waiting on the security review for SSO",
                    "raised_by": people["ben"],
                    "raised_at": _at(kickoff, day, 9),
                    "owner_id": people["ana"],
                    "owned_at": _at(kickoff, day, 9),
                    "resolved_at": _at(kickoff, day + 3, 15),
                    "standup_id": sid,
                },
            )
        else:
            tx.create(
                "blocker",
                {
                    "text": "Load-test environment not provisioned",
                    "raised_by": people["ben"],
                    "raised_at": _at(kickoff, day, 9),
                    "owner_id": people["dev"],
                    "owned_at": _at(kickoff, day, 9),
                    "card_id": cards["c10"],
                    "standup_id": sid,
                },
            )
            tx.create(
                "blocker",
                {
                    "text": "Recruiter hasn't shared the SRE shortlist",
                    "raised_by": people["ana"],
                    "raised_at": _at(kickoff, day, 9),
                    "owner_id": people["ana"],
                    "owned_at": _at(kickoff, day, 10),
                    "card_id": cards["c13"],
                    "standup_id": sid,
                },
            )
    # Raised outside a standup and never given an owner: the standup screen flags it.
    tx.create(
        "blocker",
        {
            "text": "Analytics vendor contract needs a signature",
            "raised_by": people["eunji"],
            "raised_at": _at(kickoff, 33, 16),
        },
    )
    moves = [
        (
            2,
            "ana",
            "c1",
            "Marked #1 Write the kickoff brief and share it done",
            {"state": ["doing", "done"]},
        ),
        (
            32,
            "ben",
            "c10",
            "Blocked #10 Run the load test at 3× traffic",
            {"state": ["doing", "blocked"]},
        ),
        (
            33,
            "ben",
            "c9",
            "Marked #9 Status page and uptime alerts done",
            {"state": ["doing", "done"]},
        ),
        (
            34,
            "chloe",
            "c7",
            "Started #7 Ship the guided setup wizard",
            {"state": ["todo", "doing"]},
        ),
        (35, "dev", "c8", "Started #8 Sample data on sign-up", {"state": ["todo", "doing"]}),
        (36, "ana", "c13", "Blocked #13 Hire a second SRE", {"state": ["doing", "blocked"]}),
    ]
    for day, actor, key, summary, detail in moves:
        tx.create(
            "activity",
            {
                "at": _at(kickoff, day, 14),
                "actor": actor,
                "entity": "card",
                "entity_id": cards[key],
                "action": "update",
                "summary": summary,
                "detail": json.dumps(detail),
            },
        )


def add_generated_cards(store: Store, count: int, *, seed: int = 7) -> int:
    """Add `count` plausible cards spread over the windows (for benchmarks); return how many."""
    rng = random.Random(seed)
    ws = store.workspace()
    kickoff = date.fromisoformat(ws["kickoff_date"])
    owners = [r["id"] for r in store.rows("SELECT id FROM person WHERE deleted = 0")] or [None]
    windows = ["30", "60", "90", "later"]
    last = {
        w: store.one("SELECT max(position) FROM card WHERE window = ?", (w,))[0] for w in windows
    }
    chosen = [rng.choice(windows) for _ in range(count)]
    positions = {w: iter(keys_between(last[w], None, chosen.count(w))) for w in windows}
    span = {"30": (0, 30), "60": (31, 60), "90": (61, 90), "later": (91, 130)}
    with store.transaction(f"Added {count} generated cards", entity="card", action="create") as tx:
        for n, window in enumerate(chosen, start=1):
            lo, hi = span[window]
            state = rng.choices(["todo", "doing", "blocked", "done"], [5, 3, 1, 3])[0]
            tx.create(
                "card",
                {
                    "title": f"{rng.choice(TITLE_VERBS)} {rng.choice(TITLE_NOUNS)} ({n})",
                    "window": window,
                    "state": state,
                    "rag": rng.choices(["green", "yellow", "red"], [6, 3, 1])[0],
                    "owner_id": rng.choice(owners),
                    "due": (kickoff + timedelta(days=rng.randint(lo, hi))).isoformat(),
                    "position": next(positions[window]),
                    "tags": rng.choice(["", "ops", "growth", "billing", "design"]) or None,
                },
            )
    return count
