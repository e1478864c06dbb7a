#!/usr/bin/env bash
# sanigrid demo: builds OUT/demo.sqlite from data/demo and writes every
# layer; each written file has as many features as the demo data and the
# store; no personal data (household heads, phones, cleaners' and
# inspectors' names) leaves the store; a second run replaces the store.
# The expected counts are read from data/demo itself, so the test follows
# the demo data when it is regenerated (scripts/make-demo-data).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

data=$SG_SOURCE_DIR/data
[[ -d $data/demo ]] || sg_fail "no demo data in $data/demo"
out=$T/out\ dir   # a space in the path on purpose

# ---- what data/demo holds, counted independently of sanigrid -----------------
"$SG_PYTHON" - "$data/demo" "$T" <<'PY' || sg_fail "reading data/demo"
import csv, json, os, sys
demo, tmp = sys.argv[1], sys.argv[2]
counts = {}
personal = set()
# personal fields by layer (src/store/layers.c: SG_F_PERSONAL)
fields = {"households": ["household_head", "phone"],
          "grids": ["grid_leader", "phone"],
          "cleaners": ["name", "phone"]}
for layer in ["divisions", "grids", "roads", "points", "households",
              "cleaners"]:
    with open(os.path.join(demo, layer + ".geojson"), encoding="utf-8") as f:
        feats = json.load(f)["features"]
    counts[layer] = len(feats)
    for ft in feats:
        for k in fields.get(layer, []):
            v = ft["properties"].get(k)
            if v not in (None, ""):
                personal.add(str(v))
with open(os.path.join(demo, "inspections.csv"), encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
with open(os.path.join(demo, "inspections_items.csv"), encoding="utf-8") as f:
    items = list(csv.DictReader(f))
counts["inspections"] = len(rows) + len(items)
personal.update(r["inspector"] for r in rows if r.get("inspector"))
personal.update(r["检查人"] for r in items if r.get("检查人"))
# the demo data must hold personal values, or this test proves nothing
assert any(v.startswith("138") for v in personal), "no phone numbers in data/demo"
assert len(personal) > 20, personal
# short values could match by chance inside other text
personal = sorted(v for v in personal if len(v) >= 3)
with open(os.path.join(tmp, "counts.txt"), "w") as f:
    for k, v in counts.items():
        f.write("%s %d\n" % (k, v))
with open(os.path.join(tmp, "personal.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(personal) + "\n")
PY

# ---- the demo run ---------------------------------------------------------------
sg 0 demo "$out" --quiet --data "$data"
[[ -f "$out/demo.sqlite" ]] || sg_fail "no demo.sqlite in $out"
sg 0 info "$out/demo.sqlite" --json
cp "$T/out" info.json

check_outputs()
{
    local layer n file got
    while read -r layer n; do
        [[ $layer == inspections ]] && file=$out/$layer.csv || file=$out/$layer.geojson
        [[ -f $file ]] || sg_fail "demo did not write $file"
        got=$(ogr_count "$file")
        eq "$got" "$n" "features in $layer ($file) vs data/demo"
        eq "$(store_count "$out/demo.sqlite" "$layer")" "$n" "rows of $layer in demo.sqlite"
    done <counts.txt
}
check_outputs
# info agrees with the store
cp info.json "$T/out"
json_ok "all(d['layers'][l]['count'] == n for l, n in (line.split() for line in open('$T/counts.txt')) for n in [int(n)])" \
    'd["crs"] is not None' 'd["crs"].startswith("EPSG:")'
# GeoJSON is RFC 7946: lon/lat in Liechtenstein
"$SG_PYTHON" - "$out/households.geojson" <<'PY' || sg_fail "households.geojson coordinates"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for f in d["features"]:
    x, y = f["geometry"]["coordinates"][:2]
    assert 9.4 < x < 9.7 and 47.0 < y < 47.3, (x, y)
PY

# ---- no personal data outside the store ------------------------------------------
# (grep -F: the values are fixed strings, one a line)
if grep -rlF -f personal.txt --exclude='demo.sqlite*' "$out" >leaks.txt; then
    echo "personal values found in:" >&2
    cat leaks.txt >&2
    grep -rohF -f personal.txt --exclude='demo.sqlite*' "$out" | sort | uniq -c | head >&2
    sg_fail "personal data left the store"
fi
# and the store does hold them (so the grep above can find them at all)
grep -qF "$(grep '^138' personal.txt | head -n 1)" <(sqlite3 -readonly "$out/demo.sqlite" \
    "SELECT phone FROM households UNION ALL SELECT phone FROM cleaners") ||
    sg_fail "demo.sqlite does not hold the phones of data/demo"
for f in "$out"/*; do
    case $f in
    *.geojson) grep -Eq '"(household_head|phone|grid_leader|inspector)"' "$f" &&
        sg_fail "$f has a personal column" ;;
    *.csv) head -n 1 "$f" | grep -Eq '(^|,)"?(household_head|phone|grid_leader|inspector)"?(,|$)' &&
        sg_fail "$f has a personal column" ;;
    esac
done
"$SG_PYTHON" - "$out/cleaners.geojson" <<'PY' || sg_fail "cleaners.geojson has names"
import json, sys
for f in json.load(open(sys.argv[1], encoding="utf-8"))["features"]:
    assert "name" not in f["properties"], f["properties"]
PY

# ---- a second run replaces the store --------------------------------------------
sqlite3 "$out/demo.sqlite" "DELETE FROM households WHERE fid IN (SELECT fid FROM households LIMIT 5)"
printf 'stale\n' >"$out/households.geojson"
# (this time from the default data folder: the source tree's data/)
sg_env 0 -u SANIGRID_DATA -- demo "$out" --json
json_ok '{"store", "outputs", "imported", "rejected"} <= set(d)' \
    'd["store"].endswith("/demo.sqlite")' \
    "d['imported'] == sum(int(l.split()[1]) for l in open('$T/counts.txt'))" \
    'd["rejected"] == 0' \
    'set(o.rsplit("/", 1)[1] for o in d["outputs"]) >= {"divisions.geojson", "grids.geojson", "roads.geojson", "points.geojson", "households.geojson", "cleaners.geojson", "inspections.csv", "grid_gaps.geojson", "grid_overlaps.geojson", "grid_issues.csv", "staffing.geojson", "coverage.geojson", "blind_spots.geojson", "coverage_stats.csv", "network_components.csv", "rankings.geojson"}'
check_outputs
eq "$(sqlite3 -readonly "$out/demo.sqlite" "SELECT count(*) FROM runs WHERE command = 'import'")" 8 \
    "import runs in the new store (one per file, none left from the first)"

# ---- errors ------------------------------------------------------------------------
sg 3 demo "$T/nodata" --data "$T/no such dir"
err_has 'demo data not found in .*no such dir/demo'
printf 'x' >"$T/afile"
sg 1 demo "$T/afile/sub" --data "$data"
err_has 'cannot create'

sg_done
