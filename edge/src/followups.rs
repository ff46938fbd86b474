//! A case's follow-ups: the team's notes, each optionally a reminder for a
//! day; the reminders due across cases (the board's "due today"). Stored in
//! D1 before the answer; adding and completing are audited.

use shared::time::format_shanghai;
use shared::wire::access::Op;
use shared::wire::followup::{check_date, CaseNotes, NewCaseNote, Reminders};
use shared::FieldError;
use worker::{Context, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::cases::case_id;
use crate::http::{self, Failure, Reply};
use crate::store;

/// Largest note body: room for 1,000 characters written as JSON escapes
/// (12 bytes each for one outside the BMP); the text's own limit is checked
/// after reading.
const MAX_BODY: usize = 64 * 1024;

/// `GET /api/cases/{caseId}/notes`.
pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::CaseNotes)?;
    let case_id = case_id(&ctx)?;
    let db = store::db(&ctx.env)?;
    http::ok(&CaseNotes { notes: store::case_notes(&db, &case_id).await? })
}

/// `POST /api/cases/{caseId}/notes` `{text, dueDate?}`.
pub async fn add(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::AddCaseNote)?;
    let case_id = case_id(&ctx)?;
    let input: NewCaseNote = http::read_json(&mut req, MAX_BODY).await?;
    input.validate().map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let note = store::add_case_note(&db, &case_id, &claims.sub, input.text.trim(), input.due_date.as_deref()).await?;
    let what = match &note.due_date {
        Some(d) => format!("note {} (reminder {d})", note.id),
        None => format!("note {}", note.id),
    };
    store::audit(&db, &claims, "note", Some(&case_id), Some(&note.id.to_string()), 200, &what).await?;
    http::ok(&note)
}

/// `POST /api/cases/{caseId}/notes/{id}/done`.
pub async fn complete(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::CompleteCaseNote)?;
    let case_id = case_id(&ctx)?;
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).filter(|v| *v > 0).ok_or_else(|| Failure::field(&FieldError::new("id", "must be a note's id")))?;
    let db = store::db(&ctx.env)?;
    let note = store::complete_case_note(&db, &case_id, id, &claims.sub).await?.ok_or_else(|| Failure::not_found("这个案件没有这条备注 (no such note on this case)"))?;
    store::audit(&db, &claims, "note_done", Some(&case_id), Some(&id.to_string()), 200, "done").await?;
    http::ok(&note)
}

/// `GET /api/reminders?due=yyyy-MM-dd` (default: today in Asia/Shanghai).
pub async fn due(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::Reminders)?;
    let due = match http::query(&req)?.get("due") {
        Some(v) => {
            check_date(v).map_err(|why| Failure::field(&FieldError::new("due", why)))?;
            v.to_owned()
        }
        None => format_shanghai(now_ms())[..10].to_owned(),
    };
    let db = store::db(&ctx.env)?;
    let reminders = store::due_reminders(&db, &due).await?;
    http::ok(&Reminders { due, reminders })
}
