#!/usr/bin/env bash
# Undo (issue 14): snapshots before data is replaced or deleted, restore,
# delete.
# * import, import again with --mode replace, restore: the households
#   table is the first import's again (its SQL dump, byte for byte);
# * delete by id and by --where, then restore: the rows are back; the
#   counts deleted are checked by SQL on the same file;
# * snapshots.keep N keeps the newest N; 0 turns snapshots off;
# * a failed replacing import leaves no snapshot and the store unchanged;
# * restore of a missing snapshot: exit 3, store unchanged; while another
#   process holds the write lock: exit 1 ("being written"), unchanged;
# * --where may not write, call other functions or read other tables;
#   a bad layer names the layers that exist.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# hh.py FILE PREFIX N POP: N households PREFIX001.. with POP residents
# each (POP 0 for every third one), on a small grid (lon/lat)
cat >hh.py <<'PY'
import json, sys
path, prefix, n, pop = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
feats = [{"type": "Feature", "properties": {
    "household_id": "%s%03d" % (prefix, i), "resident_population":
    0 if i % 3 == 0 else pop, "address": "No. %d" % i},
    "geometry": {"type": "Point", "coordinates": [9.40 + i * 0.0004, 47.10]}}
    for i in range(n)]
json.dump({"type": "FeatureCollection", "features": feats}, open(path, "w"))
PY
"$SG_PYTHON" hh.py a.geojson A 9 4
"$SG_PYTHON" hh.py b.geojson B 5 2
dump() { sqlite3 -readonly "$1" ".dump households"; }
snaps() { ls s.sqlite.snapshots 2>/dev/null | grep -E '^[0-9]{4}-.*\.sqlite$' | tr '\n' ' '; }

sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households a.geojson --quiet
[[ ! -e s.sqlite.snapshots ]] || sg_fail "an appending import took a snapshot"
dump s.sqlite >first.sql
grep -q "A008" first.sql || sg_fail "the dump does not hold the first import"

# ---- import --mode replace, restore ----------------------------------------
sg 0 import s.sqlite households b.geojson --mode replace
out_has 'snapshot before the import: 0001-import-[0-9]{8}T[0-9]{6}Z\.sqlite'
out_has 'sanigrid restore s\.sqlite 1'
eq "$(store_count s.sqlite households)" 5 "households after the replacing import"
eq "$(store_count s.sqlite.snapshots/0001-import-*.sqlite households)" 9 \
    "households in the snapshot"
sg 0 snapshots s.sqlite --json
json_ok 'len(d["snapshots"]) == 1' 'd["keep"] == 5' \
        'd["snapshots"][0]["number"] == 1' 'd["snapshots"][0]["command"] == "import"' \
        'd["snapshots"][0]["bytes"] > 0' 'd["folder"] == "s.sqlite.snapshots"'
sg 0 snapshots s.sqlite
out_has '^0001 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} +import +[0-9.]+ [KMG]B$'
# the commit names its snapshot (sg_meta snapshot_pending): a command
# killed between its commit and the rename of the hidden file still has
# its snapshot, renamed by the store's next open
snap1=$(ls s.sqlite.snapshots | grep '^0001-import-')
eq "$(sqlite3 s.sqlite "SELECT value FROM sg_meta WHERE key = 'snapshot_pending'")" \
    "$(sqlite3 s.sqlite "SELECT value FROM sg_meta WHERE key = 'snapshot_pending'" |
       grep -E "^\.0001-import-[0-9TZ]+\.[0-9]+\.pending/$snap1\$")" \
    "the commit names the hidden file and the snapshot"
hidden=$(sqlite3 s.sqlite "SELECT value FROM sg_meta WHERE key = 'snapshot_pending'" | cut -d/ -f1)
mv "s.sqlite.snapshots/$snap1" "s.sqlite.snapshots/$hidden"
sg 0 snapshots s.sqlite --json
json_ok 'len(d["snapshots"]) == 1' 'd["snapshots"][0]["number"] == 1'
[[ -e s.sqlite.snapshots/$snap1 && ! -e s.sqlite.snapshots/$hidden ]] ||
    sg_fail "the next open did not rename the committed change's snapshot"
# a hidden file the store does not name (a command killed before its
# commit) stays hidden, and goes with the next snapshot
cp "s.sqlite.snapshots/$snap1" "s.sqlite.snapshots/.0009-import-20260101T000000Z.999999999.pending"
sg 0 snapshots s.sqlite --json
json_ok 'len(d["snapshots"]) == 1'
sg 0 restore s.sqlite 1 --json
json_ok 'd["status"] == "SG_OK"' 'd["restored"].endswith(".sqlite")' \
        '"/0002-restore-" in d["saved_before"]'
dump s.sqlite >restored.sql
cmp -s first.sql restored.sql || sg_fail "restore did not bring back the first import's rows"
eq "$(sqlite3 s.sqlite "SELECT count(*) FROM runs WHERE command = 'restore'")" 1 "restore run"
# the restore is undone in turn
sg 0 restore s.sqlite 0002
out_has 'restored s\.sqlite from 0002-restore-'
eq "$(store_count s.sqlite households)" 5 "households after undoing the restore"
sg 0 restore s.sqlite 1 --quiet
out_empty

# ---- delete ----------------------------------------------------------------
before=$(dump s.sqlite)
sg 0 delete s.sqlite households --id A001 A002
out_has 'deleted 2 rows from households'
out_has 'snapshot before the deletion: 0005-delete-'
eq "$(store_count s.sqlite households)" 7 "households after deleting 2 by id"
eq "$(sqlite3 s.sqlite "SELECT count(*) FROM households WHERE household_id IN ('A001','A002')")" 0 \
    "the rows deleted"
