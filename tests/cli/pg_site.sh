#!/usr/bin/env bash
# site --accept on a PostgreSQL store (issue 21) against the same on a
# SpatiaLite store of the same files: site_accept.sh's fixture (one road,
# P1, six households); site --add 2 compared; accept all, then accept by
# candidate_id and by rank on a fresh pair, compared on --json, on the
# points each store holds (psql against sqlite3, point ids, kinds and
# coordinates) and on coverage after accepting; refusals (an unknown id,
# an id already a point, nothing left) leave the PostgreSQL store
# unchanged; site --candidates with a point layer on both.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

cat >roads.geojson <<'EOF2'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[501000,3300000]]}}
]}
EOF2
cat >points.geojson <<'EOF2'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"P1","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[500000,3300010]}}
]}
EOF2
cat >households.geojson <<'EOF2'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"H1","resident_population":2},"geometry":{"type":"Point","coordinates":[500050,3300010]}},
{"type":"Feature","properties":{"household_id":"H2","resident_population":5},"geometry":{"type":"Point","coordinates":[500400,3300010]}},
{"type":"Feature","properties":{"household_id":"H3","resident_population":3},"geometry":{"type":"Point","coordinates":[500420,3300010]}},
{"type":"Feature","properties":{"household_id":"H4","resident_population":4},"geometry":{"type":"Point","coordinates":[500800,3300010]}},
{"type":"Feature","properties":{"household_id":"H5","resident_population":1},"geometry":{"type":"Point","coordinates":[500950,3300010]}},
{"type":"Feature","properties":{"household_id":"H6","resident_population":6},"geometry":{"type":"Point","coordinates":[500400,3300700]}}
]}
EOF2
# pair NAME: a SpatiaLite store $T/NAME.sqlite and a schema NAME, both
# with the fixture imported
pair()
{
    sl=$T/$1.sqlite
    pg="$SG_PG_DB?options=-csearch_path%3D$1"
    schema=$1
    sg 0 init "$sl" --crs EPSG:4545 --quiet
    sg 0 init "$pg" --crs EPSG:4545 --quiet
    for l in roads points households; do
        pg_both 0 "$sl" "$pg" import $l $l.geojson --src-crs EPSG:4545
    done
}
points_same()
{
    eq "$(sg_pg_psql "SELECT string_agg(point_id || ':' || kind || ':' || round(ST_X(geom)::numeric, 6) || ':' || round(ST_Y(geom)::numeric, 6), ' ' ORDER BY fid) FROM $schema.points")" \
        "$(sqlite3 -readonly -cmd "SELECT load_extension('mod_spatialite');" "$sl" "SELECT group_concat(point_id || ':' || kind || ':' || printf('%.6f', ST_X(geom)) || ':' || printf('%.6f', ST_Y(geom)), ' ') FROM (SELECT * FROM points ORDER BY fid)" | tail -n 1)" \
        "points in PostgreSQL and SpatiaLite"
}
pgstate() { sg_pg_psql "SELECT (SELECT string_agg(point_id, ',' ORDER BY fid) FROM $schema.points) || '/' || (SELECT count(*) FROM $schema.site_proposals) || '/' || (SELECT count(*) FROM $schema.runs)"; }

# ---- accept all ----------------------------------------------------------------
pair acc
pg_both 0 "$sl" "$pg" coverage
pg_both 0 "$sl" "$pg" site --add 2
pg_same_layer "$sl" "$pg" site_proposals
pg_both 0 "$sl" "$pg" site --accept
json_ok 'd["accepted"] == 2'
points_same
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.points")" 3 "points after accepting"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.site_proposals")" 0 "proposals left"
eq "$(sg_pg_psql "SELECT counts FROM $schema.runs WHERE command = 'site-accept'")" \
    '{"accepted":2}' "run recorded"
pg_both 0 "$sl" "$pg" coverage
pg_same_layer "$sl" "$pg" coverage
eq "$(sg_pg_psql "SELECT string_agg(household_id, ',') FROM $schema.coverage WHERE covered_network = 0")" \
    H6 "the one household left beyond the radius"
before=$(pgstate)
sg 1 site "$pg" --accept
err_has 'is empty'
eq "$(pgstate)" "$before" "the store after accepting nothing"

# ---- by candidate id and by rank; refusals ------------------------------------------
pair one
pg_both 0 "$sl" "$pg" site --add 2
first=$(sg_pg_psql "SELECT candidate_id FROM $schema.site_proposals ORDER BY rank LIMIT 1")
before=$(pgstate)
sg 1 site "$pg" --accept "$first" nope
err_has "no site proposal has candidate_id or rank 'nope'"
eq "$(pgstate)" "$before" "the store after a refused accept"
pg_both 0 "$sl" "$pg" site --accept 2
json_ok 'd["accepted"] == 1'
points_same
# a proposal whose id is a point already: refused, nothing changed
sg_pg_psql "UPDATE $schema.site_proposals SET candidate_id = 'P1'"
before=$(pgstate)
sg 1 site "$pg" --accept
err_has 'points already holds a point P1'
eq "$(pgstate)" "$before" "the store after a refused accept"
sg_pg_psql "UPDATE $schema.site_proposals SET candidate_id = '$first'"
pg_both 0 "$sl" "$pg" site --accept "$first"
points_same
pg_both 0 "$sl" "$pg" coverage
pg_same_layer "$sl" "$pg" coverage

# ---- candidates from a point layer ----------------------------------------------------
pair cand
pg_both 0 "$sl" "$pg" coverage
pg_both 0 "$sl" "$pg" site --add 1 --candidates households
pg_same_layer "$sl" "$pg" site_proposals
sg 2 site "$pg" --add 1 --candidates roads_nope
err_has "no layer 'roads_nope'"

sg_pg_stop
sg_done
