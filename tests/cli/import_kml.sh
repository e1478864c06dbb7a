#!/usr/bin/env bash
# sanigrid import of the KML and KMZ that phones and Google Earth write
# (issue 14): 奥维/Ovital keeps a road's grade and a facility's type as
# HTML in <description> (a table, or "name：value<br>" lines), Google
# Earth in <ExtendedData> (<Data name> and <SchemaData>/<SimpleData>).
# Every file below is written here as the apps write them; roads come in
# with their class and points with their kind without --map, and
# staffing's road rule then counts the classed roads' km (computed here
# by SpatiaLite or PostGIS from the store's own lines).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

py() { "$SG_PYTHON" "$@"; }
sql() { store_sql "$1" "$2"; }

# ---- a village and a store ------------------------------------------------
cat >village.geojson <<'EOF'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"代码": "110101001001", "名称": "张家村", "级别": "行政村"},
 "geometry": {"type": "Polygon", "coordinates": [[[116.00, 39.90], [116.06, 39.90], [116.06, 39.96], [116.00, 39.96], [116.00, 39.90]]]}}
]}
EOF
sg 0 init s.sqlite --crs EPSG:4548 --quiet
sg 0 import s.sqlite divisions village.geojson --quiet

# ---- 奥维 roads: attributes in the description's HTML, two folders -------
# a table in CDATA, escaped "名：值<br>" lines, ArcGIS's nested table, and
# a header row over a value row
cat >ovital_roads.kml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document><name>奥维互动地图</name>
<Folder><name>道路</name>
<Placemark><name>张家村县道</name>
<description><![CDATA[<table border="1"><tr><td>编号</td><td>R01</td></tr><tr><td>等级</td><td>县道</td></tr><tr><td>宽度</td><td>6</td></tr></table>]]></description>
<LineString><coordinates>116.005,39.910,0 116.025,39.910,0</coordinates></LineString></Placemark>
<Placemark><name>张家村村道</name>
<description>编号：R02&lt;br&gt;等级：村道&lt;br/&gt;路面：水泥</description>
<LineString><coordinates>116.010,39.920,0 116.010,39.935,0</coordinates></LineString></Placemark>
</Folder>
<Folder><name>其他</name>
<Placemark><name>后街</name>
<description><![CDATA[<html><body><table><tr><td><b>后街</b></td></tr><tr><td><table><tr bgcolor="#E3E3F3"><th>编号</th><td>R03</td></tr><tr><th>等级</th><td>巷道</td></tr></table></td></tr></table></body></html>]]></description>
<LineString><coordinates>116.030,39.940,0 116.040,39.940,0</coordinates></LineString></Placemark>
<Placemark><name>乡道二号</name>
<description><![CDATA[<table><tr><th>编号</th><th>等级</th></tr><tr><td>R04</td><td>乡道</td></tr></table>]]></description>
<LineString><coordinates>116.045,39.905,0 116.045,39.925,0</coordinates></LineString></Placemark>
</Folder>
</Document></kml>
EOF
sg 0 import s.sqlite roads ovital_roads.kml
out_has 'class <- 等级'
out_has 'road_id <- 编号'
out_has 'surface <- 路面'
# the columns LIBKML adds to every placemark (tessellate, visibility,
# timestamp ...) are not listed while no placemark sets them: what is
# listed is what the office's file holds
out_has 'unused columns: folder, description, 宽度 \('
eq "$(sql s.sqlite "SELECT road_id, name, class, coalesce(surface, '') FROM roads ORDER BY road_id")" \
"R01|张家村县道|county|
R02|张家村村道|village|水泥
R03|后街|lane|
R04|乡道二号|township|" "奥维 roads' class from the description"

# ---- 奥维 points: 类型 in a table and in a line ---------------------------
cat >ovital_points.kml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document><name>奥维互动地图</name>
<Folder><name>设施</name>
<Placemark><name>村口收集点</name>
<description><![CDATA[<table border="1"><tr><td>编号</td><td>SJD001</td></tr><tr><td>类型</td><td>垃圾收集点</td></tr></table>]]></description>
<Point><coordinates>116.012,39.911,0</coordinates></Point></Placemark>
<Placemark><name>村委会公厕</name>
<description>编号：GC001&lt;br&gt;类型：公厕</description>
<Point><coordinates>116.011,39.925,0</coordinates></Point></Placemark>
</Folder>
</Document></kml>
EOF
sg 0 import s.sqlite points ovital_points.kml --json
json_ok 'd["mapping"]["kind"] == "类型"' 'd["imported"] == 2' \
    'd["mapping"]["point_id"] == "编号"'
eq "$(sql s.sqlite "SELECT point_id, kind, name FROM points ORDER BY point_id")" \
"GC001|public_toilet|村委会公厕
SJD001|collection_point|村口收集点" "奥维 points' kind from the description"

