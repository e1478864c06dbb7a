#!/usr/bin/env bash
# Personal data (household heads, phones, grid leaders, cleaners' names,
# inspectors) never leaves the store unless --include-personal is given:
# not in the demo's outputs (every layer), not in exports in any format,
# not in stdout/stderr (with -v and GDAL debug messages on), not in the
# rejects files. The store itself may hold them.
# The personal values are read from data/demo; every format is also
# exported with --include-personal and must then hold them, which shows
# that the scan can find them in that format (zip members of XLSX are
# scanned decompressed). Maps are rendered as PDF and SVG too, and the
# PDFs' text (labels, legend, title) is extracted with pdftotext: PNG maps
# hold only pixels. The HTML report is scanned as text.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

data=$SG_SOURCE_DIR/data
[[ -d $data/demo ]] || sg_fail "no demo data in $data/demo"
export CPL_DEBUG=ON # GDAL's debug messages reach the log (shown with -v)

# ---- the personal values of data/demo ---------------------------------------------
"$SG_PYTHON" - "$data/demo" <<'PY' || sg_fail "reading data/demo"
import csv, json, os, sys
demo = sys.argv[1]
fields = {"households": ["household_head", "phone"],
          "grids": ["grid_leader", "phone"],
          "cleaners": ["name", "phone"]}
values = {}
for layer, keys in fields.items():
    with open(os.path.join(demo, layer + ".geojson"), encoding="utf-8") as f:
        for ft in json.load(f)["features"]:
            for k in keys:
                v = ft["properties"].get(k)
                if v not in (None, ""):
                    values.setdefault(layer, set()).add(str(v))
with open(os.path.join(demo, "inspections.csv"), encoding="utf-8") as f:
    values["inspections"] = {r["inspector"] for r in csv.DictReader(f)
                             if r.get("inspector")}
for layer, vs in values.items():
    assert len(vs) >= 2, (layer, vs)   # else this test proves nothing
    # short values could match by chance inside other text
    with open("personal.%s.txt" % layer, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(v for v in vs if len(v) >= 3)) + "\n")
with open("personal.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(v for vs in values.values() for v in vs
                             if len(v) >= 3)) + "\n")
# grid names: labels that a grids map must show (the pdftotext control)
with open(os.path.join(demo, "grids.geojson"), encoding="utf-8") as f:
    names = [ft["properties"].get("name") for ft in json.load(f)["features"]]
