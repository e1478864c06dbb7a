-- sanigrid store, schema version 1.
-- Applied inside one BEGIN IMMEDIATE ... COMMIT by src/store/store.c, which
-- also sets PRAGMA user_version = 1. Never edit after release: add 0002_*.sql.
-- Geometry columns are added by the store when the working CRS is known
-- (at init with --crs, or at the first import), since SpatiaLite needs the
-- SRID when the column is created.

SELECT InitSpatialMetadata(0);

-- Key/value facts about this store (working CRS, creator version).
CREATE TABLE sg_meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- Every layer the store knows: input layers from this migration, result
-- layers as analyses create them.
CREATE TABLE sg_layers (
    name          TEXT PRIMARY KEY,
    geometry_type TEXT,             -- SpatiaLite type name, NULL for tables
    kind          TEXT NOT NULL,    -- 'input' or 'result'
    title_zh      TEXT,
    title_en      TEXT
);

-- Settings: every number a tool uses, with its default and where it
-- comes from (DOMAIN.md section 2).
CREATE TABLE settings (
    key           TEXT PRIMARY KEY,
    value         TEXT NOT NULL,
    default_value TEXT NOT NULL,
    type          TEXT NOT NULL,    -- number, positive (> 0), share (0..1),
                                    -- integer (>= 0), text, or enum:a|b|c
    unit          TEXT,
    source        TEXT,
    description   TEXT
);

-- Every analysis records itself here.
CREATE TABLE runs (
    run_id      INTEGER PRIMARY KEY,
    command     TEXT NOT NULL,
    params      TEXT,               -- JSON object
    counts      TEXT,               -- JSON object
    started_at  TEXT NOT NULL,      -- UTC, ISO 8601
    seconds     REAL,
    version     TEXT
);

CREATE TABLE divisions (
    fid           INTEGER PRIMARY KEY,
    division_code TEXT NOT NULL,
    name          TEXT,
    level         TEXT CHECK (level IN ('county', 'township', 'admin_village',
                                        'natural_village', 'group')),
    parent_code   TEXT
);
CREATE UNIQUE INDEX divisions_code ON divisions (division_code);

CREATE TABLE grids (
    fid           INTEGER PRIMARY KEY,
    grid_code     TEXT NOT NULL,
    name          TEXT,
    level         INTEGER CHECK (level IN (1, 2, 3)),
    parent_code   TEXT,
    division_code TEXT,
    grid_leader   TEXT,
    phone         TEXT
);
-- Not unique: duplicate grid codes are a finding of `sanigrid check`.
CREATE INDEX grids_code ON grids (grid_code);

CREATE TABLE roads (
    fid        INTEGER PRIMARY KEY,
    road_id    TEXT NOT NULL,
    name       TEXT,
    class      TEXT CHECK (class IN ('national', 'provincial', 'county',
                                     'township', 'village', 'lane', 'other')),
    surface    TEXT,
    cleaner_id TEXT
);
CREATE UNIQUE INDEX roads_id ON roads (road_id);

CREATE TABLE points (
    fid           INTEGER PRIMARY KEY,
    point_id      TEXT NOT NULL,
    kind          TEXT CHECK (kind IN ('collection_point', 'bin',
                                       'transfer_station', 'public_toilet',
                                       'other')),
    name          TEXT,
    capacity      REAL,
    division_code TEXT
);
CREATE UNIQUE INDEX points_id ON points (point_id);

CREATE TABLE households (
    fid                   INTEGER PRIMARY KEY,
    household_id          TEXT NOT NULL,
    household_head        TEXT,
    phone                 TEXT,
    address               TEXT,
    resident_population   INTEGER CHECK (resident_population >= 0),
    registered_population INTEGER CHECK (registered_population >= 0),
    household_toilet      TEXT CHECK (household_toilet IN ('sanitary',
                                                  'unsanitary', 'none')),
    group_name            TEXT,
    cleaner_id            TEXT
);
CREATE UNIQUE INDEX households_id ON households (household_id);

