"""Syncing while the app is open: a shared folder every ~2 s, git on demand (`S`) or on an
interval, always in a worker thread; the last sync time and state go to the nav bar.

The app owns one :class:`AutoSync`; it talks to the store only through store.sync.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from kickoff_tui import clock, config
from kickoff_tui.store import sync
from kickoff_tui.store.errors import StoreError

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.ops import Store

#: A shared folder is polled this often while the app is open.
FOLDER_SECONDS = 2.0


def _hhmm(iso: str | None, tz: str) -> str:
    if not iso:
        return ""
    try:
        from zoneinfo import ZoneInfo

        at = datetime.fromisoformat(iso).astimezone(ZoneInfo(tz))
    except (ValueError, KeyError):
        return iso[11:16]
    return at.strftime("%H:%M")


class AutoSync:
    """Runs :func:`store.sync.sync` off the UI thread and reports what it did."""

    def __init__(self, app: KickoffApp) -> None:
        self.app = app
        self.kind: str | None = None
        self.running = False
        self.again = False
        self.failed: str | None = None
        self.warned: set[str] = set()

    @property
    def store(self) -> Store:
        return self.app.session.store

    def start(self) -> None:
        """Start polling if the workspace has a sync folder; show the last sync state."""
        if self.store.readonly or sync.folder_of(self.store) is None:
            return
        self.kind = self.store.meta(sync.K_KIND) or "folder"
        at, state = sync.status(self.store)
        if at:
            self._show(at, None if (state or "ok").startswith("ok") else state)
        if self.kind == "folder":
            self.app.set_interval(FOLDER_SECONDS, self.tick, name="sync")
            self.tick()
        else:
            minutes = config.get("git_sync_minutes", 0)
            if isinstance(minutes, (int, float)) and minutes > 0:
                self.app.set_interval(minutes * 60, self.tick, name="sync")

    def after_edit(self) -> None:
        """A local edit: a shared folder gets it right away, so teammates see it sooner."""
        if self.kind == "folder":
            self.tick()

    def tick(self, *, manual: bool = False) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        self.app.run_worker(
            lambda: self._work(manual), thread=True, group="sync", name="sync", exit_on_error=False
        )

    def now(self) -> None:
        """`S`: sync now (git included), with a notification of what came in."""
        if self.store.readonly:
            self.app.notify("This workspace is read-only, so it can't sync.", markup=False)
            return
        if sync.folder_of(self.store) is None:
            self.app.notify(
                "This workspace has no sync folder yet: run `kickoff sync init DIR` "
                "(a folder on a shared drive, or inside a git repository).",
                title="Sync",
                markup=False,
                timeout=8,
            )
            return
        self.kind = self.kind or self.store.meta(sync.K_KIND) or "folder"
        self.app.set_status("syncing…")
        self.tick(manual=True)

    # ------------------------------------------------------------------ in the worker thread

    def _work(self, manual: bool) -> None:
        try:
            result = sync.sync(self.store)
        except StoreError as exc:
            self._back(self._failed, exc.message, manual)
        except Exception as exc:  # noqa: BLE001 - a sync problem must never end the app
            self._back(self._failed, f"sync failed: {exc}", manual)
        else:
            self._back(self._done, result, manual)

    def _back(self, fn: Callable[..., object], *args: object) -> None:
        """Hand the outcome to the UI thread, unless the app has closed meanwhile (the sync
        itself is safe to cut at any point: the next one carries on)."""
        try:
            self.app.call_from_thread(fn, *args)
        except RuntimeError:
            pass

    # ------------------------------------------------------------------ back on the UI thread

    def _finish(self) -> None:
        self.running = False
        if self.again:
            self.again = False
            self.tick()

    def _show(self, at: str | None, problem: str | None, conflicts: int = 0) -> None:
        tz = self.app.session.workspace.get("timezone") or "UTC"
        # Short enough for the 12 columns the nav bar (7 tabs) leaves at 80x24.
        if problem:
            text = "sync failed"
        elif conflicts:
            text = f"⚠{conflicts} · {_hhmm(at, tz)}"
        else:
            text = f"synced {_hhmm(at, tz)}"
        self.app.set_status(text)

    def _done(self, result: sync.SyncResult, manual: bool) -> None:
        self.failed = None
        self._show(clock.iso(), None, result.conflicts)
        if result.applied:
            self.app.session.changed()
        if manual:
            self.app.notify(result.summary(), title="Synced", markup=False)
        for clash in result.clashes[:1]:
            self.app.notify(
                clash, title="A log was refused", severity="error", markup=False, timeout=12
            )
        fresh = [str(p) for p in result.problems if str(p) not in self.warned]
        for sentence in result.waiting:  # once per teammate, not every 2 seconds
            who = sentence.partition("'s clock")[0]
            if f"ahead:{who}" not in self.warned:
                self.warned.add(f"ahead:{who}")
                self.app.notify(
                    sentence, title="Changes waiting", severity="warning", markup=False, timeout=12
                )
        if fresh:  # each bad line or refused log is told once, not every 2 seconds
            self.warned.update(fresh)
            more = (
                f" (and {len(fresh) - 1} more; `kickoff sync` lists them)" if len(fresh) > 1 else ""
            )
            self.app.notify(
                fresh[0] + more,
                title="Skipped in the sync folder",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self._finish()

    def _failed(self, message: str, manual: bool) -> None:
        self._show(clock.iso(), message)
        if manual or message != self.failed:
            self.app.notify(message, title="Sync", severity="error", markup=False, timeout=10)
        self.failed = message
        self._finish()
