"""Fractional indexing: order keys for cards in a column, merged across machines without renumbering.

A key is a base-62 fraction written with the digits 0-9A-Za-z (ASCII order, so plain string order is
numeric order) that never ends in "0": between any two keys there is always room for another.

Inserting between two keys takes the shortest key near their midpoint. Inserting at an open end
(first or last card) steps instead of halving, using "levels" so keys grow logarithmically: after
"y" come "z1", "z11" ... "zyz" (3 characters for ~3,700 appends), then "zz1" ... (5 characters for
~230,000 more), and symmetrically "0z", "0yz" ... at the front.
"""

from __future__ import annotations

__all__ = ["DIGITS", "key_between", "keys_between"]

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE = len(DIGITS)
_VALUE = {ch: i for i, ch in enumerate(DIGITS)}
_LOW, _HIGH = DIGITS[0], DIGITS[-1]


def _check(key: str | None) -> None:
    if key is None:
        return
    if (
        not isinstance(key, str)
        or not key
        or key[-1] == _LOW
        or any(ch not in _VALUE for ch in key)
    ):
        raise ValueError(
            f"Position {key!r} is not a valid key: use the digits 0-9A-Za-z, not ending in 0."
        )


def _check_pair(a: str | None, b: str | None) -> None:
    _check(a)
    _check(b)
    if a is not None and b is not None and a >= b:
        raise ValueError(
            f"Can't place a key between {a!r} and {b!r}: the first must sort before the second."
        )


def _to_int(digits: str) -> int:
    n = 0
    for ch in digits:
        n = n * _BASE + _VALUE[ch]
    return n


def _to_key(n: int, length: int) -> str:
    """The `length`-digit base-62 numeral of n, with trailing zeros dropped."""
    out = []
    for _ in range(length):
        n, d = divmod(n, _BASE)
        out.append(DIGITS[d])
    return "".join(reversed(out)).rstrip(_LOW)


def _after(a: str) -> str:
    """A short key greater than a (append). Level j = keys with j leading "z" and a (j+1)-digit body."""
    j = len(a) - len(a.lstrip(_HIGH))
    body = a[j : 2 * j + 1].ljust(j + 1, _LOW)
    n = _to_int(body) + 1
    if n // _BASE**j >= _VALUE[_HIGH]:  # body would start with "z": move to the next level
        return _HIGH * (j + 1) + DIGITS[1]
    return _HIGH * j + _to_key(n, j + 1)


def _before(b: str) -> str:
    """A short key smaller than b (prepend); mirror of _after with leading "0"."""
    j = len(b) - len(b.lstrip(_LOW))
    body = b[j : 2 * j + 1].ljust(j + 1, _LOW)
    n = _to_int(body) - 1
    if n // _BASE**j <= 0:  # body would start with "0": move to the next level
        return _LOW * (j + 1) + _HIGH
    return _LOW * j + _to_key(n, j + 1)


def _midpoint(a: str, b: str) -> str:
    """The shortest key near the middle of a < b (digit by digit, linear in the key length)."""
    n = 0  # common prefix, reading a as padded with "0"
    while n < len(b) and (a[n] if n < len(a) else _LOW) == b[n]:
        n += 1
    out, a, rest = [b[:n]], a[n:], b[n:]
    upper: str | None = rest
    while True:
        da = _VALUE[a[0]] if a else 0
        db = _VALUE[upper[0]] if upper is not None else _BASE
        if db - da > 1:
            out.append(DIGITS[(da + db + 1) // 2])
            return "".join(out)
        if upper is not None and len(upper) > 1:
            out.append(upper[0])  # a[0] < upper[0] < upper
            return "".join(out)
        out.append(DIGITS[da])  # consecutive digits: keep a's digit and look past it, open above
        a, upper = a[1:], None


def _spread(a: str | None, b: str | None, n: int) -> list[str]:
    """n evenly spaced keys strictly between a and b, using the fewest digits that fit them all."""
    prefix = ""
    if a is not None and b is not None:
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]:
            k += 1
        prefix, a, b = a[:k], a[k:] or None, b[k:]  # every key between them starts with the prefix
    # Grid of `length`-digit numbers: usable points are lo+1 .. hi-1, lo = floor(a), hi = ceil(b).
    lo = hi_floor = 0
    length = 0
    while True:
        length += 1
        lo = lo * _BASE + (_VALUE[a[length - 1]] if a is not None and length <= len(a) else 0)
        if b is None:
            hi = _BASE**length
        else:
            hi_floor = hi_floor * _BASE + (_VALUE[b[length - 1]] if length <= len(b) else 0)
            hi = hi_floor + (1 if len(b) > length else 0)
        gap = hi - lo
        if gap > n:
            return [prefix + _to_key(lo + (i + 1) * gap // (n + 1), length) for i in range(n)]


def key_between(a: str | None, b: str | None) -> str:
    """A key strictly between a and b in plain string order; None is an open end.

    Raises ValueError when a >= b or either is not a valid key.
    """
    _check_pair(a, b)
    if a is not None and b is None:
        return _after(a)
    if a is None and b is not None:
        return _before(b)
    if a is None:
        return DIGITS[_BASE // 2]
    return _midpoint(a, b)  # type: ignore[arg-type]


def keys_between(a: str | None, b: str | None, n: int) -> list[str]:
    """n increasing keys strictly between a and b, as short as possible.

    Between two keys (or two open ends) the keys are spread evenly using the fewest digits that fit:
    10,000 keys between two open ends take 3 characters each. With one open end they continue the
    append/prepend sequence, so later single inserts at that end stay short too.
    """
    _check_pair(a, b)
    if n < 0:
        raise ValueError(f"The number of keys must be 0 or more (got {n}).")
    if n == 0:
        return []
    if (a is None) == (b is None):
        return _spread(a, b, n)
    # One open end: step like repeated single inserts, so later appends/prepends stay short too.
    keys: list[str] = []
    edge = a if b is None else b
    for _ in range(n):
        edge = _after(edge) if b is None else _before(edge)  # type: ignore[arg-type]
        keys.append(edge)
    return keys if b is None else keys[::-1]
