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
//!
//! An answer over [`WHOLE_AT_MOST`] bytes (a centre of some 10,000 cases and
//! more) cannot be held whole, let alone kept: it is read as it arrives and
//! written as it goes (`shared::wire::board_stream`), one chunk and one case
//! at a time, without an `ETag` (the tag would have to precede bytes not yet
//! read). A fault found after the first bytes went out can no longer change
//! the status: the answer is then broken off, which the app reads as a failed
//! load.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use shared::wire::api::{mask_board, CaseQa};
use shared::wire::board_body::{digest, etag, none_match, response_json};
use shared::wire::board_stream::{Cases, StreamedBoard};
use shared::wire::mediation::answer::{Shape, UpstreamFault};
use shared::wire::mediation::{paths, BoardRecord};
use shared::wire::session::Role;
use worker::{Context, Env, Method, Request, Response, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::Reply;
use crate::bodies::{self, LargeReads, PIECE};
use crate::upstream;

/// The cases as last written for one masking: the backend's bytes' digest
/// and the JSON array (two entries at most: masked and not).
struct Written {
    upstream: u128,
    masked: bool,
    cases_json: Rc<String>,
}

thread_local! {
    static WRITTEN: RefCell<Vec<Written>> = const { RefCell::new(Vec::new()) };
}

/// The cases of the backend's answer `body`, masked as `masked` says, as a
/// JSON array; `true` when they were kept from an earlier answer. The bytes
/// are read as text only when they were not kept (the check that they are
/// UTF-8 costs about as much as their digest).
fn cases_json(status: u16, body: Vec<u8>, role: &shared::wire::session::Role) -> Result<(u128, Rc<String>, bool), upstream::CallFailure> {
    let masked = !role.sees_phone_numbers();
    let key = digest(&body);
    let success = (200..300).contains(&status);
    if let Some(kept) = WRITTEN.with(|w| w.borrow().iter().find(|x| success && x.upstream == key && x.masked == masked).map(|x| x.cases_json.clone())) {
        return Ok((key, kept, true));
    }
    let body = bodies::text(body);
    let mut cases = upstream::read::<Vec<BoardRecord>>(status, &body, Shape::Envelope)?.data;
    mask_board(&mut cases, role);
    let written = Rc::new(serde_json::to_string(&cases).unwrap_or_else(|_| "[]".into()));
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        w.retain(|x| x.masked != masked);
        w.push(Written { upstream: key, masked, cases_json: written.clone() });
    });
    Ok((key, written, false))
}

/// The largest backend answer read whole (and kept). The 10,000-case board
/// of the sandbox is 7.9 MB; read whole, an answer costs the isolate about
/// four times its size while it is parsed and written.
pub const WHOLE_AT_MOST: usize = 8 << 20;

/// The backend's board answer: whole (an error, or a body of at most
/// [`WHOLE_AT_MOST`] bytes), or its first bytes (none when it declared a
/// larger length) and the rest, to be read in large pieces.
enum Body {
    Whole(Vec<u8>),
    Large(Vec<u8>, LargeReads),
}

/// Asks the backend for the board. A declared length of at most
/// [`WHOLE_AT_MOST`] is read whole by the runtime in one read, the cheapest
/// for the common board; without a declared length the first
/// [`WHOLE_AT_MOST`] bytes tell.
async fn read(env: &Env) -> Result<(u16, Body), upstream::CallFailure> {
    let (status, response) = upstream::open(env, Method::Get, paths::BOARD, None).await?;
    let declared = response.headers().get("Content-Length").ok().flatten().and_then(|n| n.parse::<usize>().ok());
    let large = (200..300).contains(&status) && declared.is_none_or(|n| n > WHOLE_AT_MOST);
    let Some(mut reads) = large.then(|| LargeReads::of(&response)).flatten() else {
        let bytes = bodies::whole(&response).await.map_err(|_| upstream::unreadable_body(status))?;
        return Ok((status, Body::Whole(bytes)));
    };
    if declared.is_some() {
        return Ok((status, Body::Large(Vec::new(), reads)));
    }
    let mut head = Vec::new();
    while let Some(piece) = reads.next().await.map_err(|_| upstream::unreadable_body(status))? {
        head.extend_from_slice(&piece);
        if head.len() > WHOLE_AT_MOST {
            return Ok((status, Body::Large(head, reads)));
        }
    }
    Ok((status, Body::Whole(head)))
}

