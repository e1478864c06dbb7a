#!/usr/bin/env bash
# sanigrid show (issue 14): a layer's first rows, the mapping of its last
# import and each field's fill rate.
# * the fill rates (--json, with and without --where) equal those SQLite
#   or PostgreSQL computes on the same store (count(col) / count(*));
# * the rows are the first in fid order (SQL on the same store);
# * the mapping is the one the import used (--map, header aliases, --set);
# * the table lines up with Chinese headers (--lang zh): every line of it
#   has the same display width;
# * a bad layer names the layers that exist (exit 2); a --where that
#   would write, call other functions or read other tables is refused
#   (exit 2) and the store is unchanged.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# 12 households with Chinese headers: 户号 (household_id), 人口
# (resident_population), addr (mapped with --map), 户主 (household_head,
# every fourth empty), addr empty for every third
"$SG_PYTHON" - <<'PY'
import json
feats = []
for i in range(12):
    feats.append({"type": "Feature", "properties": {
        "户号": "H%03d" % i, "人口": i % 5 + 1,
        "addr": None if i % 3 == 0 else "村%d号" % i,
        "户主": None if i % 4 == 0 else "张%d" % i},
        "geometry": {"type": "Point", "coordinates": [9.40 + i * 0.0004, 47.10]}})
json.dump({"type": "FeatureCollection", "features": feats},
          open("hh.geojson", "w"), ensure_ascii=False)
PY
sg 0 init s.sqlite --crs EPSG:32632 --quiet
sg 0 import s.sqlite households hh.geojson --map address=addr \
    --set household_toilet=sanitary --quiet
state=$(store_state s.sqlite)

# fill_check JSONFILE [WHERE]: fill rates and counts against SQL
fill_check()
{
    local where=${2:-1 = 1} cols k
    cols=$(store_columns s.sqlite households)
    printf '%s\n' "$cols" >fc_cols
    store_sql s.sqlite "SELECT count(*) FROM households WHERE $where" >fc_n
    store_sql s.sqlite "SELECT count(*) FROM households" >fc_total
    store_sql s.sqlite "SELECT $(sed 's/.*/count("&")/' <<<"$cols" | paste -sd,)
        FROM households WHERE $where" >fc_filled
    k=$("$SG_PYTHON" -c 'import json, sys; print(len(json.load(open(sys.argv[1], encoding="utf-8"))["rows"]))' "$1")
    store_sql s.sqlite "SELECT household_id FROM households WHERE $where
        ORDER BY fid LIMIT $k" >fc_rows
    "$SG_PYTHON" - "$1" <<'PY' || sg_fail "fill rates differ from SQL's"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
lines = lambda name: open(name, encoding="utf-8").read().split("\n")[:-1]
n = int(lines("fc_n")[0])
assert d["rows_matched"] == n, (d["rows_matched"], n)
assert d["rows_total"] == int(lines("fc_total")[0])
cols = lines("fc_cols")
got = {c["name"]: c for c in d["columns"]}
assert sorted(got) == sorted(cols), (sorted(got), sorted(cols))
for c, filled in zip(cols, lines("fc_filled")[0].split("|")):
    filled = int(filled)
    assert got[c]["filled"] == filled, (c, got[c]["filled"], filled)
    assert abs(got[c]["fill_rate"] - filled / n) < 1e-12, (c, got[c]["fill_rate"], filled / n)
# the rows: the first in fid order
want = lines("fc_rows")
assert [r["household_id"] for r in d["rows"]] == want, (d["rows"], want)
print("fill ok:", n, "rows")
PY
}

sg 0 show s.sqlite households --json
cp "$T/out" all.json
json_ok 'd["layer"] == "households"' 'len(d["rows"]) == 10' 'd["where"] is None' \
        'd["import"]["mode"] == "append"' 'd["import"]["source"].endswith("hh.geojson")' \
        'd["import"]["mapping"] == {"household_id": "户号", "resident_population": "人口", "address": "addr", "household_head": "户主"}' \
        'd["import"]["set"] == {"household_toilet": "sanitary"}' \
        '[c["name"] for c in d["columns"]][0] == "fid" and d["columns"][-1]["name"] == "geom"' \
        'd["columns"][-1]["type"] == "POINT" and d["rows"][0]["geom"] == "POINT"' \
        'd["rows"][0]["address"] is None and d["rows"][1]["address"] == "村1号"' \
        'd["rows"][0]["resident_population"] == 1' \
        '[c for c in d["columns"] if c["name"] == "household_id"][0]["header_zh"] == "农户编号"'
