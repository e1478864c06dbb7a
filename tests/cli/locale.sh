#!/usr/bin/env bash
# STYLE rule 33: parsing and printing numbers does not depend on the
# locale. The same session (init, import of a CSV with decimal
# coordinates, a decimal setting, info --json, export to CSV and GeoJSON)
# runs under LC_ALL=C and under LC_ALL=de_DE.UTF-8, whose decimal
# separator is a comma; stdout, stderr, the exported files and the
# stored rows must be byte-identical.
# Then every command's --json and every row of `runs` written under
# de_DE.UTF-8 must be JSON (python3 json.loads).
# The de_DE locale is taken from `locale -a` (scripts/install-deps
# generates it); if it is not installed but glibc's localedef and the
# de_DE source are there, it is compiled into the scratch folder
# (LOCPATH). Otherwise the test fails: it never skips.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- find or make a German locale ---------------------------------------------
de=$(locale -a 2>/dev/null | grep -Ei '^de_DE\.utf-?8$' | head -n 1 || true)
locpath=
if [[ -z $de ]] && command -v localedef >/dev/null 2>&1 &&
    mkdir -p "$T/locales" &&
    localedef -i de_DE -f UTF-8 "$T/locales/de_DE.UTF-8" >/dev/null 2>&1; then
    de=de_DE.UTF-8
    locpath=$T/locales
fi
[[ -n $de ]] || sg_fail "no de_DE.UTF-8 locale: run scripts/install-deps"
lenv=(LC_ALL="$de")
[[ -n $locpath ]] && lenv+=(LOCPATH="$locpath")
# the locale really prints a decimal comma (else this test shows nothing)
got=$(env "${lenv[@]}" bash -c 'printf "%.1f" 2,5' 2>/dev/null || true)
[[ $got == "2,5" ]] ||
    sg_fail "the $de locale does not work here (printf gave '$got')"
echo "using locale $de${locpath:+ (compiled into $locpath)}"

cat >hh.csv <<'EOF'
household_id,lon,lat,resident_population,address
L1,9.530125,47.210175,3,Haus 1
L2,9.531250,47.211375,4,Haus 2
L3,9.5325,47.2125,5,Haus 3
L4,"9,5330","47,2130",2,comma decimals: rejected in every locale
EOF

# session DIR ENV...: the same commands in DIR (relative paths, so the
# outputs can be compared byte for byte), each run's exit code, stdout
# and stderr saved as DIR/NN.{rc,out,err}
session()
{
    local dir=$1
    shift
    local n=0 st=s.sqlite path=$dir/s.sqlite
    # on PostgreSQL one schema for both sessions, so that their outputs
    # name the same store
    if sg_is_pg; then
        path=$T/session.sqlite
        st=$(sg_store_uri "$path")
    fi
    mkdir "$dir"
    cp hh.csv "$dir/"
    run()
    {
        n=$((n + 1))
        SG_CHECKS=$((SG_CHECKS + 1))
        set +e
        (cd "$dir" && env "$@" >"$(printf '%02d' $n).out" 2>"$(printf '%02d' $n).err")
        echo $? >"$dir/$(printf '%02d' $n).rc"
        set -e
    }
    run "$@" "$SG_BIN" init "$st" --crs EPSG:32632 --json
    run "$@" "$SG_BIN" import "$st" households hh.csv --json
    run "$@" "$SG_BIN" config "$st" set inspection.sample_share 0.35
    run "$@" "$SG_BIN" config "$st" set waste.kg_per_person_day 0,6
    run "$@" "$SG_BIN" config "$st" get inspection.sample_share --json
    run "$@" "$SG_BIN" config "$st" list --json
    run "$@" "$SG_BIN" info "$st" --json --runs 0
    run "$@" "$SG_BIN" info "$st" --runs 0
    run "$@" "$SG_BIN" export "$st" households out.csv --json
    run "$@" "$SG_BIN" export "$st" households out.geojson --json
    run "$@" "$SG_BIN" export "$st" households out.kml --quiet
    store_sql "$path" \
        "SELECT household_id, resident_population, $(sql_hex geom) FROM households ORDER BY household_id" \
        >"$dir/rows.txt"
    if sg_is_pg; then
        sg_store_rm "$path"
    else
        rm -f "$dir"/s.sqlite*
    fi
}

session c LC_ALL=C
session de "${lenv[@]}"

