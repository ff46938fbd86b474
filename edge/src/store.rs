//! What the edge keeps in D1: note-agent results, dead letters, the audit
//! log and idempotency keys (schema: `edge/migrations/`).

use shared::wire::api::ErrorCode;
use serde::Deserialize;
use shared::wire::api::{AuditEntry, DeadLetter, NoteVersion, NoteView};
use shared::wire::audit::AuditQuery;
use shared::wire::followup::CaseNote;
use shared::wire::note::{NoteOutcome, PushRecord, RejectedRecord};
use shared::wire::session::Claims;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::auth::now_ms;
use crate::http::Failure;
use crate::upstream::CallFailure;
use shared::wire::mediation::answer::Answered;

pub fn db(env: &Env) -> Result<D1Database, Failure> {
    env.d1("DB").map_err(|_| Failure::new(500, ErrorCode::Misconfigured, "服务配置错误 (D1 binding DB is missing)"))
}

// Bind values for D1 statements (shared by the modules that write D1).
pub(crate) fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

pub(crate) fn opt(v: Option<&str>) -> JsValue {
    v.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

/// Whether a write ending in `RETURNING 1 AS wrote` wrote its row. Not read
/// from `D1Result::meta`'s `changes`: workers-rs 0.8.7 reads the meta's
/// `size_after` (the database's bytes) into a 32-bit `usize`, so every
/// `meta()` fails once the database passes 4 GiB (found by the D1 growth
/// bench at 1,000,000 stored results; D1 allows 10 GB).
pub fn wrote(r: &worker::D1Result) -> worker::Result<bool> {
    Ok(!r.results::<serde_json::Value>()?.is_empty())
}

pub(crate) fn n(v: i64) -> JsValue {
    JsValue::from_f64(v as f64)
}

fn opt_n(v: Option<i64>) -> JsValue {
    v.map(n).unwrap_or(JsValue::NULL)
}

// ---- note results ----------------------------------------------------------

/// Keeps a version of a record; a redelivery of the same content (same
/// digest) changes nothing and keeps its first arrival. `{guard}` is a
/// condition on the statement (`true`, or a dead letter's replay token).
const INSERT_VERSION: &str = "INSERT INTO note_versions
    (call_id, biz_id, type, digest, report_time, report_ms, outcome, raw, received_at, arrival)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE {guard}
  ON CONFLICT (call_id, biz_id, type, digest) DO NOTHING";

/// Makes a record the shown one when its content is new (its version was
/// kept by this very arrival) and it is the newest: by report time (one
/// that is not a time counts as the oldest), then by arrival.
const UPSERT_NOTE: &str = "INSERT INTO note_results
    (call_id, biz_id, type, out_id, cell_number, success, error_code, error_msg, start_time, report_time,
     duration, content_length, result, outcome, raw, received_at, report_ms, digest, arrival)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, ?13, ?14, ?15, ?16, ?17, ?18 WHERE {guard}
  ON CONFLICT (call_id, biz_id, type) DO UPDATE SET
    out_id = excluded.out_id, cell_number = excluded.cell_number, success = excluded.success,
    error_code = excluded.error_code, error_msg = excluded.error_msg, start_time = excluded.start_time,
    report_time = excluded.report_time, duration = excluded.duration, content_length = excluded.content_length,
    result = NULL, outcome = excluded.outcome, raw = excluded.raw, received_at = excluded.received_at,
    report_ms = excluded.report_ms, digest = excluded.digest, arrival = excluded.arrival
  WHERE excluded.digest IS NOT note_results.digest
    AND (SELECT v.arrival FROM note_versions v
          WHERE v.call_id = excluded.call_id AND v.biz_id = excluded.biz_id AND v.type = excluded.type
            AND v.digest = excluded.digest) = excluded.arrival
    AND (COALESCE(excluded.report_ms, -1), excluded.arrival)
        >= (COALESCE(note_results.report_ms, -1), COALESCE(note_results.arrival, 0))
  RETURNING 1 AS wrote";

/// [`INSERT_VERSION`] and [`UPSERT_NOTE`] for every record of a push at
/// once, from the JSON array bound to `?1` (see [`push_rows`]), in arrival
/// order: two statements for a push instead of two per record (local D1's
/// time goes with the number of statements). Rows go in one by one, in
/// order, so a push holding one record twice ends as two arrivals would.
const INSERT_VERSIONS: &str = "INSERT INTO note_versions
    (call_id, biz_id, type, digest, report_time, report_ms, outcome, raw, received_at, arrival)
  SELECT json_extract(value, '$.call_id'), json_extract(value, '$.biz_id'), json_extract(value, '$.type'),
         json_extract(value, '$.digest'), json_extract(value, '$.report_time'), json_extract(value, '$.report_ms'),
         json_extract(value, '$.outcome'), json_extract(value, '$.raw'), json_extract(value, '$.received_at'),
         json_extract(value, '$.arrival')
    FROM json_each(?1) WHERE true ORDER BY key
  ON CONFLICT (call_id, biz_id, type, digest) DO NOTHING";

/// The rows it made shown come back (`RETURNING arrival`): those records changed.
const UPSERT_NOTES: &str = "INSERT INTO note_results
    (call_id, biz_id, type, out_id, cell_number, success, error_code, error_msg, start_time, report_time,
     duration, content_length, result, outcome, raw, received_at, report_ms, digest, arrival)
  SELECT json_extract(value, '$.call_id'), json_extract(value, '$.biz_id'), json_extract(value, '$.type'),
         json_extract(value, '$.out_id'), json_extract(value, '$.cell_number'), json_extract(value, '$.success'),
         json_extract(value, '$.error_code'), json_extract(value, '$.error_msg'), json_extract(value, '$.start_time'),
         json_extract(value, '$.report_time'), json_extract(value, '$.duration'), json_extract(value, '$.content_length'),
         NULL, json_extract(value, '$.outcome'), json_extract(value, '$.raw'), json_extract(value, '$.received_at'),
         json_extract(value, '$.report_ms'), json_extract(value, '$.digest'), json_extract(value, '$.arrival')
    FROM json_each(?1) WHERE true ORDER BY key
  ON CONFLICT (call_id, biz_id, type) DO UPDATE SET
    out_id = excluded.out_id, cell_number = excluded.cell_number, success = excluded.success,
    error_code = excluded.error_code, error_msg = excluded.error_msg, start_time = excluded.start_time,
    report_time = excluded.report_time, duration = excluded.duration, content_length = excluded.content_length,
    result = NULL, outcome = excluded.outcome, raw = excluded.raw, received_at = excluded.received_at,
    report_ms = excluded.report_ms, digest = excluded.digest, arrival = excluded.arrival
  WHERE excluded.digest IS NOT note_results.digest
    AND (SELECT v.arrival FROM note_versions v
          WHERE v.call_id = excluded.call_id AND v.biz_id = excluded.biz_id AND v.type = excluded.type
            AND v.digest = excluded.digest) = excluded.arrival
    AND (COALESCE(excluded.report_ms, -1), excluded.arrival)
        >= (COALESCE(note_results.report_ms, -1), COALESCE(note_results.arrival, 0))
  RETURNING arrival";

/// The records of a push as [`INSERT_VERSIONS`] and [`UPSERT_NOTES`] read
/// them, the `i`-th arriving at `at * 1000 + i`.
fn push_rows(good: &[GoodRecord], at: i64) -> String {
    let rows: Vec<serde_json::Value> = good
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let r = &g.record;
            serde_json::json!({
                "call_id": r.call_id, "biz_id": r.biz_id, "type": r.note_type.as_str(), "digest": g.digest,
                "report_time": r.report_time, "report_ms": r.report_ms(),
                "outcome": serde_json::to_string(&g.outcome).expect("outcome serialises"), "raw": g.raw,
                "received_at": at, "arrival": at * 1000 + i as i64,
                "out_id": r.out_id, "cell_number": r.cell_number, "success": r.success as i64,
                "error_code": r.error_code, "error_msg": r.error_msg, "start_time": r.start_time,
                "duration": r.duration, "content_length": r.content_length,
            })
        })
        .collect();
    serde_json::to_string(&rows).expect("rows serialise")
}

