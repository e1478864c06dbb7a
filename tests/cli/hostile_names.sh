#!/usr/bin/env bash
# Hostile names: SQL and JSON metacharacters (quotes, semicolons, `--`,
# backslashes) in every name a user controls reach sanigrid as data, never
# as SQL: --map columns and fields, source columns, --source-layer, store
# layer names, setting keys, file and store paths, and field values.
# Nothing breaks, errors are clear, the store keeps all its tables, and
# names and values come back byte for byte.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

drop='x"; DROP TABLE households; --'
squote="bad'name"

# tables DB: the store's table names (to show none was dropped or added)
tables()
{
    if sg_is_pg; then
        store_sql "$1" "SELECT string_agg(tablename, ' ' ORDER BY tablename COLLATE \"C\")
            FROM pg_tables WHERE schemaname = current_schema()"
    else
        sqlite3 -readonly "$1" "SELECT group_concat(name, ' ') FROM (SELECT name
            FROM sqlite_master WHERE type = 'table' ORDER BY name)"
    fi
}
# intact DB WHAT: integrity_check passes (SQLite's own) and the tables are
# those of TABLES0
intact()
{
    sg_is_pg || eq "$(sqlite3 "$1" 'PRAGMA integrity_check')" ok "$2: integrity_check"
    eq "$(tables "$1")" "$tables0" "$2: the store's tables"
}

# ---- fixtures ---------------------------------------------------------------------
# a GeoJSON and a CSV whose column names and values are SQL and JSON
# metacharacters (GDAL's CSV reader drops double quotes from header names,
# so the names with double quotes are in the GeoJSON only)
"$SG_PYTHON" - "$drop" <<'PY'
import csv, json, sys
drop = sys.argv[1]
ids = ["'); DROP TABLE households; --", 'Robert"); DROP TABLE runs; --',
       "back\\slash\\", "semi;colon -- /* c */"]
feats = [{"type": "Feature", "properties": {
    drop: hid, "pop';--": 3 + k, "a'b": "v%d" % k, '名称"; --': "n%d" % k},
    "geometry": {"type": "Point", "coordinates": [9.5301 + k * 0.0001,
                                                  47.2101 + k * 0.0001]}}
    for k, hid in enumerate(ids)]
with open("hostile.geojson", "w", encoding="utf-8") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f,
              ensure_ascii=False)
with open("hostile.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id';--", "lon'x", "lat;y", "a'b"])
    for k, hid in enumerate(ids):
        w.writerow([hid, 9.5301 + k * 0.0001, 47.2101 + k * 0.0001, "v%d" % k])
PY
cat >good.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "G1", "resident_population": 3},
 "geometry": {"type": "Point", "coordinates": [9.5301, 47.2101]}}
]}
EOF

sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households good.geojson --quiet
tables0=$(tables s.sqlite)
[[ $tables0 == *households* && $tables0 == *runs* ]] || sg_fail "tables: $tables0"

# ---- --map with hostile columns and fields: clear usage errors -------------------
before=$(store_state s.sqlite)
sg 2 import s.sqlite households good.geojson --map 'household_id=a"b'
err_has "has no column 'a\"b'"
sg 2 import s.sqlite households good.geojson --map "household_id=$drop"
err_has "has no column 'x\"; DROP TABLE households; --'"
sg 2 import s.sqlite households good.geojson --map "$drop=household_id"
err_has "has no field 'x\"; DROP TABLE households; --'"
sg 2 import s.sqlite households good.geojson --map "household_id=it's"
err_has "has no column 'it's'"
eq "$(store_state s.sqlite)" "$before" "the store after hostile --map errors"
intact s.sqlite "hostile --map errors"

# ---- hostile source columns, mapped: imported as data -----------------------------
sg 0 import s.sqlite households hostile.geojson --map "household_id=$drop" \
    --map "resident_population=pop';--" --json
json_ok 'd["imported"] == 4' 'd["rejected"] == 0' \
    "d['mapping']['household_id'] == '''$drop'''" \
    "d['mapping']['resident_population'] == \"pop';--\""
