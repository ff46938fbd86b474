//! Search over what was said (`GET /api/search?q=&caseId=`), and keeping its
//! index (D1 `turn_search`, migration 0005).
//!
//! A call is indexed once, when it has finished: as soon as the note agent
//! reports on it (the webhook, for calls the edge placed, whose case it
//! knows) or when a case's calls are read. Its texts are masked before they
//! are stored (shared::wire::privacy), so no search shows, or finds by,
//! what a mediator may not see. The rules of queries and snippets are
//! shared::wire::search.

use serde::Deserialize;
use shared::wire::access::Op;
use shared::wire::mediation::answer::Shape;
use shared::wire::mediation::{paths, require_id, ConversationLog, Speaker, Turn, TurnAction};
use shared::wire::privacy::mask_text;
use shared::wire::search::{index_terms, plain_text, read_query, snippet, SearchHit, SearchResults, MAX_HITS};
use wasm_bindgen::JsValue;
use worker::{Context, D1Database, Env, Method, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::{self, Failure, Reply};
use crate::store;
use crate::upstream::{self, q};

/// Turns the index may propose for one query; each is then checked.
const CANDIDATES: usize = 400;

#[derive(Deserialize)]
struct HitRow {
    text: String,
    job_id: String,
    case_id: String,
    turn: f64,
    speaker: String,
    at: f64,
}

/// `GET /api/search?q=…&caseId=…`: turns whose text holds every term of
/// `q`, newest first.
pub async fn search(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::SearchTurns)?;
    let params = http::query(&req)?;
    let param = |name: &str| params.get(name).map(str::to_owned);
    let query = read_query(&param("q").unwrap_or_default()).map_err(|e| Failure::field(&e))?;
    let case_id = param("caseId");
    if let Some(id) = &case_id {
        require_id("caseId", id).map_err(|e| Failure::field(&e))?;
    }
    let db = store::db(&ctx.env)?;
    let started = now_ms();
    let mut sql = String::from("SELECT text, job_id, case_id, turn, speaker, at FROM turn_search WHERE turn_search MATCH ?1");
    let mut binds = vec![JsValue::from_str(&query.fts)];
    if let Some(id) = &case_id {
        sql.push_str(" AND case_id = ?2");
        binds.push(JsValue::from_str(id));
    }
    // Newest indexed first, read straight off the index (sorting by `at` would
    // first collect every match of a common word).
    sql.push_str(&format!(" ORDER BY rowid DESC LIMIT {CANDIDATES}"));
    let rows: Vec<HitRow> = db.prepare(&sql).bind(&binds)?.all().await?.results()?;
    let d1_ms = now_ms() - started;
    let candidates = rows.len();
    let mut hits: Vec<SearchHit> = rows
        .into_iter()
        .filter_map(|r| {
            let (snippet, marks) = snippet(&r.text, &query.terms)?;
            Some(SearchHit { case_id: r.case_id, job_id: r.job_id, turn: r.turn as usize, speaker: r.speaker, at: r.at as i64, snippet, marks })
        })
        .collect();
    let more = hits.len() > MAX_HITS || candidates == CANDIDATES;
    hits.truncate(MAX_HITS);
    let response = http::json(200, &SearchResults { query: query.terms.join(" "), hits, more })?;
    response.headers().set("Server-Timing", &format!("d1;dur={d1_ms}"))?;
    Ok(response)
}

/// A finished call's turns, ready to be indexed.
pub struct CallText {
    pub job_id: String,
    pub case_id: String,
    /// (turn index, speaker, ms, masked plain text)
    pub turns: Vec<(usize, String, i64, String)>,
}

impl CallText {
    /// What of a call the index keeps: the robot's and the party's words, masked.
    pub fn of(job_id: &str, case_id: &str, turns: &[Turn]) -> CallText {
        let turns = turns
            .iter()
            .enumerate()
            .filter(|(_, t)| !matches!(t.action, TurnAction::BeginDialogue | TurnAction::EndDialogue))
            .filter_map(|(i, t)| {
                let script = t.script.as_deref().filter(|s| !s.trim().is_empty())?;
                // Markdown marks first: a mask is written with `*`.
                let text = mask_text(&plain_text(script)).text;
                let speaker = if t.speaker == Speaker::Robot { "Robot" } else { t.speaker.as_str() };
                Some((i, speaker.to_owned(), t.timestamp, text))
            })
            .collect();
        CallText { job_id: job_id.to_owned(), case_id: case_id.to_owned(), turns }
    }
}

