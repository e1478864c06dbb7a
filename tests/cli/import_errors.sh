#!/usr/bin/env bash
# sanigrid import, error paths (STYLE rule 29): every bad input gives its
# own message and exit code and leaves the store exactly as it was;
# imports with rejects exit 3 and list them (feature number, reason) in a
# CSV; clean imports exit 0; --json has the documented keys.
# Exit codes (import --help): 0 all imported, 3 imported with rejects,
# 2 usage error, 1 nothing imported.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

real=$SG_SHARED_DATA/real/liechtenstein/liechtenstein.gpkg

# ---- fixtures -------------------------------------------------------------
cat >good.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "G1", "resident_population": 3, "household_toilet": "sanitary"},
 "geometry": {"type": "Point", "coordinates": [9.5301, 47.2101]}},
{"type": "Feature", "properties": {"household_id": "G2", "resident_population": 4, "household_toilet": "none"},
 "geometry": {"type": "Point", "coordinates": [9.5311, 47.2111]}}
]}
EOF
# five features: 1 and 5 good; 2 a non-number, 3 no geometry, 4 a
# duplicate id
cat >mixed.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "M1", "resident_population": 3},
 "geometry": {"type": "Point", "coordinates": [9.5321, 47.2121]}},
{"type": "Feature", "properties": {"household_id": "M2", "resident_population": "abc"},
 "geometry": {"type": "Point", "coordinates": [9.5322, 47.2122]}},
{"type": "Feature", "properties": {"household_id": "M3", "resident_population": 2},
 "geometry": null},
{"type": "Feature", "properties": {"household_id": "M1", "resident_population": 4},
 "geometry": {"type": "Point", "coordinates": [9.5324, 47.2124]}},
{"type": "Feature", "properties": {"household_id": "M5", "resident_population": 4},
 "geometry": {"type": "Point", "coordinates": [9.5325, 47.2125]}}
]}
EOF
cat >lines.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"id": "L1"},
 "geometry": {"type": "LineString", "coordinates": [[9.53, 47.21], [9.54, 47.22]]}}
]}
EOF
printf '{"type": "FeatureCollection", "features": []}\n' >empty.geojson
head -c 200 good.geojson >truncated.geojson
printf 'these are notes, not GIS data\n' >notes.xyz
: >zero.geojson
# Chinese village coordinates (lon 116.9, lat 39.9) with the columns swapped
printf 'household_id,lon,lat,人口\nS1,39.96,116.91,2\nS2,39.97,116.92,3\n' >swapped_all.csv
# Liechtenstein: rows 1 and 3 right, row 2 swapped
printf 'household_id,lon,lat,人口\nW1,9.5331,47.2131,1\nW2,47.2132,9.5332,2\nW3,9.5333,47.2133,3\n' >swapped_one.csv

# snapshot DB: a hash of the store's SQL dump and of its households as
# exported by sanigrid (the store must not change when an import fails)
snapshot()
{
    local e
    e=$(mktemp -u "$T/snap.XXXXXX").csv
    sg_bin export "$1" households "$e" --quiet ||
        sg_fail "export of $1 for a snapshot failed"
    echo "$(store_state "$1") $(file_hash "$e")"
    rm -f "$e"
}
# unchanged DB BEFORE WHAT
unchanged()
{
    eq "$(snapshot "$1")" "$2" "$1 after $3 (must be unchanged)"
}

sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households good.geojson --quiet
before=$(snapshot s.sqlite)

# ---- inputs that cannot be read: exit 1, store unchanged --------------------
sg 1 import s.sqlite households nope.geojson
err_has 'nope\.geojson: no such file'

sg 1 import s.sqlite households notes.xyz
err_has 'notes\.xyz: not a readable GIS file \(unsupported format'
sg 1 import s.sqlite households zero.geojson
err_has 'zero\.geojson: empty file'
sg 1 import s.sqlite households "$T"
err_has 'a folder GDAL cannot read'

sg 1 import s.sqlite households truncated.geojson
err_has 'truncated\.geojson: not a readable GIS file .*(damaged|truncated)'

