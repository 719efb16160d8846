"""Risk matrix costs: the register read model, a shift+arrow move, a score history.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/risks.py [--runs 100] [--risks 1000]

- register: the read model the risk screen and `kickoff risk list` run (numbers, owners,
  scores, links, attention flags, conflicts), on the demo plus generated risks;
- move: one shift+arrow step (one operation transaction with its activity line);
- history: one risk's score history replayed from the operation log after many moves.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from standup import show, timed  # noqa: E402 - the same medians as the standup bench

from kickoff_tui.store import risks as rk  # noqa: E402
from kickoff_tui.store.demo import make_demo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--risks", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = make_demo(Path(tmp) / "demo.db")
        with store.transaction("Generated risks", entity="risk") as tx:
            for n in range(args.risks):
                tx.create(
                    "risk",
                    {
                        "title": f"Generated risk {n}",
                        "likelihood": rng.randint(1, 5),
                        "impact": rng.randint(1, 5),
                        "next_review": "2026-12-01",
                    },
                )
        print(f"risks, demo + {args.risks:,} risks, {args.runs} runs ({os.cpu_count()} cores)")
        show("register (read model)", timed(lambda n: rk.register(store), max(10, args.runs // 5)))
        target = rk.register(store)[0]["id"]
        steps = [(-1, 0), (1, 0)]
        show(
            "shift+arrow move (one edit)",
            timed(lambda n: rk.move_risk(store, target, *steps[n % 2]), args.runs),
        )
        show(
            f"score history ({args.runs + 1} entries)",
            timed(lambda n: rk.score_history(store, target), max(10, args.runs // 5)),
        )
        store.close()


if __name__ == "__main__":
    main()
