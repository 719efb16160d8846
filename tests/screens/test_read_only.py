"""A read-only workspace: the banner says why (the flag, or the file's permissions), and every
key that would change something says "read-only" at once instead of opening a form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import ConfirmScreen, FormScreen
from tests.screens.helpers import shows, wait_for
from tests.store.test_open import unwritable

SAID = "Read-only: demo.db was opened with --read-only, so nothing can be changed."

#: (screen key, keys that would change something there)
KEYS = [
    ("1", ["n", "enter", "d", "space", "b", "r", "L", "J"]),
    ("2", ["c", "n", "o", "enter", "d"]),
    ("3", ["n", "e", "d", "shift+up"]),
    ("4", ["s", "B", "D", "c"]),
    ("6", ["n", "enter", "s", "p"]),
    ("7", ["n", "enter", "d", "f", "m"]),
    ("8", ["e", "enter", "n", "a", "d"]),
]


def counts(store: Store) -> tuple[int, int]:
    return (
        store.row("SELECT count(*) FROM operation")[0],
        store.row("SELECT count(*) FROM activity")[0],
    )


@pytest.mark.preload
async def test_read_only_flag_says_why_and_every_changing_key_refuses_at_once(demo: Store) -> None:
    demo.close()
    store = Store(demo.path, readonly=True)
    before = counts(store)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert shows(app, "Read-only: demo.db was opened with --read-only.")
        for screen_key, keys in KEYS:
            await pilot.press(screen_key)
            await pilot.pause()
            for key in keys:
                app.clear_notifications()
                await pilot.press(key)
                await pilot.pause()
                assert not isinstance(app.screen, (FormScreen, ConfirmScreen)), (screen_key, key)
                messages = [n.message for n in app._notifications]
                assert messages == [SAID], (screen_key, key, messages)
        # looking around still works: the filter, help, the OKR history
        await pilot.press("1", "slash", *"ana")
        await pilot.pause()
        assert app.screen.filter_text == "ana"
    assert counts(store) == before
    store.close()


async def test_a_file_you_cant_write_says_it_is_its_permissions(
    tmp_path: Path, demo: Store
) -> None:
    demo.close()
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "demo.db"
    shutil.copy(demo.path, path)
    with unwritable(path, folder):
        store = Store(path)
        app = KickoffApp(store, poll=False)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            assert shows(app, "Read-only: demo.db is read-only for you (the file's permissions).")
            await pilot.press("n")
            await pilot.pause()
            assert not isinstance(app.screen, FormScreen)
            assert [n.message for n in app._notifications] == [
                "Read-only: demo.db is read-only for you (the file's permissions), "
                "so nothing can be changed."
            ]
        store.close()