sg 1 import s.sqlite households empty.geojson
err_has "layer 'empty' is empty; nothing was imported"
unchanged s.sqlite "$before" "unreadable, empty or unsupported files"

sg 1 import s.sqlite households lines.geojson
err_has 'holds Line String geometries, but the households layer needs points'
if [[ -r $real ]]; then
    sg 1 import s.sqlite households "$real" --source-layer roads
    err_has "layer 'roads' holds Line String geometries"
    sg 2 import s.sqlite households "$real" --source-layer no_such_layer
    err_has "no layer 'no_such_layer'; its layers are: .*roads"
else
    echo "note: $real missing; real-data cases skipped"
fi
unchanged s.sqlite "$before" "lines given as households"

sg 1 import s.sqlite households good.geojson --src-crs EPSG:999999
err_has '--src-crs EPSG:999999: unknown CRS'
sg 1 import s.sqlite households good.geojson --src-crs 'not a crs'
err_has 'unknown CRS'
unchanged s.sqlite "$before" "an unknown --src-crs"

# the same file again: every id is a duplicate, nothing imported
sg 1 import s.sqlite households good.geojson --rejects dup.csv
err_has 'all 2 features were rejected; nothing was imported'
grep -q "duplicate household_id 'G1'" dup.csv || sg_fail "dup.csv lacks the duplicate G1"
unchanged s.sqlite "$before" "a re-import of the same ids"

# ---- swapped latitude/longitude -------------------------------------------
# every row swapped, first import (the CRS is chosen from the data): 1,
# and the store keeps no CRS
sg 0 init fresh.sqlite --quiet
fresh=$(snapshot fresh.sqlite)
sg 1 import fresh.sqlite households swapped_all.csv
err_has 'latitude and longitude look swapped'
unchanged fresh.sqlite "$fresh" "an all-swapped CSV"
sg 0 info fresh.sqlite --json
json_ok 'd["crs"] is None'
# one row of three swapped in a store with a CRS: 3, the row rejected
sg_store_copy s.sqlite swap.sqlite
sg 3 import swap.sqlite households swapped_one.csv --json
json_ok 'd["read"] == 3' 'd["imported"] == 2' 'd["rejected"] == 1'
grep -Eq '^2,"W2","geometry",".*latitude and longitude look swapped"$' \
    "$(sg_rejects_file swap.sqlite households)" || sg_fail "row 2 is not rejected as swapped"
sg 0 info swap.sqlite --json
json_ok 'd["layers"]["households"]["count"] == 4'
# every row swapped in a store with a CRS: 1, the reasons in the rejects
sg 1 import s.sqlite households swapped_all.csv
out_has 'rejected feature 1 \(id S1\): .*swapped'
unchanged s.sqlite "$before" "an all-swapped CSV into a store with a CRS"
# the first import into a store without a CRS: one swapped row must not
# drag the choice of the working CRS (the median of the rows decides)
sg 0 init fresh1.sqlite --quiet
sg 3 import fresh1.sqlite households swapped_one.csv --json
json_ok 'd["imported"] == 2' 'd["rejected"] == 1' 'd["crs"] == "EPSG:32632"'
grep -Eq '^2,"W2","geometry",".*latitude and longitude look swapped"$' \
    "$(sg_rejects_file fresh1.sqlite households)" || sg_fail "W2 is not rejected as swapped"

# ---- stores that cannot take the import --------------------------------------
# a read-only file (a read-only role on PostgreSQL: tests/cli/pg.sh)
if ! sg_is_pg; then
    cp s.sqlite ro.sqlite
    chmod 444 ro.sqlite
    ro_before=$(snapshot ro.sqlite)
    sg 1 import ro.sqlite households mixed.geojson
    err_has 'store ro\.sqlite is read-only; nothing was changed'
    chmod 644 ro.sqlite
    unchanged ro.sqlite "$ro_before" "an import into a read-only store"
fi