# --where: the count expected is SQL's on the same file
want=$(sqlite3 s.sqlite "SELECT count(*) FROM households WHERE resident_population = 0")
[[ $want -ge 2 ]] || sg_fail "fixture: too few households with no residents ($want)"
sg 0 delete s.sqlite households --where "resident_population = 0" --json
json_ok "d['deleted'] == $want" '"/0006-delete-" in d["snapshot"]' 'd["layer"] == "households"'
eq "$(sqlite3 s.sqlite "SELECT count(*) FROM households WHERE resident_population = 0")" 0 "rows left by --where"
# --id and --where together: rows matching both; none matching: exit 0
sg 0 delete s.sqlite households --id A004 --where "resident_population = 0"
out_has 'nothing was deleted'
eq "$(store_count s.sqlite households)" $((7 - want)) "households after a delete matching nothing"
eq "$(sqlite3 s.sqlite "SELECT count(*) FROM runs WHERE command = 'delete'")" 2 "delete runs"
sg 0 restore s.sqlite 5 --quiet
[[ "$(dump s.sqlite)" == "$before" ]] || sg_fail "restore after delete did not bring the rows back"

# refusals: unknown id, bad layer, unsafe filters; the store unchanged
state=$(store_state s.sqlite)
nsnap=$(snaps)
sg 1 delete s.sqlite households --id A001 NOPE
err_has "no row with household_id 'NOPE'; nothing was deleted"
sg 2 delete s.sqlite househlds --id A001
err_has "has no layer 'househlds'; its layers: divisions, grids, roads, points, households"
sg 2 delete s.sqlite households --where "CreateSpatialIndex('households', 'geom') > 0"
err_has 'function CreateSpatialIndex\(\) is not allowed'
sg 2 delete s.sqlite households --where "fid IN (SELECT run_id FROM runs)"
err_has 'reading table runs is not allowed'
sg 2 delete s.sqlite households --where "1); DELETE FROM households; --"
err_has 'give one expression'
sg 2 delete s.sqlite households --where "no_such_column = 1"
err_has 'no such column'
sg 2 delete s.sqlite households
err_has 'say which rows'
eq "$(store_state s.sqlite)" "$state" "the store after refused deletes"
eq "$(snaps)" "$nsnap" "snapshots after refused deletes"

# ---- restore refusals --------------------------------------------------------
sg 3 restore s.sqlite 99
err_has "no snapshot '99' of s.sqlite \(\`sanigrid snapshots s.sqlite\` lists them\)"
sg 3 restore s.sqlite nowhere/x.sqlite
err_has 'snapshot nowhere/x.sqlite does not exist'
echo "not a store" >junk.sqlite
sg 3 restore s.sqlite ./junk.sqlite
err_has 'not a snapshot of a sanigrid store'
sg 2 restore s.sqlite ./s.sqlite
err_has 'is the store itself'
eq "$(store_state s.sqlite)" "$state" "the store after refused restores"
eq "$(snaps)" "$nsnap" "snapshots after refused restores"

# another process holds the write lock: refused after the busy timeout
coproc LOCK { sqlite3 s.sqlite 2>&1; }
# a copy under another name: bash unsets LOCK_PID as soon as it reaps the
# coprocess, which can happen before the wait below (a flaky "unbound
# variable" under load)
lock_pid=$LOCK_PID
exec {LOCK_IN}>&"${LOCK[1]}"
printf '%s\n' 'BEGIN IMMEDIATE;' "SELECT 'locked';" >&"$LOCK_IN"
read -r -t 30 line <&"${LOCK[0]}" || sg_fail "the sqlite3 writer did not answer"
eq "$line" "locked" "the sqlite3 writer's transaction"
sg 1 restore s.sqlite 7
err_has 'being written by another process; nothing was restored'
printf '%s\n' 'ROLLBACK;' '.quit' >&"$LOCK_IN"
exec {LOCK_IN}>&-
wait "$lock_pid" || true
eq "$(store_state s.sqlite)" "$state" "the store after a refused restore (locked)"
eq "$(snaps)" "$nsnap" "snapshots after a refused restore (locked)"

# ---- a failed replacing import: no snapshot left, store unchanged ---------------
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"household_id":"X1","resident_population":-5},"geometry":{"type":"Point","coordinates":[9.4,47.1]}}]}' >bad.geojson
sg 1 import s.sqlite households bad.geojson --mode replace
eq "$(store_state s.sqlite)" "$state" "the store after a failed replacing import"
eq "$(snaps)" "$nsnap" "snapshots after a failed replacing import"

# ---- keep N -------------------------------------------------------------------
sg 0 config s.sqlite set snapshots.keep 2
for i in 1 2 3; do
    sg 0 import s.sqlite households b.geojson --mode replace --quiet
done
sg 0 snapshots s.sqlite --json
json_ok 'd["keep"] == 2' '[s["number"] for s in d["snapshots"]] == [9, 10]' \
        'all(s["command"] == "import" for s in d["snapshots"])'
sg 0 config s.sqlite set snapshots.keep 0
sg 0 import s.sqlite households a.geojson --mode replace --json
json_ok 'd["snapshot"] is None' 'd["imported"] == 9'
sg 0 snapshots s.sqlite --json
json_ok '[s["number"] for s in d["snapshots"]] == [9, 10]'

# ---- help and Chinese ---------------------------------------------------------
sg 0 snapshots s.sqlite --lang zh
out_has '编号'
sg 0 snapshots nowhere.sqlite
out_has 'no snapshots of nowhere.sqlite'
sg_done
