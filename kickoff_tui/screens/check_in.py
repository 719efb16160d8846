"""The key-result check-in form, one flow for every screen that records a check-in.

Value and confidence are prefilled from the last check-in (typing replaces them), the value is
checked against the key result's kind (binary 0/1, whole milestones), and the check-in is one
edit through the store, so ctrl+z takes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kickoff_tui.rules.numbers import format_number
from kickoff_tui.rules.okr import checkin_problem
from kickoff_tui.store import okrs
from kickoff_tui.store.okrs import KrView
from kickoff_tui.store.ops import Store
from kickoff_tui.widgets.form import Field, FormScreen
from kickoff_tui.widgets.form_fields import confidence, note

if TYPE_CHECKING:
    from kickoff_tui.app import KickoffApp


def value_check(kind: str, values: dict[str, Any]) -> dict[str, str]:
    """A check-in form's whole-form check: the value must suit the kind (binary 0/1, ...)."""
    problem = checkin_problem(kind, values.get("value"))
    return {"value": problem} if problem else {}


def find_kr(store: Store, key_result_id: str) -> KrView | None:
    """The key result's view (progress, last values, kind) as the OKR screen shows it."""
    for objective in okrs.view(store).objectives:
        for kr in objective.key_results:
            if kr.id == key_result_id:
                return kr
    return None


async def check_in(app: KickoffApp, store: Store, kr: KrView, author_id: str | None) -> bool:
    """Ask for a check-in on `kr` and record it; False when cancelled or refused."""
    if kr.from_cards:
        app.notify(
            f"{kr.ref} counts its linked cards ({kr.cards_done}/{kr.cards} done): "
            "move a card to done on the board instead.",
            markup=False,
        )
        return False
    last = okrs.last_check_in(store, kr.id)
    unit = f" {kr.unit}" if kr.unit else ""
    target = "" if kr.target is None else f"; target {format_number(kr.target)}{unit}"
    hint = "1 = done, 0 = not yet" if kr.kind == "binary" else f"e.g. 12, 12.5, 12,5 or 45%{target}"
    result = await app.push_screen_wait(
        FormScreen(
            f"Check in {kr.ref} {kr.title}",
            [
                Field(
                    "value",
                    "Value now",
                    kind="number",
                    required=True,
                    value=last["value"] if last else kr.current,
                    hint=hint,
                ),
                confidence(
                    last["confidence"] if last else kr.confidence,
                    "0–10: how sure you are the target will be met",
                ),
                note(),
            ],
            submit="Check in",
            check=lambda v: value_check(kr.kind, v),
        )
    )
    if result is None:
        return False
    saved = app.session.edit(
        okrs.check_in,
        store,
        kr.id,
        value=result["value"],
        confidence=result["confidence"],
        note=result["note"],
        author_id=author_id,
    )
    if saved:
        app.notify(f"Checked in {kr.ref}: {format_number(result['value'])}{unit}.", markup=False)
    return bool(saved)
