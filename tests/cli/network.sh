#!/usr/bin/env bash
# sanigrid network: the connection rules on a hand-made fixture (a
# bridge without a shared vertex, a lane that stops short), --json shape,
# the text table, the result table and layer, usage errors.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- fixture (EPSG:4545 metres) -----------------------------------------
# R1 main road; R2 crosses it at x=500300 without a shared vertex (bridge);
# R3 ends 5 m short of R1's end.
cat >roads.geojson <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"road_id":"R1"},"geometry":{"type":"LineString","coordinates":[[500000,3300000],[500250,3300000],[500500,3300000]]}},
{"type":"Feature","properties":{"road_id":"R2"},"geometry":{"type":"LineString","coordinates":[[500300,3299800],[500300,3300200]]}},
{"type":"Feature","properties":{"road_id":"R3"},"geometry":{"type":"LineString","coordinates":[[500505,3300000],[500700,3300000]]}}
]}
EOF
sg 0 init fx.sqlite --crs EPSG:4545 --quiet
sg 0 import fx.sqlite roads roads.geojson --src-crs EPSG:4545 --quiet

# default: shared vertices only: three components, six dangling ends
sg 0 network fx.sqlite --json
err_empty
json_ok 'd["roads"] == 3' 'd["nodes"] == 7' 'd["edges"] == 4' \
    'abs(d["length_m"] - 1095) < 1e-6' 'd["components"] == 3' \
    'abs(d["largest_share"] - 500 / 1095) < 1e-9' \
    'd["dangling_ends"] == 6' 'd["snapped"] == 0' 'd["crossings"] == 0' \
    'd["node_crossings"] is False' 'd["snap_m"] == 0' \
    'len(d["largest"]) == 3' \
    '[c["component"] for c in d["largest"]] == [1, 2, 3]' \
    'd["largest"][0]["roads"] == 1 and d["largest"][0]["nodes"] == 3' \
    'abs(sum(c["share"] for c in d["largest"]) - 1) < 1e-9'
eq "$(store_count fx.sqlite network_components)" 3 "network_components rows"
eq "$(store_count fx.sqlite network_dangles)" 6 "network_dangles rows"
eq "$(store_sql fx.sqlite "SELECT command FROM runs ORDER BY run_id DESC LIMIT 1")" \
    network "last run"

# --node-crossings joins the bridge; --snap-m 10 the lane that stops short
sg 0 network fx.sqlite --node-crossings --json
json_ok 'd["crossings"] == 1' 'd["components"] == 2' 'd["nodes"] == 8' \
    'd["node_crossings"] is True'
sg 0 network fx.sqlite --node-crossings --snap-m 10 --json
json_ok 'd["components"] == 1' 'd["snapped"] == 1' \
    'abs(d["largest_share"] - 1) < 1e-12' 'd["dangling_ends"] == 4'
sg 0 network fx.sqlite --snap-m 4 --json   # 5 m is too far
json_ok 'd["snapped"] == 0' 'd["components"] == 3'
# results were replaced, not added to
eq "$(store_count fx.sqlite network_components)" 3 "network_components rows"

# ---- the text summary and table -------------------------------------------
sg 0 network fx.sqlite
out_has "^road network of $(sg_store_re fx.sqlite) \\(shared vertices only\\)"
out_has '^  components +3; the largest holds 45\.7% of the road length'
out_has '^  dangling ends +6'
out_has '^  component +roads +nodes +dangling +length_km +share'
out_has '^ +1 +1 +3 +2 +0\.50 +45\.7%'
sg 0 network fx.sqlite --quiet
out_empty

# ---- help and errors -------------------------------------------------------
sg 0 network --help
out_has '^usage: sanigrid network DB'
out_has 'OpenStreetMap'
out_has '--node-crossings'
out_has '--snap-m D'
out_has '^Exit codes:'
sg 2 network fx.sqlite --snap-m -3
err_has 'snap-m'
sg 2 network fx.sqlite --snap-m abc
sg 2 network
err_has 'give one store path'
sg 2 network fx.sqlite --frobnicate
sg 3 network missing.sqlite
sg 0 init empty.sqlite --quiet
sg 1 network empty.sqlite
err_has 'no roads'

# the demo's roads: one large component
sg 0 init demo.sqlite --quiet
sg 0 import demo.sqlite roads "$SG_SOURCE_DIR/data/demo/roads.geojson" --quiet
sg 0 network demo.sqlite --json
json_ok 'd["roads"] > 800' 'd["largest_share"] > 0.9' \
    'd["components"] >= 1' 'd["dangling_ends"] > 0'

sg_done
