#!/usr/bin/env bash
# sanigrid plan: grid division proposals on the demo data (Eschen and
# every village), --json shape and the figures it promises, the text
# output, micro-grids (--level 2), the GeoJSON export QGIS opens, the
# real checker on the plan imported as grids, usage errors and failures.
# Expectations are computed independently with SpatiaLite SQL and OGR.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

demo=$SG_SOURCE_DIR/data/demo
ESCHEN=999001100202

sg 0 init db.sqlite --quiet
for layer in divisions grids households roads; do
    sg 0 import db.sqlite "$layer" "$demo/$layer.geojson" --quiet
done

# SpatiaLite or PostGIS SQL on the store, read-only
sql()
{
    store_sql db.sqlite "$1" 2>/dev/null |
        grep -v '^$' || true
}

# ---- Eschen in three grids: --json -----------------------------------------
sg 0 plan db.sqlite --division $ESCHEN --grids 3 --json
err_empty
json_ok 'd["level"] == 1' 'd["balance"] == "households"' \
    'd["grids_per_unit"] == 3' 'd["households_per_grid"] is None' \
    'd["layer"] == "planned_grids"' 'd["units_planned"] == 1' \
    'd["grids"] == 3' 'd["households"] == 184' 'd["unbalanced"] == 0' \
    'd["not_contiguous"] == 0' 'd["households_near_boundary"] == 0' \
    'd["max_mean"] <= 1.15' 'abs(d["balance_bound"] - 1.15) < 1e-12' \
    'abs(d["clearance_m"] - 0.5) < 1e-12' \
    'len(d["units"]) == 1' 'd["units"][0]["code"] == "999001100202"' \
    'd["units"][0]["name"] == "Eschen"' 'd["units"][0]["balanced"] is True' \
    'd["units"][0]["islands"] >= 1' 'd["units"][0]["blocks"] > 3' \
    'd["units"][0]["planned"]["grids"] == 3' \
    'd["units"][0]["existing"]["grids"] == 4' \
    'd["units"][0]["existing"]["max_mean"] > d["units"][0]["planned"]["max_mean"]' \
    '0 < d["units"][0]["planned"]["mean_polsby_popper"] <= 1' \
    'd["units"][0]["note"] is None' \
    '[g["grid_code"] for g in d["units"][0]["grids"]] == ["999001100202001", "999001100202002", "999001100202003"]' \
    'sum(g["households"] for g in d["units"][0]["grids"]) == 184' \
    'all(g["parent_code"] == "999001100202" for g in d["units"][0]["grids"])' \
    'all(g["parts"] - g["island_parts"] == 1 for g in d["units"][0]["grids"])'
eq "$(store_count db.sqlite planned_grids)" 3 "planned_grids rows"
eq "$(store_sql db.sqlite "SELECT command FROM runs ORDER BY run_id DESC LIMIT 1")" \
    plan "last run"
# independently: households per grid, the tiling, nobody on a boundary
counts=$(sql "SELECT count(*) FROM planned_grids g, households h
              WHERE ST_Intersects(h.geom, g.geom) GROUP BY g.grid_code
              ORDER BY g.grid_code" | tr '\n' ' ')
lib=$(sql "SELECT households FROM planned_grids ORDER BY grid_code" | tr '\n' ' ')
eq "$counts" "$lib" "households per grid (SQL vs plan)"
"$SG_PYTHON" - "$counts" <<'PY' || sg_fail "balance bound"
import sys
c = [int(x) for x in sys.argv[1].split()]
assert sum(c) == 184, c
assert max(c) / (sum(c) / len(c)) <= 1.15, c
PY
gap=$(sql "SELECT ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM planned_grids),
           (SELECT geom FROM divisions WHERE division_code = '$ESCHEN')))")
"$SG_PYTHON" -c "import sys; v = float(sys.argv[1] or 0); sys.exit(0 if v < 1e-3 else 1)" \
    "$gap" || sg_fail "grids do not tile Eschen: symmetric difference $gap m2"
ovl=$(sql "SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom))), 0)
           FROM planned_grids a, planned_grids b
           WHERE a.fid < b.fid AND ST_Intersects(a.geom, b.geom)")
"$SG_PYTHON" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1e-6 else 1)" \
    "$ovl" || sg_fail "grids overlap by $ovl m2"