/// Each case of the backend's board, as it arrives (the live hub's poll):
/// a large board is never held whole.
pub async fn each_case(env: &Env, each: &mut dyn FnMut(BoardRecord) -> Result<(), String>) -> Result<usize, upstream::CallFailure> {
    let (status, body) = read(env).await?;
    let (head, mut reads) = match body {
        Body::Whole(bytes) => {
            let cases = upstream::read::<Vec<BoardRecord>>(status, &bodies::text(bytes), Shape::Envelope)?.data;
            let count = cases.len();
            for case in cases {
                each(case).map_err(|problem| upstream::answered(UpstreamFault::Unreadable { status, problem }))?;
            }
            return Ok(count);
        }
        Body::Large(head, reads) => (head, reads),
    };
    let mut cases = Cases::new(status);
    cases.push(&head, each).map_err(upstream::answered)?;
    drop(head);
    while let Some(piece) = reads.next().await.map_err(|_| upstream::unreadable_body(status))? {
        cases.push(&piece, each).map_err(upstream::answered)?;
    }
    cases.finish().map_err(upstream::answered)
}

/// What the isolate's WebAssembly memory has grown to (it never shrinks):
/// the high-water mark of the edge's own heap.
fn wasm_memory_bytes() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0) * 65536;
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// The rest of a streamed answer: the first bytes already read (`head`,
/// written a piece at a time), then the backend's.
struct Rest {
    board: StreamedBoard,
    head: Vec<u8>,
    head_at: usize,
    reads: LargeReads,
    received: usize,
    pieces: usize,
    qa: Vec<CaseQa>,
    fetched_at: i64,
    finished: bool,
}

impl Rest {
    /// The next bytes to send on, or `None` at the end.
    async fn next(&mut self) -> Option<worker::Result<Vec<u8>>> {
        let broken_off = |fault: UpstreamFault| {
            worker::console_error!("board: the backend's answer went wrong after the first bytes were sent, so the answer is broken off: {fault:?}");
            worker::Error::RustError("the board's answer was broken off".into())
        };
        loop {
            if self.finished {
                return None;
            }
            let pushed = if self.head_at < self.head.len() {
                let end = (self.head_at + PIECE).min(self.head.len());
                let out = self.board.push(&self.head[self.head_at..end]);
                self.head_at = end;
                if end == self.head.len() {
                    self.head = Vec::new();
                    self.head_at = 0;
                }
                out
            } else {
                match self.reads.next().await {
                    Ok(Some(piece)) => {
                        self.received += piece.len();
                        self.pieces += 1;
                        self.board.push(&piece)
                    }
                    Ok(None) => {
                        self.finished = true;
                        let (cases, received, pieces) = (self.board.cases(), self.received, self.pieces);
                        let end = self.board.finish(self.fetched_at, &self.qa).map_err(broken_off);
                        if end.is_ok() {
                            worker::console_log!("board: {cases} cases streamed ({received} bytes from the backend in {pieces} reads); wasm memory {} bytes", wasm_memory_bytes());
                        }
                        return Some(end);
                    }
                    Err(e) => {
                        worker::console_error!("board: the backend's answer could not be read to its end: {e}");
                        return Some(Err(e));
                    }
                }
            };
            match pushed {
                Ok(out) if out.is_empty() => continue,
                Ok(out) => return Some(Ok(out)),
                Err(fault) => return Some(Err(broken_off(fault))),
            }
        }
    }
}

