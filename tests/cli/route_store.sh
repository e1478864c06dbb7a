#!/usr/bin/env bash
# sanigrid route DB: collection routes and inspection rounds on a
# hand-made road network (EPSG:4545 metres) whose distances are worked
# out by hand below: the line of each trip runs along the roads and is as
# long as the sum of its legs (ST_Length), an unreachable stop, a stop
# heavier than a vehicle, a stop beyond a shift and a township without a
# transfer station are reported; capacity and shift hold (SQL over
# routes and route_stops); the demand of each stop is the SQL sum over
# households x kg; the haul to the treatment plant; --depot X,Y; the
# inspection round visits every reachable village exactly once; usage
# errors.
# SPDX-License-Identifier: MIT
set -euo pipefail
source "$(dirname "$0")/lib/common.bash"
sg_setup

# ---- fixture ---------------------------------------------------------------------
# (tests/cli/lib/route_fixture.bash: the roads, points with their
# distances along the roads, households, divisions and grids)
source "$(dirname "$0")/lib/route_fixture.bash"
sg 0 init fx.sqlite --crs EPSG:4545 --quiet
for l in divisions grids roads points households; do
    sg 0 import fx.sqlite $l $l.geojson --src-crs EPSG:4545 --quiet
done
eq "$(store_sql fx.sqlite "SELECT kind FROM points WHERE point_id='TP1'")" \
    treatment_plant "处理厂 imports as a treatment plant"
q() { store_sql fx.sqlite "$1"; }
f() { sql_fixed "$@"; }
A=(--division 330101001000 --iterations 3000)

# ---- before coverage: no demand ------------------------------------------------
sg 1 route fx.sqlite "${A[@]}"
err_has 'coverage'
# the library's "route: " is not said twice after the tool's own prefix
sg 2 route fx.sqlite --division ''
err_has '^sanigrid route: the division must be a township code'
grep -q 'route: route:' "$T/err" && sg_fail "doubled prefix: $(head -1 "$T/err")"
sg 0 coverage fx.sqlite --quiet

# ---- one vehicle of 1000 kg: one trip through C1, C5, C2, C3 (or the
# reverse): 530 + 1530 + 530 + 1340 + 1830 = 5760 m --------------------------------
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 1000 --json
json_ok 'd["mode"] == "collection"' 'd["capacity_kg"] == 1000' \
    'len(d["townships"]) == 1'
json_ok 'd["townships"][0]["division_code"] == "330101001000"' \
    'd["townships"][0]["depot"] == "T1"' \
    'd["townships"][0]["stops"] == 5' 'd["townships"][0]["served"] == 4' \
    'd["townships"][0]["unreachable"] == 1' \
    'd["townships"][0]["trips"] == 1' 'd["townships"][0]["vehicles"] == 1' \
    'abs(d["townships"][0]["km_per_day"] - 5.76) < 1e-9' \
    'd["townships"][0]["demand_kg"] == 245' \
    'd["townships"][0]["plant"] == "TP1"' \
    'abs(d["townships"][0]["haul_km"] - 2.02) < 1e-9' \
    'd["townships"][0]["haul_far"] is False'
eq "$(q "SELECT $(f km 9), $(f "ST_Length(geom) / 1000" 9), stops FROM routes")" \
    "5.760000000|5.760000000|4" "the trip's line is the sum of its legs"
order=$(q "SELECT $(sql_concat point_id) FROM (SELECT point_id FROM route_stops WHERE status = 'served' ORDER BY stop_order) AS s")
[[ $order == C1,C5,C2,C3 || $order == C3,C2,C5,C1 ]] || sg_fail "stop order $order"
# the line starts and ends at the depot and passes every stop
eq "$(q "SELECT $(f "ST_X(ST_StartPoint(geom))" 6), $(f "ST_Y(ST_StartPoint(geom))" 6), $(f "ST_X(ST_EndPoint(geom))" 6), $(f "ST_Y(ST_EndPoint(geom))" 6) FROM routes")" \
    "500000.000000|3300010.000000|500000.000000|3300010.000000" "trip line ends"
