#!/usr/bin/env bash
# sanigrid rank: on a hand-made fixture (the one of tests/unit/test_rank.c:
# townships T (villages A, B, C) and U (village D); scores B 86, A 68.75,
# D 53, C 40 worked out there) — an inspection sheet with Chinese headers,
# unit names and item-level deductions; --json keys and values; the text
# listing; --red/--black/--tiers/--save-tiers; --weights, --period,
# --level and --within; the rankings layer and its XLSX export with
# Chinese headers; usage errors (exit 2) and a missing store (exit 3).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- fixture (EPSG:4545 metres) -----------------------------------------
source "$(dirname "$0")/lib/rank_fixture.bash"

sg 0 init fx.sqlite --crs EPSG:4545 --quiet
for l in divisions grids roads points households cleaners; do
    sg 0 import fx.sqlite $l $l.geojson --src-crs EPSG:4545 --quiet
done
# an unknown unit is rejected with its reason; the rest is imported
sg 3 import fx.sqlite inspections sheet.csv --json
json_ok 'd["read"] == 12' 'd["imported"] == 11' 'd["rejected"] == 1'
grep -q "unknown unit 'Nowhere'" "$(sg_rejects_file fx.sqlite inspections)" ||
    sg_fail "the rejects do not name the unknown unit"
eq "$(store_sql fx.sqlite "SELECT count(*) FROM inspections WHERE unit_code = '${KB}001' AND item = '散落垃圾'")" 1 \
    "the grid named by its name"
sg 0 check fx.sqlite --quiet
sg 0 coverage fx.sqlite --quiet
sg 0 staffing fx.sqlite --quiet

# ---- the ranking ------------------------------------------------------------
sg 0 rank fx.sqlite --json
err_empty
json_ok 'd["level"] == "admin_village"' 'd["within"] == "township"' \
    'd["period"] == {"label": "2026-Q4", "first": "2026-10-01", "last": "2026-12-31"}' \
    'd["period_from_data"] is True' 'd["latest_inspection"] == "2026-12-31"' \
    'd["previous_period"]["label"] == "2026-Q3"' 'd["previous_ranked"] is True' \
    'd["weights"] == {"coverage": 0.15, "staffing": 0.1, "grid": 0.1, "toilets": 0.15, "inspection": 0.5, "trend": 0}' \
    'd["red"] == 10' 'd["black"] == 5' 'd["scale"] == 100' \
    'd["list_share"] == 0.2 and d["list_min"] == 1' \
    'all(d["sources"][k] for k in ("coverage", "staffing", "grid"))' \
    'len(d["bands"]) == 5' \
    '[u["unit_code"] for u in d["units"]] == ["'$KB'", "'$KA'", "'$KC'", "'$KD'"]' \
    '[u["score"] for u in d["units"]] == [86, 68.75, 40, 53]' \
    '[u["rank"] for u in d["units"]] == [1, 2, 4, 3]' \
    '[u["rank_within"] for u in d["units"]] == [1, 2, 3, 1]' \
    '[u["previous_rank"] for u in d["units"]] == [1, 3, 2, 1]' \
    '[u["rank_change"] for u in d["units"]] == [0, 1, -1, 0]' \
    'd["units"][2]["missing"] == ["coverage", "toilets", "inspection"]' \
    'd["units"][2]["inspection"] is None and d["units"][2]["inspections"] == 0' \
    'd["units"][0]["inspection"] == 97 and d["units"][0]["inspections"] == 2' \
    'd["units"][1]["coverage"] == 25 and d["units"][1]["trend"] == 15' \
    '[g["code"] for g in d["groups"]] == ["'$KT'", "'$KU'"]' \
    'd["groups"][0]["red"] == ["'$KB'"] and d["groups"][0]["black"] == ["'$KC'"]' \
    'd["groups"][0]["red_size"] == 1 and d["groups"][0]["black_size"] == 1' \
    'd["groups"][1]["red"] == [] and d["groups"][1]["black"] == [] and d["groups"][1]["red_size"] == 0' \
    'd["totals"]["inspections"] == 5 and d["totals"]["inspections_elsewhere"] == 1'
