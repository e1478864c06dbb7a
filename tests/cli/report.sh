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
json_ok 'set(d) == {"file", "sections", "maps", "png_maps", "tables", "charts", "webmap", "bytes"}' \
    'd["sections"] >= 2' 'd["maps"] == d["sections"]' 'd["tables"] >= 6' \
    "d['bytes'] == $(stat -c %s report.html 2>/dev/null || echo 0)"
# self-contained: no reference leaves the file (outside the inlined
# Leaflet, whose source names its web site in a string of its own;
# headless Chromium checks below that no request leaves the page)
noleaflet() { "$SG_PYTHON" -c 'import re, sys; sys.stdout.write(re.sub(r"<script id=\"leaflet-js\">.*?</script>", "", open(sys.argv[1], encoding="utf-8").read(), flags=re.S))' "$1"; }
if noleaflet report.html | grep -Eoi '(src|href)="(https?:)?//[^"]*"|url\((https?:)?//|@import' | head -3 | grep -q .; then
    sg_fail "report.html refers to the network: $(noleaflet report.html | grep -Eoi '(src|href)="(https?:)?//[^"]*"' | head -3)"
fi
grep -q '<svg' report.html || sg_fail "no inline SVG"
# the demo's maps are small: all inline SVG, no PNG
grep -q '<img src="data:image/png' report.html && sg_fail "a demo map was embedded as PNG"
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
store_sql "$db" 'SELECT blind_spot_id FROM blind_spots ORDER BY households DESC, fid LIMIT 20' >want.txt
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
    if noleaflet $f | grep -Eoi '(src|href)="(https?:)?//[^"]*"|url\((https?:)?//|@import' | head -3 | grep -q .; then
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
q() { store_sql "$db" "$1"; }
metric=$(q "SELECT $(sql_json params metric_used) FROM runs WHERE command = 'coverage' ORDER BY run_id DESC LIMIT 1")
beyond="sum(CASE WHEN covered_$metric = 0 THEN 1 ELSE 0 END)"
q "SELECT count(*), $beyond, $(sql_fixed "100.0 - 100.0 * $beyond / count(*)" 1) FROM coverage" >cov.txt
q "SELECT count(*), sum(CASE WHEN shortfall > 0 THEN 1 ELSE 0 END), sum(required), sum(current), sum($(sql_max shortfall 0)) FROM staffing" >staff.txt
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

# ---- long tables folded; scores over periods as small line charts ----------------
# a table of more than 15 rows sits in a <details> with its row count;
# shorter ones are not folded (rows counted from the HTML itself)
"$SG_PYTHON" - zh.html <<'PY' || sg_fail "folded tables"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
folded = shown = 0
for m in re.finditer(r'(<details class="fold" data-rows="(\d+)"><summary>[^\n]*?</summary>)?<div class="tbl"><table[^>]*id="([^"]+)".*?</table>', h, re.S):
    rows = len(re.findall(r"<tr[ >]", re.search(r"<tbody>(.*)</tbody>", m.group(0), re.S).group(1)))
    if rows > 15:
        assert m.group(1), ("long table not folded", m.group(3), rows)
        assert int(m.group(2)) == rows and ("（%d 行，点击展开）" % rows) in m.group(1), m.group(1)
        folded += 1
    else:
        assert not m.group(1), ("short table folded", m.group(3), rows)
        shown += 1
assert folded >= 2 and shown >= 2, (folded, shown)
PY
# the demo's inspections all fall in one quarter: no chart
json_ok 'd["charts"] == 0'
grep -q 'class="spark"' report.html && sg_fail "a score chart with one period"
# a second quarter: each village gets two inspections in 2026-Q3 with
# scores 60 + i and 70 + i (i = 1..5 in code order), so its Q3 mean is
# 65 + i; its Q4 mean is the inspection value rank wrote
sg_store_copy "$db" hist.sqlite
for i in 1 2 3 4 5; do
    store_exec hist.sqlite "INSERT INTO inspections (date, unit_code, score) VALUES
        ('2026-08-0$i', '99900110020$i', $((60 + i))), ('2026-09-1$i', '99900110020$i', $((70 + i)))" ||
        sg_fail "cannot add Q3 inspections"
