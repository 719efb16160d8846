"""Switching screens: from pressing a screen's key (1–6) to its first painted frame.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/switch.py [--runs 9]

In a headless app at 120x40, on the demo and on the big OKR workspace of bench/okrs.py
(5 objectives × 4 key results × 52 weekly check-ins). The time runs from the key press to the
first frame of the new screen handed to the terminal driver (App._display) with its data in it,
so the test harness's own waits are left out. Two cases per screen:

- "built": the default. After the first frame the app builds the other screens in the
  background (KickoffApp._preload_next); the key only shows a screen that is already built.
- "first visit": preloading off (KickoffApp(preload=False)), so the key imports the screen's
  module, parses its CSS, composes, mounts and loads it: what every first switch cost before.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kickoff_tui.store.demo import make_demo  # noqa: E402
from kickoff_tui.store.ops import Store  # noqa: E402


def median_ms(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"median {statistics.median(ms):6.1f} ms   p95 {ms[int(len(ms) * 0.95)]:6.1f} ms"


async def switch_time(
    store: Store, key: str, mode: str, size: tuple[int, int] = (120, 40), preload: bool = True
) -> float:
    """One app: wait until it is idle (and, with preload, every screen is built), press `key`,
    return the seconds until the first frame of `mode`'s screen with its data is displayed."""
    from textual.widgets import DataTable

    from kickoff_tui.app import SCREENS, KickoffApp

    # (without the keyword, to time an older checkout: PYTHONPATH=<its tree> python bench/switch.py)
    app = KickoffApp(store, poll=False, **({} if preload else {"preload": False}))
    shown: list[float] = []
    display = app._display

    def ready() -> bool:
        screen = app.screen
        if app.current_mode != mode or getattr(screen, "MODE", "") != mode:
            return False
        if mode == "okrs":  # the OKR figure counts only a frame with the table filled
            tables = screen.query(DataTable)
            return bool(tables) and tables.first().row_count > 0
        return screen._generation != -1  # its data is loaded

    def timed_display(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is not None and not shown and ready():
            shown.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if preload and hasattr(app, "_preloading"):
            while len(app._screen_stacks) < len(SCREENS) or app._preloading is not None:
                await asyncio.sleep(0.01)
        await pilot.pause(0.1)
        if mode == app.current_mode:  # the board is the first screen: come back to it
            await pilot.press("6")
            await pilot.pause(0.1)
        shown.clear()
        start = time.perf_counter()
        await pilot.press(key)
        while not shown:
            await asyncio.sleep(0)
    return shown[0] - start


def switch_times(store: Store, key: str, mode: str, runs: int, **kw) -> list[float]:
    return [asyncio.run(switch_time(store, key, mode, **kw)) for _ in range(runs)]


def main() -> None:
    import inspect

    from kickoff_tui.app import SCREENS, KickoffApp

    preloads = "preload" in inspect.signature(KickoffApp).parameters
    from okrs import make_big

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspaces = {
            "demo": make_demo(Path(tmp) / "demo.db"),
            "big OKRs (5 × 4 KRs × 52 check-ins)": make_big(Path(tmp) / "big.db"),
        }
        print(f"key → first frame of the screen, 120x40, {args.runs} runs ({os.cpu_count()} cores)")
        for label, store in workspaces.items():
            print(f" {label}")
            for mode, (key, name, _) in SCREENS.items():
                built = switch_times(store, key, mode, args.runs)
                if not preloads:  # an older checkout: every first switch builds the screen
                    print(f"  {key} {name:<10} {median_ms(built)}")
                    continue
                first = switch_times(store, key, mode, args.runs, preload=False)
                print(
                    f"  {key} {name:<10} built {median_ms(built)}   first visit {median_ms(first)}"
                )
            store.close()


if __name__ == "__main__":
    main()
