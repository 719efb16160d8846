"""`kickoff sync` run as a subprocess: teammates syncing through a folder and through git.

The git remote is a bare repository made in a tmp dir (no network).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from kickoff_tui.store import schema
from kickoff_tui.store.ops import Store
from tests.conftest import kickoff_cmd, subprocess_env

pytestmark = pytest.mark.tool("git")

GIT_ID = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def kickoff(*args: str, who: str = "ana") -> subprocess.CompletedProcess:
    return subprocess.run(
        [*kickoff_cmd(), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(KICKOFF_USER=who, **GIT_ID),
        timeout=120,
    )


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=subprocess_env(**GIT_ID),
        timeout=60,
    )


def dump(db: Path) -> dict:
    with Store(db) as s:
        return {
            t: [dict(r) for r in s.rows(f"SELECT * FROM {t} ORDER BY id")] for t in schema.TABLES
        }


def edit(db: Path, title: str, who: str) -> str:
    with Store(db, actor=who) as s:
        return s.create("card", {"title": title}, summary=f"Added {title}")


def start(tmp_path: Path, folder: Path) -> Path:
    ana = tmp_path / "ana.db"
    made = kickoff("init", str(ana), "--name", "Atlas", "--kickoff-date", "2026-10-17")
    assert made.returncode == 0, made.stderr
    attached = kickoff("sync", "init", str(folder), "--db", str(ana))
    assert attached.returncode == 0, attached.stderr
    assert "Teammates join with: kickoff sync join" in attached.stdout
    return ana


def test_two_workspaces_sync_through_a_shared_folder(tmp_path: Path) -> None:
    folder = tmp_path / "drive" / "atlas"
    ana = start(tmp_path, folder)
    assert (folder / "workspace.toml").is_file()
    joined = kickoff("sync", "join", str(folder), "--db", str(tmp_path / "ben.db"), who="ben")
    assert joined.returncode == 0, joined.stderr
    # the unit `sync init` counted ("N operations exported") is named next to the changes
    with Store(ana) as s:
        exported = s.row("SELECT count(*) FROM operation")[0]
    assert exported > 1  # one change wrote several operations
    assert f"Joined Atlas: 1 change from ana ({exported} operations)." in joined.stdout
    ben = tmp_path / "ben.db"
    for n in range(3):
        edit(ana, f"ana {n}", "ana")
    edit(ben, "ben 0", "ben")
    assert kickoff("sync", "--db", str(ana)).stdout.strip() == "nothing new"
    out = kickoff("sync", "--db", str(ben), who="ben")
    assert out.returncode == 0 and out.stdout.strip() == "3 changes from ana"
    out = kickoff("sync", "--db", str(ana))
    assert out.stdout.strip() == "1 change from ben"
    assert dump(ana) == dump(ben)
    again = kickoff("sync", "join", str(folder), "--db", str(ben), who="ben")
    assert again.returncode != 0 and "never overwrites" in again.stderr


def test_a_workspace_without_a_sync_folder_is_told_how_to_attach_one(tmp_path: Path) -> None:
    made = kickoff("init", "solo.db", "--name", "Solo", "--kickoff-date", "2026-10-17")
    assert made.returncode == 0
    out = kickoff("sync", "--db", "solo.db")
    assert out.returncode != 0 and out.stdout == ""
    assert out.stderr.strip() == (
        "kickoff: solo.db has no sync folder; attach one with `kickoff sync init DIR`."
    )
    missing = kickoff("sync", "join", str(tmp_path / "nowhere"), "--db", "x.db")
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1
    assert not Path("x.db").exists()


def test_three_clones_of_a_bare_repo_sync_in_any_order_without_git_conflicts(
    tmp_path: Path,
) -> None:
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    clones = []
    for who in ("ana", "ben", "cy"):
        git("clone", "-q", str(remote), str(tmp_path / who))
        clones.append(tmp_path / who)
    ana = start(tmp_path, clones[0] / "kickoff")
    dbs = [ana]
    for who, clone in zip(("ben", "cy"), clones[1:]):
        db = tmp_path / f"{who}.db"
        joined = kickoff("sync", "join", str(clone / "kickoff"), "--db", str(db), who=who)
        assert joined.returncode == 0, joined.stderr
        dbs.append(db)
    rng = random.Random(7)
    titles = set()
    for round_ in range(3):
        for who, db in zip(("ana", "ben", "cy"), dbs):  # offline edits everywhere
            edit(db, f"{who} {round_}", who)
            titles.add(f"{who} {round_}")
        order = list(zip(("ana", "ben", "cy"), dbs))
        rng.shuffle(order)
        for who, db in order:
            out = kickoff("sync", "--db", str(db), who=who)
            assert out.returncode == 0, out.stderr
    for who, db in zip(("ana", "ben", "cy"), dbs):  # one more pass so everyone has everything
        assert kickoff("sync", "--db", str(db), who=who).returncode == 0
    assert dump(dbs[0]) == dump(dbs[1]) == dump(dbs[2])
    with Store(dbs[2]) as s:
        assert {r[0] for r in s.rows("SELECT title FROM card")} == titles
    for clone in clones:
        assert git("status", "--porcelain", cwd=clone).stdout == ""
        assert "CONFLICT" not in git("log", "--oneline", cwd=clone).stdout


def test_a_rejected_push_is_retried_once(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    for who in ("ana", "ben", "cy"):
        git("clone", "-q", str(remote), str(tmp_path / who))
    ana = start(tmp_path, tmp_path / "ana" / "kickoff")
    ben = tmp_path / "ben.db"
    assert (
        kickoff(
            "sync", "join", str(tmp_path / "ben" / "kickoff"), "--db", str(ben), who="ben"
        ).returncode
        == 0
    )
    git("pull", "-q", cwd=tmp_path / "cy")
    # Just before ben's push, cy pushes (once): ben's push is rejected and must be retried.
    (tmp_path / "cy" / "note.txt").write_text("cy was here\n")
    git("add", "note.txt", cwd=tmp_path / "cy")
    git("commit", "-q", "-m", "cy", cwd=tmp_path / "cy")
    hook = tmp_path / "ben" / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        f"if [ ! -e '{tmp_path}/pushed' ]; then touch '{tmp_path}/pushed'; "
        f"git -C '{tmp_path}/cy' push -q >/dev/null 2>&1; fi\nexit 0\n"
    )
    hook.chmod(0o755)
    edit(ben, "ben's card", "ben")
    out = kickoff("sync", "--db", str(ben), who="ben")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "pushed").exists()
    assert kickoff("sync", "--db", str(ana)).stdout.strip() == "1 change from ben"
    assert (tmp_path / "ana" / "note.txt").read_text() == "cy was here\n"


@pytest.mark.parametrize("trouble", ["no remote", "remote gone"])
def test_git_errors_are_one_sentence_and_leave_the_workspace_untouched(
    tmp_path: Path, trouble: str
) -> None:
    repo = tmp_path / "repo"
    if trouble == "no remote":
        git("init", "-q", str(repo))
    else:
        remote = tmp_path / "remote.git"
        git("init", "-q", "--bare", str(remote))
        git("clone", "-q", str(remote), str(repo))
    ana = tmp_path / "ana.db"
    assert (
        kickoff("init", str(ana), "--name", "Atlas", "--kickoff-date", "2026-10-17").returncode == 0
    )
    attached = kickoff("sync", "init", str(repo / "kickoff"), "--db", str(ana))
    if trouble == "no remote":
        assert attached.returncode != 0
        assert attached.stderr.strip() == (
            "kickoff: The git repository has no remote to sync with; add one with "
            "`git remote add origin URL`, then run `kickoff sync` again."
        )
    else:
        assert attached.returncode == 0, attached.stderr
        shutil.rmtree(tmp_path / "remote.git")
    edit(ana, "offline work", "ana")
    before = dump(ana)
    out = kickoff("sync", "--db", str(ana))
    assert out.returncode == 12 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and out.stderr.startswith("kickoff: ")
    assert "Traceback" not in out.stderr
    assert dump(ana) == before


def test_a_workspace_on_a_sync_client_folder_is_refused_with_the_alternative(
    tmp_path: Path,
) -> None:
    (tmp_path / "OneDrive").mkdir()
    db = str(tmp_path / "OneDrive" / "plan.db")
    refused = kickoff("init", db, "--name", "X", "--kickoff-date", "2026-10-17")
    assert refused.returncode == 10
    assert "OneDrive folder" in refused.stderr and "kickoff sync init DIR" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    made = kickoff("--allow-network-db", "init", db, "--name", "X", "--kickoff-date", "2026-10-17")
    assert made.returncode == 0, made.stderr
    assert kickoff("check", "--db", db).returncode == 10
    assert kickoff("--allow-network-db", "check", "--db", db).returncode == 0


APP_EDITING = """
import asyncio, random, sys, time
from kickoff_tui.app import KickoffApp
from kickoff_tui.store.ops import Store

