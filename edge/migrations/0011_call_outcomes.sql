-- How each party's calls ended, as the live hub sees the board change
-- (shared::wire::attention::not_connected_run): enough to tell when a
-- party's latest calls in a row were not connected. One row per call; a
-- status seen again (or changed later) replaces the row's status.
CREATE TABLE call_outcomes (
    job_id     TEXT    PRIMARY KEY,
    case_id    TEXT    NOT NULL,
    person_id  TEXT    NOT NULL, -- '' when the board did not say
    status     TEXT    NOT NULL, -- the backend's callStatus
    started    TEXT    NOT NULL, -- the call's startTime as the board gave it (yyyy-MM-dd HH:mm:ss)
    seen_at    INTEGER NOT NULL  -- ms since the epoch, when the hub first saw it end (the order of a run)
);
-- A party's latest calls, in the order the hub saw them end, newest first.
CREATE INDEX call_outcomes_by_party ON call_outcomes (case_id, person_id, seen_at DESC);

INSERT INTO attention_rules (id, name, severity, enabled, condition, position) VALUES
    ('not-connected', '多次未接通', 'medium', 1, '{"kind":"not_connected_in_row","count":3}', 9);
