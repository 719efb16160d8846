"""Sync speed through a shared folder: a cold join, and incremental syncs.

For each size, one replica makes the demo plus N generated cards and edits every card three
times (so ~4 operations per card, plus activity lines), exports to a sync folder, and a second
replica joins. Prints medians (figures, not assertions); the join's CPU time is printed too,
since on a busy machine the wall time mostly measures the others. From the repo root:

    python bench/sync.py [--cards 1000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kickoff_tui.store import sync  # noqa: E402
from kickoff_tui.store.demo import add_generated_cards, make_demo  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def edit_cards(store, count: int, rng: random.Random) -> None:
    """`count` field edits on random cards, a few per transaction, as a person's session would."""
    cards = [r[0] for r in store.rows("SELECT id FROM card WHERE deleted = 0")]
    done = 0
    while done < count:
        with store.transaction() as tx:
            for _ in range(min(10, count - done)):
                field, values = rng.choice(
                    [
                        ("state", ["todo", "doing", "blocked", "done"]),
                        ("rag", ["green", "yellow", "red"]),
                        ("title", None),
                    ]
                )
                value = rng.choice(values) if values else f"Renamed {rng.randrange(10**6)}"
                tx.update("card", rng.choice(cards), {field: value}, force=True)
                done += 1


def bench(cards: int, runs: int, root: Path) -> None:
    rng = random.Random(cards)
    ana = make_demo(root / f"ana{cards}.db")
    add_generated_cards(ana, cards)
    edit_cards(ana, 3 * cards, rng)
    sync.attach(ana, root / f"shared{cards}")
    sync.sync(ana)
    ops = ana.row("SELECT count(*) FROM operation")[0]
    joins, cpus = [], []
    for n in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        ben, _ = sync.join(root / f"shared{cards}", root / f"ben{cards}-{n}.db", actor="ben")
        joins.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        if n < runs - 1:
            ben.close()
    join, cpu = statistics.median(joins), statistics.median(cpus)
    idle = median_ms(lambda: sync.sync(ben), runs)

    def hundred_new() -> None:
        edit_cards(ana, 100, rng)
        sync.sync(ana)

    times = []
    for _ in range(runs):
        hundred_new()
        start = time.perf_counter()
        result = sync.sync(ben)
        times.append(time.perf_counter() - start)
        assert result.applied == 100, result.applied
    print(f"{cards:>6} cards, {ops:,} operations in the log:")
    print(f"  cold join            {join * 1000:8.0f} ms   ({ops / join:,.0f} operations/s)")
    print(f"    its CPU time       {cpu * 1000:8.0f} ms   ({ops / cpu:,.0f} operations/s)")
    print(f"  sync, nothing new    {idle:8.1f} ms")
    print(f"  sync, 100 new ops    {statistics.median(times) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"median of {args.runs} runs")
    with tempfile.TemporaryDirectory() as folder:
        for cards in args.cards:
            bench(cards, args.runs, Path(folder))


if __name__ == "__main__":
    main()
