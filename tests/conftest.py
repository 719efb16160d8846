"""Shared fixtures: every test gets its own config and data folders and real SQLite files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from kickoff_tui import clock

#: The frozen "now" of screen tests and snapshots: day 37 of the demo's 90 days.
FROZEN_NOW = "2026-11-23T09:00:00Z"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config or workspaces."""
    monkeypatch.setenv("KICKOFF_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("KICKOFF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KICKOFF_DB", raising=False)
    monkeypatch.delenv("KICKOFF_NOW", raising=False)
    monkeypatch.setenv("KICKOFF_USER", "tester")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    clock.freeze(None)


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors don't blink in tests: a snapshot taken half a second later must not differ
    by a cursor caught between blinks (a focused field shows its cursor steadily)."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> str:
    """Freeze the clock (also for subprocesses) at FROZEN_NOW."""
    monkeypatch.setenv("KICKOFF_NOW", FROZEN_NOW)
    return FROZEN_NOW


@pytest.fixture
def workspace(tmp_path: Path):
    """An empty workspace file (kickoff on 2026-10-17), open."""
    from datetime import date

    from kickoff_tui.store.workspace import init_workspace

    store = init_workspace(tmp_path / "ws.db", name="Test", kickoff_date=date(2026, 10, 17))
    yield store
    store.close()


@pytest.fixture
def demo(tmp_path: Path, frozen: str, monkeypatch: pytest.MonkeyPatch):
    """The demo workspace made at the frozen time, opened as its user (ana)."""
    from kickoff_tui.store.demo import make_demo

    monkeypatch.delenv("KICKOFF_USER", raising=False)
    store = make_demo(tmp_path / "demo.db")
    yield store
    store.close()


def kickoff_cmd() -> list[str]:
    """The `kickoff` entry point as a subprocess command, without installing anything."""
    return [sys.executable, "-m", "kickoff_tui"]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env
