"""Cold start: process start to the first rendered frame, and `kickoff --help`.

Prints medians over several runs (figures, not assertions). Run from the repo root:

    python bench/startup.py [--runs 7]

Each run starts a fresh `python -m kickoff_tui --db X` with KICKOFF_HEADLESS=1 and
KICKOFF_EXIT_AFTER_FIRST_FRAME=1; the app writes a marker to stderr once the first screen has
painted its data, and the time until that marker is the figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def env(**extra: str) -> dict[str, str]:
    e = dict(os.environ)
    # Measure what an installed copy does: with bytecode caches (some sandboxes turn them off).
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.update(extra)
    return e


def first_frame(db: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kickoff_tui", "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env(KICKOFF_HEADLESS="1", KICKOFF_EXIT_AFTER_FIRST_FRAME="1"),
        )
        for line in proc.stderr:
            if b"kickoff:first-frame" in line:
                times.append(time.perf_counter() - start)
                break
        proc.wait(timeout=60)
        if len(times) < _ + 1:
            raise SystemExit(f"no first frame for {db} (exit {proc.returncode})")
    return times


def wall(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "kickoff_tui", *args],
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        times.append(time.perf_counter() - start)
    return times


def make(folder: Path, cards: int) -> Path:
    db = folder / f"demo-{cards}.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kickoff_tui",
            "demo",
            "--db",
            str(db),
            "--no-open",
            "--cards",
            str(cards),
        ],
        env=env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--sizes", default="0,1000,10000", help="generated cards on top of the demo"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"kickoff cold start, median of {args.runs} runs ({os.cpu_count()} cores)")
        wall(["--version"], 1)  # warm the bytecode cache of an uninstalled checkout
        help_times = wall(["--help"], args.runs)
        print(f"  kickoff --help                    {statistics.median(help_times) * 1000:7.0f} ms")
        for size in (int(s) for s in args.sizes.split(",")):
            db = make(folder, size)
            label = "demo" if size == 0 else f"demo + {size:,} cards"
            times = first_frame(db, args.runs)
            print(
                f"  first frame, {label:<20} {statistics.median(times) * 1000:7.0f} ms"
                f"   (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
            )


if __name__ == "__main__":
    main()
