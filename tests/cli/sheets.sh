#!/usr/bin/env bash
# sanigrid sheets: one A4 page per administrative village of the demo
# store (pdfinfo), each page's text (pdftotext) holding the village's
# name and code, every cleaner of the village (layer cleaners) and every
# planned post (layer workloads), and the figures recomputed here with
# SQL from the store: households and residents beyond the radius (by the
# metric the coverage run used), blind spots, cleaners needed / present /
# missing, this period's score, rank and list, the grids without a
# leader. No personal data unless --include-personal. A store where no
# analysis ran prints 未计算. The PDF is written under a temporary name
# and renamed: a failed run leaves an earlier file as it was and no
# temporary behind. --png writes one PNG per page. The map's legend
# holds every entry of the layers in the village (the crop of its panel
# by pdftotext), none cut for room.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null ||
    sg_fail "pdftotext and pdfinfo (poppler-utils) are needed"

sg 0 sheets --help
out_has '^usage: sanigrid sheets'
out_has 'Exit codes'
sg 2 sheets
sg 2 sheets x.sqlite
err_has 'give DB and OUT.pdf'
sg 3 sheets nosuch.sqlite out.pdf

sg 0 demo demo --quiet
db=demo/demo.sqlite
q() { store_sql "$db" "$1"; }

sg 2 sheets "$db" out.pdf --all --division 999001100201
sg 1 sheets "$db" out.pdf --division 42
err_has "no division '42'"
[[ -e out.pdf ]] && sg_fail "a failed run wrote out.pdf"

villages=$(q "SELECT count(*) FROM divisions WHERE level = 'admin_village'")
[[ $villages -ge 2 ]] || sg_fail "the demo has $villages villages"
# every village's cleaners fit on its page (28 rows): one page each
most=$(q "SELECT max(n) FROM (SELECT count(*) AS n FROM workloads GROUP BY division_code) AS s")
[[ $most -le 28 ]] || sg_fail "a demo village has $most cleaners: more than a page"

sg 0 sheets "$db" sheets.pdf --date 2026-11-30 --json
json_ok 'set(d) == {"file", "villages", "pages", "cleaners", "png_files", "missing_glyphs"}' \
    "d['villages'] == $villages" "d['pages'] == $villages" \
    "d['cleaners'] == $(q 'SELECT count(*) FROM workloads')" \
    'd["png_files"] == 0' 'd["missing_glyphs"] == 0'
pages=$(pdfinfo sheets.pdf | sed -n 's/^Pages: *//p')
eq "$pages" "$villages" "pages of sheets.pdf"
ls sheets.pdf.* 2>/dev/null && sg_fail "a temporary file was left beside sheets.pdf"
[[ $(stat -c %a sheets.pdf) == 644 ]] || sg_fail "sheets.pdf has mode $(stat -c %a sheets.pdf)"

