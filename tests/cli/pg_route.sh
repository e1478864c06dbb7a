#!/usr/bin/env bash
# route on a PostgreSQL store (issue 21) against the same on a SpatiaLite
# store of the same files: route_store.sh's hand-made road network and
# points (a transfer station, a treatment plant, an island, a second
# township), imported into both; before coverage both refuse; then route
# (collection trips with capacity, shift limits, the haul to the plant,
# a depot given by id and as longitude,latitude) and route --tour
# (villages, points, grids) compared on --json and on the result layers
# routes, route_stops, route_summary, tours and tour_stops (every
# feature; coordinates and values within 1e-6). The expectations are the
# SpatiaLite store's answers (route_store.sh checks those by hand), and a
# few of route_store.sh's hand-worked figures on the PostgreSQL run.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

schema=county_330101
pg="$SG_PG_DB?options=-csearch_path%3D$schema"
sl=$T/fx.sqlite

# ---- fixture (route_store.sh's; EPSG:4545 metres) ------------------------------
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[500500,3300000],[501000,3300000],[501500,3300000],[502000,3300000]]}},
{"type":"Feature","properties":{"road_id":"R2"},"geometry":{"type":"LineString","coordinates":[[501000,3300000],[501000,3300500],[501000,3301000]]}},
{"type":"Feature","properties":{"road_id":"R3"},"geometry":{"type":"LineString","coordinates":[[505000,3300000],[505500,3300000]]}},
{"type":"Feature","properties":{"road_id":"R4"},"geometry":{"type":"LineString","coordinates":[[509500,3300000],[510500,3300000]]}}
]}
EOF
# T1 10 m off R1's west end; C1 20 m off R1 at x=500500 (530 m from T1);
# C2 at x=501500 (1530 m); C3 20 m off R2 at y=3300800 (1830 m); C4 on
# the island; C5 at x=501990 (2030 m); the plant 10 m off R1's east end.
cat >points.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"T1","kind":"transfer_station","name":"镇转运站"},"geometry":{"type":"Point","coordinates":[500000,3300010]}},
{"type":"Feature","properties":{"point_id":"TP1","kind":"处理厂","name":"县处理厂"},"geometry":{"type":"Point","coordinates":[502000,3299990]}},
{"type":"Feature","properties":{"point_id":"C1","kind":"collection_point","name":"一组收集点"},"geometry":{"type":"Point","coordinates":[500500,3300020]}},
{"type":"Feature","properties":{"point_id":"C2","kind":"collection_point","name":"二组收集点"},"geometry":{"type":"Point","coordinates":[501500,3300020]}},
{"type":"Feature","properties":{"point_id":"C3","kind":"collection_point","name":"三组收集点"},"geometry":{"type":"Point","coordinates":[501020,3300800]}},
{"type":"Feature","properties":{"point_id":"C4","kind":"collection_point","name":"孤岛收集点"},"geometry":{"type":"Point","coordinates":[505200,3300010]}},
{"type":"Feature","properties":{"point_id":"C5","kind":"collection_point","name":"大村收集点"},"geometry":{"type":"Point","coordinates":[501990,3300020]}},
{"type":"Feature","properties":{"point_id":"C6","kind":"collection_point","name":"乙镇收集点"},"geometry":{"type":"Point","coordinates":[510000,3300010]}}
]}
EOF
# residents: C1 60, C2 80, C3 50, C4 10, C5 300, C6 20
"$SG_PYTHON" - <<'EOF'
import json
hh = []
def add(i, x, y, r):
    hh.append({"type": "Feature", "properties": {"household_id": "H%d" % i, "resident_population": r},
               "geometry": {"type": "Point", "coordinates": [x, y]}})
add(1, 500480, 3300030, 30); add(2, 500520, 3300030, 30)
add(3, 501480, 3300030, 40); add(4, 501520, 3300030, 40)
add(5, 501030, 3300790, 50)
add(6, 505210, 3300020, 10)
add(7, 501980, 3300030, 100); add(8, 501995, 3300030, 100); add(9, 501999, 3300040, 100)
add(10, 510010, 3300020, 20)
json.dump({"type": "FeatureCollection", "features": hh}, open("households.geojson", "w"))
def poly(code, name, level, parent, x0, y0, x1, y1):
    return {"type": "Feature", "properties": {"division_code": code, "name": name, "level": level, "parent_code": parent},
            "geometry": {"type": "MultiPolygon", "coordinates": [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]]}}
d = [poly("330101001000", "测试镇", "township", "330101000000", 499000, 3299000, 506000, 3302000),
     poly("330101002000", "乙镇", "township", "330101000000", 509000, 3299000, 511000, 3302000),
     poly("330101001001", "甲村", "admin_village", "330101001000", 499900, 3299900, 500700, 3300300),
     poly("330101001002", "乙村", "admin_village", "330101001000", 500700, 3299900, 501600, 3300300),
     poly("330101001003", "丙村", "admin_village", "330101001000", 500800, 3300500, 501200, 3301100),
     poly("330101001004", "丁村", "admin_village", "330101001000", 504900, 3299900, 505600, 3300300)]
