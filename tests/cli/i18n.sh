#!/usr/bin/env bash
# Messages in Chinese (GNU gettext, po/zh_CN.po):
#  1. scripts/update-po --check: every message of the sources is in the
#     catalogue, translated, not fuzzy, and msgfmt --check accepts it
#     (printf conversions of each translation match its message id);
#  2. the language comes from LANG, and --lang overrides it both ways:
#     `info` on a missing store says so in Chinese (CJK characters on
#     stderr) under LANG=zh_CN.UTF-8 and with --lang zh under LANG=C or
#     LC_ALL=C, in English under LANG=C and with --lang en under
#     LANG=zh_CN.UTF-8; the exit code (3) does not depend on the language;
#  3. the text summaries of `check` and `coverage` on the demo data are in
#     Chinese under --lang zh, hold the same numbers in the same order as
#     the English ones, and keep their label column: the values of the
#     labelled lines start at one display column (a CJK character is 2);
#     --json is the same in both languages.
# Needs the gettext tools (xgettext, msgcmp, msgfmt) for part 1.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# has_cjk FILE: FILE holds a CJK ideograph (U+4E00..U+9FFF) or CJK
# punctuation (U+3000..U+303F, full-width forms U+FF00..U+FFEF).
has_cjk()
{
    "$SG_PYTHON" - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if re.search("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", t) else 1)
PY
}

# the environment of each run: no inherited language settings but ours
clean=(-u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG)

# ---- 1. the catalogue is complete ----------------------------------------------
if ! command -v xgettext >/dev/null || ! command -v msgcmp >/dev/null; then
    sg_fail "the gettext tools (xgettext, msgcmp, msgfmt) are needed"
fi
set +e
"$SG_SOURCE_DIR/scripts/update-po" --check >po.out 2>po.err
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
    cat po.out po.err >&2
    sg_fail "scripts/update-po --check failed (exit $rc)"
fi
# one line per catalogue and only "N translated messages." in it
grep -Eq '^po/zh_CN\.po: [0-9]+ translated messages\.$' po.out ||
    sg_fail "update-po --check: $(cat po.out)"
if grep -Eq 'untranslated|fuzzy' po.out; then
    sg_fail "update-po --check: $(cat po.out)"
fi
n=$(sed -n 's/^po\/zh_CN\.po: \([0-9]*\) translated.*/\1/p' po.out)
[[ $n -ge 600 ]] || sg_fail "only $n translated messages in po/zh_CN.po"
echo "catalogue: $n translated messages"

# ---- 2. LANG, LC_ALL and --lang ------------------------------------------------
missing=$T/nonexistent.sqlite

sg_env 3 "${clean[@]}" LANG=zh_CN.UTF-8 -- info "$missing"
out_empty
has_cjk "$T/err" || sg_fail "LANG=zh_CN.UTF-8: stderr is not Chinese"
err_has "$(sg_store_re "$missing")"
grep -q 'does not exist' "$T/err" && sg_fail "LANG=zh_CN.UTF-8: English on stderr"
cp "$T/err" zh.err

sg_env 3 "${clean[@]}" LANG=C -- info "$missing"
has_cjk "$T/err" && sg_fail "LANG=C: stderr is not English"
err_has "$(sg_store_missing_re "$missing")"
cp "$T/err" en.err

sg_env 3 "${clean[@]}" LANG=zh_CN.UTF-8 -- info "$missing" --lang en
cmp -s "$T/err" en.err || sg_fail "--lang en under LANG=zh_CN.UTF-8 differs from LANG=C"

sg_env 3 "${clean[@]}" LANG=C -- --lang zh info "$missing"
cmp -s "$T/err" zh.err || sg_fail "--lang zh under LANG=C differs from LANG=zh_CN.UTF-8"

sg_env 3 "${clean[@]}" LC_ALL=C LANG=zh_CN.UTF-8 -- info "$missing" --lang zh
cmp -s "$T/err" zh.err || sg_fail "--lang zh under LC_ALL=C differs from LANG=zh_CN.UTF-8"

# LC_ALL comes before LANG
sg_env 3 "${clean[@]}" LC_ALL=C LANG=zh_CN.UTF-8 -- info "$missing"
cmp -s "$T/err" en.err || sg_fail "LC_ALL=C does not win over LANG=zh_CN.UTF-8"

