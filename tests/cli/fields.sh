#!/usr/bin/env bash
# The field dictionary (data/dictionary/fields.csv) against a real store:
# after `sanigrid demo` has run every analysis, every column of every
# layer the store lists (input and result) has a row in the dictionary
# with a Chinese and an English header, and every coded value found in a
# column whose row has a value map has a Chinese label there (a new value
# of an analysis must not reach a spreadsheet as an English code).
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

sg 0 demo demo --quiet
sg_store_py demo/demo.sqlite
"$SG_PYTHON" - "$SG_SOURCE_DIR/data/dictionary/fields.csv" "$T" <<'PY' ||
import csv, sys
sys.path.insert(0, sys.argv[2])
import sgstore
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
entry = {(r["layer"], r["field"]): r for r in rows}
bad = []
layers = [n for (n,) in sgstore.rows("SELECT name FROM sg_layers ORDER BY name")]
assert len(layers) > 20, layers
for layer in layers:
    cols = [c[0] for c in sgstore.columns(layer)]
    for c in cols:
        e = entry.get((layer, c))
        if not e or not e["zh"] or not e["en"]:
            bad.append(f"{layer}.{c}: no dictionary row with both headers")
            continue
        if e["values"]:
            codes = {kv.split("=", 1)[0] for kv in e["values"].split("|")}
            for (v,) in sgstore.rows(f'SELECT DISTINCT "{c}" FROM "{layer}" WHERE "{c}" IS NOT NULL'):
                if str(v) not in codes:
                    bad.append(f"{layer}.{c}: value {v!r} has no label")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"{len(layers)} layers checked")
PY
    sg_fail "field dictionary incomplete (above)"
sg_done
