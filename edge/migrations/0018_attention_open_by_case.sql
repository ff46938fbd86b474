-- A mediator's open queue and its count (edge/src/attention.rs, MINE_OPEN)
-- read their cases' open entries only, not every entry their cases were
-- ever flagged for (which grows with each case's history).
CREATE INDEX attention_open_by_case ON attention_entries (case_id) WHERE acked_at IS NULL;
CREATE INDEX attention_open_by_job ON attention_entries (job_id) WHERE acked_at IS NULL;
