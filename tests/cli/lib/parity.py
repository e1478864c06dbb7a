# Compare what one sanigrid command printed or wrote on the SpatiaLite
# store and on the PostgreSQL store (tests/cli/pg_parity.sh). Not run
# alone. Numbers agree within 1e-6 (absolute, or relative for numbers
# above 1); keys that name the store, a run or a time are left out, and
# two UTC times (when a source analysis ran) count as equal; any other
# difference is printed and exits 1.
#   parity.py json A B            two --json outputs
#   parity.py geojson A B         two GeoJSON exports, feature by feature
#   parity.py csv A B             two CSV exports, cell by cell
# SPDX-License-Identifier: MIT
import csv
import json
import re
import sys

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
IGNORED = {"store", "seconds", "run_id", "started_at", "file", "path",
           "bytes", "elapsed", "time", "finished_at"}
diffs = []
# a run's time stamp (rank's "sources": when each input ran) differs
# between the two runs of one command by construction
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def num(x):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return None
    return None


def close(a, b, path):
    if len(diffs) > 20:
        return
    if isinstance(a, str) and isinstance(b, str) and TIME.match(a) and TIME.match(b):
        return
    na, nb = num(a), num(b)
    if na is not None and nb is not None:
        if not abs(na - nb) <= 1e-6 * max(1.0, abs(na)):
            diffs.append((path, a, b))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append((path, "length %d" % len(a), "length %d" % len(b)))
            return
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, path + [i])
    elif isinstance(a, dict) and isinstance(b, dict):
        ka = set(a) - IGNORED
        kb = set(b) - IGNORED
        if ka != kb:
            diffs.append((path, sorted(ka - kb), sorted(kb - ka)))
        for k in sorted(ka & kb):
            close(a[k], b[k], path + [k])
    elif (isinstance(a, str) and isinstance(b, str) and STAMP.match(a)
          and STAMP.match(b)):
        return
    elif a != b:
        diffs.append((path, a, b))


def main():
    kind, pa, pb = sys.argv[1:4]
    if kind == "json":
        a, b = (json.load(open(p, encoding="utf-8")) for p in (pa, pb))
    elif kind == "geojson":
        a, b = (json.load(open(p, encoding="utf-8"))["features"]
                for p in (pa, pb))
        if not a:
            diffs.append(([], "no features", len(b)))
    else:
        a, b = (list(csv.reader(open(p, encoding="utf-8-sig")))
                for p in (pa, pb))
        if len(a) < 2:
            diffs.append(([], "no rows", len(b)))
    close(a, b, [])
    for d in diffs:
        print("  %s: SpatiaLite %r, PostgreSQL %r" % d)
    sys.exit(1 if diffs else 0)


main()
