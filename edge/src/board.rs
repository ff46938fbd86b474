//! `GET /api/board`: the real-time board list, relayed from the backend, with
//! phone numbers masked unless the caller's role may see them.

use shared::wire::api::{mask_board, BoardResponse};
use shared::wire::mediation::answer::Shape;
use shared::wire::mediation::{paths, BoardRecord};
use worker::{Context, Method, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::{self, Reply};
use crate::upstream;

pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, shared::wire::access::Op::Board)?;
    let started = now_ms();
    let envelope = upstream::call::<Vec<BoardRecord>>(&ctx.env, Method::Get, paths::BOARD, None, Shape::Envelope).await?;
    let upstream_ms = now_ms() - started;
    let mut cases = envelope.data;
    mask_board(&mut cases, &claims.role);
    // The QA column: a failure to read it leaves the column empty, not the board.
    let d1_started = now_ms();
    let qa = match crate::store::db(&ctx.env) {
        Ok(db) => crate::insights::case_totals(&db).await.unwrap_or_else(|e| {
            worker::console_warn!("board: could not read the QA totals: {e}");
            vec![]
        }),
        Err(_) => vec![],
    };
    let d1_ms = now_ms() - d1_started;
    let response = http::json(200, &BoardResponse { cases, fetched_at: now_ms(), qa })?;
    response.headers().set("Server-Timing", &format!("upstream;dur={upstream_ms}, d1;dur={d1_ms}"))?;
    Ok(response)
}