db, who, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
store = Store(db, actor=who)
app = KickoffApp(store)  # with its auto-sync loop on the shared folder
rng = random.Random(who)

async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        end, n = time.monotonic() + seconds, 0
        while time.monotonic() < end:
            n += 1
            app.session.edit(store.create, "card", {"title": f"{who} {n}"}, summary=f"Added {who} {n}")
            cards = [r[0] for r in store.rows("SELECT id FROM card WHERE deleted = 0")]
            app.session.edit(store.update, "card", rng.choice(cards),
                             {"state": rng.choice(["todo", "doing", "done"])}, summary="state")
            await pilot.pause(rng.uniform(0.05, 0.3))
        await pilot.pause(2.5)
    print(n)

asyncio.run(main())
"""


def test_two_apps_editing_on_one_shared_folder_for_10_s_end_identical(tmp_path: Path) -> None:
    import sys

    from kickoff_tui.store import sync

    folder = tmp_path / "drive"
    ana = start(tmp_path, folder)
    ben = tmp_path / "ben.db"
    assert kickoff("sync", "join", str(folder), "--db", str(ben), who="ben").returncode == 0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", APP_EDITING, str(db), who, "10"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(KICKOFF_HEADLESS="1"),
        )
        for db, who in ((ana, "ana"), (ben, "ben"))
    ]
    made = {}
    for proc, who in zip(procs, ("ana", "ben")):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        made[who] = int(out.strip().splitlines()[-1])
    assert made["ana"] > 10 and made["ben"] > 10
    for db, other in ((ana, "ben"), (ben, "ana")):  # the apps' own loop brought them in
        with Store(db) as s:
            seen = s.row("SELECT count(*) FROM card WHERE title LIKE ?", (other + " %",))[0]
        assert seen >= made[other] - 15
    for db in (ana, ben, ana):
        with Store(db) as s:
            sync.sync(s)
    assert dump(ana) == dump(ben)
    with Store(ana) as s:
        titles = {r[0] for r in s.rows("SELECT title FROM card")}
    expected = {f"{who} {n}" for who, count in made.items() for n in range(1, count + 1)}
    assert expected <= titles  # nothing lost


def test_sync_does_not_import_textual(tmp_path: Path) -> None:
    ana = start(tmp_path, tmp_path / "drive")
    probe = subprocess.run(
        [
            *kickoff_cmd()[:1],
            "-c",
            "import sys\nfrom kickoff_tui.launch import main\n"
            f"try:\n    main(['sync', '--db', {str(ana)!r}])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert probe.stdout.strip().splitlines() == ["nothing new", "[]"], probe.stderr


def test_control_characters_from_a_log_never_reach_the_terminal(tmp_path: Path) -> None:
    """An author name and a log's file name are a teammate's text: `kickoff sync` shows their
    escape sequences as symbols, and the workspace stores the author without them."""
    import json

    folder = tmp_path / "drive" / "atlas"
    ana = start(tmp_path, folder)
    header = json.loads((next((folder / "ops").glob("*.jsonl"))).read_text().splitlines()[0])
    evil = "\x1b]0;pwned\x07\x1b[2J"
    op = {
        "id": "mallory:1",
        "hlc": "001790000000000-00000",
        "by": f"mal{evil}lory",
        "table": "card",
        "row_id": "c-evil",
        "field": "*",
        "value": {"title": "Hi"},
        "base": [],
        "tx": None,
    }
    log = folder / "ops" / f"mallory{evil}.jsonl"
    log.write_bytes(
        (
            json.dumps({**header, "replica": "mallory"})
            + "\n"
            + json.dumps(op)
            + "\n"
            + "not json\n"
        ).encode()
    )
    done = subprocess.run(
        [*kickoff_cmd(), "sync", "--db", str(ana)],
        capture_output=True,
        env=subprocess_env(KICKOFF_USER="ana"),
        timeout=120,
    )
    out = done.stdout + done.stderr
    assert b"\x1b" not in out and b"\x07" not in out, out
    assert "␛]0;pwned␇".encode() in done.stderr  # the file name, shown, in the bad line's report
    assert b"1 change from mallory" in done.stdout
    with Store(ana) as s:
        assert s.get("card", "c-evil")["updated_by"] == "mallory"


def test_a_copied_workspace_on_git_is_exit_9_and_leaves_the_clone_clean(tmp_path: Path) -> None:
    """Two machines with one replica id (the .db was copied) both append to one log: git can't
    merge it. That is the documented replica clash (exit 9), and the clone is left as it was."""
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote))
    for who in ("one", "two"):
        git("clone", "-q", str(remote), str(tmp_path / who))
    ana = start(tmp_path, tmp_path / "one" / "kickoff")
    git("pull", "-q", cwd=tmp_path / "two")
    copy = tmp_path / "copy.db"
    shutil.copy(ana, copy)  # the second laptop: same file, same replica id
    assert (
        kickoff("sync", "init", str(tmp_path / "two" / "kickoff"), "--db", str(copy)).returncode
        == 0
    )
    edit(ana, "from the first laptop", "ana")
    assert kickoff("sync", "--db", str(ana)).returncode == 0
    edit(copy, "from the copy", "ana")
    for attempt in (1, 2):  # and the same again next time, never a different error
        out = kickoff("sync", "--db", str(copy))
        assert out.returncode == 9, out.stderr
        assert "same replica id" in out.stderr and "kickoff sync join" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
        assert git("status", "--porcelain", cwd=tmp_path / "two").stdout == "", attempt
        assert not (tmp_path / "two" / ".git" / "MERGE_HEAD").exists()
