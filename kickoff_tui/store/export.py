"""Exports (Markdown review, TOML workspace, CSV tables) and the TOML import.

**Markdown** is the review page as a document (:func:`review_markdown`), built from the same
:class:`~kickoff_tui.store.review.Review` the review screen shows.

**TOML** is the whole workspace, for people and for moving it elsewhere (:func:`workspace_toml`):
a ``[kickoff]`` table (format and version), then every synced table in schema order as an array
of tables (``[[card]]``) sorted by id, each row's keys in schema order (id, its fields, then
created_at, updated_at, updated_by, deleted). It holds the rows as they are now, not their
history: the operation log, per-machine settings and the losing sides of sync conflicts are left
out. TOML has no null, so **a key that is absent means NULL** and an empty string stays an empty
string (``note = ""``); on import every absent key is NULL again. ``deleted = 1`` rows
(tombstones) are exported too, so the short numbers (#12, ranked by creation including
tombstones) stay the same after an import. Multi-line text is written as multi-line strings,
except in a row whose text contains CR LF line ends, which are escaped so they survive.

**Import** (:func:`import_toml`) creates a NEW workspace file from a TOML export and refuses an
existing path. It is built at ``<path>.partial`` and moved into place when complete, so a kill
half way leaves no workspace that looks whole, and running the import again finishes it. It keeps every row's id (links between rows, and JSON lists of ids such as a
standup's speaker order, stay valid), and its created_at, updated_at and updated_by: each row
is recreated as operations of the new file's own replica whose clocks carry those instants (a
creation at created_at, plus one operation on ``deleted`` at updated_at by updated_by when the
row was changed or deleted later), applied through the same path sync uses. So the tables are
the materialized view of a real operation log, the new workspace can sync, and export → import →
export gives the same bytes. No activity line is added for the import itself (it would change
the export). Rows missing id or timestamps (a hand-written file) get new ones.

**CSV** is one file per table (``<table>.csv``, UTF-8, header = the columns in schema order, rows
sorted by id, NULL = empty cell), for spreadsheets; it is an export only. Text cells starting
with ``=``, ``+``, ``-``, ``@``, tab or CR get a leading ``'`` so a spreadsheet never runs them
as formulas (numbers, negative ones included, are left as numbers). Next to an id a person
can't read it adds a readable column: `owner_handle` after `owner_id` (and each person column),
`window_label` ("0–30") after a card's `window`.

Long exports report progress through a ``progress(done, total)`` callback.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kickoff_tui import clock
from kickoff_tui.rules.dates import parse_instant
from kickoff_tui.rules.markdown import table as md_table
from kickoff_tui.rules.risk import band
from kickoff_tui.rules.status import labelled, rag_mark
from kickoff_tui.rules.windows import WINDOW_LABELS
from kickoff_tui.store import review as rv
from kickoff_tui.store import schema
from kickoff_tui.store.errors import InvalidEdit, StoreError
from kickoff_tui.store.ids import hlc_pack, new_id
from kickoff_tui.store.ops import CREATE, Op, Store, coerce
from kickoff_tui.store.workspace import built_aside, checkpoint_and_close

Progress = Callable[[int, int], None]

FORMAT = "kickoff-tui workspace"
FORMAT_VERSION = 1
#: Operations applied per transaction on import (progress is reported between them).
IMPORT_CHUNK = 2000

TOML_HEADER = """\
# A kickoff-tui workspace, exported with `kickoff export --format toml`.
# Tables are arrays of tables sorted by id; keys follow the schema. A missing key means the
# value is empty (NULL): TOML has no null. deleted = 1 marks a deleted row, kept so the short
# numbers (#12) stay the same. Re-create a workspace from it with `kickoff import FILE.toml`.