eq "$(q "SELECT count(*) FROM route_stops s, routes r WHERE s.route = r.route AND ST_Distance(s.geom, r.geom) < 1e-6")" \
    4 "every served stop on its trip's line"
# the unreachable stop stays, with its demand and no route
eq "$(q "SELECT point_id, CAST(route IS NULL AS INTEGER), $(f demand_kg 6), status FROM route_stops WHERE status <> 'served'")" \
    "C4|1|5.000000|unreachable" "unreachable stop"
# arrival: C1 at 530 m / (25 km/h) = 1.272 min; the load after C5 180 kg
eq "$(q "SELECT $(f arrival_min 6) FROM route_stops WHERE point_id = 'C1'")" \
    "$(awk 'BEGIN { printf "%.6f", 530 / (25000 / 60.0) }')" "arrival at C1"
# the summary row
eq "$(q "SELECT name, depot_id, stops, served, unserved, trips, vehicles, $(f km 2), plant_id, $(f haul_km 2), haul_far FROM route_summary")" \
    "测试镇|T1|5|4|1|1|1|5.76|TP1|2.02|0" "route_summary"

# ---- for the drivers: KML stops named and ordered, a folder per trip; the
# CSV timetable; the routes map -----------------------------------------------------
sg 0 export fx.sqlite route_stops stops.kml --lang zh --quiet
q "SELECT stop_order || '. ' || name FROM route_stops WHERE status = 'served' ORDER BY stop_order" >want.txt
"$SG_PYTHON" - stops.kml want.txt <<'PY' || sg_fail "KML of the stops"
import sys, xml.etree.ElementTree as ET
ns = {"k": "http://www.opengis.net/kml/2.2"}
doc = ET.parse(sys.argv[1]).getroot()
want = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
folders = {f.find("k:name", ns).text: [p.find("k:name", ns).text for p in f.iter("{%s}Placemark" % ns["k"])]
           for f in doc.iter("{%s}Folder" % ns["k"])}
assert folders.get("路线1") == want, (folders, want)
assert folders.get("未收运") == ["孤岛收集点（道路不通）"], folders
PY
sg 0 export fx.sqlite route_stops schedule.csv --lang zh --quiet
head -n 1 schedule.csv | grep -q '停靠顺序.*设施编号.*名称.*到达时刻（分钟）.*收运状态' ||
    sg_fail "the timetable's Chinese headers: $(head -n 1 schedule.csv)"
eq "$(grep -c '已收运' schedule.csv)" 4 "timetable rows served"
sg 0 export fx.sqlite routes routes.kml --lang zh --quiet
grep -q '<name>路线 1 · 车辆 1 第 1 趟</name>' routes.kml || sg_fail "trip placemark name"
sg 0 render fx.sqlite --theme routes -o routes.png --json
json_ok 'd["theme"] == "routes"' 'd["features"] >= 6'

# ---- demand = households x kg x days, by SQL over households and coverage --------
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 1000 --every-days 2 --quiet
got=$(q "SELECT $(sql_concat "point_id || '=' || $(f demand_kg 3)") FROM (SELECT point_id, demand_kg FROM route_stops ORDER BY point_id) AS s")
want=$(q "SELECT $(sql_concat "pid || '=' || $(f kg 3)") FROM (SELECT CASE WHEN c.reachable = 1 THEN c.network_point_id ELSE c.euclid_point_id END AS pid, SUM(h.resident_population) * CAST((SELECT value FROM settings WHERE key = 'waste.kg_per_person_day') AS DOUBLE PRECISION) * 2 AS kg FROM households h JOIN coverage c USING (household_id) WHERE h.household_id <> 'H10' GROUP BY pid ORDER BY pid) AS s")
eq "$got" "$want" "demand per stop"
eq "$got" "C1=60.000,C2=80.000,C3=50.000,C4=10.000,C5=300.000" "demand by hand"

