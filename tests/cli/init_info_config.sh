#!/usr/bin/env bash
# sanigrid init, info and config: creating a store, refusing to overwrite
# one, the working CRS, info's --json shape, settings get/set/reset/list,
# and the errors for a missing file, a file that is not a store and a
# store from a newer sanigrid (STYLE rule 29).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- init -----------------------------------------------------------------
# bytes DB: the store file's bytes; on PostgreSQL every row of its schema
bytes() { if sg_is_pg; then store_state "$1"; else file_hash "$1"; fi; }

sg 0 init s.sqlite --json
err_empty
json_ok 'set(d) == {"store", "schema_version", "crs"}' \
    "d[\"store\"] == \"$(sg_store_uri s.sqlite)\"" \
    'isinstance(d["schema_version"], int) and d["schema_version"] >= 1' \
    'd["crs"] is None'
schema=$("$SG_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["schema_version"])' <"$T/out")
sg_store_exists s.sqlite || sg_fail "init --json did not create s.sqlite"
eq "$(store_version s.sqlite)" "$schema" "user_version"
# (SQLite's own: the file in WAL mode)
sg_is_pg || eq "$(sqlite3 -readonly s.sqlite 'PRAGMA journal_mode')" wal "journal mode"

sg 0 init plain.sqlite --crs 32632              # a plain code
out_has "^created $(sg_store_re plain.sqlite) \\(schema [0-9]+, working CRS EPSG:32632\\)\$"

# an existing path: exit 1, the file untouched (also a file that is not
# a store)
before=$(bytes s.sqlite)
sg 1 init s.sqlite
err_has 'already exists'
eq "$(bytes s.sqlite)" "$before" "s.sqlite after init on it"
sg 1 init s.sqlite --crs EPSG:4545 --json
eq "$(bytes s.sqlite)" "$before" "s.sqlite after init --crs on it"
printf 'precious notes\n' >notes.txt
sg 1 init notes.txt
eq "$(cat notes.txt)" "precious notes" "notes.txt after init on it"

# the working CRS must be a projected CRS in metres
sg 2 init geo.sqlite --crs EPSG:4326
err_has 'EPSG:4326 is not a projected CRS in metres'
! sg_store_exists geo.sqlite && [[ ! -e geo.sqlite-wal ]] || sg_fail "refused init left geo.sqlite behind"
sg 2 init unknown.sqlite --crs EPSG:999999
err_has 'unknown CRS EPSG:999999'
! sg_store_exists unknown.sqlite || sg_fail "refused init left unknown.sqlite behind"

sg 0 init cgcs.sqlite --crs EPSG:4545 --json
json_ok 'd["crs"] == "EPSG:4545"'
sg 0 init lower.sqlite --crs epsg:32632 --json   # case-insensitive prefix
json_ok 'd["crs"] == "EPSG:32632"'

# ---- info -----------------------------------------------------------------
sg 0 info cgcs.sqlite --json
err_empty
layers='["divisions", "grids", "roads", "points", "households", "cleaners", "inspections"]'
json_ok '{"schema_version", "crs", "layers", "settings", "runs"} <= set(d)' \
    "d[\"schema_version\"] == $schema" \
    'd["crs"] == "EPSG:4545"' \
    "all(l in d[\"layers\"] for l in $layers)" \
    'd["layers"]["households"]["count"] == 0' \
    '"extent" in d["layers"]["households"] and d["layers"]["households"]["extent"] is None' \
    'd["layers"]["households"]["geometry_type"] == "POINT"' \
    'd["layers"]["inspections"]["geometry_type"] is None' \
    'd["settings"] == {}' \
    'd["runs"] == []'

sg 0 info s.sqlite --json
json_ok 'd["crs"] is None'
sg 0 info s.sqlite
out_has '^working CRS \(not chosen yet'
sg 0 info plain.sqlite
out_has '^working CRS EPSG:32632$'
out_has '^households +POINT +0$'
out_has 'all settings at their defaults'

# a store with data: count and extent (working CRS metres, and lon/lat)
cat >hh.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "H1", "resident_population": 3},
 "geometry": {"type": "Point", "coordinates": [9.5301, 47.2101]}},
{"type": "Feature", "properties": {"household_id": "H2", "resident_population": 4},
 "geometry": {"type": "Point", "coordinates": [9.5401, 47.2201]}},
{"type": "Feature", "properties": {"household_id": "H3", "resident_population": 5},
 "geometry": {"type": "Point", "coordinates": [9.5351, 47.2151]}}
]}
EOF
sg 0 init data.sqlite --crs EPSG:32632 --quiet
out_empty
sg 0 import data.sqlite households hh.geojson --quiet
sg 0 info data.sqlite --json
json_ok 'd["layers"]["households"]["count"] == 3' \
    'len(d["layers"]["households"]["extent"]) == 4' \
    'all(isinstance(v, (int, float)) for v in d["layers"]["households"]["extent"])' \
    'd["layers"]["households"]["extent"][0] < d["layers"]["households"]["extent"][2]' \
    'd["layers"]["households"]["extent"][1] < d["layers"]["households"]["extent"][3]' \
    'abs(d["layers"]["households"]["extent"][2] - d["layers"]["households"]["extent"][0] - 754) < 20' \
    'max(abs(a - b) for a, b in zip(d["layers"]["households"]["extent_lonlat"], [9.5301, 47.2101, 9.5401, 47.2201])) < 1e-3' \
    'd["layers"]["households"]["extent_lonlat"][0] <= 9.5301 and d["layers"]["households"]["extent_lonlat"][3] >= 47.2201' \
    'd["layers"]["roads"]["count"] == 0' \
    'len(d["runs"]) == 1 and d["runs"][0]["command"] == "import"' \
    'd["runs"][0]["counts"]["imported"] == 3'
