#!/usr/bin/env bash
# sanigrid coverage: on a hand-made fixture (exact distances, the tie
# rule, unreachable households) and on the demo data (--json keys, the
# result layers against SQL, other kinds, --demand, the metric options,
# export of the results), help, usage errors and a read-only store.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- fixture (EPSG:4545 metres) -----------------------------------------
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[500250,3300000],[500500,3300000]]}},
{"type":"Feature","properties":{"road_id":"R2"},"geometry":{"type":"LineString","coordinates":[[500300,3299800],[500300,3300200]]}},
{"type":"Feature","properties":{"road_id":"R5"},"geometry":{"type":"LineString","coordinates":[[501800,3301000],[502000,3301000],[502200,3301000]]}}
]}
EOF
cat >points.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"P1","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[500000,3300010]}},
{"type":"Feature","properties":{"point_id":"P9","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[501900,3301010]}},
{"type":"Feature","properties":{"point_id":"P10","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[502100,3301010]}}
]}
EOF
cat >households.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"H1","resident_population":2},"geometry":{"type":"Point","coordinates":[500120,3300010]}},
{"type":"Feature","properties":{"household_id":"H2","resident_population":3},"geometry":{"type":"Point","coordinates":[500110,3300000]}},
{"type":"Feature","properties":{"household_id":"H3","resident_population":5},"geometry":{"type":"Point","coordinates":[500300,3300150]}},
{"type":"Feature","properties":{"household_id":"H4","resident_population":1},"geometry":{"type":"Point","coordinates":[502000,3301000]}},
{"type":"Feature","properties":{"household_id":"H5","resident_population":6},"geometry":{"type":"Point","coordinates":[500600,3300800]}}
]}
EOF
sg 0 init fx.sqlite --crs EPSG:4545 --quiet
for l in roads points households; do
    sg 0 import fx.sqlite $l $l.geojson --src-crs EPSG:4545 --quiet
done

sg 0 coverage fx.sqlite --json
err_empty
# H1: 120 m straight (covered), 140 m by road; H2: 120 m by road
# (covered); H3 across a bridge (unreachable); H4 between two equally near
# points; H5 600 m from any road (unreachable, off the network)
json_ok 'd["radius_m"] == 120' \
    'd["radius_source"] == "collection_point.radius_m.clustered"' \
    'd["kind"] == "collection_point"' 'd["demand"] == "households"' \
    'd["metric"] == "both"' 'd["metric_used"] == "network"' \
    'd["points"] == 3' 'd["households"] == 5' 'd["residents"] == 17' \
    'd["beyond_euclid"] == 2' 'd["beyond_network"] == 3' \
    'd["unreachable"] == 2' 'd["off_network"] == 1' \
    'd["residents_beyond_euclid"] == 11' \
    'd["residents_beyond_network"] == 13' \
    'd["residents_unreachable"] == 11' \
    'd["blind_spots"] == 3' 'd["blind_spot_households"] == 3' \
    'd["blind_spot_area_m2"] > 3 * 3.1416 * 3600 * 0.99' \
    'd["network"]["components"] == 3' \
    'd["layers"] == ["coverage", "blind_spots", "coverage_stats"]'
q() { store_sql fx.sqlite "$1"; }
eq "$(q "SELECT $(sql_fixed euclid_m 6), $(sql_fixed network_m 6), covered_euclid, covered_network FROM coverage WHERE household_id='H1'")" \
    "120.000000|140.000000|1|0" "H1"
eq "$(q "SELECT $(sql_fixed network_m 6), covered_network FROM coverage WHERE household_id='H2'")" \
    "120.000000|1" "H2"
eq "$(q "SELECT reachable, CAST(network_m IS NULL AS INTEGER), $(sql_fixed snap_m 1) FROM coverage WHERE household_id='H3'")" \
    "0|1|0.0" "H3"
eq "$(q "SELECT euclid_point_id, network_point_id, $(sql_fixed network_m 6) FROM coverage WHERE household_id='H4'")" \
    "P10|P10|110.000000" "H4 (tie: lowest point_id)"
eq "$(q "SELECT reachable, CAST(snap_m IS NULL AS INTEGER) FROM coverage WHERE household_id='H5'")" \
    "0|1" "H5"

# the layer's points are the households' (on SpatiaLite the layer is a view
# of them, bulk_int.h), checked by the store's own geometry functions
eq "$(q "SELECT count(*) FROM coverage c JOIN households h ON h.household_id = c.household_id WHERE ST_Equals(c.geom, h.geom)")" \
    5 "coverage points are the households'"
