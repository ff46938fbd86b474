//! QA insights (`shared::wire::insights`): the facts they are computed from
//! (D1 `qa_items`, `qa_calls`, `summary_tags`, and the board's `case_qa`, rewritten from a note record's
//! shown version whenever it changes, by the same SQL as migration 0008's
//! backfill) and `GET /api/insights/qa`, aggregated in SQL.

use std::collections::BTreeMap;

use serde::Deserialize;
use shared::wire::access::Op;
use shared::wire::insights::{InsightsQuery, ItemInsight, LowCall, Point, Problem, QaInsights, TagCount};
use shared::wire::note::score_text;
use worker::{Context, D1Database, D1PreparedStatement, Request, RouteContext};

use shared::wire::api::{EventData, EventKind, StoredRecord};

use crate::auth;
use crate::http::{self, Failure, Reply};
use crate::live::NewEvent;
use crate::rollups::{self, Facts, RECORD_KEYS};
use crate::store::{self, opt, s};

const DAY: &str = "date(COALESCE(n.report_ms, n.received_at) / 1000 + 28800, 'unixepoch')";

/// The statements that rewrite the facts of the records listed in `keys` (a
/// JSON array of `[call id, biz id]` pairs) from their shown rows, and move
/// their share of the rollups: the same statements for one record or for a
/// push's ten (a push made eleven per record; local D1's time goes with the
/// number of statements).
fn rewrite(db: &D1Database, keys: &str) -> worker::Result<Vec<D1PreparedStatement>> {
    let key = [s(keys)];
    let change = vec![
        db.prepare(format!("DELETE FROM qa_items WHERE (call_id, biz_id) IN {RECORD_KEYS}")).bind(&key)?,
        db.prepare(format!(
            "INSERT INTO qa_items (call_id, biz_id, position, job_id, day, item, score, full_score, problem, suggestion)
             SELECT n.call_id, n.biz_id, i.key, n.out_id, {DAY},
                    json_extract(i.value, '$.item'), json_extract(i.value, '$.score'), json_extract(i.value, '$.full_score'),
                    json_extract(i.value, '$.problem'), json_extract(i.value, '$.suggestion')
               FROM note_results n, json_each(n.outcome, '$.items') i
              WHERE (n.call_id, n.biz_id) IN {RECORD_KEYS} AND n.type = '通话质检' AND json_extract(n.outcome, '$.kind') = 'quality_inspection'"
        ))
        .bind(&key)?,
        db.prepare(format!("DELETE FROM qa_calls WHERE (call_id, biz_id) IN {RECORD_KEYS}")).bind(&key)?,
        db.prepare(format!(
            "INSERT INTO qa_calls (call_id, biz_id, job_id, day, score, full_score, share)
             SELECT call_id, biz_id, job_id, day, SUM(score), SUM(full_score),
                    CASE WHEN SUM(full_score) > 0 THEN SUM(score) / SUM(full_score) ELSE 0 END
               FROM qa_items WHERE (call_id, biz_id) IN {RECORD_KEYS} GROUP BY call_id, biz_id"
        ))
        .bind(&key)?,
        db.prepare(format!(
            "INSERT INTO case_qa (case_id, job_id, at, percent)
             SELECT sc.case_id, c.job_id, COALESCE(n.report_ms, n.received_at), CAST(ROUND(c.share * 100) AS INTEGER)
               FROM qa_calls c
               JOIN search_calls sc ON sc.job_id = c.job_id
               JOIN note_results n ON n.call_id = c.call_id AND n.biz_id = c.biz_id AND n.type = '通话质检'
              WHERE (c.call_id, c.biz_id) IN {RECORD_KEYS} AND c.full_score > 0
             ON CONFLICT (case_id) DO UPDATE SET job_id = excluded.job_id, at = excluded.at, percent = excluded.percent
              WHERE excluded.at >= case_qa.at"
        ))
        .bind(&key)?,
        db.prepare(format!("DELETE FROM summary_tags WHERE (call_id, biz_id) IN {RECORD_KEYS}")).bind(&key)?,
        db.prepare(format!(
            "INSERT OR IGNORE INTO summary_tags (call_id, biz_id, job_id, day, tag, value)
             SELECT n.call_id, n.biz_id, n.out_id, {DAY}, t.key, v.value
               FROM note_results n, json_each(n.outcome, '$.tags') t, json_each(t.value) v
              WHERE (n.call_id, n.biz_id) IN {RECORD_KEYS} AND n.type = '通话摘要' AND json_extract(n.outcome, '$.kind') = 'summary'
                AND t.type = 'array' AND v.type = 'text'"
        ))
        .bind(&key)?,
    ];
    rollups::around(db, Facts::Records, &key, change)
}

