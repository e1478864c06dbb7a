-- PostgreSQL dialect of data/sql/0003_snapshots.sql (keep the two in step).
-- Snapshots (undo): a command that replaces or deletes data the user
-- cannot recompute (import --mode replace, delete, restore, site
-- --accept, rank --save-tiers) first copies the store to
-- DB.snapshots/NNNN-<command>-<UTC time>.sqlite (src/store/snapshot.c);
-- the newest snapshots.keep are kept. Analyses that only rewrite their
-- own result layers take none: those layers are recomputed by running
-- the analysis again.
INSERT INTO settings (key, value, default_value, type, unit, source, description) VALUES
 ('snapshots.keep', '5', '5', 'integer', 'snapshots',
  'Judgement: five undo steps; each is a full copy of the store', 'Snapshots kept beside the store (DB.snapshots/) before a command replaces or deletes data; 0 turns snapshots off')
ON CONFLICT (key) DO NOTHING;
