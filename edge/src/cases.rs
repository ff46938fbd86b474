//! Actions on a case: take it over from the AI, generate its agreement, run
//! OCR on its files; and its audit trail. Every action is audited (who, what,
//! when, upstream outcome) and announced to open boards.

use shared::wire::access::Op;
use shared::wire::audit::AuditQuery;
use shared::wire::api::{AuditResponse, EventData, EventKind, OcrOutcome, RowPatch, TakeoverOutcome};
use shared::wire::mediation::answer::{Answered, Shape};
use shared::wire::mediation::{paths, require_id, AgreementRequest, AgreementResult, OcrRequest, OcrResult, TakeoverRequest, TakeoverResult};
use shared::time::format_shanghai;
use worker::{Context, Method, Request, RouteContext};

use crate::auth;
use crate::http::{self, Failure, Reply};
use crate::live;
use crate::store;
use crate::store::audit_action as audit;
use crate::upstream::{self, q};

/// The `caseId` of the route, checked.
pub(crate) fn case_id(ctx: &RouteContext<Context>) -> Result<String, Failure> {
    let id = ctx.param("case_id").cloned().unwrap_or_default();
    require_id("caseId", &id).map_err(|e| Failure::field(&e))?;
    Ok(id)
}

/// `POST /api/cases/{caseId}/takeover`: the user name comes from the token,
/// never from the request. The spec's success answer carries `data: null`;
/// what the board is told is what the edge asked for, completed by
/// whatever the backend sent.
pub async fn takeover(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Takeover)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&TakeoverRequest { user_name: claims.sub.clone() }).expect("serialises");
    let result = upstream::call::<Option<TakeoverResult>>(&ctx.env, Method::Put, &paths::takeover(&case_id), Some(body), Shape::Envelope).await;
    audit(&ctx.env, &claims, "takeover", Some(&case_id), None, &result).await;
    let answered = result?;
    let data = answered.data.unwrap_or_default();
    let outcome = TakeoverOutcome {
        case_id: case_id.clone(),
        user_name: data.user_name.unwrap_or_else(|| claims.sub.clone()),
        takeover_time: data.takeover_time.unwrap_or_else(|| format_shanghai(auth::now_ms())),
        message: answered.message,
    };
    let row = RowPatch { takeover_user: Some(Some(outcome.user_name.clone())), ..RowPatch::default() };
    let data = EventData { row, name: Some(claims.display_name().to_owned()), ..EventData::default() };
    live::announce(&ctx, EventKind::Takeover, Some(&case_id), None, data);
    http::ok(&outcome)
}

/// `POST /api/cases/{caseId}/agreement`.
pub async fn agreement(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Agreement)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&AgreementRequest { case_id: case_id.clone() }).expect("serialises");
    let result = upstream::call::<AgreementResult>(&ctx.env, Method::Post, paths::AGREEMENT, Some(body), Shape::Envelope).await;
    let agree_id = result.as_ref().ok().map(|a| a.data.agree_id.clone());
    audit(&ctx.env, &claims, "agreement", Some(&case_id), agree_id.as_deref(), &result).await;
    let answered = result?;
    live::announce(&ctx, EventKind::AgreementGenerated, Some(&case_id), None, EventData { agree_id: Some(answered.data.agree_id.clone()), ..EventData::default() });
    let mut agreement = answered.data;
    // Its instalments as reminders the board can offer (read before masking).
    let year = format_shanghai(auth::now_ms())[..4].parse().unwrap_or(2026);
    let suggested_reminders = shared::wire::followup::suggested_reminders(&agreement.agree_content, year);
    // The parties' accounts and numbers in the text, for those who see masked numbers.
    if !claims.role.sees_phone_numbers() {
        shared::wire::privacy::mask_in_place(&mut agreement.agree_content);
    }
    http::ok(&shared::wire::followup::AgreementView { agree_id: agreement.agree_id, agree_content: agreement.agree_content, suggested_reminders })
}

/// The board's view of an OCR answer, which the spec shows as a bare `{}`.
fn ocr_outcome(case_id: &str, answered: Answered<OcrResult>) -> OcrOutcome {
    OcrOutcome { case_id: case_id.to_owned(), status: answered.data.status, files: answered.data.files, message: answered.message }
}

/// `POST /api/cases/{caseId}/ocr`: starts OCR on the case's files.
pub async fn start_ocr(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::StartOcr)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&OcrRequest { case_id: case_id.clone() }).expect("serialises");
    let result = upstream::call::<OcrResult>(&ctx.env, Method::Post, paths::OCR_PROCESS, Some(body), Shape::BareOrEnvelope).await;
    audit(&ctx.env, &claims, "ocr", Some(&case_id), None, &result).await;
    let outcome = ocr_outcome(&case_id, result?);
    live::announce(&ctx, EventKind::OcrStarted, Some(&case_id), None, EventData { files: Some(outcome.files.len()), ..EventData::default() });
    http::ok(&outcome)
}

/// `GET /api/cases/{caseId}/ocr`: where OCR stands (a designed endpoint).
pub async fn ocr_state(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::OcrState)?;
    let case_id = case_id(&ctx)?;
    let path = format!("{}?caseId={}", paths::OCR_STATUS, q(&case_id));
    let answered = upstream::call::<OcrResult>(&ctx.env, Method::Get, &path, None, Shape::BareOrEnvelope).await?;
    http::ok(&ocr_outcome(&case_id, answered))
}

/// `GET /api/cases/{caseId}/audit` (the case's team: its latest 200).
pub async fn audit_log(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::CaseAudit)?;
    let case_id = case_id(&ctx)?;
    let db = store::db(&ctx.env)?;
    let entries = store::audit_entries(&db, &AuditQuery { case_id: Some(case_id), limit: 200, ..AuditQuery::default() }).await?;
    http::ok(&AuditResponse { entries, next_before: None })
}

/// `GET /api/audit?user=&action=&caseId=&from=&to=&before=&limit=`: the
/// whole trail (supervisors and admins), newest first, a page at a time.
pub async fn team_audit_log(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::Audit)?;
    let q = AuditQuery::from_query(&http::query_string(&req)).map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let entries = store::audit_entries(&db, &q).await?;
    let next_before = (entries.len() as i64 == q.limit).then(|| entries.last().map(|e| e.id)).flatten();
    http::ok(&AuditResponse { entries, next_before })
}
