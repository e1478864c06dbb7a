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
source "$(dirname "$0")/lib/route_fixture.bash"
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
