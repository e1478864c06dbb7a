# Shared helpers for the CLI tests in tests/cli/*.sh. Sourced, not run:
# it lives in lib/ and ends in .bash so the tests/cli/*.sh glob of
# tests/CMakeLists.txt does not pick it up.
#
# Environment (set by ctest, see tests/CMakeLists.txt):
#   SG_BIN          the built sanigrid binary
#   SG_SOURCE_DIR   repository root
#   SG_SHARED_DATA  ../shared/data (real OpenStreetMap data, read-only)
#   SG_TEST_TMP     scratch folder under the build folder
#
# Needs bash, python3 (JSON checks), sqlite3, sha256sum and ogrinfo.
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
}

# sg EXPECTED_EXIT ARGS...: run sanigrid with ARGS; stdout goes to
# $T/out, stderr to $T/err; fail unless the exit code is exactly
# EXPECTED_EXIT.
sg()
{
    local want=$1
    shift
    SG_LAST_CMD="sanigrid $*"
    set +e
    "$SG_BIN" "$@" >"$T/out" 2>"$T/err"
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
    SG_LAST_CMD="${envs[*]} sanigrid $*"
    set +e
    env "${envs[@]}" "$SG_BIN" "$@" >"$T/out" 2>"$T/err"
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

# store_state DB: a hash of everything the store holds (its SQL dump,
# read-only), to show a failed command left it unchanged.
store_state()
{
    sqlite3 -readonly "$1" .dump | sha256sum | cut -d' ' -f1
}

# store_count DB TABLE: rows in TABLE.
store_count()
{
    sqlite3 -readonly "$1" "SELECT count(*) FROM \"$2\""
}

# ogr_count FILE: the feature count ogrinfo reports for a one-layer file.
ogr_count()
{
    local n
    n=$(ogrinfo -ro -so -al "$1" 2>/dev/null | sed -n 's/^Feature Count: //p' | head -n 1)
    [[ -n "$n" ]] || sg_fail "ogrinfo cannot read $1"
    echo "$n"
}

# eq A B WHAT: fail unless A equals B.
eq()
{
    [[ "$1" == "$2" ]] || sg_fail "$3: expected '$2', got '$1'"
}

# sg_done: the closing line of a passing test.
sg_done()
{
    echo "ok [$SG_TEST_NAME]: $SG_CHECKS sanigrid runs checked"
}