const INSERT_DEAD_LETTER: &str =
    "INSERT INTO dead_letters (raw, field, reason, received_at, encoding, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// A record ready to store.
pub struct GoodRecord {
    pub record: PushRecord,
    pub outcome: NoteOutcome,
    /// The record's text exactly as received.
    pub raw: String,
    /// `shared::wire::note::content_digest` of it.
    pub digest: String,
}

/// The two statements that keep one record arriving at `arrival`; with
/// `replay`, only if that dead letter's replay token is the given one.
fn keep_record(db: &D1Database, g: &GoodRecord, at: i64, arrival: i64, replay: Option<(i64, &str)>) -> worker::Result<[D1PreparedStatement; 2]> {
    let r = &g.record;
    let outcome = serde_json::to_string(&g.outcome).expect("outcome serialises");
    let report_ms = r.report_ms();
    let (version_guard, current_guard, guard_args) = match replay {
        Some((id, token)) => (
            "(SELECT replay_token FROM dead_letters WHERE id = ?11) = ?12",
            "(SELECT replay_token FROM dead_letters WHERE id = ?19) = ?20",
            vec![n(id), s(token)],
        ),
        None => ("true", "true", vec![]),
    };
    let mut version_args = vec![
        s(&r.call_id),
        s(&r.biz_id),
        s(r.note_type.as_str()),
        s(&g.digest),
        opt(r.report_time.as_deref()),
        opt_n(report_ms),
        s(&outcome),
        s(&g.raw),
        n(at),
        n(arrival),
    ];
    version_args.extend(guard_args.iter().cloned());
    let version = db.prepare(INSERT_VERSION.replace("{guard}", version_guard)).bind(&version_args)?;
    let mut current_args = vec![
        s(&r.call_id),
        s(&r.biz_id),
        s(r.note_type.as_str()),
        opt(r.out_id.as_deref()),
        opt(r.cell_number.as_deref()),
        n(r.success as i64),
        s(&r.error_code),
        opt(r.error_msg.as_deref()),
        opt(r.start_time.as_deref()),
        opt(r.report_time.as_deref()),
        opt_n(r.duration),
        opt_n(r.content_length),
        s(&outcome),
        s(&g.raw),
        n(at),
        opt_n(report_ms),
        s(&g.digest),
        n(arrival),
    ];
    current_args.extend(guard_args);
    let current = db.prepare(UPSERT_NOTE.replace("{guard}", current_guard)).bind(&current_args)?;
    Ok([version, current])
}

