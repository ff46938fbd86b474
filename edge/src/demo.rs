//! `POST /api/demo/session`: mints a token for a demo user, the way a host
//! portal would. Compiled only with the `demo` feature (local builds; the
//! production build leaves it out) and answering only when `SANDBOX = "true"`.

use shared::wire::api::{DemoSession, DemoSessionRequest, SessionInfo};
use shared::wire::session::{mint, Claims, Role};
use shared::FieldError;
use worker::{Context, Request, RouteContext};

use crate::auth::{self, now_secs};
use crate::config;
use crate::http::{self, Failure, Reply};

pub async fn session(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    if !config::sandbox_mode(&ctx.env) {
        return Err(Failure::not_found("not found"));
    }
    let text = String::from_utf8_lossy(&crate::http::read_bounded(&mut req, 4 * 1024).await?).into_owned();
    // No body is the default user; a body of only whitespace is not JSON.
    let body: DemoSessionRequest = if text.is_empty() {
        DemoSessionRequest::default()
    } else {
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Failure::field(&FieldError::new("body", format!("invalid JSON: {e}"))))?;
        if !value.is_object() {
            return Err(Failure::field(&FieldError::new("body", "must be a JSON object")));
        }
        serde_json::from_value(value).map_err(|e| Failure::field(&FieldError::new("body", format!("invalid JSON: {e}"))))?
    };
    let user = body.user.filter(|u| !u.trim().is_empty()).unwrap_or_else(|| "zhangmin".into());
    if user.len() > 64 || !user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
        return Err(Failure::field(&FieldError::new("user", "letters, digits, '.', '_' or '-' (at most 64)")));
    }
    let role = body.role.unwrap_or(Role::Mediator);
    if !role.is_known() {
        return Err(Failure::field(&FieldError::new("role", "mediator, supervisor or admin")));
    }
    let max = config::session_policy(&ctx.env).map_err(|e| Failure::setting(&e))?.max_lifetime_secs;
    let ttl = body.ttl.unwrap_or(8 * 3600).clamp(1, max);
    let name = body.name.unwrap_or_else(|| display_name(&user).to_owned());
    let now = now_secs();
    let claims = Claims { sub: user, name: Some(name), role, exp: now + ttl, iat: Some(now), ..Claims::default() };
    let secret = auth::session_secret(&ctx.env)?;
    http::ok(&DemoSession { token: mint(&claims, secret.as_bytes()), session: SessionInfo::from(&claims) })
}

fn display_name(user: &str) -> &'static str {
    match user {
        "zhangmin" => "张敏",
        "wanglei" => "王磊",
        "lihua" => "李华",
        "admin" => "管理员",
        _ => "演示用户",
    }
}
