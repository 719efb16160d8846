"""Odd files and odd bytes from outside (issue 12): each is one sentence and a non-zero exit,
never a traceback, a hang or a half-made file. Run as a person would, through `kickoff`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import kickoff_cmd, subprocess_env


def kickoff(
    *args: str | bytes, cwd: Path | None = None, **env: str | bytes
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in subprocess_env().items()}
    environ.update(env)  # type: ignore[arg-type]
    return subprocess.run(
        [*kickoff_cmd(), *args], capture_output=True, cwd=cwd, env=environ, timeout=60
    )  # a hang fails here, not forever


def one_sentence(done: subprocess.CompletedProcess, *, code: int | None = None) -> str:
    err = done.stderr.decode("utf-8")
    assert done.returncode != 0, done
    if code is not None:
        assert done.returncode == code, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kickoff: "), err
    return lines[0]


@pytest.fixture
def attached(tmp_path: Path) -> tuple[Path, Path]:
    db, folder = tmp_path / "a.db", tmp_path / "shared"
    assert (
        kickoff("init", str(db), "--name", "Atlas", "--kickoff-date", "2026-10-17").returncode == 0
    )
    assert kickoff("sync", "init", str(folder), "--db", str(db)).returncode == 0
    return db, folder


@pytest.mark.parametrize(
    "content",
    [
        'format = "one"\nworkspace_id = "x"\n',  # a wrong type
        "workspace_id = 5\n",
        "x = " + "[" * 50_000 + "]" * 50_000 + "\n",  # too big to be real
        "x = " + "{a=" * 900 + "}" * 900 + "\n",  # nested past the parser's recursion limit
        'workspace_id = "\\udc00"\nbroken',
    ],
    ids=["wrong-type", "id-not-text", "huge", "deep", "not-toml"],
)
def test_a_hostile_workspace_toml_is_one_sentence(
    attached: tuple[Path, Path], tmp_path: Path, content: str
) -> None:
    db, folder = attached
    (folder / "workspace.toml").write_text(content)
    one_sentence(kickoff("sync", "--db", str(db)), code=11)
    joined = kickoff("sync", "join", str(folder), "--db", str(tmp_path / "b.db"))
    one_sentence(joined, code=11)
    assert not (tmp_path / "b.db").exists()


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_workspace_toml_that_never_ends_is_refused_without_reading(
    attached: tuple[Path, Path], kind: str
) -> None:
    db, folder = attached
    (folder / "workspace.toml").unlink()
    if kind == "fifo":
        os.mkfifo(folder / "workspace.toml")
    else:
        (folder / "workspace.toml").symlink_to("/dev/zero")
    assert "not a regular file" in one_sentence(kickoff("sync", "--db", str(db)), code=11)


def test_a_fifo_given_as_the_workspace_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.db")
    for args in (["check"], ["okr", "list"], ["export", "--format", "toml"]):
        assert "not a regular file" in one_sentence(
            kickoff(*args, "--db", str(tmp_path / "pipe.db"))
        )


def test_non_utf8_arguments_and_user_are_refused_before_anything_is_made(tmp_path: Path) -> None:
    target = tmp_path / "cafe.db"
    done = kickoff("init", str(target), "--name", b"Caf\xe9", "--kickoff-date", "2026-10-17")
    assert "not UTF-8" in one_sentence(done, code=2)
    assert not target.exists()
    done = kickoff(
        "init",
        str(target),
        "--name",
        "Café",
        "--kickoff-date",
        "2026-10-17",
        KICKOFF_USER=b"b\xe9n",
    )
    assert "KICKOFF_USER" in one_sentence(done, code=2)
    assert not target.exists()


def _export(tmp_path: Path) -> str:
    db = tmp_path / "src.db"
    assert (
        kickoff("init", str(db), "--name", "Atlas", "--kickoff-date", "2026-10-17").returncode == 0
    )
    assert (
        kickoff(
            "export", "--format", "toml", "--db", str(db), "--out", str(tmp_path / "src.toml")
        ).returncode
        == 0
    )
    return (tmp_path / "src.toml").read_text()


def test_a_deeply_nested_or_huge_number_import_is_one_sentence_and_makes_no_file(
    tmp_path: Path,
) -> None:
    text = _export(tmp_path)
    nested = text + "x = " + "[" * 5000 + "]" * 5000 + "\n"
    huge = text.replace("standup_timebox_min = 15", "standup_timebox_min = " + "9" * 30)
    assert huge != text
    for n, body in enumerate((nested, huge)):
        source = tmp_path / f"hostile{n}.toml"
        source.write_text(body)
        target = tmp_path / f"new{n}.db"
        one_sentence(kickoff("import", str(source), "--db", str(target)))
        assert not target.exists()
