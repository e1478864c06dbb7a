#!/usr/bin/env bash
# sanigrid import with the files a township office really has (issue 14):
# GBK text without .cpg or language id, in Shapefile field names and
# values and in Excel's CSV (with 全角 spaces); --encoding for CSV; a file
# in neither UTF-8 nor GBK refused with the offset of the first bad byte;
# the store left byte-for-byte unchanged by every refusal.
# Every GBK byte is produced here by Python's codec, never stored as UTF-8.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

py() { "$SG_PYTHON" "$@"; }
# sql DB QUERY: one query's rows
sql() { store_sql "$1" "$2"; }
# bytes DB: the store file's bytes (sha256sum) on SpatiaLite, every row
# of the schema on PostgreSQL (store_state)
bytes() { if sg_is_pg; then store_state "$1"; else sha256sum "$1"; fi; }

# ---- a GBK Shapefile: Chinese field names and values, no .cpg, LDID 0 ------
cat >div.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"代码": "110101001001", "名称": "张家村", "级别": "行政村"},
 "geometry": {"type": "Polygon", "coordinates": [[[116.39, 39.90], [116.40, 39.90], [116.40, 39.91], [116.39, 39.91], [116.39, 39.90]]]}},
{"type": "Feature", "properties": {"代码": "110101001002", "名称": "李家庄", "级别": "行政村"},
 "geometry": {"type": "Polygon", "coordinates": [[[116.40, 39.90], [116.41, 39.90], [116.41, 39.91], [116.40, 39.91], [116.40, 39.90]]]}}
]}
EOF2
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP936 div.shp div.geojson
rm -f div.cpg div.CPG
printf '\0' | dd of=div.dbf bs=1 seek=29 conv=notrunc status=none
# the DBF really holds GBK names and values, and no language id
py - <<'PY' || sg_fail "div.dbf does not hold GBK bytes"
d = open("div.dbf", "rb").read()
assert d[29] == 0
for t in ("代码", "名称", "级别", "张家村", "李家庄", "行政村"):
    assert t.encode("gbk") in d, t
    assert t.encode("utf-8") not in d, t
PY
sg 0 init s.sqlite --crs EPSG:4548 --quiet
sg 0 import s.sqlite divisions div.shp
out_has 'division_code <- 代码'
out_has 'name <- 名称'
out_has 'level <- 级别'
out_has 'text GB18030'
eq "$(sql s.sqlite "SELECT division_code, name, level FROM divisions ORDER BY 1")" \
    "110101001001|张家村|admin_village
110101001002|李家庄|admin_village" "GBK Shapefile rows"

# the same Shapefile written as UTF-8 without .cpg: detected as UTF-8
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 u8.shp div.geojson
rm -f u8.cpg
printf '\0' | dd of=u8.dbf bs=1 seek=29 conv=notrunc status=none
sg 0 import s.sqlite divisions u8.shp --mode replace --json
json_ok 'd["encoding"] == "UTF-8"' 'd["mapping"]["name"] == "名称"'
eq "$(sql s.sqlite "SELECT $(sql_concat name) FROM (SELECT name FROM divisions ORDER BY fid) AS s")" \
    "张家村,李家庄" "UTF-8 Shapefile names"

# --encoding still overrides (GDAL recodes with it)
sg 0 import s.sqlite divisions div.shp --mode replace --encoding GBK --json
json_ok 'd["mapping"]["level"] == "级别"'

# a DBF whose text is neither: a byte 0xFF (no lead byte in either) in a
# name cell
cp div.shp mixed.shp; cp div.shx mixed.shx; cp div.prj mixed.prj
py - <<'PY'
d = bytearray(open("div.dbf", "rb").read())
i = d.index("李家庄".encode("gbk"))
d[i:i + 6] = b"caf\xffe "
open("mixed.dbf", "wb").write(bytes(d))
print(i + 3, file=open("mixed.off", "w"))
PY
before=$(store_state s.sqlite)
sha_before=$(bytes s.sqlite)
sg 1 import s.sqlite divisions mixed.shp
err_has 'mixed\.dbf: the text is neither UTF-8'
# UTF-8 fails at the first name (代码 = B4 FA C2 EB after the 32-byte header)
err_has "UTF-8 \\(byte 0xB4 at offset 32\\)"
err_has "nor GBK/GB18030 \\(byte 0xFF at offset $(cat mixed.off) "
err_has '\-\-encoding'
eq "$(bytes s.sqlite)" "$sha_before" "store after the mixed DBF"
eq "$(store_state s.sqlite)" "$before" "store state after the mixed DBF"