/// What could not be read, kept exactly: text, or base64 when not UTF-8.
fn dead_letter_statement(db: &D1Database, b: &RejectedRecord, at: i64) -> worker::Result<D1PreparedStatement> {
    use base64::Engine as _;
    let (raw, encoding) = match std::str::from_utf8(&b.raw) {
        Ok(text) => (text.to_owned(), "utf8"),
        Err(_) => (base64::engine::general_purpose::STANDARD.encode(&b.raw), "base64"),
    };
    let scope = if b.index.is_some() { "record" } else { "body" };
    db.prepare(INSERT_DEAD_LETTER).bind(&[s(&raw), s(&b.error.field), s(&b.error.problem), n(at), s(encoding), s(scope)])
}

/// Stores a push in one transaction (a D1 batch): every record's version
/// and, when it is the newest, its shown row; everything unreadable as a
/// dead letter. Returns, per record, whether the shown row changed, and the
/// answer to `also`, a read that rides in the same round trip.
/// `break_storage` makes the batch fail (sandbox fault switch).
pub async fn store_push(db: &D1Database, good: &[GoodRecord], bad: &[RejectedRecord], break_storage: bool, also: Option<D1PreparedStatement>) -> worker::Result<(Vec<bool>, Option<worker::D1Result>)> {
    let at = now_ms();
    let mut statements = Vec::with_capacity(2 + bad.len() + 2);
    if !good.is_empty() {
        let rows = s(&push_rows(good, at));
        statements.push(db.prepare(INSERT_VERSIONS).bind(std::slice::from_ref(&rows))?);
        statements.push(db.prepare(UPSERT_NOTES).bind(&[rows])?);
    }
    for b in bad {
        statements.push(dead_letter_statement(db, b, at)?);
    }
    let also_at = also.is_some().then_some(statements.len());
    statements.extend(also);
    if break_storage {
        statements.push(db.prepare("INSERT INTO storage_fault_injected (x) VALUES (1)"));
    }
    if statements.is_empty() {
        return Ok((vec![], None));
    }
    let mut results = db.batch(statements).await?;
    #[derive(Deserialize)]
    struct Shown {
        arrival: f64,
    }
    let shown: Vec<i64> = match results.get(1).filter(|_| !good.is_empty()) {
        Some(r) => r.results::<Shown>()?.into_iter().map(|s| s.arrival as i64).collect(),
        None => vec![],
    };
    let changed = (0..good.len()).map(|i| shown.contains(&(at * 1000 + i as i64))).collect();
    let also = also_at.filter(|i| *i < results.len()).map(|i| results.swap_remove(i));
    Ok((changed, also))
}

#[derive(Deserialize)]
struct NoteRow {
    call_id: String,
    biz_id: String,
    #[serde(rename = "type")]
    note_type: String,
    out_id: Option<String>,
    cell_number: Option<String>,
    success: f64,
    error_code: Option<String>,
    error_msg: Option<String>,
    start_time: Option<String>,
    report_time: Option<String>,
    outcome: String,
    received_at: f64,
    versions: Option<f64>,
}

impl NoteRow {
    fn view(self) -> Option<NoteView> {
        Some(NoteView {
            call_id: self.call_id,
            biz_id: self.biz_id,
            note_type: self.note_type,
            out_id: self.out_id,
            cell_number: self.cell_number,
            success: self.success != 0.0,
            error_code: self.error_code,
            error_msg: self.error_msg,
            start_time: self.start_time,
            report_time: self.report_time,
            outcome: serde_json::from_str(&self.outcome).ok()?,
            received_at: self.received_at as i64,
            versions: self.versions.unwrap_or(1.0) as i64,
        })
    }
}