# ---- 100 kg vehicles: C5 (150 kg) is too heavy and reported -----------------------
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 100
out_has '330101001000: 1 collection points hold more than a vehicle carries \(100 kg\)'
out_has '330101001000: 1 collection points have no road to the depot'
eq "$(q "SELECT point_id, CAST(route IS NULL AS INTEGER), $(f demand_kg 6), status FROM route_stops WHERE status = 'too_heavy'")" \
    "C5|1|150.000000|too_heavy" "too heavy stop"
eq "$(q "SELECT count(*) FROM route_stops WHERE status = 'served'")" 3 "served with 100 kg"

# ---- 50 kg and a 0.4 h shift: no two stops fit a trip (30, 40, 25 kg), three
# trips of 7.544, 12.344 and 13.784 min; packed into 24-minute shifts they
# need two vehicles ---------------------------------------------------------------
sg 0 config fx.sqlite set route.vehicle.shift_h 0.4
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 50 --json
json_ok 'd["townships"][0]["trips"] == 3' 'd["townships"][0]["vehicles"] == 2' \
    'd["shift_h"] == 0.4' 'abs(d["townships"][0]["km_per_day"] - 7.78) < 1e-9'
eq "$(q "SELECT count(*) FROM routes WHERE load_kg > 50 + 1e-9")" 0 "capacity per trip"
eq "$(q "SELECT count(*) FROM (SELECT vehicle, SUM(minutes) AS m FROM routes GROUP BY vehicle HAVING SUM(minutes) > 24 + 1e-9) AS s")" \
    0 "shift per vehicle"
eq "$(q "SELECT count(*) FROM route_stops s JOIN routes r USING (route) WHERE s.arrival_min < r.start_min OR s.arrival_min > r.start_min + r.minutes OR s.arrival_min > 24")" \
    0 "arrivals inside their trip and shift"
eq "$(q "SELECT count(*) FROM (SELECT route, MAX(load_kg) AS l FROM route_stops WHERE status = 'served' GROUP BY route) s JOIN routes r USING (route) WHERE abs(s.l - r.load_kg) > 1e-9")" \
    0 "load after the last stop is the trip's load"
eq "$(q "SELECT count(*) FROM routes WHERE abs(km - ST_Length(geom) / 1000) > 1e-9")" 0 \
    "every line as long as its legs"
eq "$(q "SELECT $(f "SUM(km)" 2) FROM routes")" "7.78" "1.06 + 3.06 + 3.66 km"
# --vehicles 1: flagged, not hidden
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 50 --vehicles 1
out_has 'needs 2 vehicles, has 1'
eq "$(q "SELECT vehicles, vehicles_short FROM route_summary")" "2|1" "vehicles short"

# ---- a 0.2 h (12 min) shift: C2 and C3 lie beyond it -------------------------------
sg 0 config fx.sqlite set route.vehicle.shift_h 0.2
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 50 --json
json_ok 'd["townships"][0]["beyond_shift"] == 2' 'd["townships"][0]["served"] == 1'
eq "$(q "SELECT $(sql_concat point_id) FROM (SELECT point_id FROM route_stops WHERE status = 'beyond_shift' ORDER BY point_id) AS s")" \
    "C2,C3" "beyond the shift"
sg 0 config fx.sqlite reset route.vehicle.shift_h

# ---- every township: the second has no transfer station -------------------------
sg 0 config fx.sqlite set route.haul_far_km 2
sg 0 route fx.sqlite --all --iterations 3000 --capacity-kg 1000 --json
json_ok 'len(d["townships"]) == 2' 'd["townships"][1]["has_depot"] is False' \
    'd["townships"][1]["served"] == 0' 'd["townships"][0]["haul_far"] is True' \
    'd["unserved"] == 2'
