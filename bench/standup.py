"""Standup costs: a keystroke's draft write, a field save, and the screen's reload queries.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/standup.py [--runs 200] [--cards 10000]

- draft: what every keystroke in a standup field costs (one local_meta row, committed);
- save: writing the field as an operation (what teammates receive, at most once a second);
- reload: the read models the standup screen runs after every change (speakers, since the
  last standup, open blockers), on the demo plus generated cards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kickoff_tui.store import standups  # noqa: E402
from kickoff_tui.store.demo import make_demo  # noqa: E402


def timed(fn, runs: int) -> list[float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        fn(n)
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> None:
    ms = sorted(t * 1000 for t in times)
    print(
        f"  {label:<34} median {statistics.median(ms):6.2f} ms   p95 {ms[int(len(ms) * 0.95)]:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cards", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = make_demo(Path(tmp) / "demo.db", cards=args.cards)
        sid = standups.start(store)
        standup = standups.get(store, sid)
        speaker = standup["current_speaker_id"]
        text = "Shipped the guided setup wizard to 100% of sign-ups, next the tours" * 2
        print(f"standup, demo + {args.cards:,} cards, {args.runs} runs ({os.cpu_count()} cores)")
        show(
            "keystroke → draft (local row)",
            timed(
                lambda n: standups.save_draft(
                    store, sid, speaker, "done", text[: n % len(text) + 1]
                ),
                args.runs,
            ),
        )
        show(
            "field → operation (save_field)",
            timed(
                lambda n: standups.save_field(
                    store, sid, speaker, "done", text[: n % len(text) + 1]
                ),
                args.runs,
            ),
        )

        def reload(_n: int) -> None:
            current = standups.running(store)
            standups.speakers(store, current)
            standups.since_last(store, current, speaker)
            standups.open_blockers(store)

        show("screen reload (read models)", timed(reload, max(20, args.runs // 5)))
        ops = store.row("SELECT count(*) FROM operation WHERE tbl = 'standup_entry'")[0]
        print(f"  operations for {args.runs} field saves: {ops} (drafts make none)")
        store.close()


if __name__ == "__main__":
    main()
