#!/usr/bin/env bash
# Settings in Chinese: every setting of a new store (`config list --json`)
# has a row of layer "settings" in data/dictionary/fields.csv with a
# Chinese and an English description, a Chinese unit wherever the setting
# has a unit, and a Chinese label for every value of an enum setting; and
# `config DB list --lang zh` prints those descriptions (every entry's
# description line holds CJK text) and labels the coded values.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 init s.sqlite --quiet
sg 0 config s.sqlite list --json
cp "$T/out" list.json
"$SG_PYTHON" - "$SG_SOURCE_DIR/data/dictionary/fields.csv" list.json <<'PY' ||
import csv, json, sys
rows = {r["field"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
        if r["layer"] == "settings"}
settings = json.load(open(sys.argv[2]))["settings"]
assert len(settings) > 40, len(settings)
bad = []
cjk = lambda t: any("\u4e00" <= c <= "\u9fff" for c in t)
for key, s in settings.items():
    r = rows.get(key)
    if not r or not cjk(r["zh"]) or not r["en"]:
        bad.append(f"{key}: no settings row with a Chinese and an English description")
        continue
    if s["unit"] and not cjk(r["unit"]) and s["unit"] not in ("m", "km"):
        bad.append(f"{key}: unit {s['unit']!r} has no Chinese unit")
    if s["type"].startswith("enum:"):
        labelled = {kv.split("=", 1)[0] for kv in r["values"].split("|") if kv}
        for v in s["type"][5:].split("|"):
            if v not in labelled:
                bad.append(f"{key}: value {v!r} has no Chinese label")
for key in rows:
    if key not in settings:
        bad.append(f"{key}: a settings row for a setting the store does not have")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
    sg_fail "the settings dictionary is incomplete (above)"

sg 0 config s.sqlite list --lang zh
"$SG_PYTHON" - "$T/out" <<'PY' || sg_fail "config list --lang zh prints English descriptions (above)"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
entries = [i for i, l in enumerate(lines) if l and not l.startswith(" ")]
assert len(entries) > 40, len(entries)
bad = [lines[i] + " | " + lines[i + 1] for i in entries
       if not any("\u4e00" <= c <= "\u9fff" for c in lines[i + 1])]
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
out_has '^cleaner\.population_basis +resident（常住人口）'
out_has '^collection_point\.radius_m\.clustered +120 米$'
# English stays English
sg 0 config s.sqlite list --lang en
out_has '^    Minimum cleaners per administrative village$'
sg_done
