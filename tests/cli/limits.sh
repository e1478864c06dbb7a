#!/usr/bin/env bash
# Bounded work: nothing a user types or a file holds runs away silently.
# The plausibility limits (settings limits.*, data/sql/0002_limits.sql)
# refuse at import (a reject with its reason) or before an analysis
# starts; numbers on the command line are decimal only; odd sources
# (symbolic link loops, devices, unknown encodings, a GeoJSON crs PROJ
# does not know) are named for what they are.
# Expectations are by hand: counts of the fixtures written here.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

demo=$SG_SOURCE_DIR/data/demo

# ---- the limits are settings, documented in config list ---------------------
sg 0 init s.sqlite --quiet
sg 0 config s.sqlite list --json
json_ok 'all(k in d["settings"] for k in ("limits.household_population", "limits.site_candidates", "limits.cleaners_per_village", "limits.polygon_vertices"))' \
    'all(v["description"] and v["source"] for k, v in d["settings"].items() if k.startswith("limits."))'
sg 0 config s.sqlite get limits.household_population
out_has '^1000$'

# ---- population per household: refused at import ---------------------------
for l in divisions roads points households; do
    sg 0 import s.sqlite $l "$demo/$l.geojson" --quiet
done
cat >big.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "BIG1", "resident_population": 2000000000},
 "geometry": {"type": "Point", "coordinates": [9.5341, 47.2077]}},
{"type": "Feature", "properties": {"household_id": "BIG2", "resident_population": 1000},
 "geometry": {"type": "Point", "coordinates": [9.5342, 47.2078]}},
{"type": "Feature", "properties": {"household_id": "BIG3", "registered_population": 1001},
 "geometry": {"type": "Point", "coordinates": [9.5343, 47.2079]}}
]}
EOF
sg 3 import s.sqlite households big.geojson --json
json_ok 'd["read"] == 3' 'd["imported"] == 1' 'd["rejected"] == 2'
grep -q 'resident_population 2000000000 is above limits.household_population' \
    "$(sg_rejects_file s.sqlite households)" || sg_fail "the reject does not name the limit"
grep -q 'registered_population 1001 is above' "$(sg_rejects_file s.sqlite households)" ||
    sg_fail "registered_population is not checked"
eq "$(store_sql s.sqlite "SELECT $(sql_concat household_id) FROM households WHERE household_id LIKE 'BIG%'")" \
    BIG2 "households kept"

# raised by the user, the household imports; allocate then refuses to
# plan hundreds of millions of cleaners, before any work
sg_store_copy s.sqlite a.sqlite
sg 0 config a.sqlite set limits.household_population 3000000000
# (BIG2 is there already: a duplicate, so exit 3)
sg 3 import a.sqlite households big.geojson --quiet --mode append \
    --rejects a-rejects.csv
eq "$(store_sql a.sqlite "SELECT resident_population FROM households WHERE household_id = 'BIG1'")" \
    2000000000 "the big household after raising the limit"
sg 0 staffing a.sqlite --quiet
before=$(store_state a.sqlite)
start=$SECONDS
sg 1 allocate a.sqlite
err_has 'village [0-9]+ \(.*\) would get [0-9]+ cleaners \(staffing.s required\), above limits\.cleaners_per_village \(2000\)'
((SECONDS - start < 30)) || sg_fail "allocate took $((SECONDS - start)) s to refuse"
eq "$(store_state a.sqlite)" "$before" "store after the refused allocate"
# --cleaners above the limit: refused as well; at the limit: runs
sg 1 allocate s.sqlite --cleaners 2001
err_has 'would get 2001 cleaners \(--cleaners\)'

# ---- candidates per site run -------------------------------------------------
start=$SECONDS
sg 1 site s.sqlite --add 3 --spacing 0.001
err_has '--spacing 0\.001 m would place [0-9]+ candidate sites along [0-9.]+ km of roads, above limits\.site_candidates \(1000000\)'
((SECONDS - start < 30)) || sg_fail "site took $((SECONDS - start)) s to refuse"
# the road length by SpatiaLite (through OGR): the count said is
# ceil(length / spacing) + 1 per road part, so at least length / 0.001
km=$(ogrinfo -ro "$(sg_ogr_store s.sqlite)" -sql "SELECT sum(ST_Length(geom)) / 1000 AS km FROM roads" |
     sed -n 's/^ *km (Real) = //p')
n=$(sed -n 's/.*would place \([0-9]*\) candidate.*/\1/p' "$T/err")
"$SG_PYTHON" -c "import sys; n, km = int(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if km > 100 and km * 1e6 <= n <= km * 1e6 + 10000 else 1)" "$n" "$km" ||
    sg_fail "site counted $n candidates along $km km"
sg 0 config s.sqlite set limits.site_candidates 500
sg 1 site s.sqlite --add 1 --candidates households
err_has 'more than 500 candidate sites \(limits\.site_candidates\)'
sg 0 config s.sqlite reset limits.site_candidates