near=$(sql "SELECT count(*) FROM households h, divisions d
            WHERE d.division_code = '$ESCHEN' AND ST_Intersects(h.geom, d.geom)
            AND (SELECT count(*) FROM planned_grids g
                 WHERE ST_Distance(g.geom, h.geom) <= 0.5) > 1")
eq "$near" 0 "households within 0.5 m of a boundary"

# ---- the text output ----------------------------------------------------------
sg 0 plan db.sqlite --division $ESCHEN --grids 2
out_has '^plan: level 1, 2 grids per village, balancing households'
out_has '^999001100202 Eschen: 184 households, 2 grids, [0-9]+ blocks; max/mean 1\.[01]'
out_has '\(existing 4: '
out_has '^  999001100202001 '
out_has '^  999001100202002 '
out_has '2 grids in 1 unit written to layer planned_grids; 0 units above max/mean 1\.15'
sg 0 plan db.sqlite --division $ESCHEN --grids 2 --quiet
out_empty

# ---- every village, about 60 households per grid; the real checker -----
# planned by one thread below (SpatiaLite only: the threads are the
# analysis's, the same on both stores; pgcli_plan runs the rest)
if ! sg_is_pg; then cp db.sqlite plan_serial.sqlite; fi
sg 0 plan db.sqlite --all --households-per-grid 60 --json -v
if (($(nproc) > 1)); then
    grep -q 'summed over 2 threads' "$T/err" || sg_fail "plan did not use 2 threads or more"
fi
json_ok 'd["units_planned"] == 5' 'd["households"] == 661' \
    'd["unbalanced"] == 0' 'd["households_near_boundary"] == 0' \
    'd["not_contiguous"] == 0' 'd["max_mean"] <= 1.15' \
    'd["households_per_grid"] == 60' \
    'all(len(u["grids"]) == -(-u["households"] // 60) for u in d["units"])' \
    'd["grids"] == sum(len(u["grids"]) for u in d["units"])'
ngrids=$(store_count db.sqlite planned_grids)
# units are planned by several threads: planned_grids is byte for byte
# that of a run on one thread (SANIGRID_THREADS=1), rows, fids, blobs
if ! sg_is_pg; then
    sg_env 0 SANIGRID_THREADS=1 -- plan plan_serial.sqlite --all --households-per-grid 60 --quiet -v
    grep -q 'summed over 1 threads' "$T/err" || sg_fail "SANIGRID_THREADS=1 did not make plan serial"
    sqlite3 -readonly db.sqlite '.dump planned_grids' | grep '^INSERT' >plan_threaded.sql
    sqlite3 -readonly plan_serial.sqlite '.dump planned_grids' | grep '^INSERT' >plan_serial.sql
    eq "$(wc -l <plan_serial.sql)" "$ngrids" "planned_grids rows dumped"
    cmp -s plan_threaded.sql plan_serial.sql ||
        sg_fail "threaded plan differs from the serial run: $(diff plan_threaded.sql plan_serial.sql | head -5)"
    # the second noding leaves out the midlines inside their faces (the
    # groups of about 3 houses here make some) and puts them back: the
    # plan is byte for byte that of one union of every line
    sg 0 plan db.sqlite --all --households-per-grid 60 --quiet -v
    grep -Eq '; [1-9][0-9]* units noded without their inside midlines' "$T/err" ||
        sg_fail "no unit noded without its inside midlines: $(grep phases "$T/err")"
    cp plan_serial.sqlite plan_all.sqlite
    sg_env 0 SANIGRID_PLAN_NODE_ALL=1 -- plan plan_all.sqlite --all --households-per-grid 60 --quiet -v
    grep -q '; 0 units noded without their inside midlines' "$T/err" ||
        sg_fail "SANIGRID_PLAN_NODE_ALL did not node everything"
    sqlite3 -readonly db.sqlite '.dump planned_grids' | grep '^INSERT' >plan_part.sql
    sqlite3 -readonly plan_all.sqlite '.dump planned_grids' | grep '^INSERT' >plan_all.sql
    eq "$(wc -l <plan_all.sql)" "$ngrids" "planned_grids rows dumped (one union)"
    cmp -s plan_part.sql plan_all.sql ||
        sg_fail "plan noded in part differs from one union: $(diff plan_part.sql plan_all.sql | head -5)"
fi
# export as GeoJSON (what QGIS opens) and as GeoPackage, import the
# latter as grids, and let `sanigrid check` judge the tiling
sg 0 export db.sqlite planned_grids planned.geojson
eq "$(ogr_count planned.geojson)" "$ngrids" "GeoJSON features"
"$SG_PYTHON" - planned.geojson <<'PY' || sg_fail "GeoJSON content"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
fs = d["features"]
# (GDAL's RFC 7946 writer turns one-part MultiPolygons into Polygons)
assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in fs)
p = fs[0]["properties"]
for k in ("grid_code", "name", "level", "parent_code", "division_code",
          "households", "residents", "area_m2", "perimeter_m",
          "polsby_popper", "parts"):
    assert k in p, k
assert "grid_leader" not in p   # personal field, left out by default
assert all(len(f["properties"]["grid_code"]) == 15 for f in fs)
g = fs[0]["geometry"]
lon, lat = (g["coordinates"][0][0] if g["type"] == "Polygon"
            else g["coordinates"][0][0][0])