# the C session itself is right: 3 imported, 1 rejected, decimals kept
eq "$(cat c/02.rc)" 3 "import exit code (one row with comma decimals)"
eq "$(cat c/03.rc)" 0 "config set 0.35"
eq "$(cat c/04.rc)" 2 "config set 0,6 (a comma is not a decimal point)"
grep -q '"value":"0.35"' c/05.out || sg_fail "config get: $(cat c/05.out)"
grep -q '"imported":3' c/02.out || sg_fail "import: $(cat c/02.out)"
grep -q '9\.530125' c/09.out c/out.csv || sg_fail "out.csv lacks lon 9.530125"
grep -Eq '"extent_lonlat":\[9\.53012[0-9]*,47\.210' c/07.out || sg_fail "info extent: $(cat c/07.out)"

# ... and the German session is identical
if ! diff -r c de >diff.txt; then
    head -n 40 diff.txt >&2
    sg_fail "output differs under LC_ALL=$de"
fi
echo "ok: $(find c -type f | wc -l) outputs identical under LC_ALL=C and LC_ALL=$de"

# ---- every command's --json and every runs row under the German locale ------
demo=$SG_SOURCE_DIR/data/demo
sg_env 0 "${lenv[@]}" -- init w.sqlite --json
json_ok '"crs" in d'
for l in divisions grids roads points households cleaners; do
    sg_env 0 "${lenv[@]}" -- import w.sqlite $l "$demo/$l.geojson" --json
    json_ok 'd["imported"] > 0'
done
sg_env 0 "${lenv[@]}" -- config w.sqlite set waste.kg_per_person_day 0.55
sg_env 0 "${lenv[@]}" -- config w.sqlite get waste.kg_per_person_day --json
json_ok 'd["value"] == "0.55"'
sg_env 0 "${lenv[@]}" -- config w.sqlite list --json
json_ok 'd["settings"]["cleaner.per_road_km.village"]["value"] == "0.75"'
sg_env 0 "${lenv[@]}" -- check w.sqlite --json
json_ok 'isinstance(d, dict)'
sg_env 0 "${lenv[@]}" -- network w.sqlite --json
json_ok '0 < d["largest_share"] <= 1'
sg_env 0 "${lenv[@]}" -- coverage w.sqlite --json
json_ok 'd["households"] == 661'
sg_env 0 "${lenv[@]}" -- staffing w.sqlite --json
json_ok 'd["per_road_km_village"] == 0.75' 'd["households"] == 661'
sg_env 0 "${lenv[@]}" -- plan w.sqlite --all --json
json_ok 'd["grids"] > 0'
sg_env 0 "${lenv[@]}" -- allocate w.sqlite --all --json
json_ok 'd["cleaners"] > 0'
sg_env 0 "${lenv[@]}" -- site w.sqlite --add 2 --json
json_ok 'd["method"] in ("exact", "mip-timeout", "greedy+swap", "greedy")'
sg_env 0 "${lenv[@]}" -- rank w.sqlite --json
json_ok 'len(d["units"]) > 0'
sg_env 0 "${lenv[@]}" -- render w.sqlite --theme coverage -o map.png --json
json_ok 'd["width"] > 0'
sg_env 0 "${lenv[@]}" -- export w.sqlite coverage cov.geojson --json
json_ok 'd["features"] == 661'
sg_env 0 "${lenv[@]}" -- info w.sqlite --json --runs 100
json_ok 'len(d["runs"]) >= 14' \
    'all(isinstance(r["params"], dict) and isinstance(r["counts"], dict) for r in d["runs"])'
# the rows themselves, as stored
for col in run_id command params counts; do
    store_sql w.sqlite "SELECT $col FROM runs ORDER BY run_id" >"runs_$col.txt"
done
"$SG_PYTHON" - <<'PY' || sg_fail "a runs row written under $de is not JSON"
import json, sys
col = lambda c: open("runs_%s.txt" % c, encoding="utf-8").read().split("\n")[:-1]
rows = list(zip([int(x) for x in col("run_id")], col("command"), col("params"), col("counts")))
assert len(rows) >= 14, len(rows)
seen = set()
for run_id, command, params, counts in rows:
    for what, text in (("params", params), ("counts", counts)):
        try:
            v = json.loads(text)
        except ValueError as e:
            sys.exit("run %d (%s) %s: %s: %s" % (run_id, command, what, e, text))
        assert isinstance(v, dict), (run_id, what, text)
    seen.add(command)
    if command == "staffing":
        assert json.loads(params)["per_road_km_village"] == 0.75, params
want = {"import", "check", "network", "coverage", "staffing", "plan",
        "allocate", "site", "rank"}
assert want <= seen, want - seen
PY
sg_done
