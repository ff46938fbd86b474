-- QA insights per dispute kind. Each case's kind as the live hub last read it
-- from the board (edge/src/insights.rs, note_disputes), and the rollups keyed
-- by it too ('' while a case's kind is not known yet). A case whose kind is
-- learnt or changes marks the days of its calls, whose rollups are rebuilt.
CREATE TABLE case_disputes (
    case_id TEXT PRIMARY KEY,
    dispute TEXT NOT NULL
);
CREATE INDEX search_calls_case ON search_calls (case_id);

DROP TABLE qa_daily;
DROP TABLE tag_daily;
CREATE TABLE qa_daily (
    day       TEXT    NOT NULL,
    item      TEXT    NOT NULL,
    task      TEXT    NOT NULL,
    placed_by TEXT    NOT NULL,
    dispute   TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    sum_share REAL    NOT NULL,
    b0 INTEGER NOT NULL, b1 INTEGER NOT NULL, b2 INTEGER NOT NULL, b3 INTEGER NOT NULL, b4 INTEGER NOT NULL,
    PRIMARY KEY (day, item, task, placed_by, dispute)
);
CREATE TABLE tag_daily (
    day       TEXT    NOT NULL,
    tag       TEXT    NOT NULL,
    value     TEXT    NOT NULL,
    task      TEXT    NOT NULL,
    placed_by TEXT    NOT NULL,
    dispute   TEXT    NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (day, tag, value, task, placed_by, dispute)
);

INSERT OR IGNORE INTO qa_dirty_days (day) SELECT day FROM qa_calls UNION SELECT day FROM summary_tags;
INSERT INTO qa_daily (day, item, task, placed_by, dispute, n, sum_share, b0, b1, b2, b3, b4)
     SELECT x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, ''), COUNT(*), SUM(x.pct),
            SUM(x.bin = 0), SUM(x.bin = 1), SUM(x.bin = 2), SUM(x.bin = 3), SUM(x.bin = 4)
       FROM (SELECT day, item, job_id, score * 100.0 / full_score AS pct, MIN(CAST(score * 5 / full_score AS INTEGER), 4) AS bin
               FROM qa_items WHERE full_score > 0 AND day IN (SELECT day FROM qa_dirty_days)
             UNION ALL
             SELECT day, '', job_id, share * 100, MIN(CAST(share * 5 AS INTEGER), 4)
               FROM qa_calls WHERE full_score > 0 AND day IN (SELECT day FROM qa_dirty_days)) x
       LEFT JOIN search_calls sc ON sc.job_id = x.job_id
       LEFT JOIN case_disputes cd ON cd.case_id = sc.case_id
      GROUP BY x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, '');
INSERT INTO tag_daily (day, tag, value, task, placed_by, dispute, n)
     SELECT t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, ''), COUNT(*)
       FROM summary_tags t LEFT JOIN search_calls sc ON sc.job_id = t.job_id
       LEFT JOIN case_disputes cd ON cd.case_id = sc.case_id
      WHERE t.day IN (SELECT day FROM qa_dirty_days)
      GROUP BY t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, '');
DELETE FROM qa_dirty_days;
