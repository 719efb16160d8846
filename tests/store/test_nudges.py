"""Nudges from the existing data, one kind at a time, on real workspace files; snoozing and
"posted today" are local to the machine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kickoff_tui import clock
from kickoff_tui.rules.nudges import Nudge
from kickoff_tui.store import cards, inbox, nudges, okrs, people, review, risks, standups
from kickoff_tui.store.ops import Store

#: The workspace fixture's kickoff is 2026-10-17; "now" is day 37.
NOW = "2026-11-23T09:00:00Z"
TODAY = date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Store) -> Store:
    clock.freeze(NOW)
    return workspace


def _person(store: Store, name: str) -> str:
    return people.add_person(store, {"name": name})


def _kinds(found: list[Nudge]) -> list[tuple[str, str, str | None, date]]:
    return [(n.kind, n.ref, n.person_id, n.since) for n in found]


def test_cards_late_due_this_week_and_blocked_with_owner_and_since(ws: Store) -> None:
    ana = _person(ws, "Ana Silva")
    late = cards.create_card(ws, {"title": "Late one", "due": "2026-11-20", "owner_id": ana})
    soon = cards.create_card(ws, {"title": "Due Friday", "due": "2026-11-27"})
    cards.create_card(ws, {"title": "Next month", "due": "2026-12-20"})
    done = cards.create_card(ws, {"title": "Done late", "due": "2026-11-01"})
    cards.set_state(ws, done, "done")
    clock.freeze("2026-11-21T10:00:00Z")
    blocked = cards.create_card(ws, {"title": "Stuck", "owner_id": ana})
    cards.set_blocked(ws, blocked)
    clock.freeze(NOW)

    found = nudges.cards(ws, TODAY)

    assert _kinds(found) == [
        ("card-late", "#1", ana, date(2026, 11, 20)),
        ("card-due", "#2", None, date(2026, 11, 27)),
        ("card-blocked", "#5", ana, date(2026, 11, 21)),
    ]
    assert found[0].why == "3 days late (was due Nov 20)"
    assert found[1].why == "due in 4 days"
    assert found[2].why == "blocked for 2 days"
    assert {n.record_id for n in found} == {late, soon, blocked}
    assert all(n.screen == "board" for n in found)


def test_the_cheap_check_finds_my_card_nudges_as_the_full_source_does(ws: Store) -> None:
    """`kickoff` decides to open on the inbox from my_cards (no numbering of every card): it
    must see what the inbox will list, no more, and a snooze hides an item from both."""
    ana, ben = _person(ws, "Ana Silva"), _person(ws, "Ben Okafor")
    cards.create_card(ws, {"title": "Late", "due": "2026-11-20", "owner_id": ana})
    cards.create_card(ws, {"title": "Due Friday", "due": "2026-11-27", "owner_id": ana})
    cards.create_card(ws, {"title": "Next month", "due": "2026-12-20", "owner_id": ana})
    stuck = cards.create_card(
        ws, {"title": "Stuck, due later", "due": "2026-12-20", "owner_id": ana}
    )
    cards.set_blocked(ws, stuck)
    done = cards.create_card(ws, {"title": "Done", "due": "2026-11-01", "owner_id": ana})
    cards.set_state(ws, done, "done")
    cards.create_card(ws, {"title": "Ben's", "due": "2026-11-20", "owner_id": ben})

    for person in (ana, ben):
        full = [n.key for n in nudges.cards(ws, TODAY) if n.person_id == person]
        assert sorted(nudges.my_cards(ws, TODAY, person)) == sorted(full)
    assert len(list(nudges.my_cards(ws, TODAY, ana))) == 3  # late, due Friday, blocked

    assert inbox.due_for(ws, TODAY, ben)
    for n in inbox.gather(ws, TODAY):  # snooze everything Ben has (his card among them)
        if n.person_id == ben:
            inbox.snooze(ws, n.key, TODAY)
    assert not inbox.due_for(ws, TODAY, ben)
    assert inbox.due_for(ws, TODAY, ana)
    assert inbox.due_for(ws, TODAY + timedelta(days=1), ben)  # back tomorrow


def test_deciding_to_open_on_the_inbox_numbers_no_card(
    ws: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up check asks the cards for mine only (at 10,000 cards the full source took
    most of the time before the first frame)."""
    ana = _person(ws, "Ana Silva")
    cards.create_card(ws, {"title": "Late", "due": "2026-11-20", "owner_id": ana})

    def every_card(store: Store, today: date) -> list[Nudge]:
        raise AssertionError("the start-up check built every card's nudge")

    monkeypatch.setattr(nudges, "cards", every_card)
    assert inbox.due_for(ws, TODAY, ana)


