#!/usr/bin/env bash
# Concurrency (the store is in WAL mode, busy_timeout 5000 ms):
# * readers (`info`, `export`) work while another connection holds an
#   unfinished write transaction, and see the last committed state;
# * a writer (`import`, `check`, `config set`) that cannot get the write
#   lock within the timeout fails with exit 1 and "busy" in its message,
#   and the store stays intact; one that gets it within the timeout waits
#   and succeeds;
# * readers keep working while a real import and a real analysis write;
# * two imports started together both end cleanly: each succeeds or
#   fails with "busy", and the store holds the last successful one;
# * an analysis and an import started together: the analysis's results
#   derive from the inputs the store held when it committed, in the
#   order `runs` records.
# The write lock is held by the sqlite3 shell (with mod_spatialite, so it
# can touch layers with spatial indexes) in a coprocess.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# households.py N PREFIX FILE: N generated households
cat >households.py <<'PY'
import json, sys
n, prefix, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
feats = [{"type": "Feature", "properties": {
    "household_id": "%s%06d" % (prefix, i), "resident_population": 3},
    "geometry": {"type": "Point", "coordinates": [
        9.40 + (i % 150) * 0.0004, 47.10 + (i // 150) * 0.00045]}}
    for i in range(n)]
with open(path, "w") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f)
PY
"$SG_PYTHON" households.py 300 A A.geojson
"$SG_PYTHON" households.py 5 C C.geojson
"$SG_PYTHON" - <<'PY'
import json
grids = [{"type": "Feature", "properties": {"grid_code": "G%d" % k,
          "level": 1, "name": "grid %d" % k, "division_code": None},
          "geometry": {"type": "Polygon", "coordinates": [[
              [9.40 + k * 0.01, 47.10], [9.41 + k * 0.01, 47.10],
              [9.41 + k * 0.01, 47.20], [9.40 + k * 0.01, 47.20],
              [9.40 + k * 0.01, 47.10]]]}} for k in range(6)]
with open("grids.geojson", "w") as f:
    json.dump({"type": "FeatureCollection", "features": grids}, f)
PY
# B, the big import that readers run beside: 20,000 households, or fewer
# if a probe shows that would take over 3 s here (sanitizer or loaded
# machine)
"$SG_PYTHON" households.py 2000 P probe.geojson
sg 0 init probe.sqlite --crs EPSG:32632 --quiet
t0=$(date +%s%3N)
sg 0 import probe.sqlite households probe.geojson --quiet
big=$((2000 * 3000 / ($(date +%s%3N) - t0 + 1)))
((big <= 20000)) || big=20000
((big >= 2000)) || big=2000
"$SG_PYTHON" households.py "$big" B B.geojson

integrity()
{
    eq "$(sqlite3 "$1" 'PRAGMA integrity_check')" ok "$2: integrity_check"
}
households_hash()
{
    sqlite3 "$1" "SELECT household_id, resident_population, hex(geom)
                  FROM households ORDER BY household_id" | sha256sum | cut -d' ' -f1
}
# info_count DB: households in `sanigrid info --json`
info_count()
{
    sg 0 info "$1" --json
    "$SG_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"]["households"]["count"])' "$T/out"
}

sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite grids grids.geojson --quiet
sg 0 import s.sqlite households A.geojson --quiet
sg 0 check s.sqlite --quiet

# ---- a writer holds the lock: readers read, writers fail with "busy" -------------
# lock_open DB: start the sqlite3 shell holding an unfinished write
# transaction that has deleted every household
lock_open()
{
    local line
    coproc LOCK { sqlite3 "$1" 2>&1; }
    # coprocess descriptors do not reach subshells: keep a copy that does
    exec {LOCK_IN}>&"${LOCK[1]}"
    printf '%s\n' '.load mod_spatialite' 'BEGIN IMMEDIATE;' \
        'DELETE FROM households;' "SELECT 'locked', count(*) FROM households;" >&"$LOCK_IN"
    read -r -t 30 line <&"${LOCK[0]}" || sg_fail "the sqlite3 writer did not answer"
    eq "$line" "locked|0" "the sqlite3 writer's transaction"
}
# lock_close SQL: end the writer's transaction with SQL (ROLLBACK/COMMIT)
lock_close()
{
    local pid=$LOCK_PID
    printf '%s\n' "$1" '.quit' >&"$LOCK_IN"
    exec {LOCK_IN}>&-
    wait "$pid" || sg_fail "the sqlite3 writer failed"
}

before=$(store_state s.sqlite)
lock_open s.sqlite

eq "$(info_count s.sqlite)" 300 "info while a writer has deleted (uncommitted)"
sg 0 export s.sqlite households during.geojson --quiet
eq "$(ogr_count during.geojson)" 300 "export while a writer holds the lock"
sg 0 export s.sqlite grid_issues issues.csv --quiet

t0=$SECONDS
sg 1 import s.sqlite households C.geojson
err_has 'busy'
((SECONDS - t0 >= 4)) || sg_fail "import gave up before the 5 s busy timeout"
sg 1 import s.sqlite households C.geojson --json
json_ok 'd["status"] == "SG_ERR_DB_BUSY"' '"busy" in d["error"]'
sg 1 check s.sqlite
err_has 'busy'
sg 1 config s.sqlite set cleaner.per_residents 250
err_has 'busy'

lock_close 'ROLLBACK;'
integrity s.sqlite "after the busy writers"
eq "$(store_state s.sqlite)" "$before" "the store after the busy writers"
eq "$(info_count s.sqlite)" 300 "households after the rolled-back writer"

# a lock released within the timeout: the writer waits, then succeeds
lock_open s.sqlite
{ sleep 2; printf '%s\n' 'ROLLBACK;' '.quit' >&"$LOCK_IN"; } &
releaser=$!
pid=$LOCK_PID
t0=$SECONDS
sg 0 import s.sqlite households C.geojson --quiet
((SECONDS - t0 >= 1)) || sg_fail "import did not wait for the lock"
wait "$releaser"
exec {LOCK_IN}>&-
wait "$pid" || true
eq "$(info_count s.sqlite)" 305 "households after waiting for the lock"

# a committed change becomes visible to the next reader
lock_open s.sqlite
lock_close 'COMMIT;'
eq "$(info_count s.sqlite)" 0 "households after the writer committed"
sg 0 import s.sqlite households A.geojson --quiet

# ---- readers during a real import and a real analysis -------------------------------
# export_during WHAT OLD NEW LAYER FILE: export LAYER to FILE while WHAT
# runs; with OLD/NEW, FILE must hold OLD or NEW rows (of one state).
# The export reads through its store connection in one read transaction
# (GDAL never opens the store, whose POSIX locks a second connection's
# close would drop): it succeeds and writes the rows of one state.
export_during()
{
    local what=$1 old=$2 new=$3 layer=$4 file=$5 rc=0 c
    "$SG_BIN" export s.sqlite "$layer" "$file" --overwrite --quiet \
        >"$T/out" 2>"$T/err" || rc=$?
    SG_CHECKS=$((SG_CHECKS + 1))
    [[ $rc -eq 0 ]] ||
        sg_fail "export of $layer during $what failed: $(head -c 200 "$T/err")"
    [[ -n $old ]] || return 0
    c=$(($(wc -l <"$file") - 1))
    if [[ $c != "$old" && $c != "$new" ]] ||
        { grep -q ',A' "$file" && grep -q ',B' "$file"; }; then
        sg_fail "export of $layer during $what wrote a mix ($c rows)"
    fi
}

# read_during PID WHAT OLD NEW: run info and export while PID runs; each
# must succeed and see OLD or NEW households; sets READS (reads that
# finished while PID was still running)
read_during()
{
    local pid=$1 what=$2 old=$3 new=$4 c n=0
    READS=0
    while kill -0 "$pid" 2>/dev/null; do
        n=$((n + 1))
        c=$(info_count s.sqlite)
        [[ $c == "$old" || $c == "$new" ]] ||
            sg_fail "info during $what saw $c households, not $old or $new"
        export_during "$what" "$old" "$new" households "read$n.csv"
        export_during "$what" "" "" grid_issues "issues$n.csv"
        if kill -0 "$pid" 2>/dev/null; then
            READS=$((READS + 1))
        fi
    done
}

"$SG_BIN" import s.sqlite households B.geojson --mode replace --quiet \
    >import.out 2>import.err &
pid=$!
read_during "$pid" "an import" 300 "$big"
wait "$pid" || sg_fail "the background import failed: $(cat import.err)"
echo "reads finished while the import ran: $READS"
eq "$(info_count s.sqlite)" "$big" "households after the background import"

"$SG_BIN" check s.sqlite --quiet >check.out 2>check.err &
pid=$!
read_during "$pid" "a check" "$big" "$big"
wait "$pid" || sg_fail "the background check failed: $(cat check.err)"
echo "reads finished while the check ran: $READS"
integrity s.sqlite "after reading during writes"

# ---- two imports at once -------------------------------------------------------------
"$SG_BIN" import s.sqlite households A.geojson --mode replace --quiet \
    >one.out 2>one.err &
p1=$!
"$SG_BIN" import s.sqlite households C.geojson --mode replace --quiet \
    >two.out 2>two.err &
p2=$!
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
SG_CHECKS=$((SG_CHECKS + 2))
echo "two imports at once: exit $rc1 and $rc2"
for r in "1 $rc1" "2 $rc2"; do
    set -- $r
    case $2 in
    0) ;;
    1) grep -qi busy "$([[ $1 == 1 ]] && echo one.err || echo two.err)" ||
           sg_fail "import $1 of two failed without saying busy:" \
               "$(cat one.err two.err)" ;;
    *) sg_fail "import $1 of two exited $2: $(cat one.err two.err)" ;;
    esac
