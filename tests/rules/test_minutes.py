"""Standup minutes exactly as pasted into chat: every line a reader sees. Pure and fast (the
store and screen tests cover where the facts come from)."""

from __future__ import annotations

from datetime import date

from kickoff_tui.rules.minutes import (
    BlockerNote,
    CheckinNote,
    DecisionNote,
    Minutes,
    SpeakerNote,
    day_label,
    render,
)

HELD = date(2026, 11, 23)


def full() -> Minutes:
    return Minutes(
        workspace="Atlas *launch*",
        held_on=HELD,
        start="09:00",
        end="09:17",
        tz="Europe/Paris",
        seconds=14 * 60 + 31,
        paused_seconds=150,
        timebox_min=15,
        facilitator="Ana",
        speakers=[
            SpeakerNote("Ana", 185, done="Shipped #12", next="Load test\nat 3x"),
            SpeakerNote("Ben", 62),
        ],
        away=["Chloé", "Dev_ops"],
        blockers=[
            BlockerNote(
                "B3",
                "VPN [down]",
                raised_by="Ben",
                card="#10 Run the load test",
                card_rag="red",
                owner_due=date(2026, 11, 24),
                overdue=True,
            ),
            BlockerNote("B4", "Waiting on legal", owner="Ana"),
            BlockerNote("B5", "Old one", resolved=True, owner="Ana"),
        ],
        decisions=[
            DecisionNote(
                "D5",
                "Go live Friday",
                outcome="Yes",
                owner="Ana",
                due=date(2026, 11, 27),
                rag="green",
                status="accepted",
            ),
            DecisionNote("D6", "Pick a CDN", status="proposed"),
        ],
        checkins=[
            CheckinNote(
                "KR1",
                "Teams onboarded",
                "75",
                unit="teams",
                confidence=7,
                author="Ben",
                note="on *track*",
            ),
            CheckinNote("KR2", "Latency", "120"),
        ],
        ended_unowned=True,
    )


def test_full_minutes_line_by_line() -> None:
    assert render(full()) == (
        "# Standup minutes: Atlas \\*launch\\*, Mon 23 Nov 2026\n"
        "\n"
        "- When: Mon 23 Nov 2026, 09:00–09:17 Europe/Paris (15 min of a 15 min timebox, "
        "2 min paused)\n"
        "- Facilitator: Ana\n"
        "- Present (2): Ana, Ben\n"
        "- Away: Chloé, Dev\\_ops\n"
        "\n"
        "> ⚠ Ended with 1 blocker still without an owner.\n"
        "\n"
        "## Decisions (2)\n"
        "\n"
        "- ●G **D5** Go live Friday — outcome: Yes · owner: Ana · due Fri 27 Nov 2026 · RAG green\n"
        "- · **D6** Pick a CDN · owner: **none** · no deadline · RAG none · proposed\n"
        "\n"
        "## Blockers (3)\n"
        "\n"
        "- ■R **B3** VPN \\[down\\] — raised by Ben · **no owner**, needed by the end of "
        "Tue 24 Nov (overdue) · card #10 Run the load test (RAG red)\n"
        "- ▲Y **B4** Waiting on legal · owner: Ana\n"
        "- ●G **B5** Old one · resolved\n"
        "\n"
        "## Key-result check-ins (2)\n"
        "\n"
        "- **KR1** Teams onboarded: 75 teams · confidence 7/10 · by Ben — “on \\*track\\*”\n"
        "- **KR2** Latency: 120\n"
        "\n"
        "## Updates\n"
        "\n"
        "**Ana** · 3:05\n"
        "\n"
        "- Done: Shipped #12\n"
        "- Next: Load test / at 3x\n"
        "\n"
        "**Ben** · 1:02\n"
        "\n"
        "- (nothing written)\n"
    )


def test_empty_minutes_of_a_running_standup() -> None:
    m = Minutes(
        workspace="W",
        held_on=HELD,
        start="09:00",
        end=None,
        tz="UTC",
        seconds=30,
        paused_seconds=59,
        timebox_min=15,
    )
    assert render(m) == (
        "# Standup minutes: W, Mon 23 Nov 2026\n"
        "\n"
        "- When: Mon 23 Nov 2026, from 09:00 UTC (still running) (0 min of a 15 min timebox)\n"
        "- Present (0): nobody\n"
        "\n"
        "## Decisions (0)\n"
        "\n"
        "- none\n"
        "\n"
        "## Blockers (0)\n"
        "\n"
        "- none\n"
        "\n"
        "## Key-result check-ins (0)\n"
        "\n"
        "- none\n"
        "\n"
        "## Updates\n"
    )


def lines(m: Minutes) -> list[str]:
    return render(m).splitlines()


def test_a_minute_of_pause_is_mentioned_and_blockers_are_counted() -> None:
    m = full()
    m.paused_seconds = 60
    m.seconds = 90
    m.blockers.append(BlockerNote("B6", "No room"))
    assert (
        "- When: Mon 23 Nov 2026, 09:00–09:17 Europe/Paris (2 min of a 15 min timebox, "
        "1 min paused)" in lines(m)
    )
    assert "> ⚠ Ended with 2 blockers still without an owner." in lines(m)
    # A blocker without an owner and no day set: just that.
    assert "- ■R **B6** No room · **no owner**" in lines(m)
    assert [b.ref for b in m.unowned] == ["B3", "B6"]
    m.blockers = [BlockerNote("B4", "Waiting", owner="Ana")]
    assert "> ⚠ Ended with 0 blockers still without an owner." in lines(m)
    m.ended_unowned = False
    assert not any(line.startswith("> ") for line in lines(m))


def test_blocker_details() -> None:
    b = BlockerNote("B7", "Disk", card="#2 Disks", owner_due=date(2026, 11, 24))
    assert b.rag == "red"
    m = full()
    m.blockers = [b]
    assert (
        "- ■R **B7** Disk · **no owner**, needed by the end of Tue 24 Nov · card #2 Disks"
        in lines(m)
    )


def test_decision_status_shown_unless_accepted() -> None:
    m = full()
    m.decisions = [
        DecisionNote("D1", "A", status="superseded", rag="red", owner="Ben"),
        DecisionNote("D2", "B", status="accepted", rag="yellow"),
        DecisionNote("D3", "C"),
    ]
    assert "- ■R **D1** A · owner: Ben · no deadline · RAG red · superseded" in lines(m)
    assert "- ▲Y **D2** B · owner: **none** · no deadline · RAG yellow" in lines(m)
    assert "- · **D3** C · owner: **none** · no deadline · RAG none" in lines(m)


def test_a_speakers_blockers_and_confidence_zero() -> None:
    m = full()
    m.speakers = [SpeakerNote("Chloé", 3725, blockers="VPN")]
    m.checkins = [CheckinNote("KR3", "Uptime", "99.9", unit="%", confidence=0)]
    out = lines(m)
    assert "**Chloé** · 1:02:05" in out
    assert "- Blockers: VPN" in out
    assert "- **KR3** Uptime: 99.9 % · confidence 0/10" in out
    assert "- Present (1): Chloé" in out


def test_day_label() -> None:
    assert day_label(date(2026, 12, 3)) == "Thu 3 Dec 2026"
    assert day_label(date(2026, 12, 3), year=False) == "Thu 3 Dec"