# ---- Google Earth: <Data name> with Chinese names, and <SchemaData> -------
cat >ge_roads.kml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><name>张家村道路.kml</name>
<Placemark><name>东干道</name>
<ExtendedData><Data name="编号"><value>G01</value></Data><Data name="等级"><value>县道</value></Data></ExtendedData>
<LineString><tessellate>1</tessellate><coordinates>116.005,39.950,0 116.030,39.950,0</coordinates></LineString></Placemark>
<Placemark><name>北小路</name>
<ExtendedData><Data name="编号"><value>G02</value></Data><Data name="等级"><value>村道</value></Data></ExtendedData>
<LineString><tessellate>1</tessellate><coordinates>116.050,39.930,0 116.050,39.955,0</coordinates></LineString></Placemark>
</Document></kml>
EOF
cat >ge_points.kml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document><name>设施</name>
<Schema name="设施" id="S_facilities"><SimpleField name="编号" type="string"/><SimpleField name="类型" type="string"/></Schema>
<Folder><name>设施</name>
<Placemark><name>东头垃圾桶</name>
<ExtendedData><SchemaData schemaUrl="#S_facilities"><SimpleData name="编号">LJT01</SimpleData><SimpleData name="类型">垃圾桶</SimpleData></SchemaData></ExtendedData>
<Point><coordinates>116.031,39.951,0</coordinates></Point></Placemark>
</Folder>
</Document></kml>
EOF
sg 0 import s.sqlite roads ge_roads.kml
out_has 'class <- 等级'
sg 0 import s.sqlite points ge_points.kml
out_has 'kind <- 类型'
# a placemark that does set one (a TimeStamp: when the bin was placed)
# has it listed, so that nothing is dropped without a word
sed 's|<Point>|<TimeStamp><when>2026-11-01</when></TimeStamp><Point>|' ge_points.kml >ge_points_t.kml
sg 0 import s.sqlite points ge_points_t.kml --mode replace
out_has 'unused columns: .*timestamp'
grep -Eqi 'unused columns: .*(tessellate|visibility)' "$T/out" && sg_fail "LIBKML's unset columns listed as unused"
eq "$(sql s.sqlite "SELECT road_id || '=' || class FROM roads WHERE road_id LIKE 'G%' ORDER BY 1")" \
"G01=county
G02=village" "Google Earth roads' class from <Data>"
eq "$(sql s.sqlite "SELECT kind FROM points WHERE point_id = 'LJT01'")" "bin" \
    "Google Earth point's kind from <SchemaData>"

# ---- the same roads as a KMZ (a zip with doc.kml) -------------------------
py - <<'PY'
import zipfile
with zipfile.ZipFile("ge_roads.kmz", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("ge_roads.kml", "doc.kml")
with zipfile.ZipFile("ovital_roads.kmz", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("ovital_roads.kml", "doc.kml")
PY
sg 0 init k.sqlite --crs EPSG:4548 --quiet
sg 0 import k.sqlite roads ge_roads.kmz --json
json_ok 'd["mapping"]["class"] == "等级"' 'd["imported"] == 2'
sg 0 import k.sqlite roads ovital_roads.kmz --json
json_ok 'd["mapping"]["class"] == "等级"' 'd["imported"] == 4'
eq "$(sql k.sqlite "SELECT $(sql_concat "road_id || '=' || class" "' '") FROM (SELECT * FROM roads ORDER BY road_id) AS s")" \
    "G01=county G02=village R01=county R02=village R03=lane R04=township" \
    "KMZ roads' class"

# ---- staffing's road rule counts them -------------------------------------
# no households: every road is outside a settlement; the road need
# counts county, township and village roads, not lanes
want_km=$(sql s.sqlite "SELECT $(sql_fixed "sum(ST_Length(geom)) / 1000.0" 6) FROM roads WHERE class IN ('national', 'provincial', 'county', 'township', 'village')")
lane_km=$(sql s.sqlite "SELECT $(sql_fixed "sum(ST_Length(geom)) / 1000.0" 6) FROM roads WHERE class = 'lane'")
py -c "import sys; assert float(sys.argv[1]) > 5 and float(sys.argv[2]) > 0.5" \
    "$want_km" "$lane_km" || sg_fail "fixture roads: $want_km km classed, $lane_km km lane"
sg 0 staffing s.sqlite --json
json_ok "abs(d['road_km_outside'] - $want_km) < 0.01" \
    "abs(d['road_km'] - $want_km - $lane_km) < 0.01"

# ---- a description of prose: no column made of it -----------------------
cat >plain.kml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document>
<Placemark><name>P1</name><description>村口，靠近小卖部</description>
<Point><coordinates>116.02,39.92,0</coordinates></Point></Placemark>
</Document></kml>
EOF
sg 1 import s.sqlite points plain.kml --json
json_ok 'd["status"] == "SG_ERR_INPUT"' '"needs kind" in d["error"]' \
    '"description" in d["error"].split("its columns: ")[1].split(")")[0].split(", ")' \
    'all(c.isascii() for c in d["error"].split("its columns: ")[1].split(")")[0].split(", "))'
sg_done