# ---- each page against the store ----------------------------------------------------
metric=$(q "SELECT $(sql_json params metric_used) FROM runs WHERE command = 'coverage' ORDER BY run_id DESC LIMIT 1")
[[ $metric == network || $metric == euclid ]] || sg_fail "coverage metric '$metric'"
i=0
while IFS='|' read -r code name; do
    i=$((i + 1))
    pdftotext -f $i -l $i sheets.pdf page.txt
    # pdftotext spaces Chinese and digits unevenly: compare without blanks
    tr -d ' \t\n' <page.txt >flat.txt
    has() { grep -qF -- "$1" flat.txt || sg_fail "page $i ($name): no '$1'"; }
    has "${name}农村人居环境整治责任清单"
    has "村代码$code"
    # every cleaner of the village and every planned post
    while read -r c; do has "$c"; done < <(q "SELECT cleaner_id FROM cleaners WHERE division_code = '$code'")
    want=$(q "SELECT count(*) FROM workloads WHERE division_code = '$code' AND status = 'planned'")
    got=$({ grep -o '拟增[0-9]*' flat.txt || true; } | sort -u | wc -l)
    eq "$got" "$want" "page $i: planned posts"
    has "保洁员责任表（$(q "SELECT count(*) FROM workloads WHERE division_code = '$code'")人"
    # coverage
    row=$(q "SELECT count(*), sum(CASE WHEN covered_$metric = 0 THEN 1 ELSE 0 END), sum(CASE WHEN covered_$metric = 0 THEN resident_population ELSE 0 END) FROM coverage WHERE division_code = '$code'")
    IFS='|' read -r hh beyond res_beyond <<<"$row"
    has "农户${hh}户"
    has "半径外${beyond}户"
    has "涉及${res_beyond}人"
    has "覆盖盲区$(q "SELECT count(*) FROM blind_spots WHERE division_code = '$code'")处"
    # staffing
    IFS='|' read -r need have short <<<"$(q "SELECT required, current, shortfall FROM staffing WHERE division_code = '$code'")"
    has "需${need}人"
    has "现${have}人"
    has "缺${short}人"
    # ranking
    IFS='|' read -r score rank n tier <<<"$(q "SELECT $(sql_fixed score 2), rank_within, (SELECT count(*) FROM rankings), coalesce(tier, '') FROM rankings WHERE unit_code = '$code'")"
    has "得分$score"
    has "名次$rank/$n"
    case $tier in
        red) has "红榜" ;;
        black) has "黑榜" ;;
        *) has "未上榜" ;;
    esac
    # grids without a leader: tagged on the map and listed
    nolead=$(q "SELECT count(*) FROM grids WHERE division_code = '$code' AND coalesce(trim(grid_leader), '') = ''")
    got=$({ grep -o '无网格长' flat.txt || true; } | wc -l)
    if [[ $nolead -gt 0 ]]; then
        [[ $got -ge $((2 * nolead)) ]] || sg_fail "page $i: $nolead grids without leader, '无网格长' $got times"
    else
        [[ $got -eq 0 ]] || sg_fail "page $i: '无网格长' on a village whose grids all have leaders"
    fi
    has "村级责任人（签字）"
    # the map's legend (the panel at the map's right: 442 to 570 pt
    # across, 72 to 365 pt down) holds every entry of the layers drawn
    # in the village, the titles of styles/*.sld: none left out
    pdftotext -f $i -l $i -x 440 -y 66 -W 140 -H 300 sheets.pdf - | tr -d ' \t\n' >legend.txt
    legend() { grep -qF -- "$1" legend.txt || sg_fail "page $i ($name): legend without '$1': $(cat legend.txt)"; }
    legend "图例"
    legend "行政区划"
    legend "乡镇界"
    legend "行政村界"
    [[ $(q "SELECT count(*) FROM grids WHERE division_code = '$code'") -eq 0 ]] || legend "网格网格"
    if [[ $(q "SELECT count(*) FROM cleaner_roads r, divisions d WHERE d.division_code = '$code'
            AND ST_Intersects(r.geom, d.geom)") -gt 0 ]]; then
        legend "保洁道路"
        legend "保洁道路（颜色同责任区）"
    fi
    if [[ $(q "SELECT count(*) FROM blind_spots WHERE division_code = '$code'") -gt 0 ]]; then
        legend "收集点服务盲区"
        legend "盲区（超出服务半径的农户聚集区）"
    fi
    while read -r kind; do
        legend "环卫设施"
        case $kind in
            collection_point) legend "垃圾收集点" ;;
            bin) legend "垃圾桶" ;;
            transfer_station) legend "转运站" ;;
            public_toilet) legend "公厕" ;;
        esac
    done < <(q "SELECT DISTINCT kind FROM points WHERE division_code = '$code'")
    grep -qF '…' legend.txt && sg_fail "page $i ($name): the legend is cut: $(cat legend.txt)"
    grep -q '未计算' flat.txt && sg_fail "page $i: 未计算 although every analysis ran"
    # no personal data
    while read -r p; do
        [[ -n $p ]] && grep -qF -- "$p" flat.txt && sg_fail "page $i: personal value '$p'"
    done < <(q "SELECT name FROM cleaners UNION SELECT grid_leader FROM grids")
done < <(q "SELECT division_code, name FROM divisions WHERE level = 'admin_village' ORDER BY division_code")
eq "$i" "$villages" "villages checked"

# --include-personal: the names are printed
sg 0 sheets "$db" named.pdf --division 999001100202 --include-personal --quiet
pdftotext named.pdf - | tr -d ' \t\n' >named.txt
while read -r p; do
    grep -qF -- "$p" named.txt || sg_fail "--include-personal: no '$p'"
done < <(q "SELECT name FROM cleaners WHERE division_code = '999001100202' UNION SELECT grid_leader FROM grids WHERE division_code = '999001100202' AND grid_leader <> ''")

# --division: only those pages, in the order of their codes
sg 0 sheets "$db" two.pdf --division 999001100203 --division 999001100201 --json
json_ok 'd["villages"] == 2' 'd["pages"] == 2'

# --png: one PNG per page
mkdir pngs
sg 0 sheets "$db" p.pdf --division 999001100205 --png pngs --json
json_ok 'd["png_files"] == 1'
file pngs/sheet-999001100205.png | grep -q 'PNG image data, 1241 x 1754' ||
    sg_fail "PNG page: $(file pngs/sheet-999001100205.png)"

# a failure half-way (the PNG folder is missing) leaves the earlier PDF
before=$(file_hash sheets.pdf)
sg 1 sheets "$db" sheets.pdf --png nosuchdir
err_has 'cannot write'
eq "$(file_hash sheets.pdf)" "$before" "sheets.pdf after a failed run"
ls sheets.pdf.* 2>/dev/null && sg_fail "a failed run left a temporary file"
sg 1 sheets "$db" /nonexistent/dir/s.pdf
err_has 'cannot write'

# ---- a store where no analysis ran: 未计算, not a failure ---------------------------------
sg 0 init bare.sqlite --quiet
for l in divisions grids cleaners; do
    sg 0 import bare.sqlite $l "$SG_SOURCE_DIR/data/demo/$l.geojson" --quiet
done
sg 0 sheets bare.sqlite bare.pdf --json
json_ok "d['villages'] == $villages" "d['pages'] == $villages"
pdftotext -f 1 -l 1 bare.pdf - | tr -d ' \t\n' >bare.txt
n=$({ grep -o '未计算' bare.txt || true; } | wc -l)
[[ $n -ge 4 ]] || sg_fail "bare store: 未计算 $n times (coverage, staffing, rank, period, work)"
grep -qF 'C001' bare.txt || sg_fail "bare store: cleaner C001 missing"

sg_done
