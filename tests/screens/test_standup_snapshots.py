"""Snapshots of the standup during and after the meeting, small and large (frozen clock).

Review a changed snapshot by eye (`pytest --snapshot-report`) before accepting it with
`pytest --snapshot-update`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Input

from kickoff_tui import clock
from kickoff_tui.app import KickoffApp
from kickoff_tui.store import standups
from kickoff_tui.store.ops import Store
from tests.conftest import FROZEN_NOW

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload

SIZES = [(80, 24), (120, 40)]
START = clock._parse(FROZEN_NOW)


def at(seconds: int) -> None:
    clock.freeze(START + timedelta(seconds=seconds))


def person(store: Store, handle: str) -> str:
    return store.row("SELECT id FROM person WHERE handle = ?", (handle,))["id"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_during(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    """Ben's turn, over his share; Ana spoke first; a blocker was raised in the meeting."""
    app = KickoffApp(demo, poll=False)

    async def run_before(pilot) -> None:
        at(0)
        await pilot.press("4", "s")
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.press(*"Brief v2 shared", "enter", *"SRE shortlist call with recruiter")
        at(130)
        await pilot.press("ctrl+right")  # Chloé
        sid = standups.running(demo)["id"]
        app.session.edit(standups.give_floor, demo, sid, person(demo, "ben"))
        await pilot.pause()
        app.screen.query_one("#field-done").focus()  # Ben types on the shared screen
        await pilot.pause()
        await pilot.press(*"Status page live", "enter", *"Load test on staging")
        app.session.edit(
            standups.raise_blocker,
            demo,
            text="Staging cluster needs a bigger quota",
            raised_by=person(demo, "ben"),
            standup_id=sid,
        )
        at(130 + 200)
        await pilot.pause()
        app.screen.tick()

    assert snap_compare(app, run_before=run_before, terminal_size=size)


def run_standup(store: Store) -> None:
    """A whole standup on the demo: four speak, one is away, two blockers (one left unowned),
    a decision and a check-in; ended anyway."""
    ids = {h: person(store, h) for h in ("ana", "ben", "chloe", "dev", "eunji")}
    at(0)
    sid = standups.start(store, ids["ana"])
    standups.set_away(store, sid, ids["eunji"], True)
    standups.save_field(store, sid, ids["ana"], "done", "Brief v2 shared")
    at(110)
    standups.step_speaker(store, sid, 1)
    at(250)
    standups.step_speaker(store, sid, 1)
    speaker = standups.get(store, sid)["current_speaker_id"]
    standups.raise_blocker(
        store,
        text="Staging cluster needs a bigger quota",
        raised_by=speaker,
        owner_id=ids["dev"],
        standup_id=sid,
    )
    standups.record_decision(
        store,
        title="Load test on staging, not prod",
        outcome="Book the staging cluster for Thursday",
        owner_id=ids["ben"],
        due=date(2026, 11, 26),
        rag="yellow",
        standup_id=sid,
    )
    kr = store.row("SELECT id FROM key_result WHERE title = 'Paying teams'")["id"]
    standups.check_in(store, kr, value=7, confidence=4, author_id=ids["eunji"])
    at(420)
    standups.step_speaker(store, sid, 1)
    standups.raise_blocker(
        store, text="Legal hasn't reviewed the DPA", raised_by=ids["chloe"], standup_id=sid
    )
    at(560)
    standups.step_speaker(store, sid, 1)
    at(700)
    standups.end(store, sid, anyway=True)
    at(760)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_after(snap_compare, demo: Store, size: tuple[int, int]) -> None:
    run_standup(demo)
    app = KickoffApp(demo, poll=False)
    assert snap_compare(app, press=["4"], terminal_size=size)
