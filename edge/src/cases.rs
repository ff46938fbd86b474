//! Actions on a case: take it over from the AI, generate its agreement, run
//! OCR on its files; and its audit trail. Every action is audited (who, what,
//! when, upstream outcome) and announced to open boards.

use serde_json::json;
use shared::api::{AuditResponse, EventKind};
use shared::mediation::{paths, require_id, AgreementRequest, AgreementResult, OcrRequest, OcrResult, TakeoverRequest, TakeoverResult};
use shared::session::Claims;
use worker::{Context, Env, Method, Request, RouteContext};

use crate::auth;
use crate::http::{self, Failure, Reply};
use crate::live;
use crate::store;
use crate::upstream::{self, q};

fn case_id(ctx: &RouteContext<Context>) -> Result<String, Failure> {
    let id = ctx.param("case_id").cloned().unwrap_or_default();
    require_id("caseId", &id).map_err(|e| Failure::field(&e))?;
    Ok(id)
}

/// Writes the audit entry for an action and its upstream outcome.
pub async fn audit<T>(env: &Env, who: &Claims, action: &str, case_id: Option<&str>, target: Option<&str>, result: &Result<(u16, shared::mediation::Envelope<T>), Failure>) {
    let (status, outcome) = match result {
        Ok((status, env)) => (*status, env.message.clone()),
        Err(f) => (if f.body.error.code.starts_with("upstream_un") || f.body.error.code == "upstream_timeout" { 0 } else { f.status }, f.body.error.message.clone()),
    };
    match store::db(env) {
        Ok(db) => {
            if let Err(e) = store::audit(&db, who, action, case_id, target, status, &outcome).await {
                worker::console_error!("audit write failed for {action}: {e}");
            }
        }
        Err(_) => worker::console_error!("audit write failed for {action}: no D1 binding"),
    }
}

/// `POST /api/cases/{caseId}/takeover`: the user name comes from the token,
/// never from the request.
pub async fn takeover(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&TakeoverRequest { user_name: claims.sub.clone() }).expect("serialises");
    let result = upstream::call::<TakeoverResult>(&ctx.env, Method::Put, &paths::takeover(&case_id), Some(body)).await;
    audit(&ctx.env, &claims, "takeover", Some(&case_id), None, &result).await;
    let (_, envelope) = result?;
    live::announce(&ctx, EventKind::Takeover, Some(&case_id), None, json!({ "takeoverUser": claims.sub, "name": claims.display_name() }));
    http::ok(&envelope.data)
}

/// `POST /api/cases/{caseId}/agreement`.
pub async fn agreement(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&AgreementRequest { case_id: case_id.clone() }).expect("serialises");
    let result = upstream::call::<AgreementResult>(&ctx.env, Method::Post, paths::AGREEMENT, Some(body)).await;
    let agree_id = result.as_ref().ok().map(|(_, e)| e.data.agree_id.clone());
    audit(&ctx.env, &claims, "agreement", Some(&case_id), agree_id.as_deref(), &result).await;
    let (_, envelope) = result?;
    live::announce(&ctx, EventKind::AgreementGenerated, Some(&case_id), None, json!({ "agreeId": envelope.data.agree_id }));
    http::ok(&envelope.data)
}

/// `POST /api/cases/{caseId}/ocr`: starts OCR on the case's files.
pub async fn start_ocr(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    let case_id = case_id(&ctx)?;
    let body = serde_json::to_string(&OcrRequest { case_id: case_id.clone() }).expect("serialises");
    let result = upstream::call::<OcrResult>(&ctx.env, Method::Post, paths::OCR_PROCESS, Some(body)).await;
    audit(&ctx.env, &claims, "ocr", Some(&case_id), None, &result).await;
    let (_, envelope) = result?;
    live::announce(&ctx, EventKind::OcrStarted, Some(&case_id), None, json!({ "files": envelope.data.files.len() }));
    http::ok(&envelope.data)
}

/// `GET /api/cases/{caseId}/ocr`: where OCR stands.
pub async fn ocr_state(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::require(&req, &ctx.env)?;
    let case_id = case_id(&ctx)?;
    let path = format!("{}?caseId={}", paths::OCR_STATUS, q(&case_id));
    let (_, envelope) = upstream::call::<OcrResult>(&ctx.env, Method::Get, &path, None).await?;
    http::ok(&envelope.data)
}

/// `GET /api/cases/{caseId}/audit`, or `GET /api/audit` for everything.
pub async fn audit_log(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::require(&req, &ctx.env)?;
    let case_id = match ctx.param("case_id") {
        Some(_) => Some(case_id(&ctx)?),
        None => None,
    };
    let db = store::db(&ctx.env)?;
    let entries = store::audit_entries(&db, case_id.as_deref(), 200).await?;
    http::ok(&AuditResponse { entries })
}
