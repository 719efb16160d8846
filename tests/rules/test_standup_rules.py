"""Standup rules: clocks, the yellow/red thresholds and the speaker order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from kickoff_tui.rules.standup import (
    format_clock,
    level,
    meeting_elapsed,
    move,
    shuffled,
    speaker_share,
    step,
    turn_seconds,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_clock_readings() -> None:
    assert format_clock(0) == "0:00"
    assert format_clock(7) == "0:07"
    assert format_clock(768) == "12:48"
    assert format_clock(-90) == "1:30"
    assert format_clock(3723) == "1:02:03"


def test_a_timer_turns_yellow_at_80_percent_and_red_when_over() -> None:
    assert level(0, 180) == "ok"
    assert level(143, 180) == "ok"
    assert level(144, 180) == "warn"
    assert level(180, 180) == "warn"
    assert level(181, 180) == "over"
    assert level(500, 0) == "ok"  # no timebox, no colour


def test_each_present_speaker_gets_a_fair_share_of_the_timebox() -> None:
    assert speaker_share(15, 5) == 180
    assert speaker_share(15, 4) == 225
    assert speaker_share(15, 0) == 900
    assert speaker_share(0, 3) == 0


def test_turn_time_adds_the_running_turn_to_what_was_banked() -> None:
    assert turn_seconds(40, None, T0) == 40
    assert turn_seconds(40, T0, T0 + timedelta(seconds=25)) == 65
    assert turn_seconds(None, T0, T0 - timedelta(seconds=5)) == 0  # a clock behind never goes back


def test_meeting_time_leaves_pauses_out() -> None:
    later = T0 + timedelta(minutes=10)
    assert meeting_elapsed(T0, later) == 600
    assert meeting_elapsed(T0, later, paused_seconds=120) == 480
    assert meeting_elapsed(T0, later, paused_seconds=60, paused_at=T0 + timedelta(minutes=8)) == 420
    ended = T0 + timedelta(minutes=14)
    assert meeting_elapsed(T0, T0 + timedelta(hours=3), ended_at=ended) == 840


def test_the_shuffle_is_stable_for_a_seed_and_keeps_everyone() -> None:
    people = [f"p{i}" for i in range(8)]
    one = shuffled(people, "Atlas/2026-11-23")
    assert one == shuffled(people, "Atlas/2026-11-23")
    assert sorted(one) == people
    assert any(shuffled(people, f"Atlas/2026-11-{d}") != one for d in range(10, 20))


def test_next_and_previous_skip_people_who_are_away() -> None:
    order = ["a", "b", "c", "d"]
    assert step(order, [], "a", 1) == "b"
    assert step(order, ["b"], "a", 1) == "c"
    assert step(order, ["b", "c"], "d", -1) == "a"
    assert step(order, [], "d", 1) is None  # past the last: everyone has spoken
    assert step(order, ["d"], None, -1) == "c"  # back from there: the last present speaker
    assert step(order, [], None, 1) is None
    assert step(order, [], "a", -1) == "a"  # nobody before the first
    assert step(order, ["a", "b", "c", "d"], "a", 1) is None
    assert step(order, [], "gone", 1) == "a"


def test_moving_a_speaker_stays_inside_the_list() -> None:
    assert move(["a", "b", "c"], "c", -1) == ["a", "c", "b"]
    assert move(["a", "b", "c"], "a", -1) == ["a", "b", "c"]
    assert move(["a", "b", "c"], "a", 5) == ["b", "c", "a"]
    assert move(["a", "b"], "x", 1) == ["a", "b"]


@given(
    st.lists(st.sampled_from("abcdefgh"), unique=True, min_size=1),
    st.sets(st.sampled_from("abcdefgh")),
)
def test_stepping_forward_visits_every_present_speaker_once(order, away) -> None:
    present = [p for p in order if p not in away]
    seen = []
    current = present[0] if present else None
    while current is not None:
        seen.append(current)
        current = step(order, sorted(away), current, 1)
    assert seen == present


def test_a_meeting_just_started_or_paused_at_once_has_used_no_time() -> None:
    """Mutation testing found these unchecked: a clock that starts at 0:01, not 0:00."""
    from datetime import datetime, timezone

    from kickoff_tui.rules.standup import meeting_elapsed

    start = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    assert meeting_elapsed(start, start) == 0
    five = start.replace(minute=5)
    assert meeting_elapsed(start, five, paused_at=five) == 300  # paused this very second
    assert meeting_elapsed(start, start.replace(minute=5), paused_seconds=300) == 0


def test_a_speakers_share_is_whole_seconds() -> None:
    from kickoff_tui.rules.standup import speaker_share

    assert speaker_share(15, 7) == 128  # 900 / 7 = 128.57…: whole seconds, rounded down
    assert isinstance(speaker_share(15, 7), int)
    assert speaker_share(15, 0) == 900 and speaker_share(0, 3) == 0


def test_a_one_second_limit_still_has_colours() -> None:
    assert level(0.5, 1) == "ok"
    assert level(1, 1) == "warn"
    assert level(2, 1) == "over"
