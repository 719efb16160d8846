"""`kickoff people …`, `kickoff me` and `kickoff workspace …` run as a person (or a script) would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, **env),
        timeout=180,
    )


def fresh(tmp_path: Path) -> None:
    made = kickoff("init", "t.db", "--name", "T", "--kickoff-date", "2026-12-01")
    assert made.returncode == 0, made.stderr


def one_sentence(result: subprocess.CompletedProcess, text: str) -> None:
    assert result.returncode != 0
    assert result.stderr.strip() == f"kickoff: {text}"


def test_add_list_edit_deactivate(tmp_path: Path) -> None:
    fresh(tmp_path)
    added = kickoff("people", "add", "Ana Silva", "--role", "Product lead", "--db", "t.db")
    assert added.returncode == 0 and added.stdout.strip() == "Added Ana Silva as @ana."
    assert (
        kickoff("people", "add", "Ana Sousa", "--db", "t.db").stdout.strip()
        == "Added Ana Sousa as @anas."
    )
    edited = kickoff(
        "people", "edit", "anas", "--role", "Design", "--email", "as@example.com", "--db", "t.db"
    )
    assert edited.returncode == 0, edited.stderr
    table = kickoff("people", "list", "--db", "t.db").stdout.splitlines()
    assert table[0].split() == [
        "Handle",
        "Name",
        "Role",
        "Cards",
        "KRs",
        "Risks",
        "Blockers",
        "First",
        "action",
    ]
    assert table[2].split()[:4] == ["@anas", "Ana", "Sousa", "Design"]
    assert (
        kickoff("people", "deactivate", "@anas", "--db", "t.db").stdout.strip()
        == "@anas is deactivated."
    )
    listed = json.loads(kickoff("people", "list", "--json", "--db", "t.db").stdout)
    assert [p["handle"] for p in listed] == ["ana"]
    everyone = json.loads(kickoff("people", "list", "--json", "--all", "--db", "t.db").stdout)
    assert [(p["handle"], p["active"]) for p in everyone] == [("ana", True), ("anas", False)]
    assert everyone[1]["role"] == "Design" and everyone[1]["first_action"] == "none yet"


def test_bad_input_is_one_sentence_and_saves_nothing(tmp_path: Path) -> None:
    fresh(tmp_path)
    kickoff("people", "add", "Ana Silva", "--db", "t.db")
    one_sentence(kickoff("people", "add", "", "--db", "t.db"), "A person's name can't be empty.")
    one_sentence(
        kickoff("people", "add", "Ben", "--handle", "ben ok", "--db", "t.db"),
        "'ben ok' is not a handle: use up to 32 letters, digits, '.', '_' or '-' with "
        "no spaces, e.g. ana or ana.silva.",
    )
    one_sentence(
        kickoff("people", "add", "Ben", "--handle", "ANA", "--db", "t.db"),
        "@ana is already someone's handle; pick another.",
    )
    one_sentence(
        kickoff("people", "edit", "ana", "--email", "ana@x.org\x1b[31m", "--db", "t.db"),
        "'ana@x.org?[31m' is not an email address: it has control characters "
        "(a tab, line break or escape code).",
    )
    one_sentence(
        kickoff("people", "edit", "zed", "--role", "x", "--db", "t.db"),
        "There is nobody called 'zed' here (people: @ana).",
    )
    listed = json.loads(kickoff("people", "list", "--json", "--db", "t.db").stdout)
    assert [p["handle"] for p in listed] == ["ana"]
    assert listed[0]["email"] is None


def test_me_is_kept_on_this_machine(tmp_path: Path) -> None:
    fresh(tmp_path)
    kickoff("people", "add", "Ana Silva", "--db", "t.db")
    kickoff("people", "add", "Ben Okafor", "--db", "t.db")
    unknown = kickoff("me", "--db", "t.db", KICKOFF_USER="")
    one_sentence(unknown, "You are nobody in this workspace yet: say who with `kickoff me HANDLE`.")
    assert (
        kickoff("me", "ben", "--db", "t.db", KICKOFF_USER="").stdout.strip()
        == "On this machine you are Ben Okafor (@ben)."
    )
    assert (
        kickoff("me", "--db", "t.db", KICKOFF_USER="").stdout.strip()
        == "You are Ben Okafor (@ben)."
    )
    assert (
        kickoff("me", "--db", "t.db", KICKOFF_USER="ana").stdout.strip()
        == "You are Ana Silva (@ana) (from KICKOFF_USER)."
    )
    listed = json.loads(kickoff("people", "list", "--json", "--db", "t.db", KICKOFF_USER="").stdout)
    assert [p["handle"] for p in listed if p["me"]] == ["ben"]


def test_workspace_show_and_set(tmp_path: Path) -> None:
    fresh(tmp_path)
    one_sentence(
        kickoff("workspace", "set", "--timebox", "45", "--db", "t.db"),
        "The standup timebox must be 15 to 30 minutes, the guides' range for a "
        "tactical standup (got 45).",
    )
    one_sentence(
        kickoff("workspace", "set", "--timezone", "Mars/Base", "--db", "t.db"),
        "'Mars/Base' is not a time zone name; use one like Europe/Paris or UTC.",
    )
    one_sentence(
        kickoff("workspace", "set", "--standup-day", "someday", "--db", "t.db"),
        "'someday' is not a weekday; use mon, tue, wed, thu, fri, sat or sun.",
    )
    one_sentence(
        kickoff("workspace", "set", "--standup-time", "25:00", "--db", "t.db"),
        "'25:00' is not a time of day; use HH:MM, e.g. 09:30.",
    )
    saved = kickoff(
        "workspace",
        "set",
        "--timebox",
        "20",
        "--standup-day",
        "Tuesday",
        "--standup-time",
        "9:30",
        "--timezone",
        "Europe/Lisbon",
        "--purpose",
        "Ship Atlas",
        "--okr-review",
        "first Tuesday",
        "--pulse",
        "2w",
        "--db",
        "t.db",
    )
    assert saved.returncode == 0, saved.stderr
    shown = json.loads(kickoff("workspace", "show", "--json", "--db", "t.db").stdout)
    assert shown == {
        "name": "T",
        "purpose": "Ship Atlas",
        "kickoff_date": "2026-12-01",
        "timezone": "Europe/Lisbon",
        "standup_day": "tue",
        "standup_time": "09:30",
        "standup_timebox_min": 20,
        "okr_review_day": "first-tue",
        "review_time": None,
        "retro_every": None,
        "pulse_every": "fortnightly",
    }
    one_sentence(
        kickoff("workspace", "set", "--okr-review", "31st of never", "--db", "t.db"),
        "'31st of never' is not a day of the month; use a day (10, 31st: the last day in "
        "shorter months) or a weekday such as 'first Tuesday' or 'last Friday'.",
    )


def test_people_commands_do_not_import_textual(tmp_path: Path) -> None:
    fresh(tmp_path)
    code = (
        "import sys; from kickoff_tui.cli import main\n"
        "try:\n    main(['people', 'list', '--db', 't.db'])\nexcept SystemExit: pass\n"
        "try:\n    main(['workspace', 'show', '--db', 't.db'])\nexcept SystemExit: pass\n"
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_init_asks_for_name_and_date_in_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*kickoff_cmd(), "init", "asked.db"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=subprocess_env(),
        close_fds=True,
    )
    os.close(follower)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            chunk = os.read(leader, 1024)
            assert chunk, seen
            seen += chunk

    read_until(b"Workspace name")
    os.write(leader, b"Atlas launch\n")
    read_until(b"Kickoff date")
    os.write(leader, b"someday\n")
    read_until(b"is not a date")
    os.write(leader, b"2026-12-01\n")
    assert proc.wait(timeout=120) == 0
    os.close(leader)
    shown = json.loads(kickoff("workspace", "show", "--json", "--db", "asked.db").stdout)
    assert (shown["name"], shown["kickoff_date"]) == ("Atlas launch", "2026-12-01")


def test_init_without_a_terminal_names_the_missing_option(tmp_path: Path) -> None:
    result = subprocess.run(
        [*kickoff_cmd(), "init", "x.db", "--name", "X"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=subprocess_env(),
        timeout=120,
    )
    one_sentence(
        result,
        'Give --kickoff-date, e.g. kickoff init plan.db --name "Atlas launch" '
        "--kickoff-date 2026-12-01.",
    )
    assert not (tmp_path / "x.db").exists()


def test_people_show_md_is_the_person_page(tmp_path: Path) -> None:
    assert kickoff("demo", "--db", "demo.db", "--no-open").returncode == 0
    result = kickoff("people", "show", "@ben", "--md", "--db", "demo.db")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["# Ben Okafor", "", "@ben · Engineering lead · ben@example.com"]
    text = result.stdout
    for expected in (
        "## Why Atlas launch exists",
        "- O1 Launch self-serve onboarding",
        "## First action (within 72 h)",
        "- ⚠ late · #6 Draft the SOC 2 control list",
        "- #10 Run the load test at 3× traffic (blocked)",
        "- R · #10 Run the load test at 3× traffic",
        "## Key results",
        "## Risks",
        "## Open blockers",
        "## Decisions",
        "## Last 14 days",
    ):
        assert expected in text, expected
    missing = kickoff("people", "show", "zed", "--db", "demo.db")
    assert missing.returncode != 0 and missing.stderr.startswith(
        "kickoff: There is nobody called 'zed'"
    )
