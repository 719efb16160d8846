"""textual-serve's Server with the locks a browser-facing server needs (as Jupyter has them).

- **A token** made per run, in the printed URL; once used, the page keeps it in a cookie
  (HttpOnly, SameSite=Strict, one per port), so the page's own requests and its websocket
  carry it. Every request without it is refused: another user of this machine or a page the
  user visits can't open a session.
- **Host check**: the Host header must name this server (127.0.0.1, localhost, ::1 or the
  address it listens on), so a DNS-rebinding page can't reach it under its own name.
- **Origin check**: a request carrying an Origin (every browser websocket does) must come from
  this server's own page, so no other site can drive a session.
- **A cap** on concurrent sessions (each one is a process running the app).

Only imported by `kickoff serve`, with the serve extra installed.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import sys
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from kickoff_tui.rules.text import visible
from kickoff_tui.textual_compat import hook_make_app

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    """Whether `host` only listens on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


class GuardedServer(Server):
    """A textual-serve Server that refuses requests without the token, from another site or
    under another host name, and sessions beyond `max_sessions`."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        token: str | None = None,
        max_sessions: int = 4,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token or secrets.token_urlsafe(24)
        self.max_sessions = max_sessions
        self.sessions = 0
        self.cookie = f"kickoff_token_{port}"
        names = {*LOOPBACK_NAMES, host} if host not in WILDCARDS else set()
        #: Host header values accepted; empty when listening on every address (the token is
        #: then the only lock: any name of this machine may be used to reach it).
        self.hosts = {f"{_bracketed(n)}:{port}" for n in names}
        if port == 80:
            self.hosts |= {_bracketed(n) for n in names}
        # Every request passes `guard` (textual-serve has no public way to add middleware).
        hook_make_app(self, lambda web_app: web_app.middlewares.append(self.guard))

    @property
    def url(self) -> str:
        """The address to open, token included."""
        return f"{self.public_url}/?token={self.token}"

    # ------------------------------------------------------------------ checks

    def refusal(self, request: web.Request) -> str | None:
        """Why `request` is refused, in one sentence; None when it may go on."""
        if self.hosts and request.host not in self.hosts:
            return f"this server doesn't answer to the name {request.host!r}."
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return f"requests from another site ({origin}) are refused."
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return "no valid token (open the link kickoff serve printed)."
        return None

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        why = self.refusal(request)
        if why is not None:
            self._log(f"refused {request.method} {request.path}: {why}")
            return web.Response(status=403, text=f"kickoff serve: {why}\n")
        response = await handler(request)
        if request.query.get("token") and not response.prepared:
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        return response

    def _log(self, message: str) -> None:
        sys.stderr.write(f"kickoff serve: {visible(message)}\n")
        sys.stderr.flush()

    # ------------------------------------------------------------------ textual-serve hooks

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: `kickoff serve` prints its own lines (with the token URL)."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The page's websocket goes to the host name the browser used, where its cookie is.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    async def handle_websocket(  # type: ignore[override]  # a refusal is a plain 503 response
        self, request: web.Request
    ) -> web.StreamResponse:
        if self.sessions >= self.max_sessions:
            self._log(f"refused a session: {self.max_sessions} are open (--max-sessions).")
            return web.Response(
                status=503,
                text=(
                    f"kickoff serve: {self.max_sessions} sessions are open already; close a tab "
                    "or restart with a higher --max-sessions.\n"
                ),
            )
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
