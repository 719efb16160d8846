"""Differential check of opformat's read_op/_validate/_value_ok/coerce mutants (issue 19).

Not a test (pytest does not collect it) and not in CI: a local tool for tests/MUTANTS.md. Run it
inside mutmut's copy of the code, after `mutmut run` has generated the mutants:

    cd mutants && ../.venv/bin/python ../tests/mutation_check_opformat.py \
        kickoff_tui.store.opformat.x_read_op__mutmut_7 ...

For each mutant (MUTANT_UNDER_TEST, as mutmut switches one on) it calls the four functions on
~82,000 inputs and compares each answer with the original's: the operation field by field with
types, or the exception and its sentence. It prints `SAME` (no answer differs: a candidate
equivalent, still to be read) or `DIFF` with the first input that tells them apart.
"""

import os, sys, math, json, itertools

sys.path.insert(0, os.getcwd())
os.environ["MUTANT_UNDER_TEST"] = ""
from kickoff_tui.store import opformat as of, schema
from kickoff_tui.rules import domains
from kickoff_tui.store.errors import InvalidEdit
from tests.store.test_sync_untrusted import LINE  # the usual line of the refusal tests

VALUES = [
    None,
    "",
    "x",
    "t\x1bx",
    "a\x00b",
    0,
    1,
    2,
    -1,
    3,
    5,
    6,
    99,
    100,
    101,
    -100,
    10**23,
    domains.INT_MAX,
    domains.INT_MAX + 1,
    domains.INT_MIN,
    domains.INT_MIN - 1,
    0.5,
    1.0,
    0.0,
    -0.5,
    1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    True,
    False,
    [],
    {},
    ["a"],
    "2026-12-03",
    "2026-12-03T09:00:00Z",
    "2026-12-03 junk",
    "later",
    "60",
    "90",
    "red",
    "doing",
    "open",
    "\ud800",
    "Europe/Paris",
    "first-tue",
    "09:00",
    2.5,
    5.0,
    4.999,
]
seen = set()
for t, f in list(of._KINDS):
    for key in (domains.CHOICES, domains.RANGES):
        if (t, f) in key:
            v = key[(t, f)]
            if isinstance(v, tuple) and all(isinstance(x, (int, float)) for x in v):
                VALUES += [v[0], v[1], v[0] - 1, v[1] + 1, float(v[0]), float(v[1])]
            elif not isinstance(v, tuple):
                VALUES += list(v)[:6]
VALUES = [v for v in VALUES if not (repr(v) in seen or seen.add(repr(v)))]
FIELDS = list(of._KINDS) + [("card", "nope"), ("nope", "title"), ("card", "*")]

lines = []
for t, f in FIELDS:
    for v in VALUES:
        lines.append({**LINE, "table": t, "field": f, "value": v})
creates = [
    {"title": "x"},
    {"title": "x", "rag": "red"},
    {"title": 4},
    {"title": "x", "colour": 1},
    {},
    {"deleted": 1},
    {"deleted": 2},
    {"deleted": None},
    {"title": None},
    {"title": "\ud800"},
    {"title": "t\x1b"},
    {"likelihood": 3},
    {"likelihood": 9},
]
for t in ("card", "risk", "nope", "key_result"):
    for v in creates + ["x", 3, None, [], [["title", "x"]]]:
        lines.append({**LINE, "table": t, "field": "*", "value": v})
