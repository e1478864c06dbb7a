#!/usr/bin/env bash
# Crash safety: `sanigrid import --mode replace` and `sanigrid check` are
# killed with SIGKILL at random moments, many times. After every kill the
# store must open (sqlite3 and sanigrid), pass PRAGMA integrity_check and
# rtreecheck on its spatial indexes, and hold either the old or the new
# state, never a mix:
#   import: the households are exactly file A's or file B's (a checksum of
#           every row), and the last import in `runs` names that file;
#   check:  the result layers (grid_issues, grid_gaps, grid_overlaps) are
#           exactly what a complete run with the parameters of the last
#           `check` in `runs` writes, or absent if no check has finished.
# Kill delays are uniform over 0..1.2 x the time an uninterrupted run takes
# (measured here), so they land in start-up, reading, the write
# transaction, commit and after the end.
#
# Environment: SG_CRASH_ROWS (households in each import; default 20,000,
# or fewer if a probe import shows that 20,000 would take over 3 s here),
# SG_CRASH_ITERS (kills per command, default 30) and SG_CRASH_SECONDS
# (time budget of the import kills, default 40 s; the check kills get a
# third of it). At least 8 kills per command are made even when a slow,
# e.g. sanitizer, build exceeds the budget.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

iters=${SG_CRASH_ITERS:-30}
budget_import=${SG_CRASH_SECONDS:-40}
budget_check=$(((budget_import + 2) / 3))
min_iters=8

# now_ms: wall clock in milliseconds
now_ms() { date +%s%3N; }