const NOTE_COLUMNS: &str = "call_id, biz_id, type, out_id, cell_number, success, error_code, error_msg, start_time, report_time, outcome, received_at,
    (SELECT COUNT(*) FROM note_versions v WHERE v.call_id = note_results.call_id AND v.biz_id = note_results.biz_id AND v.type = note_results.type) AS versions";

/// The read of the notes of `n` calls by their job ids.
pub(crate) fn notes_for_jobs_sql(n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    format!("SELECT {NOTE_COLUMNS} FROM note_results WHERE out_id IN ({}) ORDER BY report_time", marks.join(","))
}

/// The read of the notes without a usable `out_id` in a span of start times.
pub(crate) fn orphan_notes_sql() -> String {
    format!("SELECT {NOTE_COLUMNS} FROM note_results WHERE (out_id IS NULL OR out_id = '') AND start_time BETWEEN ?1 AND ?2 LIMIT 200")
}

/// Every kept version of one record.
pub(crate) const NOTE_HISTORY_SQL: &str = "SELECT v.report_time, v.report_ms, v.received_at, v.outcome, v.raw,
                    (v.digest = (SELECT n.digest FROM note_results n WHERE n.call_id = v.call_id AND n.biz_id = v.biz_id AND n.type = v.type)) AS current
               FROM note_versions v WHERE v.call_id = ?1 AND v.biz_id = ?2 AND v.type = ?3
              ORDER BY COALESCE(v.report_ms, -1) DESC, v.arrival DESC LIMIT 100";

/// Notes whose `out_id` is one of the job ids (at most 90 per query).
pub async fn notes_for_jobs(db: &D1Database, job_ids: &[String]) -> worker::Result<Vec<NoteView>> {
    let mut out = vec![];
    for chunk in job_ids.chunks(90) {
        let sql = notes_for_jobs_sql(chunk.len());
        let args: Vec<JsValue> = chunk.iter().map(|j| s(j)).collect();
        let rows: Vec<NoteRow> = db.prepare(sql).bind(&args)?.all().await?.results()?;
        out.extend(rows.into_iter().filter_map(NoteRow::view));
    }
    Ok(out)
}

/// Notes without a usable `out_id` whose start time lies in `[from, to]`
/// (Asia/Shanghai `yyyy-MM-dd HH:mm:ss`), for linking by number and time.
pub async fn orphan_notes(db: &D1Database, from: &str, to: &str) -> worker::Result<Vec<NoteView>> {
    let rows: Vec<NoteRow> = db.prepare(orphan_notes_sql()).bind(&[s(from), s(to)])?.all().await?.results()?;
    Ok(rows.into_iter().filter_map(NoteRow::view).collect())
}

#[derive(Deserialize)]
struct VersionRow {
    report_time: Option<String>,
    report_ms: Option<f64>,
    received_at: f64,
    outcome: String,
    raw: String,
    current: f64,
}

/// Every kept version of one record, newest first (the order that decides which is shown).
pub async fn note_history(db: &D1Database, call_id: &str, biz_id: &str, note_type: &str) -> worker::Result<Vec<NoteVersion>> {
    let rows: Vec<VersionRow> = db
        .prepare(NOTE_HISTORY_SQL)
        .bind(&[s(call_id), s(biz_id), s(note_type)])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(NoteVersion {
                report_time: r.report_time,
                report_ms: r.report_ms.map(|v| v as i64),
                received_at: r.received_at as i64,
                outcome: serde_json::from_str(&r.outcome).ok()?,
                current: r.current != 0.0,
                raw: r.raw,
            })
        })
        .collect())
}

// ---- dead letters ----------------------------------------------------------

#[derive(Deserialize)]
struct DeadRow {
    id: f64,
    raw: String,
    encoding: Option<String>,
    field: Option<String>,
    reason: String,
    received_at: f64,
    replayed_at: Option<f64>,
    replayed_by: Option<String>,
    discarded_at: Option<f64>,
    discarded_by: Option<String>,
    discard_reason: Option<String>,
}

impl From<DeadRow> for DeadLetter {
    fn from(r: DeadRow) -> Self {
        DeadLetter {
            id: r.id as i64,
            raw: r.raw,
            encoding: r.encoding.unwrap_or_else(|| "utf8".into()),
            field: r.field,
            reason: r.reason,
            received_at: r.received_at as i64,
            replayed_at: r.replayed_at.map(|v| v as i64),
            replayed_by: r.replayed_by,
            discarded_at: r.discarded_at.map(|v| v as i64),
            discarded_by: r.discarded_by,
            discard_reason: r.discard_reason,
        }
    }
}

const DEAD_COLUMNS: &str = "id, raw, encoding, field, reason, received_at, replayed_at, replayed_by, discarded_at, discarded_by, discard_reason";

