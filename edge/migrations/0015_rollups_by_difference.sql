-- The insights' rollups are kept by differences (edge/src/rollups.rs): a
-- change takes the share of the facts it touches out of qa_daily/tag_daily
-- and puts it back afterwards, instead of rebuilding each touched day. That
-- needs the facts of one call found by its job id, the calls whose case
-- changed kind listed for the length of a batch, and the rollup rows that
-- count nothing found without reading the rollups. (qa_dirty_days, the
-- rebuild's list, is empty between batches; migration 0012's rebuild, which
-- tests/bench/d1-fill.py reuses, still fills it.)
CREATE INDEX qa_items_job ON qa_items (job_id);
CREATE INDEX qa_calls_job ON qa_calls (job_id);
CREATE INDEX summary_tags_job ON summary_tags (job_id);
CREATE INDEX qa_daily_empty ON qa_daily (day) WHERE n <= 0;
CREATE INDEX tag_daily_empty ON tag_daily (day) WHERE n <= 0;
CREATE TABLE qa_moving_jobs (
    job_id TEXT PRIMARY KEY
);
