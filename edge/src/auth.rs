//! Who may call: every `/api/*` route needs `Authorization: Bearer <JWT>`
//! signed with `BOARD_SESSION_SECRET` (see `shared::session`).

use shared::session::{self, Claims, Role};
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

/// The caller's claims, or a 401 saying why not.
pub fn require(req: &Request, env: &Env) -> Result<Claims, Failure> {
    let secret = session_secret(env)?;
    let header = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let token = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer ")).unwrap_or("");
    session::verify(token, secret.as_bytes(), now_secs()).map_err(|e| {
        let mut f = Failure::new(401, "unauthorized", e.to_string());
        f.body.error.field = Some("Authorization".into());
        f
    })
}

/// 403 unless the caller is an admin.
pub fn require_admin(claims: &Claims) -> Result<(), Failure> {
    if claims.role == Role::Admin {
        Ok(())
    } else {
        Err(Failure::forbidden("需要管理员权限 (admin only)"))
    }
}
