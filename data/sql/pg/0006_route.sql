-- PostgreSQL dialect of data/sql/0006_route.sql (keep the two in step).
-- Collection routes (issue 20): the vehicle that empties the collection
-- points and takes the waste to the township transfer station, the
-- inspection round, and the haul to the county treatment plant.
-- Points may now be of kind treatment_plant (县处理). SQLite cannot
-- ALTER a CHECK constraint; widening the list of allowed values does not
-- change how rows are stored, so the table's CREATE text is edited in
-- place (SQLite's documented way for such changes) and the schema is
-- reloaded. The index below is real DDL, so other connections see a new
-- schema cookie and reload too.
-- points.kind takes 'treatment_plant': the column's CHECK constraint
-- (named by PostgreSQL points_kind_check) replaced by the wider one
ALTER TABLE points DROP CONSTRAINT IF EXISTS points_kind_check;
ALTER TABLE points ADD CONSTRAINT points_kind_check CHECK (kind IN
    ('collection_point', 'bin', 'transfer_station', 'public_toilet',
     'treatment_plant', 'other'));
CREATE INDEX IF NOT EXISTS points_kind ON points (kind);

INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('route.every_days', '1', '1', 'positive', 'days',
  'GB/T 51435-2021 §4.4.4: perishable waste collected at least once a day', 'Days between two collections at a point; the waste of that many days is picked up'),
 ('route.vehicle.capacity_m3', '3', '3', 'positive', 'm³',
  'GB/T 51435-2021 §4.4.2 (small motor collection vehicle); judgement: a 3 m³ tipper or bin lorry', 'Load volume of a collection vehicle; times waste.bulk_density_kg_m3 gives its capacity in kg unless route.vehicle.capacity_kg is set'),
 ('route.vehicle.capacity_kg', '0', '0', 'number', 'kg',
  'Judgement (0: from route.vehicle.capacity_m3 × waste.bulk_density_kg_m3)', 'Load a collection vehicle may carry; 0 derives it from the volume'),
 ('route.vehicle.speed_kmh', '25', '25', 'positive', 'km/h',
  'Judgement: small vehicles on village and township roads (GB/T 51435-2021 §5.1.2 asks routes to follow road and terrain)', 'Average driving speed between stops'),
 ('route.vehicle.service_min', '5', '5', 'positive', 'min',
  'Judgement: emptying the bins of one collection point', 'Minutes spent at each collection point'),
 ('route.vehicle.shift_h', '8', '8', 'positive', 'h',
  '中华人民共和国劳动法 第三十六条 (8-hour working day)', 'Working hours of a vehicle per day; the trips of one vehicle fit in it'),
 ('route.vehicle.count', '0', '0', 'integer', 'vehicles',
  'Judgement (0: as many as needed)', 'Vehicles a township has; a plan that needs more is flagged'),
 ('route.haul_far_km', '30', '30', 'positive', 'km',
  'CJJ/T 47 生活垃圾转运站技术规范: an average haul above 30 km calls for a large transfer station', 'Haul from a transfer station to the treatment plant beyond which it is flagged'),
 ('route.tour.stop_min', '30', '30', 'positive', 'min',
  'Judgement: one village inspection (检查) of the township team', 'Minutes spent at each village of an inspection round')
ON CONFLICT (key) DO NOTHING;
