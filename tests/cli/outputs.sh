#!/usr/bin/env bash
# Every file sanigrid writes (export in each format with its sidecars,
# render, report, import's rejects) is (issue 17):
# * never the store, its -wal, -shm or -journal (by name, hard link,
#   symlink or another spelling): refused, store untouched;
# * atomic: written to a temporary file beside it and renamed over it, so
#   a failed write (a file size limit; a full disk, with a tmpfs in a
#   private mount namespace when we may mount) leaves the earlier file as
#   it was and no temporary file behind, and says "disk full" when it is;
# * neutralised against spreadsheet formulas in CSV (OWASP);
# * removed when interrupted (SIGINT: "interrupted, nothing changed").
# Also: a Shapefile without its .dbf is refused, and `info` on a full disk
# says so instead of "not an SQLite database".
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 demo demo --quiet
sg_store_copy demo/demo.sqlite s.sqlite
# the store as given to sanigrid run by hand (a PostgreSQL URI)
s=$(sg_store_uri s.sqlite)
before=$(store_state s.sqlite)
intact()
{
    eq "$(store_state s.sqlite)" "$before" "the store after $1"
    sg_is_pg || eq "$(sqlite3 -readonly s.sqlite 'PRAGMA integrity_check')" ok \
        "integrity of the store after $1"
    [[ ! -d s.sqlite-wal ]] || sg_fail "$1 made a folder s.sqlite-wal"
}
# no_temp: no temporary output is left in the folder
no_temp()
{
    local left
    left=$(ls -A | grep -E 'sgtmp|\.part$' || true)
    [[ -z $left ]] || sg_fail "$1 left temporary files: $left"
}

# ---- 1. an output is never the store ----------------------------------------
# (the store's file and its -wal, -shm, -journal: SQLite's own; a
# PostgreSQL store has no file an output could hit)
if ! sg_is_pg; then
sg 2 export s.sqlite roads s.sqlite --format GPKG --overwrite
err_has 's\.sqlite is the store s\.sqlite'
intact "export over the store"
sg 2 export s.sqlite households s.sqlite-wal --format CSV
err_has "is the store s\.sqlite's wal"
intact "export to the store's -wal"
sg 2 export s.sqlite households ./s.sqlite-shm --format CSV --overwrite
intact "export to the store's -shm"
sg 2 export s.sqlite households s.sqlite-journal --format GeoJSON
[[ ! -e s.sqlite-journal ]] || sg_fail "export wrote s.sqlite-journal"
mkdir sub
sg 2 export s.sqlite households sub/../s.sqlite --format CSV --overwrite
ln s.sqlite hard.gpkg
sg 2 export s.sqlite households hard.gpkg --overwrite
ln -s s.sqlite sym.gpkg
sg 2 export s.sqlite households sym.gpkg --overwrite
intact "exports to a hard link and a symlink of the store"
# the sidecars: a Shapefile's .dbf, a GeoJSON's .sld and .qml
cp s.sqlite x.dbf
sg 2 export x.dbf households x.shp
err_has 'x\.dbf is the store'
[[ ! -e x.shp ]] || sg_fail "a refused Shapefile export wrote x.shp"
eq "$(store_state x.dbf)" "$before" "a store named x.dbf after export x.shp"
cp s.sqlite y.qml
sg 2 export y.qml grids y.geojson
[[ ! -e y.geojson ]] || sg_fail "a refused export wrote y.geojson"
eq "$(store_state y.qml)" "$before" "a store named y.qml after export y.geojson"
rm -f x.dbf y.qml
# render, report, import --rejects
sg 2 report s.sqlite -o s.sqlite
err_has 'is the store'
sg 2 report s.sqlite -o hard.gpkg
sg 2 render s.sqlite --theme coverage -o s.sqlite --format png
err_has 'is the store'
ln -s s.sqlite map.png
sg 2 render s.sqlite --theme coverage -o map.png
intact "report and render over the store"
sg 0 export s.sqlite households hh.geojson --include-personal --quiet
sg 2 import s.sqlite households hh.geojson --rejects s.sqlite
err_has 'is the store'
sg 2 import s.sqlite households hh.geojson --rejects s.sqlite-journal
intact "import --rejects naming the store"
rm -f hard.gpkg sym.gpkg map.png
fi

