"""What a person sees of the sync folder's lines that were not applied (issue 12): held lines
listed in the conflicts view (`!`), and one notification per teammate whose clock runs ahead."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from kickoff_tui import clock
from kickoff_tui.app import KickoffApp
from kickoff_tui.store import sync
from kickoff_tui.store.ids import hlc_pack
from kickoff_tui.store.ops import Op
from tests.screens.helpers import shows, wait_for
from tests.screens.test_conflicts import pair


async def test_a_quarantined_line_is_listed_in_the_conflicts_view(tmp_path: Path, frozen) -> None:
    ana, ben, torn, _gone = pair(tmp_path)
    log = sync.folder_of(ana) / "ops" / f"{ana.replica}.jsonl"
    bad = Op(
        f"{ana.replica}:9000", hlc_pack(clock.now_ms(), 0), "ana", "card", torn, "deleted", None
    )
    with log.open("a") as f:
        f.write(json.dumps(bad.to_dict()) + "\n")
    line = len(log.read_text().splitlines())
    sync.sync(ben)
    app = KickoffApp(ben, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("!")
        assert await wait_for(pilot, lambda: shows(app, "Held back from the sync folder (1)"))
        assert shows(
            app,
            f"ops/{ana.replica}.jsonl:{line}: Operation {ana.replica}:9000: "
            "card.deleted must be 0 or 1",
        )


async def test_a_teammates_clock_days_ahead_is_told_once(tmp_path: Path) -> None:
    ana, ben, _torn, _gone = pair(tmp_path)
    real = clock.now()
    clock.freeze(real + timedelta(days=3))
    ana.create("card", {"title": "From the future"}, summary="f")
    sync.sync(ana)
    clock.freeze(None)
    app = KickoffApp(ben)
    async with app.run_test(size=(80, 24)) as pilot:

        def told() -> list[str]:
            return [str(n.message) for n in app._notifications if "clock" in str(n.message)]

        assert await wait_for(pilot, lambda: told())
        await pilot.pause(2.5)  # another sync or two of the folder
        assert told() == [
            "ana's clock is 3 days ahead; their change waits until then or until they fix it."
        ]
        assert not ben.rows("SELECT 1 FROM card WHERE title = 'From the future'")