done
sg 0 report hist.sqlite -o hist.html --lang zh --json
json_ok 'd["charts"] == 5'
store_sql hist.sqlite "SELECT unit_code || '|' || $(sql_fixed inspection 2) FROM rankings ORDER BY rank_within, unit_code" >q4.txt
"$SG_PYTHON" - hist.html q4.txt <<'PY' || sg_fail "score charts"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
charts = re.findall(r'<figure class="spark" data-unit="(\d+)" data-values="([^"]*)"><svg[^>]*>(.*?)</svg><figcaption>([^<]*)</figcaption>', h, re.S)
want = [l.split("|") for l in open(sys.argv[2]).read().split()]
# in rank order, one per village, Q3 = 65 + i, Q4 = rank's inspection mean
assert [c[0] for c in charts] == [w[0] for w in want], (charts, want)
for (code, values, svg, cap), (_, q4) in zip(charts, want):
    i = int(code[-1])
    assert values == "2026-Q3:%.2f;2026-Q4:%s" % (65 + i, q4), (code, values, q4)
    pts = re.search(r'<polyline points="([^"]*)"', svg).group(1).split()
    assert len(pts) == 2 and svg.count("<circle") == 2, svg
    # y of a point: 58 - 52 x score / 100 (0 at the bottom, 100 at the top)
    y3 = float(pts[0].split(",")[1])
    assert abs(y3 - (58 - 52 * (65 + i) / 100)) < 0.06, (y3, i)
    assert re.match(r"第\d+名 ", cap), cap
assert "各期检查得分" in h and "2026-Q3 至 2026-Q4" in h
PY

# ---- the interactive map: Leaflet from the system, inlined; GeoJSON layers ------
L=/usr/share/javascript/leaflet
[[ -f $L/leaflet.min.js && -f $L/leaflet.css ]] ||
    sg_fail "libjs-leaflet is not installed (scripts/install-deps installs it)"
sg 0 report "$db" -o map.html --lang zh --json
json_ok 'd["webmap"] is not None'
q "SELECT count(*) FROM divisions WHERE level = 'admin_village' AND geom IS NOT NULL" >n_vil.txt
q "SELECT count(*) FROM grids WHERE geom IS NOT NULL" >n_grid.txt
q "SELECT count(*) FROM points WHERE kind = 'collection_point' AND geom IS NOT NULL" >n_pt.txt
q "SELECT count(*), coalesce(sum(resident_population), 0) FROM households WHERE geom IS NOT NULL" >n_hh.txt
q "SELECT d.division_code || '|' || coalesce(CAST(r.rank_within AS TEXT), '') || '|' || coalesce(CAST($(sql_fixed r.score 2) AS TEXT), '') || '|' || coalesce(r.tier, '') || '|' || coalesce(CAST(s.required AS TEXT), '') || '|' || coalesce(CAST(s.current AS TEXT), '') || '|' || coalesce(CAST(s.shortfall AS TEXT), '')
   FROM divisions d LEFT JOIN rankings r ON r.unit_code = d.division_code LEFT JOIN staffing s ON s.division_code = d.division_code
  WHERE d.level = 'admin_village' ORDER BY d.division_code" >vil.txt
# the collection points in WGS 84 by GDAL (an independent transform)
ogr2ogr -f GeoJSON -t_srs EPSG:4326 -lco COORDINATE_PRECISION=7 -where "kind = 'collection_point'" pts84.geojson "$(sg_ogr_store "$db")" points 2>/dev/null ||
    sg_fail "ogr2ogr could not write the points in WGS 84"
"$SG_PYTHON" - map.html "$L" <<'PY' || sg_fail "the interactive map's data"
import json, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
L = sys.argv[2]
out = json.loads(open("out").read())["webmap"]
# Leaflet inlined as Debian ships it (less its source-map comment), its
# CSS with the icons as data: URIs
js = open(L + "/leaflet.min.js", encoding="utf-8").read()
js = js[:js.index("\n//# sourceMappingURL=") + 1] if "\n//# sourceMappingURL=" in js else js
got = re.search(r'<script id="leaflet-js">(.*?)</script>', h, re.S).group(1)
assert got == js, "inlined Leaflet differs from the system's"
sec = re.search(r'<section id="webmap">.*?</section>', h, re.S).group(0)
css = re.search(r"<style>(.*?)</style>", sec, re.S).group(1)
assert ".leaflet-container" in css and "url(images/" not in css
assert "url(data:image/png;base64," in css
assert 'id="webmap-map"' in sec and "webmap-missing" not in sec
D = json.loads(re.search(r'<script type="application/json" id="webmap-data">(.*?)</script>', h, re.S).group(1))
n = lambda f: int(open(f).read().split("|")[0])
assert len(D["villages"]["features"]) == n("n_vil.txt") == out["villages"], out
assert len(D["grids"]["features"]) == n("n_grid.txt") == out["grids"], out
assert len(D["points"]["features"]) == n("n_pt.txt") == out["points"], out
hh, res = open("n_hh.txt").read().strip().split("|")
cells = D["households"]["features"]
assert len(cells) == out["cells"] and 0 < len(cells) <= int(hh)
assert sum(c["properties"]["households"] for c in cells) == int(hh)
assert abs(sum(c["properties"]["residents"] for c in cells) - float(res)) < 1
assert all(c["properties"]["households"] > 0 and c["geometry"]["type"] == "Polygon"
           and len(c["geometry"]["coordinates"][0]) == 7 for c in cells)