if ! sg_is_pg; then
    # GDAL (and so QGIS) opens the view as a point layer of the store
    ogrinfo -ro -so fx.sqlite coverage >"$T/ogr" 2>&1 ||
        sg_fail "ogrinfo cannot open the coverage layer: $(cat "$T/ogr")"
    grep -q '^Geometry: Point' "$T/ogr" || sg_fail "coverage is not a point layer to GDAL: $(cat "$T/ogr")"
    grep -q '^Feature Count: 5$' "$T/ogr" || sg_fail "GDAL counts other than 5 coverage features: $(cat "$T/ogr")"
    ogrinfo -ro -q fx.sqlite coverage -spat 500100 3299990 500130 3300020 >"$T/ogr" 2>&1
    eq "$(grep -c 'household_id (String) = ' "$T/ogr")" 2 \
        "GDAL's spatial filter on coverage (H1, H2)"
    # a household deleted after the run keeps its result row, without a
    # point; households imported anew (the fids of others) never lend
    # theirs
    sg_store_copy fx.sqlite fx2.sqlite
    sg 0 delete fx2.sqlite households --id H5 --quiet
    eq "$(store_sql fx2.sqlite "SELECT count(*), sum(geom IS NULL) FROM coverage")" \
        "5|1" "coverage after deleting H5"
    eq "$(store_sql fx2.sqlite "SELECT household_id FROM coverage WHERE geom IS NULL")" \
        H5 "the deleted household's row"
    "$SG_PYTHON" - households.geojson >hh_rev.geojson <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["features"].reverse()
print(json.dumps(d))
PY
    sg 0 import fx2.sqlite households hh_rev.geojson --src-crs EPSG:4545 --mode replace --quiet
    eq "$(store_sql fx2.sqlite "SELECT count(*) FROM coverage c JOIN households h ON h.household_id = c.household_id WHERE c.geom IS NOT NULL AND NOT ST_Equals(c.geom, h.geom)")" \
        0 "no coverage row shows another household's point"
    eq "$(store_sql fx2.sqlite "SELECT count(*) FROM coverage")" 5 \
        "coverage rows after a new import"
fi

# --node-crossings connects the bridge: 150 + 300 + 10
sg 0 coverage fx.sqlite --node-crossings --json
json_ok 'd["unreachable"] == 1' 'd["network"]["crossings"] == 1'
eq "$(q "SELECT $(sql_fixed network_m 6) FROM coverage WHERE household_id='H3'")" \
    "460.000000" "H3 with --node-crossings"
# --max-snap 700 reaches H5 (608.3 m from R2's end)
sg 0 coverage fx.sqlite --max-snap 700 --json
json_ok 'd["off_network"] == 0' 'd["max_snap_m"] == 700'

# the text summary
sg 0 coverage fx.sqlite
out_has '^coverage of households by collection_point within 120 m \(collection_point.radius_m.clustered\)'
out_has '^  households +5 \(17 residents\)'
out_has '^  along roads +3 \(60\.0%\) beyond the radius \(unreachable included\), 2 \(40\.0%\) unreachable'
out_has '1 farther than 500 m from every road, 1 in road components without a point'
out_has '^  blind spots +3 '
sg 0 coverage fx.sqlite --quiet
out_empty

# ---- the demo data --------------------------------------------------------
sg 0 init demo.sqlite --quiet
for l in divisions grids roads points households; do
    sg 0 import demo.sqlite $l "$SG_SOURCE_DIR/data/demo/$l.geojson" --quiet
done
sg 0 coverage demo.sqlite --json
json_ok 'd["households"] == 661' 'd["points"] == 17' \
    'd["beyond_euclid"] + 0 <= d["households"]' \
    'd["residents_beyond_network"] >= d["residents_unreachable"]' \
    'd["blind_spot_households"] == d["beyond_network"]' \
    'd["beyond_network"] >= d["unreachable"]' \
    'd["units"] == 21' 'd["blind_spots"] > 0'
cp "$T/out" demo.json
dq() { store_sql demo.sqlite "$1"; }
py() { "$SG_PYTHON" -c "import json; d = json.load(open('demo.json')); print($1)"; }
eq "$(store_count demo.sqlite coverage)" 661 "coverage rows"
eq "$(dq 'SELECT count(*) FROM coverage WHERE covered_euclid = 0')" \
    "$(py 'd["beyond_euclid"]')" "beyond_euclid vs layer"
eq "$(dq 'SELECT count(*) FROM coverage WHERE reachable = 0')" \
    "$(py 'd["unreachable"]')" "unreachable vs layer"