q() { store_sql fx.sqlite "$1"; }
eq "$(q "SELECT $(sql_concat "unit_code || ':' || $(sql_fixed score 2) || ':' || rank_within || ':' || coalesce(tier, '')" "' '") FROM (SELECT * FROM rankings ORDER BY fid) AS s")" \
    "$KB:86.00:1:red $KA:68.75:2: $KC:40.00:3:black $KD:53.00:1:" "layer rankings"
eq "$(q "SELECT count(*) FROM rankings WHERE geom IS NOT NULL")" 4 "polygons in rankings"

# the text listing: parameters, a table per township, the lists' marks
sg 0 rank fx.sqlite
out_has '^rank: admin_village units within township, period 2026-Q4 \(2026-10-01\.\.2026-12-31\), the period of the latest inspection \(2026-12-31\)'
out_has '^weights: coverage 0\.15 staffing 0\.1 grid 0\.1 toilets 0\.15 inspection 0\.5 trend 0'
out_has '^lists per group: 0\.2 of the ranked units \(rounded down\), at least 1, at most 10 red and 5 black'
out_has "^$KT T: 3 units, 3 ranked; red list 1, black list 1"
out_has "^$KU U: 1 units, 1 ranked; red list 0, black list 0"
out_has '^note: a single ranked unit is on no list'

out_has "^ +1 +86\.00 +50\.0 +100\.0 +50\.0 +100\.0 +97\.0 +2 +-3\.0 +\+0 red +$KB B \[第1–10名\]"
out_has "^ +3 +40\.00 +- +0\.0 +80\.0 +- +- +0 +- +-1 black +$KC C \[第1–10名\] \(missing: coverage,toilets,inspection\)"
out_has '^4 of 4 units ranked; 5 inspections in the period \(1 more for units outside the ranking\)'
sg 0 rank fx.sqlite --quiet
out_empty

# lists, bands with amounts, saved as the new default
sg 0 rank fx.sqlite --red 1 --black 1 --tiers '1:一等:1000:200,2:二等:500,last1:末位:-800:-100' --save-tiers --json
json_ok '[u["tier"] for u in d["units"]] == ["red", None, "black", None]' \
    '[u["band"] for u in d["units"]] == ["一等", "二等", "末位", "一等"]' \
    '[u["amount_village"] for u in d["units"]] == [1000, 500, -800, 1000]' \
    '[u["amount_cadre"] for u in d["units"]] == [200, None, -100, 200]' \
    'd["groups"][0]["reward_village"] == 1500 and d["groups"][0]["fine_village"] == -800' \
    'd["totals"]["reward_village"] == 2500 and d["totals"]["fine_cadre"] == -100'
eq "$(q "SELECT $(sql_concat label) FROM (SELECT label FROM rank_tiers ORDER BY tier_id) AS s")" "一等,二等,末位" "saved bands"
sg 0 rank fx.sqlite --json
json_ok 'len(d["bands"]) == 3' '[u["band"] for u in d["units"]] == ["一等", "二等", "末位", "一等"]'
sg 0 rank fx.sqlite --tiers none --json
json_ok 'd["bands"] == []' 'all(u["band"] is None for u in d["units"])'
eq "$(q "SELECT count(*) FROM rank_tiers")" 3 "--tiers without --save-tiers stores nothing"

# weights: ties share a rank
sg 0 rank fx.sqlite --weights coverage=0,staffing=1,grid=0,toilets=0,inspection=0 --json
json_ok '[u["rank"] for u in d["units"]] == [1, 3, 4, 1]' 'd["weights"]["staffing"] == 1'
# another period: November, the week of B's findings
sg 0 rank fx.sqlite --period 2026-11 --json
json_ok 'd["period"]["label"] == "2026-11"' 'd["period_from_data"] is False' \
    'd["previous_period"]["label"] == "2026-10"' 'd["units"][1]["trend"] == -10'
