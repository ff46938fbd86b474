//! `POST /webhooks/note-agent/<NOTE_WEBHOOK_TOKEN>`: the note agent's batch
//! push. The push carries no signature, so the secret is in the URL (compared
//! in constant time; a wrong one answers 404 and stores nothing).
//!
//! Store before acknowledging: valid records are upserted in D1 keyed by
//! (`call_id`, `biz_id`, `type`) and invalid ones dead-lettered, in one
//! transaction; only then `200 {"code":0,"msg":"接收成功"}`. If storing fails
//! the answer is 500, so the pusher retries (after 1, 5, 10 minutes).

use serde_json::json;
use shared::api::EventKind;
use shared::note::{parse_push_detailed, PushReply};
use shared::session::constant_time_eq;
use worker::{Context, Request, Response, Result, RouteContext};

use crate::config;
use crate::live;
use crate::store::{self, GoodRecord};

/// Largest push accepted.
pub const MAX_BODY: usize = 1024 * 1024;

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
        return crate::http::json(404, &shared::api::ApiError::new("not_found", "not found"));
    }
    let declared = req.headers().get("Content-Length")?.and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    if declared > MAX_BODY {
        return reply(413, 413, format!("请求体超过 {MAX_BODY} 字节"));
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY {
        return reply(413, 413, format!("请求体超过 {MAX_BODY} 字节"));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return reply(400, 400, "请求体不是 UTF-8 文本");
    };
    let (accepted, rejected) = match parse_push_detailed(text) {
        Ok(split) => split,
        Err(e) => return reply(400, 400, format!("无法解析推送内容: {e}")),
    };
    let good: Vec<GoodRecord> = accepted
        .into_iter()
        .map(|a| GoodRecord { raw: a.raw.to_string(), record: a.record, outcome: a.outcome })
        .collect();
    // Sandbox only: lets tests make storage fail for real, then retry.
    let break_storage = config::sandbox_mode(&ctx.env)
        && req.headers().get("X-Sandbox-Fault")?.is_some_and(|v| v == "storage");
    let db = match store::db(&ctx.env) {
        Ok(db) => db,
        Err(_) => return reply(500, 500, "存储不可用,请重试"),
    };
    let t0 = crate::auth::now_ms();
    let changed = match store::store_push(&db, &good, &rejected, break_storage).await {
        Ok(c) => c,
        Err(e) => {
            worker::console_error!("webhook: storing {} records failed: {e}", good.len() + rejected.len());
            return reply(500, 500, "存储失败,请稍后重试");
        }
    };
    // One event per call whose results changed.
    let mut per_job: Vec<(Option<String>, Vec<serde_json::Value>)> = vec![];
    for (g, _) in good.iter().zip(changed).filter(|(_, changed)| *changed) {
        let r = &g.record;
        let item = json!({ "type": r.note_type.as_str(), "callId": r.call_id, "bizId": r.biz_id, "success": r.success });
        match per_job.iter_mut().find(|(job, _)| *job == r.out_id) {
            Some((_, items)) => items.push(item),
            None => per_job.push((r.out_id.clone(), vec![item])),
        }
    }
    let events = per_job
        .into_iter()
        .map(|(job_id, records)| live::NewEvent { kind: EventKind::NoteStored, case_id: None, job_id, data: json!({ "records": records }) })
        .collect();
    // Stored: answer now; tell open boards after the answer has gone.
    let stored_ms = crate::auth::now_ms() - t0;
    live::announce_all(&ctx, events);
    let response = if rejected.is_empty() {
        reply(200, 0, "接收成功")?
    } else {
        reply(200, 0, format!("接收成功({} 条记录无法解析,已转入死信队列)", rejected.len()))?
    };
    response.headers().set("Server-Timing", &format!("store;dur={stored_ms}"))?;
    Ok(response)
}
