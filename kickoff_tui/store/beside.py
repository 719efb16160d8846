"""Files written beside the workspace file: published decisions, standup minutes.

Terminal clipboards are unreliable (tmux drops them by default), so what the app copies is also
written to ``<workspace>-<what>/`` next to the ``.kickoff`` file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kickoff_tui.store.ops import Store


def slug(text: str, max_len: int = 40) -> str:
    """A file-name-safe ASCII slug of a title ('Delay annual plans…' -> 'delay-annual-plans')."""
    spaced = re.sub(r"[^\w]+", " ", text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_len].rstrip("-") or "decision"


def folder_beside(store: Store, what: str) -> Path:
    """`<workspace>-<what>/` beside the workspace file, e.g. plan-decisions/ or plan-minutes/."""
    path = store.path.resolve()
    return path.with_name(f"{path.stem}-{what}")


def write_beside(store: Store, what: str, name: str, text: str) -> Path:
    """Write `text` to `<workspace>-<what>/<name>` (replacing an earlier one); return the path.

    Terminal clipboards are unreliable (tmux drops them by default), so what the app copies is
    also written here. Raises OSError when the folder can't be written.
    """
    folder = folder_beside(store, what)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return target
