#!/usr/bin/env bash
# Snapshots and restore on a PostgreSQL store (issue 21), side by side
# with a SpatiaLite store given the same commands: a delete takes a
# snapshot (tables sg_snap_NNNN_* and a row of sg_snapshots in the
# store's schema), `sanigrid snapshots` lists it, restore brings every
# row back (household ids compared with SpatiaLite's after the same
# restore), drops a result layer made since, keeps the state before as a
# snapshot of its own and records the run; identity values go on past
# the restored rows (a later import works); snapshots.keep prunes the
# oldest, 0 takes none; a restore that fails half-way (a snapshot table
# gone) leaves the store exactly as it was (one transaction); a command
# that fails takes its snapshot back with it.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

schema=county_snap
pg="$SG_PG_DB?options=-csearch_path%3D$schema"
sl=$T/s.sqlite
"$SG_PYTHON" - <<'PY'
import json
f = [{"type": "Feature", "properties": {"household_id": "H%d" % i, "resident_population": i},
      "geometry": {"type": "Point", "coordinates": [500000 + 10 * i, 3300000]}} for i in range(1, 9)]
json.dump({"type": "FeatureCollection", "features": f}, open("hh.geojson", "w"))
f = [{"type": "Feature", "properties": {"household_id": "N1", "resident_population": 3},
      "geometry": {"type": "Point", "coordinates": [500500, 3300000]}}]
json.dump({"type": "FeatureCollection", "features": f}, open("new.geojson", "w"))
PY
cat >points.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"P1","kind":"collection_point"},"geometry":{"type":"Point","coordinates":[500000,3300010]}}]}
EOF
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[501000,3300000]]}}]}
EOF
for s in "$sl" "$pg"; do
    sg 0 init "$s" --crs EPSG:4545 --quiet
    for l in households points roads; do
        f=$l.geojson; [[ $l == households ]] && f=hh.geojson
        sg 0 import "$s" $l $f --src-crs EPSG:4545 --quiet
    done
done
ids() { sg_pg_psql "SELECT string_agg(household_id, ',' ORDER BY fid) FROM $schema.households"; }
sl_ids() { sqlite3 -readonly "$sl" "SELECT group_concat(household_id, ',') FROM (SELECT household_id FROM households ORDER BY fid)"; }
nsnap() { sg_pg_psql "SELECT count(*) FROM $schema.sg_snapshots"; }
state() { sg_pg_psql "SELECT (SELECT string_agg(household_id || ':' || fid, ',' ORDER BY fid) FROM $schema.households) || '/' || (SELECT count(*) FROM $schema.runs) || '/' || (SELECT count(*) FROM $schema.sg_snapshots) || '/' || (SELECT count(*) FROM pg_tables WHERE schemaname = '$schema')"; }
all=$(ids)
eq "$all" "H1,H2,H3,H4,H5,H6,H7,H8" "households imported"

# ---- a delete takes a snapshot; restore brings the rows back ------------------
pg_both 0 "$sl" "$pg" delete households H2 H3
json_ok 'd["deleted"] == 2' 'd["snapshot"].startswith("0001-delete-")'
eq "$(nsnap)" 1 "snapshots after a delete"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.sg_snap_0001_households")" 8 \
    "households in the snapshot"
sg 0 snapshots "$pg" --json
json_ok 'len(d["snapshots"]) == 1' 'd["snapshots"][0]["number"] == 1' \
    'd["snapshots"][0]["command"] == "delete"' 'd["snapshots"][0]["bytes"] > 0' \
    'd["folder"] is None' 'd["table"] == "sg_snapshots"'
# the text says where they are: the schema's table, not a folder beside a file
sg 0 snapshots "$pg"
out_has 'in its schema, listed in table sg_snapshots \(the newest 5 are kept\)'
if grep -q 'snapshots/' "$T/out"; then sg_fail "snapshots on PostgreSQL names a folder"; fi
sg_env 0 LANG=zh_CN.UTF-8 -- snapshots "$pg"
out_has '在其模式中'
# a result layer made after the snapshot
pg_both 0 "$sl" "$pg" coverage
eq "$(sg_pg_psql "SELECT count(*) FROM pg_tables WHERE schemaname = '$schema' AND tablename = 'coverage'")" 1 "coverage made"
sg 0 restore "$sl" 1 --json
sg 0 restore "$pg" 1 --json
json_ok 'd["restored"].startswith("0001-delete-")' 'd["saved_before"].startswith("0002-restore-")' \
    'd["status"] == "SG_OK"'
eq "$(ids)" "$all" "households after restore"
eq "$(ids)" "$(sl_ids)" "households after restore, PostgreSQL and SpatiaLite"
eq "$(sg_pg_psql "SELECT count(*) FROM pg_tables WHERE schemaname = '$schema' AND tablename = 'coverage'")" 0 \
    "a result layer made after the snapshot, after restore"
sg 0 info "$pg" --json
json_ok '"coverage" not in d["layers"]' 'd["layers"]["households"]["count"] == 8'
eq "$(sg_pg_psql "SELECT command FROM $schema.runs ORDER BY run_id DESC LIMIT 1")" restore "run recorded"
eq "$(nsnap)" 2 "snapshots after restore (the state before kept)"
# identities go on past the restored rows
pg_both 0 "$sl" "$pg" import households new.geojson --src-crs EPSG:4545
eq "$(ids)" "$all,N1" "households after a later import"
eq "$(sg_pg_psql "SELECT fid FROM $schema.households WHERE household_id = 'N1'")" 9 "fid of the new row"
# undo the restore: the state before it (H2, H3 deleted, coverage there)
sg 0 restore "$pg" 2 --quiet
eq "$(ids)" "H1,H4,H5,H6,H7,H8" "households after undoing the restore"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.coverage")" 6 "coverage back"

# ---- a failing restore leaves everything as it was ------------------------------
sg_pg_psql "DROP TABLE $schema.sg_snap_0001_points"
before=$(state)
sg 1 restore "$pg" 1
err_has 'sg_snap_0001_points'
eq "$(state)" "$before" "the store after a failed restore"
sg 3 restore "$pg" 99
err_has "no snapshot '99'"
eq "$(state)" "$before" "the store after restoring a snapshot that is not there"

# ---- a failed command takes its snapshot back ------------------------------------
before=$(state)
sg 1 delete "$pg" households H1 NOPE
eq "$(state)" "$before" "the store after a failed delete"

# ---- snapshots.keep -----------------------------------------------------------------
sg 0 config "$pg" set snapshots.keep 2
for h in H4 H5 H6; do
    sg 0 delete "$pg" households $h --quiet
done
sg 0 snapshots "$pg" --json
json_ok 'len(d["snapshots"]) == 2' '[s["command"] for s in d["snapshots"]] == ["delete", "delete"]'
eq "$(sg_pg_psql "SELECT count(DISTINCT substr(tablename, 9, 4)) FROM pg_tables WHERE schemaname = '$schema' AND tablename LIKE 'sg\\_snap\\_%'")" 2 \
    "snapshot table sets kept"
sg 0 config "$pg" set snapshots.keep 0
n=$(nsnap)
sg 0 delete "$pg" households H7 --json
json_ok 'd["snapshot"] is None'
eq "$(nsnap)" "$n" "snapshots with snapshots.keep 0"

sg_pg_stop
sg_done