eq "$(dq 'SELECT count(*) FROM blind_spots')" "$(py 'd["blind_spots"]')" \
    "blind_spots rows"
eq "$(dq 'SELECT count(*) FROM coverage_stats')" 21 "coverage_stats rows"
eq "$(dq "SELECT count(*) FROM coverage_stats WHERE unit_type = 'division'")" 6 \
    "division rows"
eq "$(dq "SELECT households FROM coverage_stats WHERE unit_code = '999001100000'")" \
    661 "the township holds every household"
eq "$(dq 'SELECT count(*) FROM coverage WHERE network_m < euclid_m - 1e-9')" 0 \
    "road distance below straight line"
# a re-run replaces the results
sg 0 coverage demo.sqlite --quiet
eq "$(store_count demo.sqlite coverage)" 661 "coverage rows after a re-run"
eq "$(dq "SELECT count(*) FROM runs WHERE command = 'coverage'")" 2 "runs"

# results export like any layer
sg 0 export demo.sqlite coverage coverage.geojson
eq "$(ogr_count coverage.geojson)" 661 "exported coverage"
sg 0 export demo.sqlite blind_spots blind_spots.gpkg
eq "$(ogr_count blind_spots.gpkg)" "$(py 'd["blind_spots"]')" "exported blind spots"
sg 0 export demo.sqlite coverage_stats stats.csv
eq "$(ogr_count stats.csv)" 21 "exported coverage_stats"

# other kinds and metrics
sg 0 coverage demo.sqlite --kind public_toilet --json
json_ok 'd["radius_m"] == 300' 'd["points"] == 1' \
    'd["radius_source"] == "public_toilet.radius_m.town"'
sg 0 coverage demo.sqlite --kind bin --radius 50 --metric euclid --json
json_ok 'd["radius_m"] == 50' 'd["radius_source"] == "--radius"' \
    'd["metric"] == "euclid"' 'd["metric_used"] == "euclid"' \
    'd["beyond_network"] is None' 'd["unreachable"] is None' \
    'd["network"] is None'
eq "$(dq 'SELECT count(*) FROM coverage WHERE network_m IS NULL AND covered_network IS NULL')" \
    661 "network columns NULL with --metric euclid"
sg 0 coverage demo.sqlite --metric network --json
json_ok 'd["beyond_euclid"] is None' 'd["metric_used"] == "network"'
sg 0 config demo.sqlite set collection_point.radius_m.clustered 70
sg 0 coverage demo.sqlite --json
json_ok 'd["radius_m"] == 70'
# a kind the demo has no point of: the run is refused (issue 14: it
# marked everything unreachable) and the earlier results stay byte for
# byte
cov_before=$(dq 'SELECT * FROM coverage ORDER BY 1' | sha256sum)
sg 1 coverage demo.sqlite --kind other --radius 100 --json
err_has 'no points of kind other'
err_has 'earlier coverage results are kept'
eq "$(dq 'SELECT * FROM coverage ORDER BY 1' | sha256sum)" \
    "$cov_before" "coverage after the refused run"
# the 村收集→镇转运 chain: the demo's collection points and its transfer
# station (P020)
sg 0 coverage demo.sqlite --demand collection_point --kind transfer_station --json
json_ok 'd["points"] == 1' 'd["households"] == 17' \
    'd["radius_source"] == "collection_vehicle.radius_km.small_motor"'


# ---- help and errors -------------------------------------------------------
sg 0 coverage --help
out_has '^usage: sanigrid coverage DB'
out_has 'covered +distance <= radius'
out_has 'blind spot'
out_has 'ties'
out_has '^Exit codes:'
sg 2 coverage demo.sqlite --metric fast
err_has 'metric'
sg 2 coverage demo.sqlite --kind school
err_has "unknown point kind 'school'"
sg 2 coverage demo.sqlite --kind bin
err_has 'give --radius'
sg 2 coverage demo.sqlite --radius 0
sg 2 coverage demo.sqlite --max-snap -1
sg 2 coverage demo.sqlite --demand collection_point
err_has 'both collection_point'
sg 2 coverage
sg 3 coverage missing.sqlite
# a read-only store file: exit 1, nothing changed (a read-only role on
# PostgreSQL: tests/cli/pg.sh)
if ! sg_is_pg; then
    chmod a-w demo.sqlite
    if [[ ! -w demo.sqlite ]]; then
        before=$(store_state demo.sqlite)
        sg 1 coverage demo.sqlite
        err_has 'read-only'
        eq "$(store_state demo.sqlite)" "$before" "read-only store"
    fi
    chmod u+w demo.sqlite
fi

sg_done