/// A large answer, written as it arrives (see the module's doc). The first
/// piece is read before answering, so a refusal that comes first (the
/// envelope's `code`) is still answered as one.
async fn streamed(status: u16, head: Vec<u8>, mut reads: LargeReads, role: Role, qa: Vec<CaseQa>) -> Result<(Response, i64), upstream::CallFailure> {
    let started = now_ms();
    let mut board = StreamedBoard::new(status, role);
    let mut received = head.len();
    let (first, head_at) = if head.is_empty() {
        let piece = reads.next().await.map_err(|_| upstream::unreadable_body(status))?.unwrap_or_default();
        received += piece.len();
        (board.push(&piece).map_err(upstream::answered)?, 0)
    } else {
        let end = PIECE.min(head.len());
        (board.push(&head[..end]).map_err(upstream::answered)?, end)
    };
    let rest = Rest { board, head, head_at, reads, received, pieces: 1, qa, fetched_at: now_ms(), finished: false };
    let rest = futures_util::stream::unfold(Some(rest), |state| async move {
        let mut rest = state?;
        match rest.next().await {
            Some(Ok(out)) => Some((Ok(out), Some(rest))),
            Some(Err(e)) => Some((Err(e), None)),
            None => None,
        }
    });
    let body = futures_util::stream::once(async move { Ok::<Vec<u8>, worker::Error>(first) }).chain(rest);
    let response = Response::from_stream(body).map_err(upstream::CallFailure::from)?;
    Ok((response, now_ms() - started))
}

pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, shared::wire::access::Op::Board)?;
    // The backend and D1 are asked at the same time: the QA column's read
    // is then off the critical path.
    let started = now_ms();
    let backend = async {
        let answer = read(&ctx.env).await;
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
    let body = match body {
        Body::Whole(body) => body,
        Body::Large(head, rest) => {
            let declared_large = head.is_empty();
            let (response, edge_ms) = streamed(status, head, rest, claims.role.clone(), qa).await?;
            let headers = response.headers();
            headers.set("Content-Type", "application/json")?;
            headers.set("Cache-Control", "private, no-cache")?;
            headers.set("Vary", "Authorization")?;
            // The backend's time is to its headers when it declared a length,
            // else to its first 8 MB (read before the answer could be streamed).
            let backend = if declared_large { "headers".to_owned() } else { format!("\"first {} MB\"", WHOLE_AT_MOST >> 20) };
            headers.set("Server-Timing", &format!("upstream;dur={upstream_ms};desc={backend}, edge;dur={edge_ms};desc=streamed, d1;dur={d1_ms}"))?;
            return Ok(response);
        }
    };
    let edge_started = now_ms();
    let (key, cases, kept) = cases_json(status, body, &claims.role)?;
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

#[cfg(test)]
mod tests {
    use super::cases_json;
    use shared::wire::session::Role;

    #[test]
    fn a_kept_board_is_answered_only_for_the_same_bytes_with_a_success_status() {
        let body = |case: &str| {
            let record = format!(
                r#"{{"caseId":"{case}","mediationId":7,"caseName":"甲与乙劳动报酬纠纷","disputeType":"labor_pay","stage":"accepted","amount":"12000.00","facts":"拖欠工资","parties":[{{"personId":"p1","personType":0,"name":"甲","phoneNumber":"13912340000"}}],"callPersonId":null,"callType":null,"callStatus":null,"jobId":null,"takeoverUser":null,"takeoverTime":null,"startTime":"","duration":"","updateTime":"2026-12-01 10:00:00"}}"#
            );
            format!(r#"{{"code":200,"message":"ok","data":[{record}]}}"#).into_bytes()
        };
        let (first, written, kept) = cases_json(200, body("K-1"), &Role::Mediator).expect("a board");
        assert!(!kept);
        let (again, same, kept) = cases_json(200, body("K-1"), &Role::Mediator).expect("a board");
        assert!(kept);
        assert_eq!((again, same.as_str()), (first, written.as_str()));
        // The backend failing with the very bytes it answered before is a failure, not the kept board.
        let failure = cases_json(502, body("K-1"), &Role::Mediator).expect_err("a failure");
        assert_eq!(failure.failure.status, 502);
        let (_, other, kept) = cases_json(200, body("K-2"), &Role::Mediator).expect("a board");
        assert!(!kept);
        assert!(other.contains("K-2") && !other.contains("13912340000"), "masked for a mediator: {other}");
    }
}
