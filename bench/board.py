"""Board speed: first paint, key latency and memory at 200, 500, 1,000 and 10,000 cards.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/board.py [--runs 7] [--keys 40] [--sizes 200,500,1000,10000]

- first paint: process start to the board's first frame with its cards (a fresh
  `python -m kickoff_tui --db X` with KICKOFF_EXIT_AFTER_FIRST_FRAME, as bench/startup.py);
- keys: in a child process running the app headless at 160×48, the time from a key's binding
  being dispatched to its action done (store write included), the messages it posted handled,
  the screen laid out and every line rendered again (a full repaint, so an upper bound):
  cursor (j), move to the next window and back (L / H), reorder down and up (J / K), state
  (space), and one filter keystroke (the filter box's value changing, to the lanes filtered
  and repainted);
- memory: the child's peak RSS (app open on the workspace, after all those keys).

Sizes are generated cards added to the demo's 21.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))
from startup import env, first_frame, make  # noqa: E402


async def _settle(app) -> None:
    """Let posted messages run, then lay out and render the screen as the app's refresh does,
    plus a full render of every line (the figure is an upper bound of a repaint)."""
    for _ in range(5):
        await asyncio.sleep(0)
    app.screen._on_timer_update()
    app.screen._compositor.render_full_update()


async def _keys(db: str, runs: int) -> dict[str, float]:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.ops import Store

    app = KickoffApp(Store(db), poll=False)
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()

        async def timed(name: str, *keys: str) -> None:
            for key in keys:
                await pilot.pause()  # start from an idle app
                start = time.perf_counter()
                handled = await app._check_bindings(key)  # the key binding, as a key press runs it
                assert handled, key
                await _settle(app)
                out.setdefault(name, []).append(time.perf_counter() - start)

        for _ in range(runs):
            await timed("cursor down (j)", "j")
        for _ in range(runs // 2):
            await timed("move card to next / previous window (L, H)", "L", "H")
        for _ in range(runs // 2):
            await timed("reorder in the window (J, K)", "J", "K")
        for _ in range(runs):
            await timed("advance state (space)", "space")
        await pilot.press("slash")
        box = app.screen.query_one("#board-filter")
        for n in range(runs):
            text = "ship the"[: n % 8 + 1]
            await pilot.pause()
            start = time.perf_counter()
            box.value = text  # what a keystroke does to the input
            while app.screen.filter_text != text:
                await asyncio.sleep(0)
            await _settle(app)
            out.setdefault("filter keystroke", []).append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in out.items()}


def child(db: str, runs: int) -> None:
    figures = asyncio.run(_keys(db, runs))
    figures["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts per size")
    parser.add_argument("--keys", type=int, default=40, help="presses per key and size")
    parser.add_argument("--sizes", default="200,500,1000,10000")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.keys)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"board, medians ({os.cpu_count()} cores); sizes are generated cards + the demo's 21")
    with tempfile.TemporaryDirectory() as tmp:
        rows = {}
        for size in sizes:
            db = make(Path(tmp), size)
            paint = statistics.median(first_frame(db, args.runs))
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(db), "--keys", str(args.keys)],
                env=env(),
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                raise SystemExit(proc.stderr[-2000:])
            rows[size] = {"first paint": paint, **json.loads(proc.stdout.strip().splitlines()[-1])}
        names = list(rows[sizes[0]])
        print(f"  {'':<44}" + "".join(f"{f'{s:,} cards':>13}" for s in sizes))
        for name in names:
            unit = "" if name.endswith("MB") else " ms"
            cells = "".join(
                f"{rows[s][name]:>10.0f} MB"
                if unit == ""
                else f"{rows[s][name] * 1000:>10.1f}{unit}"
                for s in sizes
            )
            print(f"  {name:<44}{cells}")


if __name__ == "__main__":
    main()