/// The open dead letters (neither replayed nor discarded), or all of them, newest first.
pub async fn dead_letters(db: &D1Database, include_handled: bool) -> worker::Result<Vec<DeadLetter>> {
    let filter = if include_handled { "" } else { "WHERE replayed_at IS NULL AND discarded_at IS NULL" };
    let sql = format!("SELECT {DEAD_COLUMNS} FROM dead_letters {filter} ORDER BY id DESC LIMIT 500");
    let rows: Vec<DeadRow> = db.prepare(&sql).all().await?.results()?;
    Ok(rows.into_iter().map(DeadLetter::from).collect())
}

pub async fn dead_letter(db: &D1Database, id: i64) -> worker::Result<Option<DeadLetter>> {
    let row: Option<DeadRow> = db.prepare(&format!("SELECT {DEAD_COLUMNS} FROM dead_letters WHERE id = ?1")).bind(&[n(id)])?.first(None).await?;
    Ok(row.map(DeadLetter::from))
}

/// Sets an open dead letter aside; false when it was replayed or discarded first.
pub async fn discard(db: &D1Database, id: i64, who: &str, reason: &str) -> worker::Result<bool> {
    let result = db
        .prepare("UPDATE dead_letters SET discarded_at = ?1, discarded_by = ?2, discard_reason = ?3 WHERE id = ?4 AND replayed_at IS NULL AND discarded_at IS NULL RETURNING 1 AS wrote")
        .bind(&[n(now_ms()), s(who), s(reason), n(id)])?
        .all()
        .await?;
    wrote(&result)
}

/// What replaying a dead letter did.
pub enum Replayed {
    /// Stored; whether it became the shown version.
    Stored { shown: bool },
    /// Another replay of this dead letter got there first.
    AlreadyReplayed,
}

/// Stores a corrected record and marks its dead letter replayed, in one
/// transaction and only once: the mark (with this request's `token`) is
/// made only if there is none yet, and the record is stored only if the
/// mark is this request's, so of two concurrent replays exactly one stores.
pub async fn replay(db: &D1Database, id: i64, good: &GoodRecord, token: &str, who: &str) -> worker::Result<Replayed> {
    let at = now_ms();
    let mark = db
        .prepare("UPDATE dead_letters SET replayed_at = ?1, replay_token = ?2, replayed_by = ?3 WHERE id = ?4 AND replayed_at IS NULL AND discarded_at IS NULL RETURNING 1 AS wrote")
        .bind(&[n(at), s(token), s(who), n(id)])?;
    let [version, current] = keep_record(db, good, at, at * 1000, Some((id, token)))?;
    let results = db.batch(vec![mark, version, current]).await?;
    let changed = |i: usize| results.get(i).map_or(Ok(false), wrote);
    if !changed(0)? {
        return Ok(Replayed::AlreadyReplayed);
    }
    Ok(Replayed::Stored { shown: changed(2)? })
}

// ---- audit log -------------------------------------------------------------

/// Writes who did what, when, and what the upstream answered.
pub async fn audit(db: &D1Database, who: &Claims, action: &str, case_id: Option<&str>, target: Option<&str>, status: u16, outcome: &str) -> worker::Result<()> {
    db.prepare(
        "INSERT INTO audit_log (at, user_name, role, action, case_id, target, status, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(&[n(now_ms()), s(&who.sub), s(who.role.as_str()), s(action), opt(case_id), opt(target), n(status as i64), s(outcome)])?
    .run()
    .await?;
    Ok(())
}

/// Writes the audit entry for an action and its upstream outcome: the
/// backend's status (or envelope code) and message; 0 when no answer came.
pub async fn audit_action<T>(env: &Env, who: &Claims, action: &str, case_id: Option<&str>, target: Option<&str>, result: &Result<Answered<T>, CallFailure>) {
    let (status, outcome) = match result {
        Ok(a) => (a.code.and_then(|c| u16::try_from(c).ok()).unwrap_or(a.status), a.message.clone()),
        Err(f) => (f.audit_status(), f.failure.body.error.message.clone()),
    };
    match db(env) {
        Ok(db) => {
            if let Err(e) = audit(&db, who, action, case_id, target, status, &outcome).await {
                worker::console_error!("audit write failed for {action}: {e}");
            }
        }
        Err(_) => worker::console_error!("audit write failed for {action}: no D1 binding"),
    }
}

#[derive(Deserialize)]
struct AuditRow {
    id: f64,
    at: f64,
    user_name: String,
    role: String,
    action: String,
    case_id: Option<String>,
    target: Option<String>,
    status: Option<f64>,
    outcome: Option<String>,
}

/// Audit entries matching `q`, newest first (a page of `q.limit`).
pub async fn audit_entries(db: &D1Database, q: &AuditQuery) -> worker::Result<Vec<AuditEntry>> {
    let (from, to) = q.range_ms();
    let num = |v: Option<i64>| v.map(n).unwrap_or(JsValue::NULL);
    let args = [opt(q.user.as_deref()), opt(q.action.as_deref()), opt(q.case_id.as_deref()), num(from), num(to), num(q.before), n(q.limit)];
    let sql = "SELECT id, at, user_name, role, action, case_id, target, status, outcome FROM audit_log
                WHERE (?1 IS NULL OR user_name = ?1) AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR case_id = ?3)
                  AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5) AND (?6 IS NULL OR id < ?6)
                ORDER BY id DESC LIMIT ?7";
    let rows: Vec<AuditRow> = db.prepare(sql).bind(&args)?.all().await?.results()?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id as i64,
            at: r.at as i64,
            user: r.user_name,
            role: r.role,
            action: r.action,
            case_id: r.case_id,
            target: r.target,
            status: r.status.unwrap_or(0.0) as i64,
            outcome: r.outcome.unwrap_or_default(),
        })
        .collect())
}

