"""Copying tries the desktop's clipboard program first and says which way the text went
(issue 20: "Minutes copied" was said when the terminal dropped OSC 52)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kickoff_tui import clipboard
from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store


def fake_xclip(folder: Path, *, fails: bool = False) -> Path:
    """An `xclip` on PATH that keeps what it was given in folder/clip.txt."""
    folder.mkdir(exist_ok=True)
    kept = folder / "clip.txt"
    script = folder / "xclip"
    script.write_text(f"#!/bin/sh\ncat > '{kept}'\nexit {1 if fails else 0}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return kept


@pytest.fixture
def desktop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    kept = fake_xclip(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    return kept


def test_a_local_desktop_gets_the_text_through_its_program(desktop: Path) -> None:
    assert clipboard.copy("# Minutes ✓ 会议") == "xclip"
    assert desktop.read_text(encoding="utf-8") == "# Minutes ✓ 会议"


def test_over_ssh_the_local_program_is_not_used(
    desktop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 5122 10.0.0.1 22")
    assert clipboard.copy("secret") is None
    assert not desktop.exists()


def test_without_a_desktop_or_when_the_program_fails_nothing_claims_a_copy(
    tmp_path: Path, desktop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY")
    assert clipboard.copy("x") is None
    monkeypatch.setenv("DISPLAY", ":0")
    fake_xclip(tmp_path / "bin", fails=True)
    assert clipboard.copy("x") is None


@pytest.mark.preload
async def test_publishing_a_decision_says_the_clipboard_program_it_used(
    demo: Store, desktop: Path
) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        accepted = next(
            n for n, key in enumerate(table.rows) if "Delay annual" in str(table.get_row(key))
        )
        table.move_cursor(row=accepted)
        await pilot.press("p")
        await pilot.pause()
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("Published D3: copied to the clipboard (xclip); written to ")
        assert desktop.read_text(encoding="utf-8").startswith("### D3 — Delay annual plans")
