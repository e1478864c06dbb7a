#!/usr/bin/env bash
# sanigrid site --accept (issue 14): the proposals become collection
# points, and coverage then counts them; importing the exported
# site_proposals as points gives them their kind too.
# Fixture (EPSG:4545 metres, as tests/cli/site.sh): one road of 1 km;
# P1 covers H1; a point at x 500320 covers H2 and H3, one at 500800 H4
# and H5; H6 is 700 m from the road (unreachable). The counts expected
# are SQLite's on the coverage layer of the same file.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

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
sg 0 init fx.sqlite --crs EPSG:4545 --quiet
for l in roads points households; do
    sg 0 import fx.sqlite $l $l.geojson --src-crs EPSG:4545 --quiet
done
sg_store_copy fx.sqlite base.sqlite    # no -wal after a clean close
q() { store_sql "${2:-fx.sqlite}" "$1"; }
beyond() { q "SELECT count(*) FROM coverage WHERE covered_network = 0" "$@"; }

sg 0 coverage fx.sqlite --quiet
eq "$(beyond)" 5 "households beyond the radius before"
sg 0 site fx.sqlite --add 2 --quiet
props=$(q "SELECT $(sql_concat "candidate_id || ':' || kind" "' '") FROM (SELECT * FROM site_proposals ORDER BY rank) AS s")
[[ $props =~ ^road:R1:1[6-9]:collection_point\ road:R1:4[0-4]:collection_point$ ]] ||
    sg_fail "proposals with their kind: $props"

# accept all: two points of kind collection_point, the proposals gone
sg 0 site fx.sqlite --accept
out_has 'accepted 2 proposals as points'
out_has 'snapshot before: 0001-site-accept-'
eq "$(q "SELECT $(sql_concat "point_id || ':' || kind" "' '") FROM (SELECT * FROM points ORDER BY fid) AS s")" \
    "P1:collection_point $props" "points after accepting"
eq "$(q "SELECT count(*) FROM site_proposals")" 0 "proposals left"
eq "$(q "SELECT counts FROM runs WHERE command = 'site-accept'")" '{"accepted":2}' "run recorded"
sg 0 coverage fx.sqlite --quiet
eq "$(beyond)" 1 "households beyond the radius after accepting (H6 only)"
eq "$(q "SELECT household_id FROM coverage WHERE covered_network = 0")" H6 "the one left"
# nothing left to accept
sg 1 site fx.sqlite --accept
err_has "site_proposals of $(sg_store_re fx.sqlite) is empty"

# accept one by candidate_id, one by rank; unknown ids refused
sg_store_copy base.sqlite one.sqlite
sg 0 site one.sqlite --add 2 --quiet
state=$(store_state one.sqlite)
sg 1 site one.sqlite --accept road:R1:16 nope
err_has "no site proposal has candidate_id or rank 'nope'"
# the command it suggests runs as it is (the store's name one shell word:
# on PostgreSQL a conninfo with spaces)
cmd=$(grep -o '`sanigrid show [^`]*`' "$T/err" | tr -d '`')
mapfile -t words < <("$SG_PYTHON" -c 'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "${cmd#sanigrid }")
sg 0 "${words[@]}"
out_has 'road:R1:16'
eq "$(store_state one.sqlite)" "$state" "the store after a refused accept"
# (snapshots: files in a folder beside the store; tables of its schema on
# PostgreSQL, listed in sg_snapshots)
if sg_is_pg; then
    eq "$(store_sql one.sqlite "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'sg\_snap%'")" 0 "snapshots after a refused accept"
    snap_ok='d["snapshot"].startswith("0001-site-accept-")'
else
    [[ ! -e one.sqlite.snapshots ]] || sg_fail "a refused accept left a snapshot"
    snap_ok='"/0001-site-accept-" in d["snapshot"]'
fi
sg 0 site one.sqlite --accept 2 --json
json_ok 'd["accepted"] == 1' "$snap_ok"
eq "$(q "SELECT $(sql_concat point_id "' '") FROM (SELECT point_id FROM points ORDER BY fid) AS s" one.sqlite)" "P1 $(s=${props##* }; echo "${s%:*}")" "accepted by rank"
sg 0 coverage one.sqlite --quiet
eq "$(beyond one.sqlite)" 3 "beyond after accepting the second (H2, H3, H6)"
# a point with the proposal's id exists already: refused
eq "$(q "SELECT count(*) FROM site_proposals" one.sqlite)" 1 "proposals left after accepting one"
store_exec one.sqlite "UPDATE site_proposals SET candidate_id = 'P1'"
sg 1 site one.sqlite --accept
err_has 'points already holds a point P1'
sg 2 site one.sqlite --accept --add 1
err_has '--accept takes no --add'

# the exported proposals imported as points: point_id and kind
for fmt in geojson shp; do
    sg_store_copy base.sqlite ex.sqlite
    rm -rf ex.sqlite.snapshots prop.*
    sg 0 site ex.sqlite --add 2 --quiet
    sg 0 export ex.sqlite site_proposals prop.$fmt --quiet
    sg 0 import ex.sqlite points prop.$fmt --json
    json_ok 'd["imported"] == 2' 'd["mapping"]["kind"] == "kind"' \
        'd["mapping"]["point_id"] in ("candidate_id", "cand_id")'
    eq "$(q "SELECT $(sql_concat "point_id || ':' || kind" "' '") FROM (SELECT * FROM points ORDER BY fid) AS s" ex.sqlite)" \
        "P1:collection_point $props" "points imported from $fmt"
    # coverage counts them (the exchange format may move a point by a
    # centimetre, so H5, exactly at the radius of its point, is not
    # checked here)
    sg 0 coverage ex.sqlite --quiet
    eq "$(q "SELECT count(DISTINCT network_point_id) FROM coverage WHERE covered_network = 1 AND network_point_id LIKE 'road:%'" ex.sqlite)" \
        2 "imported proposals serving households ($fmt)"
    eq "$(q "SELECT count(*) FROM coverage WHERE covered_network = 0 AND household_id IN ('H2', 'H3', 'H4')" ex.sqlite)" \
        0 "H2, H3, H4 covered after importing the proposals ($fmt)"
done
sg_done