geo_before=$(file_hash good.geojson)
sg 1 import good.geojson households mixed.geojson
err_has 'good\.geojson is not a sanigrid store'
eq "$(file_hash good.geojson)" "$geo_before" "good.geojson used as a store"

sg 1 import missing.sqlite households good.geojson
err_has "$(sg_store_missing_re missing.sqlite)"
! sg_store_exists missing.sqlite || sg_fail "import created missing.sqlite"

# a store from a newer sanigrid (its schema version: PRAGMA user_version
# in SQLite, sg_meta on PostgreSQL)
sg_store_copy s.sqlite newer.sqlite
if sg_is_pg; then
    store_exec newer.sqlite "UPDATE sg_meta SET value = '99' WHERE key = 'schema_version'"
    newer_state() { store_state newer.sqlite; }
else
    sqlite3 newer.sqlite 'PRAGMA user_version = 99'
    newer_state() { file_hash newer.sqlite; }
fi
newer_before=$(newer_state)
sg 1 import newer.sqlite households mixed.geojson
err_has 'newer than'
eq "$(newer_state)" "$newer_before" "a store from a newer sanigrid"

# ---- usage errors: exit 2, store unchanged ------------------------------------
for spec in nofield '=resident_population' 'household_id='; do
    sg 2 import s.sqlite households good.geojson --map "$spec"
    err_has "--map takes FIELD=COLUMN, got '$spec'"
done
sg 2 import s.sqlite households good.geojson --map no_field=household_id
err_has "layer households has no field 'no_field'; its fields are: household_id"
sg 2 import s.sqlite households good.geojson --map household_id=no_column
err_has "has no column 'no_column'; its columns are: .*household_id"
sg 2 import s.sqlite villages good.geojson
err_has "unknown layer 'villages'"
sg 2 import s.sqlite households swapped_one.csv --x lon --y no_column
err_has "has no column 'no_column'"
unchanged s.sqlite "$before" "usage errors"

# ---- imports with rejects: exit 3 ----------------------------------------------
sg 3 import s.sqlite households mixed.geojson
out_has 'read 5, imported 2, repaired 0, rejected 3'
out_has "rejected feature 2 \(id M2\): resident_population 'abc' is not a number"
rejects=$(sg_rejects_file s.sqlite households)
out_has "rejects written to ${rejects//./\\.}"
[[ -f $rejects ]] || sg_fail "no rejects CSV beside the store"
"$SG_PYTHON" - "$rejects" <<'PY' || sg_fail "rejects CSV content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert list(rows[0]) == ["feature", "id", "field", "reason"], rows[0]
got = [(r["feature"], r["id"], r["field"]) for r in rows]
assert got == [("2", "M2", "resident_population"), ("3", "M3", "geometry"),
               ("4", "M1", "household_id")], got
assert "is not a number" in rows[0]["reason"], rows[0]
assert "empty geometry" in rows[1]["reason"], rows[1]
assert "duplicate household_id 'M1'" in rows[2]["reason"], rows[2]
PY
sg 0 info s.sqlite --json
json_ok 'd["layers"]["households"]["count"] == 4' \
    'd["runs"][0]["counts"] == {"read": 5, "imported": 2, "repaired": 0, "rejected": 3}'

# --json on a partial import, and --rejects FILE
sg 0 init j.sqlite --quiet
rm -f "$(sg_rejects_file j.sqlite households)"
sg 3 import j.sqlite households mixed.geojson --json --rejects "$T/my rejects.csv"
json_ok '{"read", "imported", "repaired", "rejected", "layer", "src_crs"} <= set(d)' \
    'd["layer"] == "households"' 'd["read"] == 5' 'd["imported"] == 2' \
    'd["rejected"] == 3' 'd["repaired"] == 0' 'd["src_crs"] == "EPSG:4326"' \
    'd["crs"] == "EPSG:32632"' 'd["rejects_file"].endswith("my rejects.csv")' \
    'd["status"] == "SG_OK"' '"error" not in d'