with open("gridnames.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(n for n in names if n) + "\n")
PY

# scan.py PATTERNS FILE...: print "FILE: VALUE" for each personal value
# found in each file (zip members decompressed); exit 1 if any
cat >scan.py <<'PY'
import sys, zipfile
pats = [p.encode("utf-8") for p in open(sys.argv[1], encoding="utf-8").read().split("\n") if p]
found = 0
for path in sys.argv[2:]:
    blobs = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            blobs = [(path + ":" + n, z.read(n)) for n in z.namelist()]
    else:
        blobs = [(path, open(path, "rb").read())]
    for name, b in blobs:
        hits = [p for p in pats if p in b]
        for p in hits[:3]:
            print("%s: %s" % (name, p.decode("utf-8")))
        found += len(hits)
sys.exit(1 if found else 0)
PY
# no_personal WHAT FILE...: none of the personal values in the files
no_personal()
{
    local what=$1
    shift
    if ! "$SG_PYTHON" scan.py personal.txt "$@" >leaks.txt; then
        head -n 20 leaks.txt >&2
        sg_fail "personal data in $what"
    fi
}
# has_personal LAYER WHAT FILE...: some personal value of LAYER is in the
# files (the positive control for --include-personal)
has_personal()
{
    local layer=$1 what=$2
    shift 2
    "$SG_PYTHON" scan.py "personal.$layer.txt" "$@" >/dev/null &&
        sg_fail "no personal value of $layer in $what (--include-personal)"
    return 0
}
# run_logged EXIT ARGS...: sg, keeping stdout and stderr in logs/
nlog=0
run_logged()
{
    sg "$@"
    nlog=$((nlog + 1))
    mkdir -p logs
    cp "$T/out" "logs/$nlog.out"
    cp "$T/err" "logs/$nlog.err"
}

# ---- the demo: every output file, stdout and stderr --------------------------------------
out=$T/demo
run_logged 0 demo "$out" --data "$data" --json
store=$out/demo.sqlite
# the store does hold the values (so the scans below could find them): the
# file's bytes, or on PostgreSQL its schema as pg_dump writes it
if sg_is_pg; then
    "$SG_PG_BIN/pg_dump" -n "$(sg_store_schema "$store")" >store.dump ||
        sg_fail "pg_dump of the demo schema failed"
    store_bytes=store.dump
else
    store_bytes=$store
fi
"$SG_PYTHON" scan.py personal.households.txt "$store_bytes" >/dev/null &&
    sg_fail "demo.sqlite does not hold the households' personal data"
files=()
while IFS= read -r -d '' f; do
    files+=("$f")
done < <(find "$out" -type f ! -name 'demo.sqlite' ! -name 'demo.sqlite-*' -print0)
((${#files[@]} >= 8)) || sg_fail "the demo wrote only ${#files[@]} files"
no_personal "the demo's outputs" "${files[@]}"

# ---- maps (PDF text, SVG) and the report ------------------------------------------------
mkdir maps
for theme in grids coverage staffing; do
    run_logged 0 render "$store" --theme "$theme" -o "maps/$theme.pdf" --quiet
    run_logged 0 render "$store" --theme "$theme" -o "maps/$theme.svg" --json
done
run_logged 0 report "$store" -o maps/report.html --quiet
run_logged 0 report "$store" -o maps/report-en.html --lang en --json
if command -v pdftotext >/dev/null; then
    for f in maps/*.pdf; do
        pdftotext -enc UTF-8 "$f" "$f.txt"
    done
    # the labels are text that the scan can see
    grep -qF -f gridnames.txt maps/grids.pdf.txt ||
        sg_fail "no grid name in the text of the grids map (pdftotext)"
else
    echo "note: no pdftotext (poppler-utils): the PDF maps' text is not scanned"
fi
no_personal "the maps and the report" maps/*

# ---- the layers with personal fields in every format ---------------------------------
# Without --include-personal none of their values may appear. The columns
# an export writes do not depend on the format, so the other layers
# (results included) are covered by the demo's GeoJSON/CSV of every
# layer above. With --include-personal the values must appear: once per
# format (households), and once per layer.
mkdir ex inc
for layer in households grids cleaners inspections; do
    exts="csv xlsx gpkg"
    [[ $layer != inspections ]] && exts+=" geojson kml shp"
    for ext in $exts; do
        run_logged 0 export "$store" "$layer" "ex/$layer.$ext" --quiet
    done
done
no_personal "exports without --include-personal" ex/*
for ext in csv xlsx gpkg geojson kml shp; do
    run_logged 0 export "$store" households "inc/households.$ext" \
        --include-personal --quiet
    has_personal households "inc/households.$ext" inc/households.*
done
for lf in grids:kml cleaners:shp inspections:xlsx; do
    layer=${lf%%:*}
    run_logged 0 export "$store" "$layer" "inc/$layer.${lf##*:}" \
        --include-personal --quiet
    has_personal "$layer" "inc/$layer.${lf##*:}" inc/"$layer".*
done

# ---- the other commands' output, verbose -------------------------------------------------
sg_store_copy "$store" work.sqlite
run_logged 0 info work.sqlite
run_logged 0 info work.sqlite --json --runs 50
run_logged 0 config work.sqlite list
run_logged 0 config work.sqlite list --json
run_logged 0 check work.sqlite -v
run_logged 0 check work.sqlite --json
# imports of the demo files, verbose, with rejects: half of the households
# have a bad population, the other half are duplicates of the store's
"$SG_PYTHON" - "$data/demo/households.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for i, f in enumerate(d["features"]):
    if i % 2:
        f["properties"]["resident_population"] = "n/a"
json.dump(d, open("bad_households.geojson", "w", encoding="utf-8"),
          ensure_ascii=False)
# a file cut in the middle of a feature (GDAL's parse error in the message)
text = open(sys.argv[1], encoding="utf-8").read()
open("cut_households.geojson", "w", encoding="utf-8").write(text[:len(text) // 2])
PY
run_logged 1 import work.sqlite households bad_households.geojson -v \
    --rejects rejects1.csv
run_logged 1 import work.sqlite households bad_households.geojson --json \
    --rejects rejects2.csv
sg 0 init fresh.sqlite --quiet
run_logged 3 import fresh.sqlite households bad_households.geojson -v
run_logged 0 import fresh.sqlite cleaners "$data/demo/cleaners.geojson" -v
run_logged 0 import fresh.sqlite inspections "$data/demo/inspections.csv" -v
run_logged 1 import fresh.sqlite households cut_households.geojson -v
run_logged 1 import fresh.sqlite households cut_households.geojson --json
[[ -s rejects1.csv && -s $(sg_rejects_file fresh.sqlite households) ]] ||
    sg_fail "the imports wrote no rejects"
no_personal "the commands' stdout and stderr" logs/*
if sg_is_pg; then
    no_personal "the rejects files" rejects1.csv rejects2.csv ./*.rejects.csv
else
    no_personal "the rejects files" rejects1.csv rejects2.csv fresh.sqlite.*.rejects.csv
fi

sg_done
