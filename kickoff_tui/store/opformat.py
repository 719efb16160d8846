"""The op format: an operation as a value, as a line of a sync log, and the checks on reading one.

An operation is ``{id, hlc, by, table, row_id, field, value, base, tx}``: `id` is
``replica:seq``, `hlc` a hybrid logical clock, `base` the ids of the operations whose values the
editor saw. Creating a row is one operation on the pseudo-field ``*`` (:data:`CREATE`) whose
value is the row's first values. A sync log (``ops/<replica>.jsonl``) is a header line naming the
workspace (:func:`log_header`) and then one operation per line (:func:`log_line`), canonical JSON.

Everything read from elsewhere goes through :func:`read_op` (a log line) or :func:`validate`:
known tables and fields, values of the column's type and in the field's domain
(``rules/domains.py``), clocks in the fixed-width form and within real dates.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from kickoff_tui import clock
from kickoff_tui.rules import domains
from kickoff_tui.rules.text import strip_controls, visible
from kickoff_tui.store import schema
from kickoff_tui.store.errors import InvalidEdit, UnknownField
from kickoff_tui.store.ids import HLC_FORM, hlc_ok, hlc_unpack

_HLC_FORM = HLC_FORM.fullmatch
#: A sequence number as this program writes it: no sign, no leading zero, within SQLite's range.
_SEQ_FORM = re.compile(r"0|[1-9][0-9]{0,17}").fullmatch

CREATE = "*"

#: The sync log format this program writes (the header's "format").
FORMAT = 1

_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def _dumps(value: Any) -> str:
    """Canonical JSON (the same value always gives the same text); cheap for the common cases."""
    if value is None:
        return "null"
    if type(value) is str:
        return _encode_str(value)
    if type(value) is int:
        return str(value)
    if type(value) in (list, tuple) and all(type(x) is str for x in value):
        return "[" + ",".join(map(_encode_str, value)) + "]"  # what json.dumps writes
    return _encode(value)


#: json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True), without
#: making a new encoder for every call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


@dataclass(frozen=True)
class Op:
    """One recorded change of one field (or the creation of a row, field ``*``)."""

    id: str
    hlc: str
    by: str
    table: str
    row_id: str
    field: str
    value: Any
    base: tuple[str, ...] = ()
    tx: str | None = None

    @property
    def replica(self) -> str:
        return self.id.rsplit(":", 1)[0]

    @property
    def seq(self) -> int:
        return int(self.id.rsplit(":", 1)[1])

    @property
    def at(self) -> str:
        """The wall-clock part of the clock, as ISO-8601 UTC."""
        return clock.iso_from_ms(hlc_unpack(self.hlc)[0])

    def to_dict(self) -> dict[str, Any]:
        """The operation as written to a sync log (keys as in DESIGN.md)."""
        return {
            "id": self.id,
            "hlc": self.hlc,
            "by": self.by,
            "table": self.table,
            "row_id": self.row_id,
            "field": self.field,
            "value": self.value,
            "base": list(self.base),
            "tx": self.tx,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Op:
        """Read an operation from untrusted input; raise InvalidEdit if it is malformed."""
        try:
            op_id, hlc, table, row_id, name = d["id"], d["hlc"], d["table"], d["row_id"], d["field"]
            base, by, tx = d.get("base") or [], d.get("by") or "", d.get("tx")
            if (
                type(op_id) is str
                and type(hlc) is str
                and type(table) is str
                and type(row_id) is str
                and type(name) is str
                and type(by) is str
                and (tx is None or type(tx) is str)
                and type(base) is list
                and (not base or all(type(x) is str for x in base))
                and by.isprintable()
            ):
                # The common case, a line this program wrote: no conversions needed.
                op = cls(op_id, hlc, by, table, row_id, name, d.get("value"), tuple(base), tx)
                hlc_unpack(op.hlc)
                int(op.id.rsplit(":", 1)[1])
                return op
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidEdit(f"Malformed operation ({exc}).") from None
        try:
            if not isinstance(d.get("base") or [], list):
                raise TypeError("base must be a list")
            op = cls(
                id=str(d["id"]),
                hlc=str(d["hlc"]),
                by=strip_controls(str(d.get("by") or "")),  # an author name is text we show
                table=str(d["table"]),
                row_id=str(d["row_id"]),
                field=str(d["field"]),
                value=d.get("value"),
                base=tuple(str(b) for b in d.get("base") or ()),
                tx=None if d.get("tx") is None else str(d["tx"]),
            )
            hlc_unpack(op.hlc)
            op.seq  # noqa: B018 - validates the replica:seq form
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InvalidEdit(f"Malformed operation ({exc}).") from None
        return op

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Op:
        return cls(
            id=row["id"],
            hlc=row["hlc"],
            by=row["by"] or "",
            table=row["tbl"],
            row_id=row["row_id"],
            field=row["field"],
            value=json.loads(row["value"]) if row["value"] is not None else None,
            base=tuple(json.loads(row["base"] or "[]")),
            tx=row["tx"],
        )


def coerce(table: str, fieldname: str, value: Any) -> Any:
    """Check a value against the schema and return it in the column's type.

    Raises InvalidEdit for unknown tables or fields and for values of the wrong type, so an
    operation from an untrusted sync log can never name SQL or store garbage.
    """
    kind = schema.field_type(table, fieldname)
    if kind is None:
        raise InvalidEdit(f"There is no field {fieldname!r} in {table!r}.")
    if value is None:
        return None
    if kind is str and isinstance(value, str):
        return strip_controls(value)
    if kind is int and isinstance(value, int):
        return int(value)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise InvalidEdit(f"{table}.{fieldname} must be a finite number.")
        return float(value)
    raise InvalidEdit(f"{table}.{fieldname} must be {kind.__name__}, not {type(value).__name__}.")


#: Clocks outside 2000-01-01 .. 9999-12-31 can't be real (and can't be shown as dates).
_HLC_MIN_MS, _HLC_MAX_MS = 946_684_800_000, 253_402_300_799_999


def validate(op: Op) -> None:
    """Raise InvalidEdit if `op` (read from a sync log) could not be applied here."""
    _validate(op, domain=True)


#: (table, field) -> python type, as schema.field_type answers, for the hot path of a join.
_KINDS: dict[tuple[str, str], type] = {
    **{(t, f): k for t, cols in schema.TABLES.items() for f, k in cols.items()},
    **{(t, "deleted"): int for t in schema.TABLES},
}


_new, _set = object.__new__, object.__setattr__


def _op(
    op_id: str,
    hlc: str,
    by: str,
    table: str,
    row_id: str,
    name: str,
    value: Any,
    base: tuple[str, ...],
    tx: str | None,
) -> Op:
    """Op(...) for values already checked, twice as fast: one frozen __dict__, not 9 setattrs."""
    op = _new(Op)
    _set(
        op,
        "__dict__",
        {
            "id": op_id,
            "hlc": hlc,
            "by": by,
            "table": table,
            "row_id": row_id,
            "field": name,
            "value": value,
            "base": base,
            "tx": tx,
        },
    )
    return op


#: Fields whose values have a domain beyond their type (see rules/domains.py).
_DOMAIN_KEYS = frozenset(
    {
        *domains.CHOICES,
        *domains.RANGES,
        *domains.DAYS,
        *domains.DUES,
        *domains.INSTANTS,
        *domains.SHAPES,  # timezone, times, monthly day, pulse questions and answers
    }
)


def _domain(table: str, name: str) -> Any:
    """How a value of `table.name` is checked beyond its type, as :func:`domains.problem`
    does: None (not at all), a frozenset of choices, a (low, high) range, or a predicate."""
    key = (table, name)
    if name == "deleted":
        return frozenset({0, 1})
    if key in domains.CHOICES:
        return frozenset(domains.CHOICES[key])
    if key in domains.RANGES:
        return domains.RANGES[key]
    if key in _DOMAIN_KEYS:
        return lambda value: domains.problem(table, name, value) is None
    return None


#: (table, field) -> (python type, its domain as _domain gives it).
_SPECS: dict[tuple[str, str], tuple[type, Any]] = {
    key: (kind, _domain(*key)) for key, kind in _KINDS.items()
}
_INT_MIN, _INT_MAX = domains.INT_MIN, domains.INT_MAX


def _value_ok(table: str, name: str, value: Any) -> bool:
    """True when :func:`_validate` would accept `value` for `table.name` as it is (text is
    checked for lone surrogates by the caller)."""
    spec = _SPECS.get((table, name))
    if spec is None:
        return False
    if value is None:
        return name != "deleted"
    kind, domain = spec
    t = type(value)
    if t is str:
        if kind is not str:
            return False
    elif t is int:
        if kind is str or not _INT_MIN <= value <= _INT_MAX:
            return False
    elif t is float:
        if kind is not float or value - value != 0.0:  # NaN and infinities are refused
            return False
    else:
        return False
    if domain is None:
        return True
    kind = type(domain)
    if kind is frozenset:
        return value in domain
    ok: bool = domain[0] <= value <= domain[1] if kind is tuple else domain(value)
    return ok


def read_op(d: Any, *, unicode_checked: bool = False) -> Op:
    """An operation from one line of a sync log: :meth:`Op.from_dict` then :func:`validate`.

    The usual line (written by this program: plain types, known fields) takes a short path;
    anything else takes the long one, which raises InvalidEdit with the precise reason.
    `unicode_checked`: the caller knows the line holds no lone surrogate (no ``\\ud8``
    escape in its bytes), so its text needn't be checked again here.
    """
    try:
        if not unicode_checked:
            _encode(d).encode("utf-8")  # a lone surrogate anywhere: the long way says so
        op_id, hlc, table, name, base = d["id"], d["hlc"], d["table"], d["field"], d["base"]
        row_id, by, tx, value = d["row_id"], d["by"], d["tx"], d["value"]
        if (
            type(op_id) is str
            and type(hlc) is str
            and type(table) is str
            and type(row_id) is str
            and type(name) is str
            and type(by) is str
            and (tx is None or type(tx) is str)
            and type(base) is list
            and (
                not base
                or (len(base) == 1 and type(base[0]) is str)
                or all(type(x) is str for x in base)
            )
            and op_id.isprintable()
            and row_id.isprintable()
            and by.isprintable()
            and (tx is None or tx.isprintable())
            and (
                not base
                or (base[0].isprintable() if len(base) == 1 else "".join(base).isprintable())
            )
            and len(hlc) == 21
            and _HLC_FORM(hlc) is not None
            and _HLC_MIN_MS <= int(hlc[:15]) <= _HLC_MAX_MS
            and _SEQ_FORM(op_id.rpartition(":")[2]) is not None
        ):
            if name != CREATE:
                ok = _value_ok(table, name, value)
            elif type(value) is dict and table in schema.TABLES:
                ok = True
                for k, v in value.items():
                    if not _value_ok(table, k, v):
                        ok = False
                        break
            else:
                ok = False
            if ok:
                return _op(op_id, hlc, by, table, row_id, name, value, tuple(base), tx)
    except (KeyError, TypeError, ValueError, IndexError, UnicodeEncodeError, RecursionError):
        pass
    op = Op.from_dict(d)
    _validate(op, domain=True)
    return op


def _validate(op: Op, *, domain: bool = False) -> None:
    """Raise InvalidEdit unless `op` can be stored: its clock, id, table, fields and their
    types (and, with `domain`, what each field may hold: a sync log's line is held to that;
    an import of the file's own export, or a rebuild, keeps what the file already held)."""
    ids = (op.id, op.row_id, op.tx or "", *op.base)
    if not all(i.isprintable() for i in ids):
        raise InvalidEdit(f"Operation {visible(op.id)} has control characters in its ids.")
    try:
        ms, _counter = hlc_unpack(op.hlc)
    except ValueError:
        raise InvalidEdit(f"Operation {op.id} has an unreadable clock {op.hlc!r}.") from None
    if not hlc_ok(op.hlc):
        raise InvalidEdit(f"Operation {op.id} has a clock not in the fixed form ({op.hlc!r}).")
    if not _HLC_MIN_MS <= ms <= _HLC_MAX_MS:
        raise InvalidEdit(f"Operation {op.id} has a clock outside any real date ({op.hlc}).")
    if op.seq < 0 or op.seq > domains.INT_MAX or op.id.rpartition(":")[2] != str(op.seq):
        raise InvalidEdit(f"Operation {op.id!r} has an id not in the form replica:number.")
    if op.table not in schema.TABLES:
        raise UnknownField(f"Operation {op.id} names an unknown table {op.table!r}.")
    if op.field == CREATE:
        if not isinstance(op.value, dict):
            raise InvalidEdit(f"Operation {op.id} creates a row without values.")
        values = op.value
    else:
        values = {op.field: op.value}
    for k, v in values.items():
        if schema.field_type(op.table, k) is None:
            raise UnknownField(f"There is no field {k!r} in {op.table!r}.")
        coerce(op.table, k, v)
        why = domains.problem(op.table, k, v) if domain or k == "deleted" else None
        if why is None and type(v) is int and not domains.INT_MIN <= v <= domains.INT_MAX:
            why = f"{op.table}.{k} is too large a number"
        if why:
            raise InvalidEdit(f"Operation {op.id}: {why}.")
    try:
        _dumps(op.to_dict()).encode("utf-8")
    except UnicodeEncodeError:
        shown = op.id.encode("utf-8", "replace").decode("utf-8")
        raise InvalidEdit(
            f"Operation {shown} holds text that is not valid Unicode (a lone surrogate)."
        ) from None


def log_header(wsid: str, replica: str) -> bytes:
    """The first line of a replica's sync log: which workspace and replica it belongs to."""
    return (
        _dumps({"kickoff": "ops", "format": FORMAT, "workspace": wsid, "replica": replica}) + "\n"
    ).encode("utf-8")


def log_line(op: Op) -> bytes:
    """One operation as a line of a sync log (canonical JSON, UTF-8)."""
    return (_dumps(op.to_dict()) + "\n").encode("utf-8")
