#!/usr/bin/env bash
# sanigrid site: on a hand-made fixture (which candidates win, marginal
# gains, --add and --cover-all, uncoverable households, capacity, the
# greedy path, result layers) and on the demo data (--json keys; the
# proposals, added as points, give exactly the coverage site promised
# when `sanigrid coverage` measures it; --division worst), usage errors
# and a missing store.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- fixture (EPSG:4545 metres) -----------------------------------------
# One straight road of 1 km (candidates every 20 m: road:R1:0 .. :50);
# households 10 m north of it. P1 covers H1. Candidates at x = 500320
# .. 500500 cover H2 and H3 (8 residents; the first, road:R1:16, stands
# for them all), those at 500800 .. 500880 cover H4 and H5 (5
# residents); H6 is 700 m from the road.
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[501000,3300000]]}}
]}
EOF
cat >points.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"P1","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[500000,3300010]}}
]}
EOF
cat >households.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"H1","resident_population":2},"geometry":{"type":"Point","coordinates":[500050,3300010]}},
{"type":"Feature","properties":{"household_id":"H2","resident_population":5},"geometry":{"type":"Point","coordinates":[500400,3300010]}},
{"type":"Feature","properties":{"household_id":"H3","resident_population":3},"geometry":{"type":"Point","coordinates":[500420,3300010]}},
{"type":"Feature","properties":{"household_id":"H4","resident_population":4},"geometry":{"type":"Point","coordinates":[500800,3300010]}},
{"type":"Feature","properties":{"household_id":"H5","resident_population":1},"geometry":{"type":"Point","coordinates":[500950,3300010]}},
{"type":"Feature","properties":{"household_id":"H6","resident_population":6},"geometry":{"type":"Point","coordinates":[500400,3300700]}}
]}
EOF
sg 0 init fx.sqlite --crs EPSG:4545 --quiet
for l in roads points households; do
    sg 0 import fx.sqlite $l $l.geojson --src-crs EPSG:4545 --quiet
done
q() { store_sql fx.sqlite "$1"; }

sg 0 site fx.sqlite --add 1 --json
err_empty
json_ok 'd["mode"] == "add"' 'd["k"] == 1' 'd["kind"] == "collection_point"' \
    'd["metric"] == "network"' 'd["radius_m"] == 120' \
    'd["radius_source"] == "collection_point.radius_m.clustered"' \
    'd["candidates"] == "roads"' 'd["spacing_m"] == 20' \
    'd["candidates_total"] == 51' 'd["method"] == "exact"' \
    'd["objective"] == "residents"' 'd["value"] == 8' 'd["bound"] == 8' \
    'd["bound_kind"] == "upper"' 'd["gap"] == 0' \
    'd["time_limit_hit"] == False' 'd["points"] == 1' \
    'd["before"] == {"households": 6, "residents": 21, "covered_households": 1, "covered_residents": 2, "beyond_households": 5, "beyond_residents": 19, "unreachable": 1}' \
    'd["after"]["covered_households"] == 3' 'd["after"]["covered_residents"] == 10' \
    'len(d["proposals"]) == 1' 'd["proposals"][0]["rank"] == 1' \
    'd["proposals"][0]["households_new"] == 2' \
    'd["proposals"][0]["residents_new"] == 8' \
    'd["proposals"][0]["candidate_id"] == "road:R1:16"' \
    'd["proposals"][0]["x"] == 500320' 'd["proposals"][0]["y"] == 3300000' \
    'd["uncoverable"] == [{"household_id": "H6", "residents": 6, "reason": "off_network"}]' \
    'd["layers"] == ["site_proposals", "site_uncoverable"]'
eq "$(q "SELECT rank, households_new, residents_new, method FROM site_proposals")" \
    "1|2|8|exact" "site_proposals row"
eq "$(q "SELECT household_id, resident_population, reason FROM site_uncoverable")" \
    "H6|6|off_network" "site_uncoverable row"