eq "$(q "SELECT point_id, division_code, status FROM route_stops WHERE status = 'no_depot'")" \
    "C6|330101002000|no_depot" "township without a station"
sg 0 route fx.sqlite --iterations 3000 --capacity-kg 1000
out_has '330101002000: no transfer station'
out_has 'haul to treatment plant TP1 is 2.0 km, beyond 2 km'
sg 0 config fx.sqlite reset route.haul_far_km
# ... unless it is given one
sg 0 route fx.sqlite --division 330101002000 --depot T1 --iterations 100 --json
json_ok 'd["townships"][0]["depot"] == "T1"' 'd["townships"][0]["unreachable"] == 1'

# ---- --depot X,Y: T1's place in WGS 84 gives the same trip ---------------------------
ll=$(q "SELECT $(f "ST_X(p)" 10) || ',' || $(f "ST_Y(p)" 10) FROM (SELECT ST_Transform(geom, 4326) AS p FROM points WHERE point_id = 'T1') AS s")
sg 0 route fx.sqlite "${A[@]}" --capacity-kg 1000 --depot "$ll" --json
json_ok 'd["townships"][0]["depot"] == ""' \
    'abs(d["townships"][0]["km_per_day"] - 5.76) < 1e-6'

# ---- the inspection round: T1 -> 甲村 (310 m) -> 乙村 (850) -> 丙村 (950) -> T1
# (1810): 3.92 km; 丁村 is on the island ----------------------------------------------
sg 0 route fx.sqlite --tour "${A[@]}" --json
json_ok 'd["mode"] == "tour"' 'd["units"] == "villages"' \
    'd["townships"][0]["start"] == "T1"' 'd["townships"][0]["stops"] == 4' \
    'd["townships"][0]["served"] == 3' 'd["townships"][0]["unreachable"] == 1' \
    'abs(d["townships"][0]["km"] - 3.92) < 1e-9'
eq "$(q "SELECT $(f km 9), $(f "ST_Length(geom) / 1000" 9) FROM tours")" \
    "3.920000000|3.920000000" "the round's line"
eq "$(q "SELECT count(*), count(DISTINCT unit_code), MIN(stop_order), MAX(stop_order), count(DISTINCT stop_order) FROM tour_stops WHERE status = 'served'")" \
    "3|3|1|3|3" "every village once"
eq "$(q "SELECT division_code FROM divisions WHERE level = 'admin_village' AND division_code NOT IN (SELECT unit_code FROM tour_stops WHERE status = 'served')")" \
    "330101001004" "only the island village missed"
eq "$(q "SELECT count(*) FROM tour_stops t, divisions d WHERE t.unit_code = d.division_code AND ST_Covers(d.geom, t.geom)")" \
    4 "each stop inside its village"
eq "$(q "SELECT stop_order, $(f arrival_min 3) FROM tour_stops WHERE unit_code = '330101001002'")" \
    "2|$(awk 'BEGIN { printf "%.3f", (310 + 850) / (25000 / 60.0) + 30 }')" "arrival at 乙村"
sg 0 route fx.sqlite --tour --units points --start C1 "${A[@]}" --json
json_ok 'd["townships"][0]["start"] == "C1"' 'd["units"] == "points"'
sg 0 route fx.sqlite --tour --units grids "${A[@]}" --json
json_ok 'd["units"] == "grids"' 'd["townships"][0]["served"] == 2'
eq "$(q "SELECT $(sql_concat unit_code) FROM (SELECT unit_code FROM tour_stops ORDER BY unit_code) AS s")" \
    "330101001001001,330101001002001" "the round through the grids"
sg 0 route fx.sqlite --tour "${A[@]}"
out_has '^inspection rounds through villages'

