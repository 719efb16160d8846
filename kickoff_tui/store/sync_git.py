"""Sync through a git repository: commit the folder, pull, import what came, push.

A pull that stops mid-merge is aborted, so the clone stays clean; a rejected push is retried
once after pulling and importing again. Every git failure becomes one sentence (GitError).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from kickoff_tui.store.errors import ReplicaClash
from kickoff_tui.store.ops import Store
from kickoff_tui.store.sync_import import import_logs
from kickoff_tui.store.sync_state import (
    GIT_TIMEOUT,
    OPS_DIR,
    GitError,
    SyncResult,
)


def _git(root: Path | str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for a password on a terminal
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed, so a sync folder inside a git repository can't sync."
        ) from None
    except subprocess.TimeoutExpired:
        raise GitError(
            f"git {args[0]} took over {GIT_TIMEOUT} s (is the remote reachable?); nothing was imported."
        ) from None
    if check and done.returncode != 0:
        raise GitError(_git_sentence(args[0], done.stderr or done.stdout))
    return done


def git_root(folder: Path) -> Path | None:
    """The top of the git work tree `folder` (or its nearest existing parent) is in, or None."""
    folder = Path(folder)
    while not folder.is_dir() and folder.parent != folder:
        folder = folder.parent
    try:
        done = _git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    if done.returncode != 0:
        return None
    return Path(done.stdout.strip())


def _git_sentence(cmd: str, stderr: str) -> str:
    text = stderr.lower()
    if "no remote" in text or "no configured push destination" in text or "no such remote" in text:
        return (
            "The git repository has no remote to sync with; add one with "
            "`git remote add origin URL`, then run `kickoff sync` again."
        )
    if (
        "does not appear to be a git repository" in text
        or "repository not found" in text
        or ("not found" in text and "repository" in text)
    ):
        return "The git remote can't be found (check `git remote -v`); nothing was imported."
    if (
        "authentication failed" in text
        or "permission denied" in text
        or "could not read username" in text
        or "terminal prompts disabled" in text
    ):
        return "git could not log in to the remote (check your credentials or SSH key); nothing was imported."
    if (
        "could not resolve host" in text
        or "unable to access" in text
        or "connection refused" in text
        or "timed out" in text
        or "network is unreachable" in text
    ):
        return "The git remote can't be reached (offline?); your changes are saved locally and will sync next time."
    if "would be overwritten" in text or "conflict" in text or "unmerged" in text:
        return (
            f"git {cmd} stopped on changes outside the sync folder (a merge conflict or "
            "uncommitted files); settle them in git, then run `kickoff sync` again."
        )
    if "please tell me who you are" in text:
        return (
            "git needs your name and email first: `git config --global user.email you@example.com`."
        )
    last = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    detail = last[-1] if last else "no message"
    return f"git {cmd} failed ({detail}); nothing was imported."


def _git_commit(root: Path, folder: Path, store: Store) -> bool:
    rel = os.path.relpath(folder, root)
    _git(root, "add", "-A", "--", rel)
    if _git(root, "diff", "--cached", "--quiet", "--", rel, check=False).returncode == 0:
        return False
    ident: list[str] = []
    if not _git(root, "config", "user.email", check=False).stdout.strip():
        ident = [
            "-c",
            f"user.name={store.actor}",
            "-c",
            f"user.email={store.actor}@kickoff.invalid",
        ]
    _git(
        root,
        *ident,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        f"kickoff sync: {store.actor} ({store.replica})",
        "--",
        rel,
    )
    return True


def _upstream(root: Path) -> tuple[str, str] | None:
    """(remote, branch) to pull from and push to; None when the branch has no remote yet."""
    done = _git(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
    if done.returncode == 0 and "/" in done.stdout.strip():
        remote, _, branch = done.stdout.strip().partition("/")
        return remote, branch
    return None


def _branch(root: Path) -> str:
    done = _git(root, "symbolic-ref", "--short", "HEAD", check=False)
    return done.stdout.strip() or "main"


def _remote(root: Path) -> str:
    remotes = _git(root, "remote").stdout.split()
    if not remotes:
        raise GitError(_git_sentence("pull", "no remote"))
    return "origin" if "origin" in remotes else remotes[0]


def _git_pull(root: Path) -> None:
    up = _upstream(root)
    if up is None:
        remote, branch = _remote(root), _branch(root)
        heads = _git(root, "ls-remote", "--heads", remote, branch).stdout
        if not heads.strip():
            return  # an empty remote: the first push creates the branch
        args = ["pull", "-q", "--no-rebase", "--no-edit", remote, branch]
    else:
        args = ["pull", "-q", "--no-rebase", "--no-edit"]
    done = _git(root, *args, check=False)
    if done.returncode != 0:
        _merge_conflict(root)
        raise GitError(_git_sentence("pull", done.stderr or done.stdout))


def _merge_conflict(root: Path) -> None:
    """After a failed pull: if git stopped mid-merge, undo the merge (the clone is left as it
    was) and raise the sentence that fits. A conflict in a log means two machines wrote one
    log, i.e. they share a replica id (a copied .db): the documented replica clash."""
    unmerged = _git(root, "diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
    if not unmerged:
        return
    _git(root, "merge", "--abort", check=False)
    logs = [p for p in unmerged if p.endswith(".jsonl") and f"/{OPS_DIR}/" in f"/{p}"]
    if logs:
        raise ReplicaClash(
            f"{logs[0]} was written on two machines: they are using the same replica id (a "
            "copied workspace file). Give one of them a fresh copy with `kickoff sync join`; "
            "the git merge was undone."
        )
    raise GitError(
        f"git pull stopped on a merge conflict in {unmerged[0]}, outside kickoff's "
        "logs; the merge was undone. Settle it in git, then run `kickoff sync` again."
    )


def _git_push(root: Path, folder: Path, store: Store, result: SyncResult) -> str:
    for attempt in (1, 2):
        up = _upstream(root)
        if up is None:
            remote = _remote(root)
            args = ["push", "-q", "-u", remote, f"HEAD:{_branch(root)}"]
        else:
            args = ["push", "-q"]
        done = _git(root, *args, check=False)
        if done.returncode == 0:
            return "pushed" if attempt == 1 else "pushed after a retry"
        text = (done.stderr or "").lower()
        rejected = "rejected" in text or "fetch first" in text or "non-fast-forward" in text
        if not rejected or attempt == 2:
            message = _git_sentence("push", done.stderr or done.stdout)
            if rejected:
                message = (
                    "git push was rejected twice (others are pushing); run `kickoff sync` again."
                )
            raise GitError(message.replace("nothing was imported", "the import is kept locally"))
        _git_pull(root)  # someone pushed first: take theirs, import, try once more
        import_logs(store, folder, result)
    return ""
