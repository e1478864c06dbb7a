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
poly() { # code name level parent x0 x1
    printf '{"type":"Feature","properties":{"division_code":"%s","name":"%s","level":"%s","parent_code":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,3300000],[%s,3300000],[%s,3301000],[%s,3301000],[%s,3300000]]]}}' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$6" "$5" "$5"
}
grid() { # code name division leader x0 x1
    printf '{"type":"Feature","properties":{"grid_code":"%s","name":"%s","level":1,"division_code":"%s","grid_leader":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,3300000],[%s,3300000],[%s,3301000],[%s,3301000],[%s,3300000]]]}}' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$6" "$5" "$5"
}
pt() { # properties x y
    printf '{"type":"Feature","properties":%s,"geometry":{"type":"Point","coordinates":[%s,%s]}}' "$1" "$2" "$3"
}
KT=450100100000 KA=450100100201 KB=450100100202 KC=450100100203
KU=450100200000 KD=450100200201
{
    echo '{"type":"FeatureCollection","features":['
    poly $KT T township null 500000 503000; echo ,
    poly $KA A admin_village "\"$KT\"" 500000 501000; echo ,
    poly $KB B admin_village "\"$KT\"" 501000 502000; echo ,
    poly $KC C admin_village "\"$KT\"" 502000 503000; echo ,
    poly $KU U township null 503000 504000; echo ,
    poly $KD D admin_village "\"$KU\"" 503000 504000
    echo ']}'
} >divisions.geojson
{
    echo '{"type":"FeatureCollection","features":['
    grid ${KA}001 "A 第1网格" $KA '"L1"' 500000 500500; echo ,
    grid ${KA}002 "A 第2网格" $KA '"L2"' 500500 501000; echo ,
    grid ${KB}001 "B 第1网格" $KB '"L3"' 501000 501500; echo ,
    grid ${KB}002 "B 第2网格" $KB null 501500 502000; echo ,
    grid ${KC}001 "C" $KC '"L5"' 502000 502800; echo ,
    grid ${KD}001 "D 第1网格" $KD '"L6"' 503000 503600; echo ,
    grid ${KD}002 "D 第2网格" $KD '"L7"' 503400 504000
    echo ']}'
} >grids.geojson
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"r1","class":"lane"},"geometry":{"type":"LineString","coordinates":[[500000,3300500],[504000,3300500]]}}
]}
EOF
{
    echo '{"type":"FeatureCollection","features":['
    pt '{"point_id":"p1","kind":"collection_point"}' 500100 3300500; echo ,
    pt '{"point_id":"p2","kind":"collection_point"}' 501400 3300500
    echo ']}'
} >points.geojson
{
    echo '{"type":"FeatureCollection","features":['
    pt '{"household_id":"h1","resident_population":100,"household_toilet":"sanitary"}' 500150 3300510; echo ,
    pt '{"household_id":"h2","resident_population":300,"household_toilet":"unsanitary"}' 500600 3300510; echo ,
    pt '{"household_id":"h4","resident_population":200,"household_toilet":"sanitary"}' 501420 3300510; echo ,
    pt '{"household_id":"h5","resident_population":200,"household_toilet":"sanitary"}' 501900 3300510; echo ,
    pt '{"household_id":"h6","resident_population":0,"household_toilet":null}' 501700 3300800; echo ,
    pt '{"household_id":"h7","resident_population":50,"household_toilet":"none"}' 503500 3300510
    echo ']}'
} >households.geojson
{
    echo '{"type":"FeatureCollection","features":['
    pt "{\"cleaner_id\":\"c1\",\"division_code\":\"$KA\"}" 500300 3300700; echo ,
    pt "{\"cleaner_id\":\"c2\",\"division_code\":\"$KB\"}" 501300 3300700; echo ,
    pt "{\"cleaner_id\":\"c3\",\"division_code\":\"$KB\"}" 501400 3300700; echo ,
    pt "{\"cleaner_id\":\"c4\",\"division_code\":\"$KD\"}" 503100 3300700; echo ,
    pt "{\"cleaner_id\":\"c5\",\"division_code\":\"$KD\"}" 503200 3300700
    echo ']}'
} >cleaners.geojson
# whole scores by code or name; B's findings of 11-10 (3 + 2 deducted:
# 95) and one on grid "B 第1网格" without points (1 per finding: 99)
cat >sheet.csv <<EOF
日期,村/网格,得分,检查项目,扣分,检查人,备注
2026-10-05,$KA,90,,,甲,
2026/11/2,A,80,,,甲,
2026-11-10,B,,垃圾满溢,3,乙,
2026-11-10,B,,杂物堆放,2,乙,
2026-11-10,B 第1网格,,散落垃圾,,乙,
2026-12-31,$KD,70,,,丙,
2026-10-10,$KT,50,,,丙,
2026-09-30,A,70,,,甲,
2026-07-01,$KB,100,,,甲,
2026-08-15,$KC,100,,,甲,
2026-09-01,D,90,,,甲,
2026-11-11,Nowhere,88,,,甲,
EOF

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
