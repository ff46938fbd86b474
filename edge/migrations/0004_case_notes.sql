-- The team's notes on a case; a note with a due date is a follow-up
-- reminder ("3月16日 核实是否收到第二期 14160 元"). Marking one done keeps it.
CREATE TABLE case_notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    TEXT    NOT NULL,
    author     TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    due_date   TEXT,             -- yyyy-MM-dd, Asia/Shanghai
    done_at    INTEGER,          -- ms since the epoch
    done_by    TEXT,
    created_at INTEGER NOT NULL  -- ms since the epoch
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, id);
CREATE INDEX case_notes_open_by_due ON case_notes (due_date) WHERE due_date IS NOT NULL AND done_at IS NULL;