eq "$(q "SELECT command FROM runs ORDER BY run_id DESC LIMIT 1")" site "run recorded"

# two points: both clusters, the larger first
sg 0 site fx.sqlite --add 2 --json
json_ok 'd["value"] == 13' '[p["residents_new"] for p in d["proposals"]] == [8, 5]' \
    '[p["rank"] for p in d["proposals"]] == [1, 2]' \
    'd["after"]["beyond_households"] == 1'
# more points than anyone needs: only those covering someone are proposed
sg 0 site fx.sqlite --add 5 --json
json_ok 'd["value"] == 13' 'len(d["proposals"]) == 2'
# straight line: H6 has no candidate within 120 m
sg 0 site fx.sqlite --add 2 --metric euclid --json
json_ok 'd["metric"] == "euclid"' 'd["value"] == 13' \
    'd["before"]["unreachable"] is None' \
    'd["uncoverable"] == [{"household_id": "H6", "residents": 6, "reason": "no_candidate"}]'
# households as candidates: H6 covers itself by straight line; H4 and H5
# (150 m apart) need one each, so three points give 8 + 6 + 4
sg 0 site fx.sqlite --add 3 --metric euclid --candidates households --json
json_ok 'd["value"] == 18' 'd["uncoverable"] == []' \
    'all(p["candidate_id"].startswith("hh:H") for p in d["proposals"])'
# set covering
sg 0 site fx.sqlite --cover-all --json
json_ok 'd["mode"] == "cover_all"' 'd["k"] is None' 'd["objective"] == "points"' \
    'd["value"] == 2' 'd["bound"] == 2' 'd["bound_kind"] == "lower"' \
    'len(d["proposals"]) == 2' 'd["after"]["covered_households"] == 5'
# capacity: one household per point, two points: H2 and H4
sg 0 site fx.sqlite --add 2 --capacity 1 --json
json_ok 'd["capacity"] == 1' 'd["capacity_unit"] == "households"' \
    'd["capacity_source"] == "--capacity"' \
    'd["value"] == 9' 'all(p["households_new"] <= 1 for p in d["proposals"])'
# capacity in residents: 4 per point; H2 (5) can never be served
sg 0 site fx.sqlite --cover-all --capacity 4 --capacity-unit residents --json
json_ok 'd["capacity_unit"] == "residents"' \
    '{"household_id": "H2", "residents": 5, "reason": "capacity"} in d["uncoverable"]' \
    'all(p["residents_new"] <= 4 for p in d["proposals"])'
# the setting collection_point.max_households (300) as the capacity
sg 0 site fx.sqlite --add 2 --capacity setting --json
json_ok 'd["capacity"] == 300' 'd["capacity_unit"] == "households"' \
    'd["capacity_source"] == "collection_point.max_households"' 'd["value"] == 13'
sg 2 site fx.sqlite --add 2 --capacity setting --capacity-unit residents
# the greedy path
sg 0 site fx.sqlite --add 2 --method greedy --json
json_ok 'd["method"] == "greedy+swap"' 'd["value"] == 13' 'd["bound"] >= 13'
# text summary and --quiet
sg 0 site fx.sqlite --add 2
out_has '^site: up to 2 new collection_point points within 120 m along roads'
out_has '^  method +exact: 13 residents, upper bound 13, gap 0\.00%'
out_has '^  before +1 of 6 \(16\.7%\) households'
out_has '^ +1 +road:R1:[0-9]+ +2 +8 *$'
out_has '^results: layers site_proposals \(2\) and site_uncoverable \(1\)'
sg 0 site fx.sqlite --add 2 --quiet
out_empty
# export of the result layers
sg 0 export fx.sqlite site_proposals proposals.geojson --quiet
eq "$(ogr_count proposals.geojson)" 2 "exported proposals"