# ---- a CSV saved by Excel on Chinese Windows (GBK, CRLF, 全角 spaces) ------
py - <<'PY'
rows = ["户号,户主,常住人口\u3000,户厕,经度,纬度",
        "H1,王五\u3000,4,卫生厕所,116.391,39.901",
        "H2,\u3000赵六,2,旱厕,116.402,39.902"]
open("roster.csv", "wb").write(("\r\n".join(rows) + "\r\n").encode("gbk"))
PY
py -c 'd=open("roster.csv","rb").read(); assert "户号".encode("gbk") in d and "户号".encode() not in d' ||
    sg_fail "roster.csv is not GBK"
sg 0 import s.sqlite households roster.csv --json
json_ok 'd["encoding"] == "GB18030"' 'd["imported"] == 2' \
    'd["mapping"]["household_id"] == "户号"' \
    'd["mapping"]["resident_population"].startswith("常住人口")' \
    'd["mapping"]["household_toilet"] == "户厕"'
eq "$(sql s.sqlite "SELECT household_id, household_head, resident_population, household_toilet FROM households ORDER BY 1")" \
    "H1|王五|4|sanitary
H2|赵六|2|unsanitary" "GBK CSV rows (全角 spaces trimmed)"
# --encoding for CSV too (it gave ���� headers before)
sg 0 import s.sqlite households roster.csv --encoding GBK --mode replace --json
json_ok 'd["encoding"] == "GBK"' 'd["imported"] == 2' \
    'd["mapping"]["household_head"] == "户主"'
eq "$(sql s.sqlite "SELECT $(sql_concat household_head) FROM (SELECT household_head FROM households ORDER BY fid) AS s")" \
    "王五,赵六" "CSV with --encoding GBK"
# --encoding UTF-8 on GBK bytes: refused with the offset
before=$(store_state s.sqlite)
sg 1 import s.sqlite households roster.csv --encoding UTF-8 --mode replace
err_has 'roster\.csv: the text is not valid UTF-8: byte 0xBB at offset 0'
eq "$(store_state s.sqlite)" "$before" "store after --encoding UTF-8"
sg 2 import s.sqlite households roster.csv --encoding NO-SUCH-ENC --mode replace
err_has "unknown text encoding 'NO-SUCH-ENC'"

# a CSV mixing UTF-8 and GBK lines, plus a Latin-1 byte: neither
py - <<'PY'
b = "户号,常住人口,经度,纬度\n".encode() + "H3,3,116.39,39.90\n".encode() \
    + "王五".encode("gbk") + b",2,116.40,39.91\n" + b"caf\xe9,1,116.41,39.92\n"
open("mixed.csv", "wb").write(b)
u8bad = len("户号,常住人口,经度,纬度\nH3,3,116.39,39.90\n".encode())
# GB18030 fails inside the UTF-8 header: find where with Python's codec
try:
    b.decode("gb18030")
    raise SystemExit("mixed.csv decodes as GB18030")
except UnicodeDecodeError as e:
    gbbad = e.start
print(u8bad, gbbad, file=open("mixed.csv.off", "w"))
PY
read -r u8bad gbbad <mixed.csv.off
sha_before=$(bytes s.sqlite)
sg 1 import s.sqlite households mixed.csv
err_has "mixed\\.csv: the text is neither UTF-8 \\(byte 0x[0-9A-F]{2} at offset $u8bad\\)"
err_has "nor GBK/GB18030 \\(byte 0x[0-9A-F]{2} at offset $gbbad does not decode\\)"
eq "$(bytes s.sqlite)" "$sha_before" "store after the mixed CSV"

# a UTF-8 CSV (with BOM, as Excel writes "CSV UTF-8") stays UTF-8
printf '\xef\xbb\xbf户号,常住人口,经度,纬度\nU1,3,116.393,39.903\n' >u8.csv
sg 0 import s.sqlite households u8.csv --json
json_ok 'd["encoding"] == "UTF-8"' 'd["mapping"]["household_id"] == "户号"'

# ---- refuse loudly: fields the analyses need ------------------------------
# divisions with a code but no level: refused, columns and a --map line
cat >nolevel.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"代码": "D9", "名称": "王家村", "备注": "x", "村级": "行政村"},
 "geometry": {"type": "Polygon", "coordinates": [[[116.41, 39.90], [116.42, 39.90], [116.42, 39.91], [116.41, 39.91], [116.41, 39.90]]]}}
]}
EOF2
sha_before=$(bytes s.sqlite)
sg 1 import s.sqlite divisions nolevel.geojson
err_has 'nolevel\.geojson: layer divisions needs level'
err_has 'its columns: 代码, 名称, 备注, 村级'
err_has '\-\-map level=备注'
err_has '\-\-set level=county'
eq "$(bytes s.sqlite)" "$sha_before" "store after the refused divisions"
# the ready line, with the right column, imports it
sg 0 import s.sqlite divisions nolevel.geojson --map level=村级 --json
json_ok 'd["imported"] == 1' 'd["unused"] == ["备注"]'
eq "$(sql s.sqlite "SELECT level FROM divisions WHERE division_code = 'D9'")" \
    admin_village "level from --map"