def test_key_results_stale_for_14_days_and_at_risk_by_pace(ws: Store) -> None:
    ben = _person(ws, "Ben Okafor")
    clock.freeze("2026-10-20T09:00:00Z")
    obj = okrs.save_objective(ws, {"title": "Grow"})
    stale = okrs.save_key_result(
        ws,
        {
            "objective_id": obj,
            "title": "Teams",
            "kind": "increase_to",
            "baseline": 0,
            "target": 100,
            "owner_id": ben,
        },
    )
    okrs.check_in(ws, stale, value=60)
    clock.freeze("2026-11-22T09:00:00Z")
    fresh = okrs.save_key_result(
        ws,
        {
            "objective_id": obj,
            "title": "Revenue",
            "kind": "increase_to",
            "baseline": 0,
            "target": 100,
        },
    )
    okrs.check_in(ws, fresh, value=1)  # checked in yesterday, but 1% on day 37
    clock.freeze(NOW)

    found = nudges.key_results(ws, TODAY)

    assert _kinds(found) == [
        ("kr-stale", "KR1", ben, date(2026, 11, 3)),
        ("kr-pace", "KR2", None, date(2026, 11, 22)),
    ]
    assert found[0].why == "no check-in for 34 days"
    assert found[1].why.startswith("at risk by pace: 1% on day 37")
    assert [n.screen for n in found] == ["okrs", "okrs"]
    # the same facts as the OKR screen's read model
    view = okrs.view(ws)
    assert view.key_result(stale).stale and view.key_result(fresh).pace == "at risk"


def test_blockers_without_an_owner_past_their_day(ws: Store) -> None:
    eun = _person(ws, "Eun-ji Kim")
    clock.freeze("2026-11-20T15:00:00Z")
    old = standups.raise_blocker(ws, text="Vendor contract", raised_by=eun)
    owned = standups.raise_blocker(ws, text="Owned", raised_by=eun, owner_id=eun)
    clock.freeze("2026-11-23T08:00:00Z")
    standups.raise_blocker(ws, text="Raised today", raised_by=eun)
    clock.freeze(NOW)

    found = nudges.blockers(ws, TODAY)

    assert _kinds(found) == [("blocker-unowned", "B1", eun, date(2026, 11, 21))]
    assert found[0].record_id == old and found[0].screen == "standup"
    assert found[0].why.startswith("no owner since Nov 20")
    assert owned not in {n.record_id for n in found}


def test_decisions_accepted_and_unpublished_after_24_hours(ws: Store) -> None:
    ana = _person(ws, "Ana Silva")
    clock.freeze("2026-11-20T10:00:00Z")
    late = review.save_decision(
        ws, {"title": "Annual plans", "status": "accepted", "owner_id": ana}
    )
    published = review.save_decision(ws, {"title": "Published", "status": "accepted"})
    review.publish_decision(ws, published)
    clock.freeze("2026-11-23T02:00:00Z")
    review.save_decision(ws, {"title": "Accepted this morning", "status": "accepted"})
    review.save_decision(ws, {"title": "Still proposed"})
    clock.freeze(NOW)

    found = nudges.decisions(ws, TODAY)

    assert _kinds(found) == [("decision-unpublished", "D1", ana, date(2026, 11, 21))]
    assert found[0].record_id == late and found[0].screen == "decisions"


def test_risks_past_their_review_or_mitigation_date(ws: Store) -> None:
    ben = _person(ws, "Ben Okafor")
    review_late = risks.save_risk(
        ws, {"title": "Auditor slips", "next_review": "2026-11-16", "owner_id": ben}
    )
    mitigation_late = risks.save_risk(
        ws, {"title": "Hire slips", "due": "2026-11-10", "next_review": "2026-12-30"}
    )
    risks.save_risk(ws, {"title": "Closed", "due": "2026-11-01", "status": "closed"})
    risks.save_risk(ws, {"title": "Fine", "next_review": "2026-11-30"})

    found = sorted(nudges.risks(ws, TODAY), key=lambda n: n.ref)

    assert _kinds(found) == [
        ("risk-review", "R1", ben, date(2026, 11, 16)),
        ("risk-mitigation", "R2", None, date(2026, 11, 10)),
    ]
    assert [n.record_id for n in found] == [review_late, mitigation_late]


