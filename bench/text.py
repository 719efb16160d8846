"""How long cleaning hostile text takes: control characters and unterminated escape sequences
in pasted or synced text must cost time in proportion to the text, never quadratic.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/text.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from kickoff_tui.rules.text import clean_text

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for n in (25_000, 50_000, 100_000):
        hostile = "\x1b]" * n + "\x9d" + "a" * (2 * n)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            clean_text(hostile, max_len=10**6)
            times.append(time.perf_counter() - start)
        print(
            f"{n:>7} unterminated escapes + {2 * n} letters: "
            f"{statistics.median(times) * 1000:7.1f} ms"
        )


if __name__ == "__main__":
    main()
