"""OKR screen costs: its read model, and the first frame after switching to it (key `2`).

Prints medians (figures, not assertions). Run from the repo root:

    python bench/okrs.py [--runs 15]

Two workspaces: the demo (3 objectives, 8 key results, 5 check-ins each) and a big one with
5 objectives × 4 key results × 52 weekly check-ins (the issue's speed target: first frame of the
OKR screen within 0.1 s of switching to it). "key 2 → first frame" is measured in a headless app
from the key press until the first frame of the OKR screen with its table filled is handed to the
terminal driver (see bench/switch.py): "built" is the default, where the app has built the screen
in the background after its first frame; "first visit" has that off (KickoffApp(preload=False)),
so it includes Textual building the screen. "reload + paint" is the screen's own work on every
change (it includes the test harness's waits for idle, ~60 ms on a loaded machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kickoff_tui import clock  # noqa: E402
from kickoff_tui.store import okrs  # noqa: E402
from kickoff_tui.store.demo import make_demo  # noqa: E402
from kickoff_tui.store.ops import Store  # noqa: E402
from kickoff_tui.store.workspace import init_workspace  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from switch import switch_times  # noqa: E402


def make_big(path: Path, objectives: int = 5, krs: int = 4, weeks: int = 52) -> Store:
    today = clock.today()
    store = init_workspace(path, name="Big OKRs", kickoff_date=today - timedelta(days=37))
    start = datetime.combine(today, datetime.min.time(), timezone.utc) - timedelta(weeks=weeks)
    with store.transaction("bench data") as tx:
        person = tx.create("person", {"handle": "ana", "name": "Ana Silva"})
        for o in range(objectives):
            oid = tx.create(
                "objective",
                {
                    "title": f"Objective {o + 1} with a realistic title",
                    "owner_id": person,
                    "position": f"a{o}",
                },
            )
            for k in range(krs):
                kid = tx.create(
                    "key_result",
                    {
                        "objective_id": oid,
                        "title": f"Key result {o + 1}.{k + 1} measured weekly",
                        "kind": "increase_to",
                        "unit": "teams",
                        "baseline": 0,
                        "target": 200,
                        "current": weeks * 2,
                        "owner_id": person,
                        "confidence": 6,
                        "position": f"a{k}",
                    },
                )
                for w in range(weeks):
                    tx.create(
                        "check_in",
                        {
                            "key_result_id": kid,
                            "value": w * 2 + (w % 3),
                            "confidence": 6,
                            "author_id": person,
                            "at": clock.iso(start + timedelta(weeks=w)),
                        },
                    )
    return store


def median_ms(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"median {statistics.median(ms):6.1f} ms   p95 {ms[int(len(ms) * 0.95)]:6.1f} ms"


async def reload_times(store: Store, runs: int, size: tuple[int, int]) -> list[float]:
    """The OKR screen's own work on a change: read model + table rebuild + next paint."""
    from kickoff_tui.app import KickoffApp

    app = KickoffApp(store, poll=False)
    times = []
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            app.screen.reload()
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspaces = {
            "demo (3 × 8 KRs × 5 check-ins)": make_demo(Path(tmp) / "demo.db"),
            "big (5 × 4 KRs × 52 check-ins)": make_big(Path(tmp) / "big.db"),
        }
        print(f"OKR screen, {args.runs} runs ({os.cpu_count()} cores)")
        for label, store in workspaces.items():
            print(f" {label}")
            print(
                f"  read model (okrs.view)          {median_ms([_timed(okrs.view, store) for _ in range(args.runs * 4)])}"
            )
            for size in ((80, 24), (120, 40)):
                times = switch_times(store, "2", "okrs", args.runs, size=size)
                print(f"  key 2 → first frame {size[0]}x{size[1]}    {median_ms(times)}   (built)")
                times = switch_times(store, "2", "okrs", args.runs, size=size, preload=False)
                print(
                    f"  key 2 → first frame {size[0]}x{size[1]}    {median_ms(times)}   (first visit)"
                )
            times = switch_times(store, "6", "decisions", args.runs)
            print(f"  (key 6 → decision log 120x40    {median_ms(times)}, built, for comparison)")
            times = asyncio.run(reload_times(store, args.runs * 2, (120, 40)))
            print(f"  reload + paint 120x40           {median_ms(times)}")
            store.close()


def _timed(fn, *a) -> float:
    start = time.perf_counter()
    fn(*a)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
