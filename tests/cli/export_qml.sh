#!/usr/bin/env bash
# sanigrid export: beside a GeoJSON, the layer's QGIS style (OUT.qml)
# next to its SLD (OUT.sld), for every layer of the demo store that has a
# style: well-formed (xmllint when installed), a rule-based renderer with
# a rule per drawing rule of the SLD and symbols of the layer's geometry;
# none for other formats or unstyled layers, none when the export fails,
# replaced with --overwrite. With PyQGIS installed (python3-qgis; not a
# dependency), QGIS itself loads each layer with its style.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 demo demo --quiet
db=demo/demo.sqlite
mkdir exp

# ---- every layer with a built-in style ------------------------------------------
sg 0 info "$db" --json
"$SG_PYTHON" - "$T/out" "$SG_SOURCE_DIR/styles" >layers.txt <<'PY' || sg_fail "listing the styled layers"
import json, os, sys
layers = json.load(open(sys.argv[1]))["layers"]
styles = {f[:-4] for f in os.listdir(sys.argv[2]) if f.endswith(".sld")}
for name in sorted(set(layers) & styles):
    print(name)
PY
n=$(wc -l <layers.txt)
[[ $n -ge 12 ]] || sg_fail "only $n styled layers in the demo store: $(tr '\n' ' ' <layers.txt)"

have_xmllint=0
command -v xmllint >/dev/null 2>&1 && have_xmllint=1
while read -r layer; do
    sg 0 export "$db" "$layer" "exp/$layer.geojson" --json
    json_ok "d['layer'] == '$layer'" 'd["style"] is True' 'd["features"] > 0'
    [[ -s exp/$layer.sld ]] || sg_fail "no exp/$layer.sld"
    [[ -s exp/$layer.qml ]] || sg_fail "no exp/$layer.qml beside exp/$layer.geojson"
    if [[ $have_xmllint -eq 1 ]]; then
        xmllint --noout "exp/$layer.qml" 2>"$T/err" ||
            sg_fail "exp/$layer.qml is not well-formed: $(head -c 500 "$T/err")"
    fi
done <layers.txt
[[ $have_xmllint -eq 1 ]] || echo "note: xmllint not installed; QML read by Python's XML parser only"

# the QML against its SLD and the data: one renderer rule per SLD rule
# that draws, in order, with the SLD's title; symbols of the geometry
"$SG_PYTHON" - exp layers.txt <<'PY' || sg_fail "QML does not match its SLD and data"
import json, sys
import xml.etree.ElementTree as ET
SE = "{http://www.opengis.net/se}"
kinds = {"Point": "marker", "MultiPoint": "marker", "LineString": "line",
         "MultiLineString": "line", "Polygon": "fill", "MultiPolygon": "fill"}
bad = []
for layer in open(sys.argv[2]).read().split():
    base = sys.argv[1] + "/" + layer
    qml = ET.parse(base + ".qml").getroot()
    sld = ET.parse(base + ".sld").getroot()
    feats = json.load(open(base + ".geojson", encoding="utf-8"))["features"]
    geoms = {kinds[f["geometry"]["type"]] for f in feats if f["geometry"]}
    if qml.tag != "qgis" or qml.find("renderer-v2").get("type") != "RuleRenderer":
        bad.append("%s: not a rule-based QGIS style" % layer)
        continue
    titles = []
    for rule in sld.iter(SE + "Rule"):
        if any(c.tag.endswith("Symbolizer") and c.tag != SE + "TextSymbolizer"
               for c in rule):
            t = rule.find(SE + "Description/" + SE + "Title")
            n = rule.find(SE + "Name")
            titles.append(t.text if t is not None else n.text)
    got = [r.get("label") for r in qml.find("renderer-v2").iter("rule")
           if r.get("symbol") is not None]
    if got != titles:
        bad.append("%s: renderer rules %s, SLD rules %s" % (layer, got, titles))
    types = {s.get("type") for s in qml.find("renderer-v2/symbols")}
    if types != geoms:
        bad.append("%s: symbols %s for geometries %s" % (layer, types, geoms))
    texts = len(list(sld.iter(SE + "TextSymbolizer")))
    labels = qml.findall("labeling/rules/rule")
    if len(labels) != texts or qml.get("labelsEnabled") != ("1" if texts else "0"):
        bad.append("%s: %d label rules for %d TextSymbolizers" % (layer, len(labels), texts))
if bad:
    sys.exit("\n".join(bad))
PY

