#!/usr/bin/env bash
# A CHECK constraint broken during an import into a PostgreSQL store
# (issue 21) is a reject of that row, named in the rejects file by
# feature and field, as on SpatiaLite, not a failed COPY of every row.
# An inspection sheet of 6 rows by hand: row 1 has a score and a
# deduction (score_or_deduction), row 2 a negative deduction
# (deduction_not_negative), rows 3-6 are good (a whole score, two
# findings, a note-only row); the same 4 rows are stored on both
# backends, the same 2 rejects written. Then a larger sheet (2000 good
# rows with one bad row in the middle): 2000 imported through COPY, the
# bad one rejected; and a households file whose population the importer
# already refuses keeps its own reason (not the store's).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/pgcluster.bash"
source "$(dirname "$0")/lib/pgsame.bash"
sg_setup
sg_pg_start

schema=county_import
pg="$SG_PG_DB?options=-csearch_path%3D$schema"
sl=$T/s.sqlite
sg 0 init "$sl" --crs EPSG:4545 --quiet
sg 0 init "$pg" --crs EPSG:4545 --quiet

cat >sheet.csv <<'CSV'
date,unit_code,score,deduction,item,notes
2026-01-02,X1,90,3,垃圾满溢,
2026-01-02,X2,,-2,杂物堆放,
2026-01-03,X1,80,,,
2026-01-04,X2,,3,垃圾满溢,
2026-01-04,X2,,,散落垃圾,
2026-01-05,X3,,,,只有备注
CSV
# the rejects go beside the store on SpatiaLite, to the current folder
# for PostgreSQL: run each from its own folder
mkdir sl pg
(cd sl && "$SG_BIN" import "$sl" inspections ../sheet.csv --json >../out 2>../err) && rc=0 || rc=$?
eq "$rc" 3 "exit of the SpatiaLite import with rejects"
cp out sl.json
(cd pg && "$SG_BIN" import "$pg" inspections ../sheet.csv --json >../out 2>../err) && rc=0 || rc=$?
eq "$rc" 3 "exit of the PostgreSQL import with rejects ($(cat err))"
json_ok 'd["read"] == 6' 'd["imported"] == 4' 'd["rejected"] == 2' \
    'd["rejects_file"] == "inspections.rejects.csv"'
pg_same_json sl.json out
expect='feature,id,field,reason
1,,"score,deduction","rejected by the store: CHECK constraint failed: score_or_deduction"
2,,"deduction","rejected by the store: CHECK constraint failed: deduction_not_negative"'
eq "$(cat pg/inspections.rejects.csv)" "$expect" "rejects of the PostgreSQL import"
eq "$(cat "$sl.inspections.rejects.csv")" "$expect" "rejects of the SpatiaLite import"
eq "$(sg_pg_psql "SELECT string_agg(date || ':' || unit_code || ':' || coalesce(score::text, '') || ':' || coalesce(deduction::text, '') || ':' || coalesce(item, ''), ' ' ORDER BY fid) FROM $schema.inspections")" \
    "$(sqlite3 -readonly "$sl" "SELECT group_concat(date || ':' || unit_code || ':' || ifnull(CAST(CAST(score AS INTEGER) AS TEXT), '') || ':' || ifnull(CAST(CAST(deduction AS INTEGER) AS TEXT), '') || ':' || ifnull(item, ''), ' ') FROM (SELECT * FROM inspections ORDER BY fid)")" \
    "rows stored by PostgreSQL and SpatiaLite"
eq "$(sg_pg_psql "SELECT count(*) FROM $schema.inspections")" 4 "rows stored"

# ---- many rows, one bad: the rest still go through COPY --------------------------
"$SG_PYTHON" - <<'PY'
with open("big.csv", "w", encoding="utf-8") as f:
    f.write("date,unit_code,score,deduction,item\n")
    for i in range(2001):
        if i == 1000:
            f.write("2026-02-01,B1000,70,5,x\n")  # score and deduction
        else:
            f.write("2026-02-01,B%d,%d,,\n" % (i, 50 + i % 50))
PY
(cd pg && "$SG_BIN" import "$pg" inspections ../big.csv --json >../out 2>../err) && rc=0 || rc=$?
eq "$rc" 3 "exit of the large import ($(cat err))"
json_ok 'd["imported"] == 2000' 'd["rejected"] == 1'
grep -q '^1001,,"score,deduction","rejected by the store: CHECK constraint failed: score_or_deduction"$' \
    pg/inspections.rejects.csv || sg_fail "the large import's reject: $(cat pg/inspections.rejects.csv)"
eq "$(sg_pg_psql "SELECT count(*) || ':' || sum(score) FROM $schema.inspections WHERE unit_code LIKE 'B%'")" \
    "$("$SG_PYTHON" -c 'print("2000:%d" % sum(50 + i % 50 for i in range(2001) if i != 1000))')" \
    "rows of the large import"

# ---- a value the importer refuses itself keeps its reason ------------------------
cat >hh.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"household_id":"H1","resident_population":-3},"geometry":{"type":"Point","coordinates":[500050,3300010]}},
{"type":"Feature","properties":{"household_id":"H2","resident_population":5},"geometry":{"type":"Point","coordinates":[500400,3300010]}}]}
EOF
(cd pg && "$SG_BIN" import "$pg" households ../hh.geojson --src-crs EPSG:4545 --json >../out 2>../err) && rc=0 || rc=$?
json_ok 'd["imported"] == 1' 'd["rejected"] == 1'
grep -q "^1,\"H1\",\"resident_population\",\"resident_population '-3' is negative\"$" \
    pg/households.rejects.csv || sg_fail "households rejects: $(cat pg/households.rejects.csv)"

sg_pg_stop
sg_done
