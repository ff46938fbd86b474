-- The board's QA column: each case's latest inspected call's QA total
-- (whole percent), kept when its facts are written (edge/src/insights.rs);
-- `at` orders calls: the report time, else the arrival (ms since the epoch).
CREATE TABLE case_qa (
    case_id TEXT    PRIMARY KEY,
    job_id  TEXT,
    at      INTEGER NOT NULL,
    percent INTEGER NOT NULL
);
INSERT INTO case_qa (case_id, job_id, at, percent)
SELECT case_id, job_id, at, percent FROM (
    SELECT sc.case_id AS case_id, c.job_id AS job_id, COALESCE(n.report_ms, n.received_at) AS at,
           CAST(ROUND(c.share * 100) AS INTEGER) AS percent,
           ROW_NUMBER() OVER (PARTITION BY sc.case_id ORDER BY COALESCE(n.report_ms, n.received_at) DESC) AS k
      FROM qa_calls c
      JOIN search_calls sc ON sc.job_id = c.job_id
      JOIN note_results n ON n.call_id = c.call_id AND n.biz_id = c.biz_id AND n.type = '通话质检'
     WHERE c.full_score > 0)
 WHERE k = 1;