fill_check all.json
# the fixture is not trivial: some fields partly filled
"$SG_PYTHON" -c '
import json,sys
d = json.load(open("all.json", encoding="utf-8"))
r = {c["name"]: c["fill_rate"] for c in d["columns"]}
assert 0 < r["address"] < 1 and 0 < r["household_head"] < 1, r
assert r["cleaner_id"] == 0 and r["household_id"] == 1, r' || sg_fail "fixture fill rates"

where="resident_population >= 3 AND address IS NOT NULL"
sg 0 show s.sqlite households --where "$where" --limit 3 --json
cp "$T/out" where.json
json_ok 'len(d["rows"]) == 3' "d['where'] == '$where'"
fill_check where.json "$where"

sg 0 show s.sqlite households --limit 0 --json
json_ok 'd["rows"] == []' 'd["rows_matched"] == 12'

# text: the table, mapping and fill rates; lined up under zh
sg 0 show s.sqlite households --limit 4 --lang zh
out_has '^序号 +农户编号 +户主'
out_has '户号'
out_has 'household_toilet = sanitary \(--set\)'
out_has '^  地址 +66\.7 % +8$'
"$SG_PYTHON" - "$T/out" <<'PY' || sg_fail "the table does not line up"
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
table = lines[1:6]          # header + 4 rows
w = lambda s: sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
widths = {w(l) for l in table}
assert len(widths) == 1, [(w(l), l) for l in table]
# each column starts at the same display column in every line
head = table[0]
starts = [w(head[:i]) for i in range(len(head)) if head[i] != " " and (i == 0 or head[i-1] == " ")]
for l in table[1:]:
    for s in starts[1:]:
        pre = ""
        for ch in l:
            if w(pre) >= s:
                break
            pre += ch
        assert w(pre) == s, (s, l)
print("aligned:", len(table), "lines of", widths.pop(), "columns")
PY
# coded values by their Chinese label under zh (the dictionary's), as
# stored in English and in --json
label=$(awk -F, '$1 == "households" && $2 == "household_toilet" {print $0}' \
    "$SG_SOURCE_DIR/data/dictionary/fields.csv" | grep -o 'sanitary=[^|,]*' | cut -d= -f2)
[[ -n $label ]] || sg_fail "fields.csv has no label for sanitary"
grep -q "  $label  *[^ ]*  *POINT *\$" "$T/out" || sg_fail "the table under zh does not show '$label' for sanitary"
if sed -n 2,6p "$T/out" | grep -q 'sanitary'; then sg_fail "the table under zh shows the code sanitary"; fi
sg 0 show s.sqlite households --limit 2
out_has '^fid +household_id +household_head'
out_has ' sanitary '
out_has 'mapping of the last import'
out_has 'fill rate \(non-empty share of the 12 rows\)'

# refusals, and the store unchanged
sg 2 show s.sqlite househlds
err_has "has no layer 'househlds'; its layers: divisions, grids, roads, points, households, cleaners, inspections"
# (SQLite's authorizer names what it refuses; PostgreSQL refuses on its
# own terms, in a read-only transaction: tests/cli/pg_show.sh)
where_refused() { if sg_is_pg; then err_has "^sanigrid show: error: --where '"; else err_has "$1"; fi; }
sg 2 show s.sqlite households --where "CreateSpatialIndex('households', 'geom') = 1"
where_refused 'function CreateSpatialIndex\(\) is not allowed'
sg 2 show s.sqlite households --where "fid IN (SELECT run_id FROM runs)"
where_refused 'reading table runs is not allowed'
sg 2 show s.sqlite households --where "1); DROP TABLE households; --"
where_refused 'give one expression'
sg 2 show s.sqlite households --limit -1
eq "$(store_state s.sqlite)" "$state" "the store after show"
# a layer never imported: no mapping
sg 0 show s.sqlite roads --json
json_ok 'd["import"] is None' 'd["rows_matched"] == 0' 'd["rows"] == []'
sg_done