// ---- idempotency -----------------------------------------------------------

/// The stored key of a user's `Idempotency-Key`: the user name's length
/// first, so no pair of user and key can spell another pair's scope.
pub fn idempotency_scope(user: &str, key: &str) -> String {
    format!("{}:{user}:{key}", user.len())
}

pub enum Claim {
    /// First time: go ahead, then [`finish`], [`mark_unknown`] or [`release`].
    New,
    /// The key was used for a different request.
    Mismatch,
    /// Done before: answer the same again.
    Done { status: u16, body: String },
    /// The first request may or may not have placed the call: never call again.
    Unknown { reason: String },
    /// Another request with this key is still running.
    InFlight,
}

/// A request still "in flight" after this long died with its Worker,
/// perhaps after reaching the backend: its outcome is unknown.
const IN_FLIGHT_TIMEOUT_MS: i64 = 60_000;

/// Claims an idempotency key for a user and a request (`request_hash`).
pub async fn claim(db: &D1Database, key: &str, user: &str, request_hash: &str) -> worker::Result<Claim> {
    let now = now_ms();
    let inserted = db
        .prepare("INSERT OR IGNORE INTO idempotency (key, user_name, created_at, request_hash) VALUES (?1, ?2, ?3, ?4) RETURNING 1 AS wrote")
        .bind(&[s(key), s(user), n(now), s(request_hash)])?
        .all()
        .await?;
    if wrote(&inserted)? {
        return Ok(Claim::New);
    }
    #[derive(Deserialize)]
    struct Row {
        status: Option<f64>,
        body: Option<String>,
        request_hash: Option<String>,
        state: Option<String>,
        created_at: f64,
    }
    let row: Option<Row> = db
        .prepare("SELECT status, body, request_hash, state, created_at FROM idempotency WHERE key = ?1")
        .bind(&[s(key)])?
        .first(None)
        .await?;
    let Some(row) = row else { return Ok(Claim::InFlight) };
    if row.request_hash.as_deref().is_some_and(|h| h != request_hash) {
        return Ok(Claim::Mismatch);
    }
    if row.state.as_deref() == Some("unknown") {
        let reason = row
            .body
            .and_then(|b| serde_json::from_str::<shared::wire::api::OutcomeUnknown>(&b).ok())
            .map(|u| u.reason)
            .unwrap_or_default();
        return Ok(Claim::Unknown { reason });
    }
    if let Some(status) = row.status {
        return Ok(Claim::Done { status: status as u16, body: row.body.unwrap_or_default() });
    }
    if (row.created_at as i64) < now - IN_FLIGHT_TIMEOUT_MS {
        let reason = "上一次请求中断,不知是否已拨出 (the first request died mid-way)".to_owned();
        let body = serde_json::json!({ "caseId": "", "callPersonId": "", "reason": reason }).to_string();
        mark_unknown(db, key, &body).await?;
        return Ok(Claim::Unknown { reason });
    }
    Ok(Claim::InFlight)
}

pub async fn finish(db: &D1Database, key: &str, status: u16, body: &str) -> worker::Result<()> {
    db.prepare("UPDATE idempotency SET status = ?1, body = ?2, state = 'done' WHERE key = ?3")
        .bind(&[n(status as i64), s(body), s(key)])?
        .run()
        .await?;
    Ok(())
}

/// Keeps a key whose request may have placed the call: `body` is the
/// `shared::wire::api::OutcomeUnknown` a retry is told.
pub async fn mark_unknown(db: &D1Database, key: &str, body: &str) -> worker::Result<()> {
    db.prepare("UPDATE idempotency SET state = 'unknown', body = ?1 WHERE key = ?2").bind(&[s(body), s(key)])?.run().await?;
    Ok(())
}

/// Frees a key whose request certainly never reached the backend, so a retry may run.
pub async fn release(db: &D1Database, key: &str) -> worker::Result<()> {
    db.prepare("DELETE FROM idempotency WHERE key = ?1 AND status IS NULL AND state IS NULL").bind(&[s(key)])?.run().await?;
    Ok(())
}

