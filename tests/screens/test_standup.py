"""The standup screen driven with the keys a facilitator and the speakers press."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import Input

from kickoff_tui import clock
from kickoff_tui.app import KickoffApp
from kickoff_tui.store import standups
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import FormScreen
from kickoff_tui.widgets.speakers import SpeakerList
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for

#: These tests switch main screens: the app builds screens in the background (tests/conftest.py).
pytestmark = pytest.mark.preload

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def at(seconds: float) -> None:
    clock.freeze(T0 + timedelta(seconds=seconds))


@pytest.fixture
def trio(workspace: Store) -> tuple[Store, dict[str, str]]:
    """Three people; this machine's user is Ana."""
    at(0)
    with workspace.transaction() as tx:
        ids = {
            h: tx.create("person", {"handle": h, "name": n, "role": r})
            for h, n, r in (
                ("ana", "Ana Silva", "Lead"),
                ("ben", "Ben Okafor", "Eng"),
                ("cho", "Chloé Martin", "Design"),
            )
        }
    workspace.actor = "ana"
    return workspace, ids


def names(store: Store) -> dict[str, str]:
    return {r["id"]: r["name"] for r in store.rows("SELECT id, name FROM person")}


def field(app: KickoffApp, name: str) -> Input:
    return app.screen.query_one(f"#field-{name}", Input)


def entry(store: Store, sid: str, pid: str) -> dict:
    return standups.entries(store, sid).get(pid) or {}


