-- PostgreSQL dialect of data/sql/0002_limits.sql (keep the two in step).
-- Plausibility limits: nothing a user types or a file holds may make an
-- analysis run away (memory, hours) without a word. Import rejects a
-- feature above a limit with its reason; an analysis refuses to start.
-- Raise a limit with `sanigrid config DB set KEY VALUE` when real data
-- need it.
INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('limits.household_population', '1000', '1000', 'positive', 'residents',
  'Judgement: the largest rural households and collective dwellings hold a few hundred', 'Import rejects a household whose resident or registered population is above this (a typo or a total, not a household)'),
 ('limits.site_candidates', '1000000', '1000000', 'positive', 'candidates',
  'Judgement: about 1 GB of memory and minutes of work per million candidates', 'site refuses to start when it would consider more candidate sites than this (one every --spacing metres along the roads, or the households or points given)'),
 ('limits.cleaners_per_village', '2000', '2000', 'positive', 'cleaners',
  'Judgement: 2,000 cleaners serve 600,000 residents at cleaner.per_residents 300', 'allocate refuses to start when a village would get more cleaners than this (check its population and cleaner.per_residents)'),
 ('limits.polygon_vertices', '200000', '200000', 'positive', 'vertices',
  'Judgement: a detailed village boundary has a few thousand vertices; checks slow down more than linearly above this', 'Import rejects a polygon or line with more vertices than this (simplify it first)')
ON CONFLICT (key) DO NOTHING;