// ---- Clink conversation ownership -----------------------------------------

thread_local! {
    /// Clink user ids this isolate has read: an id never changes once
    /// allocated, so each user costs D1 one write per isolate, not one per request.
    static CLINK_USER_IDS: std::cell::RefCell<std::collections::HashMap<String, i64>> = std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The Clink `userId` of a board user: allocated the first time, then the
/// same for good (two names never share one, unlike a hash of the name).
pub async fn clink_user_id(db: &D1Database, user: &str) -> worker::Result<i64> {
    if let Some(id) = CLINK_USER_IDS.with(|ids| ids.borrow().get(user).copied()) {
        return Ok(id);
    }
    let id = allocate_clink_user_id(db, user).await?;
    CLINK_USER_IDS.with(|ids| ids.borrow_mut().insert(user.to_owned(), id));
    Ok(id)
}

async fn allocate_clink_user_id(db: &D1Database, user: &str) -> worker::Result<i64> {
    #[derive(Deserialize)]
    struct Row {
        user_id: f64,
    }
    let row: Option<Row> = db
        .batch(vec![
            db.prepare("INSERT OR IGNORE INTO clink_users (user_name, created_at) VALUES (?1, ?2)").bind(&[s(user), n(now_ms())])?,
            db.prepare("SELECT user_id FROM clink_users WHERE user_name = ?1").bind(&[s(user)])?,
        ])
        .await?
        .pop()
        .map(|r| r.results::<Row>())
        .transpose()?
        .and_then(|mut rows| rows.pop());
    row.map(|r| r.user_id as i64).ok_or_else(|| worker::Error::RustError("no Clink user id was allocated".into()))
}

/// Records that `user` owns a Q&A conversation (first owner wins).
pub async fn own_conversation(db: &D1Database, conversation_id: &str, user: &str) -> worker::Result<()> {
    db.prepare("INSERT OR IGNORE INTO clink_conversations (conversation_id, user_name, created_at) VALUES (?1, ?2, ?3)")
        .bind(&[s(conversation_id), s(user), n(now_ms())])?
        .run()
        .await?;
    Ok(())
}

/// The owner of a conversation, if the edge has seen it.
pub async fn conversation_owner(db: &D1Database, conversation_id: &str) -> worker::Result<Option<String>> {
    db.prepare("SELECT user_name FROM clink_conversations WHERE conversation_id = ?1").bind(&[s(conversation_id)])?.first(Some("user_name")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_users_and_keys_share_a_scope() {
        // What "sub:key" could not tell apart.
        assert_ne!(idempotency_scope("a:b", "c"), idempotency_scope("a", "b:c"));
        assert_ne!(idempotency_scope("ab", "c"), idempotency_scope("a", "bc"));
        assert_eq!(idempotency_scope("zhangmin", "k1"), "8:zhangmin:k1");
    }

    /// workers-rs's `D1Result::meta` fails once the database passes 4 GiB
    /// (see [`wrote`]), so no handler may read it.
    #[test]
    fn nothing_reads_a_d1_results_meta() {
        let needle = concat!(".me", "ta()");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                read += 1;
                assert!(!std::fs::read_to_string(&path).unwrap().contains(needle), "{} reads a D1 result's meta", path.display());
            }
        }
        assert!(read > 20, "read {read} files");
    }

    #[test]
    fn a_replay_stores_its_record_only_under_its_own_mark() {
        // The guarded statements name the dead letter's token; the plain ones do not.
        assert!(INSERT_VERSION.contains("{guard}") && UPSERT_NOTE.contains("{guard}"));
        assert!(UPSERT_NOTE.contains("excluded.digest IS NOT note_results.digest"), "a redelivery changes nothing");
        assert!(UPSERT_NOTE.contains("COALESCE(excluded.report_ms, -1)"), "a report time that is not a time counts as the oldest");
    }

    /// The push's two statements over the migrated schema
    /// ([`crate::migrated`]): which arrivals each push made shown.
    fn pushed(pushes: serde_json::Value) -> serde_json::Value {
        let script = r#"
db = migrated()
out = []
for rows in job["pushes"]:
    rows = json.dumps(rows)
    db.execute(job["versions"], [rows])
    out.append(sorted(r[0] for r in db.execute(job["upsert"], [rows]).fetchall()))
shown = db.execute("SELECT call_id, digest, arrival FROM note_results ORDER BY call_id").fetchall()
json.dump({"changed": out, "shown": [list(r) for r in shown], "versions": db.execute("SELECT COUNT(*) FROM note_versions").fetchone()[0]}, sys.stdout)
"#;
        crate::migrated::run(script, serde_json::json!({ "pushes": pushes, "versions": INSERT_VERSIONS, "upsert": UPSERT_NOTES }))
    }

    #[test]
    fn a_push_in_two_statements_keeps_and_shows_what_one_record_at_a_time_did() {
        let row = |call: &str, digest: &str, report_ms: Option<i64>, arrival: i64| {
            serde_json::json!({
                "call_id": call, "biz_id": "b", "type": "通话质检", "digest": digest, "report_time": null, "report_ms": report_ms,
                "outcome": "{}", "raw": "{}", "received_at": arrival / 1000, "arrival": arrival, "out_id": "j1", "cell_number": null,
                "success": 1, "error_code": "", "error_msg": null, "start_time": null, "duration": null, "content_length": null,
            })
        };
        let out = pushed(serde_json::json!([
            // One record twice in a push, an older version of it, another record.
            [row("c1", "d1", Some(100), 1000), row("c1", "d1", Some(100), 1001), row("c1", "d2", Some(50), 1002), row("c2", "d1", None, 1003)],
            // A newer version and a redelivery of the first.
            [row("c1", "d3", Some(200), 2000), row("c1", "d1", Some(100), 2001)],
            // Everything again: nothing changes.
            [row("c1", "d3", Some(200), 3000), row("c2", "d1", None, 3001)],
        ]));
        assert_eq!(out["changed"], serde_json::json!([[1000, 1003], [2000], []]));
        assert_eq!(out["shown"], serde_json::json!([["c1", "d3", 2000], ["c2", "d1", 1003]]));
        assert_eq!(out["versions"], 4);
    }
}