sg 0 rank fx.sqlite --period 2026-W46 --json
json_ok 'd["period"] == {"label": "2026-W46", "first": "2026-11-09", "last": "2026-11-15"}' \
    'd["totals"]["inspections"] == 2'
# grids, within their village
sg 0 rank fx.sqlite --level grid --within admin_village --json
json_ok 'len(d["units"]) == 7' 'len(d["groups"]) == 4' \
    'any(u["unit_code"] == "'${KB}001'" and u["score"] == 99.44 for u in d["units"])'
# the grid indicator is 100 x max(0, 1 - ...), as --help says: D's two
# grids of 600 000 m2 overlap on 200 000; without leaders each has
# 200 000 (overlap) + 600 000 + 200 000 (ownerless) > 600 000: 0, not -67
sg_store_copy fx.sqlite own.sqlite
store_exec own.sqlite "UPDATE grids SET grid_leader = NULL WHERE grid_code LIKE '${KD}%'" ||
    sg_fail "cannot clear D's grid leaders"
sg 0 check own.sqlite --quiet
sg 0 rank own.sqlite --level grid --json
json_ok '[u["grid"] for u in d["units"] if u["unit_code"].startswith("'${KD}'")] == [0, 0]' \
    'all(0 <= u["grid"] <= 100 for u in d["units"] if u["grid"] is not None)'
sg 0 rank --help
out_has 'grid +100 x max\(0, 1 - \(gap \+ overlap \+ ownerless area\) / unit'

# ---- list sizes follow the number of units (issue 16) ----------------------
# N villages in one township, one inspection each, ranked on inspections
# only: scores 100, 99, ... (distinct). By hand (share 0.2, at least 1,
# at most 10 red / 5 black, the bottom never red, the top never black):
#   5 units: 1 red (the best), 1 black (the worst)
#   2 units: 1 red, 1 black; 1 unit: no list; 100 units: 10 red, 5 black
villages() { # N STORE
    local n=$1 db=$2 i
    {
        echo '{"type":"FeatureCollection","features":['
        poly 450100900000 T township null 500000 $((500000 + n * 100))
        for ((i = 1; i <= n; i++)); do
            echo ,
            poly $((450100900000 + i)) "V$i" admin_village '"450100900000"' \
                $((500000 + (i - 1) * 100)) $((500000 + i * 100))
        done
        echo ']}'
    } >v$n.geojson
    { echo '日期,村/网格,得分'
      for ((i = 1; i <= n; i++)); do echo "2026-11-02,V$i,$((101 - i))"; done
    } >v$n.csv
    sg 0 init $db --crs EPSG:4545 --quiet
    sg 0 import $db divisions v$n.geojson --src-crs EPSG:4545 --quiet
    sg 0 import $db inspections v$n.csv --quiet
}
lists() { # STORE -> "red codes|black codes" as V names
    store_sql "$1" "SELECT (SELECT coalesce($(sql_concat name "' '"), '') FROM (SELECT name FROM rankings WHERE tier = 'red' ORDER BY rank_within, name) AS r) || '|' || (SELECT coalesce($(sql_concat name "' '"), '') FROM (SELECT name FROM rankings WHERE tier = 'black' ORDER BY rank_within, name) AS b)"
}
W=coverage=0,staffing=0,grid=0,toilets=0,inspection=1
for n in 1 2 5 100; do
    villages $n v$n.sqlite
    sg 0 rank v$n.sqlite --weights $W --json
    json_ok "d[\"groups\"][0][\"ranked\"] == $n"
