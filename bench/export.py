"""Export and import speed on a big workspace: TOML, CSV and Markdown exports, TOML import.

Prints wall times (figures, not assertions), in-process, median of a few runs. From the repo root:

    python bench/export.py [--cards 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kickoff_tui.store import export as ex  # noqa: E402
from kickoff_tui.store.demo import make_demo  # noqa: E402


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = make_demo(root / "big.db", cards=args.cards)
        rows = ex.row_count(store)
        text = ex.workspace_toml(store)
        n = iter(range(10**6))
        figures = [
            ("export toml", timed(lambda: ex.workspace_toml(store), args.runs)),
            ("export csv", timed(lambda: ex.write_csv(store, root / "csv"), args.runs)),
            ("export md (review)", timed(lambda: ex.review_markdown(store), args.runs)),
            (
                "import toml",
                timed(lambda: ex.import_toml(text, root / f"i{next(n)}.db").close(), args.runs),
            ),
        ]
        print(
            f"{args.cards} generated cards + the demo: {rows:,} rows, "
            f"TOML {len(text.encode()) / 1e6:.1f} MB; median of {args.runs} runs"
        )
        for name, seconds in figures:
            print(f"  {name:<20} {seconds:6.2f} s   ({rows / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
