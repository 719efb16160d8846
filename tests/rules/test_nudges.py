"""Nudges: their identity for snoozing, their order in the inbox, headings and whose they are."""

from __future__ import annotations

from datetime import date

from kickoff_tui.rules.nudges import KIND_LABELS, Nudge, for_person, kind_label, oldest_first


def _nudge(kind: str, ref: str, since: date, person: str | None = "p1", rid: str = "r") -> Nudge:
    return Nudge(kind, ref, "title", "why", person, since, "board", rid)


def test_key_is_the_rule_and_the_record() -> None:
    assert _nudge("card-late", "#12", date(2026, 1, 1), rid="abc").key == "card-late:abc"


def test_grouped_by_first_seen_kind_then_oldest_first_then_ref() -> None:
    a = _nudge("kpi-under", "K1", date(2026, 1, 5))
    b = _nudge("card-late", "#3", date(2026, 1, 2))
    c = _nudge("kpi-under", "K2", date(2026, 1, 1))
    d = _nudge("card-late", "#1", date(2026, 1, 2))
    e = _nudge("card-late", "#2", date(2026, 1, 9))
    assert oldest_first([a, b, c, d, e]) == [c, a, d, b, e]


def test_known_kinds_have_their_heading() -> None:
    assert kind_label("card-late") == "Cards late"
    assert kind_label("blocker-unowned") == "Blockers without an owner"
    assert all(kind_label(k) == v for k, v in KIND_LABELS.items())


def test_an_unknown_kind_is_shown_as_its_name() -> None:
    assert kind_label("budget-over-plan") == "Budget over plan"


def test_for_person_keeps_only_theirs_and_none_means_everyone() -> None:
    mine = _nudge("card-late", "#1", date(2026, 1, 1), person="ana")
    team = _nudge("blocker-unowned", "B1", date(2026, 1, 1), person=None)
    other = _nudge("card-late", "#2", date(2026, 1, 1), person="bo")
    nudges = [mine, team, other]
    assert for_person(nudges, "ana") == [mine]
    everyone = for_person(nudges, None)
    assert everyone == nudges
    assert everyone is not nudges  # a copy: the caller may sort it
