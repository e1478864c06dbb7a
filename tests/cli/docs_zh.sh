#!/usr/bin/env bash
# The Chinese help pages, docs/cli/<command>.zh.md (issue 15): every
# command's NAME.md has a NAME.zh.md in the same format (docs/cli/
# README.md); `sanigrid CMD --help` prints its body byte for byte when
# the language is zh (LC_ALL, else LC_MESSAGES, else LANG starting with
# "zh", or --lang zh anywhere on the line) and the English page
# otherwise (LANG=C, --lang en over a zh environment); the command list
# and usage lines follow the language too. Each Chinese page is Chinese
# (Han characters, starts with 用法：sanigrid CMD), documents exactly the
# --options of the English page, keeps every line within 80 display
# columns (a CJK character is 2; no ambiguous-width characters, which
# terminals draw 1 or 2 wide) and its example runs under zh after the
# zh demo example, each on a fresh copy of the demo store.
# The embedding itself (scripts/embed-cli-docs.cmake with src/cli/
# docs.c) is run on a fixture folder: NAME.zh.md is not a command of
# its own, a command without one falls back to English, and a NAME.zh.md
# without NAME.md or with another name: is an error.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

docs=$SG_SOURCE_DIR/docs/cli
EN=(-u LC_ALL -u LC_MESSAGES LANG=C)
ZH=(-u LC_ALL -u LC_MESSAGES LANG=zh_CN.UTF-8)