CREATE TABLE cleaners (
    fid           INTEGER PRIMARY KEY,
    cleaner_id    TEXT NOT NULL,
    name          TEXT,
    phone         TEXT,
    division_code TEXT
);
CREATE UNIQUE INDEX cleaners_id ON cleaners (cleaner_id);

CREATE TABLE inspections (
    fid       INTEGER PRIMARY KEY,
    date      TEXT NOT NULL,        -- ISO 8601 date
    unit_code TEXT NOT NULL,        -- a division_code or grid_code
    score     REAL,
    inspector TEXT,
    notes     TEXT,
    item      TEXT,                 -- item-level sheets: the finding
    deduction REAL                  -- points deducted for the finding
              CONSTRAINT deduction_not_negative CHECK (deduction >= 0),
    -- a row is a whole inspection (score) or one finding (deduction);
    -- the findings of one unit and day are summed when ranking
    CONSTRAINT score_or_deduction CHECK (score IS NULL OR deduction IS NULL)
);
CREATE INDEX inspections_unit ON inspections (unit_code, date);

INSERT INTO sg_layers (name, geometry_type, kind, title_zh, title_en) VALUES
    ('divisions',   'MULTIPOLYGON', 'input', '行政区划', 'Divisions'),
    ('grids',       'MULTIPOLYGON', 'input', '网格',     'Grids'),
    ('roads',       'LINESTRING',   'input', '道路',     'Roads'),
    ('points',      'POINT',        'input', '环卫设施', 'Sanitation points'),
    ('households',  'POINT',        'input', '农户',     'Households'),
    ('cleaners',    'POINT',        'input', '保洁员',   'Cleaners'),
    ('inspections', NULL,           'input', '检查记录', 'Inspections');

INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('collection_point.radius_m.clustered', '120', '120', 'positive', 'm',
  'GB 55013-2021 §3.2.2 (DOMAIN C1)', 'Service radius of a collection point in concentrated settlements; 70 is the strict preset (CJJ 27, C3)'),
 ('collection_point.radius_m.scattered', '200', '200', 'positive', 'm',
  'Local rural guideline; Luoyuan county (DOMAIN C4, C7)', 'Service radius for scattered farmhouses'),
 ('collection_point.distance_metric', 'network', 'network', 'enum:network|euclid', NULL,
  'DOMAIN §2', 'Distance used for coverage: along roads (falls back to straight line) or straight line'),
 ('collection_point.min_per_village', '1', '1', 'integer', 'points',
  'Village renovation guidance; GB/T 51435 (DOMAIN C5, T1)', 'Minimum collection points per natural village'),
 ('collection_point.max_households', '300', '300', 'integer', 'households',
  'Urban sorting pilots; Luoyuan (DOMAIN C6, C7)', 'Households per point above which a warning is given'),
 ('waste.kg_per_person_day', '0.5', '0.5', 'positive', 'kg/(person·day)',
  'Han et al. 2017 median 0.52 (DOMAIN W1)', 'Household waste generation; range 0.2–1.1'),
 ('waste.bulk_density_kg_m3', '263', '263', 'positive', 'kg/m³',
  'Han et al. 2017 mean (DOMAIN W1)', 'Bulk density, to turn kg into bin litres'),
 ('collection_vehicle.radius_km.non_motorised', '1', '1', 'positive', 'km',
  'GB/T 51435-2021 §4.4.2 (DOMAIN T1)', 'Service radius of non-motorised collection'),
 ('collection_vehicle.radius_km.small_motor', '3', '3', 'positive', 'km',
  'GB/T 51435-2021 §4.4.2 (DOMAIN T1)', 'Service radius of small motor collection vehicles'),
 ('transfer_station.radius_km.preferred', '3', '3', 'positive', 'km',
  'CJJ/T 47 as quoted (DOMAIN T4)', 'Preferred transfer station radius for small vehicles'),
 ('transfer_station.radius_km.max', '5', '5', 'positive', 'km',
  'CJJ/T 47 as quoted (DOMAIN T4)', 'Maximum transfer station radius for small vehicles'),
 ('public_toilet.radius_m.town', '300', '300', 'positive', 'm',
  'GB 55013-2021 §5.0.1 (DOMAIN P1)', 'Public toilet service radius in towns'),
 ('public_toilet.min_per_admin_village', '1', '1', 'integer', 'toilets',
  'GB 55013-2021 §5.0.2; Gansu 2019 (DOMAIN P2, P4)', 'Public toilets per administrative village'),
 ('public_toilet.natural_village_households', '300', '300', 'integer', 'households',
  'Town example (DOMAIN P5)', 'Natural villages at or above this size should get a public toilet'),
 ('cleaner.per_residents', '300', '300', 'positive', 'residents per cleaner',
  'Hefei Shushan, Longyan, score sheets (DOMAIN S1, S2, S3, S5)', 'One cleaner per this many resident population; presets 500, 800'),
 ('cleaner.per_households', '300', '300', 'positive', 'households per cleaner',
  'Hefei Shushan (DOMAIN S1)', 'Alternative mode when only household counts are known'),
 ('cleaner.per_road_km.major', '1.0', '1.0', 'positive', 'cleaners/km',
  'Hefei Shushan (DOMAIN S1)', 'Cleaners per km of national/provincial/county road outside settlements'),
 ('cleaner.per_road_km.village', '0.75', '0.75', 'positive', 'cleaners/km',
  'Hefei Shushan, 1–2 per 2 km (DOMAIN S1)', 'Cleaners per km of village road outside settlements'),
 ('cleaner.settlement_buffer_m', '100', '100', 'positive', 'm',
  'DOMAIN §2 cleaner.per_road_km (judgement)', 'Roads within this distance of a household count as inside the settlement: their sweeping is in the population-based need, so they add no road-based need'),
 ('cleaner.min_per_village', '1', '1', 'integer', 'cleaners',
  'DOMAIN S1, S5', 'Minimum cleaners per administrative village'),
 ('cleaner.population_basis', 'resident', 'resident', 'enum:resident|registered', NULL,
  'DOMAIN S5', 'Population that drives staffing: resident (常住) or registered (户籍)'),
 ('grid.target_households.min', '100', '100', 'integer', 'households',
  'Rural examples (DOMAIN G5, G6; judgement)', 'Lower end of the rural grid size'),
 ('grid.target_households.max', '300', '300', 'integer', 'households',
  'Haikou 300–500 (DOMAIN G2); rural judgement', 'Split rural grids above this size'),
 ('grid.merge_below_households', '30', '30', 'integer', 'households',
  'DOMAIN §2 (judgement)', 'Merge rural grids below this size'),
 ('grid.urban_target_households.max', '500', '500', 'integer', 'households',
  'Haikou (DOMAIN G2)', 'Upper end of the urban grid size'),
 ('grid.id_format', 'nbs12+seq3', 'nbs12+seq3', 'enum:nbs12+seq3|nbs12+seq3+micro2', NULL,
  'Beijing DB11, Xi''an (DOMAIN G7, G8, A1)', '12-digit NBS village code + 3-digit sequence west→east, north→south'),
 ('crs.storage', 'EPSG:4490', 'EPSG:4490', 'text', NULL,
  'DOMAIN K1', 'Geographic CRS for exchange (EPSG:4326 input is treated as equal)'),
 ('crs.gcj_inverse_iterations', '3', '3', 'integer', 'iterations',
  'DOMAIN K5', 'Iterations of the GCJ-02 inverse (< 1 m after 3)'),
 ('io.shapefile_encoding', 'cpg,ldid,utf-8,gbk', 'cpg,ldid,utf-8,gbk', 'text', NULL,
  'DOMAIN K8', 'Order in which a Shapefile''s text encoding is decided'),
 ('scoring.scale', '100', '100', 'positive', 'points',
  'Score sheets (DOMAIN R5–R7)', 'Full score of an inspection'),
 ('scoring.deduction_per_finding', '1', '1', 'positive', 'points',
  'Score sheets (DOMAIN R6, R7)', 'Points deducted per finding (0.5 option)'),
 ('scoring.red_list_size', '10', '10', 'integer', 'units',
  'Yunnan red/black list (DOMAIN R1)', 'Top N units on the red list'),
 ('scoring.black_list_size', '5', '5', 'integer', 'units',
  'Yunnan red/black list (DOMAIN R1)', 'Bottom M units on the black list'),
 ('scoring.cadence', 'quarterly', 'quarterly', 'enum:weekly|monthly|quarterly', NULL,
  'DOMAIN R2–R4', 'Ranking period'),
 ('inspection.sample_share', '0.2', '0.2', 'share', 'share',
  'Fogang Tangtang (DOMAIN R3)', 'Share of natural villages inspected per round');

