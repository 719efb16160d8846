"""`kickoff serve`: the app in a browser tab (textual-serve), for sharing a review.

textual-serve is an optional extra; without it the command says how to install it. Each browser
tab runs its own `python -m kickoff_tui --db <file>` on this machine, on the same workspace file.
"""

from __future__ import annotations

import shlex
import sys

import click

from kickoff_tui.cli import _db, db_option, fail, open_store
from kickoff_tui.launch import unfilter_output

INSTALL_HINT = (
    "Browser mode needs textual-serve, an optional extra: pip install 'kickoff-tui[serve]'"
)


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (keep 127.0.0.1 unless you mean to share it).",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Browser tabs served at once (each runs the app in its own process).",
)
@db_option
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, max_sessions: int, db: str | None) -> None:
    """Serve the app to a browser tab on this machine (needs the serve extra)."""
    try:
        from kickoff_tui.webserve import GuardedServer, is_loopback
    except ImportError:
        fail(INSTALL_HINT, 2)
    # Open (and check) the workspace here, so a bad path is one sentence now, and the browser's
    # app opens the very same file whatever its working folder.
    store = open_store(_db(ctx, db), create_default=True)
    path = store.path.resolve()
    name = store.workspace().get("name") or path.stem
    store.close()
    command = shlex.join([sys.executable, "-m", "kickoff_tui", "--db", str(path)])
    server = GuardedServer(
        command, host=host, port=port, title=f"kickoff — {name}", max_sessions=max_sessions
    )
    if not is_loopback(host):
        click.echo(
            f"kickoff: WARNING: --host {host} can be reached from other machines.\n"
            "kickoff: WARNING: anyone with the link below can read and edit this workspace.\n"
            "kickoff: WARNING: its token is the only lock; plain http is not encrypted.",
            err=True,
        )
    click.echo(f"Serving {name} from {path}; ctrl+c stops.")
    click.echo("Open this link (it holds this run's token):")
    click.echo(f"  {server.url}")
    sys.stdout.flush()
    unfilter_output()  # the server's log is coloured by Rich; it shows request text itself
    try:
        server.serve()
    except OSError as exc:
        fail(f"Can't listen on {host}:{port}: {exc.strerror or exc}.", 2)
