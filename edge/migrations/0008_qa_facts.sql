-- QA insights are computed with SQL over these facts, not by reading every
-- stored result: one row per quality-inspection item of each shown note
-- record, one per call's QA total, one per summary enum-tag value. They are
-- rewritten from note_results whenever a record's shown version changes
-- (edge/src/insights.rs runs the same statements per record; here they fill
-- the tables from what is already stored). `day` is the report's day in
-- Asia/Shanghai (the arrival's when the report time is not a time).
CREATE TABLE qa_items (
    call_id    TEXT    NOT NULL,
    biz_id     TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    job_id     TEXT,
    day        TEXT    NOT NULL, -- yyyy-MM-dd
    item       TEXT    NOT NULL,
    score      REAL    NOT NULL,
    full_score REAL    NOT NULL,
    problem    TEXT,
    suggestion TEXT,
    PRIMARY KEY (call_id, biz_id, position)
);
CREATE INDEX qa_items_by_day ON qa_items (day, item);

CREATE TABLE qa_calls (
    call_id    TEXT    NOT NULL,
    biz_id     TEXT    NOT NULL,
    job_id     TEXT,
    day        TEXT    NOT NULL,
    score      REAL    NOT NULL,
    full_score REAL    NOT NULL,
    share      REAL    NOT NULL, -- score / full_score, 0 when the full score is 0
    PRIMARY KEY (call_id, biz_id)
);
CREATE INDEX qa_calls_by_day ON qa_calls (day, share);
CREATE INDEX qa_calls_by_share ON qa_calls (share, day);

CREATE TABLE summary_tags (
    call_id TEXT NOT NULL,
    biz_id  TEXT NOT NULL,
    job_id  TEXT,
    day     TEXT NOT NULL,
    tag     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (call_id, biz_id, tag, value)
);
CREATE INDEX summary_tags_by_day ON summary_tags (day, tag, value);

-- Who placed a call through the board, and the backend's name for its task
-- (taskName: 协议确认, 履约回访 …): the insights' mediator and task filters.
ALTER TABLE search_calls ADD COLUMN task TEXT;
ALTER TABLE search_calls ADD COLUMN placed_by TEXT;

INSERT INTO qa_items (call_id, biz_id, position, job_id, day, item, score, full_score, problem, suggestion)
SELECT n.call_id, n.biz_id, i.key, n.out_id, date(COALESCE(n.report_ms, n.received_at) / 1000 + 28800, 'unixepoch'),
       json_extract(i.value, '$.item'), json_extract(i.value, '$.score'), json_extract(i.value, '$.full_score'),
       json_extract(i.value, '$.problem'), json_extract(i.value, '$.suggestion')
  FROM note_results n, json_each(n.outcome, '$.items') i
 WHERE n.type = '通话质检' AND json_extract(n.outcome, '$.kind') = 'quality_inspection';

INSERT INTO qa_calls (call_id, biz_id, job_id, day, score, full_score, share)
SELECT call_id, biz_id, job_id, day, SUM(score), SUM(full_score),
       CASE WHEN SUM(full_score) > 0 THEN SUM(score) / SUM(full_score) ELSE 0 END
  FROM qa_items GROUP BY call_id, biz_id;

INSERT OR IGNORE INTO summary_tags (call_id, biz_id, job_id, day, tag, value)
SELECT n.call_id, n.biz_id, n.out_id, date(COALESCE(n.report_ms, n.received_at) / 1000 + 28800, 'unixepoch'), t.key, v.value
  FROM note_results n, json_each(n.outcome, '$.tags') t, json_each(t.value) v
 WHERE n.type = '通话摘要' AND json_extract(n.outcome, '$.kind') = 'summary' AND t.type = 'array' AND v.type = 'text';