-- Ranking (sanigrid rank): weights of the indicators in the composite
-- score. They are relative: the composite is the weighted mean over the
-- indicators a unit has, so they need not sum to 1.
INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('rank.weight.coverage', '0.15', '0.15', 'share', 'weight',
  'Score sheet: waste 18 of 100 points (DOMAIN R5); radius GB 55013-2021 (C1)', 'Weight of coverage (share of residents covered by a collection point along roads) in the rank score'),
 ('rank.weight.staffing', '0.1', '0.1', 'share', 'weight',
  'Score sheet: team 8 of 100 points, cleaners 500:1 (DOMAIN R5, S3)', 'Weight of staffing (current cleaners against the required number) in the rank score'),
 ('rank.weight.grid', '0.1', '0.1', 'share', 'weight',
  '全覆盖、无盲区 and 网中有格、格中有人 (DOMAIN G4, G8, judgement)', 'Weight of the grid indicator (area free of grid gaps, overlaps and grids without a leader) in the rank score'),
 ('rank.weight.toilets', '0.15', '0.15', 'share', 'weight',
  'Toilet revolution area; household toilets 10 of 100 points (DOMAIN R2, R6)', 'Weight of the sanitary household toilet share in the rank score'),
 ('rank.weight.inspection', '0.5', '0.5', 'share', 'weight',
  'Township red/black lists rank on inspection scores (DOMAIN R1–R4)', 'Weight of the mean inspection score of the period in the rank score'),
 ('rank.weight.trend', '0', '0', 'share', 'weight',
  'DOMAIN §2 scoring.ranking (judgement: off unless a local rule rewards improvement)', 'Weight of the change of the mean inspection score against the previous period in the rank score');

-- Reward/penalty bands of a ranking, as township rules write them
-- ("1–10, 11–30, 31–50, last 10, last 11–30"), applied to the rank within
-- the township (from_end = 1 counts from the bottom, 1 = last). The first
-- band (by tier_id) that holds a unit's rank applies. Amounts in yuan for
-- the village and for its liaison cadre (包村干部): positive = reward,
-- negative = fine, NULL = none; no source gives amounts, so the default
-- bands have none (set them with sanigrid rank --tiers ... --save-tiers).
CREATE TABLE rank_tiers (
    tier_id        INTEGER PRIMARY KEY,
    from_rank      INTEGER NOT NULL CHECK (from_rank >= 1),
    to_rank        INTEGER NOT NULL CHECK (to_rank >= from_rank),
    from_end       INTEGER NOT NULL DEFAULT 0 CHECK (from_end IN (0, 1)),
    label          TEXT NOT NULL,
    amount_village REAL,
    amount_cadre   REAL
);
INSERT INTO rank_tiers (tier_id, from_rank, to_rank, from_end, label, amount_village, amount_cadre) VALUES
 (1, 1, 10, 0, '第1–10名', NULL, NULL),
 (2, 11, 30, 0, '第11–30名', NULL, NULL),
 (3, 31, 50, 0, '第31–50名', NULL, NULL),
 (4, 1, 10, 1, '倒数第1–10名', NULL, NULL),
 (5, 11, 30, 1, '倒数第11–30名', NULL, NULL);
