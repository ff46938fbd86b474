-- Every distinct version of a note record the agent delivered, so that a
-- newer delivery is never dropped silently and supervisors can open the
-- earlier ones. note_results keeps the version the board shows: the newest
-- by report time (read as Asia/Shanghai time; one that is not a time counts
-- as the oldest), then by arrival.
CREATE TABLE note_versions (
    call_id     TEXT    NOT NULL,
    biz_id      TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    digest      TEXT    NOT NULL, -- shared::note::content_digest of the record
    report_time TEXT,
    report_ms   INTEGER,          -- null when report_time is not a time
    outcome     TEXT    NOT NULL,
    raw         TEXT    NOT NULL,
    received_at INTEGER NOT NULL, -- ms since the epoch
    arrival     INTEGER NOT NULL, -- received_at * 1000 + position in its push: orders arrivals
    PRIMARY KEY (call_id, biz_id, type, digest)
);

ALTER TABLE note_results ADD COLUMN report_ms INTEGER;
ALTER TABLE note_results ADD COLUMN digest TEXT;
ALTER TABLE note_results ADD COLUMN arrival INTEGER;

UPDATE note_results
   SET report_ms = (CAST(strftime('%s', report_time) AS INTEGER) - 28800) * 1000
 WHERE strftime('%s', report_time) IS NOT NULL AND length(report_time) = 19;
UPDATE note_results SET digest = 'legacy', arrival = received_at * 1000;
INSERT INTO note_versions (call_id, biz_id, type, digest, report_time, report_ms, outcome, raw, received_at, arrival)
SELECT call_id, biz_id, type, digest, report_time, report_ms, outcome, raw, received_at, arrival FROM note_results;

-- Dead letters keep what was received exactly: text, or base64 when it was
-- not UTF-8; a whole body that could not be split into records is one.
ALTER TABLE dead_letters ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf8'; -- utf8 | base64
ALTER TABLE dead_letters ADD COLUMN scope TEXT NOT NULL DEFAULT 'record';  -- record | body

-- A call placement whose outcome is unknown (the backend timed out, failed
-- or answered unreadably after the request left) keeps its key for good:
-- a retry answers "outcome unknown" instead of calling again.
ALTER TABLE idempotency ADD COLUMN state TEXT; -- null or 'done' | 'unknown'

-- A replay marks its dead letter with its own token, so that of two
-- concurrent replays only the one whose mark stuck stores the record.
ALTER TABLE dead_letters ADD COLUMN replay_token TEXT;
ALTER TABLE dead_letters ADD COLUMN replayed_by TEXT;

-- Each board user's Clink userId, allocated once: two names never share one.
CREATE TABLE clink_users (
    user_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name  TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
