//! `GET /api/board`: the real-time board list, relayed from the backend.

use shared::api::BoardResponse;
use shared::mediation::{paths, BoardRecord, Envelope};
use worker::{Method, Request, Response, Result, RouteContext};

use crate::config::MediationConfig;
use crate::{http, upstream};

pub async fn list(_req: Request, ctx: RouteContext<()>) -> Result<Response> {
    let config = match MediationConfig::from_env(&ctx.env) {
        Ok(c) => c,
        Err(e) => return http::error(500, "misconfigured", &e.to_string()),
    };
    let answer = match upstream::mediation(&config, Method::Get, paths::BOARD, None).await {
        Ok(a) => a,
        Err(e) => return http::error(e.status(), e.code(), &e.message()),
    };
    match serde_json::from_str::<Envelope<Vec<BoardRecord>>>(&answer.body) {
        Ok(env) if (200..300).contains(&answer.status) => http::json(200, &BoardResponse { cases: env.data }),
        Ok(_) | Err(_) => relay_error(answer.status, &answer.body),
    }
}

/// Passes the backend's own error message and status through.
fn relay_error(status: u16, body: &str) -> Result<Response> {
    let status = if (400..600).contains(&status) { status } else { 502 };
    match serde_json::from_str::<Envelope<serde_json::Value>>(body) {
        Ok(env) => http::error(status, "upstream_error", &env.message),
        Err(_) => http::error(502, "upstream_invalid", "调解后台返回了无法解析的数据 (unreadable answer from the backend)"),
    }
}