# a usage error (exit 2) in Chinese names the option and its value
sg_env 2 "${clean[@]}" LANG=zh_CN.UTF-8 -- coverage "$missing" --radius abc
has_cjk "$T/err" || sg_fail "usage error is not Chinese"
err_has '--radius'
err_has 'abc'

# ---- 3. text summaries on the demo data ----------------------------------------
demo="$SG_SOURCE_DIR/data/demo"
sg 0 init demo.sqlite --quiet
for layer in divisions grids households points roads; do
    sg 0 import demo.sqlite "$layer" "$demo/$layer.geojson" --quiet
done

# numbers FILE: every number of FILE, one per line, in order; digits that
# are part of a word (m2, EPSG:4545's "EPSG", grid_2) are not numbers.
numbers()
{
    "$SG_PYTHON" - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?(?![A-Za-z0-9_])", t):
    print(m.group())
PY
}

# aligned FILE FIRST LAST: lines FIRST..LAST of FILE are "  LABEL  VALUE"
# lines whose VALUE starts at the same display column (lines indented
# deeper continue the line above and are skipped); prints the column.
aligned()
{
    "$SG_PYTHON" - "$@" <<'PY'
import re, sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
first, last = int(sys.argv[2]), int(sys.argv[3])
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
for line in lines[first - 1:last]:
    if line.startswith("   "):  # a continuation line, no label
        continue
    m = re.match(r"  \S+(?: \S+)*? {2,}|  \S+ +", line)
    if not m:
        sys.exit("not a labelled line: %r" % line)
    cols.add(width(m.group()))
if len(cols) != 1:
    sys.exit("values start at columns %s in lines %d-%d:\n%s" % (
        sorted(cols), first, last, "\n".join(lines[first - 1:last])))
print(cols.pop())
PY
}

# summary NAME ARGS...: run ARGS in English and in Chinese; the Chinese
# one has CJK, the same numbers, and the English one none of it.
summary()
{
    local name=$1
    shift
    sg_env 0 "${clean[@]}" LANG=C -- "$@"
    cp "$T/out" "$name.en"
    sg_env 0 "${clean[@]}" LANG=C -- --lang zh "$@"
    cp "$T/out" "$name.zh"
    has_cjk "$name.zh" || sg_fail "$name: the Chinese summary has no CJK"
    has_cjk "$name.en" && sg_fail "$name: the English summary has CJK"
    numbers "$name.en" >"$name.en.num"
    numbers "$name.zh" >"$name.zh.num"
    [[ -s $name.en.num ]] || sg_fail "$name: no numbers in the summary"
    if ! diff "$name.en.num" "$name.zh.num" >"$name.diff"; then
        paste "$name.en" /dev/null "$name.zh" >&2
        head -n 20 "$name.diff" >&2
        sg_fail "$name: the Chinese summary's numbers differ from the English"
    fi
    eq "$(wc -l <"$name.zh")" "$(wc -l <"$name.en")" "$name: lines of the summary"
    echo "$name: $(wc -l <"$name.en.num") numbers, same in both languages"
}

summary check check demo.sqlite
# "level 1: 15 grids", then 7 labelled lines (gaps .. households)
col=$(aligned check.zh 3 9) || sg_fail "check: Chinese labels not aligned"
eq "$(aligned check.en 3 9)" 14 "check: English value column"
echo "check: Chinese values at column $col"
# the demo's own figures (data/demo/README.md): one gap, two overlaps
grep -Eq '^  空白区 +1（' check.zh || sg_fail "check.zh lacks the gap line"

summary coverage coverage demo.sqlite
# points, households, straight line, along roads, residents (2), blind spots
col=$(aligned coverage.zh 2 8) || sg_fail "coverage: Chinese labels not aligned"
echo "coverage: Chinese values at column $col"

# --json does not depend on the language (seconds aside)
for cmd in check coverage; do
    sg_env 0 "${clean[@]}" LANG=C -- "$cmd" demo.sqlite --json
    sed 's/"seconds":[0-9.e+-]*//' "$T/out" >"$cmd.en.json"
    sg_env 0 "${clean[@]}" LANG=C -- --lang zh "$cmd" demo.sqlite --json
    sed 's/"seconds":[0-9.e+-]*//' "$T/out" >"$cmd.zh.json"
    cmp -s "$cmd.en.json" "$cmd.zh.json" || sg_fail "$cmd --json differs between languages"
done

sg_done
