//! `GET /api/board`: the real-time board list, relayed from the backend, with
//! phone numbers masked unless the caller's role may see them.

use shared::api::{mask_board, BoardResponse};
use shared::mediation::{paths, BoardRecord};
use worker::{Method, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::{self, Reply};
use crate::upstream;

pub async fn list(req: Request, ctx: RouteContext<()>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    let (_, envelope) = upstream::call::<Vec<BoardRecord>>(&ctx.env, Method::Get, paths::BOARD, None).await?;
    let mut cases = envelope.data;
    mask_board(&mut cases, &claims.role);
    http::ok(&BoardResponse { cases, fetched_at: now_ms() })
}