def test_first_actions_not_done_in_72_hours(ws: Store) -> None:
    clock.freeze("2026-10-18T09:00:00Z")
    ana = _person(ws, "Ana Silva")
    ben = _person(ws, "Ben Okafor")
    chloe = _person(ws, "Chloé Martin")
    open_card = cards.create_card(ws, {"title": "Call the customer"})
    done_card = cards.create_card(ws, {"title": "Write the brief"})
    people.set_first_action(ws, ana, open_card)
    people.set_first_action(ws, ben, done_card)
    clock.freeze("2026-10-25T09:00:00Z")
    cards.set_state(ws, done_card, "done")  # done late, but done: nothing left to nudge
    clock.freeze(NOW)

    found = nudges.first_actions(ws, TODAY)

    # due 72 h after the start of the kickoff day (Oct 17) -> Oct 20
    assert _kinds(found) == [
        ("first-action", "@ana", ana, date(2026, 10, 20)),
        ("first-action", "@chloe", chloe, date(2026, 10, 20)),
    ]
    assert found[0].why == "first action #1 not done in 72 h"
    assert found[1].why == "no first action yet, 72 h after the kickoff"
    assert all(n.screen == "team" for n in found)


def test_gather_groups_by_kind_oldest_first_and_mine_is_only_mine(ws: Store) -> None:
    ana = _person(ws, "Ana Silva")
    people.set_me(ws, ana)
    cards.create_card(ws, {"title": "Newer late", "due": "2026-11-21", "owner_id": ana})
    cards.create_card(ws, {"title": "Older late", "due": "2026-11-02"})
    risks.save_risk(ws, {"title": "Review me", "next_review": "2026-11-01", "owner_id": ana})

    everything = inbox.gather(ws, TODAY)
    kinds = [n.kind for n in everything]
    assert kinds.index("card-late") < kinds.index("risk-review")
    late = [n.title for n in everything if n.kind == "card-late"]
    assert late == ["Older late", "Newer late"]

    mine = inbox.view(ws, TODAY, me=ana, everyone=False)
    assert {i.nudge.title for i in mine.items} >= {"Newer late", "Review me"}
    assert "Older late" not in {i.nudge.title for i in mine.items}
    assert all(i.who == "Ana Silva" for i in mine.items)
    team = inbox.view(ws, TODAY, me=ana, everyone=True)
    assert "Older late" in {i.nudge.title for i in team.items}
    assert next(i.who for i in team.items if i.nudge.title == "Older late") == "nobody"
    assert inbox.due_for(ws, TODAY, ana) and not inbox.due_for(ws, TODAY, None)
    assert ("card-late", 2) in inbox.counts(ws, TODAY)


def test_a_snooze_is_local_lasts_until_tomorrow_and_is_never_synced(ws: Store) -> None:
    ana = _person(ws, "Ana Silva")
    card = cards.create_card(ws, {"title": "Late", "due": "2026-11-20", "owner_id": ana})
    ops_before = ws.row("SELECT count(*) FROM operation")[0]
    key = f"card-late:{card}"

    assert inbox.snooze(ws, key, TODAY) == TODAY + timedelta(days=1)

    assert ws.row("SELECT count(*) FROM operation")[0] == ops_before  # nothing to sync
    view = inbox.view(ws, TODAY, me=ana, everyone=False)
    assert key not in {i.nudge.key for i in view.items} and view.snoozed == 1
    # the team's list (kickoff nudges, the review) is not changed by my snooze
    assert key in {n.key for n in inbox.gather(ws, TODAY)}
    tomorrow = inbox.view(ws, TODAY + timedelta(days=1), me=ana, everyone=False)
    assert key in {i.nudge.key for i in tomorrow.items}
    # a reopened file still knows
    path = ws.path
    ws.close()
    again = Store(path)
    assert inbox.snoozed(again, TODAY) == {key}
    again.close()


def test_posted_is_remembered_per_item_per_day(ws: Store) -> None:
    cards.create_card(ws, {"title": "Late", "due": "2026-11-20"})
    found = inbox.gather(ws, TODAY)
    assert inbox.unposted(ws, found, TODAY) == found
    inbox.mark_posted(ws, found, TODAY)
    assert inbox.unposted(ws, found, TODAY) == []
    assert inbox.unposted(ws, found, TODAY + timedelta(days=1)) == found
