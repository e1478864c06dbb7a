# The collection-route fixture of route_store.sh, shared by pg_route.sh:
# sourced after sg_setup, it writes into the current folder (the test's
# $T) roads, points, households, divisions and grids as GeoJSON in
# EPSG:4545 metres. route_store.sh works its distances out by hand.
# Roads: R1 along y=3300000 from x=500000 to 502000; R2 up x=501000 to
# y=3301000; R3 an island at x=505000..505500; R4 in the second township.
# SPDX-License-Identifier: MIT
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[500500,3300000],[501000,3300000],[501500,3300000],[502000,3300000]]}},
{"type":"Feature","properties":{"road_id":"R2"},"geometry":{"type":"LineString","coordinates":[[501000,3300000],[501000,3300500],[501000,3301000]]}},
{"type":"Feature","properties":{"road_id":"R3"},"geometry":{"type":"LineString","coordinates":[[505000,3300000],[505500,3300000]]}},
{"type":"Feature","properties":{"road_id":"R4"},"geometry":{"type":"LineString","coordinates":[[509500,3300000],[510500,3300000]]}}
]}
EOF
# T1 10 m off R1's west end; C1 20 m off R1 at x=500500 (530 m from T1);
# C2 at x=501500 (1530 m); C3 20 m off R2 at y=3300800 (1830 m); C4 on
# the island; C5 at x=501990 (2030 m); the plant 10 m off R1's east end.
cat >points.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"point_id":"T1","kind":"transfer_station","name":"镇转运站"},"geometry":{"type":"Point","coordinates":[500000,3300010]}},
{"type":"Feature","properties":{"point_id":"TP1","kind":"处理厂","name":"县处理厂"},"geometry":{"type":"Point","coordinates":[502000,3299990]}},
{"type":"Feature","properties":{"point_id":"C1","kind":"collection_point","name":"一组收集点"},"geometry":{"type":"Point","coordinates":[500500,3300020]}},
{"type":"Feature","properties":{"point_id":"C2","kind":"collection_point","name":"二组收集点"},"geometry":{"type":"Point","coordinates":[501500,3300020]}},
{"type":"Feature","properties":{"point_id":"C3","kind":"collection_point","name":"三组收集点"},"geometry":{"type":"Point","coordinates":[501020,3300800]}},
{"type":"Feature","properties":{"point_id":"C4","kind":"collection_point","name":"孤岛收集点"},"geometry":{"type":"Point","coordinates":[505200,3300010]}},
{"type":"Feature","properties":{"point_id":"C5","kind":"collection_point","name":"大村收集点"},"geometry":{"type":"Point","coordinates":[501990,3300020]}},
{"type":"Feature","properties":{"point_id":"C6","kind":"collection_point","name":"乙镇收集点"},"geometry":{"type":"Point","coordinates":[510000,3300010]}}
]}
EOF
# residents: C1 60, C2 80, C3 50, C4 10, C5 300, C6 20
"$SG_PYTHON" - <<'EOF'
import json
hh = []
def add(i, x, y, r):
    hh.append({"type": "Feature", "properties": {"household_id": "H%d" % i, "resident_population": r},
               "geometry": {"type": "Point", "coordinates": [x, y]}})
add(1, 500480, 3300030, 30); add(2, 500520, 3300030, 30)
add(3, 501480, 3300030, 40); add(4, 501520, 3300030, 40)
add(5, 501030, 3300790, 50)
add(6, 505210, 3300020, 10)
add(7, 501980, 3300030, 100); add(8, 501995, 3300030, 100); add(9, 501999, 3300040, 100)
add(10, 510010, 3300020, 20)
json.dump({"type": "FeatureCollection", "features": hh}, open("households.geojson", "w"))
def poly(code, name, level, parent, x0, y0, x1, y1):
    return {"type": "Feature", "properties": {"division_code": code, "name": name, "level": level, "parent_code": parent},
            "geometry": {"type": "MultiPolygon", "coordinates": [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]]}}
d = [poly("330101001000", "测试镇", "township", "330101000000", 499000, 3299000, 506000, 3302000),
     poly("330101002000", "乙镇", "township", "330101000000", 509000, 3299000, 511000, 3302000),
     poly("330101001001", "甲村", "admin_village", "330101001000", 499900, 3299900, 500700, 3300300),
     poly("330101001002", "乙村", "admin_village", "330101001000", 500700, 3299900, 501600, 3300300),
     poly("330101001003", "丙村", "admin_village", "330101001000", 500800, 3300500, 501200, 3301100),
     poly("330101001004", "丁村", "admin_village", "330101001000", 504900, 3299900, 505600, 3300300)]
json.dump({"type": "FeatureCollection", "features": d}, open("divisions.geojson", "w"))
g = []
for code, x0, x1 in (("330101001001001", 499900, 500700), ("330101001002001", 500700, 501600)):
    f = poly(code, "网格" + code[-1], None, None, x0, 3299900, x1, 3300300)
    f["properties"] = {"grid_code": code, "name": "网格" + code[-4:], "division_code": code[:12]}
    g.append(f)
json.dump({"type": "FeatureCollection", "features": g}, open("grids.geojson", "w"))
EOF
