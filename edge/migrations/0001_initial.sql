-- What the edge must not lose: the note agent's results, records it could not
-- read (dead letters), the audit trail of mediator actions, and the
-- idempotency keys that make a double submit place one call.

-- One row per (call_id, biz_id, type): a redelivery is a no-op, and a
-- reordered delivery only replaces a row whose report_time is older.
CREATE TABLE note_results (
    call_id        TEXT    NOT NULL,
    biz_id         TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    out_id         TEXT,
    cell_number    TEXT,
    success        INTEGER NOT NULL,
    error_code     TEXT,
    error_msg      TEXT,
    start_time     TEXT,
    report_time    TEXT,
    duration       INTEGER,
    content_length INTEGER,
    result         TEXT,
    outcome        TEXT    NOT NULL, -- the decoded result, JSON (shared::note::NoteOutcome)
    raw            TEXT    NOT NULL, -- the record exactly as received
    received_at    INTEGER NOT NULL, -- ms since the epoch
    PRIMARY KEY (call_id, biz_id, type)
);
CREATE INDEX note_results_out_id ON note_results (out_id);
CREATE INDEX note_results_cell ON note_results (cell_number, start_time);

CREATE TABLE dead_letters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    raw         TEXT    NOT NULL,
    field       TEXT,
    reason      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    replayed_at INTEGER
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL, -- ms since the epoch
    user_name   TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    action      TEXT    NOT NULL, -- takeover | call | update_status | agreement | ocr
    case_id     TEXT,
    target      TEXT,             -- party, job, …
    status      INTEGER,          -- upstream HTTP status (0: unreachable)
    outcome     TEXT              -- upstream message or error
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);

CREATE TABLE idempotency (
    key        TEXT    PRIMARY KEY,
    user_name  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    status     INTEGER,           -- null while the first request is in flight
    body       TEXT
);
