//! Operator routes (admin only): list dead-lettered note records and replay
//! one once it is fixed.

use shared::api::{DeadLettersResponse, ReplayRequest};
use shared::note::decode_value;
use worker::{Context, Request, RouteContext};

use crate::auth;
use crate::http::{self, Failure, Reply};
use crate::store::{self, GoodRecord};

/// `GET /api/admin/dead-letters[?all=true]`.
pub async fn dead_letters(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    auth::require_admin(&claims)?;
    let all = req.url()?.query_pairs().any(|(k, v)| k == "all" && v == "true");
    let db = store::db(&ctx.env)?;
    http::ok(&DeadLettersResponse { dead_letters: store::dead_letters(&db, all).await? })
}

/// `POST /api/admin/dead-letters/{id}/replay` with `{ "record": {…} }` (the
/// corrected record) or `{}` (retry the stored one as it is).
pub async fn replay(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    auth::require_admin(&claims)?;
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).ok_or_else(|| Failure::field(&shared::FieldError::new("id", "must be a number")))?;
    let body: ReplayRequest = http::read_json(&mut req, 1024 * 1024).await?;
    let db = store::db(&ctx.env)?;
    let Some(letter) = store::dead_letter(&db, id).await? else {
        return Err(Failure::not_found("没有这条死信 (no such dead letter)"));
    };
    if letter.replayed_at.is_some() {
        return Err(Failure::new(409, "already_replayed", "这条死信已经重放过 (already replayed)"));
    }
    let raw = match body.record {
        Some(r) => r,
        None => serde_json::from_str(&letter.raw).map_err(|e| Failure::new(422, "still_invalid", format!("stored record is not JSON: {e}")))?,
    };
    let (record, outcome) = decode_value(&raw).map_err(|e| {
        let mut f = Failure::field(&e);
        f.status = 422;
        f.body.error.code = "still_invalid".into();
        f
    })?;
    let job_id = record.out_id.clone();
    let note_type = record.note_type.as_str().to_owned();
    let stored = store::replay(&db, id, &GoodRecord { raw: raw.to_string(), record, outcome }).await?;
    if stored {
        crate::live::announce(&ctx, shared::api::EventKind::NoteStored, None, job_id.as_deref(), serde_json::json!({ "records": [{ "type": note_type, "replayed": id }] }));
    }
    http::ok(&serde_json::json!({ "id": id, "replayed": true, "stored": stored }))
}
