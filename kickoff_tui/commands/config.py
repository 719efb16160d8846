"""`kickoff config`: where the settings file lives (for editing it, backing it up, dotfiles).

No Textual here.
"""

from __future__ import annotations

import click


@click.group("config")
def config_cmd() -> None:
    """Your settings file, config.toml (theme and other per-user settings)."""


@config_cmd.command("path")
def path() -> None:
    """Print the path of config.toml (it may not exist yet).

    \b
    Examples:
      kickoff config path
      $EDITOR "$(kickoff config path)"
    """
    from kickoff_tui import config

    click.echo(str(config.config_path()))
    config.load()  # a malformed file is said on stderr (exit 0: the path is what was asked)
