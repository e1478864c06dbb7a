#!/usr/bin/env bash
# sanigrid demo: builds OUT/demo.sqlite from data/demo and writes every
# layer; each written file has as many features as the demo data and the
# store; every analysis ran once (allocate: every household assigned to
# exactly one cleaner of its village, by SQL on the store; plan: the
# demo's village in 4 grids; site: one new point on a road of the
# village with the lowest share of households covered along roads,
# recomputed from the coverage layer); each result layer exported as
# GeoJSON with its style beside it; a map per theme (7 PNGs) and a report
# with a section per analysis; no personal data (household heads, phones,
# cleaners' and inspectors' names) leaves the store; a second run
# replaces the store.
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
sg_store_exists "$out/demo.sqlite" || sg_fail "no demo.sqlite in $out"
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
# ---- every analysis ran, and its results are in the store and in OUT -------------
# q SQL: one SpatiaLite or PostGIS query on the demo store (read-only)
q()
{
    store_sql "$out/demo.sqlite" "$1"
}
eq "$(q "SELECT $(sql_concat "command || ':' || n" "' '") FROM (SELECT command,
      count(*) AS n FROM runs WHERE command != 'import' GROUP BY 1 ORDER BY 1) AS s")" \
    "allocate:1 check:1 coverage:1 network:1 plan:1 rank:1 route:1 site:1 staffing:1" \
    "analysis runs recorded in the store"
# route: the township's trips from its transfer station P020 serve every
# collection point, along the roads, within capacity and shift
eq "$(q "SELECT depot_id, CAST(stops = served AS INTEGER), CAST(stops = (SELECT count(*) FROM points WHERE kind = 'collection_point') AS INTEGER), plant_id FROM route_summary")" \
    "P020|1|1|P021" "demo route summary"
eq "$(q "SELECT count(*) FROM routes WHERE abs(km - ST_Length(geom) / 1000) > 1e-9 OR load_kg > CAST((SELECT value FROM settings WHERE key = 'route.vehicle.capacity_m3') AS DOUBLE PRECISION) * CAST((SELECT value FROM settings WHERE key = 'waste.bulk_density_kg_m3') AS DOUBLE PRECISION) + 1e-9")" \
    0 "demo trips: lines as long as their legs, loads within capacity"
for f in route_stops.kml routes.kml route_stops.csv map-routes.png; do
    [[ -s $out/$f ]] || sg_fail "demo did not write $f"
done
grep -q '<name>1\. ' "$out/route_stops.kml" || sg_fail "route_stops.kml: no stop named '1. ...'"
results="cleaner_roads cleaner_households service_areas planned_grids site_proposals rankings"
for layer in $results staffing coverage blind_spots grid_gaps grid_overlaps; do
    n=$(store_count "$out/demo.sqlite" "$layer")
    [[ $n -gt 0 ]] || sg_fail "no rows in $layer of demo.sqlite"
    [[ -f $out/$layer.geojson ]] || sg_fail "demo did not write $layer.geojson"
    eq "$(ogr_count "$out/$layer.geojson")" "$n" "features in $layer.geojson vs the store"
done
# the style beside each result layer that has one is the layer's own
for layer in cleaner_roads service_areas planned_grids site_proposals rankings staffing coverage; do
    cmp -s "$out/$layer.sld" "$SG_SOURCE_DIR/styles/$layer.sld" ||
        sg_fail "$layer.sld beside $layer.geojson is not styles/$layer.sld"
done
# allocate: every household of the store assigned to exactly one cleaner,
# of the village it lies in, and that cleaner has a service area there
eq "$(q "SELECT count(*) FROM households h LEFT JOIN cleaner_households c
      USING (household_id) GROUP BY h.household_id HAVING count(c.fid) != 1" | wc -l)" \
    0 "households not assigned to exactly one cleaner"
eq "$(q "SELECT count(*), count(DISTINCT household_id) FROM cleaner_households")" \
    "$(q "SELECT count(*), count(*) FROM households")" "cleaner_households rows"