"""


def _noop(done: int, total: int) -> None:
    pass


def row_count(store: Store) -> int:
    """How many rows a full export writes (for progress totals)."""
    return sum(store.one(f"SELECT count(*) FROM {t}")[0] for t in schema.TABLES)


def _rows(store: Store, table: str) -> list[dict[str, Any]]:
    cols = schema.columns(table)
    quoted = ", ".join(f'"{c}"' for c in cols)
    return [dict(zip(cols, r)) for r in store.rows(f"SELECT {quoted} FROM {table} ORDER BY id")]


# ---------------------------------------------------------------------- TOML


def workspace_toml(store: Store, progress: Progress = _noop) -> str:
    """The whole workspace as TOML text (see the module docstring for the layout)."""
    import tomli_w

    total = row_count(store)
    done = 0
    parts = [TOML_HEADER, tomli_w.dumps({"kickoff": {"format": FORMAT, "version": FORMAT_VERSION}})]
    for table in schema.TABLES:
        for row in _rows(store, table):
            present = {k: v for k, v in row.items() if v is not None}
            # tomli-w turns CR LF into LF inside multi-line strings; escaped strings keep it.
            multiline = not any(isinstance(v, str) and "\r\n" in v for v in present.values())
            parts.append(f"\n[[{table}]]\n" + tomli_w.dumps(present, multiline_strings=multiline))
            done += 1
            if done % 500 == 0:
                progress(done, total)
    progress(total, total)
    return "".join(parts)


def _ms(text: Any, where: str, key: str) -> int:
    if not isinstance(text, str):
        raise InvalidEdit(f"{where}: {key} must be a date and time in quotes.")
    try:
        ms = int(parse_instant(text).timestamp() * 1000)
    except ValueError as exc:
        raise InvalidEdit(f"{where}: {key}: {exc}") from None
    if not 0 <= ms < 10**15:
        raise InvalidEdit(f"{where}: {key} {text} is out of range.")
    return ms


def read_export(text: str) -> dict[str, list[dict[str, Any]]]:
    """Parse and check a TOML export: {table: rows}. Raises InvalidEdit with one sentence."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidEdit(f"This is not valid TOML ({exc}).") from None
    except RecursionError:
        raise InvalidEdit(
            "This TOML file nests arrays or tables too deeply to be an export."
        ) from None
    head = data.pop("kickoff", None)
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise InvalidEdit(
            "This TOML file is not a kickoff workspace export (no [kickoff] "
            f'table with format = "{FORMAT}").'
        )
    version = head.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InvalidEdit(
            f"This export has format version {version!r}; this kickoff reads "
            f"version {FORMAT_VERSION} or older. Update kickoff-tui."
        )
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, rows in data.items():
        if name not in schema.TABLES:
            raise InvalidEdit(f"This export has an unknown table [[{name}]].")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidEdit(f"{name} must be an array of tables ([[{name}]]).")
        allowed = set(schema.columns(name))
        for n, row in enumerate(rows, start=1):
            unknown = sorted(set(row) - allowed)
            if unknown:
                raise InvalidEdit(f"[[{name}]] number {n} has an unknown key {unknown[0]!r}.")
        tables[name] = rows
    if not any(not r.get("deleted") for r in tables.get("workspace", [])):
        raise InvalidEdit("This export has no [[workspace]] row (name, kickoff date, timezone).")
    return tables


def _plan_ops(tables: dict[str, list[dict[str, Any]]], replica: str, actor: str) -> list[Op]:
    """The operations that recreate `tables`, in clock order, with this replica's ids."""
    now = clock.iso()
    planned: list[
        tuple[int, int, str, str, str, Any, str]
    ] = []  # ms, order, table, id, field, value, by
    seen: set[tuple[str, str]] = set()
    for table in schema.TABLES:
        for n, row in enumerate(tables.get(table, []), start=1):
            where = f"[[{table}]] number {n}"
            rid = row.get("id") or new_id()
            if not isinstance(rid, str) or not rid.strip():
                raise InvalidEdit(f"{where}: id must be text.")
            if (table, rid) in seen:
                raise InvalidEdit(f"{where}: the id {rid} appears twice.")
            seen.add((table, rid))
            created = row.get("created_at") or now
            updated = row.get("updated_at") or created
            by = row.get("updated_by") or actor
            if not isinstance(by, str):
                raise InvalidEdit(f"{where}: updated_by must be text.")
            deleted = row.get("deleted", 0)
            if deleted not in (0, 1) or isinstance(deleted, bool):
                raise InvalidEdit(f"{where}: deleted must be 0 or 1.")
            values = {}
            for key in schema.TABLES[table]:
                if key in row:
                    try:
                        values[key] = coerce(table, key, row[key])
                    except InvalidEdit as exc:
                        raise InvalidEdit(f"{where}: {exc.message}") from None
                    if type(values[key]) is int and not -(2**63) <= values[key] < 2**63:
                        raise InvalidEdit(f"{where}: {key} = {values[key]} is too large a number.")
            c_ms, u_ms = _ms(created, where, "created_at"), _ms(updated, where, "updated_at")
            order = len(planned)
            planned.append((c_ms, order, table, rid, CREATE, values, by))
            if deleted or u_ms > c_ms:
                planned.append((max(u_ms, c_ms), order + 1, table, rid, "deleted", deleted, by))
    planned.sort(key=lambda p: (p[0], p[1]))
    ops = []
    last_ms, counter = -1, 0
    for seq, (ms, _, table, rid, fieldname, value, by) in enumerate(planned, start=1):
        counter = counter + 1 if ms == last_ms else 0
        last_ms = ms
        ops.append(
            Op(
                f"{replica}:{seq}",
                hlc_pack(ms, counter),
                by,
                table,
                rid,
                fieldname,
                value,
                (),
                f"{replica}:1",
            )
        )
    return ops


