"""The table of binding ids as the code declares it (for tests/test_keymap.py, and to rewrite
kickoff_tui/keymap.py's KEYS: `python -m tests.keymap_table`)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import kickoff_tui.screens
import kickoff_tui.widgets


def declared() -> list[tuple[str, str, str]]:
    """(id, keys, description) of every binding kickoff's classes declare, one row per id (the
    keys of bindings sharing an id joined), in module order."""
    names = ["kickoff_tui.app"] + [
        f"{package.__name__}.{info.name}"
        for package in (kickoff_tui.screens, kickoff_tui.widgets)
        for info in pkgutil.iter_modules(package.__path__)
    ]
    rows: dict[str, tuple[list[str], str]] = {}
    for name in names:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), (cls, binding)
                assert binding.id, f"{cls.__name__}: {binding.key} -> {binding.action} has no id"
                keys, what = rows.setdefault(binding.id, ([], ""))
                keys.extend(k.strip() for k in binding.key.split(",") if k.strip() not in keys)
                if not what:
                    what = binding.tooltip or binding.description
                    rows[binding.id] = (keys, what)
    return [(bid, ",".join(keys), what) for bid, (keys, what) in rows.items()]


if __name__ == "__main__":
    for row in declared():
        print(f"    {row!r},")