done
((rc1 == 0 || rc2 == 0)) || sg_fail "both imports failed"
integrity s.sqlite "after two imports at once"
last=$(sqlite3 s.sqlite "SELECT json_extract(params, '$.source') FROM runs
                         WHERE command = 'import' ORDER BY run_id DESC LIMIT 1")
sqlite3 s.sqlite 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp s.sqlite ref.sqlite
sg 0 import ref.sqlite households "$last" --mode replace --quiet
eq "$(households_hash s.sqlite)" "$(households_hash ref.sqlite)" \
    "households after two imports: those of the last one ($last)"

# ---- an analysis and an import at once ---------------------------------------------
# `allocate --all` and an import replacing the households, started together
# with staggered delays so either may commit first. Whatever the order, the
# analysis's results must derive from the households the store held when it
# committed: cleaner_households lists exactly the households of the import
# that `runs` puts before the allocation (the demo's 661, or the 400 new
# ones), and the run's counts say as many. Before the fix, the allocation
# read its inputs before taking the write lock (so it committed the 661 old
# households after the import of 400, and `runs` put the import first), and
# an import that waited for the lock while the allocation re-created its
# result tables failed with "no such table: households".
demo=$SG_SOURCE_DIR/data/demo
sg 0 init race.sqlite --crs EPSG:32632 --quiet
for layer in divisions roads households cleaners; do
    sg 0 import race.sqlite "$layer" "$demo/$layer.geojson" --quiet
done
sqlite3 race.sqlite 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
base_runs=$(sqlite3 race.sqlite 'SELECT max(run_id) FROM runs')
old_ids=$(sqlite3 race.sqlite 'SELECT household_id FROM households ORDER BY 1' | sha256sum)
# the first 400 demo households with new ids
"$SG_PYTHON" - "$demo/households.geojson" new400.geojson <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["features"] = d["features"][:400]
for i, f in enumerate(d["features"]):
    f["properties"]["household_id"] = "N%05d" % i
json.dump(d, open(sys.argv[2], "w"))
PY
new_ids=$(for i in $(seq 0 399); do printf 'N%05d\n' "$i"; done | sha256sum)
first_alloc=0 first_import=0
# tries 0-5: the import starts 0, 20, ... 100 ms after the allocation;
# tries 6-9: the allocation starts 0, 20, 40, 60 ms after the import
for k in 0 1 2 3 4 5 6 7 8 9; do
    cp race.sqlite "r$k.sqlite"
    ri=0 ra=0
    if ((k < 6)); then
        "$SG_BIN" allocate "r$k.sqlite" --all --quiet >"alloc$k.out" 2>"alloc$k.err" &
        pa=$!
        sleep "0.$((k * 2 / 10))$((k * 2 % 10))"
        "$SG_BIN" import "r$k.sqlite" households new400.geojson --mode replace \
            --quiet >"imp$k.out" 2>"imp$k.err" || ri=$?
        wait "$pa" || ra=$?
    else
        "$SG_BIN" import "r$k.sqlite" households new400.geojson --mode replace \
            --quiet >"imp$k.out" 2>"imp$k.err" &
        pi=$!
        sleep "0.0$(((k - 6) * 2))"
        "$SG_BIN" allocate "r$k.sqlite" --all --quiet >"alloc$k.out" 2>"alloc$k.err" || ra=$?
        wait "$pi" || ri=$?
    fi
    SG_CHECKS=$((SG_CHECKS + 1))
    ((ra == 0)) || sg_fail "try $k: allocate beside an import exited $ra: $(cat "alloc$k.err")"
    if ((ri != 0)); then
        grep -qi busy "imp$k.err" ||
            sg_fail "try $k: import beside allocate exited $ri: $(cat "imp$k.err")"
    fi
    order=$(sqlite3 "r$k.sqlite" "SELECT group_concat(command) FROM
             (SELECT command FROM runs WHERE run_id > $base_runs
               AND command IN ('allocate', 'import') ORDER BY run_id)")
    case $order in
    allocate,import | allocate)
        want=$old_ids n=661 first_alloc=$((first_alloc + 1)) ;;
    import,allocate)
        want=$new_ids n=400 first_import=$((first_import + 1)) ;;
    *) sg_fail "try $k: runs after the import and allocate: '$order'" ;;
    esac
    ((ri == 0)) || [[ $order == allocate ]] ||
        sg_fail "try $k: the import failed but runs say '$order'"
    got=$(sqlite3 "r$k.sqlite" 'SELECT household_id FROM cleaner_households ORDER BY 1' | sha256sum)
    [[ $got == "$want" ]] ||
        sg_fail "try $k: runs say '$order', but cleaner_households holds" \
            "$(sqlite3 "r$k.sqlite" 'SELECT count(*) FROM cleaner_households') households," \
            "not the $n of the import before the allocation"
    eq "$(sqlite3 "r$k.sqlite" "SELECT json_extract(counts, '$.households') FROM runs
         WHERE command = 'allocate'")" "$n" "try $k: households in the allocate run's counts"
    integrity "r$k.sqlite" "try $k"
done
echo "allocate and import at once: allocate first $first_alloc times, import first $first_import times"

sg_done
