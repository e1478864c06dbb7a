#!/usr/bin/env bash
# sanigrid report: one self-contained HTML file from the demo store (after
# check and coverage): the sections present and only those, inline SVG
# maps, sortable tables, no network references, Chinese or English by
# LANG or --lang; maps over --svg-max-features features embedded as PNG
# data (valid PNGs drawn at 2x, alt text = the map's title; SVG and PNG
# maps in one page); a long table cut to its worst rows, in the same
# order as SQL sorts them, with a note; opened in headless Chromium: no
# console errors, the script ran, the expected tables, a table sorted
# through the URL, the PNG maps decoded, and a screenshot that is not
# blank. Skips the browser part, saying so, only when chromium is not
# installed.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 report --help
out_has '^usage: sanigrid report'
out_has 'Exit codes'
sg 2 report
sg 2 report x.sqlite
err_has 'give -o'
sg 3 report nosuch.sqlite -o r.html

sg 0 demo demo --quiet
db=demo/demo.sqlite

sg 0 report "$db" -o report.html --date 2026-11-30 --json
json_ok 'set(d) == {"file", "sections", "maps", "png_maps", "tables", "bytes"}' \
    'd["sections"] >= 2' 'd["maps"] == d["sections"]' 'd["tables"] >= 6' \
    "d['bytes'] == $(stat -c %s report.html 2>/dev/null || echo 0)"
# self-contained: no reference leaves the file
if grep -Eoi '(src|href)="(https?:)?//[^"]*"|url\((https?:)?//|@import' report.html | head -3 | grep -q .; then
    sg_fail "report.html refers to the network: $(grep -Eoi '(src|href)="(https?:)?//[^"]*"' report.html | head -3)"
fi
grep -q '<svg' report.html || sg_fail "no inline SVG"
# the demo's maps are small: all inline SVG, no PNG
grep -q 'data:image/png' report.html && sg_fail "a demo map was embedded as PNG"
json_ok 'd["png_maps"] == 0'
ls -A | grep -q sgtmp && sg_fail "a temporary report file left behind"
grep -q 'id="t-grids-1"' report.html || sg_fail "no grid issues table"
grep -q 'id="t-coverage-1"' report.html || sg_fail "no coverage table"
grep -q 'id="t-runs"' report.html || sg_fail "no runs table"
grep -q '© OpenStreetMap contributors' report.html || sg_fail "no OSM attribution"
# the demo ranks its villages: a ranking section
grep -q 'id="ranking"' report.html || sg_fail "no ranking section for the demo's rankings"
# personal fields never reach the report
grep -Eq '户主[0-9]|网格长[0-9]|1380000' report.html && sg_fail "personal data in the report"

# the language: LANG=zh_* gives Chinese, anything else English, --lang wins
sg_env 0 LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= -- report "$db" -o zh.html --quiet
grep -q '<html lang="zh-CN">' zh.html || sg_fail "LANG=zh_CN did not give Chinese"
grep -q '收集点覆盖' zh.html || sg_fail "no Chinese section title"
sg_env 0 LANG=C LC_ALL= LC_MESSAGES= -- report "$db" -o en.html --quiet
grep -q '<html lang="en">' en.html || sg_fail "LANG=C did not give English"
grep -q 'Coverage by collection points' en.html || sg_fail "no English section title"
sg_env 0 LANG=C LC_ALL= LC_MESSAGES= -- report "$db" -o zh2.html --lang zh --quiet
grep -q '<html lang="zh-CN">' zh2.html || sg_fail "--lang zh ignored"
sg 2 report "$db" -o x.html --lang fr
sg 1 report "$db" -o /nonexistent/dir/r.html
err_has 'cannot write'

# a long table shows its worst rows, as SQL orders them (ties in the
# layer's order), and says how many there are: the demo's 48 blind spots,
# 20 shown (kept 40 at a time while reading: the cut-off path runs)
grep -Eq '\(first 20 of [0-9]+ rows; export the layer <code>blind_spots</code> for all\)' en.html ||
    sg_fail "no note under the cut blind spots table"