/// Notes which case each call belongs to (a call placed from the board).
/// Results already reported for a call move their share of the insights'
/// rollups to its case's dispute kind.
pub async fn remember_cases(db: &D1Database, calls: &[(String, String)]) -> worker::Result<()> {
    if calls.is_empty() {
        return Ok(());
    }
    let mut statements = Vec::with_capacity(calls.len() * 5 + 2);
    for (job_id, case_id) in calls {
        let insert = db
            .prepare("INSERT INTO search_calls (job_id, case_id) VALUES (?1, ?2) ON CONFLICT (job_id) DO NOTHING")
            .bind(&[JsValue::from_str(job_id), JsValue::from_str(case_id)])?;
        statements.extend(crate::rollups::around_job(db, job_id, insert)?);
    }
    statements.extend(crate::rollups::tidy(db));
    db.batch(statements).await?;
    Ok(())
}

/// Of these calls, the ones not indexed yet.
pub async fn unindexed(db: &D1Database, job_ids: &[String]) -> worker::Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        job_id: String,
    }
    let mut done = Vec::new();
    for chunk in job_ids.chunks(90) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("?{i}")).collect();
        let sql = format!("SELECT job_id FROM search_calls WHERE indexed_at IS NOT NULL AND job_id IN ({})", marks.join(", "));
        let binds: Vec<JsValue> = chunk.iter().map(|j| JsValue::from_str(j)).collect();
        let rows: Vec<Row> = db.prepare(&sql).bind(&binds)?.all().await?.results()?;
        done.extend(rows.into_iter().map(|r| r.job_id));
    }
    Ok(job_ids.iter().filter(|j| !done.contains(j)).cloned().collect())
}

/// Stores each call's turns, once: a call already indexed (by a request
/// that got there first) is left as it is, in the same transaction.
pub async fn index(db: &D1Database, calls: &[CallText]) -> worker::Result<()> {
    let at = now_ms();
    for call in calls {
        let job = JsValue::from_str(&call.job_id);
        let mut statements = Vec::with_capacity(call.turns.len() + 1);
        for (turn, speaker, ms, text) in &call.turns {
            statements.push(
                db.prepare(
                    "INSERT INTO turn_search (terms, text, job_id, case_id, turn, speaker, at)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
                      WHERE NOT EXISTS (SELECT 1 FROM search_calls WHERE job_id = ?3 AND indexed_at IS NOT NULL)",
                )
                .bind(&[
                    JsValue::from_str(&index_terms(text)),
                    JsValue::from_str(text),
                    job.clone(),
                    JsValue::from_str(&call.case_id),
                    JsValue::from_f64(*turn as f64),
                    JsValue::from_str(speaker),
                    JsValue::from_f64(*ms as f64),
                ])?,
            );
        }
        let indexed = db
            .prepare(
                "INSERT INTO search_calls (job_id, case_id, indexed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (job_id) DO UPDATE SET indexed_at = excluded.indexed_at, case_id = excluded.case_id WHERE indexed_at IS NULL",
            )
            .bind(&[job.clone(), JsValue::from_str(&call.case_id), JsValue::from_f64(at as f64)])?;
        // The call's case may be new to the edge: its results' share of the rollups moves to the case's kind.
        statements.extend(crate::rollups::around_job(db, &call.job_id, indexed)?);
        statements.extend(crate::rollups::tidy(db));
        db.batch(statements).await?;
    }
    Ok(())
}

/// After the note agent reported on these calls: indexes those the edge
/// knows the case of and has not indexed, fetching their turns from the
/// backend. Runs after the webhook has answered; failures are logged (the
/// case page indexes the call when it is next read).
pub async fn index_reported(env: &Env, job_ids: Vec<String>) {
    if let Err(e) = try_index_reported(env, &job_ids).await {
        worker::console_warn!("search: indexing {} reported calls failed: {e:?}", job_ids.len());
    }
}

async fn try_index_reported(env: &Env, job_ids: &[String]) -> Result<(), Failure> {
    #[derive(Deserialize)]
    struct Row {
        job_id: String,
        case_id: String,
    }
    let db = store::db(env)?;
    // The calls not indexed yet whose case is known, in one read (a push names up to ten).
    let list = serde_json::to_string(job_ids).expect("serialises");
    let todo: Vec<Row> = db
        .prepare("SELECT job_id, case_id FROM search_calls WHERE indexed_at IS NULL AND job_id IN (SELECT value FROM json_each(?1))")
        .bind(&[JsValue::from_str(&list)])?
        .all()
        .await?
        .results()?;
    let mut calls = Vec::new();
    for row in todo {
        let path = format!("{}?jobId={}", paths::CONVERSATION_LOG, q(&row.job_id));
        let logs = upstream::call::<Vec<ConversationLog>>(env, Method::Get, &path, None, Shape::Envelope).await?.data;
        for log in logs.into_iter().filter(|l| l.job_id == row.job_id && l.call_status.is_final()) {
            if let Ok(turns) = log.turns() {
                calls.push(CallText::of(&log.job_id, &row.case_id, &turns));
            }
        }
    }
    index(&db, &calls).await?;
    Ok(())
}
