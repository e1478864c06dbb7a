#!/usr/bin/env bash
# show and delete on a PostgreSQL store (issue 21) against the same on a
# SpatiaLite store of the same file: show.sh's 12 households (Chinese
# headers, --map and --set recorded by the import) in both; show's --json
# compared (rows, fill counts, declared types, the import's mapping),
# with and without --where; filters that would write, read another table
# (of this schema or another county's) or hold a second statement
# refused on PostgreSQL and the data unchanged; delete by id and by
# filter compared (the rows left, psql against sqlite3), with its run
# recorded; an unknown id deletes nothing.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

schema=county_show
pg="$SG_PG_DB?options=-csearch_path%3D$schema"
sl=$T/s.sqlite

"$SG_PYTHON" - <<'PY'
import json
feats = []
for i in range(12):
    feats.append({"type": "Feature", "properties": {
        "户号": "H%03d" % i, "人口": i % 5 + 1,
        "addr": None if i % 3 == 0 else "村%d号" % i,
        "户主": None if i % 4 == 0 else "张%d" % i},
        "geometry": {"type": "Point", "coordinates": [9.40 + i * 0.0004, 47.10]}})
json.dump({"type": "FeatureCollection", "features": feats},
          open("hh.geojson", "w"), ensure_ascii=False)
PY
sg 0 init "$sl" --crs EPSG:32632 --quiet
sg 0 init "$pg" --crs EPSG:32632 --quiet
pg_both 0 "$sl" "$pg" import households hh.geojson --map address=addr \
    --set household_toilet=sanitary
sg 0 init "$SG_PG_DB?options=-csearch_path%3Dother_county" --quiet

# ---- show ---------------------------------------------------------------------
pg_both 0 "$sl" "$pg" show households
json_ok 'd["rows_total"] == 12' 'len(d["rows"]) == 10' \
    'any(c["name"] == "resident_population" and c["filled"] == 12 for c in d["columns"])'
pg_both 0 "$sl" "$pg" show households --where "resident_population >= 3 AND address IS NOT NULL" --limit 3
json_ok 'd["rows_matched"] == 4' 'len(d["rows"]) == 3'  # i = 2, 4, 7, 8
pg_both 0 "$sl" "$pg" show households --limit 0
pg_both 0 "$sl" "$pg" show roads
json_ok 'd["rows_total"] == 0'
sg 2 show "$pg" househlds
err_has "no layer 'househlds'"
err_has 'households'
# refused filters, on PostgreSQL's own terms
before=$(sg_pg_psql "SELECT count(*) || '/' || (SELECT count(*) FROM $schema.runs) FROM $schema.households")
for w in "fid IN (SELECT run_id FROM runs)" \
    "fid IN (SELECT fid FROM other_county.households)" \
    "1); DROP TABLE households; --" \
    "setval('households_fid_seq', 1) > 0" \
    "nonsense_column = 1"; do
    sg 2 show "$pg" households --where "$w"
    err_has '--where'
done
eq "$(sg_pg_psql "SELECT count(*) || '/' || (SELECT count(*) FROM $schema.runs) FROM $schema.households")" \
    "$before" "households/runs after refused filters"
eq "$(sg_pg_psql "SELECT last_value FROM $schema.households_fid_seq")" 12 \
    "the fid sequence after a refused setval"
# the functions a filter may call are SpatiaLite's list on both backends:
# refused before anything runs (pg_sleep would hold the test for 30 s,
# set_config would change the session), however it is spelt
for w in "pg_sleep(30) IS NULL" "PG_SLEEP (30) IS NULL" '"pg_sleep"(30) IS NULL' \
    "pg_catalog.pg_sleep(30) IS NULL" "public.pg_sleep(30) IS NULL" \
    "address = 'x' OR /* c */ pg_sleep(30) IS NULL" \
    "set_config('search_path', 'other_county', false) <> ''" \
    "(SELECT pg_sleep(30)) IS NULL" "length(address::varchar(9) || pg_sleep(30)::text) > 0"; do
    sg 2 show "$pg" households --where "$w"
    err_has "function .*(pg_sleep|set_config)\(\) is not allowed"
    sg 2 show "$sl" households --where "$w"
done
# allowed: the list's functions, casts and type modifiers, keywords that
# take a parenthesis, and the names of refused functions inside strings
# and comments; the same rows on both backends
for w in "length(address) > 4 AND resident_population IN (1, 2, 3)" \
    "round(CAST(resident_population AS numeric(6, 2))) >= 3 AND coalesce(address, '-') <> 'pg_sleep(1)'" \
    "upper(household_id) LIKE 'H00%' -- pg_sleep(30)" \
    "CAST(resident_population AS numeric(4,1)) BETWEEN 2 AND 4 AND NOT (address IS NULL)"; do
    pg_both 0 "$sl" "$pg" show households --where "$w" --limit 0
done
# PostgreSQL's own spellings: :: casts with a type modifier, dollar quotes
sg 0 show "$pg" households --where "ST_X(geom) > 0 AND resident_population::numeric(6, 2) > 0 AND \$\$pg_sleep(9)\$\$ <> E'pg_sleep(\\'9\\')'" --limit 0 --json
json_ok 'd["rows_matched"] == 12'

# ---- delete ---------------------------------------------------------------------
left()
{
    eq "$(sg_pg_psql "SELECT string_agg(household_id, ',' ORDER BY fid) FROM $schema.households")" \
        "$(sqlite3 -readonly "$sl" "SELECT group_concat(household_id, ',') FROM (SELECT household_id FROM households ORDER BY fid)")" \
        "households left in PostgreSQL and SpatiaLite"
}
pg_both 0 "$sl" "$pg" delete households H001 H002
json_ok 'd["deleted"] == 2'
left
pg_both 0 "$sl" "$pg" delete households --where "resident_population = 5"
json_ok 'd["deleted"] == 2'
left
pg_both 0 "$sl" "$pg" delete households H003 H005 H006 --where "address IS NULL"
json_ok 'd["deleted"] == 2'
left
for s in "$sl" "$pg"; do
    sg 1 delete "$s" households H000 NOPE
    err_has "no row with household_id 'NOPE'; nothing was deleted"
done
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.households")" 6 "households after refused deletes"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.runs WHERE command = 'delete'")" 3 \
    "delete runs recorded"
eq "$(sg_pg_psql "SELECT params::json ->> 'where' FROM $schema.runs WHERE command = 'delete' ORDER BY run_id DESC LIMIT 1")" \
    "address IS NULL" "the filter recorded"
sg 2 delete "$pg" households --where "fid IN (SELECT run_id FROM runs)"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.households")" 6 "households after a refused filter"
pg_both 0 "$sl" "$pg" show households

sg_pg_stop
sg_done
