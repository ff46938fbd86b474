-- Full-text search over what was said. Each finished call's turns, their
-- personal data masked, are kept once: `terms` holds the text as
-- shared::wire::search::index_terms writes it (pairs of Chinese characters,
-- words of letters and digits), the only column FTS5 indexes.
CREATE VIRTUAL TABLE turn_search USING fts5(
    terms,
    text UNINDEXED,
    job_id UNINDEXED,
    case_id UNINDEXED,
    turn UNINDEXED,
    speaker UNINDEXED,
    at UNINDEXED,
    tokenize = 'unicode61'
);

-- Which case each call belongs to (the backend's call log does not say),
-- learnt when a call is placed or a case's calls are read, and whether the
-- call's turns are in turn_search yet.
CREATE TABLE search_calls (
    job_id     TEXT    PRIMARY KEY,
    case_id    TEXT    NOT NULL,
    indexed_at INTEGER            -- ms since the epoch; null: not yet
);
