//! Who may call: every `/api/*` route needs `Authorization: Bearer <JWT>`
//! signed with `BOARD_SESSION_SECRET` (see `shared::wire::session`).

use shared::wire::api::ErrorCode;
use shared::wire::access::Op;
use shared::wire::session::{self, Claims};
use worker::{Env, Request};

use crate::config;
use crate::http::Failure;

/// Seconds since the epoch, from the Worker's clock.
pub fn now_secs() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

pub fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

pub fn session_secret(env: &Env) -> Result<String, Failure> {
    config::secret(env, "BOARD_SESSION_SECRET").map_err(|e| Failure::setting(&e))
}

/// Verifies a session token with the configured secret and policy. Without
/// a secret nothing verifies (a 500 naming the setting).
pub fn verify(token: &str, env: &Env) -> Result<Claims, Failure> {
    let secret = session_secret(env)?;
    let policy = config::session_policy(env).map_err(|e| Failure::setting(&e))?;
    session::verify_with(token, secret.as_bytes(), now_secs(), &policy).map_err(|e| {
        let mut f = Failure::new(401, ErrorCode::Unauthorized, e.to_string());
        f.body.error.field = Some("Authorization".into());
        f
    })
}

/// The caller's claims, or a 401 saying why not.
pub fn require(req: &Request, env: &Env) -> Result<Claims, Failure> {
    let header = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let token = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer ")).unwrap_or("");
    verify(token, env)
}

/// The caller's claims if their role may call `op` (`shared::wire::access`):
/// 401 without a valid token, 403 for a role the table leaves out. Called
/// before any input is read, so a refused role learns nothing from it.
pub fn gate(req: &Request, env: &Env, op: Op) -> Result<Claims, Failure> {
    let claims = require(req, env)?;
    allow(&claims, op)?;
    Ok(claims)
}

/// 403 unless the caller's role may call `op`.
pub fn allow(claims: &Claims, op: Op) -> Result<(), Failure> {
    if op.allows(&claims.role) {
        Ok(())
    } else {
        Err(Failure::forbidden(&format!("你的角色({})不能执行此操作 (role {} may not call this)", claims.role.as_str(), claims.role.as_str())))
    }
}