sqlite3 "$db" 'SELECT blind_spot_id FROM blind_spots ORDER BY households DESC, fid LIMIT 20' >want.txt
"$SG_PYTHON" - en.html want.txt <<'PY' || sg_fail "the largest blind spots are not the SQL's top 20"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
table = re.search(r'<table[^>]*id="t-coverage-3".*?</table>', html, re.S).group(0)
body = re.search(r'<tbody>(.*)</tbody>', table, re.S).group(1)
got = [re.findall(r'data-v="([^"]*)"', r)[0] for r in re.findall(r'<tr[^>]*>(.*?)</tr>', body, re.S)]
want = open(sys.argv[2]).read().split()
assert [float(x) for x in got] == [float(x) for x in want], (got, want)
PY

# large maps as PNG: --svg-max-features lowers the limit (default 20000)
# so that the demo's bigger maps (roads, households) pass it and the
# smaller ones do not; 0 makes every map a PNG
sg 2 report "$db" -o x.html --svg-max-features -1
err_has 'svg-max-features'
sg 2 report "$db" -o x.html --svg-max-features many
sg 0 report "$db" -o mixed.html --lang en --svg-max-features 1000 --json
json_ok 'd["png_maps"] > 0' 'd["png_maps"] < d["maps"]' \
    "d['bytes'] == $(stat -c %s mixed.html 2>/dev/null || echo 0)"
sg 0 report "$db" -o png.html --lang en --svg-max-features 0 --json
json_ok 'd["png_maps"] == d["maps"]' 'd["maps"] == d["sections"]'
for f in mixed.html png.html; do
    if grep -Eoi '(src|href)="(https?:)?//[^"]*"|url\((https?:)?//|@import' $f | head -3 | grep -q .; then
        sg_fail "$f refers to the network"
    fi
done
"$SG_PYTHON" - mixed.html png.html <<'PY' || sg_fail "PNG maps"
import base64, re, struct, sys
titles = {"Grids, gaps and overlaps", "Coverage by collection points",
          "Cleaner staffing shortfall", "Cleaners&#39; service areas",
          "Proposed grids", "Proposed collection points",
          "Ranking, red and black lists", "Collection routes"}
