"""The board driven with the keys a person presses; every check reads the database and the screen."""

from __future__ import annotations

import pytest

from kickoff_tui.app import KickoffApp
from kickoff_tui.store import cards as store_cards
from kickoff_tui.store.ops import Store
from tests.screens.helpers import MARKUP_CORPUS, screen_text, shows, wait_for


def card(store: Store, start: str) -> dict:
    row = store.row("SELECT * FROM card WHERE title LIKE ? AND deleted = 0", (start + "%",))
    assert row is not None, start
    return dict(row)


def lane_titles(store: Store, window: str) -> list[str]:
    return [c["title"] for c in store_cards.board(store) if c["window"] == window]


def error(form, name: str) -> str:
    """The sentence shown under a form field ("" when it is fine)."""
    return str(form.query_one(f"#error-{name}").render())


def board(app: KickoffApp):
    return app.screen


async def test_the_board_opens_on_todays_window_with_headers(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "31–60  1/7 done" in text and "Nov 17 – Dec 16  ● today" in text
        assert "0–30  5/6 done" in text and "Oct 17 – Nov 16" in text
        assert "Later  0/3 done" in text and "from Jan 16" in text
        assert board(app).current_card()["title"] == "Ship the guided setup wizard"
        # facts on the cards: owner, state mark, human due, late and blocked warnings, unmet deps
        assert shows(app, "◐ @chloe in 13 days")
        assert shows(app, "■R ⚠ blocked @ben ⚠ 2 days l…")
        assert shows(app, "◐ @ben ⚠ 7 days late")
        assert shows(app, "○ @ben in 6 weeks waits 1")
        await pilot.resize_terminal(160, 48)  # wider lanes name the state too
        await pilot.pause()
        assert shows(app, "◐ doing @chloe in 13 days")
        assert shows(app, "○ todo @ben in 6 weeks waits 1")


async def test_cursor_keys_walk_the_cards_and_windows(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("j", "down")
        assert screen.current_card()["title"] == "Status page and uptime alerts"
        await pilot.press("k")
        assert screen.current_card()["title"] == "Sample data on sign-up"
        await pilot.press("l")
        assert screen.window == "90"
        assert screen.current_card()["title"] == "Customer advisory board #1"  # same height
        await pilot.press("right")
        assert screen.current_card()["title"] == "Localise onboarding (FR, DE, 日本語)"
        await pilot.press("right", "left", "h", "up")
        assert screen.window == "60"
        assert screen.current_card()["title"] == "Ship the guided setup wizard"
        await pilot.press("end")
        assert screen.current_card()["title"] == "Hire a second SRE"


async def test_H_and_L_move_a_card_between_windows_and_undo_puts_it_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    wizard = card(demo, "Ship the guided")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = board(app)
        await pilot.press("L")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["window"] == "90"
        assert lane_titles(demo, "90")[0] == "Ship the guided setup wizard"
        assert screen.window == "90" and screen.current_card()["id"] == wizard["id"]
        assert "61–90  0/6 done" in screen_text(app) and "31–60  1/6 done" in screen_text(app)
        # #12 depends on it and now sits in an earlier window: a warning, not an error
        assert any(
            "#12 Trial email sequence depends on it but is in an earlier window (31–60)."
            in n.message
            for n in app._notifications
        )
        # and the window starts after its due date
        assert any(
            "It is due Dec 6, before the 61–90 window starts (Dec 17)." in n.message
            for n in app._notifications
        )
        await pilot.press("shift+left", "shift+left")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["window"] == "30"
        assert screen.window == "30" and screen.current_card()["id"] == wizard["id"]
        assert any(
            "It is due Dec 6, after the 0–30 window ends (Nov 16)." in n.message
            for n in app._notifications
        )
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        back = demo.get("card", wizard["id"])
        assert back["window"] == "90"
        await pilot.press("ctrl+z")
        await pilot.pause()
        back = demo.get("card", wizard["id"])
        assert (back["window"], back["position"]) == (wizard["window"], wizard["position"])
        assert screen.current_card()["id"] == wizard["id"]  # the cursor followed it home
        assert "31–60  1/7 done" in screen_text(app)
        moves = demo.rows("SELECT summary FROM activity WHERE action = 'move' ORDER BY at")
        assert [m[0] for m in moves][:1] == ["Moved #7 Ship the guided setup wizard to 61–90"]


async def test_K_and_J_reorder_within_the_window(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    before = lane_titles(demo, "60")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("J", "shift+down")
        await pilot.pause()
        assert lane_titles(demo, "60") == [before[1], before[2], before[0], *before[3:]]
        assert screen.current_lane.cursor == 2
        assert screen.current_card()["title"] == before[0]
        await pilot.press("K")
        await pilot.pause()
        assert lane_titles(demo, "60")[1] == before[0]
        await pilot.press("shift+up", "shift+up")  # the second one is at the top already
        await pilot.pause()
        assert lane_titles(demo, "60") == before
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert lane_titles(demo, "60")[1] == before[0]
        assert [c["title"] for c in screen.current_lane.cards] == lane_titles(demo, "60")


async def test_space_r_and_b_change_state_and_colour(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    pricing = card(demo, "Pricing page")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("j", "j", "j", "j")
        assert board(app).current_card()["id"] == pricing["id"]
        await pilot.press("space")
        await pilot.pause()
        assert demo.get("card", pricing["id"])["state"] == "doing"
        assert shows(app, "◐ @eunji in 2 weeks")
        await pilot.press("space")
        await pilot.pause()
        assert demo.get("card", pricing["id"])["state"] == "done"
        assert "31–60  2/7 done" in screen_text(app)
        await pilot.press("r", "r")
        await pilot.pause()
        assert demo.get("card", pricing["id"])["rag"] == "red"
        await pilot.press("b")
        await pilot.pause()
        assert demo.get("card", pricing["id"])["state"] == "blocked"
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert demo.get("card", pricing["id"])["rag"] == "yellow"
        assert demo.get("card", pricing["id"])["state"] == "done"
        assert shows(app, "Undid: Set #11 Pricing page A/B test to red")


async def test_finishing_a_card_clears_the_wait_marker_of_its_dependent(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # #7 doing -> done; #12 and #17 waited for it
        await pilot.pause()
        trial = next(c for c in board(app).lane("60").cards if c["num"] == 12)
        assert trial["open_deps"] == 0
        assert shows(app, "◐ @eunji in 2 weeks")
        assert not shows(app, "in 2 weeks waits 1")


async def test_n_adds_a_card_after_the_cursor_and_esc_writes_nothing(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    before = demo.row("SELECT count(*) FROM operation")[0]
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert "New card in 31–60" in screen_text(app)
        await pilot.press(*"Half typed", "escape", "y")  # y: discard what was typed
        await pilot.pause()
        assert demo.row("SELECT count(*) FROM operation")[0] == before
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Beta [launch] 🚀", "ctrl+s")
        assert await wait_for(pilot, lambda: "Beta [launch] 🚀" in lane_titles(demo, "60"))
        assert lane_titles(demo, "60")[:2] == ["Ship the guided setup wizard", "Beta [launch] 🚀"]
        made = card(demo, "Beta")
        assert (made["state"], made["rag"], made["window"]) == ("todo", "green", "60")
        assert made["owner_id"] == demo.row("SELECT id FROM person WHERE handle = 'ana'")[0]
        assert board(app).current_card()["id"] == made["id"]
        assert shows(app, "#22 Beta [launch] 🚀")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.get("card", made["id"])["deleted"] == 1
        assert not shows(app, "Beta [launch]")


async def test_the_editor_refuses_bad_input_with_one_sentence(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    spec = card(demo, "Pick the onboarding")  # #4: #7 depends on it, #17 on #7
    before = demo.row("SELECT count(*) FROM operation")[0]
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("h", "j", "j", "j", "enter")  # 0–30, 4th card
        assert await wait_for(pilot, lambda: "Edit #4" in screen_text(app))
        form = app.screen
        assert "Edit #4" in screen_text(app)
        title = form.query_one("#field-title")
        title.value = "x" * 5000
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "title") == "Title is 5000 characters; keep it to at most 200."
        title.value = ""
        form.query_one("#field-due").value = "someday"
        form.query_one("#field-depends_on").value = "17"
        form.query_one("#field-raci").value = "ana:A ben:A"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "title") == "Title can't be empty."
        assert error(form, "due") == (
            "Can't read 'someday' as a date: use 2026-12-24, +3d, +2w, tomorrow or next friday."
        )
        assert error(form, "raci") == "Only one person can be accountable (A), not @ana and @ben."
        assert demo.row("SELECT count(*) FROM operation")[0] == before
        title.value = "Pick the checklist"
        form.query_one("#field-due").value = "next friday"
        form.query_one("#field-raci").value = "ana:A ben:R"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(form, "depends_on") == (
            "That would make a loop: this card waits for #17 waits for #7 waits for this card. "
            "Remove one of them."
        )
        assert error(form, "title") == error(form, "due") == ""
        assert demo.row("SELECT count(*) FROM operation")[0] == before
        form.query_one("#field-depends_on").value = "1 2"
        await pilot.press("ctrl+s")
        assert await wait_for(
            pilot, lambda: demo.get("card", spec["id"])["title"] == "Pick the checklist"
        )
        saved = demo.get("card", spec["id"])
        assert saved["due"] == "2026-12-04"  # the Friday of the week after Monday Nov 23
        linked = store_cards.links(demo, spec["id"])
        assert [d["num"] for d in linked["depends_on"]] == [1, 2]
        assert sorted(linked["raci"].values()) == ["A", "R"]
        assert shows(app, "#4 Pick the checklist")
        await pilot.press("ctrl+z")  # the whole form was one change
        await pilot.pause()
        assert demo.get("card", spec["id"])["title"] == spec["title"]
        assert demo.get("card", spec["id"])["due"] == spec["due"]
        assert [d["num"] for d in store_cards.links(demo, spec["id"])["depends_on"]] == [2]
        assert shows(app, "#4 Pick the onb")  # the title is back (cut to the lane)


async def test_d_deletes_only_after_confirmation_and_undo_brings_it_back(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    wizard = card(demo, "Ship the guided")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert "Delete #7 Ship the guided setup wizard?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["deleted"] == 0
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["deleted"] == 1
        assert not shows(app, "#7 Ship the guided")
        assert board(app).current_card()["title"] == "Sample data on sign-up"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["deleted"] == 0
        assert shows(app, "#7 Ship the guided")
        assert len(store_cards.links(demo, wizard["id"])["dependents"]) == 2


async def test_slash_filters_live_and_escape_clears(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        await pilot.press("slash", *"@ben")
        await pilot.pause()
        shown = {c["num"] for w in ("30", "60", "90", "later") for c in screen.lane(w).cards}
        assert shown == {5, 6, 9, 10, 16}
        assert "2 shown · 1/7 done" in screen_text(app)
        await pilot.press(*" red")
        await pilot.pause()
        assert [c["num"] for c in screen.lane("60").cards] == [10]
        assert screen.current_card()["num"] == 10
        await pilot.press("enter")  # keep the filter, back to the board keys
        await pilot.press("space")
        await pilot.pause()
        assert demo.get("card", screen.current_card()["id"])["state"] == "doing"
        await pilot.press("escape")
        await pilot.pause()
        assert sum(len(screen.lane(w).cards) for w in ("30", "60", "90", "later")) == 21
        assert screen.current_card()["num"] == 10  # still on the same card
        await pilot.press("slash", *"tag:onboarding")
        await pilot.pause()
        assert {c["num"] for w in ("30", "60", "90", "later") for c in screen.lane(w).cards} == {
            7,
            8,
            17,
            20,
        }
        await pilot.press("escape")
        await pilot.pause()
        assert "shown" not in screen_text(app)


async def test_o_shows_only_my_cards(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)  # the demo is opened as ana
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = board(app)
        mine = {c["num"] for w in ("30", "60", "90", "later") for c in screen.lane(w).cards}
        assert mine == {1, 13, 19, 21}
        assert shows(app, "Only @ana's cards (4).")
        await pilot.press("o")
        await pilot.pause()
        assert sum(len(screen.lane(w).cards) for w in ("30", "60", "90", "later")) == 21


async def test_a_change_by_another_program_just_before_ours_is_not_lost(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)  # no poll: only our own edit can bring it in
    async with app.run_test(size=(120, 40)) as pilot:
        other = Store(demo.path, actor="ben")
        store_cards.create_card(other, {"title": "Sneaked in", "window": "60"})
        other.close()
        await pilot.press("space")
        await pilot.pause()
        assert shows(app, "Sneaked in")


async def test_another_programs_change_shows_and_the_cursor_stays(demo: Store) -> None:
    app = KickoffApp(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        screen = board(app)
        status = screen.current_card()
        other = Store(demo.path, actor="ben")
        first = card(other, "Ship the guided")
        store_cards.create_card(other, {"title": "From elsewhere", "window": "60"}, after_id=None)
        store_cards.move_card(other, first["id"], "90")
        other.close()
        assert await wait_for(pilot, lambda: shows(app, "From elsewhere"), timeout=2.5)
        assert screen.current_card()["id"] == status["id"]
        assert screen.current_lane.cursor == 1  # #7 left the lane above it


async def test_markup_looking_titles_are_shown_literally(workspace: Store) -> None:
    for n, text in enumerate(MARKUP_CORPUS):
        store_cards.create_card(workspace, {"title": text, "window": "30", "tags": "x"})
    app = KickoffApp(workspace, poll=False)
    async with app.run_test(size=(200, 50)) as pilot:
        text = screen_text(app)
        for title in MARKUP_CORPUS:
            assert title in text, title
        await pilot.press("home")
        screen = board(app)
        screen.select(screen.lane("30").cards[3]["id"])  # [@click=app.quit]x[/]
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: bool(app.screen.query("#field-title")))
        assert app.screen.query_one("#field-title").value == MARKUP_CORPUS[3]
        await pilot.press("escape")
        assert app.is_running


async def test_at_80_columns_one_window_shows_and_the_others_are_one_key_away(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert "#7 Ship the guided setup wizard" in text  # the whole title fits
        assert "0–30  5/6" in text and "61–90  0/5" in text and "Later  0/3" in text
        assert "Write the kickoff brief" not in text  # 0–30's cards are one key away
        await pilot.press("h")
        await pilot.pause()
        assert "#1 Write the kickoff brief and share it" in screen_text(app)
        assert "Ship the guided" not in screen_text(app)
        await pilot.click("#head-later")  # or a click on a window's header
        await pilot.pause()
        assert "#19 Partner integrations marketplace" in screen_text(app)


async def test_a_click_selects_and_a_double_click_opens(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = board(app)
        lane = screen.lane("90")
        await pilot.click(lane, offset=(5, 4))  # the second card's title line
        await pilot.pause()
        assert screen.window == "90" and screen.current_card()["num"] == 15
        await pilot.click(lane, offset=(5, 0), times=2)
        await pilot.pause()
        assert "Edit #14" in screen_text(app)


async def test_a_card_in_conflict_shows_a_warning(demo: Store, tmp_path) -> None:
    teammate = Store(tmp_path / "ben.db", create=True, actor="ben")
    teammate.apply(demo.operations())
    wizard = card(demo, "Ship the guided")
    store_cards.cycle_rag(demo, wizard["id"])
    store_cards.set_blocked(teammate, wizard["id"])
    store_cards.cycle_rag(teammate, wizard["id"])  # the same field, without seeing ours
    demo.apply(teammate.operations())
    teammate.close()
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        assert shows(app, "⚠ blocked ⚠ conflict @chloe in 13 days")


async def test_help_lists_the_board_keys(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for line in (
            "Move the card to the previous / next window",
            "shift ← → · H L",
            "Move the card up / down in its window",
            "Previous / next window",
            "Advance the state",
            "Cycle the RAG colour",
            "Filter live",
            "Only my cards",
            "Delete the card",
            "double-click opens",
            "Undo the last change",
        ):
            assert line in text, line


async def test_dragging_a_card_onto_another_column_moves_it(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    wizard = card(demo, "Ship the guided")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = board(app)
        await pilot.mouse_down(screen.lane("60"), offset=(5, 0))
        await pilot.mouse_up(screen.lane("later"), offset=(5, 1))
        await pilot.pause()
        assert demo.get("card", wizard["id"])["window"] == "later"
        assert screen.window == "later" and screen.current_card()["id"] == wizard["id"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert demo.get("card", wizard["id"])["window"] == "60"


@pytest.mark.preload
async def test_other_screens_can_open_the_board_filtered_on_a_key_result(demo: Store) -> None:
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        app.open_board("kr:3")
        assert await wait_for(
            pilot,
            lambda: (
                app.current_mode == "board" and getattr(app.screen, "filter_text", "") == "kr:3"
            ),
        )
        screen = board(app)
        shown = {c["num"] for w in ("30", "60", "90", "later") for c in screen.lane(w).cards}
        assert shown == {4, 7, 17}
        assert "Filter kr:3" in screen_text(app)


async def test_an_opened_card_shows_the_start_of_a_long_title_at_80_columns(demo: Store) -> None:
    wizard = card(demo, "Ship the guided")
    long_title = "Ship the guided setup wizard with sample data, invites and a tour for admins"
    demo.update("card", wizard["id"], {"title": long_title})
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.screen.query("#field-title"))
        await pilot.pause()
        assert shows(app, "Title * Ship the guided setup")
        await pilot.press("x")  # typing still replaces the whole title, as before
        assert app.screen.query_one("#field-title").value == "x"


async def test_an_empty_lane_says_what_hides_its_cards(demo: Store) -> None:
    """ "No cards here. n adds one." was shown when "only mine" or the filter hid the cards."""
    app = KickoffApp(demo, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("o", "l")  # 61–90 has none of ana's cards
        await pilot.pause()
        mine = [c for c in store_cards.board(demo) if c["window"] == "90"]
        assert not [c for c in mine if c["owner_handle"] == "ana"]
        assert shows(app, f"Only @ana's cards: {len(mine)} cards hidden here. o shows all.")
        assert not shows(app, "No cards here")
        await pilot.press("o", "slash", *"zzz", "enter")
        await pilot.pause()
        assert shows(app, f"The filter hides {len(mine)} cards here. esc clears it.")
        await pilot.press("o")
        await pilot.pause()
        assert shows(app, "“Only mine” and the filter hide")
        await pilot.press("escape")
        await pilot.pause()
        assert not shows(app, "hide") and shows(app, "Self-serve billing with annual")