# ---- the commands, and a Chinese page for every English one -------------
sg_env 0 "${EN[@]}" -- --help
mapfile -t commands < <(sed -n '/^commands:$/,/^$/s/^  \([a-z]\+\) .*/\1/p' "$T/out")
[[ ${#commands[@]} -ge 10 ]] || sg_fail "cannot read the command list: ${commands[*]}"
for f in "$docs"/*.md; do
    c=$(basename "$f" .md)
    [[ $c =~ ^[a-z][a-z0-9-]*$ ]] || continue     # README.md, NAME.zh.md
    [[ -f $docs/$c.zh.md ]] || sg_fail "docs/cli/$c.md has no docs/cli/$c.zh.md"
done
for f in "$docs"/*.zh.md; do
    c=$(basename "$f" .zh.md)
    [[ -f $docs/$c.md ]] || sg_fail "docs/cli/$c.zh.md has no docs/cli/$c.md"
done

# ---- split each page: $T/doc/CMD.LANG.{args,line,example,body} -----------
# (the rule of scripts/embed-cli-docs.cmake, as in tests/cli/docs.sh),
# with the checks that need Unicode: Chinese, widths, the same options
mkdir "$T/doc"
"$SG_PYTHON" - "$docs" "$T/doc" "${commands[@]}" <<'PY' || sg_fail "reading docs/cli"
import os, re, sys, unicodedata
docs, out, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]

def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

def read(c, lang):
    name = c + (".zh.md" if lang == "zh" else ".md")
    def fail(msg):
        sys.exit("docs/cli/%s: %s" % (name, msg))
    text = open(os.path.join(docs, name), "rb").read().decode("utf-8")
    if "\r" in text:
        fail("carriage returns")
    lines = text.split("\n")
    if lines[0] != "---" or "---" not in lines[1:] or lines[-1] != "":
        fail("not '---', header lines, '---', body (ending in a newline)")
    end = lines.index("---", 1)
    header, body = lines[1:end], lines[end + 1:-1]
    meta = {}
    for line in header:
        key, sep, value = line.partition(": ")
        if not sep or key not in ("name", "args", "help", "example"):
            fail("header line %r" % line)
        if value.startswith("'"):
            if len(value) < 2 or not value.endswith("'"):
                fail("unclosed quote in %r" % line)
            value = value[1:-1].replace("''", "'")
        meta.setdefault(key, []).append(value)
    for key in ("name", "args", "help", "example"):
        if len(meta.get(key, [])) != 1 or not meta[key][0]:
            fail("not one %s: line" % key)
    meta = {k: v[0] for k, v in meta.items()}
    if meta["name"] != c:
        fail("name: %s" % meta["name"])
    if len(body) < 3 or body[0] != "```text" or body[-1] != "```":
        fail("the body is not one ```text block up to the last line")
    meta["body"] = body[1:-1]
    meta["first"] = end + 3          # the file's line of the first --help line
    meta["fail"] = fail
    return meta

opt = re.compile(r"--[a-z][a-z0-9-]*")
han = re.compile(r"[\u4e00-\u9fff]")
for c in cmds:
    en, zh = read(c, "en"), read(c, "zh")
    fail = zh["fail"]
    text = "\n".join(zh["body"])
    if not zh["body"][0].startswith("用法：sanigrid %s" % c):
        fail("the --help text does not start with '用法：sanigrid %s'" % c)
    if len(han.findall(text)) < 30 or not han.search(zh["help"]):
        fail("the page or its help: line is hardly Chinese")
    for i, line in enumerate(zh["body"], zh["first"]):
        amb = [ch for ch in line if unicodedata.east_asian_width(ch) == "A"]
        if amb:
            fail("line %d has ambiguous-width %r" % (i, "".join(amb)))
        if width(line) > 80:
            fail("line %d is %d columns wide (80 at most): %s"
                 % (i, width(line), line))
    # the command list prints "  %-8s %s"
    if width("  %-8s %s" % (c, zh["help"])) > 80:
        fail("help: is too long for an 80-column command list")
    en_opts = set(opt.findall("\n".join(en["body"])))
    zh_opts = set(opt.findall(text))
    if en_opts != zh_opts:
        fail("options differ from %s.md: only English %s, only Chinese %s"
             % (c, sorted(en_opts - zh_opts), sorted(zh_opts - en_opts)))
    for o in opt.findall(zh["args"]):
        if o not in zh_opts:
            fail("args: names %s, which its help does not" % o)
    for lang, meta in (("en", en), ("zh", zh)):
        for ext, value in (("args", meta["args"]), ("line", meta["help"]),
                           ("example", meta["example"]),
                           ("body", "\n".join(meta["body"]))):
            with open(os.path.join(out, "%s.%s.%s" % (c, lang, ext)), "w",
                      encoding="utf-8") as f:
                f.write(value + "\n")
PY

# same_as FILE WHAT: stdout is FILE byte for byte
same_as()
{
    cmp -s "$T/out" "$1" || sg_fail "$2 differs from ${1##*/}:
$(diff "$1" "$T/out" | head -n 20)"
}

# ---- which page each language setting prints -----------------------------
for c in "${commands[@]}"; do
    sg_env 0 "${ZH[@]}" -- "$c" --help
    err_empty
    same_as "$T/doc/$c.zh.body" "LANG=zh_CN.UTF-8 sanigrid $c --help"
    sg_env 0 "${EN[@]}" -- "$c" --help
    same_as "$T/doc/$c.en.body" "LANG=C sanigrid $c --help"
    sg_env 0 "${ZH[@]}" -- "$c" --help --lang en
    same_as "$T/doc/$c.en.body" "LANG=zh_CN.UTF-8 sanigrid $c --help --lang en"
    sg_env 0 "${EN[@]}" -- --lang=zh "$c" --help
    same_as "$T/doc/$c.zh.body" "LANG=C sanigrid --lang=zh $c --help"
    # a usage error: its usage line in the language
    sg_env 2 "${ZH[@]}" -- "$c" --no-such-option
    out_empty
    grep -qF -- "sanigrid $c $(<"$T/doc/$c.zh.args")" "$T/err" ||
        sg_fail "a usage error of '$c' under zh does not print its zh args: line"
done
# LC_ALL, then LC_MESSAGES, then LANG; empty ones do not count
sg_env 0 LC_ALL=zh_CN.UTF-8 LC_MESSAGES=C LANG=C -- info --help
same_as "$T/doc/info.zh.body" "LC_ALL=zh_CN.UTF-8 LANG=C"
sg_env 0 LC_ALL=C LANG=zh_CN.UTF-8 -- info --help
same_as "$T/doc/info.en.body" "LC_ALL=C LANG=zh_CN.UTF-8"
sg_env 0 LC_ALL= LC_MESSAGES=zh_CN.UTF-8 LANG=C -- info --help
same_as "$T/doc/info.zh.body" "LC_ALL= LC_MESSAGES=zh_CN.UTF-8 LANG=C"
sg_env 0 LC_ALL= LC_MESSAGES=en_US.UTF-8 LANG=zh_CN.UTF-8 -- info --help
same_as "$T/doc/info.en.body" "LC_MESSAGES=en_US.UTF-8 LANG=zh_CN.UTF-8"
sg_env 0 -u LC_ALL -u LC_MESSAGES -u LANG -- info --help
same_as "$T/doc/info.en.body" "no locale variables"
# the last --lang wins; a bad one is a usage error (but --help still helps)
sg_env 0 "${EN[@]}" -- info --lang en --help --lang zh
same_as "$T/doc/info.zh.body" "--lang en ... --lang zh"
sg_env 2 "${ZH[@]}" -- info x.sqlite --lang fr
err_has '--lang'
sg_env 2 "${ZH[@]}" -- info x.sqlite --lang
sg_env 0 "${ZH[@]}" -- info --lang fr --help
# the command list
sg_env 0 "${ZH[@]}" -- --help
for c in "${commands[@]}"; do
    grep -qxF -- "$(printf '  %-8s %s' "$c" "$(<"$T/doc/$c.zh.line")")" "$T/out" ||
        sg_fail "\`sanigrid --help\` under zh does not list '$c' with its zh help: line"
done
sg_env 0 "${ZH[@]}" -- --lang en --help
for c in "${commands[@]}"; do
    grep -qxF -- "$(printf '  %-8s %s' "$c" "$(<"$T/doc/$c.en.line")")" "$T/out" ||
        sg_fail "\`sanigrid --lang en --help\` does not list '$c' in English"
done

# ---- the Chinese examples run under zh ---------------------------------------
# run_example CMD LINE: run LINE (plain words) under LANG=zh_CN.UTF-8
run_example()
{
    local words
    [[ $2 != *[\'\"\\\$\`\;\&\|\<\>\*\?]* ]] ||
        sg_fail "docs/cli/$1.zh.md: example '$2' needs a shell; keep it to plain words"
    read -ra words <<<"$2"
    [[ ${words[0]} == sanigrid && ${words[1]:-} == "$1" ]] ||
        sg_fail "docs/cli/$1.zh.md: example '$2' is not 'sanigrid $1 ...'"
    sg_env 0 "${ZH[@]}" -- "${words[@]:1}"
}
ln -s "$SG_SOURCE_DIR/data" "$T/data"
run_example demo "$(<"$T/doc/demo.zh.example")"
store=$T/demo-out/demo.sqlite
sg_store_exists "$store" || sg_fail "the zh demo example made no demo-out/demo.sqlite"
# each example on a fresh copy of the demo store (its file, or schema)
if sg_is_pg; then
    sg_store_copy "$store" "$T/pristine.sqlite"
else
    mkdir "$T/pristine"
    for s in "" -wal -shm; do
        [[ ! -e $store$s ]] || cp "$store$s" "$T/pristine/"
    done
fi
for c in "${commands[@]}"; do
    [[ $c == demo ]] && continue
    if sg_is_pg; then
        # snapshots' and restore's examples read the snapshot an earlier
        # example made (delete's, just before them): SQLite keeps it in a
        # folder beside the file, which the copy leaves, PostgreSQL in the
        # schema, which the copy replaces
        [[ $c == snapshots || $c == restore ]] ||
            sg_store_copy "$T/pristine.sqlite" "$store"
    else
        rm -f "$store" "$store-wal" "$store-shm"
        cp "$T/pristine/"* "$T/demo-out/"
    fi
    run_example "$c" "$(<"$T/doc/$c.zh.example")"
done
# the language reaches report (--lang is taken off argv by cli_lang_init)
sg_env 0 "${EN[@]}" -- report "$store" -o zh.html --lang zh --quiet
grep -q '<html lang="zh-CN">' zh.html || sg_fail "report --lang zh under LANG=C is not Chinese"
sg_env 0 "${ZH[@]}" -- report "$store" -o en.html --lang=en --quiet
grep -q '<html lang="en">' en.html || sg_fail "report --lang=en under zh is not English"
sg_env 0 "${ZH[@]}" -- report "$store" -o env.html --quiet
grep -q '<html lang="zh-CN">' env.html || sg_fail "report under LANG=zh_CN is not Chinese"

# ---- the embedding, on a fixture folder --------------------------------------
# page DIR FILE NAME HELP BODY: write DIR/FILE as a page
page()
{
    printf -- '---\nname: %s\nargs: DB [--json]\nhelp: %s\nexample: sanigrid %s\n---\n```text\n%s\n```\n' \
        "$3" "$4" "$3" "$5" >"$1/$2"
}
# embed DIR: run the embedding on $T/DIR into $T/DIR.c (log: $T/DIR.log)
embed()
{
    cmake -DOUT="$T/$1.c" -DDIR="$T/$1" -P "$SG_SOURCE_DIR/scripts/embed-cli-docs.cmake" \
        >"$T/$1.log" 2>&1
}
mkdir fx
page fx alpha.md alpha "alpha in English" "usage: sanigrid alpha"
page fx alpha.zh.md alpha "甲命令" "用法：sanigrid alpha"
page fx beta.md beta "beta in English" "usage: sanigrid beta"
echo "# not a command" >fx/README.md
embed fx || sg_fail "embedding the fixture failed: $(cat "$T/fx.log")"
cat >fx-main.c <<'C'
#include <stdio.h>
#include "cli/cli.h"
static void show(const char *c)
{
    const char *a = cli_doc_args(c);
    printf("%s|%s|%s|%s", c, cli_doc_line(c), a ? a : "(null)",
           cli_doc_help(c));
}
int main(void)
{
    const char *cmds[] = {"alpha", "beta", "alpha.zh"};
    for (int l = 0; l < 2; l++) {
        cli_doc_set_lang(l ? "zh" : "en");
        for (int i = 0; i < 3; i++)
            show(cmds[i]);
    }
    return 0;
}
C
build=$(dirname "$SG_BIN")
${CC:-cc} -std=c11 -I"$SG_SOURCE_DIR/src" -I"$SG_SOURCE_DIR/include" \
    -I"$build/generated" -I"$build/generated/include" -o fx-bin fx-main.c \
    "$SG_SOURCE_DIR/src/cli/docs.c" "$T/fx.c" 2>fx-cc.log ||
    sg_fail "compiling docs.c with the fixture's table: $(cat fx-cc.log)"
./fx-bin >fx.out
cat >fx.want <<'W'
alpha|alpha in English|DB [--json]|usage: sanigrid alpha
beta|beta in English|DB [--json]|usage: sanigrid beta
alpha.zh||(null)|(no docs/cli/ file for this command at build time)
alpha|甲命令|DB [--json]|用法：sanigrid alpha
beta|beta in English|DB [--json]|usage: sanigrid beta
alpha.zh||(null)|（构建时 docs/cli/ 中没有此命令的说明）
W
cmp -s fx.out fx.want || sg_fail "the fixture's table reads wrong:
$(diff fx.want fx.out)"
# a Chinese page without its English one, or naming another command
mkdir fx2
page fx2 gamma.zh.md gamma "丙" "用法：sanigrid gamma"
! embed fx2 || sg_fail "gamma.zh.md without gamma.md was embedded"
tr -s ' \n' '  ' <fx2.log | grep -q 'gamma.zh.md: no gamma.md beside it' || sg_fail "fx2: $(cat fx2.log)"
mkdir fx3
page fx3 delta.md delta "delta" "usage: sanigrid delta"
page fx3 delta.zh.md delta.zh "丁" "用法：sanigrid delta"
! embed fx3 || sg_fail "delta.zh.md with name: delta.zh was embedded"
tr -s ' \n' '  ' <fx3.log | grep -q "name: delta.zh is not the file's name" || sg_fail "fx3: $(cat fx3.log)"

sg_done
