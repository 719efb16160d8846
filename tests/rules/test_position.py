"""Card order keys: every insert lands exactly where the user dropped the card, on every machine."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kickoff_tui.rules.position import DIGITS, key_between, keys_between

valid_key = st.text(st.sampled_from(DIGITS), min_size=1, max_size=12).filter(lambda k: k[-1] != "0")


def _valid(key: str) -> bool:
    return bool(key) and key[-1] != "0" and all(ch in DIGITS for ch in key)


def test_digits_are_in_ascii_order():
    assert list(DIGITS) == sorted(DIGITS) and len(DIGITS) == 62


def test_first_key_and_simple_inserts_are_short():
    first = key_between(None, None)
    assert len(first) == 1
    assert len(key_between(first, None)) == 1
    assert len(key_between(None, first)) == 1
    assert key_between("1", "3") == "2"
    assert "1" < key_between("1", "2") < "2"
    assert len(key_between("1", "2")) == 2


@pytest.mark.parametrize(("a", "b"), [("5", "5"), ("6", "5"), ("b", "B")])
def test_out_of_order_neighbours_are_refused(a, b):
    with pytest.raises(ValueError, match="must sort before"):
        key_between(a, b)
    with pytest.raises(ValueError, match="must sort before"):
        keys_between(a, b, 3)


@pytest.mark.parametrize("bad", ["", "10", "a-b", "é", "V "])
def test_malformed_keys_are_refused(bad):
    with pytest.raises(ValueError, match="not a valid key"):
        key_between(bad, None)
    with pytest.raises(ValueError, match="not a valid key"):
        key_between(None, bad)


@settings(max_examples=500)
@given(st.one_of(st.none(), valid_key), st.one_of(st.none(), valid_key))
def test_key_between_lands_strictly_between(a, b):
    if a is not None and b is not None:
        if a == b:
            return
        a, b = min(a, b), max(a, b)
    k = key_between(a, b)
    assert _valid(k)
    assert a is None or a < k
    assert b is None or k < b
    assert len(k) <= max(len(a or ""), len(b or "")) * 2 + 3


@settings(max_examples=200)
@given(st.one_of(st.none(), valid_key), st.one_of(st.none(), valid_key), st.integers(0, 300))
def test_keys_between_gives_n_increasing_keys_in_the_gap(a, b, n):
    if a is not None and b is not None:
        if a == b:
            return
        a, b = min(a, b), max(a, b)
    keys = keys_between(a, b, n)
    assert len(keys) == n
    assert all(_valid(k) for k in keys)
    assert all(x < y for x, y in zip(keys, keys[1:]))
    if keys:
        assert a is None or a < keys[0]
        assert b is None or keys[-1] < b


def test_ten_thousand_cards_get_short_keys_at_once():
    keys = keys_between(None, None, 10_000)
    assert keys == sorted(set(keys)) and len(keys) == 10_000
    assert max(map(len, keys)) <= 3
    # Appending or prepending 10,000 more after an existing card stays short too.
    after = keys_between(keys[-1], None, 10_000)
    before = keys_between(None, keys[0], 10_000)
    assert before + keys + after == sorted(set(before + keys + after))
    assert max(map(len, after + before)) <= 5


def test_keys_between_with_nothing_to_add():
    assert keys_between("1", "2", 0) == []
    with pytest.raises(ValueError, match="0 or more"):
        keys_between("1", "2", -1)


def _insert(keys: list[str], index: int) -> str:
    a = keys[index - 1] if index > 0 else None
    b = keys[index] if index < len(keys) else None
    k = key_between(a, b)
    keys.insert(index, k)
    return k


def _assert_ordered(keys: list[str]) -> None:
    assert all(_valid(k) for k in keys)
    assert all(x < y for x, y in zip(keys, keys[1:]))


def test_three_thousand_appends_and_prepends_stay_within_3_characters():
    back, front = [key_between(None, None)], [key_between(None, None)]
    for _ in range(3000):
        _insert(back, len(back))
        _insert(front, 0)
    _assert_ordered(back)
    _assert_ordered(front)
    assert max(map(len, back)) <= 3
    assert max(map(len, front)) <= 3


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32), st.integers(1000, 3000), st.floats(0, 1), st.floats(0, 1))
def test_thousands_of_inserts_at_front_back_and_middle(seed, count, p_front, p_back):
    rnd = random.Random(seed)
    keys: list[str] = []
    for _ in range(count):
        roll = rnd.random()
        if roll < p_front * 0.5:
            index = 0
        elif roll < (p_front + p_back) * 0.5:
            index = len(keys)
        else:
            index = rnd.randint(0, len(keys))
        _insert(keys, index)
    _assert_ordered(keys)
    assert len(set(keys)) == count
    assert max(map(len, keys)) <= 8


@settings(max_examples=10, deadline=None)
@given(st.integers(500, 3000), st.sampled_from(["after first", "before last", "middle"]))
def test_repeated_inserts_at_one_spot_grow_keys_by_at_most_one_char_per_five(count, spot):
    keys = keys_between(None, None, 3)
    for _ in range(count):
        if spot == "after first":
            index = 1
        elif spot == "before last":
            index = len(keys) - 1
        else:
            index = len(keys) // 2
        _insert(keys, index)
    _assert_ordered(keys)
    # Halving a gap costs about one bit per insert; base 62 packs ~5.95 bits per character.
    assert max(map(len, keys)) <= count / 5 + 4
    # Re-keying the column (one call) brings every key back to a few characters, in the same order.
    fresh = keys_between(None, None, len(keys))
    assert fresh == sorted(fresh) and max(map(len, fresh)) <= 3


def test_keys_from_two_machines_merge_into_one_order():
    # Two people insert between the same neighbours offline; after sync both cards sit between them.
    a, b = "1", "2"
    mine, theirs = key_between(a, b), key_between(a, b)
    assert mine == theirs  # same spot, same key: the id breaks the tie, the order stays valid
    later = key_between(mine, b)
    assert a < mine < later < b


# ------------------------------------------ the exact keys: short, and where the docs say they are


@pytest.mark.parametrize(
    ("a", "b", "key"),
    [
        (None, None, "V"),  # the middle of the digits
        ("y", None, "z1"),  # after "y" comes "z1" (the next level)
        ("z1xyz", None, "z1y"),  # only the level's body counts
        (None, "2", "1"),
        (None, "01", "00z"),
        (None, "001", "000z"),
        ("1", "3", "2"),
        ("1", "2x", "2"),  # "2" already sorts before "2x"
        ("1z", "2", "1zV"),
    ],
)
def test_single_keys(a: str | None, b: str | None, key: str) -> None:
    assert key_between(a, b) == key


@pytest.mark.parametrize(
    ("a", "b", "n", "keys"),
    [
        (None, None, 3, ["F", "V", "k"]),
        ("1", "2", 1, ["1V"]),
        ("1", "2", 3, ["1F", "1V", "1k"]),
        ("1", "1V", 2, ["1A", "1K"]),
        ("abc1", "abc5", 2, ["abc2", "abc3"]),
        ("abc1", "abc15", 3, ["abc11", "abc12", "abc13"]),
        ("V", "W1", 5, ["VA", "VL", "VV", "Vg", "Vq"]),
        ("1z", "2", 2, ["1zK", "1zf"]),
        ("0z", "1", 1, ["0zV"]),
        ("1", "3V", 2, ["2", "3"]),  # "3" sorts before "3V": one digit is enough
        ("1", "3V", 3, ["1c", "2F", "2s"]),
    ],
)
def test_spread_keys(a: str | None, b: str | None, n: int, keys: list[str]) -> None:
    assert keys_between(a, b, n) == keys


def test_one_digit_holds_61_keys_between_open_ends_and_62_need_two() -> None:
    assert keys_between(None, None, 61) == list(DIGITS[1:])
    two = keys_between(None, None, 62)
    assert two[:3] == ["0z", "1y", "2x"] and two[-1] == "z"
    assert all(len(k) <= 2 for k in two)


def test_a_hundred_keys_between_neighbours_take_three_characters() -> None:
    keys = keys_between("A", "B", 100)
    assert (keys[0], keys[43], keys[-1]) == ("A0c", "AR", "AzN")
    assert max(len(k) for k in keys) == 3