eq "$(q "SELECT count(*) FROM cleaner_households c JOIN households h USING (household_id)
      JOIN divisions d ON d.division_code = c.division_code
      WHERE d.level != 'admin_village' OR NOT ST_Within(h.geom, d.geom)")" \
    0 "households assigned to a cleaner of another village"
eq "$(q "SELECT count(*) FROM cleaner_households c LEFT JOIN service_areas a
      USING (division_code, cleaner_id) WHERE a.fid IS NULL")" \
    0 "households whose cleaner has no service area"
# cleaners per village: the larger of staffing's required and the existing
eq "$(q "SELECT count(*) FROM service_areas")" \
    "$(q "SELECT sum($(sql_max s.required "(SELECT count(*) FROM cleaners c
          WHERE c.division_code = s.division_code)" 1)) FROM staffing s")" \
    "service areas (one per cleaner)"
# plan: the demo's village (the most households) in 4 grids, coded after it
eq "$(q "SELECT d.division_code FROM divisions d JOIN households h
      ON d.level = 'admin_village' AND ST_Within(h.geom, d.geom)
      GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")" 999001100204 \
    "the village with the most households"
eq "$(q "SELECT $(sql_concat grid_code "' '") FROM (SELECT grid_code
      FROM planned_grids WHERE division_code = '999001100204' ORDER BY 1) AS s")" \
    "999001100204001 999001100204002 999001100204003 999001100204004" \
    "planned_grids"
eq "$(q "SELECT sum(households) FROM planned_grids")" \
    "$(q "SELECT count(*) FROM households h JOIN divisions d
          ON d.division_code = '999001100204' AND ST_Within(h.geom, d.geom)")" \
    "households in the planned grids"
