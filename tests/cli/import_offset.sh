#!/usr/bin/env bash
# sanigrid import warns when points or households look like Amap/Tencent
# (GCJ-02) or Baidu (BD-09) coordinates taken as WGS 84 (issue 14), and
# gives the command that imports them right. Fixtures: the demo's roads
# and houses moved into China (GCJ-02 applies there only), and the same
# houses shifted here by the published forward formulas (written in
# Python below, not sanigrid's C); a small sparse fixture for points.
# The medians are checked against SpatiaLite's own distances.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

py() { "$SG_PYTHON" "$@"; }
# shq DB: the store as the suggested command line names it, quoted for a
# shell where it needs to be (a PostgreSQL URI holds a ?)
shq() { py -c 'import shlex, sys; print(shlex.quote(sys.argv[1]))' "$(sg_store_uri "$1")"; }
# median_road_m DB LAYER: median distance of LAYER's rows to the nearest
# road, by SpatiaLite or PostGIS
median_road_m() {
    store_sql "$1" "SELECT (SELECT min(ST_Distance(x.geom, r.geom)) FROM roads r) FROM \"$2\" x" |
        py -c 'import sys, statistics; print(statistics.median(float(l) for l in sys.stdin))'
}

# ---- fixtures ---------------------------------------------------------------
py - "$SG_SOURCE_DIR/data/demo" <<'PY'
import json, math, sys
A = 6378245.0; EE = 0.00669342162296594323; PI = math.pi; XPI = PI * 3000.0 / 180.0
def tlat(x, y):
    r = -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.sqrt(abs(x))
    r += (20.0*math.sin(6.0*x*PI) + 20.0*math.sin(2.0*x*PI)) * 2.0/3.0
    r += (20.0*math.sin(y*PI) + 40.0*math.sin(y/3.0*PI)) * 2.0/3.0
    r += (160.0*math.sin(y/12.0*PI) + 320*math.sin(y*PI/30.0)) * 2.0/3.0
    return r
def tlon(x, y):
    r = 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.sqrt(abs(x))
    r += (20.0*math.sin(6.0*x*PI) + 20.0*math.sin(2.0*x*PI)) * 2.0/3.0
    r += (20.0*math.sin(x*PI) + 40.0*math.sin(x/3.0*PI)) * 2.0/3.0
    r += (150.0*math.sin(x/12.0*PI) + 300.0*math.sin(x/30.0*PI)) * 2.0/3.0
    return r
def gcj(lon, lat):
    dlat = tlat(lon - 105.0, lat - 35.0); dlon = tlon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * PI; m = 1 - EE * math.sin(rad) ** 2; s = math.sqrt(m)
    dlat = dlat * 180.0 / ((A * (1 - EE)) / (m * s) * PI)
    dlon = dlon * 180.0 / (A / s * math.cos(rad) * PI)
    return lon + dlon, lat + dlat
def bd(lon, lat):
    x, y = gcj(lon, lat)
    z = math.sqrt(x*x + y*y) + 0.00002 * math.sin(y * XPI)
    t = math.atan2(y, x) + 0.000003 * math.cos(x * XPI)
    return z * math.cos(t) + 0.0065, z * math.sin(t) + 0.006
def move(c, f):
    if isinstance(c[0], (int, float)):
        return list(f(c[0], c[1]))
    return [move(x, f) for x in c]
def write(name, d, f, idprefix=None):
    e = json.loads(json.dumps(d))
    for ft in e["features"]:
        ft["geometry"]["coordinates"] = move(ft["geometry"]["coordinates"], f)
        if idprefix:
            ft["properties"]["household_id"] = idprefix + ft["properties"]["household_id"]
    json.dump(e, open(name, "w"), ensure_ascii=False)
# the demo (Liechtenstein) moved to Beijing's north-east: 107 E, 7 S
china = lambda x, y: (x + 107.0, y - 7.0)
demo = sys.argv[1]
write("roads.geojson", json.load(open(demo + "/roads.geojson")), china)
write("hh.geojson", json.load(open(demo + "/households.geojson")), china)
hh = json.load(open("hh.geojson"))
write("hh_gcj.geojson", hh, gcj)
write("hh_bd.geojson", hh, bd)
write("hh_gcj_more.geojson", hh, gcj, "X")
# sparse: three roads 3 km apart, four points on each
roads = {"type": "FeatureCollection", "features": []}
points = {"type": "FeatureCollection", "features": []}
for i in range(3):
    x0 = 113.30 + 0.035 * i
    roads["features"].append({"type": "Feature",
        "properties": {"road_id": "S%d" % i, "class": "village"},
        "geometry": {"type": "LineString", "coordinates": [[x0, 23.10], [x0 + 0.01, 23.14]]}})
    for k in range(4):
        t = (k + 0.5) / 4
        points["features"].append({"type": "Feature",
            "properties": {"point_id": "P%d%d" % (i, k), "kind": "bin"},
            "geometry": {"type": "Point", "coordinates": [x0 + 0.01 * t, 23.10 + 0.04 * t]}})
json.dump(roads, open("sparse_roads.geojson", "w"))
write("sparse_gcj.geojson", points, gcj)
PY

