"""`kickoff pulse …` as a team would use it: open a pulse, four people answer (flags and the
prompt), the results show from the third answer, bad input is one sentence."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import FROZEN_NOW, kickoff_cmd, subprocess_env


def kickoff(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
        env=subprocess_env(KICKOFF_NOW=FROZEN_NOW, **env),
        timeout=180,
    )


def ok(*args: str, **kw: str) -> str:
    result = kickoff(*args, **kw)
    assert result.returncode == 0, result.stderr
    return result.stdout


def team(tmp_path: Path) -> None:
    ok("init", "t.db", "--name", "T", "--kickoff-date", "2026-11-01")
    for name in ("Ana Silva", "Ben Okafor", "Chloe Martin", "Dev Patel"):
        ok("people", "add", name, "--db", "t.db")


def test_a_pulse_opens_four_people_answer_and_the_results_show_from_three(
    tmp_path: Path,
) -> None:
    team(tmp_path)
    opened = ok("pulse", "open", "--db", "t.db")
    assert opened.strip() == (
        "Opened P1 (Mon 23 Nov – Sun 29 Nov): Energy, Focus, Support from the team, "
        "Clarity of the goals."
    )
    again = kickoff("pulse", "open", "--db", "t.db")
    assert again.returncode == 8
    assert "one pulse at a time" in again.stderr
    said = ok("pulse", "answer", "--answers", "4,3,5,4", "--db", "t.db", KICKOFF_USER="ana")
    assert "anyone with a copy of the workspace can read who answered what" in said
    ok("pulse", "answer", "--answers", "4 4 - 4", "--text", "Quiet hours", "--db", "t.db",
       KICKOFF_USER="ben")  # fmt: skip
    two = ok("pulse", "results", "--db", "t.db")
    assert "2 answered" in two and "Results show from 3 answers" in two
    assert "Energy" not in two
    assert json.loads(ok("pulse", "results", "--json", "--db", "t.db"))["questions"] == []
    # Chloé answers at the prompt: a bad number is asked again, enter skips a question.
    prompted = ok("pulse", "answer", "--db", "t.db", stdin="5\n9\n2\n\n4\nMore pairing\n",
                  KICKOFF_USER="chloe")  # fmt: skip
    assert "answer 1 to 5" not in prompted  # said on stderr
    assert "Saved your answer to P1." in prompted
    ok("pulse", "answer", "P1", "--answers", "3,3,3,3", "--db", "t.db", KICKOFF_USER="dev")
    data = json.loads(ok("pulse", "results", "--json", "--db", "t.db"))
    assert (data["answered"], data["shown"]) == (4, True)
    energy, focus, support, _clarity = data["questions"]
    assert (energy["average"], energy["counts"]) == (4.0, {"1": 0, "2": 0, "3": 1, "4": 2, "5": 1})
    assert (focus["average"], focus["answered"]) == (3.0, 4)
    assert (support["average"], support["answered"]) == (4.0, 2)  # two skipped it
    assert data["what_would_help"] == ["More pairing", "Quiet hours"]
    text = ok("pulse", "results", "--db", "t.db")
    assert "4 answered" in text and "Energy" in text and "- Quiet hours" in text


def test_bad_answers_and_an_unknown_me_save_nothing(tmp_path: Path) -> None:
    team(tmp_path)
    none_yet = kickoff("pulse", "answer", "--answers", "4,4,4,4", "--db", "t.db")
    assert none_yet.stderr.strip() == (
        "kickoff: There is no pulse yet; open one with `kickoff pulse open`."
    )
    ok("pulse", "open", "--db", "t.db")
    for answers, sentence in (
        ("4,4,4", "Give 4 answers, one per question"),
        ("4,4,4,6", "Clarity of the goals: answer 1 to 5 (got '6')."),
        ("-,-,-,-", "Answer at least one question (1–5)."),
    ):
        bad = kickoff("pulse", "answer", "--answers", answers, "--db", "t.db", KICKOFF_USER="ana")
        assert bad.returncode == 2 and sentence in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
    nobody = kickoff("pulse", "answer", "--answers", "4,4,4,4", "--db", "t.db", KICKOFF_USER="zed")
    assert nobody.returncode == 1 and "Say who you are first" in nobody.stderr
    ended = kickoff("pulse", "answer", "--db", "t.db", stdin="4\n", KICKOFF_USER="ana")
    assert ended.returncode == 1 and "Nothing saved." in ended.stderr
    listed = json.loads(ok("pulse", "list", "--json", "--db", "t.db"))
    assert listed[0]["answered"] == 0


def test_questions_change_before_a_pulse_opens(tmp_path: Path) -> None:
    team(tmp_path)
    ok("pulse", "open", "--on", "2026-11-25", "-q", "Energy", "-q", "Focus", "-q", "Sleep",
       "--db", "t.db")  # fmt: skip
    ok("pulse", "questions", "P1", "-q", "Energy", "-q", "Focus", "-q", "Joy", "--db", "t.db")
    (p,) = json.loads(ok("pulse", "list", "--json", "--db", "t.db"))
    assert (p["status"], p["questions"]) == ("scheduled", ["Energy", "Focus", "Joy"])
    early = kickoff("pulse", "answer", "--answers", "4,4,4", "--db", "t.db", KICKOFF_USER="ana")
    assert "P1 is scheduled" in early.stderr
