#!/usr/bin/env bash
# sanigrid render: the grids and coverage maps of the demo store as PNG,
# SVG (valid XML) and PDF (pdfinfo when installed), one division in
# Chinese at another size and resolution, --json keys, --style overrides,
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

keys='{"file", "theme", "format", "width", "height", "dpi", "features", "labels", "labels_skipped", "missing_glyphs", "scale_denominator", "crs", "extent", "frame"}'
for theme in grids coverage; do
    sg 0 render "$db" --theme "$theme" -o "$theme.png" --json --date 2026-11-30
    json_ok "set(d) == $keys" "d['theme'] == '$theme'" "d['format'] == 'png'" \
        'd["width"] == 1600 and d["height"] == 1130' 'd["features"] > 100' \
        'd["labels"] >= 5' 'd["missing_glyphs"] == 0' 'd["crs"] == "EPSG:32632"' \
        '20000 < d["scale_denominator"] < 60000' 'len(d["extent"]) == 4'
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

sg_done