# households.py N PREFIX SHIFT FILE: N generated households (different ids,
# values and places for each PREFIX/SHIFT)
cat >households.py <<'PY'
import json, sys
n, prefix, shift, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
feats = []
for i in range(n):
    feats.append({"type": "Feature", "properties": {
        "household_id": "%s%06d" % (prefix, i),
        "resident_population": 1 + (i + shift) % 7,
        "household_toilet": ["sanitary", "unsanitary", "none"][i % 3]},
        "geometry": {"type": "Point", "coordinates": [
            9.40 + (i % 150) * 0.0004 + 0.00013 + shift * 0.00001,
            47.10 + (i // 150) * 0.00045 + 0.00007]}})
with open(path, "w") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f)
PY

# ---- how many households: 20,000 when an import of them takes at most
# about 3 s here, fewer on a slow (sanitizer, loaded) build so that the
# kills stay within the budget; SG_CRASH_ROWS overrides ---------------------
if [[ -n ${SG_CRASH_ROWS:-} ]]; then
    rows=$SG_CRASH_ROWS
else
    "$SG_PYTHON" households.py 2000 P 0 probe.geojson
    sg 0 init probe.sqlite --crs EPSG:32632 --quiet
    t0=$(now_ms)
    sg 0 import probe.sqlite households probe.geojson --quiet
    t_probe=$(($(now_ms) - t0 + 1))
    rows=$((2000 * 3000 / t_probe))
    ((rows <= 20000)) || rows=20000
    ((rows >= 2000)) || rows=2000
    rm -f probe.*
fi

# ---- fixtures: A and B, $rows households each, so that both directions of
# the replace take as long; grids for the check ------------------------------
"$SG_PYTHON" households.py "$rows" A 0 A.geojson
"$SG_PYTHON" households.py "$rows" B 3 B.geojson
"$SG_PYTHON" - <<'PY'
import json, random
# 30 x 30 level-1 grids; every 11th overlaps its neighbour by a different
# amount, so that --sliver-m2 1 and --sliver-m2 2000 give different results
random.seed(7)
feats = []
n, d = 30, 0.002
for i in range(n):
    for j in range(n):
        x0, y0 = 9.40 + i * d, 47.10 + j * d
        x1, y1 = x0 + d, y0 + d
        k = i * n + j
        if k % 11 == 0:
            y1 += d * random.choice([0.001, 0.01, 0.05, 0.2])
        feats.append({"type": "Feature", "properties": {
            "grid_code": "G%04d" % k, "name": "grid %d" % k, "level": 1,
            "division_code": None},
            "geometry": {"type": "Polygon", "coordinates": [
                [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}})
with open("grids.geojson", "w") as f:
    json.dump({"type": "FeatureCollection", "features": feats}, f)
PY

# sleep_ms N
sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# rand_ms MAX: uniform-ish 0..MAX-1 (two $RANDOMs: MAX may exceed 32767)
rand_ms() { echo $(((RANDOM * 32768 + RANDOM) % $1)); }

# integrity DB WHAT: the store passes integrity_check and rtreecheck on
# every spatial index (one sqlite3 run: it is called after every kill)
integrity()
{
    local r sql="PRAGMA integrity_check;" idx
    for idx in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'idx\_%\_geom' ESCAPE '\\'"); do
        sql+="SELECT '$idx: ' || rtreecheck('$idx');"
    done
    r=$(sqlite3 "$1" "$sql" 2>&1) || sg_fail "$2: sqlite3 on $1: $r"
    eq "$(echo "$r" | grep -Ecv '^(idx_[a-z_]+: )?ok$')" 0 "$2: integrity_check/rtreecheck said: $r"
}

# households_hash DB: checksum of every household row
households_hash()
{
    sqlite3 "$1" "SELECT household_id, resident_population, household_toilet,
                         hex(geom) FROM households ORDER BY household_id" |
        sha256sum | cut -d' ' -f1
}

# last_import DB: the source file named by the last import run
last_import()
{
    sqlite3 "$1" "SELECT json_extract(params, '$.source') FROM runs
                  WHERE command = 'import' ORDER BY run_id DESC LIMIT 1"
}

# run_killed DELAY_MS ARGS...: start sanigrid ARGS, SIGKILL it after
# DELAY_MS; sets KILLED=1 if it was still running, else checks it exited 0
run_killed()
{
    local delay=$1 pid rc=0
    shift
    "$SG_BIN" "$@" --quiet >"$T/out" 2>"$T/err" &
    pid=$!
    sleep_ms "$delay"
    if kill -9 "$pid" 2>/dev/null; then
        KILLED=1
    else
        KILLED=0
    fi
    { wait "$pid"; } 2>/dev/null || rc=$?
    SG_CHECKS=$((SG_CHECKS + 1))
    if [[ $KILLED -eq 0 || $rc -ne 137 ]]; then
        # finished before the kill: it must have succeeded
        SG_LAST_CMD="sanigrid $*"
        SG_RC=$rc
        [[ $rc -eq 0 ]] || sg_fail "uninterrupted run failed"
        KILLED=0
    fi
}

# wal_bytes DB: bytes in the WAL right after a kill (pages of an
# unfinished transaction, or a committed one not yet checkpointed)
wal_bytes() { stat -c %s "$1-wal" 2>/dev/null || echo 0; }

# ---- import -------------------------------------------------------------------
sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households A.geojson --quiet
hash_A=$(households_hash s.sqlite)
sqlite3 s.sqlite 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp s.sqlite ref.sqlite
t0=$(now_ms)
sg 0 import ref.sqlite households B.geojson --mode replace --quiet
t_import=$(($(now_ms) - t0))
hash_B=$(households_hash ref.sqlite)
[[ $hash_A != "$hash_B" ]] || sg_fail "A and B give the same households"
rm -rf ref.sqlite*  # with ref.sqlite.snapshots/
echo "an uninterrupted import replacing $rows households takes $t_import ms"

# every snapshot kept, to count them: one per replacing import that
# committed, none for one killed before its commit (it changed nothing)
sg 0 config s.sqlite set snapshots.keep 100000
nsnaps() { find s.sqlite.snapshots -maxdepth 1 -name '*.sqlite' 2>/dev/null | wc -l; }
nreplace() {
    sqlite3 s.sqlite "SELECT count(*) FROM runs WHERE command = 'import' AND
                      json_extract(params, '$.mode') = 'replace'"
}
eq "$(nsnaps)" "$(nreplace)" "snapshots before the kills"
start=$SECONDS
killed=0 finished=0 changed=0 midwrite=0 n=0
state=A
while ((n < iters)) && { ((n < min_iters)) || ((SECONDS - start < budget_import)); }; do
    n=$((n + 1))
    next=$([[ $state == A ]] && echo B || echo A)
    delay=$(rand_ms $((t_import * 12 / 10 + 1)))
    run_killed "$delay" import s.sqlite households "$next.geojson" --mode replace
    ((KILLED)) && killed=$((killed + 1)) || finished=$((finished + 1))
    wal=$(wal_bytes s.sqlite)
    integrity s.sqlite "import killed after $delay ms (kill $n)"
    h=$(households_hash s.sqlite)
    if [[ $h == "$hash_A" ]]; then
        new=A
    elif [[ $h == "$hash_B" ]]; then
        new=B
    else
        sg_fail "kill $n after $delay ms: households are neither A nor B" \
            "($(store_count s.sqlite households) rows)"
    fi
    eq "$(basename "$(last_import s.sqlite)")" "$new.geojson" \
        "kill $n: the last import run names the file whose rows are there"
    eq "$(store_count s.sqlite idx_households_geom)" \
        "$(store_count s.sqlite households)" "kill $n: spatial index rows"
    # a change committed just before the kill names its hidden snapshot in
    # the same commit; the store's next open (here `snapshots`) renames it
    sg 0 snapshots s.sqlite --json
    json_ok "len(d['snapshots']) == $(nreplace)"
    eq "$(nsnaps)" "$(nreplace)" "kill $n: snapshots against committed replacing imports"
    [[ $new != "$state" ]] && changed=$((changed + 1))
    [[ $new == "$state" && $wal -gt 0 ]] && midwrite=$((midwrite + 1))
    state=$new
    sg 0 info s.sqlite --json
    json_ok "d['layers']['households']['count'] == $rows"
done
echo "import: $n runs, $killed killed ($midwrite with unfinished pages in the" \
    "WAL), $finished finished; the state changed $changed times"
((killed > 0)) || sg_fail "no import was killed while running"

# ---- check ----------------------------------------------------------------------
sg 0 init g.sqlite --crs EPSG:32632 --quiet
sg 0 import g.sqlite grids grids.geojson --quiet
sg 0 import g.sqlite households B.geojson --quiet
sqlite3 g.sqlite 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
variants=(1 2000) # --sliver-m2

# results_hash DB: the check's result layers ("absent" without them)
results_hash()
{
    local reg
    reg=$(sqlite3 "$1" "SELECT group_concat(name, ',') FROM (SELECT name FROM
                        sg_layers WHERE name IN ('grid_issues', 'grid_gaps',
                        'grid_overlaps') ORDER BY name)")
    if [[ -z $reg ]]; then
        # no layer registered: no table may be left either
        eq "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE name IN
             ('grid_issues', 'grid_gaps', 'grid_overlaps')")" 0 \
            "result tables without their sg_layers rows"
        echo absent
        return
    fi
    eq "$reg" "grid_gaps,grid_issues,grid_overlaps" "registered result layers"
    sqlite3 "$1" ".dump grid_issues grid_gaps grid_overlaps" \
        "SELECT name, kind, geometry_type FROM sg_layers WHERE kind = 'result'" |
        sha256sum | cut -d' ' -f1
}

# last_check DB: --sliver-m2 of the last check run, or "none"
last_check()
{
    local s
    s=$(sqlite3 "$1" "SELECT CAST(json_extract(params, '$.sliver_m2') AS INTEGER)
                      FROM runs WHERE command = 'check'
                      ORDER BY run_id DESC LIMIT 1")
    echo "${s:-none}"
}

declare -A ref
for v in "${variants[@]}"; do
    cp g.sqlite ref.sqlite
    t0=$(now_ms)
    sg 0 check ref.sqlite --sliver-m2 "$v" --quiet
    t_check=$(($(now_ms) - t0))
    ref[$v]=$(results_hash ref.sqlite)
    # a second complete run writes the same (the comparison needs that)
    sg 0 check ref.sqlite --sliver-m2 "$v" --quiet
    eq "$(results_hash ref.sqlite)" "${ref[$v]}" "a repeated check --sliver-m2 $v"
    rm -rf ref.sqlite*
done
[[ ${ref[1]} != "${ref[2000]}" ]] || sg_fail "both --sliver-m2 give the same results"
echo "an uninterrupted check of 900 grids takes $t_check ms"

start=$SECONDS
killed=0 finished=0 n=0
while ((n < iters)) && { ((n < min_iters)) || ((SECONDS - start < budget_check)); }; do
    v=${variants[$((n % 2))]}
    n=$((n + 1))
    before=$(households_hash g.sqlite)
    delay=$(rand_ms $((t_check * 12 / 10 + 1)))
    run_killed "$delay" check g.sqlite --sliver-m2 "$v"
    ((KILLED)) && killed=$((killed + 1)) || finished=$((finished + 1))
    integrity g.sqlite "check killed after $delay ms (kill $n)"
    last=$(last_check g.sqlite)
    got=$(results_hash g.sqlite)
    if [[ $last == none ]]; then
        eq "$got" absent "kill $n: results without a finished check run"
    else
        eq "$got" "${ref[$last]}" \
            "kill $n after $delay ms: results against the last run (--sliver-m2 $last)"
    fi
    eq "$(households_hash g.sqlite)" "$before" "kill $n: households after a check"
done
echo "check: $n runs, $killed killed, $finished finished"
((killed > 0)) || sg_fail "no check was killed while running"
sg 0 info g.sqlite --json
json_ok 'd["layers"]["grids"]["count"] == 900'

sg_done
