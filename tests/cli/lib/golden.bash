#!/usr/bin/env bash
# Golden-file CLI tests (STYLE rule 28): tests/cli/<case>/cmd holds one
# sanigrid command line per line (blank lines and # comments skipped;
# $DATA is tests/data, $CASE the case folder; words are split as bash
# would; a line "@cat FILE" puts a file written by an earlier command
# into the transcript); each runs in a scratch folder, in order. The
# transcript — per
# command "$ sanigrid ARGS", its stdout, its stderr, "[exit N]" — is
# normalised and compared with tests/cli/<case>/expected.out:
#  * JSON lines are parsed and printed again with sorted keys and numbers
#    at 9 significant digits, without volatile keys (seconds, timings,
#    store paths, times);
#  * the scratch folder, the source tree and durations ("1.23 s") are
#    replaced by <T>, <SRC> and <t> s.
# UPDATE_GOLDEN=1 rewrites expected.out instead; review the diff.
#   bash tests/cli/lib/golden.bash tests/cli/<case>
# SPDX-License-Identifier: MIT
set -euo pipefail
CASE=$(cd "$1" && pwd)
SG_TEST_NAME_OVERRIDE=golden_$(basename "$CASE")
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
SG_TEST_NAME=$SG_TEST_NAME_OVERRIDE
sg_setup
DATA=$SG_SOURCE_DIR/tests/data
export CASE DATA

: >transcript.raw
while IFS= read -r line || [[ -n $line ]]; do
    [[ -z ${line// /} || $line == \#* ]] && continue
    if [[ $line == @cat\ * ]]; then
        f=${line#@cat }
        { echo "\$ cat $f"; cat "$f"; echo; } >>transcript.raw
        continue
    fi
    eval "set -- $line"
    {
        printf '$ sanigrid %s\n' "$line"
        set +e
        "$SG_BIN" "$@" >cmd.out 2>cmd.err </dev/null
        rc=$?
        set -e
        cat cmd.out
        [[ -s cmd.err ]] && { echo '--- stderr'; cat cmd.err; }
        echo "[exit $rc]"
    } >>transcript.raw
done <"$CASE/cmd"

"$SG_PYTHON" - "$T" "$SG_SOURCE_DIR" transcript.raw >transcript.out <<'PY'
import json, re, sys
scratch, src = sys.argv[1], sys.argv[2]
VOLATILE = {"seconds", "elapsed_s", "started", "finished", "time", "store",
            "run_id", "created", "timings"}
def norm(v):
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items() if k not in VOLATILE}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, float):
        return float(f"{v:.9g}")
    return v
for line in open(sys.argv[3], encoding="utf-8").read().split("\n"):
    s = line.strip()
    if s.startswith("{") and s.endswith("}"):
        try:
            line = json.dumps(norm(json.loads(s)), sort_keys=True,
                              ensure_ascii=False, indent=1)
        except ValueError:
            pass
    line = line.replace(scratch, "<T>").replace(src, "<SRC>")
    line = re.sub(r"\b\d+(\.\d+)? s\b", "<t> s", line)
    print(line)
PY
if [[ ${UPDATE_GOLDEN:-0} == 1 ]]; then
    cp transcript.out "$CASE/expected.out"
    echo "updated $CASE/expected.out"
    exit 0
fi
[[ -f $CASE/expected.out ]] || sg_fail "no $CASE/expected.out (run with UPDATE_GOLDEN=1)"
if ! diff -u "$CASE/expected.out" transcript.out >golden.diff; then
    head -60 golden.diff >&2
    sg_fail "output differs from $(basename "$CASE")/expected.out"
fi
echo "ok [$SG_TEST_NAME]: transcript matches ($(grep -c '^\$ sanigrid' transcript.out) commands)"
