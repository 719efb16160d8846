"""The system clipboard, through the desktop's own copy command (no Textual here).

Terminals pass OSC 52 clipboard requests on only sometimes (tmux by default, and several
terminals, ignore them), so the app first tries the desktop's clipboard program, as pyperclip
does — when the session is local (not over SSH) and that desktop is running — and only then
falls back to OSC 52, saying which was used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

#: (program and arguments, the environment variable its desktop sets; "" = always there).
COMMANDS: list[tuple[list[str], str]] = [
    (["wl-copy"], "WAYLAND_DISPLAY"),
    (["xclip", "-selection", "clipboard"], "DISPLAY"),
    (["xsel", "--clipboard", "--input"], "DISPLAY"),
]
if sys.platform == "darwin":
    COMMANDS.insert(0, (["pbcopy"], ""))


def over_ssh() -> bool:
    """Whether this terminal is a remote session (its clipboard is on another machine)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def copy(text: str) -> str | None:
    """Put `text` on the system clipboard; return the program that did it, or None.

    None when over SSH, when no desktop is running, or when no clipboard program is
    installed or it failed: the caller falls back to OSC 52.
    """
    if over_ssh():
        return None
    for command, needs in COMMANDS:
        if needs and not os.environ.get(needs):
            continue
        program = shutil.which(command[0])
        if program is None:
            continue
        try:
            done = subprocess.run(
                [program, *command[1:]],
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=2,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return command[0]
    return None