// ---- case notes and reminders ----------------------------------------------

#[derive(Deserialize)]
struct CaseNoteRow {
    id: f64,
    case_id: String,
    author: String,
    text: String,
    due_date: Option<String>,
    done_at: Option<f64>,
    done_by: Option<String>,
    created_at: f64,
}

impl From<CaseNoteRow> for CaseNote {
    fn from(r: CaseNoteRow) -> Self {
        CaseNote {
            id: r.id as i64,
            case_id: r.case_id,
            author: r.author,
            text: r.text,
            due_date: r.due_date,
            done_at: r.done_at.map(|v| v as i64),
            done_by: r.done_by,
            created_at: r.created_at as i64,
        }
    }
}

const CASE_NOTE_COLUMNS: &str = "id, case_id, author, text, due_date, done_at, done_by, created_at";

/// A case's notes, newest first.
pub async fn case_notes(db: &D1Database, case_id: &str) -> worker::Result<Vec<CaseNote>> {
    let sql = format!("SELECT {CASE_NOTE_COLUMNS} FROM case_notes WHERE case_id = ?1 ORDER BY id DESC LIMIT 500");
    let rows: Vec<CaseNoteRow> = db.prepare(&sql).bind(&[s(case_id)])?.all().await?.results()?;
    Ok(rows.into_iter().map(CaseNote::from).collect())
}

/// Stores a note and answers it as stored.
pub async fn add_case_note(db: &D1Database, case_id: &str, author: &str, text: &str, due_date: Option<&str>) -> worker::Result<CaseNote> {
    let sql = format!("INSERT INTO case_notes (case_id, author, text, due_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {CASE_NOTE_COLUMNS}");
    let row: Option<CaseNoteRow> = db.prepare(&sql).bind(&[s(case_id), s(author), s(text), opt(due_date), n(now_ms())])?.first(None).await?;
    row.map(CaseNote::from).ok_or_else(|| worker::Error::RustError("the note was not stored".into()))
}

/// Marks a case's note done (once: a note done before keeps its first time);
/// `None` when the case has no such note.
pub async fn complete_case_note(db: &D1Database, case_id: &str, id: i64, who: &str) -> worker::Result<Option<CaseNote>> {
    db.prepare("UPDATE case_notes SET done_at = ?1, done_by = ?2 WHERE id = ?3 AND case_id = ?4 AND done_at IS NULL")
        .bind(&[n(now_ms()), s(who), n(id), s(case_id)])?
        .run()
        .await?;
    let sql = format!("SELECT {CASE_NOTE_COLUMNS} FROM case_notes WHERE id = ?1 AND case_id = ?2");
    let row: Option<CaseNoteRow> = db.prepare(&sql).bind(&[n(id), s(case_id)])?.first(None).await?;
    Ok(row.map(CaseNote::from))
}

/// Reminders not done and due on or before `due` (`yyyy-MM-dd`), soonest first.
pub async fn due_reminders(db: &D1Database, due: &str) -> worker::Result<Vec<CaseNote>> {
    let sql = format!(
        "SELECT {CASE_NOTE_COLUMNS} FROM case_notes WHERE due_date IS NOT NULL AND done_at IS NULL AND due_date <= ?1 ORDER BY due_date, id LIMIT 500"
    );
    let rows: Vec<CaseNoteRow> = db.prepare(&sql).bind(&[s(due)])?.all().await?.results()?;
    Ok(rows.into_iter().map(CaseNote::from).collect())
}
