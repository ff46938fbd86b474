//! The insights' day rollups (`qa_daily`, `tag_daily`) are kept by
//! differences: whatever changes a fact row, or the call or case a fact is
//! keyed by (task, who placed it, dispute kind), first takes those facts'
//! share out of the rollups and puts it back after the change, in the same
//! D1 batch. A push then costs the rows it changes, not every row of its day
//! (rebuilding the day's rollups on each push made ingest slow down as a day
//! filled up: 14 batches/s at 20,000 results in a day).
//!
//! Migration 0012's statements rebuild the rollups from scratch; the test
//! below checks that the differences end where a rebuild does.

use worker::{D1Database, D1PreparedStatement};

use crate::store::s;

/// Whose facts a change moves.
#[derive(Clone, Copy)]
pub enum Facts {
    /// The note records listed in `?1`, a JSON array of `[call id, biz id]` pairs.
    Records,
    /// One call's (`?1` job id).
    Job,
    /// The calls listed in `qa_moving_jobs`.
    Moving,
}

/// The `[call id, biz id]` pairs of the JSON array bound to `?1`, as rows.
pub(crate) const RECORD_KEYS: &str = "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))";

impl Facts {
    /// The facts' rows, their table named `t` (or `""`).
    fn filter(self, t: &str) -> String {
        match self {
            Facts::Records => format!("({t}call_id, {t}biz_id) IN {RECORD_KEYS}"),
            Facts::Job => format!("{t}job_id = ?1"),
            Facts::Moving => format!("{t}job_id IN (SELECT job_id FROM qa_moving_jobs)"),
        }
    }
}

/// The two statements that add (`sign` "") or take out (`sign` "-") the
/// share of `facts` in the rollups, as their keys read now.
pub(crate) fn share_sql(facts: Facts, sign: &str) -> [String; 2] {
    let filter = facts.filter("");
    [
        format!(
            "INSERT INTO qa_daily (day, item, task, placed_by, dispute, n, sum_share, b0, b1, b2, b3, b4)
             SELECT x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, ''), {sign}COUNT(*), {sign}SUM(x.pct),
                    {sign}SUM(x.bin = 0), {sign}SUM(x.bin = 1), {sign}SUM(x.bin = 2), {sign}SUM(x.bin = 3), {sign}SUM(x.bin = 4)
               FROM (SELECT day, item, job_id, score * 100.0 / full_score AS pct, MIN(CAST(score * 5 / full_score AS INTEGER), 4) AS bin
                       FROM qa_items WHERE full_score > 0 AND {filter}
                     UNION ALL
                     SELECT day, '', job_id, share * 100, MIN(CAST(share * 5 AS INTEGER), 4)
                       FROM qa_calls WHERE full_score > 0 AND {filter}) x
               LEFT JOIN search_calls sc ON sc.job_id = x.job_id
               LEFT JOIN case_disputes cd ON cd.case_id = sc.case_id
              WHERE true
              GROUP BY x.day, x.item, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, '')
             ON CONFLICT (day, item, task, placed_by, dispute) DO UPDATE SET
                n = n + excluded.n, sum_share = sum_share + excluded.sum_share,
                b0 = b0 + excluded.b0, b1 = b1 + excluded.b1, b2 = b2 + excluded.b2, b3 = b3 + excluded.b3, b4 = b4 + excluded.b4"
        ),
        format!(
            "INSERT INTO tag_daily (day, tag, value, task, placed_by, dispute, n)
             SELECT t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, ''), {sign}COUNT(*)
               FROM summary_tags t LEFT JOIN search_calls sc ON sc.job_id = t.job_id
               LEFT JOIN case_disputes cd ON cd.case_id = sc.case_id
              WHERE {tags}
              GROUP BY t.day, t.tag, t.value, COALESCE(sc.task, ''), COALESCE(sc.placed_by, ''), COALESCE(cd.dispute, '')
             ON CONFLICT (day, tag, value, task, placed_by, dispute) DO UPDATE SET n = n + excluded.n",
            tags = facts.filter("t.")
        ),
    ]
}

/// Drops the rollup rows nothing counts any more (a partial index holds them).
pub(crate) const TIDY: [&str; 2] = ["DELETE FROM qa_daily WHERE n <= 0", "DELETE FROM tag_daily WHERE n <= 0"];

fn share(db: &D1Database, facts: Facts, sign: &str, binds: &[wasm_bindgen::JsValue]) -> worker::Result<Vec<D1PreparedStatement>> {
    share_sql(facts, sign).iter().map(|sql| db.prepare(sql).bind(binds)).collect()
}

/// `change` between taking `facts`' share out and putting it back.
pub fn around(db: &D1Database, facts: Facts, binds: &[wasm_bindgen::JsValue], change: Vec<D1PreparedStatement>) -> worker::Result<Vec<D1PreparedStatement>> {
    let mut out = share(db, facts, "-", binds)?;
    out.extend(change);
    out.extend(share(db, facts, "", binds)?);
    Ok(out)
}

