#!/usr/bin/env bash
# docs/cli/<command>.md, one per subcommand (STYLE rule 24): every
# command `sanigrid --help` lists has one and every one is a command;
# `sanigrid CMD --help` prints its body byte for byte, the command list
# its help: line and a usage error its args: line; the example: line of
# each runs (exit 0) from a folder laid out like the repository root (data/)
# after the demo example made demo-out/demo.sqlite, each on a fresh copy
# of that store.
# The files are read here with the rule of scripts/embed-cli-docs.cmake
# (docs/cli/README.md), written a second time in Python so that either
# reading going wrong shows: a header between two lines ---, then the
# --help text as the lines between the ```text line and the last line,
# ```.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

docs=$SG_SOURCE_DIR/docs/cli
[[ -d $docs ]] || sg_fail "no $docs"

# ---- the commands and their files -----------------------------------------
sg 0 --help
mapfile -t commands < <(sed -n '/^commands:$/,/^$/s/^  \([a-z]\+\) .*/\1/p' "$T/out")
[[ ${#commands[@]} -ge 10 ]] || sg_fail "cannot read the command list: ${commands[*]}"
cp "$T/out" "$T/top-help"
for c in "${commands[@]}"; do
    [[ -f $docs/$c.md ]] || sg_fail "'$c' has no docs/cli/$c.md"
done
for f in "$docs"/*.md; do
    c=$(basename "$f" .md)
    [[ $c =~ ^[a-z][a-z0-9-]*$ ]] || continue     # README.md
    [[ " ${commands[*]} " == *" $c "* ]] ||
        sg_fail "docs/cli/$c.md is not a command of \`sanigrid --help\`"
done

# ---- split each file: $T/doc/CMD.{args,line,example,body} ----------------
mkdir "$T/doc"
"$SG_PYTHON" - "$docs" "$T/doc" "${commands[@]}" <<'PY' || sg_fail "reading docs/cli"
import os, sys
docs, out, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    import yaml  # GitHub shows the header as a table only if it is YAML
except ImportError:
    yaml = None
    print("note: no python3 yaml; the headers are not checked as YAML")
for c in cmds:
    path = os.path.join(docs, c + ".md")
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    def fail(msg):
        sys.exit("docs/cli/%s.md: %s" % (c, msg))
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
    if yaml is not None and yaml.safe_load("\n".join(header)) != meta:
        fail("the header reads differently as YAML: %r"
             % yaml.safe_load("\n".join(header)))
    if len(body) < 3 or body[0] != "```text" or body[-1] != "```":
        fail("the body is not one ```text block up to the last line")
    help_lines = body[1:-1]
    if any(l.startswith("```") for l in help_lines):
        fail("a --help line starts with ```")
    for ext, value in (("args", meta["args"]), ("line", meta["help"]),
                       ("example", meta["example"]),
                       ("body", "\n".join(help_lines))):
        with open(os.path.join(out, c + "." + ext), "w", encoding="utf-8") as f:
            f.write(value + "\n")
PY

# ---- --help, the command list and the usage line come from the files -------
for c in "${commands[@]}"; do
    sg 0 "$c" --help
    err_empty
    cmp -s "$T/out" "$T/doc/$c.body" ||
        sg_fail "\`sanigrid $c --help\` differs from docs/cli/$c.md:
$(diff "$T/doc/$c.body" "$T/out" | head -n 20)"
    head -n 1 "$T/out" | grep -q "^usage: sanigrid $c\( \|$\)" ||
        sg_fail "docs/cli/$c.md: the --help text does not start with 'usage: sanigrid $c'"
    line=$(<"$T/doc/$c.line")
    grep -qxF -- "$(printf '  %-8s %s' "$c" "$line")" "$T/top-help" ||
        sg_fail "\`sanigrid --help\` does not list '$c' as '$line'"
    # every option of the synopsis is one the --help text documents
    args=$(<"$T/doc/$c.args")
    for opt in $(grep -Eo -- '--[a-z][a-z0-9-]*' <<<"$args" | sort -u); do
        grep -qF -- "$opt" "$T/doc/$c.body" ||
            sg_fail "docs/cli/$c.md: args: names $opt, which its help does not"
    done
    sg 2 "$c" --no-such-option
    out_empty
    grep -qxF -- "usage: sanigrid $c $args" "$T/err" ||
        sg_fail "a usage error of '$c' does not print its args: line"
    err_has "see \`sanigrid $c --help\`"
done

# ---- the examples -------------------------------------------------------
# run_example CMD LINE: run LINE (words split on blanks, no quoting) with
# the built binary in $T; exit 0 expected
run_example()
{
    local words
    [[ $2 != *[\'\"\\\$\`\;\&\|\<\>\*\?]* ]] ||
        sg_fail "docs/cli/$1.md: example '$2' needs a shell; keep it to plain words"
    read -ra words <<<"$2"
    [[ ${words[0]} == sanigrid && ${words[1]:-} == "$1" ]] ||
        sg_fail "docs/cli/$1.md: example '$2' is not 'sanigrid $1 ...'"
    sg 0 "${words[@]:1}"
}

ln -s "$SG_SOURCE_DIR/data" "$T/data"      # examples may name data/demo/...
run_example demo "$(<"$T/doc/demo.example")"
store=$T/demo-out/demo.sqlite
sg_store_exists "$store" || sg_fail "the demo example made no demo-out/demo.sqlite"
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
    run_example "$c" "$(<"$T/doc/$c.example")"
done

sg_done