done
eq "$(lists v5.sqlite)" "V1|V5" "5 units: 1 red, 1 black"
eq "$(lists v2.sqlite)" "V1|V2" "2 units: the top red, the bottom black"
eq "$(lists v1.sqlite)" "|" "1 unit: on no list"
eq "$(lists v100.sqlite)" "V1 V2 V3 V4 V5 V6 V7 V8 V9 V10|V96 V97 V98 V99 V100" \
    "100 units: capped at 10 red, 5 black"
# --list-share 1: the largest lists, the bottom still not red
sg 0 rank v5.sqlite --weights $W --list-share 1 --json
eq "$(lists v5.sqlite)" "V1 V2 V3 V4|V5" "share 1 on 5 units: 4 red, 1 black"
# a tie at the bottom: V4 and V5 both 50 -> both black (ties are not
# split), V1 red; every unit equal: no list
sg_store_copy v5.sqlite tie.sqlite
store_exec tie.sqlite "UPDATE inspections SET score = 50 WHERE unit_code IN ('450100900004', '450100900005')" ||
    sg_fail "cannot tie V4 and V5"
sg 0 rank tie.sqlite --weights $W --quiet
eq "$(lists tie.sqlite)" "V1|V4 V5" "tie at the bottom"
store_exec tie.sqlite "UPDATE inspections SET score = 80" || sg_fail "cannot tie all"
sg 0 rank tie.sqlite --weights $W --quiet
eq "$(lists tie.sqlite)" "|" "all tied: no list"
sg 0 rank --help
out_has 'the bottom'
out_has '1 unit: on no list'

# ---- export for Excel: Chinese headers (--lang zh; export_zh.sh checks
# that --lang en keeps the field names) ---------------------------------------
sg 0 rank fx.sqlite --quiet
sg 0 export fx.sqlite rankings rankings.xlsx --quiet --lang zh
info=$(ogrinfo -ro -al rankings.xlsx)
for h in 单位编码 名称 综合得分 总名次 范围内名次 名次变化 红黑榜 奖惩档次; do
    grep -q "^  $h (" <<<"$info" || sg_fail "rankings.xlsx has no column $h"
done
sg 0 export fx.sqlite rankings rankings.csv --quiet --lang zh
head -n 1 rankings.csv | grep -q '单位编码,名称,级别,排名范围编码,排名范围,考核期' ||
    sg_fail "rankings.csv headers: $(head -n 1 rankings.csv)"

# ---- errors -----------------------------------------------------------------
before=$(store_state fx.sqlite)
for w in foo=1 coverage coverage=-1 coverage=x coverage=1,coverage=2 'coverage=1,' ''; do
    sg 2 rank fx.sqlite --weights "$w"
    err_has '--weights'
done
sg 2 rank fx.sqlite --period 2026-W54
err_has "bad period '2026-W54'"
sg 2 rank fx.sqlite --period 2026-13
sg 2 rank fx.sqlite --level village
sg 2 rank fx.sqlite --within moon
sg 2 rank fx.sqlite --within admin_village
err_has 'within a larger unit'
sg 2 rank fx.sqlite --red -1
sg 2 rank fx.sqlite --black x
sg 2 rank fx.sqlite --list-share 1.5
err_has '--list-share'
sg 2 rank fx.sqlite --list-share x
sg 2 rank fx.sqlite --tiers 5-1
sg 2 rank fx.sqlite --save-tiers
err_has '--save-tiers needs --tiers'
sg 2 rank fx.sqlite --weights coverage=0,staffing=0,grid=0,toilets=0,inspection=0
err_has 'every weight is 0'
sg 2 rank
sg 2 rank a.sqlite b.sqlite
eq "$(store_state fx.sqlite)" "$before" "store after refused runs"
sg 3 rank missing.sqlite
! sg_store_exists missing.sqlite || sg_fail "rank created missing.sqlite"
sg 0 rank missing.sqlite --weights foo --help
out_has '^usage: sanigrid rank DB'

sg_done