/// Cases per statement when noting their dispute kinds (a bound JSON list).
const DISPUTES_PER_STATEMENT: usize = 500;

/// Notes each case's dispute kind as the board shows it, `(case, kind)`.
/// The calls of a case whose kind is new or changed move their share of the
/// rollups to the new kind, all in one batch.
pub async fn note_disputes(db: &D1Database, cases: &[(String, String)]) -> worker::Result<()> {
    if cases.is_empty() {
        return Ok(());
    }
    let mut statements = vec![];
    for part in cases.chunks(DISPUTES_PER_STATEMENT) {
        let list = [s(&serde_json::to_string(part).expect("serialises"))];
        statements.push(
            db.prepare(
                "WITH given AS (SELECT json_extract(value, '$[0]') AS case_id, json_extract(value, '$[1]') AS dispute FROM json_each(?1)),
                      changed AS (SELECT g.case_id FROM given g LEFT JOIN case_disputes cd ON cd.case_id = g.case_id WHERE cd.dispute IS NOT g.dispute),
                      jobs AS (SELECT sc.job_id FROM search_calls sc WHERE sc.case_id IN (SELECT case_id FROM changed))
                 INSERT OR IGNORE INTO qa_moving_jobs (job_id) SELECT job_id FROM jobs",
            )
            .bind(&list)?,
        );
        let kinds = db
            .prepare(
                "INSERT INTO case_disputes (case_id, dispute)
                 SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1) WHERE true
                 ON CONFLICT (case_id) DO UPDATE SET dispute = excluded.dispute WHERE case_disputes.dispute IS NOT excluded.dispute",
            )
            .bind(&list)?;
        statements.extend(rollups::around(db, Facts::Moving, &[], vec![kinds])?);
        statements.push(db.prepare("DELETE FROM qa_moving_jobs"));
    }
    statements.extend(rollups::tidy(db));
    db.batch(statements).await.map(|_| ())
}

/// The statements that rewrite the facts of the records whose shown version
/// changed (each key once), and tidy the rollups after them.
pub fn refresh_statements(db: &D1Database, keys: &[(&str, &str)]) -> worker::Result<Vec<D1PreparedStatement>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let mut unique: Vec<[&str; 2]> = keys.iter().map(|(call, biz)| [*call, *biz]).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut statements = rewrite(db, &serde_json::to_string(&unique).expect("serialises"))?;
    statements.extend(rollups::tidy(db));
    Ok(statements)
}

/// The QA total of each case's latest inspected call, for the board.
pub async fn case_totals(db: &D1Database) -> worker::Result<Vec<shared::wire::api::CaseQa>> {
    #[derive(Deserialize)]
    struct Row {
        case_id: String,
        percent: f64,
    }
    let rows: Vec<Row> = db.prepare("SELECT case_id, percent FROM case_qa").all().await?.results()?;
    Ok(rows.into_iter().map(|r| shared::wire::api::CaseQa { case_id: r.case_id, percent: r.percent as i64 }).collect())
}

/// The read of the QA totals [`stored_events`] needs: `None` when no call is named.
pub fn totals_statement(db: &D1Database, per_job: &[(Option<String>, Vec<StoredRecord>)]) -> worker::Result<Option<D1PreparedStatement>> {
    let jobs: Vec<&String> = per_job.iter().filter_map(|(job, _)| job.as_ref()).collect();
    if jobs.is_empty() {
        return Ok(None);
    }
    let list = serde_json::to_string(&jobs).expect("serialises");
    Ok(Some(db.prepare("SELECT job_id, case_id, percent FROM case_qa WHERE job_id IN (SELECT value FROM json_each(?1))").bind(&[s(&list)])?))
}

/// One `note_stored` event per call whose shown results changed. When a
/// call is now its case's latest inspected one, its event names the case and
/// carries the QA total (the answer to [`totals_statement`]), so open boards'
/// QA column follows without a reload.
pub fn stored_events(per_job: Vec<(Option<String>, Vec<StoredRecord>)>, totals: Option<&worker::D1Result>) -> Vec<NewEvent> {
    #[derive(Deserialize)]
    struct Row {
        job_id: String,
        case_id: String,
        percent: f64,
    }
    let totals: Vec<Row> = totals.map(|r| r.results::<Row>()).transpose().unwrap_or_else(|e| {
        worker::console_warn!("insights: could not read the QA totals of {} calls: {e}", per_job.len());
        None
    }).unwrap_or_default();
    per_job
        .into_iter()
        .map(|(job_id, records)| {
            let total = totals.iter().find(|t| Some(&t.job_id) == job_id.as_ref());
            let mut data = EventData { records, ..EventData::default() };
            data.row.qa_percent = total.map(|t| t.percent as i64);
            NewEvent { kind: EventKind::NoteStored, case_id: total.map(|t| t.case_id.clone()), job_id, data }
        })
        .collect()
}

