# The ranking fixture of rank.sh, shared by pg_rank.sh and pg_province.sh:
# sourced after sg_setup, it writes into the current folder (the test's
# $T) divisions, grids, roads, points, households and cleaners as GeoJSON
# in EPSG:4545 metres and the inspection sheet sheet.csv, and sets the
# division codes KT, KA, KB, KC (township T and its villages) and KU, KD
# (township U). It is the fixture of tests/unit/test_rank.c, where the
# scores (B 86, A 68.75, D 53, C 40) are worked out by hand.
# SPDX-License-Identifier: MIT
poly() { # code name level parent x0 x1
    printf '{"type":"Feature","properties":{"division_code":"%s","name":"%s","level":"%s","parent_code":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,3300000],[%s,3300000],[%s,3301000],[%s,3301000],[%s,3300000]]]}}' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$6" "$5" "$5"
}
grid() { # code name division leader x0 x1
    printf '{"type":"Feature","properties":{"grid_code":"%s","name":"%s","level":1,"division_code":"%s","grid_leader":%s},"geometry":{"type":"Polygon","coordinates":[[[%s,3300000],[%s,3300000],[%s,3301000],[%s,3301000],[%s,3300000]]]}}' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$6" "$5" "$5"
}
pt() { # properties x y
    printf '{"type":"Feature","properties":%s,"geometry":{"type":"Point","coordinates":[%s,%s]}}' "$1" "$2" "$3"
}
KT=450100100000 KA=450100100201 KB=450100100202 KC=450100100203
KU=450100200000 KD=450100200201
{
    echo '{"type":"FeatureCollection","features":['
    poly $KT T township null 500000 503000; echo ,
    poly $KA A admin_village "\"$KT\"" 500000 501000; echo ,
    poly $KB B admin_village "\"$KT\"" 501000 502000; echo ,
    poly $KC C admin_village "\"$KT\"" 502000 503000; echo ,
    poly $KU U township null 503000 504000; echo ,
    poly $KD D admin_village "\"$KU\"" 503000 504000
    echo ']}'
} >divisions.geojson
{
    echo '{"type":"FeatureCollection","features":['
    grid ${KA}001 "A 第1网格" $KA '"L1"' 500000 500500; echo ,
    grid ${KA}002 "A 第2网格" $KA '"L2"' 500500 501000; echo ,
    grid ${KB}001 "B 第1网格" $KB '"L3"' 501000 501500; echo ,
    grid ${KB}002 "B 第2网格" $KB null 501500 502000; echo ,
    grid ${KC}001 "C" $KC '"L5"' 502000 502800; echo ,
    grid ${KD}001 "D 第1网格" $KD '"L6"' 503000 503600; echo ,
    grid ${KD}002 "D 第2网格" $KD '"L7"' 503400 504000
    echo ']}'
} >grids.geojson
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"r1","class":"lane"},"geometry":{"type":"LineString","coordinates":[[500000,3300500],[504000,3300500]]}}
]}
EOF
{
    echo '{"type":"FeatureCollection","features":['
    pt '{"point_id":"p1","kind":"collection_point"}' 500100 3300500; echo ,
    pt '{"point_id":"p2","kind":"collection_point"}' 501400 3300500
    echo ']}'
} >points.geojson
{
    echo '{"type":"FeatureCollection","features":['
    pt '{"household_id":"h1","resident_population":100,"household_toilet":"sanitary"}' 500150 3300510; echo ,
    pt '{"household_id":"h2","resident_population":300,"household_toilet":"unsanitary"}' 500600 3300510; echo ,
    pt '{"household_id":"h4","resident_population":200,"household_toilet":"sanitary"}' 501420 3300510; echo ,
    pt '{"household_id":"h5","resident_population":200,"household_toilet":"sanitary"}' 501900 3300510; echo ,
    pt '{"household_id":"h6","resident_population":0,"household_toilet":null}' 501700 3300800; echo ,
    pt '{"household_id":"h7","resident_population":50,"household_toilet":"none"}' 503500 3300510
    echo ']}'
} >households.geojson
{
    echo '{"type":"FeatureCollection","features":['
    pt "{\"cleaner_id\":\"c1\",\"division_code\":\"$KA\"}" 500300 3300700; echo ,
    pt "{\"cleaner_id\":\"c2\",\"division_code\":\"$KB\"}" 501300 3300700; echo ,
    pt "{\"cleaner_id\":\"c3\",\"division_code\":\"$KB\"}" 501400 3300700; echo ,
    pt "{\"cleaner_id\":\"c4\",\"division_code\":\"$KD\"}" 503100 3300700; echo ,
    pt "{\"cleaner_id\":\"c5\",\"division_code\":\"$KD\"}" 503200 3300700
    echo ']}'
} >cleaners.geojson
# whole scores by code or name; B's findings of 11-10 (3 + 2 deducted:
# 95) and one on grid "B 第1网格" without points (1 per finding: 99)
cat >sheet.csv <<EOF
日期,村/网格,得分,检查项目,扣分,检查人,备注
2026-10-05,$KA,90,,,甲,
2026/11/2,A,80,,,甲,
2026-11-10,B,,垃圾满溢,3,乙,
2026-11-10,B,,杂物堆放,2,乙,
2026-11-10,B 第1网格,,散落垃圾,,乙,
2026-12-31,$KD,70,,,丙,
2026-10-10,$KT,50,,,丙,
2026-09-30,A,70,,,甲,
2026-07-01,$KB,100,,,甲,
2026-08-15,$KC,100,,,甲,
2026-09-01,D,90,,,甲,
2026-11-11,Nowhere,88,,,甲,
EOF
