"""Opening a workspace and the UI without click, so `kickoff [--db X]` starts fast.

`kickoff_tui.cli` (click) handles every other command line; it re-exports these helpers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one sentence to stderr and exit with `code`."""
    from kickoff_tui.rules.text import visible

    sys.stderr.write(f"kickoff: {visible(message, lines=True)}\n")
    sys.exit(code)


class VisibleStream:
    """A text stream that shows control characters as symbols (rules.text.visible) before
    they reach the terminal: the command line prints names, titles, file names and replica
    ids that came from other machines. `unfiltered` is the stream itself (for our own \\r)."""

    def __init__(self, stream: Any) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        from kickoff_tui.rules.text import visible

        self.unfiltered.write(text if text.isprintable() else visible(text, lines=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)


def filter_output() -> None:
    """Route this process's stdout and stderr through :class:`VisibleStream`."""
    if not isinstance(sys.stdout, VisibleStream) and sys.stdout is not None:
        sys.stdout = VisibleStream(sys.stdout)
    if not isinstance(sys.stderr, VisibleStream) and sys.stderr is not None:
        sys.stderr = VisibleStream(sys.stderr)


def unfilter_output() -> None:
    """Undo :func:`filter_output` (the UI writes its own escape sequences)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, VisibleStream):
            setattr(sys, name, stream.unfiltered)


def find_db(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """Which workspace to use, and whether it is the per-user default one.

    In order: `--db`, the `KICKOFF_DB` variable, `kickoff.db` in this folder or the nearest
    parent, then the default workspace in the user data folder.
    """
    if explicit:
        return Path(explicit).expanduser(), False
    env = os.environ.get("KICKOFF_DB")
    if env:
        return Path(env).expanduser(), False
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "kickoff.db"
        if candidate.is_file():
            return candidate, False
    from kickoff_tui import config

    return config.data_dir() / "kickoff.db", True


def open_store(
    db: str | os.PathLike[str] | None, *, create_default: bool = False, readonly: bool = False
) -> Store:
    """Open the workspace for a command, or exit with the reason in one sentence."""
    from kickoff_tui.store.errors import StoreError
    from kickoff_tui.store.ops import Store

    path, is_default = find_db(db)
    try:
        if is_default and not path.exists():
            if not create_default:  # e.g. `kickoff check` before the first `kickoff`
                fail(
                    f"No workspace yet at {path}: run `kickoff` to create it "
                    "(or `kickoff demo` to try a sample team).",
                    2,
                )
            from kickoff_tui import clock
            from kickoff_tui.store.workspace import init_workspace

            path.parent.mkdir(parents=True, exist_ok=True)
            return init_workspace(path, name="My 90 days", kickoff_date=clock.today())
        return Store(path, readonly=readonly)
    except StoreError as exc:
        fail(exc.message, exc.exit_code)
    except OSError as exc:
        fail(f"Can't open {path}: {exc.strerror or exc}.", 2)


def terminal_problem() -> str | None:
    """Why the UI can't open here (standard input or output is not a terminal), or None.

    `kickoff > file` or a cron job would otherwise draw escape codes into a file and wait for
    keys forever. Headless runs (KICKOFF_HEADLESS, tests, bench/) and another Textual driver
    (`kickoff serve` sets TEXTUAL_DRIVER to its web driver, which talks over pipes) need none.
    """
    if os.environ.get("KICKOFF_HEADLESS") or os.environ.get("TEXTUAL_DRIVER"):
        return None
    missing = [
        name
        for name, stream in (("input", sys.stdin), ("output", sys.stdout))
        if stream is None or not stream.isatty()
    ]
    if not missing:
        return None
    which = " and ".join(missing)
    return (
        f"The kickoff UI needs a terminal, but standard {which} "
        f"{'are' if len(missing) > 1 else 'is'} not one (a pipe, a file or cron); for "
        "scripts use a command such as `kickoff card list --json` (see `kickoff --help`)."
    )


def need_terminal() -> None:
    """Exit 2 with one sentence unless the UI can open here (before anything is created)."""
    problem = terminal_problem()
    if problem:
        fail(problem, 2)


def welcome(store: Store, db: str | os.PathLike[str] | None) -> str | None:
    """The first notification when plain `kickoff` opens the per-user default workspace while
    it has no cards: which file this is, and how to get (back) to the demo."""
    from kickoff_tui import config
    from kickoff_tui.store.errors import StoreError

    path, is_default = find_db(db)
    if not is_default:
        return None
    try:
        if store.row("SELECT 1 FROM card WHERE deleted = 0 LIMIT 1") is not None:
            return None
    except StoreError:
        return None
    demo = config.data_dir() / "demo.db"
    back = (
        f"The demo is {demo}: `kickoff demo` opens it again."
        if demo.exists()
        else "`kickoff demo` opens a sample team."
    )
    return f"This is your own workspace, {path} (empty so far: n adds a card). {back}"


def run_app(store: Store, notice: str | None = None) -> None:
    """Open the terminal UI on `store` (this is where Textual gets imported); `notice` is its
    first notification (e.g. which file it opened: a line printed before is hidden by the UI)."""
    need_terminal()
    from kickoff_tui import config

    config.load()  # a malformed config.toml is said on stderr before the screen is taken
    from kickoff_tui.app import KickoffApp

    unfilter_output()
    app = KickoffApp(store, notice=notice, start=start_mode(store))
    code = app.run(headless=bool(os.environ.get("KICKOFF_HEADLESS")))
    store.close()
    if isinstance(code, int) and code:
        sys.exit(code)
    if app.return_code:
        sys.exit(app.return_code)


def start_mode(store: Store) -> str | None:
    """ "inbox" when something is due for me today (the app opens there), unless config.toml
    says `open_on_inbox = false`; None (the board) otherwise or when it can't tell."""
    from kickoff_tui import config

    if config.get("open_on_inbox", True) is False:
        return None
    from kickoff_tui.store import inbox, people
    from kickoff_tui.store.errors import StoreError

    try:
        return "inbox" if inbox.due_for(store, inbox.today(store), people.me(store)) else None
    except StoreError:
        return None


def main(argv: list[str] | None = None) -> None:
    """The `kickoff` entry point: open the UI directly for `kickoff [--db PATH] [--read-only]`,
    hand anything else to the click command line."""
    args = sys.argv[1:] if argv is None else argv
    _refuse_undecodable(args)
    # Shell completion (`eval "$(_KICKOFF_COMPLETE=bash_source kickoff)"`) is click's job, even
    # with no arguments, which would otherwise open the UI.
    opened = None if "_KICKOFF_COMPLETE" in os.environ else _plain_open(args)
    if opened is None:
        from kickoff_tui.cli import main as click_main

        filter_output()
        click_main(args=args, prog_name="kickoff")
        return
    db, readonly = opened
    need_terminal()  # before a default workspace is created for nothing
    store = open_store(db, create_default=not readonly, readonly=readonly)
    run_app(store, welcome(store, db))


#: Variables kickoff reads; their text ends up in the workspace or in file names.
ENV_VARS = ("KICKOFF_USER", "KICKOFF_DB", "KICKOFF_CONFIG_DIR", "KICKOFF_DATA_DIR")


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that weren't UTF-8, kept by Python as lone surrogates
        return True
    return False


def _shown(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _refuse_undecodable(args: list[str]) -> None:
    """Exit with one sentence when an argument or a kickoff variable isn't UTF-8 text (it would
    otherwise fail half way, in SQLite or in a file name)."""
    for arg in args:
        if _undecodable(arg):
            fail(
                f"The argument {_shown(arg)!r} is not UTF-8 text (the terminal or script uses "
                "another encoding); retype it or set a UTF-8 locale.",
                2,
            )
    for name in ENV_VARS:
        value = os.environ.get(name)
        if value and _undecodable(value):
            fail(f"{name}={_shown(value)!r} is not UTF-8 text; set it again in UTF-8.", 2)


def _plain_open(args: list[str]) -> tuple[str | None, bool] | None:
    """(db, read_only) when `args` only opens a workspace; None for anything else."""
    db: str | None = None
    readonly = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--read-only" and not readonly:
            readonly = True
        elif arg == "--allow-network-db":
            os.environ["KICKOFF_ALLOW_NETWORK_DB"] = "1"
        elif arg == "--db" and rest and db is None and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > 5:
            db = arg[5:]
        else:
            return None
    return db, readonly
