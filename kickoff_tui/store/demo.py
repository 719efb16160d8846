"""A realistic sample workspace: a product team 37 days into a 90-day plan.

Dates are relative to today (or the frozen clock), so the demo always shows a plan in flight:
five people, three objectives with key results of every kind and five weeks of check-ins,
about twenty cards over the windows, eight risks, four decisions and two past standups.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from kickoff_tui import clock
from kickoff_tui.rules.position import keys_between
from kickoff_tui.store import charter
from kickoff_tui.store.ops import Store, Transaction
from kickoff_tui.store.workspace import init_workspace

DEMO_DAY = 37  # today is day 37 of the 90

PEOPLE = [
    ("ana", "Ana Silva", "Product lead", "ana@example.com"),
    ("ben", "Ben Okafor", "Engineering lead", "ben@example.com"),
    ("chloe", "Chloé Martin", "Design", "chloe@example.com"),
    ("dev", "Dev Patel", "Data engineer", "dev@example.com"),
    ("eunji", "Eun-ji Kim", "Marketing", "eunji@example.com"),
]

# (key, objective, title, kind, unit, baseline, target, owner, weekly values, confidences)
KEY_RESULTS = [
    (
        "kr1",
        "o1",
        "Weekly activated teams",
        "increase_to",
        "teams",
        40,
        120,
        "ana",
        [44, 52, 57, 66, 71],
        [7, 7, 6, 6, 6],
    ),
    (
        "kr2",
        "o1",
        "Median days to first value",
        "decrease_to",
        "days",
        14,
        3,
        "chloe",
        [13, 12, 10, 9, 8],
        [6, 6, 7, 7, 7],
    ),
    (
        "kr3",
        "o1",
        "Onboarding milestones shipped",
        "milestone",
        "milestones",
        0,
        5,
        "chloe",
        [0, 1, 1, 2, 2],
        [8, 8, 7, 7, 6],
    ),
    (
        "kr4",
        "o2",
        "API uptime",
        "stay_above",
        "%",
        99.5,
        99.9,
        "ben",
        [99.95, 99.97, 99.82, 99.93, 99.95],
        [8, 8, 6, 7, 8],
    ),
    (
        "kr5",
        "o2",
        "P1 incidents per month",
        "stay_below",
        "incidents",
        5,
        2,
        "ben",
        [3, 2, 4, 3, 3],
        [5, 6, 4, 4, 4],
    ),
    (
        "kr6",
        "o2",
        "SOC 2 Type I report issued",
        "binary",
        "",
        0,
        1,
        "ben",
        [0, 0, 0, 0, 0],
        [6, 6, 5, 5, 4],
    ),
    (
        "kr7",
        "o3",
        "Paying teams",
        "increase_to",
        "teams",
        0,
        25,
        "eunji",
        [0, 1, 3, 4, 6],
        [5, 5, 5, 4, 4],
    ),
    (
        "kr8",
        "o3",
        "Net revenue retention",
        "increase_to",
        "%",
        95,
        110,
        "eunji",
        [96, 97, 99, 101, 102],
        [6, 6, 7, 7, 7],
    ),
]

OBJECTIVES = [
    ("o1", "Launch self-serve onboarding", "Teams get to value without a call.", "ana"),
    ("o2", "Make the platform reliable enough to sell", "Enterprise buyers stop asking.", "ben"),
    ("o3", "Prove the paid plan", "A repeatable path from trial to paid.", "eunji"),
]

# (key, title, window, state, rag, owner, due day, kr, deps, tags, deliverable)
CARDS = [
    (
        "c1",
        "Write the kickoff brief and share it",
        "30",
        "done",
        "green",
        "ana",
        3,
        None,
        [],
        "kickoff",
        "Brief in the wiki, read by all",
    ),
    (
        "c2",
        "Interview 12 trial teams",
        "30",
        "done",
        "green",
        "chloe",
        20,
        "kr1",
        [],
        "research",
        "Interview notes and top 5 frictions",
    ),
    (
        "c3",
        "Instrument the activation funnel",
        "30",
        "done",
        "green",
        "dev",
        14,
        "kr1",
        [],
        "data",
        "Funnel dashboard",
    ),
    (
        "c4",
        "Pick the onboarding checklist items",
        "30",
        "done",
        "yellow",
        "chloe",
        25,
        "kr3",
        ["c2"],
        "",
        "Checklist spec",
    ),
    (
        "c5",
        "Set up the on-call rotation",
        "30",
        "done",
        "green",
        "ben",
        10,
        "kr5",
        [],
        "ops",
        "Rotation in PagerDuty",
    ),
    (
        "c6",
        "Draft the SOC 2 control list",
        "30",
        "doing",
        "yellow",
        "ben",
        30,
        "kr6",
        [],
        "compliance",
        "Control matrix reviewed by the auditor",
    ),
    (
        "c7",
        "Ship the guided setup wizard",
        "60",
        "doing",
        "green",
        "chloe",
        50,
        "kr3",
        ["c4"],
        "onboarding",
        "Wizard live for 100% of sign-ups",
    ),
    (
        "c8",
        "Sample data on sign-up",
        "60",
        "doing",
        "yellow",
        "dev",
        45,
        "kr2",
        [],
        "onboarding",
        "New workspaces start with sample data",
    ),
    (
        "c9",
        "Status page and uptime alerts",
        "60",
        "done",
        "green",
        "ben",
        40,
        "kr4",
        [],
        "ops",
        "Public status page",
    ),
    (
        "c10",
        "Run the load test at 3× traffic",
        "60",
        "blocked",
        "red",
        "ben",
        35,
        "kr4",
        ["c9"],
        "ops",
        "Load-test report",
    ),
    (
        "c11",
        "Pricing page A/B test",
        "60",
        "todo",
        "green",
        "eunji",
        55,
        "kr7",
        [],
        "pricing",
        "Test running with 50/50 split",
    ),
    (
        "c12",
        "Trial email sequence",
        "60",
        "doing",
        "green",
        "eunji",
        52,
        "kr1",
        ["c7"],
        "marketing",
        "5 emails live",
    ),
    (
        "c13",
        "Hire a second SRE",
        "60",
        "blocked",
        "red",
        "ana",
        45,
        "kr5",
        [],
        "hiring",
        "Signed offer",
    ),
    (
        "c14",
        "Self-serve billing with annual plans",
        "90",
        "todo",
        "green",
        "dev",
        75,
        "kr7",
        ["c11"],
        "billing",
        "Annual plans purchasable in-app",
    ),
    (
        "c15",
        "Customer advisory board #1",
        "90",
        "todo",
        "green",
        "eunji",
        70,
        "kr8",
        [],
        "customers",
        "Notes shared with the team",
    ),
    (
        "c16",
        "Pen test and fix findings",
        "90",
        "todo",
        "yellow",
        "ben",
        80,
        "kr6",
        ["c6"],
        "compliance",
        "No open high findings",
    ),
    (
        "c17",
        "In-app tours for onboarding v2",
        "90",
        "todo",
        "green",
        "chloe",
        85,
        "kr3",
        ["c7"],
        "onboarding",
        "Tours on the 3 key screens",
    ),
    (
        "c18",
        "Expansion playbook for CSMs",
        "90",
        "todo",
        "green",
        "eunji",
        88,
        "kr8",
        [],
        "customers",
        "Playbook in the wiki",
    ),
    (
        "c19",
        "Partner integrations marketplace",
        "later",
        "todo",
        "green",
        "ana",
        None,
        None,
        [],
        "",
        "",
    ),
    (
        "c20",
        "Localise onboarding (FR, DE, 日本語)",
        "later",
        "todo",
        "green",
        "chloe",
        110,
        "kr1",
        ["c17"],
        "onboarding",
        "Three languages live",
    ),
    ("c21", "Quarterly retrospective", "later", "todo", "green", "ana", 91, None, [], "", ""),
]

RACI = {
    "c7": {"chloe": "R", "ana": "A", "dev": "C", "eunji": "I"},
    "c10": {"ben": "R", "ana": "A", "dev": "C"},
    "c16": {"ben": "R", "ana": "A", "dev": "I", "chloe": "I", "eunji": "I"},
}

# (title, cause, consequence, l, i, rl, ri, owner, treatment, mitigation, status,
#  due day, review day, objective)
RISKS = [
    (
        "API can't take 3× traffic",
        "Single Postgres primary",
        "Outage during launch week",
        4,
        5,
        2,
        4,
        "ben",
        "mitigate",
        "Read replicas and a queue for exports",
        "mitigating",
        45,
        44,
        "o2",
    ),
    (
        "SOC 2 auditor slot slips",
        "Auditor's backlog",
        "Enterprise deals wait a quarter",
        3,
        4,
        2,
        3,
        "ben",
        "mitigate",
        "Book a backup auditor now",
        "open",
        40,
        35,
        "o2",
    ),
    (
        "Designer on leave in weeks 8–10",
        "Planned leave",
        "Wizard polish slips",
        3,
        3,
        3,
        2,
        "ana",
        "accept",
        "Pair on hand-offs before the leave",
        "accepted",
        None,
        60,
        "o1",
    ),
    (
        "Trials don't reach value in a week",
        "Empty workspaces confuse people",
        "Activation stalls",
        4,
        4,
        3,
        3,
        "chloe",
        "mitigate",
        "Sample data and a setup wizard",
        "mitigating",
        50,
        41,
        "o1",
    ),
    (
        "Pricing test cannibalises annual deals",
        "Cheaper monthly plan shown first",
        "Lower revenue per team",
        2,
        3,
        None,
        None,
        "eunji",
        "accept",
        "",
        "open",
        None,
        67,
        "o3",
    ),
    (
        "Pipeline costs double",
        "Event volume grows with trials",
        "Budget overrun",
        2,
        2,
        None,
        None,
        "dev",
        "accept",
        "",
        "open",
        None,
        120,
        None,
    ),
    (
        "Second SRE hire takes over 60 days",
        "Tight market",
        "On-call burnout, more P1s",
        4,
        3,
        None,
        None,
        None,
        "mitigate",
        "",
        "open",
        None,
        30,
        "o2",
    ),
    (
        "Competitor launches a free tier",
        "Market moves",
        "Fewer trials convert",
        1,
        5,
        None,
        None,
        "eunji",
        "transfer",
        "Watch their changelog weekly",
        "open",
        None,
        120,
        "o3",
    ),
]

# (title, context, outcome, status, rag, owner, decided day, published hours after, due day)
DECISIONS = [
    (
        "Weekly standup moves to Tuesday 09:30",
        "Monday clashes with planning.",
        "Tuesdays 09:30, 15 minutes.",
        "accepted",
        "green",
        "ana",
        8,
        2,
        None,
    ),
    (
        "Sample data on sign-up instead of an empty state",
        "Interviews: empty state confuses.",
        "Ship sample data in the 31–60 window.",
        "accepted",
        "green",
        "chloe",
        12,
        5,
        None,
    ),
    (
        "Delay annual plans to the 61–90 window",
        "Billing work is larger than planned.",
        "Annual plans move to days 61–90.",
        "accepted",
        "yellow",
        "ana",
        30,
        None,
        None,
    ),
    (
        "Postgres read replicas for reporting",
        "Load test shows reporting hurts the API.",
        "",
        "proposed",
        "green",
        "ben",
        None,
        None,
        42,
    ),
]


def _at(kickoff: date, day: float, hour: int = 9) -> str:
    moment = datetime.combine(kickoff + timedelta(days=int(day)), time(hour), timezone.utc)
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
        charter.seed_demo(tx, kickoff, today, people)
    if cards:
        add_generated_cards(store, cards, seed=seed)
    return store


def _add_cards(tx: Transaction, kickoff: date, people: dict, krs: dict) -> dict[str, str]:
    ids: dict[str, str] = {}
    by_window: dict[str, list] = {}
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
FIRST_ACTIONS = {"ana": "c1", "ben": "c6", "eunji": "c11"}


def _add_first_actions(tx: Transaction, kickoff: date, people: dict, cards: dict) -> None:
    for handle, key in FIRST_ACTIONS.items():
        tx.update("person", people[handle], {"first_action_card_id": cards[key]})
    tx.update("card", cards["c11"], {"first_action_due": _at(kickoff, DEMO_DAY + 1, 15)})


def _add_risks(tx: Transaction, kickoff: date, people: dict, objectives: dict, cards: dict) -> None:
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


def _add_decisions(tx: Transaction, kickoff: date, people: dict) -> None:
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


def _add_standups(tx: Transaction, kickoff: date, people: dict, cards: dict) -> None:
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


TITLE_VERBS = [
    "Draft",
    "Review",
    "Ship",
    "Test",
    "Plan",
    "Fix",
    "Measure",
    "Design",
    "Document",
    "Migrate",
    "Automate",
    "Interview",
    "Publish",
    "Audit",
    "Prototype",
]
TITLE_NOUNS = [
    "the sign-up flow",
    "billing webhooks",
    "the pricing page",
    "SSO for Okta",
    "the usage dashboard",
    "export to CSV",
    "the mobile layout",
    "the API rate limits",
    "team invitations",
    "the help centre",
    "audit logs",
    "the status emails",
    "search indexing",
    "the onboarding survey",
    "data retention",
    "the admin console",
]


def add_generated_cards(store: Store, count: int, *, seed: int = 7) -> int:
    """Add `count` plausible cards spread over the windows (for benchmarks); return how many."""
    rng = random.Random(seed)
    ws = store.workspace()
    kickoff = date.fromisoformat(ws["kickoff_date"])
    owners = [r["id"] for r in store.rows("SELECT id FROM person WHERE deleted = 0")] or [None]
    windows = ["30", "60", "90", "later"]
    last = {
        w: store.row("SELECT max(position) FROM card WHERE window = ?", (w,))[0] for w in windows
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
