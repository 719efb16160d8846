"""The board's `/` filter: what each typed part means and which cards it keeps."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.card_filter import CardFilter, haystack, new_card_defaults, parse_filter

CARDS: list[dict[str, Any]] = [
    {
        "num": 1,
        "title": "Ship the beta",
        "deliverable": "Signed release notes",
        "tags": "ops release",
        "owner_handle": "ana",
        "owner_name": "Ana Silva",
        "state": "doing",
        "rag": "red",
        "kr_num": 3,
    },
    {
        "num": 2,
        "title": "Hire a designer",
        "deliverable": None,
        "tags": "hiring",
        "owner_handle": "bo",
        "owner_name": "Bo Jean Martin",
        "state": "todo",
        "rag": "green",
        "kr_num": 1,
    },
    {
        "num": 12,
        "title": "Plan the offsite",
        "deliverable": "Agenda",
        "tags": None,
        "owner_handle": None,
        "owner_name": None,
        "state": "blocked",
        "rag": None,
        "kr_num": None,
    },
]


def kept(text: str, *, mine: str | None = None) -> list[int]:
    f = parse_filter(text, mine=mine)
    slow = [c["num"] for c in CARDS if f.matches(c)]
    fast = [c["num"] for c in CARDS if f.predicate()(c)]
    assert fast == slow  # the specialised predicate keeps the same cards
    return slow


def test_parse_reads_every_kind_of_part() -> None:
    f = parse_filter("Ship @Ana doing RED tag:#ops kr:3 #12 #Hiring kr:kr2 beta")
    assert f == CardFilter(
        words=("ship", "beta"),
        owners=("ana",),
        states=frozenset({"doing"}),
        rags=frozenset({"red"}),
        tags=("ops", "hiring"),
        krs=(3, 2),
        nums=(12,),
        mine=None,
    )


def test_bare_markers_are_ignored_and_unknown_prefixes_are_words() -> None:
    f = parse_filter("@ # tag: kr: kr:x tag x")
    assert f == CardFilter(words=("kr:x", "tag", "x"))
    assert not parse_filter("@ # tag: kr:")


def test_blank_or_none_text_is_no_filter() -> None:
    assert parse_filter("") == CardFilter()
    assert parse_filter(None) == CardFilter()  # type: ignore[arg-type]
    assert not parse_filter("   ")


def test_mine_is_lower_cased_and_empty_mine_is_off() -> None:
    assert parse_filter("", mine="Ana").mine == "ana"
    assert parse_filter("", mine="").mine is None
    assert parse_filter("", mine="Ana")


@pytest.mark.parametrize(
    "f",
    [
        CardFilter(words=("x",)),
        CardFilter(owners=("x",)),
        CardFilter(states=frozenset({"todo"})),
        CardFilter(rags=frozenset({"red"})),
        CardFilter(tags=("x",)),
        CardFilter(krs=(1,)),
        CardFilter(nums=(1,)),
        CardFilter(mine="ana"),
    ],
)
def test_any_one_part_makes_a_filter(f: CardFilter) -> None:
    assert f


def test_words_match_title_deliverable_tags_owner() -> None:
    assert kept("ship") == [1]
    assert kept("AGENDA") == [12]
    assert kept("hiring") == [2]
    assert kept("silva") == [1]
    assert kept("ship notes") == [1]
    assert kept("ship agenda") == []


def test_a_cached_haystack_is_used_when_the_card_has_one() -> None:
    card = dict(CARDS[1], _hay="cached text only")
    for text in ("cached", "cached only", "cached only @bo"):
        f = parse_filter(text)
        assert f.matches(card) and f.predicate()(card)
    for text in ("designer", "cached designer", "designer @bo"):
        f = parse_filter(text)
        assert not f.matches(card) and not f.predicate()(card)


def test_an_empty_filter_keeps_every_card() -> None:
    assert kept("") == [1, 2, 12]


def test_states_and_colours_given_together_match_any() -> None:
    assert kept("doing") == [1]
    assert kept("todo blocked") == [2, 12]
    assert kept("red green") == [1, 2]
    assert kept("doing green") == []


def test_owner_matches_handle_start_name_start_or_a_later_name() -> None:
    assert kept("@an") == [1]
    assert kept("@sil") == [1]
    assert kept("@jean") == [2]
    assert kept("@ilva") == []
    assert kept("@ana @bo") == [1, 2]


def test_only_mine_keeps_the_users_cards() -> None:
    assert kept("", mine="ANA") == [1]
    assert kept("", mine="an") == []


def test_tags_match_a_tag_start_and_all_must_match() -> None:
    assert kept("tag:rel") == [1]
    assert kept("#ops #rel") == [1]
    assert kept("#ops #hiring") == []
    assert kept("#lease") == []


def test_key_result_and_card_numbers() -> None:
    assert kept("kr:3") == [1]
    assert kept("kr:#1") == [2]
    assert kept("#12") == [12]
    assert kept("#1 #2") == [1, 2]


def test_haystack_is_lower_case_text_of_the_searched_fields() -> None:
    assert haystack(CARDS[0]) == "ship the beta signed release notes ops release ana ana silva"
    assert haystack(CARDS[2]) == "plan the offsite agenda   "


def test_new_card_defaults_give_what_the_filter_names_once() -> None:
    f = parse_filter("kr:3 @ana doing red #ops #web ship #7")
    assert new_card_defaults(f) == {
        "kr_num": 3,
        "owner": "ana",
        "state": "doing",
        "rag": "red",
        "tags": "ops web",
    }


def test_new_card_defaults_skip_what_is_ambiguous_and_mine_wins() -> None:
    f = parse_filter("kr:3 kr:4 @ana @bo doing todo red green", mine="Cy")
    assert new_card_defaults(f) == {"owner": "cy"}
    assert new_card_defaults(parse_filter("ship #7")) == {}


@given(st.text(max_size=40))
def test_parsing_never_fails_and_the_predicate_agrees_with_matches(text: str) -> None:
    f = parse_filter(text)
    for card in CARDS:
        assert f.predicate()(card) == f.matches(card)


def test_words_with_any_other_part_need_both() -> None:
    assert kept("ship @bo") == []
    assert kept("ship todo") == []
    assert kept("ship green") == []
    assert kept("ship #hiring") == []
    assert kept("ship kr:1") == []
    assert kept("ship #2") == []
    assert kept("ship", mine="bo") == []
    assert kept("ship @ana doing red #ops kr:3 #1", mine="ana") == [1]


def test_a_card_without_owner_or_tags_matches_no_owner_or_tag() -> None:
    assert kept("@xx") == []
    assert kept("#xx") == []
    assert kept("", mine="xxxx") == []


def test_owner_by_handle_alone_or_by_name_alone() -> None:
    card = {"owner_handle": "jdoe", "owner_name": "Jane Doe"}
    assert parse_filter("@jd").matches(card)
    assert parse_filter("@jane").matches(card)
    assert parse_filter("@doe").matches(card)
    assert not parse_filter("@oe").matches(card)


def test_one_letter_owners_and_tags() -> None:
    assert parse_filter("@a") == CardFilter(owners=("a",))
    assert parse_filter("tag:x") == CardFilter(tags=("x",))
    assert parse_filter("#x") == CardFilter(tags=("x",))
