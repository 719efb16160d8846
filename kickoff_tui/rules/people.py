"""People rules: handles derived from names, what a handle and an email may look like, the
first-action status, and the workspace settings' domains (weekday, time, timebox).

Pure functions (no I/O): the store and the CLI call these and show their sentences as they are.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "HANDLE_RE",
    "TIMEBOX_RANGE",
    "WEEKDAYS",
    "check_email",
    "check_handle",
    "check_time",
    "check_timebox",
    "check_weekday",
    "derive_handle",
    "first_action_status",
]

#: A handle: lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit.
HANDLE_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: The guides' range for a tactical standup, in minutes.
TIMEBOX_RANGE = (15, 30)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def derive_handle(name: str, taken: Iterable[str] = ()) -> str:
    """A short handle for `name` not in `taken`: the first name ("Ana Silva" → "ana"), then with
    the last name's initial ("anas"), then numbered ("ana2")."""
    used = {t.lower() for t in taken}
    words = [re.sub(r"[^a-z0-9]", "", _ascii(w).lower()) for w in name.split()]
    words = [w for w in words if w]
    first = (words[0] if words else "person")[:24]
    candidates = [first]
    if len(words) > 1:
        candidates.append(first + words[-1][0])
    for candidate in candidates:
        if candidate not in used:
            return candidate
    n = 2
    while f"{first}{n}" in used:
        n += 1
    return f"{first}{n}"


def contact_facts(person: Mapping[str, Any]) -> list[str]:
    """How to reach a person, as the team and person pages show it under their name: "@handle",
    role, email and time zone, the ones that are set."""
    handle = person["handle"]
    facts = (f"@{handle}" if handle else "", person["role"], person["email"], person["timezone"])
    return [str(x) for x in facts if x]


def check_handle(text: str) -> str:
    """`text` as a handle (a leading @ dropped, lower-cased), or ValueError with one sentence."""
    handle = text.strip().lstrip("@").lower()
    if not handle:
        raise ValueError("A handle can't be empty.")
    if not HANDLE_RE.fullmatch(handle):
        shown = "".join(ch if ch.isprintable() else "?" for ch in handle)[:40]
        raise ValueError(
            f"{shown!r} is not a handle: use up to 32 letters, digits, '.', '_' or "
            "'-' with no spaces, e.g. ana or ana.silva."
        )
    return handle


def check_email(text: str) -> str:
    """`text` as an email address, or ValueError with one sentence."""
    email = text.strip()
    shown = "".join(ch if ch.isprintable() else "?" for ch in email)[:60]
    if not email.isprintable():  # an escape code, tab or line break pasted along with it
        raise ValueError(
            f"{shown!r} is not an email address: it has control characters "
            "(a tab, line break or escape code)."
        )
    if not EMAIL_RE.fullmatch(email) or len(email) > 200:
        raise ValueError(f"{shown!r} is not an email address, e.g. ana@example.com.")
    return email


def check_weekday(text: str) -> str:
    """A standup weekday ("mon" … "sun"; "Monday" and "mo" work too), or ValueError."""
    day = text.strip().lower()
    for name, full in zip(WEEKDAYS, FULL_WEEKDAYS):
        if len(day) >= 2 and full.startswith(day):
            return name
    raise ValueError(
        f"{text.strip()[:20]!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun."
    )


def check_time(text: str) -> str:
    """A time of day as HH:MM (9:30 → 09:30), or ValueError."""
    m = re.fullmatch(r"\s*(\d{1,2})[:h.](\d{2})\s*", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"{text.strip()[:20]!r} is not a time of day; use HH:MM, e.g. 09:30.")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def check_timebox(minutes: float | str) -> int:
    """A standup timebox in whole minutes within the guides' 15–30, or ValueError."""
    low, high = TIMEBOX_RANGE
    try:
        value = float(str(minutes).strip())
    except ValueError:
        value = float("nan")
    if math.isnan(value) or value != int(value) or not low <= value <= high:
        raise ValueError(
            f"The standup timebox must be {low} to {high} minutes, the guides' "
            f"range for a tactical standup (got {str(minutes).strip()[:20]})."
        )
    return int(value)


def first_action_status(
    *, has_card: bool, done_at: datetime | None, due: datetime | None, now: datetime
) -> tuple[str, str]:
    """(state, label) of a person's first action: ("none", "none yet"), ("due", "due in 5 h"),
    ("done", "done on time") or ("late", "⚠ late"). Late is a first action still open after its
    due time, or done after it."""
    if not has_card or due is None:
        return "none", "none yet"
    if done_at is not None:
        return ("done", "done on time") if done_at <= due else ("late", "⚠ late (done after due)")
    if now > due:
        return "late", "⚠ late"
    left = due - now
    hours = int(left / timedelta(hours=1))
    if hours >= 1:
        return "due", f"due in {hours} h"
    return "due", f"due in {max(1, int(left / timedelta(minutes=1)))} min"