sg 0 info data.sqlite --json --runs 0
json_ok 'd["runs"] == []'

# ---- config ---------------------------------------------------------------
sg 0 config s.sqlite list --json
json_ok 'list(d) == ["settings"]' \
    'd["settings"]["cleaner.per_residents"]["value"] == "300"' \
    'd["settings"]["cleaner.per_residents"]["default"] == "300"' \
    'all({"value", "default", "type", "unit", "source", "description"} <= set(v) for v in d["settings"].values())' \
    'all(v["value"] == v["default"] for v in d["settings"].values())'
sg 0 config s.sqlite list
out_has '^cleaner\.per_residents +300 residents per cleaner$'

sg 0 config s.sqlite get cleaner.per_residents
eq "$(cat "$T/out")" 300 "default cleaner.per_residents"

sg 0 config s.sqlite set cleaner.per_residents 500
sg 0 config s.sqlite get cleaner.per_residents
eq "$(cat "$T/out")" 500 "cleaner.per_residents after set"
sg 0 config s.sqlite get cleaner.per_residents --json
json_ok 'd == {"key": "cleaner.per_residents", "value": "500"}'
sg 0 info s.sqlite --json
json_ok 'd["settings"] == {"cleaner.per_residents": "500"}'
sg 0 info s.sqlite
out_has 'cleaner\.per_residents = 500 \(default 300\)'
sg 0 config s.sqlite list
out_has '^cleaner\.per_residents +500 residents per cleaner +\(default 300\)$'
out_has '\(changed\)'

# bad values and unknown keys: exit 2, the store unchanged
state=$(store_state s.sqlite)
sg 2 config s.sqlite set cleaner.per_residents abc
err_has "takes positive number values; 'abc' is not one"
sg 2 config s.sqlite set cleaner.per_residents 0,5   # no locale commas
sg 2 config s.sqlite set cleaner.per_residents ''
sg 2 config s.sqlite set cleaner.min_per_village 1.5
err_has 'takes whole number .>= 0. values'
sg 2 config s.sqlite set scoring.cadence yearly
err_has "'yearly' is not one"
sg 2 config s.sqlite set no.such.key 1
err_has "unknown setting 'no.such.key'"
sg 2 config s.sqlite get no.such.key
err_has "unknown setting 'no.such.key'"
sg 2 config s.sqlite reset no.such.key
eq "$(store_state s.sqlite)" "$state" "store after refused config changes"
sg 0 config s.sqlite get cleaner.per_residents
eq "$(cat "$T/out")" 500 "cleaner.per_residents after refused sets"

