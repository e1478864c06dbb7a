#!/usr/bin/env bash
# sanigrid export: every format (GeoJSON, GPKG, KML, CSV, XLSX, Shapefile)
# from a small store, read back with ogrinfo; the Shapefile has a .cpg;
# CSV/XLSX get lon/lat; personal fields stay behind unless asked for;
# --overwrite; --json keys; errors and their exit codes.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

cat >hh.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "H1", "household_head": "Zhang San", "phone": "13900000001",
  "address": "东街 1 号", "resident_population": 3, "household_toilet": "sanitary"},
 "geometry": {"type": "Point", "coordinates": [9.5301, 47.2101]}},
{"type": "Feature", "properties": {"household_id": "H2", "household_head": "Li Si", "phone": "13900000002",
  "address": "东街 2 号", "resident_population": 5, "household_toilet": "none"},
 "geometry": {"type": "Point", "coordinates": [9.5302, 47.2102]}},
{"type": "Feature", "properties": {"household_id": "H3", "household_head": "Wang Wu", "phone": "13900000003",
  "address": "西街 3 号", "resident_population": 2, "household_toilet": "unsanitary"},
 "geometry": {"type": "Point", "coordinates": [9.5303, 47.2103]}}
]}
EOF
printf 'date,unit_code,score,inspector,notes\n2026-10-05,V1,93,Inspector Zhao,ok\n2026-10-06,V2,81.5,Inspector Qian,bins full\n' >insp.csv

sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households hh.geojson --quiet
sg 0 import s.sqlite inspections insp.csv --quiet
store_before=$(store_state s.sqlite)

# ---- each format, format from the extension ----------------------------------
declare -A driver=([geojson]=GeoJSON [gpkg]=GPKG [kml]=KML [csv]=CSV [xlsx]=XLSX [shp]="ESRI Shapefile")
for ext in geojson gpkg kml csv xlsx shp; do
    sg 0 export s.sqlite households "out.$ext" --json
    json_ok 'set(d) == {"layer", "file", "format", "features", "style"}' \
        'd["layer"] == "households"' "d[\"file\"] == \"out.$ext\"" \
        "d[\"format\"] == \"${driver[$ext]}\"" 'd["features"] == 3'
    eq "$(ogr_count "out.$ext")" 3 "features ogrinfo reads from out.$ext"
    if [[ $ext != xlsx ]]; then
        ogrinfo -ro -al "out.$ext" | grep -q "^  POINT (" ||
            sg_fail "out.$ext has no point geometries"
    fi
done
# the GPKG layer declares the layer's geometry type (not "Unknown (any)")
ogrinfo -ro -so out.gpkg households | grep -q '^Geometry: Point' ||
    sg_fail "out.gpkg households is not declared as Point"
eq "$(store_state s.sqlite)" "$store_before" "store after exports"

# GeoJSON: RFC 7946 lon/lat, no personal fields by default
"$SG_PYTHON" - out.geojson <<'PY' || sg_fail "out.geojson content"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
props = [f["properties"] for f in d["features"]]
assert [p["household_id"] for p in props] == ["H1", "H2", "H3"], props
assert [p["resident_population"] for p in props] == [3, 5, 2], props
assert props[0]["address"] == "东街 1 号", props[0]
for p in props:
    assert "household_head" not in p and "phone" not in p, p
x, y = d["features"][0]["geometry"]["coordinates"]
assert abs(x - 9.5301) < 1e-7 and abs(y - 47.2101) < 1e-7, (x, y)
PY
# GPKG keeps the working CRS
ogrinfo -ro -so -al out.gpkg | grep -q 'ID\["EPSG",32632\]' || sg_fail "out.gpkg is not in EPSG:32632"
# KML is WGS 84 lon/lat
grep -q '9\.5301[0-9]*,47\.2101' out.kml || sg_fail "out.kml has no lon,lat 9.5301,47.2101"
# ... and each field under its own name (the KML driver has Name and
# Description fields of its own before ours)
ogrinfo -ro -al out.kml | grep -q '^  household_id (String) = H1$' || sg_fail "out.kml lost household_id H1"
ogrinfo -ro -al out.kml | grep -q '^  resident_population (Integer) = 3$' || sg_fail "out.kml lost resident_population 3"
ogrinfo -ro -al out.kml | grep -q '^  address (String) = 东街 1 号$' || sg_fail "out.kml lost the address"
# Shapefile: UTF-8 with a .cpg, sidecars, the Chinese text intact
for side in shx dbf prj cpg; do
    [[ -f out.$side ]] || sg_fail "the Shapefile has no .$side"