# ---- usage errors ------------------------------------------------------------------
sg 2 route fx.sqlite --all --division 330101001000
err_has 'not both'
sg 2 route fx.sqlite --tour --capacity-kg 10
sg 2 route fx.sqlite --units grids
err_has 'goes with --tour'
sg 2 route fx.sqlite --depot 200,20
sg 2 route fx.sqlite --capacity-kg 0
sg 2 route fx.sqlite --vehicles -1
sg 2 route --vrp x.vrp --division 1
# values the CLI's own parsing lets through meet the library's setters
sg 2 route fx.sqlite --division ''
err_has "the division must be a township code, not ''"
sg 2 route fx.sqlite --depot ''
err_has "the depot must be a point id, not ''"
sg 1 route fx.sqlite --division 999
err_has "no township with division code '999'"
sg 1 route fx.sqlite --division 330101001000 --depot NOPE
err_has "no point 'NOPE'"
# ---- a store of schema 2 (points without treatment_plant, no route settings)
# is upgraded by the next writing command and then takes a treatment plant
# (on PostgreSQL: the CHECK constraint of schema 2 put back, the version in
# sg_meta, migrated by data/sql/pg)
sg 0 init old.sqlite --crs EPSG:4545 --quiet
if sg_is_pg; then
    store_exec old.sqlite "ALTER TABLE points DROP CONSTRAINT points_kind_check;
        ALTER TABLE points ADD CONSTRAINT points_kind_check CHECK (kind IN
            ('collection_point', 'bin', 'transfer_station', 'public_toilet', 'other'));
        DROP INDEX points_kind; DELETE FROM settings WHERE key LIKE 'route.%';
        UPDATE sg_meta SET value = '2' WHERE key = 'schema_version'"
    if store_exec old.sqlite "BEGIN; INSERT INTO points (point_id, kind)
        VALUES ('x', 'treatment_plant'); ROLLBACK" 2>refused.txt; then
        sg_fail "the schema-2 store took a treatment plant"
    fi
    grep -q 'points_kind_check' refused.txt || sg_fail "refused for another reason: $(cat refused.txt)"
    rm -f "$T/store_sql.failed" # that refusal was the point
else
    sqlite3 old.sqlite "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, ' ''treatment_plant'',', '') WHERE type = 'table' AND name = 'points'; PRAGMA writable_schema = RESET; DROP INDEX points_kind; DELETE FROM settings WHERE key LIKE 'route.%'; PRAGMA user_version = 2;"
    if sqlite3 -cmd "SELECT load_extension('mod_spatialite');" old.sqlite \
        "INSERT INTO points (point_id, kind) VALUES ('x', 'treatment_plant')" 2>/dev/null; then
        sg_fail "the schema-2 store took a treatment plant"
    fi
fi
sg 0 import old.sqlite points points.geojson --src-crs EPSG:4545 --quiet
# (upgraded to the last migration of data/sql, whatever its number)
latest=$(cd "$SG_SOURCE_DIR/data/sql" && ls [0-9]*.sql | tail -n 1)
latest=$((10#${latest%%_*}))
if sg_is_pg; then
    eq "$(store_sql old.sqlite "SELECT value FROM sg_meta WHERE key = 'schema_version'; SELECT point_id FROM points WHERE kind = 'treatment_plant'; SELECT count(*) FROM settings WHERE key LIKE 'route.%'")" \
        "$(printf '%d\nTP1\n9' "$latest")" "schema 2 upgraded to $latest"
else
    eq "$(sqlite3 -readonly old.sqlite "PRAGMA user_version; SELECT point_id FROM points WHERE kind = 'treatment_plant'; SELECT count(*) FROM settings WHERE key LIKE 'route.%'; PRAGMA integrity_check")" \
        "$(printf '%d\nTP1\n9\nok' "$latest")" "schema 2 upgraded to $latest"
fi

# ---- a coverage layer of transfer stations gives no demand of points ---------------
sg 0 coverage fx.sqlite --demand collection_point --kind transfer_station --quiet
sg 1 route fx.sqlite "${A[@]}"
err_has 'measures transfer_station for collection_point'

sg_done