assert 9.4 < lon < 9.7 and 47.1 < lat < 47.3, (lon, lat)
PY
sg 0 export db.sqlite planned_grids planned.gpkg
sg 0 import db.sqlite grids planned.gpkg --mode replace --quiet
sg 0 check db.sqlite --level 1 --json
json_ok "d[\"grids\"] == $ngrids" 'd["gaps"] == 0' 'd["overlaps"] == 0' \
    'd["slivers"] == 0' 'd["hierarchy_errors"] == 0' 'd["bad_codes"] == 0' \
    'd["households_outside_grids"] == 0' \
    'd["households_in_several_grids"] == 0'

# ---- micro-grids of one grid ----------------------------------------------
sg 0 plan db.sqlite --level 2 --division 999001100202001 --grids 3 --json
json_ok 'd["level"] == 2' 'd["units_planned"] == 1' \
    '[g["grid_code"] for g in d["units"][0]["grids"]] == ["99900110020200101", "99900110020200102", "99900110020200103"]' \
    'all(g["parent_code"] == "999001100202001" for g in d["units"][0]["grids"])' \
    'all(g["division_code"] == "999001100202" for g in d["units"][0]["grids"])' \
    'd["units"][0]["balanced"] is True'
eq "$(sql "SELECT count(*) FROM planned_grids WHERE level = 2")" 3 "level-2 rows"
gap=$(sql "SELECT ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM planned_grids),
           (SELECT geom FROM grids WHERE grid_code = '999001100202001')))")
"$SG_PYTHON" -c "import sys; v = float(sys.argv[1] or 0); sys.exit(0 if v < 1e-3 else 1)" \
    "$gap" || sg_fail "micro-grids do not tile their grid: $gap m2"

# ---- balancing residents -------------------------------------------------
sg 0 plan db.sqlite --division $ESCHEN --grids 3 --balance residents --json
json_ok 'd["balance"] == "residents"' 'd["max_mean"] <= 1.15' \
    'd["units"][0]["residents"] == 671'

# ---- usage errors and failures -------------------------------------------
before=$(store_state db.sqlite)
sg 2 plan db.sqlite
err_has 'give --division CODE or --all'
sg 2 plan db.sqlite --division $ESCHEN --all
sg 2 plan db.sqlite --division $ESCHEN --grids 2 --households-per-grid 50
err_has 'not both'
sg 2 plan db.sqlite --division $ESCHEN --grids 0
err_has '--grids takes a whole number'
sg 2 plan db.sqlite --division $ESCHEN --households-per-grid -5
sg 2 plan db.sqlite --division $ESCHEN --level 3
err_has '--level takes 1 or 2'
sg 2 plan db.sqlite --division $ESCHEN --balance area
err_has 'households or residents'
sg 2 plan db.sqlite --all --division-level hamlet
err_has "unknown division level 'hamlet'"
sg 2 plan --all
sg 2 plan db.sqlite other.sqlite --all
sg 2 plan db.sqlite --all --frobnicate
err_has 'see `sanigrid plan --help`'
sg 1 plan db.sqlite --division 999999999999
err_has 'no division 999999999999'
sg 1 plan db.sqlite --division $ESCHEN --grids 500
err_has 'cannot fill 500 grids'
sg 3 plan nowhere.sqlite --all
! sg_store_exists nowhere.sqlite || sg_fail "plan created a store"
eq "$(store_state db.sqlite)" "$before" "store after failed runs"

# --help: usage, the definitions, the exit codes
sg 0 plan --help
out_has '^usage: sanigrid plan DB'
out_has 'Polsby-Popper'
out_has 'layer planned_grids'
out_has 'Exit codes: 0 '

# ---- messages of units planned on other threads ---------------------------
# 60 grids per village is more than METIS can fill in the demo's villages:
# each says so (a debug message, logged while the unit is planned), once
# per village, in village order, on 2 threads as on one (the worker's
# messages were lost)
if ! sg_is_pg; then
    cp plan_serial.sqlite plan_msgs.sqlite
    sg 0 plan plan_msgs.sqlite --all --grids 60 --quiet -v
    grep 'METIS found no partition' "$T/err" >msgs_threaded.txt || true
    sg_env 0 SANIGRID_THREADS=1 -- plan plan_msgs.sqlite --all --grids 60 --quiet -v
    grep 'METIS found no partition' "$T/err" >msgs_serial.txt || true
    eq "$(wc -l <msgs_serial.txt)" "$(wc -l <msgs_threaded.txt)" "messages, threaded and serial"
    [[ -s msgs_serial.txt ]] || sg_fail "no METIS message to compare"
    cmp -s msgs_serial.txt msgs_threaded.txt || sg_fail "messages differ: $(diff msgs_serial.txt msgs_threaded.txt)"
fi

sg_done
