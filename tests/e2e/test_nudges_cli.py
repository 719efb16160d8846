"""`kickoff nudges` run as the real entry point: exit codes for scripts, --json, --me, and
--post to a webhook served by the test itself (http.server in a thread)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.e2e.test_scripting_cli import kickoff


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    made = kickoff("demo", "--db", "demo.db", "--no-open")
    assert made.returncode == 0, made.stderr
    return tmp_path / "demo.db"


def test_exit_1_and_the_grouped_list_when_something_is_due(demo_db: Path) -> None:
    result = kickoff("nudges", "--db", str(demo_db))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["What", "#", "Title", "Why"]
    assert lines[1].startswith("Cards late") and "#6" in lines[1] and "Ben Okafor" in lines[1]
    assert "7 days late (was due Nov 16)" in lines[1]
    assert any(line.startswith("Decisions not published") for line in lines)
    assert result.stderr == ""


def test_json_is_the_same_list_and_me_is_only_mine(demo_db: Path) -> None:
    team = kickoff("nudges", "--json", "--db", str(demo_db))
    assert team.returncode == 1
    items = json.loads(team.stdout)
    assert {i["kind"] for i in items} >= {"card-late", "card-blocked", "kr-pace", "risk-review"}
    assert set(items[0]) == {
        "kind",
        "group",
        "ref",
        "title",
        "why",
        "person_id",
        "who",
        "since",
        "screen",
        "record_id",
        "key",
    }
    mine = kickoff("nudges", "--me", "--json", "--db", str(demo_db))  # KICKOFF_USER=ana
    assert mine.returncode == 1
    assert {i["who"] for i in json.loads(mine.stdout)} == {"Ana Silva"}
    assert len(json.loads(mine.stdout)) < len(items)


def test_exit_0_when_nothing_is_due(tmp_path: Path) -> None:
    made = kickoff("init", "ws.db", "--name", "Quiet", "--kickoff-date", "2026-11-20")
    assert made.returncode == 0, made.stderr
    result = kickoff("nudges", "--db", "ws.db")
    assert (result.returncode, result.stdout) == (0, "Nothing needs anyone today.\n")
    as_json = kickoff("nudges", "--json", "--db", "ws.db")
    assert (as_json.returncode, json.loads(as_json.stdout)) == (0, [])


def test_me_without_knowing_who_i_am_is_one_sentence(tmp_path: Path) -> None:
    kickoff("init", "ws.db", "--name", "Quiet", "--kickoff-date", "2026-11-20")
    result = kickoff("nudges", "--me", "--db", "ws.db", KICKOFF_USER="nobody-here")
    assert result.returncode == 2
    assert result.stderr.startswith("kickoff: You are nobody in this workspace yet")
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------- --post


class Hook:
    """A local webhook: records each request; answers `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, bytes]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hook.requests.append(
                    (self.headers.get("Content-Type", ""), self.rfile.read(length))
                )
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook?token=secret"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def hook() -> Iterator[Hook]:
    found = Hook()
    found.thread.start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _config(tmp_path: Path, url: str, fmt: str) -> None:
    folder = tmp_path / "config"  # KICKOFF_CONFIG_DIR (tests/conftest.py)
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(f'[notify]\nwebhook = "{url}"\nformat = "{fmt}"\n')


def test_post_sends_the_teams_list_once_per_item_per_day(
    tmp_path: Path, demo_db: Path, hook: Hook
) -> None:
    _config(tmp_path, hook.url, "slack")
    first = kickoff("nudges", "--post", "--db", str(demo_db))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Posted 20 items")
    assert len(hook.requests) == 1
    content_type, body = hook.requests[0]
    assert content_type == "application/json"
    text = json.loads(body)["text"]
    assert text.splitlines()[0] == "Atlas launch: 20 things need someone today"
    assert "• #6 Draft the SOC 2 control list — 7 days late (was due Nov 16) — Ben Okafor" in text

    again = kickoff("nudges", "--post", "--db", str(demo_db))
    assert (again.returncode, again.stdout) == (0, "Nothing new to post today.\n")
    assert len(hook.requests) == 1  # nothing sent twice on one day


def test_a_failed_post_is_one_sentence_and_marks_nothing(
    tmp_path: Path, demo_db: Path, hook: Hook
) -> None:
    _config(tmp_path, hook.url, "text")
    hook.status = 500
    failed = kickoff("nudges", "--post", "--db", str(demo_db))
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert "refused the message (HTTP 500). Nothing was marked as posted." in failed.stderr
    assert "secret" not in failed.stderr  # the token in the address is not printed

    hook.status = 200
    retried = kickoff("nudges", "--post", "--db", str(demo_db))
    assert retried.returncode == 0 and retried.stdout.startswith("Posted 20 items")
    content_type, body = hook.requests[-1]
    assert content_type.startswith("text/plain") and body.decode().startswith("Atlas launch")


def test_teams_format_and_an_unreachable_webhook(tmp_path: Path, demo_db: Path, hook: Hook) -> None:
    _config(tmp_path, hook.url, "teams")
    sent = kickoff("nudges", "--post", "--db", str(demo_db))
    assert sent.returncode == 0, sent.stderr
    card = json.loads(hook.requests[0][1])
    assert card["@type"] == "MessageCard" and "Cards late" in card["text"]

    _config(tmp_path, "http://127.0.0.1:9/nowhere", "slack")
    kickoff("card", "add", "Late too", "--due", "2026-11-01", "--db", str(demo_db))
    down = kickoff("nudges", "--post", "--db", str(demo_db))
    assert down.returncode == 1
    assert down.stderr.startswith("kickoff: Can't reach the webhook at http://127.0.0.1:9/nowhere")


def test_post_without_a_webhook_or_with_a_bad_one_says_so(tmp_path: Path, demo_db: Path) -> None:
    missing = kickoff("nudges", "--post", "--db", str(demo_db))
    assert missing.returncode == 2 and "No webhook set" in missing.stderr
    _config(tmp_path, "file:///etc/passwd", "slack")
    bad = kickoff("nudges", "--post", "--db", str(demo_db))
    assert (
        bad.returncode == 2
        and "The notify webhook in config.toml must be an http(s) address" in bad.stderr
    )
    _config(tmp_path, "https://example.com/x", "irc")
    wrong = kickoff("nudges", "--post", "--db", str(demo_db))
    assert (
        wrong.returncode == 2
        and "The notify format in config.toml is one of slack, teams, text" in wrong.stderr
    )
