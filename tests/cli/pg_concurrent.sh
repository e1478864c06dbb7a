#!/usr/bin/env bash
# Several offices at once on one PostgreSQL county schema (issue 21): an
# import, two analyses, the ranking and readers started together. Each
# writer waits for the schema's advisory lock (none fails, none corrupts
# another's rows); every result equals what the same command gives when
# run alone; every process is recorded once in runs; readers (info) do
# not fail. Expectations are the sequential runs' answers on the same
# schema, not remembered figures.
# Readers export the coverage and blind-spot layers while two coverage runs
# replace them: each export holds a whole layer (every household, the blind
# spots of one run), never an empty or half-written one. (The writer used
# to drop and re-create the table, which a reader whose snapshot predates
# the commit reads empty: 0 of 661 rows in 2 runs of 4. It now replaces the
# rows in place.)
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
sg_setup
sg_pg_start

demo=$SG_SOURCE_DIR/data/demo
schema=county_conc
pgdb="$SG_PG_DB?options=-csearch_path%3D$schema"
sg 0 init "$pgdb" --quiet
for l in divisions grids roads points households cleaners; do
    sg 0 import "$pgdb" "$l" "$demo/$l.geojson" --quiet
done
sg 0 import "$pgdb" inspections "$demo/inspections.csv" --quiet

# ---- alone, one after the other: the answers to compare with -------------
strip() { "$SG_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); [d.pop(k, None) for k in ("store", "seconds", "run_id", "started_at", "sources")]; print(json.dumps(d, sort_keys=True))' "$1"; }
for c in coverage staffing rank; do
    args=()
    [[ $c == coverage ]] && args=(--metric both)
    sg 0 "$c" "$pgdb" "${args[@]}" --json
    strip "$T/out" >"$T/alone_$c.json"
done
runs=$(sg_pg_psql "SELECT count(*) FROM $schema.runs")
hh=$(sg_pg_psql "SELECT count(*) FROM $schema.households")
ninsp=$(sg_pg_psql "SELECT count(*) FROM $schema.inspections")

# ---- together: 2 x coverage, staffing, rank, an import, readers ----------
pids=()
start() { # start NAME ARGS...: a sanigrid process in the background
    local name=$1
    shift
    "$SG_BIN" "$@" >"$T/c_$name.out" 2>"$T/c_$name.err" &
    pids+=("$!:$name")
}
start cov1 coverage "$pgdb" --metric both --json
start staff staffing "$pgdb" --json
# the same inspections again, replacing: whether rank reads them before
# or after, it reads the same rows, never an emptied or half-filled table
start imp import "$pgdb" inspections "$demo/inspections.csv" --mode replace --quiet
start rank rank "$pgdb" --json
start cov2 coverage "$pgdb" --metric both --json
# readers of the layers being replaced, until the writers are done
nread=0
while [[ $nread -eq 0 ]] || kill -0 "${pids[0]%%:*}" 2>/dev/null ||
    kill -0 "${pids[4]%%:*}" 2>/dev/null; do
    for l in coverage blind_spots; do
        "$SG_BIN" export "$pgdb" "$l" "$T/r_$l.$nread.csv" --json \
            >"$T/r_$l.$nread.json" 2>&1 ||
            sg_fail "exporting $l while coverage ran failed: $(cat "$T/r_$l.$nread.json")"
    done
    nread=$((nread + 1))
done
for i in 1 2 3; do
    "$SG_BIN" info "$pgdb" --json >"$T/read$i.out" 2>&1 ||
        sg_fail "a reader failed while the writers ran: $(cat "$T/read$i.out")"
done
for p in "${pids[@]}"; do
    wait "${p%%:*}" || sg_fail "${p#*:} failed beside the others: $(cat "$T/c_${p#*:}.err")"
done
for name in cov1 cov2 staff rank; do
    c=${name%[12]}
    c=${c/cov/coverage}
    c=${c/staff/staffing}
    strip "$T/c_$name.out" >"$T/together_$name.json"
    cmp -s "$T/alone_$c.json" "$T/together_$name.json" ||
        sg_fail "$name beside the others differs from $c alone: $(diff "$T/alone_$c.json" "$T/together_$name.json" | head -5)"
done
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.runs")" "$((runs + 5))" \
    "runs recorded by the five writers, once each"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.coverage")" "$hh" \
    "coverage rows after two coverage runs at once"
spots=$(sg_pg_psql "SELECT count(*) FROM $schema.blind_spots")
[[ $nread -gt 0 ]] || sg_fail "no export ran beside the writers"
for ((i = 0; i < nread; i++)); do
    json_file_ok() { "$SG_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["features"] == int(sys.argv[2]) else "%s features, not %s" % (d["features"], sys.argv[2]))' "$@"; }
    json_file_ok "$T/r_coverage.$i.json" "$hh" ||
        sg_fail "export $i of coverage during the writes: not every household"
    json_file_ok "$T/r_blind_spots.$i.json" "$spots" ||
        sg_fail "export $i of blind_spots during the writes: not one run's blind spots"
done
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.inspections")" "$ninsp" \
    "inspections after a replacing import beside the analyses"

# ---- a result layer replaced in place keeps a new layer's shape ----------
# fids from 1, its GiST index, identity; a table of another shape (an older
# version's layer, a restored snapshot's copy without identity or index)
# is made anew
shape() {
    sg_pg_psql "SELECT min(fid) || '/' || max(fid) || '/' || count(*) || '/' ||
        (SELECT count(*) FROM pg_indexes WHERE schemaname = '$schema' AND
         tablename = '$1' AND indexdef LIKE '%gist%') || '/' ||
        (SELECT attidentity FROM pg_attribute WHERE attrelid = '$schema.$1'::regclass
         AND attname = 'fid')::text FROM $schema.$1"
}
eq "$(shape coverage)" "1/$hh/$hh/0/d" "coverage replaced in place (no spatial index: cov_write.c)"
eq "$(shape blind_spots)" "1/$spots/$spots/1/d" "blind_spots replaced in place"
sg_pg_psql "ALTER TABLE $schema.coverage ADD COLUMN from_an_older_version text"
sg_pg_psql "CREATE TABLE $schema.bs_copy AS SELECT * FROM $schema.blind_spots;
    DROP TABLE $schema.blind_spots; ALTER TABLE $schema.bs_copy RENAME TO blind_spots"
eq "$(shape blind_spots | cut -d/ -f4-)" "0/" "blind_spots copied without index or identity"
sg 0 coverage "$pgdb" --metric both --json
eq "$(shape coverage)" "1/$hh/$hh/0/d" "coverage with an extra column, made anew"
eq "$(sg_pg_psql "SELECT count(*) FROM information_schema.columns WHERE
    table_schema = '$schema' AND column_name = 'from_an_older_version'")" 0 \
    "the older version's column"
eq "$(shape blind_spots)" "1/$spots/$spots/1/d" "blind_spots without identity, made anew"
sg_done