/// `change` to one call's row in `search_calls` (its case, task or who placed it).
pub fn around_job(db: &D1Database, job_id: &str, change: D1PreparedStatement) -> worker::Result<Vec<D1PreparedStatement>> {
    around(db, Facts::Job, &[s(job_id)], vec![change])
}

/// Ends a batch that moved shares.
pub fn tidy(db: &D1Database) -> Vec<D1PreparedStatement> {
    TIDY.iter().map(|sql| db.prepare(*sql)).collect()
}

#[cfg(test)]
mod tests {
    use super::{share_sql, Facts, TIDY};

    /// Runs `SCRIPT` over the migrated schema with the statements under test.
    fn run(script: &str, job: serde_json::Value) -> serde_json::Value {
        let mut job = job;
        job["rebuild"] = serde_json::json!(include_str!("../migrations/0012_insights_by_dispute.sql"));
        for (name, facts) in [("record", Facts::Records), ("job", Facts::Job), ("moving", Facts::Moving)] {
            job[format!("{name}-")] = serde_json::json!(share_sql(facts, "-"));
            job[format!("{name}+")] = serde_json::json!(share_sql(facts, ""));
        }
        job["tidy"] = serde_json::json!(TIDY);
        crate::migrated::run(script, job)
    }

    /// Every kind of change the edge makes (a record's facts written,
    /// rewritten and emptied; a call's task and placer noted; a call's case
    /// learnt; a case's dispute kind changed), applied by differences, ends
    /// with the rollups a rebuild from scratch makes.
    #[test]
    fn differences_end_where_a_rebuild_does() {
        let script = r#"
db = migrated()

def around(kind, binds, change):
    if kind == "record":
        # One record's key, or a push's several: bound as a JSON list of pairs.
        binds = [json.dumps(binds if isinstance(binds[0], list) else [binds])]
    for sql in job[kind + "-"]:
        db.execute(sql, binds)
    for sql, args in change:
        db.execute(sql, args)
    for sql in job[kind + "+"]:
        db.execute(sql, binds)
    for sql in job["tidy"]:
        db.execute(sql)

def facts(call, job_id, day, items, tags):
    out = [("DELETE FROM qa_items WHERE call_id = ? AND biz_id = 'b'", [call]),
           ("DELETE FROM qa_calls WHERE call_id = ? AND biz_id = 'b'", [call]),
           ("DELETE FROM summary_tags WHERE call_id = ? AND biz_id = 'b'", [call])]
    for i, (item, score, full) in enumerate(items):
        out.append(("INSERT INTO qa_items (call_id, biz_id, position, job_id, day, item, score, full_score) VALUES (?, 'b', ?, ?, ?, ?, ?, ?)", [call, i, job_id, day, item, score, full]))
    if items:
        s, f = sum(x[1] for x in items), sum(x[2] for x in items)
        out.append(("INSERT INTO qa_calls (call_id, biz_id, job_id, day, score, full_score, share) VALUES (?, 'b', ?, ?, ?, ?, ?)", [call, job_id, day, s, f, s / f if f else 0]))
    for tag, value in tags:
        out.append(("INSERT INTO summary_tags (call_id, biz_id, job_id, day, tag, value) VALUES (?, 'b', ?, ?, ?, ?)", [call, job_id, day, tag, value]))
    return out

def snapshot():
    qa = db.execute("SELECT day, item, task, placed_by, dispute, n, round(sum_share, 6), b0, b1, b2, b3, b4 FROM qa_daily ORDER BY 1, 2, 3, 4, 5").fetchall()
    tags = db.execute("SELECT * FROM tag_daily ORDER BY 1, 2, 3, 4, 5, 6").fetchall()
    return [list(r) for r in qa], [list(r) for r in tags]

db.execute("INSERT INTO search_calls (job_id, case_id) VALUES ('j1', 'c1'), ('j2', 'c2')")
db.execute("INSERT INTO case_disputes (case_id, dispute) VALUES ('c1', '劳动争议')")
steps = []
def step(name, kind, binds, change):
    around(kind, binds, change)
    steps.append([name, snapshot()])

step("record 1 stored", "record", ["r1", "b"], facts("r1", "j1", "2026-03-01", [("态度", 8, 10), ("流程", 3, 10)], [("意愿", "愿意"), ("结果", "达成")]))
step("record 2 stored, same day and call", "record", ["r2", "b"], facts("r2", "j1", "2026-03-01", [("态度", 10, 10)], [("意愿", "愿意")]))
step("record 3 stored, a call the edge has no case for", "record", ["r3", "b"], facts("r3", "j3", "2026-03-02", [("态度", 0, 10), ("流程", 10, 10)], [("意愿", "拒绝")]))
step("record 4 stored, no job", "record", ["r4", "b"], facts("r4", None, "2026-03-02", [("态度", 5, 10)], []))
step("record 1 rewritten with other scores and tags", "record", ["r1", "b"], facts("r1", "j1", "2026-03-01", [("态度", 2, 10)], [("结果", "未达成")]))
step("call j1 placed by a mediator for a task", "job", ["j1"], [("UPDATE search_calls SET task = '协议确认', placed_by = 'm1' WHERE job_id = 'j1'", [])])
step("call j3's case learnt", "job", ["j3"], [("INSERT INTO search_calls (job_id, case_id) VALUES ('j3', 'c1') ON CONFLICT (job_id) DO NOTHING", [])])
db.execute("INSERT OR IGNORE INTO qa_moving_jobs (job_id) SELECT job_id FROM search_calls WHERE case_id = 'c1'")
step("case c1's kind changed", "moving", [], [("UPDATE case_disputes SET dispute = '借贷纠纷' WHERE case_id = 'c1'", [])])
db.execute("DELETE FROM qa_moving_jobs")
step("record 2 emptied (a version without items or tags)", "record", ["r2", "b"], facts("r2", "j1", "2026-03-01", [], []))
step("record 4 with a zero full score", "record", ["r4", "b"], facts("r4", None, "2026-03-02", [("态度", 0, 0)], []))
step("records 5 and 6 in one push, record 1 rewritten in it", "record", [["r5", "b"], ["r6", "b"], ["r1", "b"]],
     facts("r5", "j2", "2026-03-03", [("态度", 6, 10)], [("意愿", "愿意")]) + facts("r6", "j2", "2026-03-03", [("流程", 9, 10)], [])
     + facts("r1", "j1", "2026-03-01", [("态度", 7, 10)], [("结果", "未达成")]))

text = job["rebuild"]
start = text.index("INSERT OR IGNORE INTO qa_dirty_days")
end = text.index("DELETE FROM qa_dirty_days;") + len("DELETE FROM qa_dirty_days;")
body = re.sub(r"--[^\n]*", "", text[start:end])
kept = snapshot()
db.execute("DELETE FROM qa_daily")
db.execute("DELETE FROM tag_daily")
for sql in [s.strip() for s in body.split(";") if s.strip()]:
    db.execute(sql)
json.dump({"steps": steps, "kept": kept, "rebuilt": snapshot()}, sys.stdout, ensure_ascii=False)
"#;
        let out = run(script, serde_json::json!({}));
        assert_eq!(out["kept"], out["rebuilt"], "steps: {:#}", out["steps"]);
        // The steps did change the rollups as they went (a test that moved nothing would pass above).
        let steps = out["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 11);
        let qa_rows = |i: usize| steps[i][1][0].as_array().unwrap().clone();
        assert_eq!(
            qa_rows(0),
            serde_json::json!([
                ["2026-03-01", "", "", "", "劳动争议", 1, 55.0, 0, 0, 1, 0, 0],
                ["2026-03-01", "态度", "", "", "劳动争议", 1, 80.0, 0, 0, 0, 0, 1],
                ["2026-03-01", "流程", "", "", "劳动争议", 1, 30.0, 0, 1, 0, 0, 0]
            ])
            .as_array()
            .unwrap()
            .clone()
        );
        let final_qa = out["kept"][0].as_array().unwrap();
        assert!(final_qa.iter().all(|r| r[5].as_i64().unwrap() > 0), "rows that count nothing are dropped: {final_qa:#?}");
        assert!(final_qa.iter().any(|r| r[4] == "借贷纠纷" && r[2] == "协议确认" && r[3] == "m1"), "{final_qa:#?}");
        assert!(out["kept"][1].as_array().unwrap().iter().any(|r| r[1] == "结果" && r[2] == "未达成" && r[5] == "借贷纠纷"), "{:#}", out["kept"][1]);
    }

    /// The differences read the facts of what changed through an index,
    /// never a whole facts table or rollup.
    #[test]
    fn differences_search_the_facts_of_what_changed() {
        let script = r#"
db = migrated()
db.execute("ANALYZE")
out = {}
for key in ["record-", "job-", "moving-", "tidy"]:
    params = lambda sql: [None] * max([int(m) for m in re.findall(r"\?(\d+)", sql)] or [0])
    out[key] = [[row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params(sql))] for sql in job[key]]
json.dump(out, sys.stdout)
"#;
        let out = run(script, serde_json::json!({}));
        for (key, plans) in out.as_object().unwrap() {
            for plan in plans.as_array().unwrap() {
                for step in plan.as_array().unwrap().iter().map(|s| s.as_str().unwrap()) {
                    let whole = ["qa_items", "qa_calls", "summary_tags", "t", "qa_daily", "tag_daily"].iter().any(|t| step == format!("SCAN {t}") || step.starts_with(&format!("SCAN {t} USING INDEX {t}_by")));
                    assert!(!whole, "{key}: {step}\n  plan: {plan:#}");
                }
            }
        }
        let tidy = out["tidy"].to_string();
        assert!(tidy.contains("qa_daily_empty") && tidy.contains("tag_daily_empty"), "{tidy}");
    }
}