/// After a call is placed through the board: who placed it and the
/// backend's task name (moving the share of results reported before, which
/// is rare), in one batch.
pub async fn note_placement(db: &D1Database, placed: &[(String, Option<String>)], user: &str) {
    if placed.is_empty() {
        return;
    }
    let statements = || -> worker::Result<Vec<D1PreparedStatement>> {
        let mut out = vec![];
        for (job, task) in placed {
            let placed = db.prepare("UPDATE search_calls SET task = COALESCE(?2, task), placed_by = ?3 WHERE job_id = ?1").bind(&[s(job), opt(task.as_deref()), s(user)])?;
            out.extend(rollups::around_job(db, job, placed)?);
        }
        out.extend(rollups::tidy(db));
        Ok(out)
    };
    let done = match statements() {
        Ok(st) => db.batch(st).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = done {
        worker::console_warn!("insights: could not note who placed {} calls: {e}", placed.len());
    }
}

#[derive(Deserialize)]
struct SeriesRow {
    item: Option<String>,
    bucket: String,
    avg: f64,
    n: f64,
}

#[derive(Deserialize)]
struct BinsRow {
    item: String,
    n: f64,
    total: f64,
    b0: f64,
    b1: f64,
    b2: f64,
    b3: f64,
    b4: f64,
}

#[derive(Deserialize)]
struct LowRow {
    call_id: String,
    biz_id: String,
    job_id: Option<String>,
    case_id: Option<String>,
    day: String,
    score: f64,
    full_score: f64,
}

#[derive(Deserialize)]
struct ProblemRow {
    call_id: String,
    biz_id: String,
    item: String,
    score: f64,
    full_score: f64,
    problem: Option<String>,
    suggestion: Option<String>,
}

#[derive(Deserialize)]
struct TagRow {
    tag: String,
    value: String,
    n: f64,
}

#[derive(Deserialize)]
struct TaskRow {
    task: String,
}

/// One insight per item, by item name; the call totals are item `''`.
fn fold(series: Vec<SeriesRow>, bins: Vec<BinsRow>) -> (Option<ItemInsight>, Vec<ItemInsight>) {
    let mut out: BTreeMap<String, ItemInsight> = BTreeMap::new();
    for b in bins {
        let count = b.n as i64;
        let avg = if count > 0 { (b.total / b.n).round() as i64 } else { 0 };
        let distribution = [b.b0, b.b1, b.b2, b.b3, b.b4].iter().map(|v| *v as i64).collect();
        out.insert(b.item.clone(), ItemInsight { item: b.item, avg, count, distribution, series: vec![] });
    }
    for r in series {
        if let Some(e) = out.get_mut(r.item.as_deref().unwrap_or_default()) {
            e.series.push(Point { bucket: r.bucket, avg: r.avg.round() as i64, count: r.n as i64 });
        }
    }
    let total = out.remove("");
    (total, out.into_values().collect())
}

/// `GET /api/insights/qa?from=&to=&bucket=day|week&task=&mediator=`.
pub async fn qa(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::QaInsights)?;
    let mut today = shared::time::format_shanghai(auth::now_ms());
    today.truncate(10);
    let q = InsightsQuery::from_query(&http::query_string(&req), &today).map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let bucket = |col: &str| if q.bucket == "week" { format!("date({col}, '-6 days', 'weekday 1')") } else { col.to_owned() };
    let args = [s(&q.from), s(&q.to), opt(q.task.as_deref()), opt(q.mediator.as_deref()), opt(q.dispute.as_deref())];
    let scope = "LEFT JOIN search_calls sc ON sc.job_id = x.job_id LEFT JOIN case_disputes cd ON cd.case_id = sc.case_id
        WHERE x.day BETWEEN ?1 AND ?2 AND x.full_score > 0 AND (?3 IS NULL OR sc.task = ?3) AND (?4 IS NULL OR sc.placed_by = ?4)
          AND (?5 IS NULL OR cd.dispute = ?5)";
    let t0 = auth::now_ms();

    let rollup = "FROM qa_daily x WHERE x.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR x.task = ?3) AND (?4 IS NULL OR x.placed_by = ?4) AND (?5 IS NULL OR x.dispute = ?5)";
    // Read in share order (`+x.day` keeps SQLite from the day index, which
    // would sort the whole range): the ten lowest come first.
    let lowest_sql = format!(
        "SELECT x.call_id, x.biz_id, x.job_id, sc.case_id, x.day, x.score, x.full_score FROM qa_calls x {} ORDER BY x.share, x.day DESC LIMIT 10",
        scope.replace("x.day BETWEEN", "+x.day BETWEEN")
    );
    // One round trip for all of it (each query alone costs D1's round trip).
    let answers = db
        .batch(vec![
            db.prepare(&format!("SELECT x.item AS item, {} AS bucket, SUM(x.sum_share) / SUM(x.n) AS avg, SUM(x.n) AS n {rollup} GROUP BY x.item, bucket ORDER BY x.item, bucket", bucket("x.day"))).bind(&args)?,
            db.prepare(&format!("SELECT x.item AS item, SUM(x.n) AS n, SUM(x.sum_share) AS total, SUM(x.b0) AS b0, SUM(x.b1) AS b1, SUM(x.b2) AS b2, SUM(x.b3) AS b3, SUM(x.b4) AS b4 {rollup} GROUP BY x.item")).bind(&args)?,
            db.prepare(&lowest_sql).bind(&args)?,
            db.prepare(&format!(
                "WITH low AS ({lowest_sql})
                 SELECT i.call_id, i.biz_id, i.item, i.score, i.full_score, i.problem, i.suggestion
                   FROM qa_items i JOIN low ON low.call_id = i.call_id AND low.biz_id = i.biz_id
                  WHERE i.score < i.full_score ORDER BY i.call_id, i.position"
            ))
            .bind(&args)?,
            db.prepare(
                "SELECT x.tag, x.value, SUM(x.n) AS n FROM tag_daily x
                  WHERE x.day BETWEEN ?1 AND ?2 AND (?3 IS NULL OR x.task = ?3) AND (?4 IS NULL OR x.placed_by = ?4) AND (?5 IS NULL OR x.dispute = ?5)
                  GROUP BY x.tag, x.value ORDER BY x.tag, n DESC, x.value LIMIT 500",
            )
            .bind(&args)?,
            db.prepare("SELECT DISTINCT task FROM search_calls WHERE task IS NOT NULL ORDER BY task LIMIT 50"),
        ])
        .await?;
    let [series, bins, lowest, problems, tags, tasks] = <[worker::D1Result; 6]>::try_from(answers).map_err(|_| Failure::from(worker::Error::RustError("D1 answered fewer results".into())))?;
    let series: Vec<SeriesRow> = series.results()?;
    let bins: Vec<BinsRow> = bins.results()?;
    let lowest: Vec<LowRow> = lowest.results()?;
    let problems: Vec<ProblemRow> = problems.results()?;
    let tags: Vec<TagRow> = tags.results()?;
    let tasks: Vec<TaskRow> = tasks.results()?;
    let d1_ms = auth::now_ms() - t0;
    let (total, items) = fold(series, bins);
    let total = total.unwrap_or(ItemInsight { item: String::new(), avg: 0, count: 0, distribution: vec![0; 5], series: vec![] });
    let lowest = lowest
        .into_iter()
        .map(|l| LowCall {
            percent: if l.full_score > 0.0 { (l.score * 100.0 / l.full_score).round() as i64 } else { 0 },
            score: score_text(l.score),
            full_score: score_text(l.full_score),
            problems: problems
                .iter()
                .filter(|p| p.call_id == l.call_id && p.biz_id == l.biz_id)
                .map(|p| Problem { item: p.item.clone(), score: score_text(p.score), full_score: score_text(p.full_score), problem: p.problem.clone(), suggestion: p.suggestion.clone() })
                .collect(),
            job_id: l.job_id,
            case_id: l.case_id,
            day: l.day,
        })
        .collect();
    let r = http::ok(&QaInsights {
        query: q,
        total,
        items,
        lowest,
        tags: tags.into_iter().map(|t| TagCount { tag: t.tag, value: t.value, count: t.n as i64 }).collect(),
        tasks: tasks.into_iter().map(|t| t.task).collect(),
    })?;
    r.headers().set("Server-Timing", &format!("d1;dur={d1_ms}"))?;
    Ok(r)
}
