#!/usr/bin/env bash
# Exports that people open, on the demo store: under --lang zh the XLSX
# and CSV carry the field dictionary's Chinese headers and value labels
# (--lang en: the canonical names and codes); KML has a named, styled
# placemark per row in a folder per village (names and counts checked
# against the store by SQL); --dst-crs gcj02/bd09 give the published
# Amap/Baidu coordinates of a point in Beijing; Shapefile --encoding GBK
# writes CP936 text that GDAL reads back as the same Chinese.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 demo demo --quiet
db=demo/demo.sqlite

# XLSX: headers and labels by the language
sg 0 export "$db" rankings r-zh.xlsx --lang zh
sg 0 export "$db" rankings r-en.xlsx --lang en
"$SG_PYTHON" - r-zh.xlsx r-en.xlsx <<'PY' || sg_fail "XLSX headers or labels (above)"
import re, sys, zipfile
def cells(path):
    z = zipfile.ZipFile(path)
    shared = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    rows = []
    for row in re.findall(r"<row[^>]*>(.*?)</row>", sheet, re.S):
        vals = {}
        for attrs, v in re.findall(r"<c([^>]*)>\s*(?:<v>([^<]*)</v>)?", row):
            col = re.search(r'r="([A-Z]+)', attrs).group(1)
            n = 0
            for ch in col:
                n = 26 * n + ord(ch) - 64
            vals[n - 1] = shared[int(v)] if 't="s"' in attrs and v else v
        rows.append([vals.get(i, "") for i in range(max(vals) + 1 if vals else 0)])
    return rows
zh, en = cells(sys.argv[1]), cells(sys.argv[2])
for want in ("总名次", "综合得分", "红黑榜", "名称", "经度"):
    assert want in zh[0], (want, zh[0])
for want in ("rank", "score", "tier", "name", "lon"):
    assert want in en[0], (want, en[0])
tz, te = zh[0].index("红黑榜"), en[0].index("tier")
vz = {r[tz] for r in zh[1:] if len(r) > tz and r[tz]}
ve = {r[te] for r in en[1:] if len(r) > te and r[te]}
assert vz <= {"红榜", "黑榜"} and vz, vz
assert ve <= {"red", "black"} and ve, ve
assert len(zh) == len(en), (len(zh), len(en))
print("xlsx ok", vz, ve)
PY

# CSV: planned cleaners are 拟增 under zh
sg 0 export "$db" service_areas sa.csv --lang zh
want=$(store_sql "$db" "SELECT count(*) FROM service_areas WHERE status = 'planned'")
got=$("$SG_PYTHON" -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding="utf-8"))); print(sum(1 for x in r if x["状态"] == "拟增"))' sa.csv)
eq "$got" "$want" "planned cleaners labelled 拟增 in CSV"

# KML: names, styles, a folder per village
sg 0 export "$db" service_areas sa.kml --lang zh
xmllint --noout sa.kml || sg_fail "KML is not well-formed XML"
store_sql "$db" "SELECT d.name, count(*) FROM service_areas s JOIN divisions d USING (division_code) GROUP BY d.name ORDER BY d.name" >want.txt
"$SG_PYTHON" - sa.kml want.txt <<'PY' || sg_fail "KML names, styles or folders (above)"
import sys, xml.etree.ElementTree as ET
ns = {"k": "http://www.opengis.net/kml/2.2"}
root = ET.parse(sys.argv[1]).getroot()
want = dict(l.rsplit("|", 1) for l in open(sys.argv[2], encoding="utf-8").read().split("\n") if l)
got = {}
for folder in root.iter("{http://www.opengis.net/kml/2.2}Folder"):
    name = folder.find("k:name", ns).text
    marks = folder.findall("k:Placemark", ns)
    got[name] = str(len(marks))
    for m in marks:
        n = m.find("k:name", ns).text or ""
        assert n.strip(), "placemark without a name"
        assert m.find("k:Style", ns) is not None, f"{n}: no style"
        d = m.find("k:description", ns).text or ""
        assert "区划代码" in d and "保洁员编号" in d, f"{n}: description {d[:80]}"
        if "拟增" not in n:
            assert name in n, f"{n}: not named after its village {name}"
assert got == want, (got, want)
print("kml ok", got)
PY

# --dst-crs: a point in Beijing, WGS 84 (116.404, 39.915); published
# GCJ-02 by wandergis/coordtransform's README: (116.41024449916938,
# 39.91640428150164)
sg 0 init bj.sqlite
cat >bj.geojson <<'JSON'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"point_id":"P1","kind":"collection_point","name":"东城收集点"},"geometry":{"type":"Point","coordinates":[116.404,39.915]}}]}
JSON
sg 0 import bj.sqlite points bj.geojson
sg 0 export bj.sqlite points bj-gcj.geojson --dst-crs gcj02
sg 0 export bj.sqlite points bj-wgs.geojson
sg 2 export bj.sqlite points bj.gpkg --dst-crs gcj02
err_has 'gcj02'
sg 2 export bj.sqlite points bj2.geojson --dst-crs mars
"$SG_PYTHON" - bj-gcj.geojson bj-wgs.geojson <<'PY' || sg_fail "GCJ-02 export (above)"
import json, sys
g = json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"]
w = json.load(open(sys.argv[2]))["features"][0]["geometry"]["coordinates"]
assert abs(g[0] - 116.41024449916938) < 1e-7 and abs(g[1] - 39.91640428150164) < 1e-7, g
assert abs(w[0] - 116.404) < 1e-7 and abs(w[1] - 39.915) < 1e-7, w
print("gcj02 ok", g)
PY

# Shapefile in GBK: CP936 bytes that GDAL reads back as the same Chinese
sg 0 export bj.sqlite points bj.shp --encoding GBK
grep -qi '936' bj.cpg || sg_fail "bj.cpg says $(cat bj.cpg), not CP936"
"$SG_PYTHON" - bj.dbf <<'PY' || sg_fail "GBK Shapefile bytes (above)"
import sys
raw = open(sys.argv[1], "rb").read()
assert "东城收集点".encode("gbk") in raw, "no GBK bytes of the name"
assert "东城收集点".encode("utf-8") not in raw, "UTF-8 bytes of the name"
print("dbf holds GBK")
PY
ogrinfo -ro -al -q bj.shp >bj.txt
grep -q '东城收集点' bj.txt || sg_fail "GDAL does not read the GBK name back: $(cat bj.txt)"
sg 2 export bj.sqlite points bj2.shp --encoding latin9
sg_done
