# Shared helpers for the CLI tests in tests/cli/*.sh. Sourced, not run:
# it lives in lib/ and ends in .bash so the tests/cli/*.sh glob of
# tests/CMakeLists.txt does not pick it up.
#
# Environment (set by ctest, see tests/CMakeLists.txt):
#   SG_BIN          the built sanigrid binary
#   SG_SOURCE_DIR   repository root
#   SG_SHARED_DATA  ../shared/data (real OpenStreetMap data, read-only)
#   SG_TEST_TMP     scratch folder under the build folder
#   SG_TEST_BACKEND sqlite (default) or pg: with pg, sg_setup also starts a
#                   throwaway PostgreSQL cluster (lib/pgcluster.bash; the
#                   test FAILS where it cannot start) and every store path
#                   of the test (an argument ending in .sqlite, see
#                   sg__map_args) stands for a schema of that cluster
#
# Needs bash, python3 (JSON checks), sqlite3, sha256sum and ogrinfo; with
# SG_TEST_BACKEND=pg also PostgreSQL 15 + PostGIS 3 (psql, pg_dump).
#
# A test reads a store through the backend-neutral helpers below
# (store_sql, store_count, store_state, sg_store_exists, sg_store_copy,
# sg_store_rm) and the SQL dialect helpers (sql_fixed, sql_concat,
# sql_json), so one script runs on both backends; a part that tests the
# SQLite file itself sits in `if ! sg_is_pg; then` with a comment naming
# the tests/cli/pg_*.sh that covers PostgreSQL.
# SPDX-License-Identifier: MIT

: "${SG_BIN:?set SG_BIN to the sanigrid binary (run through ctest)}"
: "${SG_SOURCE_DIR:?set SG_SOURCE_DIR to the repository root}"
: "${SG_SHARED_DATA:=$SG_SOURCE_DIR/../shared/data}"
: "${SG_TEST_TMP:=${TMPDIR:-/tmp}}"
export PROJ_NETWORK=OFF

# python3 for the JSON checks: the system's if there is one (a version
# manager's shim can take a second to start), else the first on PATH.
if [[ -z "${SG_PYTHON:-}" ]]; then
    if [[ -x /usr/bin/python3 ]]; then
        SG_PYTHON=/usr/bin/python3
    else
        SG_PYTHON=$(command -v python3) || {
            echo "python3 is needed for the CLI tests" >&2
            exit 1
        }
    fi
fi

SG_TEST_NAME=$(basename "${BASH_SOURCE[1]:-$0}" .sh)
SG_CHECKS=0

# Print a failure with the last command's output and exit 1.
sg_fail()
{
    echo "FAIL [$SG_TEST_NAME]: $*" >&2
    if [[ -n "${SG_LAST_CMD:-}" ]]; then
        echo "  last command: $SG_LAST_CMD (exit $SG_RC)" >&2
        echo "  --- stdout ---" >&2
        head -c 4000 "$T/out" >&2 || true
        echo "  --- stderr ---" >&2
        head -c 4000 "$T/err" >&2 || true
    fi
    echo "  (files kept in $T)" >&2
    exit 1
}

sg__cleanup()
{
    local rc=$?
    if [[ $rc -eq 0 ]]; then
        rm -rf "$T"
    else
        echo "FAIL [$SG_TEST_NAME] (exit $rc; files kept in $T)" >&2
    fi
}

# Make this test's own scratch folder $T; it is removed when the test
# passes and kept for inspection when it fails.
sg_setup()
{
    mkdir -p "$SG_TEST_TMP"
    T=$(mktemp -d "$SG_TEST_TMP/$SG_TEST_NAME.XXXXXX")
    T=$(cd "$T" && pwd)
    : >"$T/out"
    : >"$T/err"
    cd "$T"
    trap sg__cleanup EXIT
    [[ -x "$SG_BIN" ]] || sg_fail "SG_BIN=$SG_BIN is not an executable"
    if sg_is_pg; then
        # its EXIT trap stops the cluster, then runs sg__cleanup
        source "$SG_SOURCE_DIR/tests/cli/lib/pgcluster.bash"
        sg_pg_start
    fi
}