# site: one point, on a road, in the village with the lowest share of
# households covered along roads (ties: more uncovered, lower code)
worst=$(q "SELECT d.division_code FROM divisions d JOIN households h
      ON d.level = 'admin_village' AND ST_Within(h.geom, d.geom)
      JOIN coverage c USING (household_id)
      GROUP BY 1 ORDER BY avg(c.covered_network), sum(1 - c.covered_network) DESC, 1 LIMIT 1")
[[ -n $worst ]] || sg_fail "no worst village from the coverage layer"
eq "$(q "SELECT count(*), sum(CASE WHEN s.division_code = '$worst' THEN 1 ELSE 0 END),
      sum(CASE WHEN s.rank = 1 THEN 1 ELSE 0 END),
      sum(CAST(ST_Within(s.geom, d.geom) AS INTEGER)) FROM site_proposals s
      JOIN divisions d ON d.division_code = '$worst'")" "1|1|1|1" \
    "the site proposal in the worst village $worst"
eq "$(q "SELECT count(*) FROM site_proposals s WHERE NOT EXISTS (SELECT 1
      FROM roads r WHERE ST_Distance(s.geom, r.geom) < 0.01)")" \
    0 "site proposals off the roads"
# the maps: every theme, as PNG at the default size
for theme in grids coverage staffing allocation plan sites ranking; do
    [[ -f $out/map-$theme.png ]] || sg_fail "demo did not write map-$theme.png"
    file "$out/map-$theme.png" | grep -q 'PNG image data, 1600 x 1130' ||
        sg_fail "map-$theme.png: $(file "$out/map-$theme.png")"
done
# the report: a section, a map and a table for each analysis
for theme in grids coverage staffing allocation plan sites ranking; do
    grep -q "<section id=\"$theme\"" "$out/report.html" ||
        sg_fail "report.html has no $theme section"
    grep -q "id=\"t-$theme-1\"" "$out/report.html" ||
        sg_fail "report.html has no $theme table"
done
[[ $(grep -o '<svg' "$out/report.html" | wc -l) -ge 7 ]] || sg_fail "fewer than 7 maps in report.html"
grep -q 'id="conclusion"' "$out/report.html" || sg_fail "report.html has no conclusion"
# the village sheets: a page per administrative village
if command -v pdfinfo >/dev/null 2>&1; then
    want=$(store_sql "$out/demo.sqlite" "SELECT count(*) FROM divisions WHERE level = 'admin_village'")
    eq "$(pdfinfo "$out/sheets.pdf" | sed -n 's/^Pages: *//p')" "$want" "pages of sheets.pdf"
fi

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
grep -qF "$(grep '^138' personal.txt | head -n 1)" <(store_sql "$out/demo.sqlite" \
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
store_exec "$out/demo.sqlite" "DELETE FROM households WHERE fid IN (SELECT fid FROM households LIMIT 5)"
printf 'stale\n' >"$out/households.geojson"
if sg_is_pg; then
    # a store given with --store is never replaced (docs/postgis.md: the
    # schema must be new): refused and untouched; then a new one
    before=$(store_state "$out/demo.sqlite")
    sg_env 1 -u SANIGRID_DATA -- demo "$out" --json
    err_has 'already exists'
    eq "$(store_state "$out/demo.sqlite")" "$before" "the demo schema after a second demo into it"
    sg_store_rm "$out/demo.sqlite"
    store_ok="d['store'] == '$(sg_store_uri "$out/demo.sqlite")'"
else
    store_ok='d["store"].endswith("/demo.sqlite")'
fi
# (this time from the default data folder: the source tree's data/)
sg_env 0 -u SANIGRID_DATA -- demo "$out" --json
json_ok '{"store", "outputs", "imported", "rejected"} <= set(d)' \
    "$store_ok" \
    "d['imported'] == sum(int(l.split()[1]) for l in open('$T/counts.txt'))" \
    'd["rejected"] == 0' \
    'set(o.rsplit("/", 1)[1] for o in d["outputs"]) >= {"divisions.geojson", "grids.geojson", "roads.geojson", "points.geojson", "households.geojson", "cleaners.geojson", "inspections.csv", "grid_gaps.geojson", "grid_overlaps.geojson", "grid_issues.csv", "staffing.geojson", "coverage.geojson", "blind_spots.geojson", "coverage_stats.csv", "network_components.csv", "rankings.geojson", "cleaner_roads.geojson", "cleaner_households.geojson", "service_areas.geojson", "workloads.csv", "allocation_summary.csv", "planned_grids.geojson", "site_proposals.geojson", "report.html", "sheets.pdf"}' \
    'set(o.rsplit("/", 1)[1] for o in d["outputs"]) >= {"map-%s.png" % t for t in ("grids", "coverage", "staffing", "allocation", "plan", "sites", "ranking")}'
check_outputs
eq "$(store_sql "$out/demo.sqlite" "SELECT count(*) FROM runs WHERE command = 'import'")" 8 \
    "import runs in the new store (one per file, none left from the first)"

# ---- errors ------------------------------------------------------------------------
sg 3 demo "$T/nodata" --data "$T/no such dir"
err_has 'demo data not found in .*no such dir/demo'
printf 'x' >"$T/afile"
sg 1 demo "$T/afile/sub" --data "$data"
err_has 'cannot create'
# a step that fails is named before the library's message (the demo is
# the tool's: it prefixes the message itself), in English and Chinese
mkdir -p "$T/part/demo"
cp "$data/demo/divisions.geojson" "$T/part/demo/"
sg 3 demo "$T/partout" --data "$T/part"
err_has '^sanigrid demo: error: demo import of grids: .*part/demo/grids.geojson'
# (a store given with --store, as every PostgreSQL one is, is never
# replaced: the failed run's schema goes first)
if sg_is_pg; then sg_store_rm "$T/partout/demo.sqlite"; fi
sg_env 3 LANG=zh_CN.UTF-8 LC_ALL= -- demo "$T/partout" --data "$T/part"
err_has '^sanigrid demo: 错误: 示例导入 grids: .*part/demo/grids.geojson'

sg_done
