"""Search speed (ctrl+p): reading the index once and each keystroke's matching, at 10,000 cards.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/search.py [--cards 10000] [--runs 7]

- index: `store.search.index` on the workspace (every searchable kind, one query each), what
  the palette does when it opens after a change;
- keystroke: `store.search.find` for each prefix of a few queries typed one key at a time
  (words in titles, numbers), what the palette does per key; the figure is the slowest
  keystroke's median and the median over all keystrokes;
- palette: in a headless app at 120×40 with the palette open and "load tes" typed, from the
  last key ("t") to the palette listing the card it finds (Textual's own search tasks and list
  update included; the index is already read, as after the first key).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from startup import make

QUERIES = ["load test", "guided setup wizard", "#9876", "KR3", "sre hire", "zzz nothing"]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def measure(db: Path, runs: int) -> dict[str, float]:
    from kickoff_tui.store import search
    from kickoff_tui.store.ops import Store

    store = Store(db)
    index_times = []
    for _ in range(runs):
        start = time.perf_counter()
        found = search.index(store)
        index_times.append(time.perf_counter() - start)
    keys: dict[str, list[float]] = {}
    for _ in range(runs):
        for query in QUERIES:
            for n in range(1, len(query) + 1):
                prefix = query[:n]
                start = time.perf_counter()
                search.find(found, prefix)
                keys.setdefault(prefix, []).append(time.perf_counter() - start)
    store.close()
    medians = [statistics.median(t) for t in keys.values()]
    return {
        "items": len(found.items),
        "index": statistics.median(index_times),
        "key_median": statistics.median(medians),
        "key_worst": max(medians),
    }


async def palette(db: Path, runs: int) -> float:
    """The palette's last keystroke to its list showing the hit (median of `runs`)."""
    from textual.command import CommandList

    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.ops import Store

    app = KickoffApp(Store(db), poll=False, preload=False)
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"load tes")
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("t")
            while True:
                lists = app.screen.query(CommandList)
                if lists and lists.first().option_count:
                    prompt = str(lists.first().get_option_at_index(0).prompt)
                    if "load test" in prompt.lower() and "#" in prompt:
                        break
                await asyncio.sleep(0.002)
            times.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = make(Path(folder), args.cards)
        figures = measure(db, args.runs)
        print(f"search over {figures['items']:,} items (demo + {args.cards:,} cards)")
        print(f"  index (once per palette open after a change): {_ms(figures['index'])}")
        print(f"  per keystroke, median:                        {_ms(figures['key_median'])}")
        print(f"  per keystroke, slowest:                       {_ms(figures['key_worst'])}")
        typed = asyncio.run(palette(db, min(args.runs, 5)))
        print(f"  palette, last key to the hit listed:          {_ms(typed)}")


if __name__ == "__main__":
    main()
