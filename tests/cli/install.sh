#!/usr/bin/env bash
# A library others can link: `cmake --install` of this build into a
# scratch prefix puts down the public headers (with the generated
# version.h and export.h), libsanigrid.so.N (SOVERSION) and libsanigrid.a,
# lib/pkgconfig/sanigrid.pc, the tool, its message catalogues and demo
# data. Then, as a user of the installed tree would:
#  1. the shared library exports exactly the public sg_ functions declared
#     in include/sanigrid/ (no internal sg__ symbol, none missing);
#  2. examples/coverage.c builds with `pkg-config --cflags --libs sanigrid`
#     alone and runs on a demo store built by the installed tool; its
#     counts equal `sanigrid coverage --json` on the same store;
#  3. the tool's own objects (libsanigrid_cli.a) call only that public
#     API, no internal sg__ function, and the demo (the tool's) is not in
#     the library;
#  4. the installed tool finds its demo data and its Chinese catalogue
#     beside itself, and no binary holds a source- or build-tree path.
# Needs cmake, cc, pkg-config and nm (binutils).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup
: "${SG_BUILD_DIR:?set SG_BUILD_DIR to the build folder (run through ctest)}"

P=$T/prefix
cmake --install "$SG_BUILD_DIR" --prefix "$P" >install.log 2>&1 ||
    { cat install.log >&2; sg_fail "cmake --install failed"; }
libdir=$(dirname "$(find "$P" -name sanigrid.pc -path '*/pkgconfig/*')")
libdir=${libdir%/pkgconfig}
[[ -n $libdir ]] || sg_fail "no sanigrid.pc installed"
for f in "$P/include/sanigrid/sanigrid.h" "$P/include/sanigrid/version.h" \
         "$P/include/sanigrid/export.h" "$libdir/libsanigrid.a" \
         "$P/bin/sanigrid" "$P/share/sanigrid/demo/households.geojson" \
         "$P/share/locale/zh_CN/LC_MESSAGES/sanigrid.mo"; do
    [[ -e $f ]] || sg_fail "not installed: ${f#$P/}"
done
so=$(readlink -f "$libdir/libsanigrid.so")
[[ -e $libdir/libsanigrid.so.0 && $so == *libsanigrid.so.0.* ]] ||
    sg_fail "libsanigrid.so is not a link to libsanigrid.so.0.x ($so)"