def import_toml(
    text: str, target: Path | str, *, actor: str | None = None, progress: Progress = _noop
) -> Store:
    """Create a new workspace at `target` from TOML export text; return it open.

    Refuses an existing `target`. Nothing is left behind when the export is refused.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(
            f"{target} already exists; import never overwrites a workspace. "
            "Pick a new path with --db."
        )
    tables = read_export(text)
    with built_aside(target) as partial:  # a kill half way leaves no half-made `target`
        store = Store(partial, create=True, actor=actor)
        try:
            ops = _plan_ops(tables, store.replica, store.actor)
            total = len(ops)
            for start in range(0, total, IMPORT_CHUNK):
                store.apply(ops[start : start + IMPORT_CHUNK])
                progress(min(start + IMPORT_CHUNK, total), total)
            store.set_meta("seq", str(total))
            if actor:
                store.set_meta("actor", actor)
        finally:
            checkpoint_and_close(store)
    progress(total, total)
    return Store(target, actor=actor)


# ---------------------------------------------------------------------- CSV


#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows as typed: NULL is empty, numbers stay numbers
    (negative ones too), and text starting like a formula gets a leading ' (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: CSV only: a person id column -> the readable column written right after it (the handle).
PERSON_COLUMNS = {
    "owner_id": "owner_handle",
    "author_id": "author_handle",
    "person_id": "person_handle",
    "facilitator_id": "facilitator_handle",
    "current_speaker_id": "current_speaker_handle",
}


def _csv_row(table: str, row: dict[str, Any], handles: dict[str, str]) -> dict[str, Any]:
    """A row with readable columns next to the ids a spreadsheet can't read: `owner_handle`
    after `owner_id` (each person column), `window_label` ("0–30") after a card's `window`."""
    out: dict[str, Any] = {}
    for column, value in row.items():
        out[column] = value
        if column in PERSON_COLUMNS:
            out[PERSON_COLUMNS[column]] = handles.get(value) if value else None
        elif table == "card" and column == "window":
            out["window_label"] = WINDOW_LABELS.get(value) if value else None
    return out


