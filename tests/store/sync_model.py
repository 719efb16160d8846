"""A reference model of what a set of operations means, written from DESIGN.md alone.

It is deliberately naive: plain dicts and loops over the whole set, no SQL, no incremental
state, nothing shared with kickoff_tui.store.ops except the Op record itself. The model-based
sync test (test_sync_model.py) checks every replica against it after every step.

The rules, as DESIGN.md states them:
- an operation is ``{id, hlc, by, table, row_id, field, value, base}``; field ``*`` creates the
  row with its first values;
- a field's heads are its operations that no other operation of the same field names in `base`;
- one head is the value; several are a conflict when their values differ, and the winner is the
  head with the highest ``(hlc, id)`` (clocks compare as numbers);
- fields where concurrent moves settle by themselves (MOVE_FIELDS) are not shown as conflicts;
- a delete is an operation on ``deleted``; a row whose ``deleted`` heads all say 1 conflicts with
  the edits, by another replica, that no delete head names in its base;
- a row exists once its creation is known; its values are the creation's, each field replaced by
  its winner; `updated_at`/`updated_by` are those of the row's newest operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kickoff_tui.store.ops import Op

#: The fields whose concurrent edits settle by themselves (DESIGN: moves are not questions).
MOVE_FIELDS = {
    ("card", "window"),
    ("card", "position"),
    ("objective", "position"),
    ("key_result", "position"),
}

Key = tuple[str, str, str]  # (table, row_id, field)


def rank(op: Op) -> tuple[int, int, str]:
    """The order that picks a winner: the clock as numbers, then the operation id."""
    ms, _, counter = op.hlc.partition("-")
    return int(ms), int(counter), op.id


def replica(op: Op) -> str:
    return op.id.rsplit(":", 1)[0]


def at(op: Op) -> str:
    """The wall-clock part of the operation's clock, as the tables write it."""
    ms = int(op.hlc.partition("-")[0])
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


@dataclass
class Model:
    """What a set of operations means: heads, winners, conflicts and the rows."""

    ops: dict[str, Op]

    @classmethod
    def of(cls, ops: Iterable[Op]) -> Model:
        return cls({op.id: op for op in ops})

    def heads(self) -> dict[Key, list[Op]]:
        """Every edited field's heads, winner first."""
        by_field: dict[Key, list[Op]] = {}
        for op in self.ops.values():
            if op.field != "*":
                by_field.setdefault((op.table, op.row_id, op.field), []).append(op)
        heads = {}
        for key, ops in by_field.items():
            named = {b for op in ops for b in op.base}
            heads[key] = sorted((op for op in ops if op.id not in named), key=rank, reverse=True)
        return heads

    def conflicts(self, *, moves: bool = False) -> dict[Key, list[str]]:
        """Fields whose heads hold different values -> their head ids, winner first."""
        return {
            key: [h.id for h in hs]
            for key, hs in self.heads().items()
            if len({repr(h.value) for h in hs}) > 1 and (moves or key[::2] not in MOVE_FIELDS)
        }

    def delete_conflicts(self) -> dict[tuple[str, str], tuple[str, list[str]]]:
        """Deleted rows -> (the winning delete, the edits no delete saw), edits in clock order."""
        heads = self.heads()
        found = {}
        for (table, row_id, name), deletes in heads.items():
            if name != "deleted" or not all(d.value == 1 for d in deletes):
                continue
            unseen = [
                e
                for (t, r, f), hs in heads.items()
                if (t, r) == (table, row_id) and f != "deleted"
                for e in hs
                if all(e.id not in d.base and replica(e) != replica(d) for d in deletes)
            ]
            if unseen:
                found[(table, row_id)] = (deletes[0].id, [e.id for e in sorted(unseen, key=rank)])
        return found

    def rows(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(table, row_id) -> the row's values, for every row whose creation is known."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for op in self.ops.values():
            if op.field == "*":
                rows[(op.table, op.row_id)] = {"deleted": 0, **op.value}
        for (table, row_id, name), hs in self.heads().items():
            if (table, row_id) in rows:
                rows[(table, row_id)][name] = hs[0].value
        for (table, row_id), values in rows.items():
            newest = max(
                (op for op in self.ops.values() if (op.table, op.row_id) == (table, row_id)),
                key=rank,
            )
            values["updated_at"], values["updated_by"] = at(newest), newest.by
        return rows

    def value(self, table: str, row_id: str, name: str) -> Any:
        return self.rows()[(table, row_id)].get(name)

    def base_for(self, table: str, row_id: str, name: str, value: Any) -> set[str]:
        """What an edit's base must name: the heads of its field, or for a delete, the heads
        of every field of the row (the values the deleter saw)."""
        heads = self.heads()
        if name == "deleted" and value == 1:
            return {
                h.id for (t, r, _f), hs in heads.items() if (t, r) == (table, row_id) for h in hs
            }
        return {h.id for h in heads.get((table, row_id, name), [])}