done
grep -qi '^utf-8' out.cpg || sg_fail "out.cpg does not say UTF-8: $(cat out.cpg)"
ogrinfo -ro -al out.shp | grep -q 'address (String) = 东街 1 号' || sg_fail "out.shp lost the Chinese address"
# CSV: lon and lat columns (and WKT), values in WGS 84
"$SG_PYTHON" - out.csv <<'PY' || sg_fail "out.csv content"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert len(rows) == 3, rows
cols = list(rows[0])
assert "lon" in cols and "lat" in cols, cols
assert "household_head" not in cols and "phone" not in cols, cols
assert abs(float(rows[0]["lon"]) - 9.5301) < 1e-7, rows[0]
assert abs(float(rows[0]["lat"]) - 47.2101) < 1e-7, rows[0]
assert rows[2]["household_id"] == "H3" and rows[2]["address"] == "西街 3 号", rows[2]
# numbers bare, as a spreadsheet reads them (GDAL 3.6 quoted integer
# cells: "3"); a code that looks like a number stays quoted text
raw = open(sys.argv[1], encoding="utf-8").read().splitlines()
col = cols.index("resident_population")
cells = [next(csv.reader([l])) for l in raw[1:]]
quoted = [l for l in raw[1:] if '"3"' in l or '"5"' in l or '"2"' in l]
assert [c[col] for c in cells] == ["3", "5", "2"] and not quoted, raw
PY
# XLSX: lon/lat columns as well
ogrinfo -ro -al out.xlsx | grep -Eq '^  lon \(Real\) = 9\.5301' || sg_fail "out.xlsx has no lon column"
ogrinfo -ro -al out.xlsx | grep -Eq '^  lat \(Real\) = 47\.2101' || sg_fail "out.xlsx has no lat column"

# ---- --format wins over the extension ---------------------------------------------
sg 0 export s.sqlite households out-as-json.txt --format GeoJSON --json
json_ok 'd["format"] == "GeoJSON"' 'd["features"] == 3'
eq "$(ogr_count out-as-json.txt)" 3 "features in out-as-json.txt"
sg 0 export s.sqlite households out2.gpkg --format gpkg --quiet
out_empty
eq "$(ogr_count out2.gpkg)" 3 "features in out2.gpkg"
# --format gives the driver's own name in --json, whatever the spelling
sg 0 export s.sqlite households out3.gpkg --format gpkg --json
json_ok 'd["format"] == "GPKG"'

# ---- personal fields only with --include-personal ------------------------------------
sg 0 export s.sqlite households personal.geojson --include-personal
out_has '^households: 3 features written to personal\.geojson$'
grep -q '"household_head": "Zhang San"' personal.geojson || sg_fail "--include-personal dropped household_head"
grep -q '"phone": "13900000001"' personal.geojson || sg_fail "--include-personal dropped phone"

# ---- a layer without geometry ------------------------------------------------------------
sg 0 export s.sqlite inspections insp-out.csv --json
json_ok 'd["features"] == 2' 'd["format"] == "CSV"'
head -n 1 insp-out.csv | grep -q inspector && sg_fail "insp-out.csv has the inspector column"
grep -q 'bins full' insp-out.csv || sg_fail "insp-out.csv lacks the notes"
sg 0 export s.sqlite inspections insp-out.xlsx --quiet
eq "$(ogr_count insp-out.xlsx)" 2 "rows in insp-out.xlsx"
sg 2 export s.sqlite inspections insp-out.geojson
err_has 'layer inspections has no geometry; export it as CSV, XLSX or GPKG'
[[ ! -e insp-out.geojson ]] || sg_fail "a refused export wrote insp-out.geojson"
# no default export holds a personal value (household heads, phones,
# inspectors), whatever the format
if grep -lE 'Zhang San|13900000001|Inspector Zhao' out.* out-as-json.txt out2.gpkg insp-out.*; then
    sg_fail "personal data in a default export"
fi

# an empty layer exports as an empty file
sg 0 export s.sqlite roads roads.gpkg --json
json_ok 'd["features"] == 0'
eq "$(ogr_count roads.gpkg)" 0 "features in roads.gpkg"

# ---- existing output ------------------------------------------------------------------------
printf 'keep me\n' >exists.geojson
sg 1 export s.sqlite households exists.geojson
err_has 'exists\.geojson exists; give --overwrite to replace it'
eq "$(cat exists.geojson)" "keep me" "exists.geojson without --overwrite"
sg 0 export s.sqlite households exists.geojson --overwrite --json
json_ok 'd["features"] == 3'
eq "$(ogr_count exists.geojson)" 3 "features in exists.geojson after --overwrite"
# a Shapefile is replaced with its sidecars
sg 1 export s.sqlite households out.shp
sg 0 export s.sqlite households out.shp --overwrite --quiet
eq "$(ogr_count out.shp)" 3 "features in out.shp after --overwrite"
grep -qi '^utf-8' out.cpg || sg_fail "out.cpg after --overwrite"

# ---- errors ----------------------------------------------------------------------------------
sg 2 export s.sqlite villages v.geojson
err_has "store $(sg_store_re s.sqlite) has no layer 'villages'"
[[ ! -e v.geojson ]] || sg_fail "an export of an unknown layer wrote v.geojson"
sg 2 export s.sqlite households out.dxf
err_has 'cannot tell the format from the extension; give --format'
sg 2 export s.sqlite households out.out --format dxf
err_has "unknown export format 'dxf'"
sg 3 export missing.sqlite households m.geojson
err_has "$(sg_store_missing_re missing.sqlite)"
sg 3 export hh.geojson households m.geojson
err_has 'is not a sanigrid store'
sg 1 export s.sqlite households "$T/no/such/dir/out.geojson"
err_has 'cannot write'

sg_done
