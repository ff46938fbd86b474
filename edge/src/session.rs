//! `GET /api/session`: who the token says the caller is.

use shared::wire::api::SessionInfo;
use worker::{Context, Request, RouteContext};

use crate::auth;
use crate::http::{self, Reply};

pub async fn whoami(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, shared::wire::access::Op::Session)?;
    http::ok(&SessionInfo::from(&claims))
}