# ---- when no QGIS style is written ----------------------------------------------------
# another format: neither .sld nor .qml
sg 0 export "$db" roads exp/roads2.gpkg --json
json_ok 'd["format"] == "GPKG"' 'd["style"] is False'
[[ ! -e exp/roads2.qml && ! -e exp/roads2.sld ]] || sg_fail "a style was written beside a GPKG"
# a layer without a style
sg 0 export "$db" cleaner_households exp/ch.geojson --json
json_ok 'd["style"] is False'
[[ ! -e exp/ch.qml && ! -e exp/ch.sld ]] || sg_fail "a style was written for an unstyled layer"
# a failed export (the file exists, no --overwrite) leaves an old .qml
echo 'not QML' >exp/roads.qml
sg 1 export "$db" roads exp/roads.geojson
[[ $(cat exp/roads.qml) == 'not QML' ]] || sg_fail "a failed export replaced roads.qml"
# --overwrite replaces it
sg 0 export "$db" roads exp/roads.geojson --overwrite --quiet
grep -q '<renderer-v2 type="RuleRenderer"' exp/roads.qml || sg_fail "--overwrite did not replace roads.qml"
# --format GeoJSON without an extension: OUT.qml
sg 0 export "$db" points exp/points-noext --format GeoJSON --quiet
[[ -s exp/points-noext.qml && -s exp/points-noext.sld ]] || sg_fail "no points-noext.qml/.sld"

# ---- QGIS itself, when installed ----------------------------------------------------------
# Each layer opens with its .qml as the default style (QGIS reads OUT.qml
# beside OUT.geojson by itself) and loadNamedStyle accepts it; every
# filter parses; symbols match the geometry; most layers draw features.
qgis_py=""
for py in /usr/bin/python3 "$SG_PYTHON"; do
    if QT_QPA_PLATFORM=offscreen "$py" -c 'import qgis.core' >/dev/null 2>&1; then
        qgis_py=$py
        break
    fi
done
if [[ -n $qgis_py ]]; then
    QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$T" "$qgis_py" - exp layers.txt \
        >"$T/out" 2>"$T/err" <<'PY' || sg_fail "QGIS rejects an exported style: $(grep -v XDG "$T/err" | head -c 2000)"
import sys
from qgis.core import (Qgis, QgsApplication, QgsExpression,
                       QgsRenderContext, QgsVectorLayer, QgsWkbTypes)
app = QgsApplication([], False)
app.initQgis()
types = {QgsWkbTypes.PointGeometry: "marker", QgsWkbTypes.LineGeometry: "line",
         QgsWkbTypes.PolygonGeometry: "fill"}
stypes = {Qgis.SymbolType.Marker: "marker", Qgis.SymbolType.Line: "line",
          Qgis.SymbolType.Fill: "fill"}
# every exported styled layer carries the columns its style needs
# (service_areas and cleaner_roads: color_class, written by allocate)
no_draw = set()
bad = []
for layer in open(sys.argv[2]).read().split():
    path = "%s/%s.geojson" % (sys.argv[1], layer)
    vl = QgsVectorLayer(path, layer, "ogr")
    if not vl.isValid():
        bad.append("%s: QGIS cannot open %s" % (layer, path))
        continue
    if vl.renderer().type() != "RuleRenderer":
        bad.append("%s: .qml not applied as the default style" % layer)
    msg, ok = vl.loadNamedStyle(path[:-8] + ".qml")
    if not ok:
        bad.append("%s: loadNamedStyle: %s" % (layer, msg))
        continue
    want = types[vl.geometryType()]
    rules = vl.renderer().rootRule().descendants()
    for r in rules:
        f = r.filterExpression()
        if f and f != "ELSE" and QgsExpression(f).hasParserError():
            bad.append("%s: filter %r: %s" % (layer, f, QgsExpression(f).parserErrorString()))
        if r.symbol() and stypes[r.symbol().type()] != want:
            bad.append("%s: %s symbol on a %s layer" % (layer, stypes[r.symbol().type()], want))
    if vl.labelsEnabled():
        for r in vl.labeling().rootRule().descendants():
            f = r.filterExpression()
            if f and QgsExpression(f).hasParserError():
                bad.append("%s: label filter %r does not parse" % (layer, f))
    ctx = QgsRenderContext()
    ctx.setRendererScale(5000)
    rend = vl.renderer().clone()
    rend.startRender(ctx, vl.fields())
    drawn = 0
    for feat in vl.getFeatures():
        ctx.expressionContext().setFeature(feat)
        drawn += bool(rend.willRenderFeature(feat, ctx))
    rend.stopRender(ctx)
    if drawn == 0 and layer not in no_draw:
        bad.append("%s: QGIS draws no feature at 1:5000" % layer)
    print("%s: %d rules, %d features drawn" % (layer, len(rules), drawn))
if bad:
    sys.exit("\n".join(bad))
PY
    echo "QGIS $("$qgis_py" -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION)' 2>/dev/null) loaded $(wc -l <"$T/out") exported layers with their .qml"
else
    echo "note: PyQGIS (python3-qgis) not installed; QGIS loading not checked"
fi

sg_done
