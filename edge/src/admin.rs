//! Operator routes (admin only): list dead-lettered note records, replay
//! one once it is fixed or discard it with a reason (both audited); and,
//! for roles that see raw data, the kept versions of a note record.

use shared::wire::api::ErrorCode;
use base64::Engine as _;
use shared::wire::access::Op;
use shared::wire::api::{DeadLettersResponse, DiscardRequest, DiscardResponse, NoteHistory, ReplayRequest, ReplayResponse};
use shared::wire::note::{content_digest, read_record};
use worker::{Context, Request, RouteContext};

use crate::auth;
use crate::http::{self, Failure, Reply};
use crate::store::{self, GoodRecord, Replayed};

/// `GET /api/admin/dead-letters[?all=true]`.
pub async fn dead_letters(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::DeadLetters)?;
    let all = match http::query(&req)?.get("all") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(Failure::field(&shared::FieldError::new("all", "must be true or false"))),
    };
    let db = store::db(&ctx.env)?;
    http::ok(&DeadLettersResponse { dead_letters: store::dead_letters(&db, all).await? })
}

fn still_invalid(field: &str, problem: String) -> Failure {
    let mut f = Failure::field(&shared::FieldError::new(field, problem));
    f.status = 422;
    f.body.error.code = ErrorCode::StillInvalid;
    f
}

/// A token no other replay request shares.
fn replay_token() -> String {
    format!("{}-{:016x}", auth::now_ms(), (js_sys::Math::random() * 2f64.powi(53)) as u64)
}

/// `POST /api/admin/dead-letters/{id}/replay` with `{ "record": {…} }` (the
/// corrected record) or `{}` (retry the stored one as it is). Once only:
/// a second replay, even a concurrent one, answers 409.
pub async fn replay(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::ReplayDeadLetter)?;
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).ok_or_else(|| Failure::field(&shared::FieldError::new("id", "must be a number")))?;
    let body: ReplayRequest = http::read_json(&mut req, 1024 * 1024).await?;
    let db = store::db(&ctx.env)?;
    let Some(letter) = store::dead_letter(&db, id).await? else {
        return Err(Failure::not_found("没有这条死信 (no such dead letter)"));
    };
    if letter.replayed_at.is_some() {
        return Err(already_replayed());
    }
    if letter.discarded_at.is_some() {
        return Err(already_discarded());
    }
    let raw = match body.record {
        Some(r) => r,
        None => {
            let text = if letter.encoding == "base64" {
                let bytes = base64::engine::general_purpose::STANDARD.decode(&letter.raw).unwrap_or_default();
                String::from_utf8(bytes).map_err(|_| still_invalid("record", "the stored bytes are not UTF-8 text; send a corrected record".into()))?
            } else {
                letter.raw.clone()
            };
            serde_json::from_str(&text).map_err(|e| still_invalid("record", format!("the stored record is not JSON: {e}")))?
        }
    };
    let (record, outcome) = read_record(&raw).map_err(|e| still_invalid(&e.field, e.problem))?;
    let job_id = record.out_id.clone();
    let note_type = record.note_type.as_str().to_owned();
    let good = GoodRecord { digest: content_digest(&raw), raw: raw.to_string(), record, outcome };
    let shown = match store::replay(&db, id, &good, &replay_token(), &claims.sub).await? {
        Replayed::Stored { shown } => shown,
        Replayed::AlreadyReplayed => return Err(already_replayed()),
    };
    let outcome = if shown { "stored" } else { "kept as an older version" };
    if let Err(e) = store::audit(&db, &claims, "dead_letter_replay", None, Some(&format!("dead-letter:{id}")), 200, outcome).await {
        worker::console_error!("audit write failed for dead_letter_replay: {e}");
    }
    if shown {
        // A replayed record counts like a pushed one: judged, and in the insights.
        let record = shared::wire::api::StoredRecord { note_type, replayed: Some(id), ..Default::default() };
        let derived = crate::derived::write(&db, None, &[(&good.record, &good.outcome)], vec![(job_id.clone(), vec![record])]).await;
        crate::live::announce_all(&ctx, derived.events);
    }
    http::ok(&ReplayResponse { id, replayed: true, stored: shown })
}

fn already_replayed() -> Failure {
    Failure::new(409, ErrorCode::AlreadyReplayed, "这条死信已经重放过 (already replayed)")
}

fn already_discarded() -> Failure {
    Failure::new(409, ErrorCode::AlreadyDiscarded, "这条死信已经丢弃 (already discarded)")
}

/// `POST /api/admin/dead-letters/{id}/discard` with `{ "reason": "…" }`:
/// sets an open dead letter aside (kept, with who and why), audited. Once
/// only, and never after a replay.
pub async fn discard(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::DiscardDeadLetter)?;
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).ok_or_else(|| Failure::field(&shared::FieldError::new("id", "must be a number")))?;
    let body: DiscardRequest = http::read_json(&mut req, 16 * 1024).await?;
    body.validate().map_err(|e| Failure::field(&e))?;
    let reason = body.reason.trim();
    let db = store::db(&ctx.env)?;
    let Some(letter) = store::dead_letter(&db, id).await? else {
        return Err(Failure::not_found("没有这条死信 (no such dead letter)"));
    };
    if letter.replayed_at.is_some() {
        return Err(already_replayed());
    }
    if !store::discard(&db, id, &claims.sub, reason).await? {
        return Err(already_discarded());
    }
    if let Err(e) = store::audit(&db, &claims, "dead_letter_discard", None, Some(&format!("dead-letter:{id}")), 200, reason).await {
        worker::console_error!("audit write failed for dead_letter_discard: {e}");
    }
    http::ok(&DiscardResponse { id, discarded: true })
}

/// `GET /api/notes/history?callId=&bizId=&type=`: every kept version of one
/// record, newest first (supervisors and admins: earlier versions are raw).
pub async fn note_history(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::NoteHistory)?;
    let query = http::query(&req)?;
    let get = |name: &str| query.get(name).unwrap_or_default().to_owned();
    let (call_id, biz_id, note_type) = (get("callId"), get("bizId"), get("type"));
    for (name, value) in [("callId", &call_id), ("bizId", &biz_id), ("type", &note_type)] {
        if value.trim().is_empty() || value.len() > 200 {
            return Err(Failure::field(&shared::FieldError::new(name, "is required (at most 200 characters)")));
        }
    }
    let db = store::db(&ctx.env)?;
    http::ok(&NoteHistory { versions: store::note_history(&db, &call_id, &biz_id, &note_type).await? })
}