# ---- the store backend ---------------------------------------------------------
SG_TEST_BACKEND=${SG_TEST_BACKEND:-sqlite}
case $SG_TEST_BACKEND in
sqlite | pg) ;;
*)
    echo "SG_TEST_BACKEND is '$SG_TEST_BACKEND', not sqlite or pg" >&2
    exit 1
    ;;
esac

# sg_is_pg: the test runs on the PostgreSQL backend.
sg_is_pg()
{
    [[ $SG_TEST_BACKEND == pg ]]
}

# sg_store_schema PATH: the PostgreSQL schema standing for the store PATH:
# s_<file name>_<8 hex digits of its absolute path>, so one path (relative
# or absolute) is always one schema and two paths are two schemas.
sg_store_schema()
{
    local abs base h
    abs=$(realpath -m -- "$1")
    base=${abs##*/}
    base=${base%.sqlite}
    base=${base,,}
    base=${base//[^a-z0-9]/_}
    h=$(printf '%s' "$abs" | md5sum)
    echo "s_${base:0:24}_${h:0:8}"
}

# sg_store_uri PATH: what sanigrid is given for the store PATH: PATH on
# SpatiaLite, a libpq URI of its schema on PostgreSQL.
sg_store_uri()
{
    if sg_is_pg; then
        echo "$SG_PG_DB?options=-csearch_path%3D$(sg_store_schema "$1")"
    else
        echo "$1"
    fi
}

# sg__map_args ARGS...: the ARGS of one sanigrid run into the array
# SG_MAPPED, the store turned into its PostgreSQL URI when the backend is
# pg. The store is the command's first argument that is no option (every
# command takes its store first, `sanigrid CMD DB ...`), when it ends in
# .sqlite (an argument after an option may be the option's value: the
# next one is looked at then); later arguments (export's output, import's
# source) are left alone, as are the arguments of a wrong order
# (`import households s.sqlite`). The value of --store is mapped too, and
# `demo` without --store gets `--store OUTDIR/demo.sqlite`, the path its
# SpatiaLite run writes.
sg__map_args()
{
    SG_MAPPED=("$@")
    sg_is_pg || return 0
    local i a prev= cmd= found=0 store_seen=0 outdir=demo-out skip=0 n=${#SG_MAPPED[@]}
    for ((i = 0; i < n; i++)); do
        a=${SG_MAPPED[i]}
        if [[ -z $cmd ]]; then
            # (--lang LANG may come before the command)
            if [[ $a == --lang ]]; then
                i=$((i + 1))
            elif [[ $a != -* ]]; then
                cmd=$a
            fi
            continue
        fi
        if [[ $a == --store ]] && ((i + 1 < n)); then
            store_seen=1
            i=$((i + 1))
            [[ ${SG_MAPPED[i]} == *://* ]] ||
                SG_MAPPED[i]=$(sg_store_uri "${SG_MAPPED[i]}")
            continue
        fi
        if [[ $a == --store=* ]]; then
            store_seen=1
            [[ $a == *://* ]] || SG_MAPPED[i]=--store=$(sg_store_uri "${a#--store=}")
            continue
        fi
        if [[ $cmd == demo ]]; then
            # demo's OUTDIR: its first argument that is no option or value
            if ((skip)); then
                skip=0
            elif [[ $a == --data ]]; then
                skip=1
            elif [[ $a != -* ]] && ((!found)); then
                outdir=$a
                found=1
            fi
            continue
        fi
        if ((!found)); then
            if [[ $a == -* ]]; then
                prev=$a
            elif [[ $a == *.sqlite ]]; then
                SG_MAPPED[i]=$(sg_store_uri "$a")
                found=1
            elif [[ $prev == -* && $prev != *=* ]]; then
                prev=$a # the value of option $prev, maybe
            else
                found=1 # the first argument is no store path
            fi
        fi
    done
    if [[ $cmd == demo ]] && ((!store_seen)); then
        SG_MAPPED+=(--store "$(sg_store_uri "$outdir/demo.sqlite")")
    fi
}

# sg_bin ARGS...: run sanigrid with ARGS as sg would (the store mapped to
# the test's backend), for the runs a test makes by hand (in the
# background, with redirections of their own).
sg_bin()
{
    local SG_MAPPED
    sg__map_args "$@"
    "$SG_BIN" "${SG_MAPPED[@]}"
}

# sg EXPECTED_EXIT ARGS...: run sanigrid with ARGS; stdout goes to
# $T/out, stderr to $T/err; fail unless the exit code is exactly
# EXPECTED_EXIT.
sg()
{
    local want=$1 SG_MAPPED
    shift
    sg__map_args "$@"
    SG_LAST_CMD="sanigrid ${SG_MAPPED[*]}"
    set +e
    "$SG_BIN" "${SG_MAPPED[@]}" >"$T/out" 2>"$T/err"
    SG_RC=$?
    set -e
    SG_CHECKS=$((SG_CHECKS + 1))
    [[ $SG_RC -eq $want ]] || sg_fail "expected exit $want, got $SG_RC"
}

# sg_env EXPECTED_EXIT ENV_ARGS... -- ARGS...: as sg, run through env(1)
# with ENV_ARGS (VAR=VALUE or -u VAR), to change the environment
# for this one run.
sg_env()
{
    local want=$1
    shift
    local envs=()
    while [[ $# -gt 0 && $1 != -- ]]; do
        envs+=("$1")
        shift
    done
    shift
    local SG_MAPPED
    sg__map_args "$@"
    SG_LAST_CMD="${envs[*]} sanigrid ${SG_MAPPED[*]}"
    set +e
    env "${envs[@]}" "$SG_BIN" "${SG_MAPPED[@]}" >"$T/out" 2>"$T/err"
    SG_RC=$?
    set -e
    SG_CHECKS=$((SG_CHECKS + 1))
    [[ $SG_RC -eq $want ]] || sg_fail "expected exit $want, got $SG_RC"
}

# err_has REGEX / out_has REGEX: the last stderr / stdout matches
# (grep -E, case-insensitive).
err_has()
{
    grep -Eqi -- "$1" "$T/err" || sg_fail "stderr does not match /$1/"
}
out_has()
{
    grep -Eqi -- "$1" "$T/out" || sg_fail "stdout does not match /$1/"
}
out_empty()
{
    [[ ! -s "$T/out" ]] || sg_fail "stdout is not empty"
}
err_empty()
{
    [[ ! -s "$T/err" ]] || sg_fail "stderr is not empty"
}

# json_ok EXPR...: stdout is exactly one JSON object (one line) and each
# Python expression EXPR is true with the object bound to d.
json_ok()
{
    local lines
    lines=$(wc -l <"$T/out")
    [[ $lines -eq 1 ]] || sg_fail "--json printed $lines lines, not 1"
    "$SG_PYTHON" - "$T/out" "$@" <<'PY' || sg_fail "JSON check failed"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    d = json.loads(text)
except ValueError as e:
    sys.exit("not exactly one JSON value: %s" % e)
if not isinstance(d, dict):
    sys.exit("JSON is a %s, not an object" % type(d).__name__)
for expr in sys.argv[2:]:
    try:
        ok = eval(expr, {"d": d, "json": json})
    except Exception as e:  # a missing key is a failed check
        sys.exit("check %r raised %s: %s\nJSON: %s" % (expr, type(e).__name__, e, text))
    if not ok:
        sys.exit("check %r is false\nJSON: %s" % (expr, text))
PY
}

# file_hash FILE...: sha256 of the files' contents, concatenated.
file_hash()
{
    cat -- "$@" | sha256sum | cut -d' ' -f1
}

# store_state DB: a hash of everything the store holds, to show a failed
# command left it unchanged: on SpatiaLite its SQL dump (read-only); on
# PostgreSQL every table of its schema, by name, with its rows as text in
# sorted order (the two backends' hashes differ: compare a store with
# itself).
store_state()
{
    if sg_is_pg; then
        local schema
        schema=$(sg_store_schema "$1")
        "$SG_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 <<SQL | sha256sum | cut -d' ' -f1
SELECT format('SELECT %L, md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text COLLATE "C"), '''')) FROM %I.%I t',
              tablename, schemaname, tablename)
  FROM pg_tables WHERE schemaname = '$schema' ORDER BY tablename COLLATE "C" \\gexec
SQL
    else
        sqlite3 -readonly "$1" .dump | sha256sum | cut -d' ' -f1
    fi
}

# store_count DB TABLE: rows in TABLE.
store_count()
{
    if sg_is_pg; then
        store_sql "$1" "SELECT count(*) FROM \"$2\""
    else
        sqlite3 -readonly "$1" "SELECT count(*) FROM \"$2\""
    fi
}

# store_sql DB SQL: run SQL (portable between SQLite and PostgreSQL: see
# the sql_* helpers) on the store DB, read-only, and print its rows as
# sqlite3 does (columns separated by |, NULL empty): on SpatiaLite through
# sqlite3 (mod_spatialite loaded when SQL calls it: sg__spatial_sql), on
# PostgreSQL through psql -At with DB's schema first on the search_path.
# Mind how values print: a REAL 30 is 30.0 in SQLite and 30 in
# PostgreSQL, a comparison is 0/1 there and f/t here: compare sql_fixed
# and CAST(... AS INTEGER).
store_sql()
{
    local rc=0
    if sg_is_pg; then
        PGOPTIONS="-c search_path=$(sg_store_schema "$1"),public -c default_transaction_read_only=on" \
            "$SG_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$2" || rc=$?
    elif sg__spatial_sql "$2"; then
        # load_extension prints one empty row first
        sqlite3 -readonly -cmd "SELECT load_extension('mod_spatialite')" "$1" "$2" |
            sed '1{/^$/d}' || rc=$?
    else
        sqlite3 -readonly "$1" "$2" || rc=$?
    fi
    sg__store_rc $rc "$2"
}

# sg__spatial_sql SQL: SQL calls SpatiaLite (an ST_ function, an Mbr
# function, MakePoint, Extent, SpatialIndex, ...): sqlite3 loads
# mod_spatialite for it.
sg__spatial_sql()
{
    local re='(^|[^A-Za-z0-9_])(ST_[A-Za-z0-9_]+|Mbr[A-Za-z]+|MakePoint|BuildCircleMbr|AsText|AsBinary|Transform|GeomFromText|Extent|SpatialIndex)[^A-Za-z0-9_]'
    [[ $1 =~ $re ]]
}

# store_exec DB SQL: run SQL that changes the store DB (a test's planted
# data: UPDATE, DELETE, INSERT), as store_sql but writable.
store_exec()
{
    local rc=0
    if sg_is_pg; then
        PGOPTIONS="-c search_path=$(sg_store_schema "$1"),public" \
            "$SG_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -c "$2" || rc=$?
    elif sg__spatial_sql "$2"; then
        sqlite3 -cmd "SELECT load_extension('mod_spatialite')" "$1" "$2" |
            sed '1{/^$/d}' || rc=$?
    else
        sqlite3 "$1" "$2" || rc=$?
    fi
    sg__store_rc $rc "$2"
}

# sg__store_rc RC SQL: a failed store_sql or store_exec (RC not 0) is
# noted in $T/store_sql.failed, so that sg_done fails the test even where
# the failure happened inside $(...) or <(...) and a check went on with
# empty output; returns RC.
sg__store_rc()
{
    # (141: SIGPIPE, the reader, such as grep -q, stopped early)
    if [[ $1 -ne 0 && $1 -ne 141 ]]; then
        printf 'exit %s: %s\n' "$1" "$2" >>"$T/store_sql.failed"
    fi
    return "$1"
}

# sg_rejects_file DB LAYER: where import writes the rejects of LAYER
# without --rejects: beside the store file (DB.LAYER.rejects.csv); in the
# current folder on PostgreSQL, where the store has no file
# (LAYER.rejects.csv).
sg_rejects_file()
{
    if sg_is_pg; then
        echo "$2.rejects.csv"
    else
        echo "$1.$2.rejects.csv"
    fi
}

# store_columns DB TABLE: the columns of TABLE, one a line, in order.
store_columns()
{
    if sg_is_pg; then
        store_sql "$1" "SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = '$2'
            ORDER BY ordinal_position"
    else
        store_sql "$1" "SELECT name FROM pragma_table_info('$2') ORDER BY cid"
    fi
}

# sg_store_py DB: write $T/sgstore.py, for a python check that reads the
# store DB on either backend (sys.path.insert(0, T); import sgstore):
#   sgstore.rows(SQL)       the rows as lists of strings ('' for NULL),
#                           through sqlite3 or psql (read-only)
#   sgstore.columns(TABLE)  [(name, TYPE)] of TABLE, TYPE upper-case
#                           (TEXT, INTEGER, REAL, ...; text, bigint, double
#                           precision on PostgreSQL, upper-cased)
sg_store_py()
{
    local schema=
    sg_is_pg && schema=$(sg_store_schema "$1")
    cat >"$T/sgstore.py" <<PY
import os, subprocess
BACKEND, DB, SCHEMA, PSQL = "$SG_TEST_BACKEND", $(printf '%s' "$1" | "$SG_PYTHON" -c 'import json, sys; print(json.dumps(sys.stdin.read()))'), "$schema", "${SG_PG_BIN:-}/psql"
SEP = "\x1f"
def rows(sql):
    if BACKEND == "pg":
        env = dict(os.environ, PGOPTIONS="-c search_path=%s,public -c default_transaction_read_only=on" % SCHEMA)
        argv = [PSQL, "-X", "-q", "-At", "-F", SEP, "-v", "ON_ERROR_STOP=1", "-c", sql]
    else:
        env, argv = None, ["sqlite3", "-readonly", "-separator", SEP, DB, sql]
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    return [l.split(SEP) for l in out.split("\n")[:-1]]
def columns(table):
    if BACKEND == "pg":
        q = ("SELECT column_name, upper(data_type) FROM information_schema.columns "
             "WHERE table_schema = current_schema() AND table_name = '%s' ORDER BY ordinal_position" % table)
    else:
        q = "SELECT name, upper(type) FROM pragma_table_info('%s') ORDER BY cid" % table
    return [tuple(r) for r in rows(q)]
PY
}

# sql_fixed EXPR N: SQL printing the number EXPR with N decimals
# (printf('%.Nf') in SQLite).
sql_fixed()
{
    if sg_is_pg; then
        echo "round(CAST($1 AS numeric), $2)"
    else
        echo "printf('%.$2f', $1)"
    fi
}

# sql_concat EXPR [SEP]: SQL joining the values of EXPR into one string,
# SEP (an SQL string literal, default ',') between them (group_concat in
# SQLite, string_agg in PostgreSQL).
sql_concat()
{
    local sep=${2:-"','"}
    if sg_is_pg; then
        echo "string_agg(CAST($1 AS text), $sep)"
    else
        echo "group_concat($1, $sep)"
    fi
}

# sql_max EXPR...: SQL for the largest of the EXPRs (SQLite's scalar max,
# PostgreSQL's greatest).
sql_max()
{
    local IFS=,
    if sg_is_pg; then
        echo "greatest($*)"
    else
        echo "max($*)"
    fi
}

# sql_point X Y SRID: SQL for the point (X, Y) in SRID.
sql_point()
{
    if sg_is_pg; then
        echo "ST_SetSRID(ST_MakePoint($1, $2), $3)"
    else
        echo "MakePoint($1, $2, $3)"
    fi
}

# sql_bound min|max x|y GEOM: SQL for a bound of GEOM's box (MbrMinX,
# ST_XMin, ...).
sql_bound()
{
    if sg_is_pg; then
        echo "ST_${2^}${1^}($3)"
    else
        echo "Mbr${1^}${2^}($3)"
    fi
}

# sql_hex EXPR: SQL for the bytes of EXPR (a geometry's: SpatiaLite's
# blob, PostGIS's EWKB) in upper-case hexadecimal.
sql_hex()
{
    if sg_is_pg; then
        echo "upper(encode(CAST($1 AS bytea), 'hex'))"
    else
        echo "hex($1)"
    fi
}

# sql_json COLUMN KEY: SQL for the member KEY of the JSON text in COLUMN.
sql_json()
{
    if sg_is_pg; then
        echo "(CAST($1 AS json) ->> '$2')"
    else
        echo "json_extract($1, '\$.$2')"
    fi
}

# sg_ogr_store DB: the store DB as GDAL/OGR opens it: the file; on
# PostgreSQL a PG: connection string with its schema active.
sg_ogr_store()
{
    if sg_is_pg; then
        echo "PG:host=$SG_PG_SOCK dbname=sanigrid user=sg_admin active_schema=$(sg_store_schema "$1")"
    else
        echo "$1"
    fi
}

# store_version DB: the store's schema version (PRAGMA user_version; the
# schema_version row of sg_meta on PostgreSQL).
store_version()
{
    if sg_is_pg; then
        store_sql "$1" "SELECT value FROM sg_meta WHERE key = 'schema_version'"
    else
        store_sql "$1" 'PRAGMA user_version'
    fi
}

# store_set_version DB N: make the store DB say it is of schema N (to
# test a migration).
store_set_version()
{
    if sg_is_pg; then
        store_exec "$1" "UPDATE sg_meta SET value = '$2' WHERE key = 'schema_version'"
    else
        store_exec "$1" "PRAGMA user_version = $2"
    fi
}

# sg_store_exists DB: the store DB exists (its file; its schema).
sg_store_exists()
{
    if sg_is_pg; then
        [[ $(sg_pg_psql "SELECT count(*) FROM pg_namespace WHERE nspname = '$(sg_store_schema "$1")'") == 1 ]]
    else
        [[ -e $1 ]]
    fi
}

# sg_store_copy FROM TO: the store TO becomes a copy of the store FROM: cp
# of the file; on PostgreSQL FROM's schema dumped (pg_dump) and restored
# under TO's name, replacing TO's schema.
sg_store_copy()
{
    if sg_is_pg; then
        local from to
        from=$(sg_store_schema "$1")
        to=$(sg_store_schema "$2")
        sg_pg_psql "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $to CASCADE" >/dev/null ||
            sg_fail "cannot drop schema $to"
        # the schema names end in a hash: renaming them as text is safe
        "$SG_PG_BIN/pg_dump" -n "$from" --no-owner |
            sed "s/\b$from\b/$to/g" |
            "$SG_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 >/dev/null ||
            sg_fail "cannot copy schema $from to $to"
    else
        cp -- "$1" "$2"
    fi
}

# sg_store_rm DB: remove the store DB (its file; its schema).
sg_store_rm()
{
    if sg_is_pg; then
        sg_pg_psql "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $(sg_store_schema "$1") CASCADE" >/dev/null ||
            sg_fail "cannot drop the schema of $1"
    else
        rm -f -- "$1"
    fi
}

# ogr_count FILE: the feature count ogrinfo reports for a one-layer file.
ogr_count()
{
    local n
    n=$(ogrinfo -ro -so -al "$1" 2>/dev/null | sed -n 's/^Feature Count: //p' | head -n 1)
    [[ -n "$n" ]] || sg_fail "ogrinfo cannot read $1"
    echo "$n"
}

# sg_re TEXT: TEXT as a grep -E pattern matching it literally (for a store
# name in a message: a PostgreSQL URI holds ? and .).
sg_re()
{
    sed 's/[][\.*^$?+(){}|]/\\&/g' <<<"$1"
}

# sg_store_re DB: a grep -E pattern matching the name of the store DB in
# sanigrid's messages: its path; on PostgreSQL the URI as given (maybe
# quoted) or the connection's key=value description ending in the
# schema, as libpq reports it.
sg_store_re()
{
    if sg_is_pg; then
        local schema
        schema=$(sg_store_schema "$1")
        echo "'?($(sg_re "$(sg_store_uri "$1")")|([a-z_]+=[^ ]* )*options=-csearch_path=$schema)'?"
    else
        sg_re "$1"
    fi
}

# sg_store_missing_re DB: a grep -E pattern of the message saying the
# store DB does not exist.
sg_store_missing_re()
{
    if sg_is_pg; then
        echo "\\(schema $(sg_store_schema "$1")\\) does not exist"
    else
        echo "store $(sg_re "$1") does not exist"
    fi
}

# eq A B WHAT: fail unless A equals B.
eq()
{
    [[ "$1" == "$2" ]] || sg_fail "$3: expected '$2', got '$1'"
}

# sg_done: the closing line of a passing test.
sg_done()
{
    if [[ -s $T/store_sql.failed ]]; then
        SG_LAST_CMD=
        sg_fail "SQL on a store failed: $(head -c 2000 "$T/store_sql.failed")"
    fi
    echo "ok [$SG_TEST_NAME]: $SG_CHECKS sanigrid runs checked"
}
