#!/usr/bin/env bash
# A province on PostgreSQL (issue 21): two county schemas of one
# database (rank.sh's fixture; the second county's inspection scores
# changed, so the counties interleave), run by scripts/province (check,
# coverage and staffing of each county in parallel with xargs -P, then
# `sanigrid rank --schemas`). The one list is checked against the same
# counties as two SpatiaLite stores ranked one by one: every unit of both
# with its county schema, its county's score and ranks, in score order
# (ties share a rank), worked out here in python from the two --json.
# Also: each county's runs recorded by its own process, a county whose
# analysis fails stops the script before the ranking (exit 1), and
# --schemas refused on a SpatiaLite store and for a bad schema name.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

province=$SG_SOURCE_DIR/scripts/province
source "$(dirname "$0")/lib/rank_fixture.bash"

# county b: the same villages, other scores (C and D better, B worse)
sed -e 's/^2026-12-31,\(.*\),70,/2026-12-31,\1,95,/' \
    -e 's/^2026-11-10,B,,垃圾满溢,3,/2026-11-10,B,,垃圾满溢,30,/' sheet.csv >sheet_b.csv
cmp -s sheet.csv sheet_b.csv && sg_fail "county b's sheet is the same as a's"
echo "2026-12-01,C,99,,,甲," >>sheet_b.csv

for c in a b; do
    sheet=sheet.csv
    [[ $c == b ]] && sheet=sheet_b.csv
    db="$SG_PG_DB?options=-csearch_path%3Dcounty_$c"
    sg 0 init "$T/$c.sqlite" --crs EPSG:4545 --quiet
    sg 0 init "$db" --crs EPSG:4545 --quiet
    for l in divisions grids roads points households cleaners; do
        sg 0 import "$T/$c.sqlite" $l $l.geojson --src-crs EPSG:4545 --quiet
        sg 0 import "$db" $l $l.geojson --src-crs EPSG:4545 --quiet
    done
    sg 3 import "$T/$c.sqlite" inspections $sheet --quiet
    sg 3 import "$db" inspections $sheet --quiet
    for a in check coverage staffing; do
        sg 0 $a "$T/$c.sqlite" --quiet
    done
    sg 0 rank "$T/$c.sqlite" --json
    cp "$T/out" "$T/rank_$c.json"
done

# ---- the province: analyses in parallel, then one list -----------------------
set +e
"$province" -P 2 --sanigrid "$SG_BIN" "$SG_PG_DB" county_a county_b -- --json \
    >"$T/out" 2>"$T/err"
rc=$?
set -e
SG_LAST_CMD="scripts/province DB county_a county_b -- --json"
SG_RC=$rc
[[ $rc -eq 0 ]] || sg_fail "scripts/province failed"
grep -q '^\[county_a\] done: check coverage staffing$' "$T/err" || sg_fail "county_a's log"
grep -q '^\[county_b\] done: check coverage staffing$' "$T/err" || sg_fail "county_b's log"
"$SG_PYTHON" - "$T/rank_a.json" "$T/rank_b.json" "$T/out" <<'PY' || sg_fail "the province list differs from the counties ranked one by one"
import json, sys
a, b, p = (json.load(open(f, encoding="utf-8")) for f in sys.argv[1:4])
rows = [("county_a", u) for u in a["units"]] + [("county_b", u) for u in b["units"]]
ranked = sorted((r for r in rows if r[1]["score"] is not None),
                key=lambda r: (-r[1]["score"], r[0], r[1]["unit_code"]))
want = []
for i, (s, u) in enumerate(ranked):
    rank = i + 1
    if i and ranked[i - 1][1]["score"] == u["score"]:
        rank = want[-1]["rank"]
    want.append({"schema": s, "unit_code": u["unit_code"], "name": u["name"],
                 "score": u["score"], "rank": rank, "county_rank": u["rank"],
                 "rank_within": u["rank_within"], "tier": u["tier"]})
got = [{k: u[k] for k in want[0]} for u in p["units"]]
assert len(p["units"]) == len(rows) == 8, len(p["units"])
for w, g in zip(want, got):
    for k in w:
        if k == "score":
            assert abs(w[k] - g[k]) <= 1e-6, (w, g)
        else:
            assert w[k] == g[k], (k, w, g)
assert [s["schema"] for s in p["schemas"]] == ["county_a", "county_b"]
assert all(s["units"] == 4 and s["ranked"] == 4 for s in p["schemas"])
# the counties interleave: not all of one county first
order = [u["schema"] for u in p["units"]]
assert order != sorted(order), order
print("province list ok:", [(u["schema"][-1], u["name"], u["score"], u["rank"]) for u in p["units"]])
PY
for c in a b; do
    eq "$(sg_pg_psql "SELECT string_agg(command, ',' ORDER BY run_id) FROM county_$c.runs WHERE command IN ('check', 'coverage', 'staffing', 'rank')")" \
        "check,coverage,staffing,rank" "runs of county_$c"
done
# the text listing names the schema of each row
sg 0 rank "$SG_PG_DB" --schemas county_a,county_b
out_has '^ +1 +[0-9.]+ +county_[ab] +450100'
eq "$(grep -c 'county_a ' "$T/out")" 4 "county_a's rows in the text listing"

# ---- failures ---------------------------------------------------------------
sg 0 init "$SG_PG_DB?options=-csearch_path%3Dcounty_empty" --quiet
set +e
"$province" -P 2 --sanigrid "$SG_BIN" "$SG_PG_DB" county_a county_empty -- --json \
    >"$T/out" 2>"$T/err"
rc=$?
set -e
eq "$rc" 1 "exit of a province with a failing county"
[[ ! -s "$T/out" ]] || sg_fail "a ranking after a failed county: $(cat "$T/out")"
grep -q '^\[county_empty\] check failed' "$T/err" || sg_fail "the failing county not named: $(cat "$T/err")"
set +e
"$province" "$SG_PG_DB" 'county_a;drop' >"$T/out" 2>"$T/err"
rc=$?
set -e
eq "$rc" 2 "exit for a bad schema name"
sg 2 rank "$T/a.sqlite" --schemas county_a,county_b
err_has 'PostgreSQL connection string'
sg 2 rank "$SG_PG_DB" --schemas 'county_a,x-y'
sg 2 rank "$SG_PG_DB" --schemas county_a,county_a
err_has 'twice'

sg_pg_stop
sg_done
