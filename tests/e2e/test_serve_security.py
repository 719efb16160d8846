"""`kickoff serve` refuses what a hostile page or user could send it (issue 12): no token,
another site's Origin, another Host name (DNS rebinding), and sessions past the cap.

A real `kickoff serve` subprocess, spoken to with aiohttp's client (textual-serve's own
dependency); each accepted session is a real app process.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.conftest import subprocess_env
from tests.e2e.test_browser import start_serve, stop


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    """(base URL, token, port) of a running `kickoff serve` on a fresh workspace."""
    env = subprocess_env()
    db = tmp_path / "w.db"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "kickoff_tui",
            "init",
            str(db),
            "--name",
            "W",
            "--kickoff-date",
            "2026-10-17",
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    log = tmp_path / "serve.log"
    server, port = start_serve(["--db", str(db)], env, log)
    try:
        found = re.search(r"(http://127\.0\.0\.1:\d+)/\?token=(\S+)", log.read_text())
        assert found, log.read_text()
        yield found.group(1), found.group(2), port
    finally:
        stop(server)


async def _status(url: str, **headers: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as r:
        return r.status


async def _ws_status(url: str, **headers: str) -> int:
    """101 when the websocket (an app session) opens, else the HTTP status it was refused with."""
    async with aiohttp.ClientSession() as http:
        try:
            ws = await http.ws_connect(url, headers=headers)
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 101


def test_the_page_and_its_websocket_need_the_token(served: tuple[str, str, int]) -> None:
    base, token, _ = served
    ws = base.replace("http", "ws") + "/ws"
    assert asyncio.run(_status(base + "/")) == 403
    assert asyncio.run(_status(base + "/?token=wrong")) == 403
    assert asyncio.run(_status(base + "/static/css/xterm.css")) == 403
    assert asyncio.run(_ws_status(ws, Origin=base)) == 403
    assert asyncio.run(_status(f"{base}/?token={token}")) == 200


def test_the_cookie_set_by_the_token_url_opens_the_websocket(served: tuple[str, str, int]) -> None:
    base, token, _ = served

    async def go() -> tuple[str, int]:
        # like a browser, keep cookies of an IP address host (aiohttp's jar won't by default)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{base}/?token={token}") as page:
                assert page.status == 200
                cookie = page.cookies  # set once the token was used
            async with http.ws_connect(
                base.replace("http", "ws") + "/ws", headers={"Origin": base}
            ) as ws:
                await ws.close()
            return "".join(cookie.keys()), 101

    name, status = asyncio.run(go())
    assert name.startswith("kickoff_token_") and status == 101


def test_another_sites_origin_and_another_host_name_are_refused(
    served: tuple[str, str, int],
) -> None:
    base, token, port = served
    ws = base.replace("http", "ws") + f"/ws?token={token}"
    assert asyncio.run(_ws_status(ws, Origin="http://evil.example")) == 403  # cross-site websocket
    assert asyncio.run(_ws_status(ws, Origin=f"http://evil.example:{port}")) == 403
    # DNS rebinding: evil.example now resolves to 127.0.0.1, the browser sends its own Host.
    assert asyncio.run(_status(f"{base}/?token={token}", Host=f"evil.example:{port}")) == 403
    assert (
        asyncio.run(
            _ws_status(ws, Host=f"evil.example:{port}", Origin=f"http://evil.example:{port}")
        )
        == 403
    )
    assert asyncio.run(_ws_status(ws, Origin=base)) == 101


def test_a_fifth_session_is_refused_while_four_are_open(served: tuple[str, str, int]) -> None:
    base, token, _ = served
    ws_url = base.replace("http", "ws") + f"/ws?token={token}"

    async def go() -> tuple[int, int]:
        async with aiohttp.ClientSession() as http:
            open_ = [await http.ws_connect(ws_url, headers={"Origin": base}) for _ in range(4)]
            try:
                fifth = await _ws_status(ws_url, Origin=base)
            finally:
                for ws in open_:
                    await ws.close()
            # a closed tab frees its place (the server notices the close, then counts down)
            for _ in range(100):
                again = await _ws_status(ws_url, Origin=base)
                if again == 101:
                    break
                await asyncio.sleep(0.1)
            return fifth, again

    fifth, again = asyncio.run(go())
    assert fifth == 503
    assert again == 101


def test_a_host_other_than_loopback_warns_loudly_and_still_needs_the_token(tmp_path: Path) -> None:
    env = subprocess_env()
    db = tmp_path / "w.db"
    assert (
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kickoff_tui",
                "init",
                str(db),
                "--name",
                "W",
                "--kickoff-date",
                "2026-10-17",
            ],
            env=env,
            timeout=60,
        ).returncode
        == 0
    )
    log = tmp_path / "serve.log"
    server, port = start_serve(["--host", "0.0.0.0", "--db", str(db)], env, log)
    try:
        text = log.read_text()
        assert "WARNING: --host 0.0.0.0 can be reached from other machines" in text
        assert "?token=" in text
        assert asyncio.run(_status(f"http://127.0.0.1:{port}/")) == 403
    finally:
        stop(server)
