#!/usr/bin/env bash
# Several offices at once on one PostgreSQL county schema (issue 21): an
# import, two analyses, the ranking and readers started together. Each
# writer waits for the schema's advisory lock (none fails, none corrupts
# another's rows); every result equals what the same command gives when
# run alone; every process is recorded once in runs; readers (info) do
# not fail. Expectations are the sequential runs' answers on the same
# schema, not remembered figures.
# Not checked here, because it does not hold yet (issue 21 stays open for
# it): a reader exporting a result layer at the moment a writer replaces
# it can read it empty — the writer drops and re-creates the table, and
# PostgreSQL's DDL is not MVCC-safe for a statement whose snapshot is older
# than the writer's commit. An export during the writes below saw 0 of 661
# coverage rows in 2 runs of 4.
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
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.inspections")" "$ninsp" \
    "inspections after a replacing import beside the analyses"
sg_done