# each village's numbers, as the store has them
want = {l.split("|")[0]: l.split("|")[1:] for l in open("vil.txt").read().split("\n") if l}
for f in D["villages"]["features"]:
    p = f["properties"]
    rk, sc, tier, req, cur, short = want[p["code"]]
    fmt = lambda v: "" if v is None else ("%.2f" % v if isinstance(v, float) else str(v))
    assert (fmt(p["rank"]), "" if p["score"] is None else "%.2f" % p["score"], p["tier"] or "",
            fmt(p["required"]), fmt(p["current"]), fmt(p["shortfall"])) == (rk, sc, tier, req, cur, short), (p, want[p["code"]])
# WGS 84 (lon, lat): the points as GDAL transforms them, to 1e-5 degree
g = {f["properties"]["point_id"]: f["geometry"]["coordinates"] for f in json.load(open("pts84.geojson"))["features"]}
for f in D["points"]["features"]:
    a, b = f["geometry"]["coordinates"], g[f["properties"]["code"]]
    assert abs(a[0] - b[0]) < 1e-5 and abs(a[1] - b[1]) < 1e-5, (a, b)
# the words of the map in Chinese
assert D["text"]["wm_villages"] == "行政村" and D["text"]["red"] == "红榜"
PY
# without Leaflet on the system: a note in the section, a warning, exit 0
sg_env 0 SANIGRID_LEAFLET_DIR="$T/no-leaflet" -- report "$db" -o noleaf.html --lang zh --json
json_ok 'd["webmap"] is None'
err_has 'libjs-leaflet'
err_has "$T/no-leaflet"
grep -q 'id="webmap-missing">没有交互地图' noleaf.html || sg_fail "no note without Leaflet"
grep -q 'leaflet-js' noleaf.html && sg_fail "Leaflet inlined without Leaflet"

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

# the interactive map in the browser, with no name resolving (a request
# that left would fail) and Resource Timing listing every request made:
# the map container holds the features of each layer, a village's popup
# shows its numbers. A control page with a network image proves the
# probe sees requests.
probe='<script>window.addEventListener("load",function(){setTimeout(function(){var r=performance.getEntriesByType("resource").map(function(e){return e.name;});document.body.setAttribute("data-requests",r.length+" "+r.join(" "));var m=document.getElementById("webmap-map");if(m&&window.sgWebmap){var v=sgWebmap.villages.getLayers()[0];v.openPopup();document.body.setAttribute("data-popup",document.querySelector(".leaflet-popup-content").textContent);document.body.setAttribute("data-paths",m.querySelectorAll("path.leaflet-interactive").length);}},200);});</script>'
{ cat map.html; echo "$probe"; } >mapprobe.html
{ echo '<html><body><img src="https://tiles.example.org/1/2/3.png">'; echo "$probe"; } >netprobe.html
for f in netprobe mapprobe; do
    browse --enable-logging=stderr --v=0 --host-resolver-rules="MAP * ~NOTFOUND" \
        --virtual-time-budget=10000 --dump-dom "file://$T/$f.html" >$f.dom 2>$f.log ||
        sg_fail "chromium failed on $f: $(tail -5 $f.log)"