for path, want_svg in ((sys.argv[1], True), (sys.argv[2], False)):
    html = open(path, encoding="utf-8").read()
    figs = re.findall(r'<figure>(.*?)</figure>', html, re.S)
    imgs = re.findall(r'<img src="data:image/png;base64,([^"]*)" width="(\d+)" '
                      r'height="(\d+)" alt="([^"]*)">', html)
    assert imgs, path
    assert len(imgs) + html.count("<svg") == len(figs), (path, len(imgs), len(figs))
    assert ("<svg" in html) == want_svg, path
    for data, w, h, alt in imgs:
        png = base64.b64decode(data, validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        assert png[12:16] == b"IHDR"
        pw, ph = struct.unpack(">II", png[16:24])
        assert (pw, ph) == (2 * int(w), 2 * int(h)), (pw, ph, w, h)
        assert png[-8:-4] == b"IEND", "PNG cut short"
        assert len(png) > 50000, len(png)  # a drawn map, not a blank page
        assert alt in titles, alt
PY
ls -A | grep -q sgtmp && sg_fail "a temporary report file left behind"

# ---- the conclusion, the ranking table's first columns, print CSS -----------------
# the conclusion comes first (before the overview and every map), its
# figures recomputed here from the store with SQL
q() { sqlite3 -readonly "$db" "$1"; }
metric=$(q "SELECT json_extract(params, '$.metric_used') FROM runs WHERE command = 'coverage' ORDER BY run_id DESC LIMIT 1")
q "SELECT count(*), sum(covered_$metric = 0), printf('%.1f', 100.0 - 100.0 * sum(covered_$metric = 0) / count(*)) FROM coverage" >cov.txt
q "SELECT count(*), sum(shortfall > 0), sum(required), sum(current), sum(max(shortfall, 0)) FROM staffing" >staff.txt
q "SELECT tier || '|' || name FROM rankings WHERE tier IN ('red', 'black') AND period = (SELECT max(period) FROM rankings)" >lists.txt
q "SELECT count(*) FROM grid_issues WHERE kind = 'no_leader'" >nolead.txt
"$SG_PYTHON" - zh.html en.html <<'PY' || sg_fail "the conclusion does not say what the store holds"
import re, sys
zh = open(sys.argv[1], encoding="utf-8").read()
en = open(sys.argv[2], encoding="utf-8").read()
for h in (zh, en):
    c = h.index('id="conclusion"')
    assert c < h.index('id="overview"') and c < h.index("<svg"), "conclusion not first"
text = re.sub(r"<[^>]+>", "", re.search(r'<section id="conclusion">.*?</section>', zh, re.S).group(0))
hh, beyond, pct = open("cov.txt").read().strip().split("|")
assert "收集点覆盖率 %s%%：%s 户中 %s 户在服务半径" % (pct, hh, beyond) in text, text
n, short, need, have, miss = open("staff.txt").read().strip().split("|")
assert "%s 个村中 %s 个村保洁员不足：需 %s 人，现 %s 人，缺 %s 人" % (n, short, need, have, miss) in text, text
red = re.search(r"红榜 (.*?)；黑榜 (.*?)。", text)
for line in open("lists.txt", encoding="utf-8").read().split("\n"):
    if line:
        tier, name = line.split("|", 1)
        assert name in red.group(1 if tier == "red" else 2), (name, tier, text)
assert "%s 个网格无网格长" % open("nolead.txt").read().strip() in text, text
assert "Collection points cover %s%% of households" % pct in re.sub(r"<[^>]+>", "", en)
# the ranking table starts with the columns people read
t = re.search(r'<table[^>]*id="t-ranking-1".*?</thead>', zh, re.S).group(0)
heads = [x for x in re.findall(r"<th[^>]*>([^<]*)", t) if x]
assert heads[:4] == ["名次", "名称", "得分", "等次"], heads
# printed: no table scrolls or clips, the map column flows
css = re.search(r"<style>(.*?)</style>", zh, re.S).group(1)
pr = css[css.index("@media print"):]
for rule in (".tbl{max-height:none;overflow:visible}", "th{position:static}", ".cols{display:block}"):
    assert rule in pr, rule
assert "@page{size:A4" in css
PY

# ---- in a browser -----------------------------------------------------------------
chrome=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $chrome ]]; then
    echo "skipped: chromium is not installed (scripts/install-deps installs it); browser checks not run"
    sg_done
    exit 0
fi
browse()
{
    # browse ARGS...: headless Chromium, no network, a fresh profile
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-extensions \
        --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@"
}
# the console check catches errors (shown on a page made to fail)
printf '<html><body><script>no_such_function();</script></body></html>' >bad.html
browse --enable-logging=stderr --v=0 --dump-dom "file://$T/bad.html" >bad.dom 2>bad.log || true
grep -q 'CONSOLE.*Uncaught' bad.log || sg_fail "the console check does not see errors: $(grep -c . bad.log) log lines"

url="file://$T/zh.html"
browse --enable-logging=stderr --v=0 --dump-dom "$url#sort=t-coverage-1:2:desc" >dom.html 2>browser.log ||
    sg_fail "chromium failed: $(tail -5 browser.log)"
if grep -q 'CONSOLE' browser.log; then
    sg_fail "console messages: $(grep CONSOLE browser.log | head -5)"