# ---- usage errors --------------------------------------------------------
sg 2 site fx.sqlite
err_has 'give either --add K or --cover-all'
sg 2 site fx.sqlite --add 2 --cover-all
sg 2 site fx.sqlite --add 0
err_has "--add takes a whole number >= 1, got '0'"
sg 2 site fx.sqlite --add x
sg 2 site fx.sqlite --add 1 --metric both
err_has "--metric takes euclid or network, got 'both'"
sg 2 site fx.sqlite --add 1 --spacing 0
sg 2 site fx.sqlite --add 1 --capacity 2.5
sg 2 site fx.sqlite --add 1 --capacity-unit residents
err_has '--capacity-unit needs --capacity'
sg 2 site fx.sqlite --add 1 --method fast
sg 2 site fx.sqlite --add 1 --kind school
sg 2 site fx.sqlite --add 1 --kind bin
err_has 'give --radius'
sg 2 site fx.sqlite --add 1 --division 999
err_has "no division '999'"
sg 2 site fx.sqlite --add 1 --candidates nolayer
err_has "no layer 'nolayer'"
sg 2 site fx.sqlite --add 1 --candidates roads --candidates divisions
err_has 'not points'
sg 2 site --add 1
err_has 'give one store path'
sg 3 site "$T/none.sqlite" --add 1
! sg_store_exists "$T/none.sqlite" || sg_fail "site created a missing store"

# ---- the demo data: site's promise against `sanigrid coverage` -----------
sg 0 init demo.sqlite --quiet
for l in divisions grids roads points households; do
    sg 0 import demo.sqlite $l "$SG_SOURCE_DIR/data/demo/$l.geojson" --quiet
done
sg 0 info demo.sqlite --json
crs=$("$SG_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["crs"])' "$T/out")
for metric in network euclid; do
    sg_store_copy demo.sqlite d-$metric.sqlite
    sg 0 site d-$metric.sqlite --add 3 --metric $metric --json
    json_ok 'd["method"] in ("exact", "mip-timeout", "greedy+swap")' \
        'len(d["proposals"]) == 3' 'd["value"] > 0' \
        'd["after"]["covered_residents"] - d["before"]["covered_residents"] == d["value"]' \
        'sum(p["residents_new"] for p in d["proposals"]) == d["value"]' \
        'all(p["division_code"] for p in d["proposals"])' \
        'd["bound"] >= d["value"]'
    cp "$T/out" site-$metric.json
    # the proposals as new collection points
    "$SG_PYTHON" - site-$metric.json new-$metric.geojson <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
fc = {"type": "FeatureCollection", "features": [
    {"type": "Feature",
     "properties": {"point_id": "NEW%d" % p["rank"], "kind": "collection_point"},
     "geometry": {"type": "Point", "coordinates": [p["x"], p["y"]]}}
    for p in d["proposals"]]}
json.dump(fc, open(sys.argv[2], "w"))
PY
    sg 0 import d-$metric.sqlite points new-$metric.geojson --src-crs "$crs" --quiet
    sg 0 coverage d-$metric.sqlite --metric $metric --json
    cp "$T/out" cov-$metric.json
    "$SG_PYTHON" - site-$metric.json cov-$metric.json $metric <<'PY' || sg_fail "site and coverage disagree ($metric)"
import json, sys
s, c, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
a = s["after"]
beyond = c["beyond_network"] if m == "network" else c["beyond_euclid"]
res = c["residents_beyond_network"] if m == "network" else c["residents_beyond_euclid"]
assert beyond == a["beyond_households"], (beyond, a)
assert res == a["beyond_residents"], (res, a)
if m == "network":
    assert c["unreachable"] == a["unreachable"], (c["unreachable"], a)
PY
done
# the village with the worst coverage
sg_store_copy demo.sqlite w.sqlite
sg 0 site w.sqlite --add 1 --division worst --json
json_ok 'd["division_code"] is not None' 'd["division_name"]' \
    'len(d["proposals"]) == 1' \
    'd["proposals"][0]["division_code"] == d["division_code"]' \
    'd["before"]["households"] < 661'
sg_done
