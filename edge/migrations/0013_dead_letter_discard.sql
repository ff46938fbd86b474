-- A dead letter an admin sets aside without replaying it: when, by whom and
-- why (edge/src/admin.rs, discard). Neither replayed nor discarded: open.
ALTER TABLE dead_letters ADD COLUMN discarded_at INTEGER;
ALTER TABLE dead_letters ADD COLUMN discarded_by TEXT;
ALTER TABLE dead_letters ADD COLUMN discard_reason TEXT;