# ---- 2. atomic outputs: a write that fails keeps the earlier file -------------
# a copy with a rollback journal: read-only opens then write no -shm, so a
# small file size limit (prlimit --fsize, EFBIG) hits only the output
sg_store_copy s.sqlite j.sqlite
sg_is_pg || sqlite3 j.sqlite 'PRAGMA journal_mode=DELETE' >/dev/null
j=$(sg_store_uri j.sqlite)
jbefore=$(store_state j.sqlite)
limit=4096
for ext in geojson gpkg kml csv xlsx shp; do
    sg 0 export j.sqlite roads "old.$ext" --quiet
    files=("old.$ext")
    [[ $ext == shp ]] && files+=(old.shx old.dbf old.prj old.cpg)
    [[ $ext == geojson ]] && files+=(old.sld old.qml)
    h=$(file_hash "${files[@]}")
    n=$(ogr_count "old.$ext")
    SG_LAST_CMD="prlimit --fsize=$limit sanigrid export j.sqlite roads old.$ext --overwrite"
    rc=0
    prlimit --fsize=$limit "$SG_BIN" export "$j" roads "old.$ext" \
        --overwrite >"$T/out" 2>"$T/err" || rc=$?
    SG_RC=$rc
    SG_CHECKS=$((SG_CHECKS + 1))
    eq "$rc" 1 "exit of export .$ext beyond the file size limit"
    err_has "file size limit|disk full"
    eq "$(file_hash "${files[@]}")" "$h" "old.$ext after a failed --overwrite"
    eq "$(ogr_count "old.$ext")" "$n" "features of old.$ext after a failed --overwrite"
    no_temp "a failed export .$ext"
done
for ext in png svg pdf; do
    printf 'old map\n' >"old.$ext"
    SG_LAST_CMD="prlimit --fsize=$limit sanigrid render j.sqlite --theme coverage -o old.$ext"
    rc=0
    prlimit --fsize=$limit "$SG_BIN" render "$j" --theme coverage \
        -o "old.$ext" >"$T/out" 2>"$T/err" || rc=$?
    SG_RC=$rc
    eq "$rc" 1 "exit of render .$ext beyond the file size limit"
    err_has "file size limit|disk full"
    eq "$(cat "old.$ext")" "old map" "old.$ext after a failed render"
    no_temp "a failed render .$ext"
done
printf 'old report\n' >old.html
rc=0
prlimit --fsize=$limit "$SG_BIN" report "$j" -o old.html \
    >"$T/out" 2>"$T/err" || rc=$?
eq "$rc" 1 "exit of report beyond the file size limit"
err_has "file size limit|disk full"
eq "$(cat old.html)" "old report" "old.html after a failed report"
no_temp "a failed report"
eq "$(store_state j.sqlite)" "$jbefore" "the store after the failed writes"

# a full disk: a small tmpfs in a private mount namespace (root only)
full_disk()
{
    # full_disk NAME CMD...: in a new mount namespace, mount a 4 MiB tmpfs
    # on full/, put "keep" in full/NAME, fill the rest, run CMD (with
    # full/ in its arguments) and record its exit, stderr and what full/
    # then holds, in full.rc, full.err, full.keep, full.ls
    local name=$1
    shift
    mkdir -p full
    unshare -m -- bash -c '
        mount -t tmpfs -o size=4m tmpfs full || exit 99
        printf keep >"full/$0"
        dd if=/dev/zero of=full/fill bs=4k 2>/dev/null
        rc=0; "$@" >full.out 2>full.err || rc=$?
        echo $rc >full.rc
        cat "full/$0" >full.keep 2>/dev/null
        ls -A full >full.ls' "$name" "$@"
}
mkdir -p full
if [[ $(id -u) -eq 0 ]] && unshare -m -- mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
    for ext in geojson gpkg kml csv xlsx shp; do
        full_disk "out.$ext" "$SG_BIN" export "$s" roads "full/out.$ext" --overwrite
        eq "$(cat full.rc)" 1 "exit of export .$ext on a full disk"
        grep -q 'disk full' full.err || sg_fail "export .$ext on a full disk: $(cat full.err)"
        eq "$(cat full.keep)" keep "full/out.$ext after export on a full disk"
        eq "$(grep -c sgtmp full.ls || true)" 0 "temporary files of export .$ext on a full disk"
    done
    full_disk map.png "$SG_BIN" render "$s" --theme coverage -o full/map.png
    eq "$(cat full.rc)" 1 "exit of render on a full disk"
    grep -q 'disk full' full.err || sg_fail "render on a full disk: $(cat full.err)"
    eq "$(cat full.keep)" keep "full/map.png after render on a full disk"
    full_disk r.html "$SG_BIN" report "$s" -o full/r.html
    eq "$(cat full.rc)" 1 "exit of report on a full disk"
    grep -q 'disk full' full.err || sg_fail "report on a full disk: $(cat full.err)"
    eq "$(cat full.keep)" keep "full/r.html after report on a full disk"
    eq "$(grep -c sgtmp full.ls || true)" 0 "temporary files of report on a full disk"
    # info on a full disk: the store is fine, the disk is full (a store
    # file's -shm; PostgreSQL's files are the server's)
    sg_is_pg || unshare -m -- bash -c '
        mount -t tmpfs -o size=32m tmpfs full || exit 99
        cp s.sqlite full/s.sqlite
        dd if=/dev/zero of=full/fill bs=4k 2>/dev/null
        rc=0; "$0" info full/s.sqlite >full.out 2>full.err || rc=$?
        echo $rc >full.rc' "$SG_BIN"
    if ! sg_is_pg; then
        grep -q 'disk full' full.err || sg_fail "info on a full disk: $(cat full.err)"
        grep -q 'not an SQLite database' full.err && sg_fail "info calls a healthy store not a database"
    fi
    SG_CHECKS=$((SG_CHECKS + 9))
