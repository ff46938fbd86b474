-- The attention queue's open count for supervisors and admins (everyone's
-- open entries), kept as entries are written, acknowledged or removed,
-- instead of counted on every read: counting grew with what is open (25 ms
-- at 414,266 open entries, docs/benchmarks.md). Triggers keep it, so every
-- writer (the edge, tests/bench/d1-fill.py) keeps it too. A mediator's own
-- count still counts (the entries of their cases). Never write the entries
-- with INSERT OR REPLACE: SQLite fires no delete trigger for the row it
-- replaces (unless recursive_triggers is on), and the count would drift.
-- Each trigger body is one plain statement (no CASE … END inside a trigger).
CREATE TABLE attention_open_count (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    open INTEGER NOT NULL
);
INSERT INTO attention_open_count (id, open) SELECT 1, COUNT(*) FROM attention_entries WHERE acked_at IS NULL;

CREATE TRIGGER attention_open_added AFTER INSERT ON attention_entries
WHEN NEW.acked_at IS NULL
BEGIN
    UPDATE attention_open_count SET open = open + 1 WHERE id = 1;
END;

CREATE TRIGGER attention_open_acked AFTER UPDATE OF acked_at ON attention_entries
WHEN OLD.acked_at IS NULL AND NEW.acked_at IS NOT NULL
BEGIN
    UPDATE attention_open_count SET open = open - 1 WHERE id = 1;
END;

CREATE TRIGGER attention_open_reopened AFTER UPDATE OF acked_at ON attention_entries
WHEN OLD.acked_at IS NOT NULL AND NEW.acked_at IS NULL
BEGIN
    UPDATE attention_open_count SET open = open + 1 WHERE id = 1;
END;

CREATE TRIGGER attention_open_removed AFTER DELETE ON attention_entries
WHEN OLD.acked_at IS NULL
BEGIN
    UPDATE attention_open_count SET open = open - 1 WHERE id = 1;
END;
