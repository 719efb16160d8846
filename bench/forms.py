"""How long a form takes to open: from the key to its first field focused and the form painted.

Prints medians (figures, not assertions). Run from the repo root:

    python bench/forms.py [--runs 9]

Headless at 80×24 on the demo workspace: `n` and `enter` on the board (the card editor, 12
fields), `c` on the OKR screen (check-in, 3 fields) and `n` on the risk screen (the risk editor).
"ready" is the first field focused (keys typed from then on go straight in; keys typed before are
held and given to it, see kickoff_tui/typeahead.py); "painted" is the first screen refresh after.
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


async def measure(runs: int) -> dict[str, tuple[float, float]]:
    from kickoff_tui.app import KickoffApp
    from kickoff_tui.store.demo import make_demo
    from kickoff_tui.widgets import form

    marks: dict[str, float] = {}
    on_mount = form.FormScreen.on_mount

    def timed_mount(self: form.FormScreen) -> None:
        on_mount(self)
        marks["ready"] = time.perf_counter()
        self.call_after_refresh(lambda: marks.__setitem__("painted", time.perf_counter()))

    form.FormScreen.on_mount = timed_mount  # type: ignore[method-assign]
    store = make_demo(Path(tempfile.mkdtemp()) / "demo.db")
    app = KickoffApp(store, poll=False)
    results: dict[str, tuple[float, float]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for name, go, key in [
            ("card editor, new (board n)", ["1"], "n"),
            ("card editor, edit (board enter)", ["1"], "enter"),
            ("check-in (OKRs c on KR1)", ["2", "down"], "c"),
            ("risk editor, new (risks n)", ["3"], "n"),
        ]:
            await pilot.press(*go)
            await pilot.pause()
            ready, painted = [], []
            for _ in range(runs + 1):  # the first opening imports the form's module
                marks.clear()
                start = time.perf_counter()
                await pilot.press(key)
                deadline = time.perf_counter() + 10
                while "painted" not in marks:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"{name}: no form opened")
                    await asyncio.sleep(0.001)
                ready.append((marks["ready"] - start) * 1000)
                painted.append((marks["painted"] - start) * 1000)
                await pilot.press("escape")
                await pilot.pause()
            results[name] = (statistics.median(ready[1:]), statistics.median(painted[1:]))
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    results = asyncio.run(measure(args.runs))
    print(f"form opening, median of {args.runs} (80×24, demo workspace)")
    for name, (ready, painted) in results.items():
        print(f"  {name:34} ready {ready:6.0f} ms   painted {painted:6.0f} ms")


if __name__ == "__main__":
    main()
