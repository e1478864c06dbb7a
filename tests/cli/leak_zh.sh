#!/usr/bin/env bash
# No English leak under Chinese: on the demo store, report.html (its text
# nodes, outside <script>, <style> and <code>), every map theme drawn as
# PDF (pdftotext) and the spreadsheets exported in Chinese (XLSX cells)
# contain no English word outside an allow-list: product
# and data attributions, EPSG, formula names, and words of the data itself
# (place and road names, codes, ids, file names of the sources). A new
# label, column or value that reaches them in English fails here.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 demo demo --quiet
db=demo/demo.sqlite
sg 0 report "$db" -o report.html --lang zh --quiet
# the spreadsheets leaders read, exported in Chinese: their cells' text
for t in rankings staffing coverage_stats allocation_summary service_areas; do
    sg 0 export "$db" "$t" "$t.xlsx" --lang zh --quiet
    # (python's zipfile: unzip is not in a minimal Debian)
    "$SG_PYTHON" -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml"))' \
        "$t.xlsx" >"$t.xlsx.xml"
done
for th in grids coverage staffing allocation plan sites ranking; do
    sg 0 render "$db" --theme "$th" -o "map-$th.pdf" --lang zh --quiet
    pdftotext -enc UTF-8 "map-$th.pdf" "map-$th.txt"
done

sg_store_py "$db"
"$SG_PYTHON" - "$T" report.html map-*.txt *.xlsx.xml <<'PY' || sg_fail "English words under Chinese (above)"
import html, re, sys
sys.path.insert(0, sys.argv[1])
import sgstore
allow = {"EPSG", "OpenStreetMap", "contributors", "ODbL", "sanigrid",
         "Polsby", "Popper", "CJK", "Noto", "Sans", "GeoJSON", "QGIS"}
# words of the data: every text value of the input layers
for t in ("divisions", "grids", "roads", "points", "households", "cleaners",
          "inspections"):
    cols = [c[0] for c in sgstore.columns(t) if c[1] == "TEXT"]
    for c in cols:
        for (v,) in sgstore.rows(f'SELECT DISTINCT "{c}" FROM "{t}" WHERE "{c}" IS NOT NULL'):
            allow.update(re.findall(r"[A-Za-z][A-Za-z_]*", str(v)))
# ids that results make from the data (site candidates "road:R12:3")
for t, c in (("site_proposals", "candidate_id"), ("workloads", "cleaner_id")):
    for (v,) in sgstore.rows(f'SELECT DISTINCT "{c}" FROM "{t}"'):
        if v and re.fullmatch(r"[a-z]+:[^ ]+", str(v)):
            allow.add(str(v).split(":")[0])
bad = []
for path in sys.argv[2:]:
    text = open(path, encoding="utf-8").read()
    if path.endswith(".xml"):
        text = html.unescape(" ".join(re.findall(r"<t[^>]*>([^<]*)</t>", text)))
    if path.endswith(".html"):
        text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r'data:[^"]*', " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    # file paths and file names are data: /x/y/z.geojson, demo.sqlite
    # (and a PostgreSQL store's schema, which the report names)
    if sgstore.BACKEND == "pg":
        text = text.replace(sgstore.SCHEMA, " ")
    text = re.sub(r"\S*/\S*|\b[\w.-]+\.(?:sqlite|geojson|csv|xlsx|shp|gpkg|kml)\b", " ", text)
    for w in sorted(set(re.findall(r"[A-Za-z][A-Za-z_]{2,}", text))):
        if w not in allow and not re.fullmatch(r"[A-Z]{1,3}\d*", w):
            i = text.find(w)
            bad.append(f"{path}: {w!r} in …{text[max(0, i - 30):i + 30]!r}…")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print("no English leak in", len(sys.argv) - 2, "files")
PY
sg_done
