#!/usr/bin/env bash
# sanigrid coverage on the demo, checked against values computed apart
# with SpatiaLite SQL (issue 19: the faster write must give the same
# answer): every household has its row with its own id, residents and
# point; the straight-line distance and nearest point are SpatiaLite's
# minimum ST_Distance; covered_euclid is that distance against the radius;
# the division statistics are SpatiaLite's point-in-polygon counts; the
# blind spots hold exactly the households flagged with their id, their
# spatial index holds every polygon in its box, and SpatiaLite's triggers
# are back after the bulk write.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

q() { store_sql demo.sqlite "$1"; }

sg 0 init demo.sqlite --quiet
for l in divisions grids roads points households; do
    sg 0 import demo.sqlite $l "$SG_SOURCE_DIR/data/demo/$l.geojson" --quiet
done
sg 0 coverage demo.sqlite --metric both --json
json_ok 'd["households"] == 661' 'd["radius_m"] == 120'
cp "$T/out" cov.json
py() { "$SG_PYTHON" -c "import json; d = json.load(open('cov.json')); print($1)"; }

# one row per household, with its id, residents and point
eq "$(q "SELECT count(*) FROM households h JOIN coverage c
    ON c.household_id = h.household_id
    WHERE c.resident_population IS NOT DISTINCT FROM h.resident_population
      AND ST_X(c.geom) = ST_X(h.geom) AND ST_Y(c.geom) = ST_Y(h.geom)")" \
    "$(q 'SELECT count(*) FROM households')" "rows matching their household"
eq "$(q 'SELECT count(*) FROM coverage')" 661 "coverage rows"

# straight line: SpatiaLite's nearest collection point
near="SELECT h.household_id AS id, (SELECT min(ST_Distance(h.geom, p.geom))
      FROM points p WHERE p.kind = 'collection_point') AS d FROM households h"
eq "$(q "SELECT count(*) FROM coverage c JOIN ($near) n ON n.id = c.household_id
    WHERE abs(c.euclid_m - n.d) < 1e-6")" 661 "euclid_m = SpatiaLite's minimum distance"
eq "$(q "SELECT count(*) FROM coverage c JOIN points p ON p.point_id = c.euclid_point_id
    WHERE p.kind = 'collection_point' AND abs(ST_Distance(c.geom, p.geom) - c.euclid_m) < 1e-6")" \
    661 "euclid_point_id is a point at that distance"
eq "$(q "SELECT count(*) FROM coverage c JOIN ($near) n ON n.id = c.household_id
    WHERE c.covered_euclid = CASE WHEN n.d <= 120 THEN 1 ELSE 0 END")" 661 "covered_euclid = distance <= 120 m"
eq "$(q "SELECT count(*) FROM ($near) AS n WHERE d > 120")" "$(py 'd["beyond_euclid"]')" \
    "beyond_euclid = SpatiaLite's count beyond 120 m"
eq "$(q 'SELECT count(*) FROM coverage WHERE covered_network = 0')" \
    "$(py 'd["beyond_network"]')" "beyond_network vs layer"

# statistics per division: SpatiaLite's point-in-polygon counts
eq "$(q "SELECT count(*) FROM coverage_stats s JOIN divisions d
      ON d.division_code = s.unit_code AND s.unit_type = 'division'
    WHERE s.households = (SELECT count(*) FROM households h WHERE ST_Covers(d.geom, h.geom))
      AND s.residents = (SELECT coalesce(sum(h.resident_population), 0) FROM households h
                         WHERE ST_Covers(d.geom, h.geom))
      AND (s.households = 0 OR abs(s.covered_euclid_share -
          (SELECT avg(CASE WHEN n.d <= 120 THEN 1 ELSE 0 END) FROM households h JOIN ($near) n ON n.id = h.household_id
           WHERE ST_Covers(d.geom, h.geom))) < 1e-9)")" \
    "$(q 'SELECT count(*) FROM divisions')" "division rows = SpatiaLite's counts"

# blind spots: exactly the flagged households, indexed, triggers back
eq "$(q "SELECT count(*) FROM blind_spots b WHERE b.households =
    (SELECT count(*) FROM coverage c WHERE c.blind_spot = b.blind_spot_id)")" \
    "$(py 'd["blind_spots"]')" "blind spot household counts"
eq "$(q 'SELECT count(*) FROM coverage WHERE blind_spot IS NOT NULL')" \
    "$(py 'd["beyond_network"]')" "households in blind spots"
eq "$(q "SELECT count(*) FROM blind_spots b JOIN coverage c ON c.blind_spot = b.blind_spot_id
    WHERE b.geom IS NOT NULL AND ST_Distance(b.geom, c.geom) > 0.01")" 0 \
    "each flagged household lies in its blind spot"
# (SpatiaLite's R*Tree and triggers; PostGIS's GiST index on PostgreSQL)
if sg_is_pg; then
    eq "$(q "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()
        AND tablename = 'blind_spots' AND indexdef LIKE '%USING gist (geom)%'")" 1 \
        "blind_spots' GiST index after the bulk write"
    sg_done
    exit 0
fi
got=$(q "SELECT (SELECT count(*) FROM blind_spots WHERE geom IS NOT NULL),
    (SELECT count(*) FROM idx_blind_spots_geom),
    (SELECT count(*) FROM blind_spots b JOIN idx_blind_spots_geom i ON i.pkid = b.rowid
      WHERE i.xmin <= MbrMinX(b.geom) AND i.xmax >= MbrMaxX(b.geom)
        AND i.ymin <= MbrMinY(b.geom) AND i.ymax >= MbrMaxY(b.geom))")
n=${got%%|*}
eq "$got" "$n|$n|$n" "blind_spots: rows | index entries | boxes containing their polygon"
eq "$(q "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN
    ('ggi_blind_spots_geom', 'tmi_blind_spots_geom', 'gii_blind_spots_geom')")" 3 \
    "blind_spots triggers after the bulk write"
eq "$(q "SELECT count(*) FROM SpatialIndex WHERE f_table_name = 'blind_spots'
    AND search_frame = (SELECT Extent(geom) FROM blind_spots)")" "$n" \
    "SpatiaLite's SpatialIndex finds every blind spot"

sg_done