json.dump({"type": "FeatureCollection", "features": d}, open("divisions.geojson", "w"))
g = []
for code, x0, x1 in (("330101001001001", 499900, 500700), ("330101001002001", 500700, 501600)):
    f = poly(code, "网格" + code[-1], None, None, x0, 3299900, x1, 3300300)
    f["properties"] = {"grid_code": code, "name": "网格" + code[-4:], "division_code": code[:12]}
    g.append(f)
json.dump({"type": "FeatureCollection", "features": g}, open("grids.geojson", "w"))
EOF
sg 0 init "$sl" --crs EPSG:4545 --quiet
sg 0 init "$pg" --crs EPSG:4545 --quiet
for l in divisions grids roads points households; do
    pg_both 0 "$sl" "$pg" import $l $l.geojson --src-crs EPSG:4545
done
A=(--division 330101001000 --iterations 3000)

# ---- before coverage: refused on both, nothing written ------------------------
sg 1 route "$pg" "${A[@]}"
err_has 'coverage'
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.runs WHERE command = 'route'")" 0 \
    "route runs after a refusal"
pg_both 0 "$sl" "$pg" coverage

# ---- collection trips --------------------------------------------------------------
routes_same()
{
    local l
    pg_same_layer "$sl" "$pg" routes
    pg_same_layer "$sl" "$pg" route_stops
    pg_same_table "$sl" "$pg" route_summary
}
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 1000
# route_store.sh's hand-worked trip: 5760 m
json_ok 'abs(d["townships"][0]["km_per_day"] - 5.76) < 1e-6'
routes_same
eq "$(sg_pg_psql "SELECT round(sum(ST_Length(geom))::numeric, 3) FROM $schema.routes")" \
    "$(sqlite3 -readonly -cmd "SELECT load_extension('mod_spatialite');" "$sl" "SELECT printf('%.3f', sum(ST_Length(geom))) FROM routes" | tail -n 1)" \
    "length of the trips (PostGIS and SpatiaLite)"
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 1000 --every-days 2
routes_same
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 100
routes_same
for s in "$sl" "$pg"; do sg 0 config "$s" set route.vehicle.shift_h 0.4; done
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 50
routes_same
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 50 --vehicles 1
routes_same
for s in "$sl" "$pg"; do
    sg 0 config "$s" reset route.vehicle.shift_h
    sg 0 config "$s" set route.haul_far_km 2
done
pg_both 0 "$sl" "$pg" route --all --iterations 3000 --capacity-kg 1000
routes_same
for s in "$sl" "$pg"; do sg 0 config "$s" reset route.haul_far_km; done
pg_both 0 "$sl" "$pg" route --division 330101002000 --depot T1 --iterations 100
json_ok 'd["townships"][0]["depot"] == "T1"' 'd["townships"][0]["unreachable"] == 1' \
    'd["routes"] == 0'
# no trip: both layers empty
PG_SAME_EMPTY_OK=1 routes_same
# a depot as longitude,latitude: PostGIS places it where SpatiaLite does
ll=$(sg_pg_psql "SELECT to_char(ST_X(p), 'FM990.0000000000') || ',' || to_char(ST_Y(p), 'FM990.0000000000') FROM (SELECT ST_Transform(geom, 4326) AS p FROM $schema.points WHERE point_id = 'T1') q")
pg_both 0 "$sl" "$pg" route "${A[@]}" --capacity-kg 1000 --depot "$ll"
json_ok 'd["townships"][0]["depot"] == ""' \
    'abs(d["townships"][0]["km_per_day"] - 5.76) < 1e-6'
routes_same

# ---- inspection rounds --------------------------------------------------------------
tours_same()
{
    pg_same_layer "$sl" "$pg" tours
    pg_same_layer "$sl" "$pg" tour_stops
}
pg_both 0 "$sl" "$pg" route --tour "${A[@]}"
json_ok 'd["mode"] == "tour"' 'd["units"] == "villages"'
tours_same
pg_both 0 "$sl" "$pg" route --tour --units points --start C1 "${A[@]}"
tours_same
pg_both 0 "$sl" "$pg" route --tour --units grids "${A[@]}"
tours_same

# ---- demand at transfer stations ------------------------------------------------------
pg_both 0 "$sl" "$pg" coverage --demand collection_point --kind transfer_station
for s in "$sl" "$pg"; do
    sg 1 route "$s" "${A[@]}"
    err_has 'measures transfer_station for collection_point'
done

eq "$(sg_pg_psql "SELECT count(*) FROM $schema.runs WHERE command = 'route'")" \
    "$(sqlite3 -readonly "$sl" "SELECT count(*) FROM runs WHERE command = 'route'")" \
    "route runs recorded"
sg_pg_stop
sg_done
