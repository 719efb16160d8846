"""Values already in the file that are well-typed but impossible (a teammate's sqlite-utils
edit: an unknown timezone, likelihood 99 or -3, residual 0, garbage timestamps) never stop the
app or a command: they show as `?` with a ⚠ (issue 12)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store
from tests.screens.helpers import screen_text, wait_for


def spoil(path: Path) -> None:
    """What `sqlite-utils` in a teammate's hands can leave in the file."""
    with sqlite3.connect(path) as c:
        c.execute("UPDATE workspace SET timezone = 'Mars/Olympus'")
        risks = [r[0] for r in c.execute("SELECT id FROM risk ORDER BY likelihood * impact DESC")]
        c.execute("UPDATE risk SET likelihood = 99 WHERE id = ?", (risks[0],))
        c.execute("UPDATE risk SET likelihood = -3 WHERE id = ?", (risks[1],))
        c.execute(
            "UPDATE risk SET residual_likelihood = 0, residual_impact = 0 WHERE id = ?", (risks[2],)
        )
        c.execute("UPDATE check_in SET at = 'garbage'")
        c.execute("UPDATE standup SET started_at = 'garbage'")
        c.execute("UPDATE blocker SET raised_at = 'garbage'")


@pytest.fixture
def spoiled(demo: Store) -> Store:
    path = demo.path
    demo.close()
    spoil(path)
    return Store(path)


@pytest.mark.parametrize(
    "args",
    [["okr", "list"], ["risk", "list"], ["export", "--format", "md"], ["minutes"], ["check"]],
)
def test_commands_show_impossible_values_and_never_crash(spoiled: Store, args: list[str]) -> None:
    from kickoff_tui.cli import main

    path = spoiled.path
    spoiled.close()
    done = CliRunner().invoke(main, ["--db", str(path), *args])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    assert done.exit_code == 0, done.output
    if args == ["risk", "list"]:
        assert "likelihood ?⚠ (stored 99)" in done.output
        assert "likelihood ?⚠ (stored -3)" in done.output
    if args == ["check"]:
        assert "Mars/Olympus" in done.output and "⚠" in done.output
    if args == ["minutes"]:
        assert "?⚠" in done.output


@pytest.mark.preload
async def test_the_app_starts_and_every_screen_opens_with_impossible_values(spoiled: Store) -> None:
    app = KickoffApp(spoiled, poll=False)
    async with app.run_test(size=(100, 32)) as pilot:
        for key in ("1", "2", "3", "4", "5", "6"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("3")
        assert await wait_for(
            pilot,
            lambda: (
                "likelihood ?" in screen_text(app)
                or "?⚠" in screen_text(app)
                or "⚠" in screen_text(app)
            ),
        )
    assert app.return_code in (None, 0)
