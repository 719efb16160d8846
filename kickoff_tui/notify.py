"""Posting the team's nudges to a chat webhook (`kickoff nudges --post`), with urllib only.

`config.toml`::

    [notify]
    webhook = "https://hooks.slack.com/services/…"
    format = "slack"   # or "teams" or "text"

Every failure is a :class:`NotifyError` with one sentence; nothing here writes the workspace
(the caller remembers what was posted, only after the webhook said yes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kickoff_tui.store.inbox import InboxItem

FORMATS = ("slack", "teams", "text")
#: Seconds to wait for the webhook before giving up.
TIMEOUT = 10.0
#: The most items one message lists (the count says how many there were).
MAX_ITEMS = 50


class NotifyError(Exception):
    """The webhook could not be used: one sentence for the person running the command."""


@dataclass(frozen=True)
class Webhook:
    url: str
    format: str


def webhook(settings: Any) -> Webhook:
    """The `[notify]` table of config.toml, checked: an http(s) URL and a known format."""
    if not isinstance(settings, dict) or not settings.get("webhook"):
        raise NotifyError(
            'No webhook set: add [notify] webhook = "https://…" to config.toml '
            "(`kickoff config path` says where it is)."
        )
    url, fmt = settings.get("webhook"), settings.get("format", "slack")
    if not isinstance(url, str) or not url.lower().startswith(("https://", "http://")):
        raise NotifyError(
            f"The notify webhook in config.toml must be an http(s) address (got {url!r})."
        )
    if fmt not in FORMATS:
        raise NotifyError(
            f"The notify format in config.toml is one of {', '.join(FORMATS)} (got {fmt!r})."
        )
    return Webhook(url, fmt)


def _slack_escape(text: str) -> str:
    """Slack's three control characters, so user text is shown as typed (no mentions, links)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(items: Sequence[InboxItem], workspace: str, fmt: str) -> str:
    """The message text: a headline, then one line per item, grouped under each kind."""
    if fmt == "slack":
        esc = _slack_escape
    elif fmt == "teams":
        from kickoff_tui.rules.markdown import escape as esc
    else:

        def esc(text: str) -> str:
            return text

    n = len(items)
    lines = [f"{esc(workspace)}: {n} thing{'s' if n != 1 else ''} need someone today"]
    label = None
    for item in items[:MAX_ITEMS]:
        if item.label != label:
            label = item.label
            lines += ["", esc(label)]
        nudge = item.nudge
        title = " ".join(nudge.title.split())
        lines.append(f"• {nudge.ref} {esc(title)} — {esc(nudge.why)} — {esc(item.who)}")
    if n > MAX_ITEMS:
        lines += ["", f"… and {n - MAX_ITEMS} more (kickoff nudges lists them all)"]
    return "\n".join(lines)


def body(text: str, fmt: str) -> tuple[bytes, str]:
    """The request body and its content type for a format."""
    if fmt == "slack":
        return json.dumps({"text": text}).encode(), "application/json"
    if fmt == "teams":
        card = {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": text.splitlines()[0] if text else "kickoff",
            "text": text.replace("\n", "  \n"),
        }
        return json.dumps(card).encode(), "application/json"
    return text.encode(), "text/plain; charset=utf-8"


def post(hook: Webhook, text: str, timeout: float = TIMEOUT) -> None:
    """Send `text` to the webhook; NotifyError (one sentence) unless it answers 2xx."""
    import urllib.error
    import urllib.request

    data, content_type = body(text, hook.format)
    request = urllib.request.Request(
        hook.url, data=data, method="POST", headers={"Content-Type": content_type}
    )
    where = hook.url.split("?")[0]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise NotifyError(
            f"The webhook at {where} refused the message (HTTP {exc.code})."
        ) from None
    except urllib.error.URLError as exc:
        raise NotifyError(f"Can't reach the webhook at {where} ({exc.reason}).") from None
    except (OSError, ValueError) as exc:
        raise NotifyError(f"Can't reach the webhook at {where} ({exc}).") from None
    if not 200 <= status < 300:
        raise NotifyError(f"The webhook at {where} answered HTTP {status}, not 2xx.")