else
    echo "note: no tmpfs in a private mount namespace here (not root?): full-disk runs left out"
fi
intact "the full-disk runs"

# ---- 4. CSV cells a spreadsheet would run are neutralised ---------------------
cat >inj.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"household_id": "=1+1", "address": "=HYPERLINK(\"http://x\")", "resident_population": 3},
 "geometry": {"type": "Point", "coordinates": [9.5301, 47.2101]}},
{"type": "Feature", "properties": {"household_id": "+A2", "address": "@SUM(A1:A9)", "resident_population": 2},
 "geometry": {"type": "Point", "coordinates": [9.5302, 47.2102]}},
{"type": "Feature", "properties": {"household_id": "-A3", "address": "-3.5", "resident_population": 1},
 "geometry": {"type": "Point", "coordinates": [9.5303, 47.2103]}},
{"type": "Feature", "properties": {"household_id": "H4", "address": "x", "resident_population": 4},
 "geometry": {"type": "Point", "coordinates": [9.5304, 47.2104]}}
]}
EOF
sg 0 init inj.sqlite --crs EPSG:32632 --quiet
sg 0 import inj.sqlite households inj.geojson --quiet
sg 0 export inj.sqlite households inj.csv --quiet
"$SG_PYTHON" - inj.csv <<'PY' || sg_fail "inj.csv: formula cells not neutralised"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
cells = [c for r in rows[1:] for c in r]
for c in cells:
    if c[:1] in ("=", "+", "@", "\t", "\r"):
        sys.exit("raw formula cell %r" % c)
    if c[:1] == "-":
        float(c)  # only numbers may start with '-'
flat = set(cells)
for want in ("'=1+1", "'=HYPERLINK(\"http://x\")", "'+A2", "'@SUM(A1:A9)",
             "'-A3", "-3.5"):
    assert want in flat, (want, rows)
PY
# XLSX and GeoJSON keep the text as it is
sg 0 export inj.sqlite households inj.geojson.out --format GeoJSON --quiet
grep -q '"household_id": "=1+1"' inj.geojson.out || sg_fail "GeoJSON changed a text value"

# ---- 4. SIGINT: interrupted, nothing changed, no temporary file ---------------
printf 'old report\n' >r.html
stopped=0
for d in 0.1 0.3 0.5 0.7 0.9 1.2; do
    "$SG_BIN" report "$s" -o r.html >"$T/out" 2>"$T/err" &
    pid=$!
    sleep "$d"
    kill -INT "$pid" 2>/dev/null || true
    rc=0
    wait "$pid" || rc=$?
    SG_CHECKS=$((SG_CHECKS + 1))
    no_temp "an interrupted report"
    if [[ $rc -eq 130 ]]; then
        grep -q 'interrupted, nothing changed' "$T/err" ||
            sg_fail "an interrupted report said: $(cat "$T/err")"
        eq "$(cat r.html)" "old report" "r.html after an interrupted report"
        stopped=$((stopped + 1))
    else
        eq "$rc" 0 "exit of a report that finished before SIGINT"
        printf 'old report\n' >r.html
    fi
done
((stopped > 0)) || sg_fail "no report was interrupted by SIGINT"
intact "the interrupted reports"

# ---- 4. a Shapefile without its .dbf is refused ---------------------------------
sg 0 export s.sqlite households nodbf.shp --quiet
rm nodbf.dbf
sg 0 init nodbf.sqlite --crs EPSG:32632 --quiet
nbefore=$(store_state nodbf.sqlite)
# exit 1 as for every source that cannot be read: "nothing imported"
# (docs/cli/import.md; 3 means "imported with rejects")
sg 1 import nodbf.sqlite households nodbf.shp
err_has 'nodbf\.dbf is missing'
eq "$(store_state nodbf.sqlite)" "$nbefore" "a store after importing a Shapefile without .dbf"

sg_done