def write_csv(store: Store, folder: Path | str, progress: Progress = _noop) -> list[Path]:
    """Write one `<table>.csv` per synced table into `folder` (made if needed); return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total, done = row_count(store), 0
    handles = {
        r["id"]: r["handle"] for r in store.rows("SELECT id, handle FROM person") if r["handle"]
    }
    written = []
    for table in schema.TABLES:
        path = folder / f"{table}.csv"
        tmp = path.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(_csv_row(table, dict.fromkeys(schema.columns(table)), handles))
            for row in _rows(store, table):
                readable = _csv_row(table, row, handles)
                writer.writerow([csv_cell(v) for v in readable.values()])
                done += 1
                if done % 500 == 0:
                    progress(done, total)
        tmp.replace(path)
        written.append(path)
    progress(total, total)
    return written


# ---------------------------------------------------------------------- Markdown

md = rv.md


def _scored(score: object) -> str:
    """A risk score with its band's mark ("12 ■ high"); a score out of range (a bad value in
    the file) as it is."""
    try:
        return f"{score} {labelled(band(score))}"  # type: ignore[arg-type]
    except ValueError:
        return str(score)


def review_markdown(store: Store, since: date | None = None) -> str:
    """The review page as a Markdown document (for a wiki or the intranet)."""
    r = rv.build_review(store, since)
    tz = r.plan.tz
    out = [
        f"# {md(r.name)} — weekly review",
        "",
        f"{md(r.plan.headline)} · {r.plan.today:%A %d %B %Y}",
        "",
    ]
    if r.vision:
        out += [f"> {md(r.vision)}", ""]

    out += ["## Objectives and key results", ""]
    if r.objectives:
        rows = []
        for o in r.objectives:
            rows.append(
                [
                    f"**O{o.num}**",
                    f"**{md(o.title)}**",
                    "",
                    f"{rag_mark(o.grade)} **{o.progress:.0%}**",
                    md(labelled(o.pace)),
                    md(o.owner),
                ]
            )
            rows += [
                [
                    f"KR{k.num}",
                    md(k.title),
                    md(k.value_text),
                    f"{rag_mark(k.grade)} {k.progress:.0%}",
                    md(labelled(k.pace)),
                    md(k.owner),
                ]
                for k in o.key_results
            ]
        out += md_table(["", "Objective / key result", "Now", "Progress", "Pace", "Owner"], rows)
    else:
        out.append("No objectives yet.")

    out += ["", "## Board", ""]
    out += md_table(
        ["Window", "Dates", "To do", "Doing", "Blocked", "Done"],
        [
            [
                f"**{md(w.label)}** (now)" if w.current else md(w.label),
                md(w.dates),
                str(w.counts["todo"]),
                str(w.counts["doing"]),
                str(w.counts["blocked"]),
                f"{w.counts['done']}/{w.total}",
            ]
            for w in r.windows
        ],
    )
    out += ["", "### Needs attention: late, blocked or red", ""]
    out += [
        f"- {rag_mark(c.rag)} **#{c.num}** {md(c.title)} — {md(', '.join(c.reasons))} "
        f"({md(WINDOW_LABELS.get(c.window, c.window))}, {md(c.owner) or 'no owner'})"
        for c in r.attention
    ] or ["Nothing is late, blocked or red."]
    if r.attention_total > len(r.attention):
        out.append(f"- … and {r.attention_total - len(r.attention)} more on the board")

    out += ["", "## Top risks by residual score", ""]
    if r.risks:
        out += md_table(
            ["", "Risk", "Residual", "Inherent", "Owner", "Status", "Next review"],
            [
                [
                    f"R{x['num']}",
                    md(x["title"]),
                    _scored(x["residual_score"]),
                    _scored(x["score"]),
                    md(x["owner_name"]) or "no owner",
                    md(x["status"]),
                    md(x["next_review"]),
                ]
                for x in r.risks
            ],
        )
    else:
        out.append("No open risks.")

    out += ["", "## Open decisions", ""]
    out += [
        f"- **D{d['num']}** {md(d['title'])} — {md(rv.decision_state(d, r.plan.today))} "
        f"({md(d['owner_name']) or 'no owner'})"
        for d in r.decisions
    ] or ["No open decisions."]
    out += ["", "## Open blockers", ""]
    out += [
        f"- **B{b['num']}** {md(b['text'])} — "
        + (f"owner {md(b['owner_name'])}" if b["owner_name"] else "**no owner**")
        + (f", raised {md(rv.local_stamp(b['raised_at'], tz)[:10])}" if b["raised_at"] else "")
        for b in r.blockers
    ] or ["No open blockers."]

    if r.first_actions:
        out += ["", "## First actions (within 72 hours)", ""]
        out += [
            f"- {md(f['name'])} — {f['label']}"
            + (f" · #{f['card_num']} {md(f['title'])}" if f.get("card_num") else "")
            for f in r.first_actions
        ]
    raci = raci_lines(store)
    if raci:
        out += ["", "## RACI", ""]
        out += [f"- {line}" for line in raci]

    out += [
        "",
        (
            f"## Since {r.since:%a %d %b %Y}: {r.changes_total} "
            f"change{'s' if r.changes_total != 1 else ''}"
        ),
        "",
    ]
    out += [
        f"- {md(rv.local_stamp(a['at'], tz))} · {md(a['actor'])} · {md(a['summary'])}"
        for a in r.changes
    ] or ["Nothing changed since then."]
    if r.changes_total > len(r.changes):
        out.append(f"- … and {r.changes_total - len(r.changes)} earlier")
    return "\n".join(out) + "\n"


def raci_lines(store: Store) -> list[str]:
    """Markdown lines of the cards that have RACI roles: who is A, R, C, I; ⚠ when no A or R."""
    from kickoff_tui.store.raci import ROLES, matrix

    data = matrix(store)
    handles = {p["id"]: p["handle"] or "?" for p in data["people"]}
    lines = []
    for c in data["cards"]:
        if not c["roles"]:
            continue
        parts = []
        for role in ROLES:
            who = [f"@{md(handles.get(pid, '?'))}" for pid, r in c["roles"].items() if r == role]
            if who:
                parts.append(f"{role} {' '.join(who)}")
        warn = f" ⚠ no {c['missing'].replace(', ', ' and no ')}" if c["missing"] else ""
        lines.append(f"**#{c['num']}** {md(c['title'])} — {' · '.join(parts)}{warn}")
    return lines


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "import_toml",
    "read_export",
    "review_markdown",
    "row_count",
    "workspace_toml",
    "write_csv",
]