# ---- the houses as they are: measured, no warning ---------------------------
sg 0 init s.sqlite --quiet
sg 0 import s.sqlite roads roads.geojson --quiet
sg_store_copy s.sqlite roads_only.sqlite
sg 0 import s.sqlite households hh.geojson --json
json_ok 'd["offset_check"]["sample"] == 661' 'd["offset_check"]["suspect"] is None' \
    'd["offset_check"]["reimport"] is None' \
    'd["offset_check"]["median_gcj02_m"] > d["offset_check"]["median_m"]'
want=$(median_road_m s.sqlite households)
json_ok "abs(d['offset_check']['median_m'] - $want) < 0.01"
raw_median=$want
sg_store_copy roads_only.sqlite s.sqlite
sg 0 import s.sqlite households hh.geojson
if grep -q 'look like' "$T/err"; then sg_fail "a warning for houses that are right"; fi

# ---- shifted by GCJ-02: warned, with the command, which puts them right ----
sg_store_copy roads_only.sqlite g.sqlite
sg 0 import g.sqlite households hh_gcj.geojson --json
json_ok 'd["offset_check"]["suspect"] == "gcj02"' \
    'd["offset_check"]["reimport"] == "sanigrid import '"$(shq g.sqlite)"' households hh_gcj.geojson --src-crs gcj02 --mode replace"' \
    'd["offset_check"]["closer_gcj02"] >= 0.6'
want=$(median_road_m g.sqlite households)
json_ok "abs(d['offset_check']['median_m'] - $want) < 0.01" \
    "d['offset_check']['median_m'] > 2 * $raw_median"
gcj_median=$(py -c 'import json,sys; print(json.load(open(sys.argv[1]))["offset_check"]["median_gcj02_m"])' "$T/out")
sg_store_copy roads_only.sqlite g.sqlite
sg 0 import g.sqlite households hh_gcj.geojson
err_has 'hh_gcj.geojson: the households stand [0-9]+ m from the nearest road \(median of 661\), but [0-9]+ m once read as gcj02'
err_has 'look like Amap/Tencent/Ovital \(GCJ-02\) coordinates'
err_has '^  sanigrid import '"$(sg_re "$(shq g.sqlite)")"' households hh_gcj.geojson --src-crs gcj02 --mode replace$'
# the command given, run as it is: the houses are back on the roads
sg 0 import g.sqlite households hh_gcj.geojson --src-crs gcj02 --mode replace --json
json_ok 'd["offset_check"] is None' 'd["imported"] == 661'
fixed=$(median_road_m g.sqlite households)
py -c "import sys; a, b, c = map(float, sys.argv[1:]); assert abs(a - b) < 0.01 and abs(a - c) < 0.1, (a, b, c)" \
    "$fixed" "$gcj_median" "$raw_median" ||
    sg_fail "after --src-crs gcj02 the median is $fixed m (check said $gcj_median, as they are $raw_median)"

# ---- shifted by BD-09: the warning names bd09 ------------------------------
sg_store_copy roads_only.sqlite b.sqlite
sg 0 import b.sqlite households hh_bd.geojson --json
json_ok 'd["offset_check"]["suspect"] == "bd09"' \
    'd["offset_check"]["reimport"] == "sanigrid import '"$(shq b.sqlite)"' households hh_bd.geojson --src-crs bd09 --mode replace"' \
    'd["offset_check"]["median_bd09_m"] < d["offset_check"]["median_gcj02_m"]'
sg_store_copy roads_only.sqlite b.sqlite
sg 0 import b.sqlite households hh_bd.geojson
err_has 'look like Baidu \(BD-09\) coordinates'
err_has '^  sanigrid import '"$(sg_re "$(shq b.sqlite)")"' households hh_bd.geojson --src-crs bd09 --mode replace$'

# ---- appended to rows of an earlier import: no --mode replace --------------
sg_store_copy roads_only.sqlite a.sqlite
sg 0 import a.sqlite households hh.geojson --quiet
sg 0 import a.sqlite households hh_gcj_more.geojson
err_has '^  sanigrid import '"$(sg_re "$(shq a.sqlite)")"' households hh_gcj_more.geojson --src-crs gcj02$'
err_has 'also holds rows of earlier imports'

# ---- points between sparse roads: a few hundred metres off -----------------
sg 0 init p.sqlite --quiet
sg 0 import p.sqlite roads sparse_roads.geojson --quiet
sg 0 import p.sqlite points sparse_gcj.geojson --json
json_ok 'd["offset_check"]["suspect"] == "gcj02"' \
    '200 < d["offset_check"]["median_m"] < 800' \
    'd["offset_check"]["median_gcj02_m"] < 1' \
    'd["offset_check"]["closer_gcj02"] == 1'

# ---- not checked: --src-crs given, or no roads ------------------------------
sg_store_copy roads_only.sqlite c.sqlite
sg 0 import c.sqlite households hh_gcj.geojson --src-crs EPSG:4326 --json
json_ok 'd["offset_check"] is None'
sg 0 init n.sqlite --quiet
sg 0 import n.sqlite households hh_gcj.geojson --json
json_ok 'd["offset_check"] is None'
sg_done
