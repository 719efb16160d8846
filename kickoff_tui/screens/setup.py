"""App-wide setup dialogs: who am I on this machine, and the workspace settings form.

Both run as workers (they wait for a form) and write through store functions with
`app.session.edit`, so they can be undone like any edit. "Who am I" is kept on this machine only (never synced).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual.content import Content

from kickoff_tui.rules.people import TIMEBOX_RANGE, WEEKDAYS, check_time
from kickoff_tui.store import people as ps
from kickoff_tui.widgets.form import ConfirmScreen, Field, FormScreen

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp

ADD_ME = "__add_me__"


def should_ask_who_i_am(app: KickoffApp) -> bool:
    """Ask on the first open of a workspace where this machine's user is unknown (never when
    KICKOFF_USER says who, on a read-only file, or once asked)."""
    import os

    session = app.session
    store = session.store
    if store.readonly or os.environ.get("KICKOFF_USER"):
        return False
    return not ps.me_asked(store)


async def who_am_i(app: KickoffApp, *, first: bool = False) -> None:
    """Pick yourself from the team, or add yourself; remembered on this machine only."""
    from kickoff_tui.screens.team import person_fields

    session = app.session
    store = session.store
    team = [
        (f"{p['name']} (@{p['handle']})", p["id"]) for p in ps.everyone(store) if p["active"] != 0
    ]
    if team:
        current = ps.me(store)
        result = await app.push_screen_wait(
            FormScreen(
                "Who are you on this machine?",
                [
                    Field(
                        "me",
                        "I am",
                        kind="choice",
                        value=current,
                        required=True,
                        choices=[*team, ("Someone new: add me to the team", ADD_ME)],
                        hint="kept on this machine only; your changes carry this name",
                    )
                ],
                submit="That's me",
            )
        )
        if result is None:
            if first:
                store.set_meta("me_asked", "1")
                app.notify("You can say who you are later: ctrl+p, Who am I.", markup=False)
            return
        chosen = result["me"]
    else:
        chosen = ADD_ME
    if chosen == ADD_ME:
        fields, check = person_fields(store, None)
        added = await app.push_screen_wait(
            FormScreen(
                "Who are you? Add yourself to the team" if first else "Add yourself to the team",
                fields,
                check=check,
                submit="Add me",
            )
        )
        if added is None:
            if first:
                store.set_meta("me_asked", "1")
            return
        chosen = session.edit(ps.add_person, store, added)
        if not chosen:
            return
    person = session.safe(ps.set_me, store, chosen)
    if person is not None:
        store.set_meta("me_asked", "1")
        session.changed()
        app.notify(f"On this machine you are {person['name']} (@{person['handle']}).", markup=False)


def settings_fields(ws: dict[str, Any]) -> list[Field]:
    from kickoff_tui.store.workspace import valid_timezone

    def timezone(text: str) -> str:
        tz = text.strip()
        if not valid_timezone(tz):
            raise ValueError(f"{tz[:40]!r} is not a time zone name; use one like Europe/Paris.")
        return tz

    low, high = TIMEBOX_RANGE
    return [
        Field("name", "Name", value=ws.get("name"), required=True, max_len=100),
        Field(
            "purpose",
            "Purpose",
            value=ws.get("purpose") or ws.get("vision"),
            max_len=200,
            hint="one line: why this team exists",
        ),
        Field(
            "kickoff_date",
            "Kickoff date",
            kind="date",
            value=ws.get("kickoff_date"),
            required=True,
            hint="day 0 of the 90 days; dated cards follow it",
        ),
        Field(
            "timezone",
            "Time zone",
            value=ws.get("timezone") or "UTC",
            parse=timezone,
            required=True,
            hint="e.g. Europe/Paris",
        ),
        Field(
            "standup_day",
            "Standup day",
            kind="choice",
            value=ws.get("standup_day"),
            choices=[(d.capitalize(), d) for d in WEEKDAYS],
        ),
        Field(
            "standup_time",
            "Standup time",
            value=ws.get("standup_time"),
            parse=check_time,
            hint="HH:MM, e.g. 09:30",
        ),
        Field(
            "standup_timebox_min",
            "Timebox (min)",
            kind="int",
            value=ws.get("standup_timebox_min") or 15,
            minimum=low,
            maximum=high,
            required=True,
            hint=f"{low}–{high} minutes, the guides' range",
        ),
        *rhythm_fields(ws),
    ]


def rhythm_fields(ws: dict[str, Any]) -> list[Field]:
    """The cadence settings: monthly OKR review, review time, retros, pulse frequency."""
    from kickoff_tui.rules.cadence import check_monthly, monthly_label

    day = ws.get("okr_review_day")
    return [
        Field(
            "okr_review_day",
            "OKR review",
            value=monthly_label(day) if isinstance(day, str) and day else None,
            parse=check_monthly,
            hint="monthly: a day (10; 31 = last day) or 'first Tuesday'",
        ),
        Field(
            "review_time",
            "Review time",
            value=ws.get("review_time"),
            parse=check_time,
            hint="HH:MM of the OKR review and retros",
        ),
        Field(
            "retro_every",
            "Retro",
            kind="choice",
            value=ws.get("retro_every") or "day90",
            choices=[
                ("At day 90", "day90"),
                ("Every 2 weeks, and day 90", "fortnightly"),
                ("Days 30, 60 and 90", "monthly"),
            ],
        ),
        Field(
            "pulse_every",
            "Pulse check",
            kind="choice",
            value=ws.get("pulse_every") or "weekly",
            choices=[("Weekly", "weekly"), ("Every two weeks", "fortnightly")],
            hint="how long each pulse stays open",
        ),
    ]


async def edit_settings(app: KickoffApp) -> None:
    """The workspace settings form; a new kickoff date says how many cards change window and
    asks before saving (one undoable change)."""
    from kickoff_tui.store.workspace import update_settings, window_changes

    session = app.session
    store = session.store
    ws = session.safe(store.workspace)
    if ws is None:
        return
    result = await app.push_screen_wait(FormScreen("Workspace settings", settings_fields(ws)))
    if result is None:
        return
    values = dict(result)
    if isinstance(values.get("kickoff_date"), date):
        values["kickoff_date"] = values["kickoff_date"].isoformat()
    if not ws.get("purpose") and values.get("purpose") in (None, ws.get("vision")):
        values.pop("purpose")  # the vision shown as a starting point stays the vision
    if values.get("kickoff_date") != ws.get("kickoff_date"):
        moved = session.safe(window_changes, store, values["kickoff_date"], values.get("timezone"))
        if moved is None:
            return
        if moved:
            n = len(moved)
            ok = await app.push_screen_wait(
                ConfirmScreen(
                    f"{n} card{' changes' if n == 1 else 's change'} window. Save?",
                    detail=Content(
                        f"Day 0 becomes {values['kickoff_date']}: dated cards move to the "
                        "window their due date now falls in. ctrl+z undoes it all."
                    ),
                    yes="Save",
                )
            )
            if not ok:
                return
    before = store.last_change
    session.edit(update_settings, store, values)
    if store.last_change is not before:
        session.workspace = store.workspace()
        app.title = session.workspace.get("name") or "kickoff"
        app.notify("Saved the workspace settings.", markup=False)