CH = [
    ("row_id", "c\x1b1"),
    ("id", "an\x1ba:7"),
    ("tx", "t\x07"),
    ("tx", "tx1"),
    ("tx", 5),
    ("tx", ""),
    ("base", ["a:1", "b\x00:2"]),
    ("base", ["a\x00:1"]),
    ("base", ["a:1"]),
    ("base", ["a:1", "b:2"]),
    ("base", [1]),
    ("base", ["a:1", 2]),
    ("base", "a:1"),
    ("base", None),
    ("base", ("a:1",)),
    ("base", {}),
    ("base", [None]),
    ("hlc", "soon"),
    ("hlc", "1795000000000-1"),
    ("hlc", "000000000000001-00000"),
    ("hlc", "000946684800000-00000"),
    ("hlc", "000946684799999-00000"),
    ("hlc", "253402300799999-00000"),
    ("hlc", "253402300800000-00000"),
    ("hlc", "001795000000000-99999"),
    ("hlc", "001795000000000+00001"),
    ("hlc", " 01795000000000-00001"),
    ("hlc", "001795000000000-0001a"),
    ("hlc", "0017950000000000-0001"),
    ("hlc", "٠01795000000000-00001"),
    ("hlc", 5),
    ("hlc", None),
    ("id", "ana1:07"),
    ("id", "ana1:-1"),
    ("id", "ana1:9223372036854775808"),
    ("id", "ana1:9223372036854775807"),
    ("id", "ana1:999999999999999999"),
    ("id", "ana1:1000000000000000000"),
    ("id", "ana1:0"),
    ("id", "ana1:00"),
    ("id", "ana1:+1"),
    ("id", "ana1: 1"),
    ("id", "ana1:1 "),
    ("id", "ana1:١"),
    ("id", "ana1"),
    ("id", "a:b:7"),
    ("id", ":7"),
    ("id", 7),
    ("id", "ana1:7\u2028"),
    ("id", "ana1:1_0"),
    ("row_id", 5),
    ("row_id", ""),
    ("row_id", "c\u2028"),
    ("by", "an\x1ba"),
    ("by", 5),
    ("by", None),
    ("by", ""),
    ("by", "\ud800"),
    ("by", "a\u2028"),
    ("table", 5),
    ("field", 5),
    ("value", "\ud800"),
    ("row_id", "\ud800"),
    ("tx", "\ud800"),
    ("base", ["\ud800"]),
    ("table", "\ud800"),
    ("value", {"a": 1}),
    ("by", ["x"]),
    ("extra", 1),
]
for k, v in CH:
    lines.append({**LINE, k: v})
    lines.append({**LINE, k: v, "table": "risk", "field": "likelihood", "value": 3})
    lines.append({**LINE, k: v, "field": "*", "value": {"title": "x"}})
for k in LINE:
    lines.append({kk: vv for kk, vv in LINE.items() if kk != k})
    lines.append(
        {**{kk: vv for kk, vv in LINE.items() if kk != k}, "field": "*", "value": {"title": "x"}}
    )
lines += [[], "x", None, 5, {}, {"kickoff": "ops"}]
# pairs of changes
for (k1, v1), (k2, v2) in itertools.combinations(CH[:20], 2):
    lines.append({**LINE, k1: v1, k2: v2})


def res(fn):
    try:
        r = fn()
    except InvalidEdit as e:
        return ("E", type(e).__name__, e.message)
    except Exception as e:
        return ("X", type(e).__name__, str(e))
    if isinstance(r, of.Op):
        try:
            r.to_dict()
        except Exception as e:
            return ("BADOP", type(e).__name__)
        return (
            "OP",
            tuple((k, type(v).__name__, repr(v)) for k, v in r.to_dict().items()),
            type(r.base).__name__,
        )
    return ("R", type(r).__name__, repr(r))


def cases():
    for i, d in enumerate(lines):
        yield (f"read_op#{i}", lambda d=d: of.read_op(d))
        if "\\ud8" not in json.dumps(d, default=repr):
            yield (f"read_op_uc#{i}", lambda d=d: of.read_op(d, unicode_checked=True))
    for t, f in FIELDS:
        for v in VALUES:
            yield (f"coerce{(t, f, v)!r}", lambda t=t, f=f, v=v: of.coerce(t, f, v))
            op = of.Op("ana1:7", "001795000000000-00001", "ana", t, "c1", f, v)
            yield (f"validate{(t, f, v)!r}", lambda op=op: of._validate(op))
            yield (f"validateD{(t, f, v)!r}", lambda op=op: of._validate(op, domain=True))
    for k, v in CH:
        d = {**LINE, k: v}
        try:
            op = of.Op(**{("table" if kk == "table" else kk): vv for kk, vv in d.items()})
        except TypeError:
            continue
        yield (f"validate_ch{(k, v)!r}", lambda op=op: of._validate(op))
        yield (f"validateD_ch{(k, v)!r}", lambda op=op: of._validate(op, domain=True))


def run(mutant: str):
    os.environ["MUTANT_UNDER_TEST"] = mutant
    return [(name, res(fn)) for name, fn in cases()]


if __name__ == "__main__":
    sys.setrecursionlimit(3000)
    orig = run("")
    print("cases", len(orig), file=sys.stderr)
    names = sys.argv[1:]
    for m in names:
        got = run(m)
        diff = next(((n, a, b) for (n, a), (_, b) in zip(orig, got) if a != b), None)
        short = m.rsplit(".", 1)[1]
        if diff:
            print(f"{short} DIFF {diff[0]} orig={diff[1]!r:.200} mut={diff[2]!r:.200}", flush=True)
        else:
            print(f"{short} SAME", flush=True)
