-- QA insights read day rollups, not every item row: per day, QA item ('' for
-- the call's total), task and who placed the call, the count, the sum of
-- shares (score * 100 / full score) and the five 20% bins; and per day,
-- summary tag value, task and who placed it, the count. A push rewrites the
-- rollups of the days it touched (edge/src/insights.rs), through
-- qa_dirty_days, in the same transaction as the facts.
CREATE TABLE qa_daily (
    day       TEXT    NOT NULL,
    item      TEXT    NOT NULL,
    task      TEXT    NOT NULL,
    placed_by TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    sum_share REAL    NOT NULL,
    b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL, b3 INTEGER NOT NULL, b4 INTEGER NOT NULL,
    PRIMARY KEY (day, item, task, placed_by)
);
CREATE TABLE tag_daily (
    day       TEXT    NOT NULL,
    tag       TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    task      TEXT    NOT NULL,
    placed_by TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, tag, value, task, placed_by)
);
CREATE TABLE qa_dirty_days (day TEXT PRIMARY KEY);

INSERT INTO qa_dirty_days (day) SELECT day FROM qa_calls UNION SELECT day FROM summary_tags;
INSERT INTO qa_daily (day, item, task, placed_by, n, sum_share, b0, b1, b2, b3, b4)
SELECT x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COUNT(*), SUM(x.pct),
       SUM(x.bin = 0), SUM(x.bin = 1), SUM(x.bin = 2), SUM(x.bin = 3), SUM(x.bin = 4)
  FROM (SELECT day, item, job_id, score * 100.0 / full_score AS pct, MIN(CAST(score * 5 / full_score AS INTEGER), 4) AS bin
          FROM qa_items WHERE full_score > 0 AND day IN (SELECT day FROM qa_dirty_days)
        UNION ALL
        SELECT day, '', job_id, share * 100, MIN(CAST(share * 5 AS INTEGER), 4)
          FROM qa_calls WHERE full_score > 0 AND day IN (SELECT day FROM qa_dirty_days)) x
  LEFT JOIN search_calls sc ON sc.job_id = x.job_id
 GROUP BY x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, '');
INSERT INTO tag_daily (day, tag, value, task, placed_by, n)
SELECT t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COUNT(*)
  FROM summary_tags t LEFT JOIN search_calls sc ON sc.job_id = t.job_id
 WHERE t.day IN (SELECT day FROM qa_dirty_days)
 GROUP BY t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, '');
DELETE FROM qa_dirty_days;

-- The open queue in the order it is read (most urgent, newest first).
DROP INDEX attention_open;
CREATE INDEX attention_open ON attention_entries (severity_rank, created_at DESC, id DESC) WHERE acked_at IS NULL;