sg 0 config s.sqlite set scoring.cadence monthly
sg 0 config s.sqlite set inspection.sample_share 0.25
sg 0 config s.sqlite get inspection.sample_share
eq "$(cat "$T/out")" 0.25 "inspection.sample_share"
# ranges: radii and ratios are positive, shares within 0..1, blanks trimmed
sg 2 config s.sqlite set cleaner.per_residents 0
sg 2 config s.sqlite set collection_point.radius_m.clustered -- -5
sg 2 config s.sqlite set inspection.sample_share 1.5
sg 0 config s.sqlite set inspection.sample_share " 0.25 "
sg 0 config s.sqlite get inspection.sample_share
eq "$(cat "$T/out")" 0.25 "inspection.sample_share, trimmed"

sg 0 config s.sqlite reset cleaner.per_residents
out_empty
sg 0 config s.sqlite get cleaner.per_residents
eq "$(cat "$T/out")" 300 "cleaner.per_residents after reset"
sg 0 info s.sqlite --json
json_ok 'd["settings"] == {"scoring.cadence": "monthly", "inspection.sample_share": "0.25"}'
sg 0 config s.sqlite reset scoring.cadence
sg 0 config s.sqlite reset inspection.sample_share
sg 0 info s.sqlite --json
json_ok 'd["settings"] == {}'

# ---- what is not a store ----------------------------------------------------
for cmd in "info missing.sqlite" "config missing.sqlite set cleaner.per_residents 1"; do
    # shellcheck disable=SC2086
    sg 3 $cmd
    err_has "$(sg_store_missing_re missing.sqlite)"
    ! sg_store_exists missing.sqlite || sg_fail "'$cmd' created missing.sqlite"
done
sg 3 info "$T"
err_has 'is not a sanigrid store'

sg 3 info hh.geojson
err_has 'hh.geojson is not a sanigrid store'
sg 3 info hh.geojson --json
out_empty
sg 3 config hh.geojson get cleaner.per_residents
err_has 'is not a sanigrid store'
before=$(file_hash hh.geojson)
sg 3 config hh.geojson set cleaner.per_residents 1
eq "$(file_hash hh.geojson)" "$before" "hh.geojson after config set on it"

# an SQLite file that is not ours (a schema that is not ours)
if sg_is_pg; then
    o=$(sg_store_schema other.sqlite)
    sg_pg_psql "CREATE SCHEMA $o; CREATE TABLE $o.t (x int); INSERT INTO $o.t VALUES (1)"
else
    sqlite3 other.sqlite 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
fi
sg 3 info other.sqlite
err_has "$(sg_store_re other.sqlite) is not a sanigrid store"
# ... and init does not make it one
before=$(bytes other.sqlite)
sg 1 init other.sqlite
err_has 'already exists'
eq "$(bytes other.sqlite)" "$before" "other.sqlite after init on it"

# a store written by a newer sanigrid: refused, and left alone
sg_store_copy s.sqlite newer.sqlite
store_set_version newer.sqlite 99
before=$(bytes newer.sqlite)
sg 3 info newer.sqlite
err_has 'schema version 99, newer than'
sg 3 info newer.sqlite --json
out_empty
sg 3 config newer.sqlite get cleaner.per_residents
err_has 'newer'
sg 3 config newer.sqlite set cleaner.per_residents 400
err_has 'newer'
eq "$(store_version newer.sqlite)" 99 "newer store's user_version"
eq "$(store_sql newer.sqlite "SELECT value FROM settings WHERE key = 'cleaner.per_residents'")" 300 \
    "newer store's setting"
eq "$(bytes newer.sqlite)" "$before" "newer.sqlite after refused commands"

sg_done