for h in "$SG_SOURCE_DIR"/include/sanigrid/*.h; do
    cmp -s "$h" "$P/include/sanigrid/$(basename "$h")" ||
        sg_fail "installed $(basename "$h") differs from the source"
done
for h in "$P"/include/sanigrid/*.h; do
    b=$(basename "$h")
    [[ -e $SG_SOURCE_DIR/include/sanigrid/$b || $b == version.h || $b == export.h ]] ||
        sg_fail "installed $b is not a public header of the source"
done

# 1. exported symbols = public declarations
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ {print $3}' |
    grep -v '^_' | sort >exported.txt
grep -v '^sg_[a-z]' exported.txt >leaked.txt || true
[[ ! -s leaked.txt ]] ||
    sg_fail "non-public symbols exported: $(head -5 leaked.txt | tr '\n' ' ')"
"$SG_PYTHON" - "$P/include/sanigrid" >declared.txt <<'PY'
import re, sys, glob
names = set()
for p in glob.glob(sys.argv[1] + '/*.h'):
    for m in re.finditer(r'^SG_API\b[^(;]*?\b(sg_[a-z0-9_]+)\s*\(',
                         open(p).read(), re.M):
        names.add(m.group(1))
print('\n'.join(sorted(names)))
PY
[[ $(wc -l <declared.txt) -gt 150 ]] || sg_fail "too few SG_API declarations"
diff declared.txt exported.txt >sym.diff ||
    sg_fail "exports differ from the SG_API declarations: $(head -8 sym.diff | tr '\n' ' ')"
# and every sg_ function of the static library is a declared one: a public
# name without SG_API would be hidden from users of the shared library
nm --defined-only "$libdir/libsanigrid.a" 2>/dev/null |
    awk '$2 == "T" && $3 ~ /^sg_[a-z]/ {print $3}' | sort -u >static.txt
comm -23 static.txt declared.txt >undeclared.txt
[[ ! -s undeclared.txt ]] ||
    sg_fail "sg_ functions without SG_API: $(head -5 undeclared.txt | tr '\n' ' ')"

# 2. the example against the installed tree only
export PKG_CONFIG_PATH=$libdir/pkgconfig
# (a library built with sanitizers, scripts/sanitize, needs its program
# built with them too: their runtime must come first)
ldd "$so" >soldd.txt
san=()
if grep -q libasan soldd.txt; then san+=(-fsanitize=address); fi
if grep -q libubsan soldd.txt; then san+=(-fsanitize=undefined); fi
cc -std=c11 -Wall -Wextra -Werror "${san[@]}" "$SG_SOURCE_DIR/examples/coverage.c" \
    $(pkg-config --cflags --libs sanigrid) -o coverage-example 2>cc.log ||
    { cat cc.log >&2; sg_fail "examples/coverage.c does not build"; }
LD_LIBRARY_PATH=$libdir ldd coverage-example >ldd.txt
grep -q "libsanigrid.so.0 => $libdir/libsanigrid.so.0" ldd.txt ||
    sg_fail "the example is not linked to the installed shared library"
SG_BIN=$P/bin/sanigrid
sg 0 demo demo-out --quiet
[[ -f demo-out/demo.sqlite ]] || sg_fail "installed demo wrote no store"
LD_LIBRARY_PATH=$libdir ./coverage-example demo-out/demo.sqlite >ex.txt 2>ex.err ||
    sg_fail "the example failed: $(cat ex.txt ex.err | head -20)"
sg 0 coverage demo-out/demo.sqlite --json
read -r hh be bn < <("$SG_PYTHON" -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(j["households"], j["beyond_euclid"], j["beyond_network"])' "$T/out")
grep -Eq "^sanigrid [0-9.]+: $hh households, $be beyond [0-9]+ m \(straight\), $bn along roads$" ex.txt ||
    sg_fail "example printed '$(cat ex.txt)', coverage --json says $hh/$be/$bn"

# 3. the tool drives the public API only (it links libsanigrid.a, which
# holds the internal functions too: its own objects must not call them)
cli_a=$SG_BUILD_DIR/libsanigrid_cli.a
[[ -f $cli_a ]] || sg_fail "no $cli_a"
nm -u "$cli_a" | awk '$1 == "U" {print $2}' | sort -u >cli_undef.txt
grep -q '^sg_ctx_new$' cli_undef.txt || sg_fail "nm found no library call in $cli_a"
grep '^sg__' cli_undef.txt >cli_internal.txt || true
[[ ! -s cli_internal.txt ]] ||
    sg_fail "the tool calls internal functions: $(head -5 cli_internal.txt | tr '\n' ' ')"
if grep -i demo exported.txt; then sg_fail "the library exports the demo"; fi

# 4. found beside itself; nothing of the source or build tree compiled in
sg_env 3 LANG=zh_CN.UTF-8 LC_ALL= -- info no-such.sqlite
"$SG_PYTHON" -c 'import sys; t=open(sys.argv[1],encoding="utf-8").read(); sys.exit(0 if any("\u4e00"<=c<="\u9fff" for c in t) else 1)' "$T/err" ||
    sg_fail "the installed tool did not find its Chinese catalogue"
# (debug information names the source files, as it should: look past it;
# a sanitizer build keeps them in its reports' data, so this part holds
# for the plain build, which the README's test command runs)
[[ ${#san[@]} -eq 0 ]] && for f in "$P/bin/sanigrid" "$so"; do
    objcopy --strip-debug "$f" stripped.bin
    for p in "$SG_SOURCE_DIR" "$SG_BUILD_DIR" "../shared"; do
        if grep -aqF "$p" stripped.bin; then sg_fail "$(basename "$f") holds the path $p"; fi
    done
done
sg_done
