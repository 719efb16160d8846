"""User settings: a small TOML file in the platform's config folder (theme, who I am).

Read with the standard library's tomllib, written with tomli-w. `KICKOFF_CONFIG_DIR` and
`KICKOFF_DATA_DIR` move the folders (tests and portable installs use them).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

APP_NAME = "kickoff-tui"


def config_dir() -> Path:
    env = os.environ.get("KICKOFF_CONFIG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Where the default and demo workspaces live when no other path is given."""
    env = os.environ.get("KICKOFF_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.toml"


#: The sentence about an unreadable config.toml, once it has been said on stderr.
_reported: str | None = None


def problem() -> str | None:
    """One sentence when config.toml exists but can't be used (the defaults apply), else None."""
    path = config_path()
    try:
        with path.open("rb") as f:
            tomllib.load(f)
    except FileNotFoundError:
        return None
    except tomllib.TOMLDecodeError as exc:
        reason = "".join(ch if ch.isprintable() else "?" for ch in str(exc))
        return f"{path} is not valid TOML ({reason}), so the default settings are used; fix or delete it."
    except UnicodeDecodeError:
        return f"{path} is not UTF-8 text, so the default settings are used; fix or delete it."
    except OSError as exc:
        return f"Can't read {path} ({exc.strerror or exc}), so the default settings are used."
    return None


def load() -> dict[str, Any]:
    """The settings, or {} when there are none or the file can't be read as TOML.

    A malformed file is said once per run on stderr (see `problem`) and never overwritten.
    """
    global _reported
    try:
        with config_path().open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
        sentence = problem()
        if sentence and sentence != _reported:
            _reported = sentence
            import sys

            sys.stderr.write(f"kickoff: {sentence}\n")
        return {}
    return data if isinstance(data, dict) else {}


def save(settings: dict[str, Any]) -> bool:
    """Write the settings atomically; False (and nothing lost) if the folder isn't writable."""
    import tomli_w

    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(tomli_w.dumps(settings), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return False
    return True


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def set_value(key: str, value: Any) -> bool:
    """Change one setting, keeping the others; False (the file untouched) when config.toml
    exists but can't be read, so a typo never costs the rest of the file."""
    if problem():
        return False
    settings = load()
    if settings.get(key) == value:
        return True
    settings[key] = value
    return save(settings)
