# Comparing a PostgreSQL store with a SpatiaLite store of the same data
# (issue 21: "same answers"), for tests/cli/pg_*.sh. Sourced after
# common.bash and pgcluster.bash, not run.
#
#   pg_same_json A B           two --json objects are equal but for the
#                              store's name, run times and UTC time stamps
#                              (the runs an analysis used); numbers within
#                              1e-6 (absolute or relative)
#   pg_both EXIT SL PG ARGS..  run `sanigrid CMD` with ARGS on the SpatiaLite
#                              store SL and on the PostgreSQL store PG (the
#                              first ARG is the command; the store goes
#                              after it), both with --json, expect EXIT from
#                              both, and compare the two outputs
#   pg_same_layer SL PG LAYER  export LAYER from both stores to GeoJSON and
#                              compare feature by feature (same order, same
#                              properties, coordinates and values within
#                              1e-6); fails on an empty layer unless
#                              PG_SAME_EMPTY_OK=1
#   pg_same_table SL PG LAYER  the same for a layer without geometry, through
#                              CSV exports (cells that are numbers within
#                              1e-6)
# SPDX-License-Identifier: MIT

PG_SAME_PY='
import json, re, sys

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

def close(a, b, path):
    if isinstance(a, bool) or isinstance(b, bool):
        assert a == b, (path, a, b)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        assert abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b)), (path, a, b)
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, path + [i])
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (path, sorted(set(a) ^ set(b)))
        for k in a:
            close(a[k], b[k], path + [k])
    elif isinstance(a, str) and isinstance(b, str) and STAMP.match(a):
        assert STAMP.match(b), (path, a, b)  # when a run happened
    else:
        assert a == b, (path, a, b)
'

pg_same_json()
{
    "$SG_PYTHON" -c "$PG_SAME_PY"'
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
for d in (a, b):
    if isinstance(d, dict):
        for k in ("store", "seconds", "snapshot", "rejects_file"):
            d.pop(k, None)
close(a, b, [])
' "$1" "$2" || sg_fail "--json differs between SpatiaLite ($1) and PostgreSQL ($2)"
}

pg_both()
{
    local want=$1 sl=$2 pg=$3 cmd=$4
    shift 4
    sg "$want" "$cmd" "$sl" "$@" --json
    cp "$T/out" "$T/both_sl.json"
    sg "$want" "$cmd" "$pg" "$@" --json
    cp "$T/out" "$T/both_pg.json"
    pg_same_json "$T/both_sl.json" "$T/both_pg.json"
}

pg_same_layer()
{
    local sl=$1 pg=$2 layer=$3
    rm -f "$T/same_sl_$layer.geojson" "$T/same_pg_$layer.geojson"
    sg 0 export "$sl" "$layer" "$T/same_sl_$layer.geojson" --quiet
    sg 0 export "$pg" "$layer" "$T/same_pg_$layer.geojson" --quiet
    "$SG_PYTHON" -c "$PG_SAME_PY"'
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
fa, fb = a["features"], b["features"]
assert len(fa) == len(fb), ("features", len(fa), len(fb))
assert len(fa) > 0 or sys.argv[3] == "1", "empty layer"
close(fa, fb, [])
' "$T/same_sl_$layer.geojson" "$T/same_pg_$layer.geojson" "${PG_SAME_EMPTY_OK:-0}" ||
        sg_fail "layer $layer differs between SpatiaLite and PostgreSQL"
}

pg_same_table()
{
    local sl=$1 pg=$2 layer=$3
    rm -f "$T/same_sl_$layer.csv" "$T/same_pg_$layer.csv"
    sg 0 export "$sl" "$layer" "$T/same_sl_$layer.csv" --quiet
    sg 0 export "$pg" "$layer" "$T/same_pg_$layer.csv" --quiet
    "$SG_PYTHON" -c "$PG_SAME_PY"'
import csv

def cell(v):
    try:
        return float(v)
    except ValueError:
        return v

a, b = ([[cell(v) for v in r] for r in csv.reader(open(p, encoding="utf-8-sig"))]
        for p in sys.argv[1:3])
assert len(a) > 1 or sys.argv[3] == "1", "empty layer"
close(a, b, [])
' "$T/same_sl_$layer.csv" "$T/same_pg_$layer.csv" "${PG_SAME_EMPTY_OK:-0}" ||
        sg_fail "layer $layer differs between SpatiaLite and PostgreSQL"
}
