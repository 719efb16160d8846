"""Identifiers that can be made on many machines at once: UUIDv7 row ids, replica ids, HLCs."""

from __future__ import annotations

import os
import re
import threading

from kickoff_tui import clock

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def _forget_last_id() -> None:
    """A forked child must not go on from its parent's last id: two children (or a child and
    its parent) would make the same ids while the clock stands still or runs behind."""
    global _last_ms, _last_rand
    _last_ms = _last_rand = 0


os.register_at_fork(after_in_child=_forget_last_id)


def new_id() -> str:
    """A UUIDv7 string: time-ordered, unique across machines, monotonic within this process."""
    global _last_ms, _last_rand
    with _lock:
        ms = clock.now_ms()
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
        else:
            # 73 random bits: the top bit of the 74 stays clear so increments never overflow.
            rand = int.from_bytes(os.urandom(10), "big") & ((1 << 73) - 1)
        _last_ms, _last_rand = ms, rand
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_replica_id() -> str:
    """A short random replica id (12 lowercase base-32 characters)."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(alphabet[b % 32] for b in os.urandom(12))


def hlc_pack(ms: int, counter: int) -> str:
    """A hybrid logical clock as a fixed-width string, so text order is clock order."""
    return f"{ms:015d}-{counter:05d}"


def hlc_unpack(hlc: str) -> tuple[int, int]:
    ms, _, counter = hlc.partition("-")
    return int(ms), int(counter)


#: The only clock text accepted from a log: fixed width, so text order is number order.
HLC_FORM = re.compile(r"[0-9]{15}-[0-9]{5}")
HLC_COUNTER_MAX = 99_999


def hlc_ok(hlc: object) -> bool:
    """True when `hlc` is a clock in the fixed-width form :func:`hlc_pack` writes."""
    return type(hlc) is str and HLC_FORM.fullmatch(hlc) is not None


def hlc_next(last: str | None, now_ms: int) -> str:
    """The next local clock: wall time, but never behind any clock seen so far."""
    if not last:
        return hlc_pack(now_ms, 0)
    last_ms, counter = hlc_unpack(last)
    if now_ms > last_ms:
        return hlc_pack(now_ms, 0)
    if counter >= HLC_COUNTER_MAX:  # past the counter's width: the next millisecond, never wider
        return hlc_pack(last_ms + 1, 0)
    return hlc_pack(last_ms, counter + 1)
