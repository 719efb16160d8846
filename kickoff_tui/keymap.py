"""Every key binding's id, its default keys and what it does: the names `[keymap]` in
config.toml remaps (`"board.new" = "a"`, applied with Textual's `App.set_keymap`) and
`kickoff keys` lists. Plain data, no Textual, so the command line stays fast;
tests/test_keymap.py checks this table against the bindings the code declares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: (id, default keys, what it does), in the order of the code (app, then screens and widgets).
KEYS: tuple[tuple[str, str, str], ...] = (
    ("app.go_board", "1", "Go to Board"),
    ("app.go_okrs", "2", "Go to OKRs"),
    ("app.go_risks", "3", "Go to Risks"),
    ("app.go_standup", "4", "Go to Standup"),
    ("app.go_review", "5", "Go to Review"),
    ("app.go_decisions", "6", "Go to Decisions"),
    ("app.go_team", "7", "Go to Team"),
    ("app.go_kickoff", "8", "Go to Kickoff"),
    ("app.go_inbox", "0", "Go to Inbox"),
    ("app.help", "question_mark", "Help"),
    ("app.undo", "ctrl+z", "Undo the last change made in this session"),
    ("app.toggle_light", "ctrl+t", "Light / dark theme"),
    ("app.sync_now", "S", "Sync now"),
    ("app.conflicts", "exclamation_mark", "Conflicts"),
    ("app.quit", "ctrl+q", "Quit"),
    ("list.filter", "slash", "Filter: only the rows holding every word typed (esc clears)"),
    ("list.clear_filter", "escape", "Clear filter"),
    ("board.new", "n", "New card in this window, after the cursor"),
    ("board.open", "enter", "Open the card in the editor"),
    ("board.state", "space", "Advance the state: todo → doing → done"),
    ("board.rag", "r", "Cycle the RAG colour: green → yellow → red"),
    ("board.delete", "d", "Delete the card (asks first)"),
    ("board.filter", "slash", "Filter live: words @owner state red tag:x kr:3"),
    ("board.mine", "o", "Only my cards (toggle)"),
    ("board.blocked", "b", "Block / unblock the card"),
    ("board.raci", "R", "RACI matrix: cards × people"),
    ("board.clear_filter", "escape", "Clear filter"),
    ("board.window_left", "left,h", "Previous window (column)"),
    ("board.window_right", "right,l", "Next window (column)"),
    ("board.card_up", "up,k", "Previous card"),
    ("board.card_down", "down,j", "Next card"),
    ("board.page_up", "pageup", "A page of cards up"),
    ("board.page_down", "pagedown", "A page of cards down"),
    ("board.first_card", "home,g", "First card of the column"),
    ("board.last_card", "end,G", "Last card of the column"),
    ("board.move_left", "shift+left,H", "Move the card to the previous window"),
    ("board.move_right", "shift+right,L", "Move the card to the next window"),
    ("board.move_up", "shift+up,K", "Move the card up in its window"),
    ("board.move_down", "shift+down,J", "Move the card down in its window"),
    ("conflicts.keep", "enter", "Keep this"),
    ("conflicts.merge", "m", "Type a merged value"),
    ("conflicts.close", "escape,q", "Back"),
    ("decisions.new", "n", "New decision"),
    ("decisions.edit", "enter", "Edit"),
    ("decisions.supersede", "s", "Supersede"),
    ("decisions.publish", "p", "Publish"),
    ("first_run.dismiss", "escape,q", "Close"),
    ("first_run.jump_1", "1", "First-run checklist: go to step 1"),
    ("first_run.jump_2", "2", "First-run checklist: go to step 2"),
    ("first_run.jump_3", "3", "First-run checklist: go to step 3"),
    ("first_run.jump_4", "4", "First-run checklist: go to step 4"),
    ("first_run.jump_5", "5", "First-run checklist: go to step 5"),
    ("first_run.jump_6", "6", "First-run checklist: go to step 6"),
    ("help.close", "escape,q,question_mark", "Close"),
    ("help.search", "slash", "Search"),
    ("inbox.open", "enter", "Open"),
    ("inbox.snooze", "z", "Snooze until tomorrow (this machine only)"),
    ("inbox.toggle_everyone", "a", "Mine / the whole team"),
    ("inbox.wake", "Z", "Bring back what I snoozed"),
    ("kickoff.tab_charter", "c", "The charter and open questions"),
    ("kickoff.tab_map", "m", "The stakeholder map and shortlist"),
    ("kickoff.tab_plan", "p", "The communication plan"),
    ("kickoff.new", "n", "New question / stakeholder / communication"),
    ("kickoff.edit", "e", "Edit the selected section, question, stakeholder…"),
    ("kickoff.answer", "a", "Answer the question / the five shortlist questions"),
    ("kickoff.done", "x", "Plan: mark the communication done (schedules the next)"),
    ("kickoff.contacted", "l", "Map: contacted today; plan the next contact"),
    ("kickoff.shortlist", "s", "Map: only shortlisted stakeholders, or all"),
    ("kickoff.filter", "slash", "Filter the list by words (the map: its stakeholders)"),
    ("kickoff.delete", "d", "Delete the selected item (asks first)"),
    ("kickoff.move_up", "shift+up", "Map: more influence"),
    ("kickoff.move_down", "shift+down", "Map: less influence"),
    ("kickoff.move_right", "shift+right", "Map: more interest"),
    ("kickoff.move_left", "shift+left", "Map: less interest"),
    ("kickoff.back", "escape", "Clear the filter; map: filter → list → grid → all"),
    ("kpi_history.close", "escape,h,q", "Close"),
    ("kpi_history.correct", "e", "Correct"),
    ("kpi_history.record", "r", "Record"),
    ("okr_history.close", "escape,h,q", "Close"),
    ("okr_history.correct", "e", "Correct"),
    ("okr_review.verdict", "enter,v", "Verdict"),
    ("okr_review.export", "x", "Export"),
    ("okr_review.end", "E", "End review"),
    ("okr_review.close", "escape,q", "Back"),
    ("okrs.check_in", "c", "Check-in"),
    ("okrs.new", "n", "New key result (objective row) or objective"),
    ("okrs.new_objective", "o", "New objective"),
    ("okrs.edit", "enter", "Edit"),
    ("okrs.delete", "d", "Delete"),
    ("okrs.history", "h", "History"),
    ("okrs.cards", "b", "Board filtered to its cards"),
    ("okrs.okr_review", "R", "Monthly OKR review"),
    ("person.close", "escape,q", "Back"),
    ("person.copy", "y", "Copy the page as Markdown"),
    ("pulse.answer", "a", "Answer"),
    ("pulse.open_pulse", "o", "Open a pulse"),
    ("pulse.edit_questions", "e", "Edit the questions (before it opens)"),
    ("pulse.step_prev", "left_square_bracket", "Earlier"),
    ("pulse.step_next", "right_square_bracket", "Later"),
    ("pulse.close", "escape,q", "Back"),
    ("pulse_answer.cancel", "escape,q", "Cancel"),
    ("pulse_answer.save", "ctrl+s", "Save"),
    ("pulse_answer.pick_1", "1", "Answer 1"),
    ("pulse_answer.pick_2", "2", "Answer 2"),
    ("pulse_answer.pick_3", "3", "Answer 3"),
    ("pulse_answer.pick_4", "4", "Answer 4"),
    ("pulse_answer.pick_5", "5", "Answer 5"),
    ("pulse_answer.move_prev", "up,k", "Previous question"),
    ("pulse_answer.move_next", "down,j,enter", "Next question (enter skips)"),
    ("pulse_answer.pick_0", "0,delete,backspace", "Clear this answer"),
    ("raci.role_R", "r", "Responsible: does the work"),
    ("raci.role_A", "a", "Accountable: one per card, signs it off"),
    ("raci.role_C", "c", "Consulted: asked before"),
    ("raci.role_I", "i", "Informed: told after"),
    ("raci.role_clear", "space,backspace", "Clear the role in the cell"),
    ("raci.close", "escape,q", "Back"),
    ("retro.add", "a", "Add"),
    ("retro.vote", "plus,equals_sign", "Vote"),
    ("retro.card", "c", "Turn the item into a card with an owner"),
    ("retro.risk", "r", "Turn the item into a risk update"),
    ("retro.decision", "D", "Record a decision"),
    ("retro.column_prev", "left,h", "Column"),
    ("retro.column_next", "right,l", "Column"),
    ("retro.export", "x", "Export"),
    ("retro.end", "E", "End retro"),
    ("retro.close", "escape,q", "Back"),
    ("review.present", "P", "Present"),
    ("review.since", "s", "Changes since…"),
    ("review.export", "x", "Export as Markdown"),
    ("review.retro", "R", "The retrospective"),
    ("review.page_next", "space", "Next page"),
    ("review.page_prev", "shift+space", "Previous page"),
    ("review.jump_objectives", "o", "Jump to objectives"),
    ("review.jump_board", "b", "Jump to board"),
    ("review.jump_risks", "r", "Jump to risks"),
    ("review.jump_decisions", "d", "Jump to decisions and blockers"),
    ("review.jump_changes", "c", "Jump to changes since"),
    ("risk_history.dismiss", "escape,h,q", "Close"),
    ("risks.toggle_residual", "t", "Grid: inherent or residual positions"),
    ("risks.new", "n", "New risk in the selected cell"),
    ("risks.edit", "e", "Edit the selected risk"),
    ("risks.delete", "d", "Delete the selected risk (asks first)"),
    ("risks.history", "h", "Score history of the selected risk"),
    ("risks.filter", "slash", "Filter by title, owner, cause, status…"),
    ("risks.move_up", "shift+up", "Selected risk: one step more likely"),
    ("risks.move_down", "shift+down", "Selected risk: one step less likely"),
    ("risks.move_right", "shift+right", "Selected risk: one step more impact"),
    ("risks.move_left", "shift+left", "Selected risk: one step less impact"),
    ("risks.back", "escape", "Back: filter → list → grid → all risks"),
    ("standup.start", "s", "Start today's standup"),
    ("standup.step_next", "ctrl+right,space", "Next speaker, also from inside a field"),
    ("standup.step_prev", "ctrl+left", "Previous speaker, also from a field"),
    ("standup.leave", "escape", "Leave the field; back to the list"),
    ("standup.raise_blocker", "B", "Raise a blocker"),
    ("standup.own_blocker", "o", "Give a blocker an owner"),
    ("standup.resolve_blocker", "r", "Resolve a blocker"),
    ("standup.decide", "D", "Record a decision"),
    ("standup.check_in", "c", "Check in a key result"),
    ("standup.end", "e", "End (not while its blockers lack owners)"),
    ("standup.end_yes", "E", "End anyway, blockers left unowned"),
    ("standup.pause", "p", "Pause or resume the clocks"),
    ("standup.copy_minutes", "m", "Copy the minutes as Markdown"),
    ("standup.from_field_end", "alt+e", "From a field: end the standup"),
    ("standup.from_field_raise_blocker", "alt+shift+b", "From a field: raise a blocker"),
    ("standup.from_field_decide", "alt+shift+d", "From a field: record a decision"),
    ("standup.cancel_standup", "x", "Cancel (delete) a standup nothing was recorded in"),
    ("team.new", "n", "New person"),
    ("team.edit", "enter", "Edit the person"),
    ("team.toggle_active", "d", "Deactivate or reactivate"),
    ("team.page", "p", "Open the person's page (onboarding)"),
    ("team.first_action", "f", "First action: a card, due within 72 h"),
    ("team.this_is_me", "m", "This is me on this machine"),
    ("confirm.yes", "y", "Yes"),
    ("confirm.no", "n,escape,q", "No"),
    ("form.cancel", "escape,q", "Cancel"),
    ("form.save", "ctrl+s", "Save"),
    ("kpis.record", "r,c", "Record a reading of the highlighted KPI"),
    ("kpis.new", "n", "New KPI"),
    ("kpis.delete", "d", "Delete"),
    ("kpis.history", "h", "History"),
    ("kpis.no_cards", "b", "Says KPIs have no cards (b is key results' cards)"),
    ("risk_grid.move_up", "up", "Cell cursor: more likely"),
    ("risk_grid.move_down", "down", "Cell cursor: less likely"),
    ("risk_grid.move_right", "right", "Cell cursor: more impact"),
    ("risk_grid.move_left", "left", "Cell cursor: less impact"),
    ("risk_grid.choose", "enter", "Go to the cell's risks"),
    ("speakers.move_prev", "shift+up", "Move the highlighted speaker earlier"),
    ("speakers.move_next", "shift+down", "Move the highlighted speaker later"),
    ("speakers.toggle_away", "a", "Mark the highlighted speaker away / back"),
    ("list.down", "j", "Next row of a table or list"),
    ("list.up", "k", "Previous row of a table or list"),
    ("list.top", "g,home", "First row of a table or list"),
    ("list.bottom", "G,end", "Last row of a table or list"),
)

IDS = frozenset(bid for bid, _, _ in KEYS)


def check(
    table: Any, is_key: Callable[[str], bool], source: str = ""
) -> tuple[dict[str, str], list[str]]:
    """The usable entries of a `[keymap]` table (id -> keys) and one sentence per entry that
    can't be used (an unknown id, a value that isn't text, a key `is_key` doesn't know), which
    is then ignored while the others apply. With the file's text (`source`), each sentence
    starts with the entry's line."""
    if not isinstance(table, Mapping):
        return {}, [
            '[keymap] in config.toml is not a table of "id" = "key" lines, so it is ignored.'
        ]
    good: dict[str, str] = {}
    problems: list[str] = []
    for bid, keys in flat(table).items():
        line = line_of(source, bid)
        entry = f"Line {line}: [keymap] {bid!r}" if line else f"[keymap] {bid!r}"
        if bid not in IDS:
            problems.append(
                f"{entry} is not a key binding id (`kickoff keys` lists them), so it is ignored."
            )
        elif not isinstance(keys, str):
            problems.append(
                f'{entry} should be a key name in quotes, such as "a" or "ctrl+n", so it is ignored.'
            )
        else:
            parts = [part.strip() for part in keys.split(",")]
            bad = next((part for part in parts if not part or not is_key(part)), None)
            if bad is not None:
                problems.append(f"{entry} = {keys!r}: {bad!r} is not a key name, so it is ignored.")
            else:
                good[bid] = ",".join(parts)
    return good, problems


def line_of(source: str, bid: str) -> int | None:
    """The line of config.toml's text `source` where `[keymap]` sets `bid` (None if not found:
    a dotted or inline table)."""
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        text = line.strip()
        if text.startswith("["):
            inside = text.split("#")[0].strip() == "[keymap]"
        elif inside and text.partition("=")[0].strip().strip("\"'") == bid:
            return number
    return None


def flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`[keymap]` with its dotted keys joined again: TOML reads `board.new = "a"` (unquoted) as
    {"board": {"new": "a"}}, which is the id "board.new"."""
    found: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            found.update(flat(value, f"{prefix}{name}."))
        else:
            found[f"{prefix}{name}"] = value
    return found
