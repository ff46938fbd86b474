//! `GET /api/board`: the real-time board list, relayed from the backend, with
//! phone numbers masked unless the caller's role may see them.
//!
//! Reading, masking and writing the whole list is the edge's cost of a board
//! load, and the backend mostly answers the same bytes again: the cases as
//! last written are kept in the isolate, keyed by the backend's bytes and the
//! masking (`shared::wire::board_body`), and the answer carries an `ETag`, so
//! a board that already has it gets `304 Not Modified`. `Server-Timing` says
//! where the time went: the backend, the edge's own work (and whether it was
//! kept from before), D1 (asked while the backend is, so not added to it).

use std::cell::RefCell;
use std::rc::Rc;

use shared::wire::api::mask_board;
use shared::wire::board_body::{digest, etag, none_match, response_json};
use shared::wire::mediation::answer::Shape;
use shared::wire::mediation::{paths, BoardRecord};
use worker::{Context, Request, Response, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::Reply;
use crate::upstream;

/// The cases as last written for one masking: the backend's bytes' digest
/// and the JSON array (two entries at most: masked and not).
struct Written {
    upstream: u64,
    masked: bool,
    cases_json: Rc<String>,
}

thread_local! {
    static WRITTEN: RefCell<Vec<Written>> = const { RefCell::new(Vec::new()) };
}

/// The cases of the backend's answer `body`, masked as `masked` says, as a
/// JSON array; `true` when they were kept from an earlier answer.
fn cases_json(status: u16, body: &str, role: &shared::wire::session::Role) -> Result<(u64, Rc<String>, bool), upstream::CallFailure> {
    let masked = !role.sees_phone_numbers();
    let key = digest(body.as_bytes());
    if let Some(kept) = WRITTEN.with(|w| w.borrow().iter().find(|x| x.upstream == key && x.masked == masked).map(|x| x.cases_json.clone())) {
        return Ok((key, kept, true));
    }
    let mut cases = upstream::read::<Vec<BoardRecord>>(status, body, Shape::Envelope)?.data;
    mask_board(&mut cases, role);
    let written = Rc::new(serde_json::to_string(&cases).unwrap_or_else(|_| "[]".into()));
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|x| x.masked != masked);
        w.push(Written { upstream: key, masked, cases_json: written.clone() });
    });
    Ok((key, written, false))
}

pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, shared::wire::access::Op::Board)?;
    // The backend and D1 are asked at the same time: the QA column's read
    // is then off the critical path.
    let started = now_ms();
    let backend = async {
        let answer = upstream::get_raw(&ctx.env, paths::BOARD).await;
        (answer, now_ms() - started)
    };
    // The QA column: a failure to read it leaves the column empty, not the board.
    let totals = async {
        let qa = match crate::store::db(&ctx.env) {
            Ok(db) => crate::insights::case_totals(&db).await.unwrap_or_else(|e| {
                worker::console_warn!("board: could not read the QA totals: {e}");
                vec![]
            }),
            Err(_) => vec![],
        };
        (qa, now_ms() - started)
    };
    let ((answer, upstream_ms), (qa, d1_ms)) = futures_util::future::join(backend, totals).await;
    let (status, body) = answer?;
    let edge_started = now_ms();
    let (key, cases, kept) = cases_json(status, &body, &claims.role)?;
    drop(body);
    let edge_ms = now_ms() - edge_started;
    let tag = etag(key, !claims.role.sees_phone_numbers(), &qa);
    let timing = format!("upstream;dur={upstream_ms}, edge;dur={edge_ms};desc={}, d1;dur={d1_ms}", if kept { "kept" } else { "written" });
    let unchanged = req.headers().get("If-None-Match")?.is_some_and(|h| none_match(&h, &tag));
    let response = if unchanged {
        Response::empty()?.with_status(304)
    } else {
        let mut r = Response::ok(response_json(&cases, now_ms(), &qa))?;
        r.headers_mut().set("Content-Type", "application/json")?;
        r
    };
    let headers = response.headers();
    // Private (it depends on who asks), kept, and asked for again every time.
    headers.set("Cache-Control", "private, no-cache")?;
    headers.set("Vary", "Authorization")?;
    headers.set("ETag", &tag)?;
    headers.set("Server-Timing", &timing)?;
    Ok(response)
}