eq "$(wc -l <"$T/my rejects.csv")" 4 "lines in --rejects file"
[[ ! -e $(sg_rejects_file j.sqlite households) ]] || sg_fail "--rejects ignored"

# real data: one OSM point is a vending machine, not a sanitation kind
if [[ -r $real ]]; then
    sg 3 import j.sqlite points "$real" --source-layer pois --json
    json_ok 'd["read"] == 14' 'd["imported"] == 13' 'd["rejected"] == 1' \
        'd["mapping"]["kind"] == "amenity"'
    grep -q "^9,\"9\",\"kind\",\"kind 'vending_machine' is not one of" \
        "$(sg_rejects_file j.sqlite points)" || sg_fail "the vending machine is not rejected"
fi

# --json of a failed import: one object with the status and the error
sg 1 import j.sqlite households empty.geojson --json
json_ok '{"read", "imported", "repaired", "rejected", "layer", "src_crs"} <= set(d)' \
    'd["imported"] == 0' 'd["status"] == "SG_ERR_INPUT"' '"is empty" in d["error"]'

# ---- clean imports: exit 0 ---------------------------------------------------------
sg 0 init c.sqlite --quiet
rm -f "$(sg_rejects_file c.sqlite households)"
sg 0 import c.sqlite households good.geojson --json
err_empty
json_ok '{"read", "imported", "repaired", "rejected", "layer", "src_crs"} <= set(d)' \
    'd["layer"] == "households"' 'd["read"] == 2' 'd["imported"] == 2' \
    'd["repaired"] == 0' 'd["rejected"] == 0' 'd["src_crs"] == "EPSG:4326"' \
    'd["crs"] == "EPSG:32632"' 'd["rejects_file"] is None' \
    'd["mapping"]["household_id"] == "household_id"'
[[ ! -e $(sg_rejects_file c.sqlite households) ]] || sg_fail "a clean import wrote rejects"

# coordinate columns under other names
printf 'no,easting,northing,population\n1,9.5341,47.2141,3\n2,9.5342,47.2142,5\n' >xy.csv
sg 0 import c.sqlite households xy.csv --x easting --y northing --map household_id=no --json
json_ok 'd["imported"] == 2' 'd["mapping"]["resident_population"] == "population"'

# a self-intersecting polygon is repaired and counted, not rejected
cat >bowtie.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"division_code": "D1", "name": "Bowtie"},
 "geometry": {"type": "Polygon", "coordinates": [[[9.50, 47.20], [9.52, 47.22], [9.52, 47.20], [9.50, 47.22], [9.50, 47.20]]]}},
{"type": "Feature", "properties": {"division_code": "D2", "name": "Square"},
 "geometry": {"type": "Polygon", "coordinates": [[[9.53, 47.20], [9.54, 47.20], [9.54, 47.21], [9.53, 47.21], [9.53, 47.20]]]}}
]}
EOF
sg 0 import c.sqlite divisions bowtie.geojson --set level=township --json
json_ok 'd["imported"] == 2' 'd["repaired"] == 1' 'd["rejected"] == 0' 'd["set"] == {"level": "township"}'

# --mode replace swaps the layer's rows (append is the default)
ids() { store_sql "$1" "SELECT $(sql_concat household_id "' '") FROM (SELECT household_id FROM households ORDER BY household_id) AS s"; }
eq "$(ids c.sqlite)" "1 2 G1 G2" "households before --mode replace"
sg 3 import c.sqlite households mixed.geojson --mode replace --rejects r.csv --quiet
eq "$(ids c.sqlite)" "M1 M5" "households after --mode replace"
sg 0 import c.sqlite households good.geojson --mode append --quiet
eq "$(ids c.sqlite)" "G1 G2 M1 M5" "households after --mode append"
sg 0 import c.sqlite households good.geojson --mode replace --quiet
eq "$(ids c.sqlite)" "G1 G2" "households after a second --mode replace"
# a failed replace keeps the old rows
sg 1 import c.sqlite households empty.geojson --mode replace
eq "$(ids c.sqlite)" "G1 G2" "households after a failed --mode replace"

sg_done
