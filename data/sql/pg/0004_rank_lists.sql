-- PostgreSQL dialect of data/sql/0004_rank_lists.sql (keep the two in step).
-- Red and black list sizes that follow the number of units ranked
-- (issue 16): with 5 villages and a red list of 10, every village, the
-- worst too, was on the red list. Each group's lists now hold a share of
-- its ranked units, at least rank.list_min, at most
-- scoring.red_list_size / scoring.black_list_size; the bottom unit is
-- never on the red list, the top never on the black, no unit on both
-- (the rule is written in `sanigrid rank --help`).
INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('rank.list_share', '0.2', '0.2', 'share', 'share',
  'Judgement: a fifth of the units gives 5 villages 1 red and 1 black, and reaches the Yunnan red list of 10 at 50 units',
  'Share of a group''s ranked units on each of the red and black lists (rounded down), before the minimum and the maximum (scoring.red_list_size, scoring.black_list_size) apply'),
 ('rank.list_min', '1', '1', 'integer', 'units',
  'Judgement: a list names at least one unit when the group has two or more',
  'Smallest red and black list of a group of two or more ranked units (a single unit is on no list)')
ON CONFLICT (key) DO NOTHING;
