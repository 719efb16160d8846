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


def load() -> dict[str, Any]:
    """The settings, or {} when there are none or the file can't be read as TOML."""
    try:
        with config_path().open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
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
    """Change one setting, keeping the others."""
    settings = load()
    if settings.get(key) == value:
        return True
    settings[key] = value
    return save(settings)
