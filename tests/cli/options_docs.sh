#!/usr/bin/env bash
# Each command's option table (src/cli/cmd_*.c, run by cli_run: issue
# 18, "one command skeleton") and its help pages agree, both ways:
# every option of the table (`sanigrid CMD --dump-options`, the common
# --json/--quiet/--verbose the command takes included) is documented in
# docs/cli/CMD.md and docs/cli/CMD.zh.md, with its argument's name (the
# table's help key) and its short form (but -q, which the pages leave
# out), and every --option the two
# pages mention is in the table (--help and --lang excepted: every
# command takes them, before its table). A command not yet on the
# skeleton refuses --dump-options; it must be in PENDING, and a command
# in PENDING must still refuse it (so the list only shrinks).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

docs=$SG_SOURCE_DIR/docs/cli
# commands not converted to cli_run yet (issue 18): empty by the end
PENDING=""
PENDING=" $(echo $PENDING) "

sg 0 --help
mapfile -t commands < <(sed -n '/^commands:$/,/^$/s/^  \([a-z]\+\) .*/\1/p' "$T/out")
[[ ${#commands[@]} -ge 20 ]] || sg_fail "cannot read the command list: ${commands[*]}"

converted=0
for c in "${commands[@]}"; do
    if ! "$SG_BIN" "$c" --dump-options >"$T/opts" 2>"$T/err"; then
        [[ $PENDING == *" $c "* ]] ||
            sg_fail "$c refuses --dump-options but is not listed as pending"
        continue
    fi
    [[ $PENDING != *" $c "* ]] ||
        sg_fail "$c is on the skeleton: take it off PENDING"
    [[ -s $T/opts ]] || sg_fail "$c --dump-options printed nothing"
    converted=$((converted + 1))
    "$SG_PYTHON" - "$c" "$T/opts" "$docs/$c.md" "$docs/$c.zh.md" <<'PY' ||
import re, sys
cmd, opts, pages = sys.argv[1], sys.argv[2], sys.argv[3:]
table = {}
for line in open(opts, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 4 or not f[0].startswith("--"):
        sys.exit(f"{cmd}: bad --dump-options line {line!r}")
    if f[0] in table:
        sys.exit(f"{cmd}: option {f[0]} declared twice")
    table[f[0]] = (f[1], f[2], f[3])
bad = []
for page in pages:
    text = open(page, encoding="utf-8").read()
    name = page.rsplit("/", 1)[-1]
    for opt, (short, kind, key) in sorted(table.items()):
        if not re.search(re.escape(opt) + r"(?![a-z0-9-])", text):
            bad.append(f"{name}: {opt} is in {cmd}'s table, not in the page")
            continue
        if key and not re.search(re.escape(opt) + r"[ =]" + re.escape(key), text):
            bad.append(f"{name}: {opt} is not shown as '{opt} {key}'")
        # -q is an undocumented alias of --quiet, which the pages show
        if short != "-" and opt != "--quiet" and not re.search(r"(?<![\w-])" + re.escape(short) + r"\b", text):
            bad.append(f"{name}: {opt} has the short form {short}, not in the page")
    for opt in sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", text))):
        if opt not in table and opt not in ("--help", "--lang"):
            bad.append(f"{name}: {opt} is in the page, not in {cmd}'s table")
if bad:
    sys.exit("\n".join(bad))
PY
        sg_fail "$c: its option table and docs/cli/$c{,.zh}.md differ"
done
[[ $converted -ge 1 ]] || sg_fail "no command answers --dump-options"
echo "$converted commands on the skeleton"

# a command on the skeleton refuses what its table does not hold and
# names the option in a bad value
sg 2 staffing --per-residents abc x.sqlite
err_has "--per-residents takes a number > 0, got 'abc'"
sg 2 staffing --min-per-village 1.5 x.sqlite
err_has "--min-per-village takes a whole number from 0 to 1000, got '1.5'"
sg 2 staffing --no-such x.sqlite
err_has 'see `sanigrid staffing --help`'
sg 2 staffing
err_has 'give one store path'

sg_done