async def pick(pilot, downs: int) -> None:
    """Choose the option `downs` rows below the first in the focused Select."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*["down"] * downs, "enter")
    await pilot.pause()


async def test_a_whole_standup_with_three_people(trio) -> None:
    store, ids = trio
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4")
        assert shows(app, "No standups yet. s start today's standup")
        await pilot.press("s")
        running = standups.running(store)
        order = json.loads(running["speaker_order"])
        who = names(store)
        assert running["facilitator_id"] == ids["ana"]
        assert shows(app, f"▶ {who[order[0]]}") and shows(app, "15:00 left of 15:00")
        # the first speaker's first field has focus: typing goes straight in
        assert app.focused is field(app, "done")
        await pilot.press(*"Shipped the wizard")
        await pilot.press("enter")
        assert app.focused is field(app, "next")
        await pilot.press(*"Pricing page")
        await pilot.press("ctrl+right")  # next speaker, from inside a field
        assert await wait_for(pilot, lambda: shows(app, f"▶ {who[order[1]]}"))
        first = entry(store, running["id"], order[0])
        assert (first["done"], first["next"]) == ("Shipped the wizard", "Pricing page")
        assert app.focused is field(app, "done") and field(app, "done").value == ""
        await pilot.press(*"Interviews")
        await pilot.press("escape")  # leaves the field
        assert isinstance(app.focused, SpeakerList)
        assert entry(store, running["id"], order[1])["done"] == "Interviews"
        await pilot.press("space")  # outside a field: next speaker
        assert await wait_for(pilot, lambda: shows(app, f"▶ {who[order[2]]}"))
        await pilot.press("escape")

        # a blocker raised from the entry, without an owner yet
        await pilot.press("B")
        await pilot.pause()
        await pilot.press(*"Need prod access")
        await pilot.press("ctrl+s")
        await pilot.pause()
        blocker = store.row("SELECT * FROM blocker WHERE text = 'Need prod access'")
        assert blocker["raised_by"] == order[2] and blocker["standup_id"] == running["id"]
        assert blocker["owner_id"] is None
        assert shows(app, "Open blockers (1)") and shows(app, "Need prod access no owner")

        # a decision: title, outcome, owner (the speaker by default), due, RAG
        await pilot.press("D")
        await pilot.pause()
        await pilot.press(
            *"Use staging for the load test", "tab", *"Cheaper", "tab", "tab", *"+4d", "ctrl+s"
        )
        await pilot.pause()
        decision = store.row("SELECT * FROM decision WHERE title LIKE 'Use staging%'")
        assert (
            decision["status"],
            decision["rag"],
            decision["owner_id"],
            decision["due"],
            decision["outcome"],
            decision["standup_id"],
        ) == ("accepted", "green", order[2], "2026-11-27", "Cheaper", running["id"])

        # ending is refused while the blocker has no owner, and says which one
        await pilot.press("e")
        await pilot.pause()
        assert standups.get(store, running["id"])["ended_at"] is None
        assert shows(app, "The standup can't end yet")
        assert shows(app, "B1 Need prod access")
        # o gives it an owner (the unowned blocker is picked already)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("tab")
        await pick(pilot, 1)  # Ben Okafor (people are listed by name)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.get("blocker", blocker["id"])["owner_id"] == ids["ben"]
        at(400)
        await pilot.press("e")
        assert await wait_for(pilot, lambda: shows(app, "Who spoke (3)"))
        ended = standups.get(store, running["id"])
        assert ended["ended_at"] == clock.iso() and ended["ended_unowned"] == 0
        text = screen_text(app)
        assert "Need prod access · owner Ben Okafor" in text
        assert "Use staging for the load test: Cheaper" in text
        # escape goes back to the list of past standups
        await pilot.press("escape")
        await pilot.pause()
        assert shows(app, "Past standups") and shows(app, "S1 Mon 23 Nov 2026")


async def test_the_timers_count_from_the_clock_and_turn_yellow_then_red(trio) -> None:
    store, ids = trio
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "s")
        screen = app.screen
        turn = screen.query_one("#turn-clock")
        meeting = screen.query_one("#meeting-clock")
        assert shows(app, "0:00 of 5:00")  # 15 minutes over three people
        at(150)
        assert await wait_for(pilot, lambda: shows(app, "2:30 of 5:00"))  # the 1 s repaint
        assert not turn.has_class("-warn") and shows(app, "12:30 left of 15:00")
        at(245)
        assert await wait_for(pilot, lambda: turn.has_class("-warn"))
        assert shows(app, "4:05 of 5:00") and not turn.has_class("-over")
        at(305)
        assert await wait_for(pilot, lambda: turn.has_class("-over"))
        await pilot.press("escape", "space")
        assert await wait_for(pilot, lambda: shows(app, "0:00 of 5:00"))
        order = json.loads(standups.running(store)["speaker_order"])
        assert entry(store, standups.running(store)["id"], order[0])["speak_seconds"] == 305
        at(725)
        assert await wait_for(pilot, lambda: meeting.has_class("-warn"))
        assert shows(app, "2:55 left of 15:00")
        # pause: both clocks stop
        await pilot.press("escape", "p")
        await pilot.pause()
        assert shows(app, "paused (p resumes)")
        at(725 + 600)
        screen.tick()
        assert shows(app, "2:55 left of 15:00") and shows(app, "7:00 of 5:00")
        await pilot.press("p")
        at(725 + 600 + 240)
        assert await wait_for(pilot, lambda: shows(app, "1:05 over the 15:00 timebox"))
        assert meeting.has_class("-over")


async def test_typed_text_is_in_the_database_before_the_next_key(trio) -> None:
    store, ids = trio
    reader = Store(store.path)  # another connection, as a crash-surviving file sees it
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "s")
        running = standups.running(store)
        speaker = running["current_speaker_id"]
        typed = "On it [b]x[/b] 50%"
        began = time.monotonic()
        for n, key in enumerate(typed, start=1):
            await pilot.press(key)
            # in this machine's draft, or already in the entry if the 1 s save just ran
            drafts = {
                (d.person_id, d.field): d.text for d in standups.drafts(reader, running["id"])
            }
            saved = drafts.get((speaker, "done"), entry(reader, running["id"], speaker).get("done"))
            # (a saved entry is trimmed: the field itself keeps the trailing space being typed)
            assert saved in (typed[:n], typed[:n].strip())
        # and it becomes the entry (an operation teammates receive) once the typing pauses
        assert await wait_for(
            pilot, lambda: entry(reader, running["id"], speaker).get("done") == typed
        )
        assert standups.drafts(reader, running["id"]) == []
        seconds = time.monotonic() - began
        ops = reader.row(
            "SELECT count(*) FROM operation WHERE tbl = 'standup_entry' AND field = 'done'"
        )[0]
        # at most one write a second while typing, and the last one: not one per key
        assert ops <= int(seconds) + 2
    reader.close()


async def test_typing_a_crash_left_unsaved_is_restored_on_start(trio) -> None:
    store, ids = trio
    sid = standups.start(store, ids["ana"])
    speaker = standups.get(store, sid)["current_speaker_id"]
    standups.save_draft(store, sid, speaker, "next", "half a sentence before the cras")
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert field(app, "next").value == "half a sentence before the cras"
        assert entry(store, sid, speaker)["next"] == "half a sentence before the cras"
        assert shows(app, "Restored typing that hadn't been saved")


async def test_two_people_see_the_same_standup_and_keep_their_own_typing(trio) -> None:
    store, ids = trio
    sid = standups.start(store, ids["ana"])
    standups.give_floor(store, sid, ids["ben"])
    app = KickoffApp(store)  # polling on, as in real use
    ben = Store(store.path, actor="ben")  # Ben's app, on the same file
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert shows(app, "▶ Ben Okafor")
        # Ana's cursor sits in Ben's "done" field: what Ben types on his machine shows up there
        field(app, "done").focus()
        await pilot.pause()
        standups.save_field(ben, sid, ids["ben"], "done", "Status page live")
        assert await wait_for(pilot, lambda: field(app, "done").value == "Status page live")
        # Ana adds to it; Ben's machine sees her words
        await pilot.press("end", *", SLOs next")
        assert await wait_for(
            pilot, lambda: entry(ben, sid, ids["ben"]).get("done") == "Status page live, SLOs next"
        )
        await pilot.press(*" and more")  # still typing when Ben's own edits arrive
        standups.save_field(ben, sid, ids["ben"], "next", "Ben's plan")
        standups.save_field(ben, sid, ids["ben"], "done", "Ben's version")
        assert await wait_for(pilot, lambda: field(app, "next").value == "Ben's plan")
        # the field she is typing in is never replaced under her
        assert field(app, "done").value == "Status page live, SLOs next and more"
        assert app.focused is field(app, "done")
        # Ben moves the meeting on to Ana: her screen follows, her first field has focus
        standups.give_floor(ben, sid, ids["ana"])
        assert await wait_for(pilot, lambda: shows(app, "▶ Ana Silva"))
        assert app.focused is field(app, "done") and field(app, "done").value == ""
        # what she had typed for Ben was saved for Ben before the switch
        assert entry(ben, sid, ids["ben"])["done"] == "Status page live, SLOs next and more"
        # and Ben's speaker change over there doesn't steal focus from someone else's field
        field(app, "next").focus()
        await pilot.press(*"x")
        standups.give_floor(ben, sid, ids["cho"])
        assert await wait_for(pilot, lambda: shows(app, "▶ Chloé Martin"))
        assert isinstance(app.focused, SpeakerList)
        assert entry(ben, sid, ids["ana"])["next"] == "x"
    ben.close()


async def test_ending_anyway_records_the_unowned_blockers(trio) -> None:
    store, ids = trio
    sid = standups.start(store, ids["ana"])
    standups.raise_blocker(store, text="Nobody owns this", raised_by=ids["cho"], standup_id=sid)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "escape", "E")
        assert await wait_for(pilot, lambda: shows(app, "Who spoke"))
        assert standups.get(store, sid)["ended_unowned"] == 1
        assert shows(app, "⚠ Ended with 1 blocker still without an owner")
        assert shows(app, "Nobody owns this · no owner")


async def test_the_speaker_order_can_be_edited_during_the_meeting(trio) -> None:
    store, ids = trio
    sid = standups.start(store, ids["ana"])
    order = json.loads(standups.get(store, sid)["speaker_order"])
    who = names(store)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "escape")
        speakers = app.screen.query_one(SpeakerList)
        assert speakers.has_focus and speakers.highlighted == 0
        await pilot.press("shift+down")  # first speaker moves one later
        await pilot.pause()
        assert json.loads(standups.get(store, sid)["speaker_order"]) == [
            order[1],
            order[0],
            order[2],
        ]
        await pilot.press("end", "a")  # the last one is away
        await pilot.pause()
        assert json.loads(standups.get(store, sid)["away"]) == [order[2]]
        assert shows(app, f"{who[order[2]]} away")
        await pilot.press("home", "enter")  # the floor to the highlighted person
        await pilot.pause()
        assert standups.get(store, sid)["current_speaker_id"] == order[1]
        assert app.focused is field(app, "done")
        await pilot.press("ctrl+right")
        assert await wait_for(pilot, lambda: shows(app, f"▶ {who[order[0]]}"))
        await pilot.press("ctrl+right")  # skips the away person: everyone has spoken
        assert await wait_for(pilot, lambda: shows(app, "Everyone has spoken"))
        await pilot.press("ctrl+left")
        assert await wait_for(pilot, lambda: shows(app, f"▶ {who[order[0]]}"))
        await pilot.press("escape", "enter")  # enter on the speaker who has the floor
        assert app.focused is field(app, "done")


async def test_a_key_result_check_in_without_leaving_the_screen(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    kr = demo.row("SELECT * FROM key_result WHERE title = 'Weekly activated teams'")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "s", "escape")
        await pilot.pause()
        speaker = standups.running(demo)["current_speaker_id"]
        assert speaker == kr["owner_id"]  # Ana speaks first on the demo's day
        await pilot.press("c")
        await pilot.pause()
        # Ana has one key result: its form opens at once, prefilled from her last check-in
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-value", Input).value == "71"
        assert app.screen.query_one("#field-confidence", Input).value == "6"
        await pilot.press(*"75", "tab", *"7", "tab", *"Two [big] teams", "ctrl+s")
        await pilot.pause()
        assert app.screen.LABEL == "Standup"
        after = demo.get("key_result", kr["id"])
        assert (after["current"], after["confidence"]) == (75.0, 7)
        latest = demo.row(
            "SELECT * FROM check_in WHERE key_result_id = ? ORDER BY at DESC, "
            "created_at DESC LIMIT 1",
            (kr["id"],),
        )
        assert (latest["value"], latest["note"], latest["author_id"]) == (
            75.0,
            "Two [big] teams",
            speaker,
        )
        assert await wait_for(
            pilot, lambda: shows(app, "KR1 Weekly activated teams 75 teams · 44% · 7/10 · today")
        )


async def test_a_speaker_with_several_key_results_picks_one_then_checks_it_in(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    ben = demo.row("SELECT id FROM person WHERE handle = 'ben'")[0]
    uptime = demo.row("SELECT * FROM key_result WHERE title = 'API uptime'")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "s", "escape")
        await pilot.pause()
        while standups.running(demo)["current_speaker_id"] != ben:
            await pilot.press("ctrl+right")
            await pilot.pause()
        await pilot.press("escape", "c")
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        assert shows(app, "Which key result?")
        await pilot.press("ctrl+s")  # Ben's first key result is offered: API uptime
        assert await wait_for(pilot, lambda: shows(app, "Check in KR4 API uptime"))
        assert app.screen.query_one("#field-value", Input).value == "99.95"
        await pilot.press("ctrl+u", *"2", "ctrl+s")  # uptime is a percentage, 2 is allowed
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert demo.get("key_result", uptime["id"])["current"] == 2.0
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.get("key_result", uptime["id"])["current"] == 99.95


async def test_before_a_standup_the_past_ones_and_open_blockers_are_listed(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        text = screen_text(app)
        assert "S2  Mon 16 Nov 2026" in text and "S1  Mon 9 Nov 2026" in text
        assert "Open blockers (3) · 1 without an owner past their day" in text
        assert "⚠ no owner" in text and "Analytics vendor contract" in text
        assert "Load-test environment not provisioned" in text and "7d" in text
        app.screen.query_one("#past-table").focus()
        await pilot.press("down", "enter")  # S1, the older one
        assert await wait_for(pilot, lambda: shows(app, "Standup of Mon 9 Nov 2026"))
        assert shows(app, "Waiting on the security review for SSO · resolved")
        await pilot.press("escape")
        await pilot.pause()
        assert shows(app, "Past standups")


async def test_while_typing_in_a_field_end_blocker_and_decision_stay_in_reach(trio) -> None:
    """The footer showed only "^→ Next" in a field (e, B and D type text there): it shows
    "esc e End", "esc B Blocker", "esc D Decision", and esc then the key does it."""
    store, ids = trio
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("s")
        assert await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"Bed")  # text, not keys
        await pilot.pause()
        assert app.focused.value == "Bed"
        footer = screen_text(app).splitlines()[-1]
        for hint in ("esc e End", "esc B Blocker", "esc D Decision"):
            assert hint in footer
        await pilot.press("alt+shift+d")  # esc and D typed together, as a terminal sends them
        assert await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        assert shows(app, "Record a decision")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        footer = screen_text(app).splitlines()[-1]  # out of the field: the plain keys
        assert "D Decision" in footer and "esc D" not in footer


async def test_m_writes_the_minutes_beside_the_workspace_and_says_where(demo: Store) -> None:
    """The clipboard is often out of reach (tmux): the minutes are also written to a file, and
    the message names it (it named a command that prints rather than writes)."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("4")
        await pilot.pause()
        app.screen.query_one("#past-table").focus()
        await pilot.press("enter")  # S2, the latest
        assert await wait_for(pilot, lambda: shows(app, "Standup of Mon 16 Nov 2026"))
        await pilot.press("m")
        await pilot.pause()
        path = demo.path.resolve().with_name("demo-minutes") / "S2-2026-11-16.md"
        assert path.read_text(encoding="utf-8").startswith("# ")
        said = [n.message for n in app._notifications][-1]
        assert str(path) in said and "--last" not in said