done
grep -q 'data-requests="1 https://tiles.example.org/1/2/3.png"' netprobe.dom ||
    sg_fail "the request probe does not see a network request: $(grep -o 'data-requests="[^"]*"' netprobe.dom)"
grep -q 'data-requests="0 "' mapprobe.dom ||
    sg_fail "the report made requests: $(grep -o 'data-requests="[^"]*"' mapprobe.dom)"
if grep -q 'CONSOLE' mapprobe.log; then
    sg_fail "console messages with the interactive map: $(grep CONSOLE mapprobe.log | head -5)"
fi
"$SG_PYTHON" - mapprobe.dom map.html vil.txt <<'PY' || sg_fail "the interactive map in the browser"
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
h = open(sys.argv[2], encoding="utf-8").read()
D = json.loads(re.search(r'id="webmap-data">(.*?)</script>', h, re.S).group(1))
counts = [len(D[k]["features"]) for k in ("villages", "grids", "points", "households")]
m = re.search(r'<div id="webmap-map"[^>]*data-features="([^"]*)"', dom)
assert m and [int(x) for x in m.group(1).split(",")] == counts, (m and m.group(1), counts)
assert "leaflet-container" in dom
paths = int(re.search(r'data-paths="(\d+)"', dom).group(1))
assert paths == sum(counts), (paths, counts)   # every feature drawn (SVG)
popup = html.unescape(re.search(r'data-popup="([^"]*)"', dom).group(1))
first = sorted(f["properties"]["code"] for f in D["villages"]["features"])[0]
row = [l for l in open(sys.argv[3]).read().split("\n") if l.startswith(first + "|")][0].split("|")
assert first in popup and ("名次" + row[1]) in popup and ("得分" + row[2]) in popup, (popup, row)
assert ("需 %s 现 %s 缺 %s" % (row[4], row[5], row[6])) in popup, (popup, row)
PY

# names and codes in the tables read on one line at a laptop's width
# (a village name broken letter by letter, "Schell/enber/g", reads as
# three words): a probe counts, in every column headed by a name or a
# code, the cells whose text takes more than one line
wrapprobe='<script>window.addEventListener("load",function(){var bad=[],n=0;document.querySelectorAll("table").forEach(function(t){var hs=t.querySelectorAll("thead th");hs.forEach(function(h,i){var k=h.textContent.replace(/[\u25B2\u25BC ]/g,"");if(!/(名称|编码|代码)$/.test(k))return;t.querySelectorAll("tbody tr").forEach(function(tr){var td=tr.children[i];if(!td||!td.textContent.trim())return;n++;var r=document.createRange();r.selectNodeContents(td);var tops={};Array.prototype.forEach.call(r.getClientRects(),function(q){tops[Math.round(q.top)]=1;});if(Object.keys(tops).length>1)bad.push(td.textContent);});});});document.body.setAttribute("data-wrap",n+" "+bad.length+" "+bad.slice(0,5).join(","));});</script>'
{ cat zh.html; echo "$wrapprobe"; } >wrapprobe.html
browse --window-size=1280,900 --virtual-time-budget=5000 --dump-dom "file://$T/wrapprobe.html" >wrapprobe.dom 2>wrapprobe.log ||
    sg_fail "chromium failed on wrapprobe: $(tail -5 wrapprobe.log)"
wrap=$(grep -o 'data-wrap="[^"]*"' wrapprobe.dom || echo 'data-wrap="none"')
[[ $wrap =~ data-wrap=\"([0-9]+)\ 0\  ]] && ((BASH_REMATCH[1] >= 20)) ||
    sg_fail "names or codes wrapped in the report's tables (cells checked, wrapped, first ones): $wrap"

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
pdfinfo print.pdf >pdfinfo.txt
grep -Eq '^Page size: +59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)' pdfinfo.txt ||
    sg_fail "not printed on A4: $(pdfinfo print.pdf | grep 'Page size')"
# a page break before each section: every section heading (h2 of the
# page, the interactive map's too) is the first line of a page
for ((i = 1; i <= pages; i++)); do
    # (awk reads to the end: a reader that stops early kills pdftotext
    # with SIGPIPE, which pipefail turns into the test's exit 141)
    pdftotext -f $i -l $i print.pdf - | awk 'NF && !done {print; done = 1}'
done >firstlines.txt
"$SG_PYTHON" - zh.html firstlines.txt <<'PY' || sg_fail "printed report: a section does not start a page"
import html, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
heads = [html.unescape(x) for x in re.findall(r'<section id="(?!conclusion)[^"]*"><h2>([^<]*)</h2>', h)]
first = [l.strip() for l in open(sys.argv[2], encoding="utf-8")]
assert "交互地图" in heads and len(heads) >= 5, heads
missing = [x for x in heads if x not in first]
assert not missing, (missing, first)
PY
pdftotext print.pdf - | tr -d ' \t\n' >print.txt
grep -qF '结论' print.txt || sg_fail "printed report: no conclusion"
while read -r d; do
    grep -qF -- "${d// /}" print.txt || sg_fail "printed report: grid issue '$d' missing (a table clipped)"
done < <(q "SELECT codes FROM grid_issues ORDER BY fid DESC LIMIT 3")
while read -r name; do
    grep -qF -- "${name// /}" print.txt || sg_fail "printed report: ranking row '$name' missing"
done < <(q "SELECT name FROM rankings")
# the grid issues and blind spots tables are folded on screen: printed open
while read -r id; do
    grep -qF -- "$id" print.txt || sg_fail "printed report: folded blind spot row '$id' missing"
done < <(q "SELECT blind_spot_id FROM blind_spots ORDER BY households DESC, fid LIMIT 20 OFFSET 17")

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
