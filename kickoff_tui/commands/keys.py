"""`kickoff keys`: every key binding's id, default keys and what it does, for `[keymap]` in
config.toml (`kickoff keys --json` for scripts). Read from the plain table in
`kickoff_tui/keymap.py`; no Textual here."""

from __future__ import annotations

import click

from kickoff_tui.cli import echo_json, echo_table, json_option, not_found


@click.command("keys")
@click.argument("prefix", required=False, default="")
@json_option
def keys(prefix: str, as_json: bool) -> None:
    """List the key bindings' ids (those starting with PREFIX, e.g. `board`), their keys and
    what they do. Remap one in config.toml:

    \b
      [keymap]
      "board.new" = "a"
      "list.down" = "n,j"

    \b
    Examples:
      kickoff keys
      kickoff keys board
      kickoff keys --json
    """
    from kickoff_tui.keymap import KEYS

    rows = [row for row in KEYS if row[0].startswith(prefix)]
    if not rows:
        areas = sorted({bid.partition(".")[0] for bid, _, _ in KEYS})
        not_found(f"No key binding id starts with {prefix!r}; the areas are {', '.join(areas)}.")
    if as_json:
        echo_json([{"id": bid, "keys": k, "description": what} for bid, k, what in rows])
        return
    echo_table(("ID", "KEYS", "WHAT IT DOES"), rows, fill=2)
