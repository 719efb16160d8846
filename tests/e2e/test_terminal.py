"""The real app in a real terminal (tmux at 80×24): start it, press keys, read the screen."""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import FROZEN_NOW, subprocess_env

pytestmark = pytest.mark.tool("tmux")


class Terminal:
    """One tmux session on a private socket."""

    def __init__(self, command: str, env: dict[str, str], size=(80, 24)) -> None:
        self.socket = f"kickoff-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(
            f"{k}={shlex.quote(v)}"
            for k, v in env.items()
            if k.startswith(("KICKOFF_", "PYTHONPATH", "PATH", "HOME", "TERM"))
        )
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            f"env {exports} {command}; echo EXITED $?; sleep 30",
        )

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text not in self.screen():
                return
            time.sleep(0.1)
        raise AssertionError(f"{text!r} is still on screen:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


def test_the_demo_in_a_real_terminal(tmp_path: Path) -> None:
    env = subprocess_env(KICKOFF_NOW=FROZEN_NOW, TERM="xterm-256color")
    db = tmp_path / "demo.db"
    term = Terminal(f"{shlex.quote(sys.executable)} -m kickoff_tui demo --db {db}", env)
    try:
        shown = term.wait_for("Day 37 of 90")
        assert "Atlas launch" in shown and "Board" in shown
        term.keys("2")
        term.wait_for("Weekly activated teams")
        term.keys("?")
        term.wait_for("Keys — OKRs")
        term.keys("/")  # the OKR screen's own keys fill the box: search for the global ones
        term.wait_for("search keys · enter keeps")
        term.keys("go to risks")
        term.wait_for("Go to Risks")
        term.keys("Enter")  # keeps the search; esc then clears it, and a second esc closes
        term.keys("Escape")
        term.wait_for("New objective")  # the whole list again, from its top
        term.keys("Escape")  # a lone ESC: the next key must wait, or it reads as alt+key
        term.wait_gone("Keys — OKRs")
        term.keys("3")
        term.wait_for("API can't take 3×")
        term.keys("C-q")
        term.wait_for("EXITED 0")
    finally:
        term.close()


def toast_text(shown: str) -> str:
    """The text of the notification at the bottom right, its lines joined without spaces (a
    long path wraps in the middle)."""
    return "".join(
        "".join(line[line.rindex("▌") + 1 :].rstrip("▕▆ ").split())
        for line in shown.splitlines()
        if line.rfind("▌") > 20
    )


def test_the_first_notification_says_which_file_is_open(tmp_path: Path) -> None:
    """The "Created the demo workspace at …" line is hidden by the full-screen app, and plain
    `kickoff` after the demo opens an empty workspace of one's own: both say so in the app."""
    env = subprocess_env(
        KICKOFF_NOW=FROZEN_NOW, TERM="xterm-256color", KICKOFF_DATA_DIR=str(tmp_path / "data")
    )
    term = Terminal(f"{shlex.quote(sys.executable)} -m kickoff_tui demo", env)
    try:
        term.wait_for("Day 37 of 90")  # the app is up: the line printed before it is gone
        shown = term.wait_for("Created the demo")
        assert "Day 37 of 90" in shown
        assert str(tmp_path / "data" / "demo.db") in toast_text(shown)
        term.keys("C-q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
    term = Terminal(f"{shlex.quote(sys.executable)} -m kickoff_tui", env)
    try:
        term.wait_for("My 90 days")
        shown = term.wait_for("This is your own")
        said = toast_text(shown)
        assert str(tmp_path / "data" / "kickoff.db") in said
        assert str(tmp_path / "data" / "demo.db") in said and "`kickoffdemo`opensitagain" in said
        term.keys("C-q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