async def test_since_last_standup_shows_what_moved_for_the_speaker(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    ben = demo.row("SELECT id FROM person WHERE handle = 'ben'")["id"]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "s")
        sid = standups.running(demo)["id"]
        app.session.edit(standups.give_floor, demo, sid, ben)
        assert await wait_for(pilot, lambda: shows(app, "▶ Ben Okafor"))
        text = screen_text(app)
        assert "Since the last standup (Mon 16 Nov)" in text
        assert "#10 Run the load test at 3× traffic  doing → blocked" in text
        assert "#9 Status page and uptime alerts  doing → done" in text
        assert "KR4 API uptime 99.95 % · 100% · 8/10 · 2 days ago" in text
        assert "B2 Load-test environment not provisioned · Dev Patel" in text


async def test_markup_looking_text_is_shown_as_typed(trio) -> None:
    store, ids = trio
    with store.transaction() as tx:
        tx.update("person", ids["ben"], {"name": "[b]Ben[/b]"})
        card = tx.create("card", {"title": MARKUP_CORPUS[5], "owner_id": ids["ben"]})
    sid = standups.start(store, ids["ana"])
    standups.give_floor(store, sid, ids["ben"])
    standups.raise_blocker(
        store,
        text=MARKUP_CORPUS[3],
        raised_by=ids["ben"],
        card_id=card,
        owner_id=ids["ana"],
        standup_id=sid,
    )
    standups.record_decision(
        store, title=MARKUP_CORPUS[4], outcome=MARKUP_CORPUS[1], owner_id=ids["ben"], standup_id=sid
    )
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        field(app, "done").focus()  # Ana types into Ben's entry for him
        await pilot.press(*MARKUP_CORPUS[6])
        text = screen_text(app)
        assert "▶ [b]Ben[/b]" in text
        assert MARKUP_CORPUS[3] in text  # the blocker, in the list and in "since last"
        assert field(app, "done").value == MARKUP_CORPUS[6]
        await pilot.press("escape", "e")
        assert await wait_for(pilot, lambda: shows(app, "Who spoke"))
        text = screen_text(app)
        for shown in (MARKUP_CORPUS[3], MARKUP_CORPUS[4], MARKUP_CORPUS[1], "[b]Ben[/b]"):
            assert shown in text, shown
        assert app.is_running


async def test_a_read_only_workspace_shows_the_standup_but_cant_run_it(demo: Store) -> None:
    standups.start(demo)
    demo.close()
    store = Store(demo.path, readonly=True)
    app = KickoffApp(store, poll=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert shows(app, "▶ Ana Silva")
        assert field(app, "done").disabled
        await pilot.press("space")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [
            "Read-only: demo.db was opened with --read-only, so nothing can be changed."
        ]
        assert shows(app, "▶ Ana Silva")
    store.close()
