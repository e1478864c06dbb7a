#!/usr/bin/env bash
# sanigrid render: the grids and coverage maps of the demo store as PNG,
# SVG (valid XML) and PDF (pdfinfo when installed), one division in
# Chinese at another size and resolution; the allocation, plan, sites and
# ranking maps of the demo's real result layers checked by their pixels
# (read back with GDAL) against the styles' colours at points chosen by
# SpatiaLite SQL: each service area in its cleaner's colour, the planned
# grids filled and a village without a plan blank, the proposed point's
# mark with its label, each village (red list by name) in the colour of
# its score class; the cleaners' ids and the planned grids' names read
# back from the same maps as PDF (pdftotext); --json keys, --style overrides,
# the errors and their exit codes; every styles/*.sld valid against the
# subset schema (styles/schema/) and the schema's teeth; export writes the
# layer's style beside a GeoJSON.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- the styles: well-formed, namespaced, valid against the subset ------------
schema=$SG_SOURCE_DIR/styles/schema/sld-subset.xsd
n=0
for f in "$SG_SOURCE_DIR"/styles/*.sld; do
    xmllint --noout --schema "$schema" "$f" 2>"$T/err" ||
        sg_fail "$(basename "$f") is not valid against the SLD subset schema: $(cat "$T/err")"
    grep -q 'xmlns:se="http://www.opengis.net/se"' "$f" ||
        sg_fail "$(basename "$f") lacks the SE namespace"
    n=$((n + 1))
done
[[ $n -ge 18 ]] || sg_fail "only $n styles in styles/"
# the schema rejects what the renderer would reject
sed 's|<se:WellKnownName>circle|<se:WellKnownName>hexagon|' \
    "$SG_SOURCE_DIR/styles/points.sld" >bad-mark.sld
if xmllint --noout --schema "$schema" bad-mark.sld 2>/dev/null; then
    sg_fail "the schema accepts an unknown mark"
fi
sed 's|<ogc:PropertyIsEqualTo>|<ogc:PropertyIsLike>|; s|</ogc:PropertyIsEqualTo>|</ogc:PropertyIsLike>|' \
    "$SG_SOURCE_DIR/styles/roads.sld" >bad-filter.sld
if xmllint --noout --schema "$schema" bad-filter.sld 2>/dev/null; then
    sg_fail "the schema accepts PropertyIsLike"
fi

# ---- the demo store -------------------------------------------------------------
sg 0 demo demo --quiet
db=demo/demo.sqlite

sg 0 render --help
out_has '^usage: sanigrid render'
out_has 'Exit codes'

keys='{"file", "theme", "format", "width", "height", "dpi", "features", "labels", "labels_skipped", "missing_glyphs", "scale_denominator", "crs", "extent", "frame", "aggregated"}'
for theme in grids coverage; do
    sg 0 render "$db" --theme "$theme" -o "$theme.png" --json --date 2026-11-30
    json_ok "set(d) == $keys" "d['theme'] == '$theme'" "d['format'] == 'png'" \
        'd["width"] == 1600 and d["height"] == 1130' 'd["features"] > 100' \
        'd["labels"] >= 5' 'd["missing_glyphs"] == 0' 'd["crs"] == "EPSG:32632"' \
        '20000 < d["scale_denominator"] < 60000' 'len(d["extent"]) == 4' \
        'd["aggregated"] is None'
    file "$theme.png" | grep -q 'PNG image data, 1600 x 1130' ||
        sg_fail "$theme.png: $(file "$theme.png")"
    sg 0 render "$db" --theme "$theme" -o "$theme.svg" --quiet
    out_empty
    xmllint --noout "$theme.svg" 2>"$T/err" || sg_fail "$theme.svg is not well-formed XML: $(head -c 500 "$T/err")"
    grep -q '<svg' "$theme.svg" || sg_fail "$theme.svg has no svg element"
    sg 0 render "$db" --theme "$theme" -o "$theme.pdf" --quiet
    [[ $(head -c 5 "$theme.pdf") == "%PDF-" ]] || sg_fail "$theme.pdf does not start with %PDF-"
    if command -v pdfinfo >/dev/null 2>&1; then
        pdfinfo "$theme.pdf" >"$T/out" 2>"$T/err" || sg_fail "pdfinfo cannot read $theme.pdf: $(cat "$T/err")"
        grep -q '^Pages: *1$' "$T/out" || sg_fail "$theme.pdf is not one page"
        # 1600 x 1130 pixels at 96 dpi = 1200 x 847.5 pt
        grep -q '^Page size: *1200 x 847.5 pts' "$T/out" || sg_fail "$theme.pdf page size: $(grep 'Page size' "$T/out")"
    else
        echo "note: pdfinfo (poppler-utils) not installed; PDF checked by its header only"
    fi
done

# one village, Chinese, another size and resolution
sg 0 render "$db" --theme coverage --division 999001100202 --lang zh \
    --size 1000x800 --dpi 120 -o eschen.png --json
json_ok 'd["width"] == 1000 and d["height"] == 800' 'd["dpi"] == 120' \
    'd["missing_glyphs"] == 0' 'd["labels"] >= 1'
file eschen.png | grep -q 'PNG image data, 1000 x 800' || sg_fail "eschen.png: $(file eschen.png)"
# the division is shown: the extent is about Eschen's, smaller than all
"$SG_PYTHON" - "$T/out" <<'PY' || sg_fail "extent of --division"
import json, sys
d = json.load(open(sys.argv[1]))
w = d["extent"][2] - d["extent"][0]
assert 5000 < w < 12000, w
PY
# --format wins over the extension; LANG=zh_* makes Chinese the default
sg_env 0 LANG=zh_CN.UTF-8 -- render "$db" --theme grids --format svg -o map.out --quiet
grep -q '<svg' map.out || sg_fail "--format svg did not write SVG"

# ---- the analyses' themes on the demo store, checked by their pixels ----------------
# The demo ran allocate, plan, site and rank, so their themes draw real
# layers. Expected colours come from the styles (named below) and from
# SQL on the store; pixels are read back by GDAL (gdallocationinfo), not
# by cairo; a world point (working CRS) goes to its pixel through the
# extent and frame that --json reports, as in tests/unit/test_render.c.

# q SQL: one SpatiaLite or PostGIS query on the demo store (read-only)
q()
{
    store_sql "$db" "$1"
}
# near ALIAS TABLE X Y POINT: SQL keeping the rows ALIAS of TABLE whose
# box comes within 40 m of the point (X, Y) (POINT, as geometry): through
# SpatiaLite's SpatialIndex, or PostGIS's && on the GiST index
near()
{
    if sg_is_pg; then
        echo "$1.geom && ST_Expand($5, 40)"
    else
        echo "$1.rowid IN (SELECT rowid FROM SpatialIndex
          WHERE f_table_name = '$2' AND search_frame = BuildCircleMbr($3, $4, 40))"
    fi
}
# xy X Y: SQL printing "X Y" with 2 decimals
xy() { echo "$(sql_fixed "$1" 2) || ' ' || $(sql_fixed "$2" 2)"; }

# lattice LAYER KEY COLOUR [WHERE [STEP [OUTLINES]]]: points every STEP
# (100) m inside the polygons of LAYER (rows matching WHERE), at least
# 40 m inside their outline, 40 m from any road and from the outline of
# every polygon of layer OUTLINES (if given), and 100 m from any cleaner
# (star marks): there only the polygon's fill lies over the map's
# background. One line per point: "KEY|X Y|COLOUR" with the SQL
# expressions KEY and COLOUR of the polygon's row (alias f).
lattice()
{
    local layer=$1 key=$2 colour=$3 where=${4:-1 = 1} step=${5:-100} outlines=${6:-}
    local outline_sql= p
    [[ $where != 1 ]] || where="1 = 1"
    p=$(sql_point x y srid)
    [[ -z $outlines ]] || outline_sql="AND NOT EXISTS (SELECT 1 FROM \"$outlines\" o
          WHERE $(near o "$outlines" x y "$p")
          AND ST_Distance(ST_Boundary(o.geom), $p) < 40)"
    # one polygon's points after another: SpatiaLite keeps the polygon
    # of the last ST_Within prepared
    q "WITH RECURSIVE
      f AS MATERIALIZED (SELECT fid, $key AS key, $colour AS colour,
          ST_Buffer(geom, -40) AS g, $(sql_bound min x geom) AS x0, $(sql_bound min y geom) AS y0,
          $(sql_bound max x geom) AS x1, $(sql_bound max y geom) AS y1, ST_SRID(geom) AS srid
          FROM \"$layer\" f WHERE $where),
      xs(fid, x) AS (SELECT fid, x0 + $step / 2.0 FROM f
          UNION ALL SELECT fid, x + $step FROM xs JOIN f USING (fid) WHERE x + $step < x1),
      ys(fid, y) AS (SELECT fid, y0 + $step / 2.0 FROM f
          UNION ALL SELECT fid, y + $step FROM ys JOIN f USING (fid) WHERE y + $step < y1),
      pts AS MATERIALIZED (SELECT fid, x, y FROM xs JOIN ys USING (fid))
      SELECT key || '|' || $(xy x y) || '|' || colour
      FROM pts JOIN f USING (fid)
      WHERE ST_Within($p, g)
      AND NOT EXISTS (SELECT 1 FROM roads r WHERE $(near r roads x y "$p")
          AND ST_Distance(r.geom, $p) < 40)
      AND NOT EXISTS (SELECT 1 FROM cleaners c
          WHERE ST_Distance(c.geom, $p) < 100)
      $outline_sql
      ORDER BY fid, x, y"
}

cat >px.py <<'PY'
# px.py fill PNG JSON SAMPLES ALPHA MIN_SHARE MIN_KEY_SHARE
#   SAMPLES: lines "KEY|X Y|#RRGGBB" from lattice. Each pixel should be
#   the colour at opacity ALPHA over the frame's background #fbfaf6
#   (src/render/map.c), within 3 per channel. Labels (text and halos),
#   the scale bar and the north arrow cover some points, so: at least
#   MIN_SHARE of all points, at least MIN_KEY_SHARE of the points of
#   each key with 10 or more, and (the real test of the colours) no point
#   showing the colour expected of another key's fill (unless a grey).
# px.py outline PNG JSON SAMPLES #RRGGBB
#   SAMPLES: lines "UNIT|NEIGHBOUR|XO YO|XI YI" (below): no pixel at O
#   (just outside a unit) in the colour (within 60 per channel), at least
#   70 % of those at I (just inside) in it.
# px.py marker PNG JSON X Y #RRGGBB
#   A point mark drawn at world point (X, Y): its fill colour at 7 px in
#   8 directions, at least 6 of them, and white (the label) at its middle.
import json, subprocess, sys
from collections import defaultdict

def pixels(png, coords):
    out = subprocess.run(["gdallocationinfo", "-valonly", png],
                         input="".join("%d %d\n" % c for c in coords),
                         capture_output=True, text=True, check=True).stdout.split()
    assert len(out) == 3 * len(coords), (len(out), len(coords))
    return [tuple(int(v) for v in out[3 * i:3 * i + 3]) for i in range(len(coords))]

def to_pixel(d, x, y):
    ext, fr = d["extent"], d["frame"]
    px = fr[0] + (x - ext[0]) * fr[2] / (ext[2] - ext[0])
    py = fr[1] + (ext[3] - y) * fr[3] / (ext[3] - ext[1])
    return int(px), int(py)

def rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))

def near(a, b, tol=3):
    return all(abs(x - y) <= tol for x, y in zip(a, b))

mode, png, js = sys.argv[1:4]
d = json.load(open(js))
fr = d["frame"]
if mode == "fill":
    samples, alpha = sys.argv[4], float(sys.argv[5])
    min_share, min_key = float(sys.argv[6]), float(sys.argv[7])
    bg = rgb("#fbfaf6")
    pts = []
    for line in open(samples):
        key, xy, colour = line.rstrip("\n").split("|")
        px, py = to_pixel(d, *map(float, xy.split()))
        if fr[0] + 2 <= px < fr[0] + fr[2] - 2 and fr[1] + 2 <= py < fr[1] + fr[3] - 2:
            want = tuple(round(alpha * f + (1 - alpha) * b) for f, b in zip(rgb(colour), bg))
            pts.append((key, px, py, want))
    assert len(pts) >= 20, "only %d sample points" % len(pts)
    got = pixels(png, [(p[1], p[2]) for p in pts])
    # greys are left out: label halos and text fade through them
    others = {p[3] for p in pts if max(p[3]) - min(p[3]) > 8}
    per = defaultdict(lambda: [0, 0])
    wrong = []
    for (key, px, py, want), g in zip(pts, got):
        per[key][0] += near(g, want)
        per[key][1] += 1
        if not near(g, want) and any(near(g, o) for o in others if o != want):
            wrong.append((key, px, py, g, want))
    good = sum(v[0] for v in per.values())
    print("%d of %d points, %d keys" % (good, len(pts), len(per)))
    assert not wrong, "another feature's colour at %s" % wrong[:5]
    assert good >= min_share * len(pts), "only %d of %d points have their colour" % (good, len(pts))
    low = [(k, v) for k, v in per.items() if v[1] >= 10 and v[0] < min_key * v[1]]
    assert not low, "features drawn in another colour: %s" % low[:5]
    # the keys that must be there (arguments after the thresholds)
    for k in sys.argv[8:]:
        assert k in per and per[k][1] >= 3 and per[k][0] >= min_key * per[k][1], \
            "feature %s: %s" % (k, per.get(k))
elif mode == "outline":
    # SAMPLES: lines "UNIT|NEIGHBOUR|XO YO|XI YI": O just outside the
    # unit (in its neighbour), I just inside it. The unit's outline
    # (#RRGGBB) lies inside it: I in its colour, O never.
    colour = rgb(sys.argv[5])
    pts = []
    for line in open(sys.argv[4]):
        unit, nb, o, i = line.rstrip("\n").split("|")
        pts.append((unit, nb, to_pixel(d, *map(float, o.split())), to_pixel(d, *map(float, i.split()))))
    assert len(pts) >= 10, "only %d sample points" % len(pts)
    got = pixels(png, [p[2] for p in pts] + [p[3] for p in pts])
    def reddish(g):
        return near(g, colour, 60)
    bleed = [(p[0], p[1], p[2], g) for p, g in zip(pts, got) if reddish(g)]
    inside = sum(reddish(g) for g in got[len(pts):])
    print("%d of %d pixels outside in the outline's colour, %d inside" % (len(bleed), len(pts), inside))
    assert not bleed, "the outline covers the neighbour at %s" % bleed[:5]
    assert inside >= 0.7 * len(pts), "the outline is missing inside: %d of %d" % (inside, len(pts))
else:
    x, y, colour = float(sys.argv[4]), float(sys.argv[5]), rgb(sys.argv[6])
    cx, cy = to_pixel(d, x, y)
    ring = [(cx + dx, cy + dy) for dx, dy in ((7, 0), (-7, 0), (0, 7), (0, -7),
                                             (5, 5), (5, -5), (-5, 5), (-5, -5))]
    middle = [(cx + dx, cy + dy) for dx in range(-3, 4) for dy in range(-5, 6)]
    got = pixels(png, ring + middle)
    fill = sum(near(g, colour) for g in got[:len(ring)])
    white = sum(min(g) >= 240 for g in got[len(ring):])
    print("mark at pixel %d,%d: %d of 8 fill pixels, %d white" % (cx, cy, fill, white))
    assert fill >= 6, "the mark's fill is missing at pixel %d,%d: %s" % (cx, cy, got[:len(ring)])
    assert white >= 5, "no label in the mark at pixel %d,%d" % (cx, cy)
PY

# px_render THEME: render THEME of the demo store as THEME.png and keep
# its --json (extent, frame) in THEME.json
px_render()
{
    sg 0 render "$db" --theme "$1" -o "$1.png" --json --date 2026-11-30 --lang en
    json_ok "d['theme'] == '$1'" 'd["missing_glyphs"] == 0' 'd["labels"] >= 1'
    cp "$T/out" "$1.json"
}

# labels_drawn THEME WANT...: the same map as PDF; each label WANT (one
# argument each, repeats allowed) found in its text (pdftotext) as whole
# words counts once per occurrence; fail unless at least as many are
# found as WANTs minus the labels the map skipped (collisions, --json
# labels_skipped, which counts every layer's).
labels_drawn()
{
    local theme=$1 skipped found=0 w
    shift
    if ! command -v pdftotext >/dev/null 2>&1; then
        echo "note: pdftotext (poppler-utils) not installed; $theme labels not read back"
        return 0
    fi
    sg 0 render "$db" --theme "$theme" -o "$theme.pdf" --json --date 2026-11-30 --lang en
    skipped=$("$SG_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["labels_skipped"])' "$T/out")
    pdftotext "$theme.pdf" "$theme.txt" || sg_fail "pdftotext cannot read $theme.pdf"
    while IFS= read -r w; do
        found=$((found + $({ grep -owF -- "$w" "$theme.txt" || true; } | wc -l)))
    done < <(printf '%s\n' "$@" | sort -u)
    [[ $found -ge $(($# - skipped)) ]] ||
        sg_fail "$theme: $found of $# labels drawn, $skipped skipped"
}

# allocation: each service area in the colour of its color_class (written
# by allocate) from styles/service_areas.sld (Set2 at 0.55 opacity)
px_render allocation
json_ok 'd["features"] > 83 * 2'
lattice service_areas "f.division_code || '/' || f.cleaner_id" \
    "CASE f.color_class WHEN 0 THEN '#66c2a5' WHEN 1 THEN '#fc8d62'
      WHEN 2 THEN '#8da0cb' WHEN 3 THEN '#e78ac3' WHEN 4 THEN '#a6d854'
      WHEN 5 THEN '#ffd92f' WHEN 6 THEN '#e5c494' ELSE '#b3b3b3' END" \
    >allocation.txt
[[ $(cut -d'|' -f3 allocation.txt | sort -u | wc -l) -ge 4 ]] ||
    sg_fail "the allocation samples cover fewer than 4 colours"
"$SG_PYTHON" px.py fill allocation.png allocation.json allocation.txt 0.55 0.75 0.5 ||
    sg_fail "allocation.png: service areas not in their colours"
# each service area labelled with its cleaner's id
# shellcheck disable=SC2046 # one argument per service area
labels_drawn allocation $(q "SELECT cleaner_id FROM service_areas")
# a store written before allocate wrote color_class: the map derives it
# (the rank of cleaner_id among the layer's distinct ids, modulo 8)
sg_store_copy "$db" old.sqlite
store_exec old.sqlite "ALTER TABLE service_areas DROP COLUMN color_class;
    ALTER TABLE cleaner_roads DROP COLUMN color_class"
new_db=$db
db=old.sqlite
px_render allocation
lattice service_areas "f.division_code || '/' || f.cleaner_id" \
    "(SELECT CASE (n - 1) % 8 WHEN 0 THEN '#66c2a5' WHEN 1 THEN '#fc8d62'
      WHEN 2 THEN '#8da0cb' WHEN 3 THEN '#e78ac3' WHEN 4 THEN '#a6d854'
      WHEN 5 THEN '#ffd92f' WHEN 6 THEN '#e5c494' ELSE '#b3b3b3' END
      FROM (SELECT cleaner_id, row_number() OVER (ORDER BY cleaner_id) AS n
            FROM (SELECT DISTINCT cleaner_id FROM service_areas) AS d) c
      WHERE c.cleaner_id = f.cleaner_id)" >allocation-old.txt
"$SG_PYTHON" px.py fill allocation.png allocation.json allocation-old.txt 0.55 0.75 0.5 ||
    sg_fail "allocation.png (no color_class): service areas not in their derived colours"
db=$new_db

# plan: the proposed grids' fill (styles/planned_grids.sld: #ffe0b2 at
# 0.6) inside each of the 4 grids of the demo's village, and their labels
px_render plan
lattice planned_grids "f.grid_code" "'#ffe0b2'" 1 50 grids >plan.txt
"$SG_PYTHON" px.py fill plan.png plan.json plan.txt 0.6 0.75 0.5 \
    999001100204001 999001100204002 999001100204003 999001100204004 ||
    sg_fail "plan.png: planned grids not filled"
mapfile -t names < <(q "SELECT name FROM planned_grids")
labels_drawn plan "${names[@]}"
for n in "${names[@]}"; do
    grep -qF -- "$n" plan.txt || sg_fail "plan: planned grid '$n' has no label"
done
# ...framed on the planned grids (one village), not on the township:
# the extent shown holds them, and along one side it is at most 1.2
# times theirs (the layout adds 4 % each side, the other side follows
# the frame's shape); every planned grid labelled (above, none skipped)
q "SELECT min($(sql_bound min x geom)), min($(sql_bound min y geom)), max($(sql_bound max x geom)), max($(sql_bound max y geom)) FROM planned_grids" >plan_bbox.txt
"$SG_PYTHON" - plan.json plan_bbox.txt <<'PY' || sg_fail "plan.png is not framed on the planned grids"
import json, sys
ex = json.load(open(sys.argv[1]))["extent"]
x0, y0, x1, y1 = map(float, open(sys.argv[2]).read().strip().split("|"))
assert ex[0] <= x0 and ex[1] <= y0 and ex[2] >= x1 and ex[3] >= y1, (ex, x0, y0, x1, y1)
assert min((ex[2] - ex[0]) / (x1 - x0), (ex[3] - ex[1]) / (y1 - y0)) <= 1.2, (ex, x0, y0, x1, y1)
PY

# sites: the proposal's mark (styles/site_proposals.sld: #c62828 circle,
# its rank in white)
px_render sites
eq "$(q "SELECT count(*) FROM site_proposals")" 1 "site proposals in the demo"
IFS='|' read -r sx sy < <(q "SELECT ST_X(geom), ST_Y(geom) FROM site_proposals WHERE rank = 1")
"$SG_PYTHON" px.py marker sites.png sites.json "$sx" "$sy" '#c62828' ||
    sg_fail "sites.png: no mark at the proposed point"

# ranking: each village in the colour of its score class
# (styles/rankings.sld, opaque), the red-list villages by name
px_render ranking
lattice rankings "f.unit_code || ':' || coalesce(f.tier, '')" \
    "CASE WHEN f.score >= 90 THEN '#1a9850' WHEN f.score >= 80 THEN '#91cf60'
      WHEN f.score >= 70 THEN '#d9ef8b' WHEN f.score >= 60 THEN '#fee08b'
      ELSE '#fc8d59' END" >ranking.txt
red=$(q "SELECT $(sql_concat "unit_code || ':red'" "' '") FROM rankings WHERE tier = 'red'")
[[ -n $red ]] || sg_fail "no red-list village in the demo's rankings"
[[ $(cut -d'|' -f3 ranking.txt | sort -u | wc -l) -ge 2 ]] ||
    sg_fail "the demo's villages fall in one score class: the choropleth shows nothing"
# shellcheck disable=SC2086 # one argument per red-list village
"$SG_PYTHON" px.py fill ranking.png ranking.json ranking.txt 1 0.75 0.5 $red ||
    sg_fail "ranking.png: villages not in their score class colour"

# ...the red list's outline (styles/rankings.sld: #d50000, 4 px, offset
# -2: from the edge 4 px inwards) lies inside the unit: points on each
# boundary a red-list village shares with a village not on it (SQL,
# away from roads), 1.5 px into the neighbour and 2.5 px into the
# unit, by the scale the map reports
mpp=$("$SG_PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print((d["extent"][2] - d["extent"][0]) / d["frame"][2])' ranking.json)
q "WITH RECURSIVE
  pairs AS MATERIALIZED (SELECT r.division_code AS rc, n.division_code AS nc,
      ST_LineMerge(ST_Intersection(ST_Boundary(r.geom), ST_Boundary(n.geom))) AS shared,
      ST_Boundary(ST_Buffer(n.geom, -1.5 * $mpp)) AS nin,
      ST_Boundary(ST_Buffer(r.geom, -2.5 * $mpp)) AS rin
    FROM rankings k JOIN divisions r ON r.division_code = k.unit_code
    JOIN rankings kn ON kn.unit_code <> k.unit_code AND coalesce(kn.tier, '') <> 'red'
    JOIN divisions n ON n.division_code = kn.unit_code
    WHERE k.tier = 'red' AND ST_Intersects(r.geom, n.geom)),
  parts(rc, nc, i, line) AS (SELECT rc, nc, 1, ST_GeometryN(shared, 1) FROM pairs
      WHERE shared IS NOT NULL
    UNION ALL SELECT p.rc, p.nc, i + 1, ST_GeometryN(s.shared, i + 1)
      FROM parts p JOIN pairs s USING (rc, nc) WHERE i < ST_NumGeometries(s.shared)),
  fr(f) AS (SELECT 0.05 UNION ALL SELECT f + 0.1 FROM fr WHERE f < 0.9),
  pts AS MATERIALIZED (SELECT rc, nc, $(if sg_is_pg; then echo ST_LineInterpolatePoint; else echo ST_Line_Interpolate_Point; fi)(line, f) AS p
      FROM parts, fr WHERE ST_Length(line) > 200)
  SELECT rc || '|' || nc || '|' || $(xy "ST_X(o)" "ST_Y(o)") || '|'
      || $(xy "ST_X(i)" "ST_Y(i)")
  FROM (SELECT rc, nc, p, ST_ClosestPoint(nin, p) AS o, ST_ClosestPoint(rin, p) AS i
        FROM pts JOIN pairs USING (rc, nc)) AS s
  WHERE NOT EXISTS (SELECT 1 FROM roads r WHERE $(near r roads "ST_X(p)" "ST_Y(p)" p)
      AND ST_Distance(r.geom, p) < 40)" >outline.txt
"$SG_PYTHON" px.py outline ranking.png ranking.json outline.txt '#d50000' ||
    sg_fail "ranking.png: the red list's outline covers its neighbours"
# the test's teeth: the same style without the offset (the outline on the
# edge, as before) fails it
sed '/PerpendicularOffset/d' "$SG_SOURCE_DIR/styles/rankings.sld" >onedge.sld
sg 0 render "$db" --theme ranking --style onedge.sld -o onedge.png --json --date 2026-11-30 --lang en
cp "$T/out" onedge.json
"$SG_PYTHON" px.py outline onedge.png onedge.json outline.txt '#d50000' >onedge.txt 2>&1 || true
grep -q 'covers the neighbour' onedge.txt ||
    sg_fail "an outline on the edge is not seen on the neighbours: $(tail -n 1 onedge.txt)"

# ---- numbers on the maps (mixed-content labels, the main layer's first) -------------
# map_text THEME: the Chinese PDF map's text, blanks removed, in THEME.zh
map_text()
{
    sg 0 render "$db" --theme "$1" -o "$1-zh.pdf" --date 2026-11-30 --lang zh --json
    json_ok 'd["labels_skipped"] == 0 or d["theme"] in ("allocation", "grids")'
    pdftotext "$1-zh.pdf" - | tr -d ' \t\n' >"$1.zh"
}
# has_text THEME TEXT: TEXT (blanks removed) is on THEME's map
has_text()
{
    grep -qF -- "${2// /}" "$1.zh" || sg_fail "$1 map: no '$2'"
}
# name_once THEME NAME: the village's name is on THEME's map exactly once
# (the divisions layer draws it; a result label beside it must not repeat
# it: leaders read two names for one village as two villages)
name_once()
{
    local got
    got=$({ grep -oF -- "${2// /}" "$1.zh" || true; } | wc -l)
    [[ $got -eq 1 ]] || sg_fail "$1 map: '$2' $got times, not once"
}
if command -v pdftotext >/dev/null 2>&1; then
    # ranking: each village's rank and score, as rank wrote them
    map_text ranking
    while IFS='|' read -r name rank score; do
        has_text ranking "第${rank}名 ${score}分"
        name_once ranking "$name"
    done < <(q "SELECT name, rank_within, rtrim(rtrim(CAST($(sql_fixed score 2) AS TEXT), '0'), '.') FROM rankings")
    # staffing: needed, present, missing per village
    map_text staffing
    while IFS='|' read -r name need have short; do
        has_text staffing "需$need 现$have 缺$short"
        name_once staffing "$name"
    done < <(q "SELECT name, required, current, shortfall FROM staffing")
    # allocation: the cleaners' households and km (2 decimals, trimmed)
    # on the labels placed (most of them at township scale)
    map_text allocation
    placed=0
    while IFS='|' read -r id hh km; do
        grep -qF -- "$id${hh}户${km}km" allocation.zh && placed=$((placed + 1))
    done < <(q "SELECT cleaner_id, households, rtrim(rtrim(CAST($(sql_fixed road_km 2) AS TEXT), '0'), '.') FROM service_areas")
    [[ $placed -ge 20 ]] || sg_fail "allocation map: $placed cleaners labelled with households and km"
    # coverage: each village's households beyond the radius (by road)
    map_text coverage
    while IFS='|' read -r name beyond; do
        has_text coverage "半径外${beyond}户"
        name_once coverage "$name"
    done < <(q "SELECT d.name, sum(CASE WHEN c.covered_network = 0 THEN 1 ELSE 0 END) FROM coverage c JOIN divisions d ON d.division_code = c.division_code GROUP BY d.division_code, d.name")
    # grids: each grid without a leader marked 无网格长, with a legend entry
    map_text grids
    has_text grids "无网格长的网格"
    nolead=$(q "SELECT count(*) FROM grids WHERE coalesce(trim(grid_leader), '') = ''")
    [[ $nolead -ge 1 ]] || sg_fail "the demo has no grid without a leader"
    got=$({ grep -o '无网格长' grids.zh || true; } | wc -l)
    eq "$got" "$((nolead + 1))" "无网格长 on the grids map (each grid and the legend)"
fi

# ---- the frame fits the data drawn ----------------------------------------------------
# A copy of the demo whose results and inputs touch one village (Eschen;
# features that cross its boundary kept whole): each theme's map is
# framed on its data (bbox by SQL of the layers the theme is about),
# not on the township: the extent holds the bbox and, along the side
# that limits the scale, the bbox spans at least 85 % of it (the layout
# adds 4 % each side: 92.6 %). The township frame gives 60 to 70 %.
sg_store_copy "$db" part.sqlite
village=999001100202
restrict=
for l in grids grid_gaps grid_overlaps coverage blind_spots service_areas cleaner_roads \
    planned_grids site_proposals households points; do
    restrict+="DELETE FROM $l WHERE NOT ST_Intersects(geom,
        (SELECT geom FROM divisions WHERE division_code = '$village'));"
done
store_exec part.sqlite "$restrict
    DELETE FROM staffing WHERE division_code <> '$village';
    DELETE FROM rankings WHERE unit_code <> '$village';" >/dev/null
full_db=$db
db=part.sqlite
[[ $(q "SELECT count(*) FROM households") -ge 20 ]] || sg_fail "no households left in the village"
# data_of THEME: the SQL selecting the geometries THEME's map is about
data_of()
{
    case $1 in
    grids) echo "SELECT geom FROM grids UNION ALL SELECT geom FROM grid_gaps
        UNION ALL SELECT geom FROM grid_overlaps" ;;
    coverage) echo "SELECT geom FROM coverage UNION ALL SELECT geom FROM blind_spots" ;;
    staffing) echo "SELECT d.geom FROM divisions d JOIN staffing s USING (division_code)" ;;
    allocation) echo "SELECT geom FROM service_areas UNION ALL SELECT geom FROM cleaner_roads" ;;
    plan) echo "SELECT geom FROM planned_grids" ;;
    sites) echo "SELECT geom FROM households UNION ALL SELECT geom FROM points
        UNION ALL SELECT geom FROM site_proposals" ;;
    ranking) echo "SELECT d.geom FROM divisions d JOIN rankings r ON r.unit_code = d.division_code" ;;
    esac
}
for theme in grids coverage staffing allocation plan sites ranking; do
    sg 0 render "$db" --theme "$theme" -o "fit-$theme.png" --json --date 2026-11-30
    cp "$T/out" "fit-$theme.json"
    q "SELECT min($(sql_bound min x geom)), min($(sql_bound min y geom)), max($(sql_bound max x geom)), max($(sql_bound max y geom))
       FROM ($(data_of "$theme")) AS s" >"fit-$theme.txt"
    "$SG_PYTHON" - "fit-$theme.json" "fit-$theme.txt" "$theme" <<'PY' || sg_fail "the $theme map is not framed on its data"
import json, sys
ex = json.load(open(sys.argv[1]))["extent"]
x0, y0, x1, y1 = map(float, open(sys.argv[2]).read().strip().split("|"))
fill = max((x1 - x0) / (ex[2] - ex[0]), (y1 - y0) / (ex[3] - ex[1]))
print("%s: the data span %.0f %% of the frame" % (sys.argv[3], 100 * fill))
assert ex[0] <= x0 + 1 and ex[1] <= y0 + 1 and ex[2] >= x1 - 1 and ex[3] >= y1 - 1, (ex, x0, y0, x1, y1)
assert fill >= 0.85, (ex, x0, y0, x1, y1, fill)
PY
done
db=$full_db

# ---- --style ------------------------------------------------------------------------
cat >red.sld <<'SLD'
<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld"
    xmlns:ogc="http://www.opengis.net/ogc">
  <NamedLayer><Name>grids</Name><UserStyle><Title>网格</Title>
    <FeatureTypeStyle><Rule><Name>all</Name><Title>全部网格</Title>
      <PolygonSymbolizer><Fill><CssParameter name="fill">#ff0000</CssParameter></Fill></PolygonSymbolizer>
    </Rule></FeatureTypeStyle></UserStyle></NamedLayer>
</StyledLayerDescriptor>
SLD
sg 0 render "$db" --theme grids --style red.sld -o red.png --json
json_ok 'd["features"] > 100'
sed 's|<PolygonSymbolizer>|<ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>nosuch</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter><PolygonSymbolizer>|' red.sld >nosuch.sld
sg 2 render "$db" --theme grids --style nosuch.sld -o x.png
err_has "nosuch"
printf '<StyledLayerDescriptor>' >broken.sld
sg 3 render "$db" --theme grids --style broken.sld -o x.png
err_has 'broken.sld.*not well-formed'
# the style's own errors in Chinese too: file, line, what and the element
sed 's|#ff0000|#ff00zz|' red.sld >badcolour.sld
sg 3 render "$db" --theme grids --style badcolour.sld -o x.png --lang zh
err_has 'badcolour.sld，第 [0-9]+ 行.*颜色无效'

# ---- errors -------------------------------------------------------------------------
sg 2 render "$db" -o x.png
err_has 'give --theme'
sg 2 render "$db" --theme grids
err_has 'give -o'
sg 2 render "$db" --theme nosuch -o x.png
err_has "unknown theme 'nosuch'"
sg 2 render "$db" --theme grids --size 12 -o x.png
err_has 'WxH'
sg 2 render "$db" --theme grids --size 100x100 -o x.png
sg 2 render "$db" --theme grids -o x.gif
err_has 'extension'
sg 2 render "$db" --theme grids --division 123 -o x.png
err_has "no division '123'"
sg 0 render "$db" --theme ranking -o ranking.png --quiet
[[ -s ranking.png ]] || sg_fail "the demo's ranking map is empty"
sg 0 init norank.sqlite --quiet
sg 0 import norank.sqlite divisions "$SG_SOURCE_DIR/data/demo/divisions.geojson" --quiet
sg 1 render norank.sqlite --theme ranking -o x.png
err_has 'no layer rankings: run `sanigrid rank` first'
sg 1 render "$db" --theme grids -o /nonexistent/dir/x.png
err_has 'cannot write'
sg 3 render nosuch.sqlite --theme grids -o x.png
[[ ! -e x.png ]] || sg_fail "a failed render left x.png"

# ---- export writes the layer's style beside a GeoJSON ----------------------------
sg 0 export "$db" grids g.geojson --quiet
[[ -f g.sld ]] || sg_fail "export did not write g.sld beside g.geojson"
cmp -s g.sld "$SG_SOURCE_DIR/styles/grids.sld" || sg_fail "g.sld is not styles/grids.sld"
sg 0 export "$db" inspections i.csv --quiet
[[ ! -e i.sld ]] || sg_fail "export wrote a style for a CSV"

# ---- households aggregated into hexagons above a count in view -------------------
# (a county's million households are a carpet of dots and held ~800 MB;
# --aggregate-above 10 makes the demo's few hundred a county). The cells'
# counts are recomputed here from the coordinates SQL gives, with the
# hexagon formula --help states: same cells, summing to every household.
sg 0 render "$db" --theme coverage -o agg.png --aggregate-above 10 --json \
    --lang zh --date 2026-11-30
cp "$T/out" agg.json
json_ok 'd["aggregated"]["layer"] == "coverage"' 'd["aggregated"]["cells"] > 10' \
    'd["aggregated"]["radius_m"] > 0' 'd["missing_glyphs"] == 0'
q "SELECT ST_X(geom), ST_Y(geom) FROM coverage" >agg-xy.txt
"$SG_PYTHON" - agg.json agg-xy.txt <<'PY' || sg_fail "hexagon counts"
import json, math, sys
a = json.load(open(sys.argv[1]))["aggregated"]
R, (ox, oy) = a["radius_m"], a["origin"]
cells = {}
for line in open(sys.argv[2]):
    x, y = (float(v) for v in line.split("|"))
    px, py = (x - ox) / R, (y - oy) / R
    fq, fr = math.sqrt(3) / 3 * px - py / 3, 2 / 3 * py
    fs = -fq - fr
    rq, rr, rs = round(fq), round(fr), round(fs)
    dq, dr, ds = abs(rq - fq), abs(rr - fr), abs(rs - fs)
    if dq > dr and dq > ds:
        rq = -rr - rs
    elif dr > ds:
        rr = -rq - rs
    cells[(rq, rr)] = cells.get((rq, rr), 0) + 1
n = sum(cells.values())
assert a["households"] == n, (a["households"], n)
assert a["cells"] == len(cells), (a["cells"], len(cells))
assert max(cells.values()) > 1
PY
eq "$(q "SELECT count(*) FROM coverage")" \
    "$("$SG_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["aggregated"]["households"])' agg.json)" \
    "aggregated households (SQL count)"
# the legend says so (Chinese); the default threshold leaves the demo as dots
sg 0 render "$db" --theme coverage -o agg.pdf --aggregate-above 10 --lang zh \
    --date 2026-11-30 --quiet
pdftotext -enc UTF-8 agg.pdf agg.txt
n=$(q "SELECT count(*) FROM coverage")
tr -d ' \n' <agg.txt | grep -q "${n}户按宽约.*六边形汇总" ||
    sg_fail "the legend does not say the $n households are hexagons"
sg 0 render "$db" --theme coverage -o dots.png --json --quiet
json_ok 'd["aggregated"] is None'
# 0, as the help says: always aggregated, however few
sg 0 render "$db" --theme coverage -o all.png --aggregate-above 0 --json
json_ok "d[\"aggregated\"][\"households\"] == $n"
sg 2 render "$db" --theme coverage -o x.png --aggregate-above -1
err_has 'whole number >= 0'
sg 2 render "$db" --theme coverage -o x.png --aggregate-above 1.5

sg_done