# ---- vertices per polygon: refused at import ---------------------------------
# a comb ("zig-zag") polygon of N vertices around Vaduz, in lon/lat
comb() { # N file
    "$SG_PYTHON" - "$1" "$2" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
teeth = (n - 3) // 2
x0, y0, w, h = 9.50, 47.10, 0.02, 0.01
ring = []
for i in range(teeth):
    x = x0 + w * i / teeth
    ring.append([x, y0 + (h if i % 2 else h * 0.5)])
    ring.append([x + w / teeth / 2, y0 + (h * 0.5 if i % 2 else h)])
ring += [[x0 + w, y0], [x0, y0]]
ring.append(ring[0])
assert len(ring) == n, (len(ring), n)
json.dump({"type": "FeatureCollection", "features": [{"type": "Feature",
    "properties": {"division_code": "999009900000", "name": "Comb", "level": "admin_village"},
    "geometry": {"type": "Polygon", "coordinates": [ring]}}]}, open(path, "w"))
PY
}
sg 0 init v.sqlite --crs EPSG:32632 --quiet
comb 250001 comb-big.geojson
start=$SECONDS
sg 1 import v.sqlite divisions comb-big.geojson --rejects comb-rejects.csv
((SECONDS - start < 60)) || sg_fail "import took $((SECONDS - start)) s to refuse"
grep -q '250001 vertices, above limits.polygon_vertices (200000)' comb-rejects.csv ||
    sg_fail "the reject does not say the vertices: $(cat comb-rejects.csv)"
eq "$(store_count v.sqlite divisions)" 0 "divisions after the refused comb"
sg 0 config v.sqlite set limits.polygon_vertices 1000
comb 1001 comb-1001.geojson
sg 1 import v.sqlite divisions comb-1001.geojson --rejects comb-rejects.csv
grep -q '1001 vertices, above limits.polygon_vertices (1000)' comb-rejects.csv ||
    sg_fail "1001 vertices over a limit of 1000 were not refused"
comb 999 comb-999.geojson
sg 0 import v.sqlite divisions comb-999.geojson --quiet
eq "$(store_count v.sqlite divisions)" 1 "a 999-vertex polygon under a limit of 1000"

# ---- numbers on the command line are decimal only ----------------------------
for bad in 0x10 0X1p4 inf nan 1e5000 ' 5' '5 ' 1,5 +-1 .e1; do
    sg 2 coverage s.sqlite --radius "$bad"
    err_has "--radius takes"
done
for good in 16 16.0 1.6e1 .5e2 +16; do
    sg 0 coverage s.sqlite --radius "$good" --json
    json_ok 'd["radius_m"] in (16, 50)'
done
sg 2 site s.sqlite --add 1 --spacing 0x10
sg 2 plan s.sqlite --households-per-grid 0x10
# and in files and settings: "0x10" residents is not 16
cat >hex.csv <<'EOF'
household_id,resident_population,lon,lat
X1,0x10,9.5344,47.2080
X2,16,9.5345,47.2081
EOF
sg 3 import s.sqlite households hex.csv --json
json_ok 'd["imported"] == 1' 'd["rejected"] == 1'
sg 2 config s.sqlite set cleaner.per_residents 0x10

# ---- sources that are not what they seem -------------------------------------
ln -s loop-b loop-a
ln -s loop-a loop-b
sg 1 import s.sqlite households loop-a
err_has 'loop-a: too many levels of symbolic links'
sg 1 import s.sqlite households /dev/zero
err_has '/dev/zero: not a regular file'
ln -s missing.geojson dangling.geojson
sg 1 import s.sqlite households dangling.geojson
err_has 'dangling\.geojson: a symbolic link to a missing file'
# --encoding must be a name iconv knows
before=$(store_state s.sqlite)
for bad in '%n%n%n' 'NO-SUCH-CHARSET' '../../etc/passwd' ''; do
    sg 2 import s.sqlite households "$demo/households.geojson" --encoding "$bad"
    err_has 'unknown text encoding'
done
eq "$(store_state s.sqlite)" "$before" "store after refused encodings"
# a GeoJSON crs PROJ does not know is an error naming the file, never
# read as EPSG:4326
cat >crs999.geojson <<'EOF'
{"type": "FeatureCollection",
 "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
 "features": [
{"type": "Feature", "properties": {"household_id": "C1", "resident_population": 2},
 "geometry": {"type": "Point", "coordinates": [9.5346, 47.2082]}}]}
EOF
sg 1 import s.sqlite households crs999.geojson
err_has 'crs999\.geojson: the file names a CRS that PROJ does not know'
eq "$(store_state s.sqlite)" "$before" "store after the unknown crs"
# --src-crs overrides the file's crs
sg 0 import s.sqlite households crs999.geojson --src-crs EPSG:4326 --quiet

sg_done
