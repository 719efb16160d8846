"""`kickoff serve` in headless Chromium: the board appears in a browser tab and keys work.

Chromium is Debian's (`apt-get install chromium`; .ci/run installs it), driven with
playwright-python's bundled driver: nothing is downloaded at test time and every request that
isn't for 127.0.0.1 is refused (textual-serve's page asks for a web font). The terminal in the
page is an xterm.js canvas, so the screen's text is read from what the server sends it over the
websocket, and a screenshot before and after a key shows the page changed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW, subprocess_env

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1")
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")

pytestmark = pytest.mark.tool("chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(
    args: list[str], env: dict[str, str], log: Path, attempts: int = 5
) -> tuple[subprocess.Popen, int]:
    """Start `kickoff serve ARGS --port P` on a free port P and wait until it listens.

    A port found free can be taken by another process (another test worker) before the
    server binds it; kickoff serve then says "address already in use" and exits, and this
    tries the next free port.
    """
    for _ in range(attempts):
        port = free_port()
        with log.open("w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "kickoff_tui", "serve", "--port", str(port), *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_listening(port, server, log)
        except AssertionError:
            stop(server)
            if "address already in use" in log.read_text():
                continue
            raise
        return server, port
    raise AssertionError(
        f"no free port for kickoff serve after {attempts} tries:\n{log.read_text()}"
    )


def wait_listening(port: int, server: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"kickoff serve exited:\n{log.read_text()}"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"kickoff serve never listened on {port}:\n{log.read_text()}")


def stop(server: subprocess.Popen) -> None:
    """Stop `kickoff serve` and the app processes it started (its process group)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class Screen:
    """What the app has drawn in the page: the text of every websocket frame so far."""

    def __init__(self) -> None:
        self.chunks: list[str] = []

    def frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", "ignore")
        self.chunks.append(ANSI.sub("", payload))

    def mark(self) -> int:
        return len(self.chunks)

    def text(self, since: int = 0) -> str:
        return "".join(self.chunks[since:])

    def wait_for(self, page, text: str, since: int = 0, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.text(since):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"{text!r} never reached the page")


def test_serve_shows_the_board_in_chromium_and_keys_work(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    env = subprocess_env(KICKOFF_NOW=FROZEN_NOW)
    made = subprocess.run(
        [sys.executable, "-m", "kickoff_tui", "demo", "--db", "demo.db", "--no-open"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    log = tmp_path / "serve.log"
    server, port = start_serve(["--host", "127.0.0.1", "--db", "demo.db"], env, log)
    try:
        found = re.search(rf"http://127\.0\.0\.1:{port}/\?token=\S+", log.read_text())
        assert found, log.read_text()  # the address with this run's token
        screen = Screen()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith(LOCAL) else route.abort()
                    ),
                )
                page.on("websocket", lambda ws: ws.on("framereceived", screen.frame))
                page.goto(found.group())
                screen.wait_for(page, "Ship the guided setup")  # the board's cards
                assert "Day 37 of 90" in screen.text()
                page.wait_for_timeout(500)
                terminal = page.locator("#terminal")
                before = terminal.screenshot()
                terminal.click()
                mark = screen.mark()
                page.keyboard.press("2")
                screen.wait_for(page, "Weekly activated teams", since=mark)  # the OKR screen
                page.wait_for_timeout(500)
                assert terminal.screenshot() != before
            finally:
                browser.close()
    finally:
        stop(server)


def test_serve_without_textual_serve_says_how_to_install_it(tmp_path: Path) -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nsys.modules['textual_serve'] = None  # as if the extra were not installed\n"
            "from kickoff_tui.cli import main\nmain(['serve', '--db', 'x.db'])",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert probe.returncode == 2
    assert probe.stderr.strip() == (
        "kickoff: Browser mode needs textual-serve, an optional extra: "
        "pip install 'kickoff-tui[serve]'"
    )
