"""Shared fixtures: every test gets its own config and data folders and real SQLite files."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from kickoff_tui import clock

#: The frozen "now" of screen tests and snapshots: day 37 of the demo's 90 days.
FROZEN_NOW = "2026-11-23T09:00:00Z"


#: Programs some tests drive for real: the names to look for, and how to get them.
TOOLS = {
    "tmux": (("tmux",), "apt-get install tmux"),
    "chromium": (("chromium", "chromium-browser"), "apt-get install chromium"),
    "git": (("git",), "apt-get install git"),
}


#: End-to-end tests that drive a real terminal or browser and watch it draw: with pytest-xdist
#: (`-n 2 --dist loadgroup`) they run one after another on one worker, as without it. The
#: other end-to-end tests (subprocesses on their own files) run on both workers.
SERIAL_FILES = (
    "tests/e2e/test_terminal.py",
    "tests/e2e/test_browser.py",
    "tests/e2e/test_serve_security.py",
)


#: Where the tests' files go when the machine has a memory filesystem: SQLite waits on the disk
#: at every commit (fsync), which on a VM's disk is a large part of the suite's wall time and
#: tests nothing of kickoff's own (tests/store ran in 24 s there against 40 s on /tmp). A kill -9
#: leaves a tmpfs file as it leaves a disk file, and tmpfs is no network filesystem, so every
#: test means the same. `KICKOFF_TEST_TMP=disk` (or an explicit TMPDIR) keeps the default.
MEMORY_TMP = Path("/dev/shm")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("KICKOFF_TEST_TMP") == "disk" or "TMPDIR" in os.environ:
        return
    if MEMORY_TMP.is_dir() and os.access(MEMORY_TMP, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = str(MEMORY_TMP)  # for this process and the kickoff it starts
        tempfile.tempdir = None  # so tempfile (and pytest's tmp_path) reads TMPDIR again


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SERIAL_FILES):
            item.add_marker(pytest.mark.xdist_group("terminal"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.tool("tmux")`: a test that drives a program. Without it, a developer's
    run skips the test and says why; CI (CI=true) fails it with a sentence, so a green CI
    never means a whole area went untested."""
    for mark in item.iter_markers("tool"):
        for tool in mark.args:
            names, install = TOOLS[tool]
            if any(shutil.which(name) for name in names):
                continue
            sentence = f"{tool} is not installed ({install}; .ci/run installs it)"
            if os.environ.get("CI"):
                pytest.fail(f"CI must run this test, and {sentence}.", pytrace=False)
            pytest.skip(sentence)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's config or workspaces."""
    monkeypatch.setenv("KICKOFF_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("KICKOFF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KICKOFF_DB", raising=False)
    monkeypatch.delenv("KICKOFF_NOW", raising=False)
    monkeypatch.setenv("KICKOFF_USER", "tester")
    for desktop in ("DISPLAY", "WAYLAND_DISPLAY"):  # no test writes the real clipboard
        monkeypatch.delenv(desktop, raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    clock.freeze(None)


@pytest.fixture(autouse=True)
def background_builds(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A test's app builds the other main screens in the background only where that can change
    what the test sees: in tests that switch main screens (1-8, 0, a jump to a record) or are
    marked `@pytest.mark.preload`.

    Those builds cost about two thirds of a screen test's CPU (tests/screens/test_board.py:
    49 s with them, 15 s without), and a test that stays on one screen never looks at them.
    Building in the background is tested on its own (test_switching.py, test_typeahead.py:
    marked). So a KickoffApp made without `preload=` gets `preload=False`, and a test whose
    app then switches screens fails at teardown with a sentence saying to mark it, so that the
    screen it switches to may have been built in the background, as it is for a user.
    """
    if request.node.get_closest_marker("preload"):
        yield
        return
    from kickoff_tui.app import KickoffApp

    unbuilt: list[KickoffApp] = []  # apps whose other screens this fixture left unbuilt
    switched: list[str] = []
    make, switch_mode = KickoffApp.__init__, KickoffApp.switch_mode

    def without_preload(app: KickoffApp, *args, **kwargs) -> None:
        if "preload" not in kwargs:
            kwargs["preload"] = False
            unbuilt.append(app)
        make(app, *args, **kwargs)

    def noting_switches(app: KickoffApp, mode: str):
        if any(app is made for made in unbuilt):
            switched.append(mode)
        return switch_mode(app, mode)

    monkeypatch.setattr(KickoffApp, "__init__", without_preload)
    monkeypatch.setattr(KickoffApp, "switch_mode", noting_switches)
    yield
    if switched:
        pytest.fail(
            f"This test switches to the {', '.join(dict.fromkeys(switched))} screen(s): mark it "
            "@pytest.mark.preload so its app builds screens in the background as for a user "
            "(tests/conftest.py, background_builds).",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors don't blink in tests: a snapshot taken half a second later must not differ
    by a cursor caught between blinks (a focused field shows its cursor steadily)."""
    from kickoff_tui.textual_compat import quick_idle_checks, steady_cursors

    steady_cursors(monkeypatch)
    quick_idle_checks(monkeypatch)


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


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace made once per test process at the frozen time, closed; `demo` copies
    it. Making it commits hundreds of operations and waits on the disk for each commit (0.2 to
    0.5 s a test on a shared machine); a copy of the finished file takes milliseconds."""
    from kickoff_tui.store.demo import make_demo

    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KICKOFF_NOW", FROZEN_NOW)
        env.setenv("KICKOFF_CONFIG_DIR", str(folder / "config"))
        env.setenv("KICKOFF_DATA_DIR", str(folder / "data"))
        env.delenv("KICKOFF_USER", raising=False)
        make_demo(folder / "demo.db").close()  # closing checkpoints the WAL into the file
    return folder / "demo.db"


@pytest.fixture
def demo(tmp_path: Path, frozen: str, monkeypatch: pytest.MonkeyPatch, demo_file: Path):
    """The demo workspace made at the frozen time (a copy of `demo_file`), opened as its user
    (ana)."""
    from kickoff_tui.store.ops import Store

    monkeypatch.delenv("KICKOFF_USER", raising=False)
    shutil.copyfile(demo_file, tmp_path / "demo.db")
    store = Store(tmp_path / "demo.db")
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
