"""Card rules: state and RAG cycles, tags, RACI, dependency loops, warnings, the live filter."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.card_filter import haystack, parse_filter
from kickoff_tui.rules.cards import (
    dependency_warnings,
    due_outside_window,
    find_cycle,
    next_rag,
    next_state,
    parse_raci,
    parse_tags,
)


def test_space_walks_todo_doing_done_and_unblocks() -> None:
    assert [next_state(s) for s in ("todo", "doing", "done", "blocked")] == [
        "doing",
        "done",
        "todo",
        "doing",
    ]
    assert next_state(None) == "doing"


def test_r_cycles_the_three_colours() -> None:
    assert [next_rag(r) for r in ("green", "yellow", "red", None)] == [
        "yellow",
        "red",
        "green",
        "green",
    ]


def test_tags_are_cleaned_and_deduplicated() -> None:
    assert parse_tags("Ops, billing #q1 ops") == "ops billing q1"
    assert parse_tags("   ") is None
    with pytest.raises(ValueError, match="isn't a tag"):
        parse_tags("[bold]")
    with pytest.raises(ValueError, match="too long"):
        parse_tags("x" * 50)


PEOPLE = {"ana": "p-ana", "ben": "p-ben", "chloe": "p-chloe"}


def test_raci_pairs_become_roles_by_person() -> None:
    assert parse_raci("ana:A ben:r @chloe=C", PEOPLE) == {
        "p-ana": "A",
        "p-ben": "R",
        "p-chloe": "C",
    }
    assert parse_raci("", PEOPLE) == {}


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("ana:A ben:A", "Only one person can be accountable (A), not @ana and @ben."),
        ("zed:R", "There is no @zed in this workspace (people: ana, ben, chloe)."),
        ("ana:X", "RACI roles are R, A, C or I (got 'X' for @ana)."),
        ("ana", "Write RACI as handle:role pairs, e.g. ana:A ben:R (got 'ana')."),
        ("ana:R ana:C", "@ana is listed twice; give each person one role."),
    ],
)
def test_bad_raci_gets_one_sentence(text: str, sentence: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_raci(text, PEOPLE)
    assert str(info.value) == sentence


def test_a_dependency_loop_is_found_with_its_path() -> None:
    edges = [("b", "c"), ("c", "d")]
    assert find_cycle(edges, "d", ["b"]) == ["d", "b", "c", "d"]
    assert find_cycle(edges, "a", ["b"]) is None
    assert find_cycle(edges, "a", ["a"]) == ["a", "a"]
    # the card's own old edges are replaced, so dropping one breaks a loop
    assert find_cycle([("a", "b"), ("b", "a")], "a", []) is None


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20),
    st.integers(0, 6),
    st.lists(st.integers(0, 6), max_size=3),
)
def test_find_cycle_agrees_with_reachability(edges, card, deps) -> None:
    pairs = [(str(a), str(b)) for a, b in edges if a != card]
    loop = find_cycle(pairs, str(card), [str(d) for d in deps])
    # reachable from deps back to card?
    graph: dict[str, set[str]] = {}
    for a, b in pairs:
        graph.setdefault(a, set()).add(b)
    seen, todo = set(), [str(d) for d in deps]
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo.extend(graph.get(n, ()))
    assert (loop is not None) == (str(card) in seen)
    if loop:
        assert loop[0] == loop[-1] == str(card)
        steps = set(pairs) | {(str(card), str(d)) for d in deps}
        assert all((a, b) in steps for a, b in zip(loop, loop[1:]))


def test_due_after_its_window_is_a_warning() -> None:
    kickoff = date(2026, 10, 17)
    assert due_outside_window(date(2026, 11, 20), "30", kickoff) == (
        "It is due Nov 20, after the 0–30 window ends (Nov 16)."
    )
    assert due_outside_window(date(2026, 11, 16), "30", kickoff) is None
    assert due_outside_window(date(2027, 5, 1), "later", kickoff) is None
    assert due_outside_window(None, "30", kickoff) is None


def test_due_before_its_window_starts_is_a_warning() -> None:
    kickoff = date(2026, 10, 17)
    assert due_outside_window(date(2026, 11, 20), "90", kickoff) == (
        "It is due Nov 20, before the 61–90 window starts (Dec 17)."
    )
    assert due_outside_window(date(2026, 12, 1), "later", kickoff) == (
        "It is due Dec 1, before the Later window starts (Jan 16)."
    )
    assert due_outside_window(date(2026, 12, 17), "90", kickoff) is None
    assert due_outside_window(date(2026, 10, 1), "30", kickoff) is None  # before kickoff: 0–30


def test_dependency_in_a_later_window_is_a_warning() -> None:
    card = {"num": 7, "title": "Wizard", "window": "30"}
    later = {"num": 4, "title": "Spec", "window": "60", "state": "todo"}
    done_later = {"num": 5, "title": "Old", "window": "60", "state": "done"}
    earlier_dependent = {"num": 9, "title": "Tours", "window": "30"}
    assert dependency_warnings(card, [later, done_later], []) == [
        "It depends on #4 Spec, which is in a later window (31–60)."
    ]
    moved = {**card, "window": "60"}
    assert dependency_warnings(moved, [], [earlier_dependent]) == [
        "#9 Tours depends on it but is in an earlier window (0–30)."
    ]


CARDS = [
    {
        "num": 1,
        "title": "Ship the wizard",
        "owner_handle": "ana",
        "owner_name": "Ana Silva",
        "state": "doing",
        "rag": "red",
        "tags": "onboarding ops",
        "kr_num": 3,
    },
    {
        "num": 2,
        "title": "Write the brief",
        "owner_handle": "ben",
        "owner_name": "Ben Okafor",
        "state": "done",
        "rag": "green",
        "tags": None,
        "kr_num": None,
    },
    {
        "num": 3,
        "title": "[bold] wizard copy",
        "owner_handle": None,
        "owner_name": None,
        "state": "todo",
        "rag": "yellow",
        "tags": "copy",
        "kr_num": 3,
    },
]


@pytest.mark.parametrize(
    ("text", "nums"),
    [
        ("", [1, 2, 3]),
        ("wizard", [1, 3]),
        ("WIZARD ship", [1]),
        ("@ana", [1]),
        ("@okafor", [2]),
        ("@ana @ben", [1, 2]),
        ("done", [2]),
        ("todo doing", [1, 3]),
        ("red", [1]),
        ("tag:ops", [1]),
        ("#copy", [3]),
        ("kr:3", [1, 3]),
        ("#2", [2]),
        ("[bold]", [3]),
        ("red done", []),
    ],
)
def test_the_filter_keeps_what_it_says(text: str, nums: list[int]) -> None:
    f = parse_filter(text)
    cards = [{**c, "_hay": haystack(c)} for c in CARDS]
    assert [c["num"] for c in cards if f.matches(c)] == nums
    fast = f.predicate()  # what the board runs per keystroke says the same
    assert [c["num"] for c in cards if fast(c)] == nums


def test_only_mine_keeps_the_users_cards() -> None:
    f = parse_filter("", mine="Ben")
    assert bool(f)
    assert [c["num"] for c in CARDS if f.matches(c)] == [2]
    assert not parse_filter("  ")


# ---------------------------------------------------------------- found by mutation testing
# Each test below pins something mutmut showed no test looked at (tests/MUTANTS.md).

from kickoff_tui.rules.cards import state_before_block, window_index


def test_space_on_an_unknown_state_starts_over() -> None:
    assert next_state("someday") == "todo"


def test_b_unblocks_to_the_state_before_the_latest_block() -> None:
    assert state_before_block(["todo", "doing", "blocked"]) == "doing"
    assert state_before_block(["todo", "blocked"]) == "todo"
    assert state_before_block(["todo", "blocked", "doing", "done", "blocked"]) == "done"
    # Blocked twice in a row: what it was before the first of them.
    assert state_before_block(["todo", "blocked", "blocked"]) == "todo"
    # Unknown or missing history: doing.
    assert state_before_block(["blocked"]) == "doing"
    assert state_before_block([]) == "doing"
    assert state_before_block([None, "blocked"]) == "doing"
    assert state_before_block(["paused", "blocked"]) == "doing"
    # Not blocked at the end: the latest block still counts.
    assert state_before_block(["done", "blocked", "doing"]) == "done"


def test_tags_edge_cases() -> None:
    assert parse_tags(None) is None
    assert parse_tags(",ops ;; # billing,") == "ops billing"
    assert parse_tags("#Xray") == "xray"
    assert parse_tags("x" * 40) == "x" * 40
    with pytest.raises(ValueError) as refused:
        parse_tags("ok " + "y" * 41)
    assert str(refused.value) == (
        f"The tag '{'y' * 20}…' is too long; keep tags to at most 40 characters."
    )
    with pytest.raises(ValueError) as refused:
        parse_tags("ok bad\x07tag")
    assert str(refused.value) == (
        "'bad?tag' isn't a tag: use words such as ops or q1, separated by spaces."
    )
    with pytest.raises(ValueError) as refused:
        parse_tags("_" * 30)
    assert str(refused.value) == (
        f"'{'_' * 20}' isn't a tag: use words such as ops or q1, separated by spaces."
    )


def test_raci_edge_cases() -> None:
    people = {"ana": "p-ana", "xavier": "p-x"}
    assert parse_raci(",ana:A", people) == {"p-ana": "A"}
    assert parse_raci("Xavier:R", people) == {"p-x": "R"}
    for text, sentence in [
        ("ana:", "Write RACI as handle:role pairs, e.g. ana:A ben:R (got 'ana:')."),
        (":A", "Write RACI as handle:role pairs, e.g. ana:A ben:R (got ':A')."),
        ("a" * 30, f"Write RACI as handle:role pairs, e.g. ana:A ben:R (got '{'a' * 20}')."),
        ("z" * 30 + ":R", f"There is no @{'z' * 20} in this workspace (people: ana, xavier)."),
        ("ana:ROLEXX", "RACI roles are R, A, C or I (got 'ROLEX' for @ana)."),
        ("ana:R:A", "RACI roles are R, A, C or I (got 'R:A' for @ana)."),
    ]:
        with pytest.raises(ValueError) as refused:
            parse_raci(text, people)
        assert str(refused.value) == sentence
    with pytest.raises(ValueError) as refused:
        parse_raci("ana:A", {})
    assert str(refused.value) == "There is no @ana in this workspace (people: nobody yet)."


def test_an_unknown_window_counts_as_the_first() -> None:
    assert window_index(None) == 0
    assert window_index("someday") == 0
    assert window_index("60") == 1


def test_dependency_warnings_only_across_windows() -> None:
    card = {"num": 1, "title": "Launch", "window": "60"}
    same = {"num": 2, "title": "Spec", "window": "60", "state": "todo"}
    later = {"num": 3, "title": "Docs", "window": "90", "state": "todo"}
    assert dependency_warnings(card, [same], [same, later]) == []
    stray = {"num": 4, "title": "Old", "window": "someday"}
    assert dependency_warnings(card, [], [stray]) == [
        "#4 Old depends on it but is in an earlier window (?)."
    ]
