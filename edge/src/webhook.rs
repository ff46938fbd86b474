//! `POST /webhooks/note-agent/<NOTE_WEBHOOK_TOKEN>`: the note agent's batch
//! push. The push carries no signature, so the secret is in the URL (compared
//! in constant time; a wrong one answers 404 and stores nothing).
//!
//! Everything up to the size limit is kept before the answer, readable or
//! not (`shared::wire::note::read_push`): each record whose key can be read is
//! stored with whatever did not fit, everything else is a dead letter kept
//! exactly as received, all in one transaction; only then `200
//! {"code":0,"msg":"接收成功"}` (a retry could not make an unreadable body
//! readable). Only when storing fails is the answer 500, so the agent
//! retries (after 1, 5, 10 minutes). Above the limit the answer is 413 and
//! nothing is read past it.

use shared::wire::api::ErrorCode;
use std::time::Duration;

use shared::wire::api::StoredRecord;
use shared::wire::note::{content_digest, read_push, PushReply};
use shared::wire::session::constant_time_eq;
use worker::{Context, Delay, Request, Response, Result, RouteContext};

use crate::config;
use crate::http::{read_bounded, BodyError};
use crate::live;
use crate::store::{self, GoodRecord};

/// Largest push accepted.
pub const MAX_BODY: usize = 1024 * 1024;
/// Sandbox only (`X-Sandbox-Fault: slow`): how long the edge waits after
/// storing before it answers, longer than the note agent's 5 s timeout.
const SLOW_ANSWER: Duration = Duration::from_secs(6);

fn reply(status: u16, code: i64, msg: impl Into<String>) -> Result<Response> {
    crate::http::json(status, &PushReply { code, msg: msg.into() })
}

pub async fn receive(mut req: Request, ctx: RouteContext<Context>) -> Result<Response> {
    let Ok(expected) = config::secret(&ctx.env, "NOTE_WEBHOOK_TOKEN") else {
        worker::console_error!("webhook: NOTE_WEBHOOK_TOKEN is not set");
        return reply(500, 500, "服务配置错误 (NOTE_WEBHOOK_TOKEN is not set)");
    };
    let presented = ctx.param("token").cloned().unwrap_or_default();
    if !constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        return crate::http::json(404, &shared::wire::api::ApiError::new(ErrorCode::NotFound, "not found"));
    }
    let bytes = match read_bounded(&mut req, MAX_BODY).await {
        Ok(b) => b,
        Err(BodyError::TooLarge { .. }) => return reply(413, 413, format!("请求体超过 {MAX_BODY} 字节")),
        // The connection broke mid-body: nothing whole was received, so let the agent retry.
        Err(BodyError::Unreadable) => return reply(500, 500, "请求体未能完整接收,请重试"),
    };
    let push = read_push(&bytes);
    let good: Vec<GoodRecord> = push
        .accepted
        .into_iter()
        .map(|a| GoodRecord { digest: content_digest(&a.raw), raw: a.text, record: a.record, outcome: a.outcome })
        .collect();
    let rejected = push.rejected;
    // Sandbox only: lets tests make storage fail for real, or answer late.
    let fault = if config::sandbox_mode(&ctx.env) { req.headers().get("X-Sandbox-Fault")? } else { None };
    let db = match store::db(&ctx.env) {
        Ok(db) => db,
        Err(_) => return reply(500, 500, "存储不可用,请重试"),
    };
    let t0 = crate::auth::now_ms();
    // The attention rules are read in the records' batch: one round trip fewer.
    let rules_read = (!good.is_empty()).then(|| crate::attention::rules_statement(&db));
    let (changed, rules) = match store::store_push(&db, &good, &rejected, fault.as_deref() == Some("storage"), rules_read).await {
        Ok(c) => c,
        Err(e) => {
            worker::console_error!("webhook: storing {} records failed: {e}", good.len() + rejected.len());
            return reply(500, 500, "存储失败,请稍后重试");
        }
    };
    // One event per call whose shown results changed.
    let mut per_job: Vec<(Option<String>, Vec<StoredRecord>)> = vec![];
    for (g, _) in good.iter().zip(&changed).filter(|(_, changed)| **changed) {
        let r = &g.record;
        let item = StoredRecord { note_type: r.note_type.as_str().to_owned(), call_id: r.call_id.clone(), biz_id: r.biz_id.clone(), success: r.success, replayed: None };
        match per_job.iter_mut().find(|(job, _)| *job == r.out_id) {
            Some((_, items)) => items.push(item),
            None => per_job.push((r.out_id.clone(), vec![item])),
        }
    }
    let reported: Vec<String> = per_job.iter().filter_map(|(job, _)| job.clone()).collect();
    // Judged before the answer: an entry is as much kept data as the record it comes from.
    let judged: Vec<_> = good.iter().zip(&changed).filter(|(_, c)| **c).map(|(g, _)| (&g.record, &g.outcome)).collect();
    let t_records = crate::auth::now_ms();
    let rules = rules.map(|answer| crate::attention::rules_from(&answer));
    let derived = crate::derived::write(&db, rules, &judged, per_job).await;
    let events = derived.events;
    // Stored: answer now; tell open boards after the answer has gone.
    let t_stored = crate::auth::now_ms();
    // `store` is all of it; the rest are its parts, in order (where the time goes).
    let timing = format!(
        "store;dur={}, records;dur={}, derived;dur={}",
        t_stored - t0,
        t_records - t0,
        derived.batch_ms
    );
    live::announce_all(&ctx, events);
    if !reported.is_empty() {
        let env = ctx.env.clone();
        ctx.data.wait_until(async move { crate::search::index_reported(&env, reported).await });
    }
    if fault.as_deref() == Some("slow") {
        Delay::from(SLOW_ANSWER).await;
    }
    let response = if rejected.is_empty() {
        reply(200, 0, "接收成功")?
    } else {
        reply(200, 0, format!("接收成功({} 条记录无法解析,已原样转入死信队列)", rejected.len()))?
    };
    response.headers().set("Server-Timing", &timing)?;
    Ok(response)
}
