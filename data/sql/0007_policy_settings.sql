-- Policy numbers of the analyses as settings (issue 18): what counts as
-- a balanced plan, how close a grid boundary may pass a house, and how
-- much a metre of lane weighs in a cleaner's workload were constants in
-- the code; a county that agrees other rules changes them with
-- `sanigrid config` like every other rule. The defaults are the old
-- constants, so results do not change.
INSERT OR IGNORE INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('plan.balance_bound', '1.15', '1.15', 'positive', 'ratio',
  'Judgement: grids within 15 % of the mean size (the former constant SG_PLAN_BALANCE_BOUND); must be at least 1',
  'A planned unit is balanced when its largest grid holds at most this many times the mean (households or residents)'),
 ('plan.clearance_m', '0.5', '0.5', 'positive', 'm',
  'Judgement: a boundary drawn between two houses keeps half a metre from each (the former constant SG_PLAN_CLEARANCE_M)',
  'No boundary between two planned grids comes closer than this to a household; houses closer together stay in one block'),
 ('allocate.lane_factor', '0.5', '0.5', 'share', 'share',
  'Judgement: lanes and other minor roads take half the sweeping of a village road (the former constant SG_ALLOC_LANE_FACTOR)',
  'Share of the village road rate (cleaner.per_road_km.village) a metre of lane or other road weighs in the mixed workload of allocate');