intact s.sqlite "an import of hostile columns and values"
eq "$(store_count s.sqlite households)" 5 "households after the hostile import"
got=$(store_sql s.sqlite "SELECT household_id || '|' || resident_population
      FROM households WHERE household_id <> 'G1' ORDER BY fid")
want=$(printf '%s\n' "'); DROP TABLE households; --|3" \
    'Robert"); DROP TABLE runs; --|4' 'back\slash\|5' 'semi;colon -- /* c */|6')
# coordinate columns with quotes and semicolons (--x/--y)
sg 0 init x.sqlite --crs EPSG:32632 --quiet
sg 0 import x.sqlite households hostile.csv --map "household_id=id';--" \
    --x "lon'x" --y 'lat;y' --set resident_population=1 --json
json_ok 'd["imported"] == 4'
eq "$(store_sql x.sqlite "SELECT $(sql_concat household_id "'|'") FROM (SELECT household_id FROM households ORDER BY fid) AS s")" \
    "$(echo "$want" | sed 's/|[0-9]*$//' | paste -sd'|')" "hostile ids from a CSV"
eq "$got" "$want" "hostile values in the store"
# ... and back out, byte for byte
sg 0 export s.sqlite households out.csv --quiet
sg 0 export s.sqlite households out.geojson --quiet
"$SG_PYTHON" - "$want" <<'PY' || sg_fail "hostile values in the exports"
import csv, json, sys
want = sys.argv[1].split("\n")
ids = [w.rsplit("|", 1)[0] for w in want]
rows = list(csv.DictReader(open("out.csv", encoding="utf-8")))
assert [r["household_id"] for r in rows][1:] == ids, rows
feats = json.load(open("out.geojson", encoding="utf-8"))["features"]
assert [f["properties"]["household_id"] for f in feats][1:] == ids, feats
PY
# the run record (JSON text in `runs`) stays valid JSON
sg 0 info s.sqlite --json
json_ok 'd["layers"]["households"]["count"] == 5'

# ---- --source-layer with quotes ------------------------------------------------------
ogr2ogr -f GPKG layers.gpkg good.geojson -nln "$squote" 2>/dev/null
ogr2ogr -f GPKG -update layers.gpkg good.geojson -nln 'semi; colon -- "x"' 2>/dev/null
sg 0 init l.sqlite --crs EPSG:32632 --quiet
sg 0 import l.sqlite households layers.gpkg --source-layer "$squote" --json
json_ok 'd["imported"] == 1' "d['source_layer'] == \"$squote\""
sg 0 import l.sqlite households layers.gpkg --source-layer 'semi; colon -- "x"' \
    --mode replace --json
json_ok 'd["imported"] == 1' "d['source_layer'] == 'semi; colon -- \"x\"'"
before=$(store_state l.sqlite)
sg 2 import l.sqlite households layers.gpkg --source-layer "no'such\"layer; --"
err_has "no layer 'no'such\"layer; --'; its layers are: .*bad'name"
sg 2 import l.sqlite households layers.gpkg --source-layer "$drop"
err_has "no layer 'x\"; DROP TABLE households; --'"
eq "$(store_state l.sqlite)" "$before" "the store after unknown hostile layers"

# ---- hostile store layer names and setting keys ------------------------------------------
before=$(store_state s.sqlite)
sg 2 import s.sqlite "households\"; DROP TABLE runs; --" good.geojson
err_has "unknown layer 'households\"; DROP TABLE runs; --'"
sg 2 export s.sqlite "$drop" x.geojson
err_has "no layer 'x\"; DROP TABLE households; --'"
sg 2 export s.sqlite "households' OR '1'='1" x.csv
err_has "no layer"
[[ ! -e x.geojson && ! -e x.csv ]] || sg_fail "an export of an unknown layer wrote a file"
set +e
sg_bin config s.sqlite set "x'; DROP TABLE settings; --" 1 >out 2>err
rc=$?
sg_bin config s.sqlite get "cleaner.per_residents' OR '1'='1" >>out 2>>err
rc2=$?
set -e
SG_CHECKS=$((SG_CHECKS + 2))
[[ $rc -ne 0 && $rc2 -ne 0 ]] || sg_fail "config accepted a hostile key (exit $rc, $rc2)"
grep -qi "unknown" err || sg_fail "config: no 'unknown' in: $(cat err)"
eq "$(store_state s.sqlite)" "$before" "the store after hostile layer names and keys"
intact s.sqlite "hostile layer names and keys"

# ---- hostile file and store names ------------------------------------------------------------
odd="it's \"odd\"; -- name"
mkdir "$odd"
cp good.geojson "$odd/we'ird; \"source\" --.geojson"
sg 0 init "$odd/st'ore \"x\".sqlite" --crs EPSG:32632 --quiet
# every row rejected (column a'b holds no numbers): nothing imported, the
# reasons listed at a hostile --rejects path
sg 1 import "$odd/st'ore \"x\".sqlite" households hostile.geojson \
    --map "household_id=$drop" --map "resident_population=a'b" --rejects "$odd/re'jects \"1\".csv"
err_has "all 4 features were rejected"
grep -q "Robert\"\"); DROP TABLE runs; --" "$odd/re'jects \"1\".csv" ||
    sg_fail "the rejects file at a hostile path lacks a hostile id"
sg 0 import "$odd/st'ore \"x\".sqlite" households \
    "$odd/we'ird; \"source\" --.geojson" --quiet
sg 0 info "$odd/st'ore \"x\".sqlite" --json
json_ok 'd["layers"]["households"]["count"] == 1' \
    "d['runs'][0]['params']['source'].endswith('we\\'ird; \"source\" --.geojson')"
sg 0 export "$odd/st'ore \"x\".sqlite" households "$odd/o'ut \"1\".gpkg" --quiet
eq "$(ogr_count "$odd/o'ut \"1\".gpkg")" 1 "features in an export at a hostile path"

sg_done