fi
grep -q 'data-ready="1"' dom.html || sg_fail "the report's script did not run"
"$SG_PYTHON" - dom.html <<'PY' || sg_fail "tables in the browser's DOM"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
for tid in ("t-overview", "t-grids-1", "t-coverage-1", "t-coverage-2", "t-coverage-3", "t-runs"):
    assert 'id="%s"' % tid in dom, tid
# the table sorted through the URL: households (column 2), descending
table = re.search(r'<table[^>]*id="t-coverage-1".*?</table>', dom, re.S).group(0)
assert 'class="desc"' in table, "no sorted heading"
rows = re.findall(r'<tr[^>]*>(.*?)</tr>', re.search(r'<tbody>(.*)</tbody>', table, re.S).group(1), re.S)
vals = [float(re.findall(r'data-v="([^"]*)"', r)[0]) for r in rows]
assert len(vals) >= 5, vals
assert vals == sorted(vals, reverse=True), vals
# the maps are inline SVG with their own ids
assert dom.count("<svg") >= 2
PY

# the page with SVG and PNG maps: no console errors, and every PNG decoded
# (naturalWidth is 0 for an image the browser could not read); a probe
# script added at the end of a copy reports it in the DOM
{ cat mixed.html; printf '%s\n' '<script>window.addEventListener("load",function(){' \
    'var im=document.images,ok=0;for(var i=0;i<im.length;i++)if(im[i].naturalWidth>0)ok++;' \
    'document.body.setAttribute("data-png",ok+"/"+im.length);});</script>'; } >probe.html
browse --enable-logging=stderr --v=0 --virtual-time-budget=10000 --dump-dom \
    "file://$T/probe.html" >probe.dom 2>probe.log || sg_fail "chromium failed: $(tail -5 probe.log)"
if grep -q 'CONSOLE' probe.log; then
    sg_fail "console messages with PNG maps: $(grep CONSOLE probe.log | head -5)"
fi
grep -q 'data-ready="1"' probe.dom || sg_fail "the report's script did not run with PNG maps"
n=$(grep -o '<img src="data:image/png' mixed.html | wc -l)
grep -q "data-png=\"$n/$n\"" probe.dom ||
    sg_fail "PNG maps not decoded: $(grep -o 'data-png="[^"]*"' probe.dom || echo no probe result) of $n"

# printed to PDF (A4): every row of the longest table is in the text,
# so no table is clipped; the conclusion and the ranking are there
browse --no-pdf-header-footer --print-to-pdf="$T/print.pdf" "$url" >/dev/null 2>&1 ||
    sg_fail "chromium could not print the report"
pages=$(pdfinfo print.pdf | sed -n 's/^Pages: *//p')
[[ $pages -ge 4 ]] || sg_fail "the printed report has $pages pages"
pdftotext print.pdf - | tr -d ' \t\n' >print.txt
grep -qF '结论' print.txt || sg_fail "printed report: no conclusion"
while read -r d; do
    grep -qF -- "${d// /}" print.txt || sg_fail "printed report: grid issue '$d' missing (a table clipped)"
done < <(q "SELECT codes FROM grid_issues ORDER BY fid DESC LIMIT 3")
while read -r name; do
    grep -qF -- "${name// /}" print.txt || sg_fail "printed report: ranking row '$name' missing"
done < <(q "SELECT name FROM rankings")

browse --screenshot="$T/shot.png" --window-size=1280,2000 "$url" >/dev/null 2>&1 ||
    sg_fail "chromium could not take a screenshot"
file shot.png | grep -q 'PNG image data, 1280 x 2000' || sg_fail "screenshot: $(file shot.png)"
# not blank: the pixels vary (GDAL computes the statistics)
gdalinfo -stats shot.png 2>/dev/null | sed -n 's/.*STDDEV=\([0-9.]*\).*/\1/p' >stats.txt
"$SG_PYTHON" - stats.txt <<'PY' || sg_fail "the screenshot is blank"
import sys
sd = [float(x) for x in open(sys.argv[1]).read().split()]
assert sd and max(sd) > 20, sd
PY

sg_done