# grids without division_code, and the --set way out
cat >g.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"网格编码": "G1", "网格级别": 1},
 "geometry": {"type": "Polygon", "coordinates": [[[116.41, 39.90], [116.42, 39.90], [116.42, 39.91], [116.41, 39.91], [116.41, 39.90]]]}}
]}
EOF2
sha_before=$(bytes s.sqlite)
sg 1 import s.sqlite grids g.geojson
err_has 'layer grids needs division_code'
eq "$(bytes s.sqlite)" "$sha_before" "store after the refused grids"
sg 0 import s.sqlite grids g.geojson --set division_code=D9 --quiet
eq "$(sql s.sqlite "SELECT grid_code, level, division_code FROM grids")" "G1|1|D9" "--set division_code"

# a facilities file (codes like SJD001, a 类型 column) imported as
# households, and a roster imported as points: refused with a hint
cat >facilities.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"编号": "SJD001", "名称": "东村收集点", "类型": "收集点"},
 "geometry": {"type": "Point", "coordinates": [116.395, 39.905]}}
]}
EOF2
sha_before=$(bytes s.sqlite)
sg 1 import s.sqlite households facilities.geojson
err_has 'layer households needs resident_population'
err_has "column '类型' is the kind of layer points"
err_has 'sanigrid import DB points facilities\.geojson'
sg 1 import s.sqlite points roster.csv
err_has 'layer points needs kind'
err_has "column '常住人口.*' is the resident_population of layer households"
eq "$(bytes s.sqlite)" "$sha_before" "store after the wrong layers"
# a facilities file without any type column, as households: the hint
# still says where facilities go
cat >sjd.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"编号": "SJD001", "名称": "东村收集点"},
 "geometry": {"type": "Point", "coordinates": [116.395, 39.905]}}
]}
EOF2
sg 1 import s.sqlite households sjd.geojson
err_has 'codes like SJD001\) goes into layer points'
# --set kind: every row gets it; a bad value is a usage error
sg 0 import s.sqlite points sjd.geojson --set kind=collection_point --json
json_ok 'd["set"] == {"kind": "collection_point"}' 'd["unused"] == []'
eq "$(sql s.sqlite "SELECT point_id, kind, name FROM points")" \
    "SJD001|collection_point|东村收集点" "--set kind"
sg 2 import s.sqlite points sjd.geojson --set kind=rubbish
err_has "'rubbish' is not one of collection_point"
sg 2 import s.sqlite points sjd.geojson --set kind
err_has '\-\-set takes FIELD=VALUE'

# roads without a class: imported, with a warning
cat >roads.geojson <<'EOF2'
{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"道路编号": "R1"},
 "geometry": {"type": "LineString", "coordinates": [[116.39, 39.90], [116.40, 39.90]]}}
]}
EOF2
sg 0 import s.sqlite roads roads.geojson
err_has 'no column gives class of layer roads'
err_has "staffing's road rule"

# no --src-crs and no CRS in the CSV: said
sg 0 import s.sqlite households u8.csv --mode replace
err_has 'coordinates taken as WGS 84 \(EPSG:4326\)'
! grep -q '^unused columns: ' "$T/out" || sg_fail "u8.csv has no unused column"
sg 0 import s.sqlite households roster.csv --mode replace
eq "$(grep -c '^unused columns:' "$T/out")" 0 "roster.csv: every column used"
sg 0 import s.sqlite points facilities.geojson --map kind=类型 --mode replace
out_has '^mapping: kind <- 类型 \(--map\), point_id <- 编号, name <- 名称$'
sg 0 import s.sqlite divisions nolevel.geojson --map level=村级 --mode replace
out_has '^unused columns: 备注 \(not imported; take one with --map FIELD=COLUMN\)$'

# arguments in the wrong order: said, and no store named households
sg 2 import households s.sqlite roster.csv
err_has "arguments in the wrong order: 'households' is a layer"
err_has 'sanigrid import s\.sqlite households roster\.csv'
[[ ! -e households ]] || sg_fail "a file named households was created"

sg_done
