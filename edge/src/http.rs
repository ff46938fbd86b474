//! Response helpers: JSON bodies, the one error shape ([`Failure`]), CORS for
//! the embedding portals, and security headers.

use std::future::Future;

use serde::Serialize;
use shared::wire::api::{ApiError, ErrorCode};
use shared::FieldError;
use worker::{Headers, Request, Response, Result};

/// An error answer: status + the board's error body. Handlers return
/// `Result<Response, Failure>`; [`run`] turns it into a response.
#[derive(Debug)]
pub struct Failure {
    pub status: u16,
    pub body: ApiError,
}

impl Failure {
    pub fn new(status: u16, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { status, body: ApiError::new(code, message) }
    }

    /// 400 naming the field.
    pub fn field(err: &FieldError) -> Self {
        Self { status: 400, body: ApiError::bad_field(err) }
    }

    /// 500 naming a missing or invalid setting (never its value).
    pub fn setting(err: &FieldError) -> Self {
        Self::new(500, ErrorCode::Misconfigured, format!("服务配置错误 (setting {}: {})", err.field, err.problem))
    }

    pub fn not_found(message: &str) -> Self {
        Self::new(404, ErrorCode::NotFound, message)
    }

    pub fn forbidden(message: &str) -> Self {
        Self::new(403, ErrorCode::Forbidden, message)
    }
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        worker::console_error!("internal error: {e}");
        Failure::new(500, ErrorCode::Internal, "服务内部错误 (internal error)")
    }
}

pub type Reply = std::result::Result<Response, Failure>;

/// Runs a handler and renders its failure.
pub async fn run(handler: impl Future<Output = Reply>) -> Result<Response> {
    match handler.await {
        Ok(r) => Ok(r),
        Err(f) => json(f.status, &f.body),
    }
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    let r = Response::from_json(body)?.with_status(status);
    r.headers().set("Cache-Control", "no-store")?;
    Ok(r)
}

pub fn ok<T: Serialize>(body: &T) -> Reply {
    Ok(json(200, body)?)
}

/// The request's query string (after `?`), taken from the URL the runtime
/// already serialised. `Request::url` would parse it again with the `url`
/// crate, whose host and IDNA tables were about a tenth of the Worker.
pub fn query_string(req: &Request) -> String {
    let url = req.inner().url();
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query.split_once('#').map_or(query, |(q, _)| q).to_owned()
}

/// The query's pairs as sent, decoded; a broken escape is a 400 naming its
/// parameter.
pub fn query(req: &Request) -> std::result::Result<Query, Failure> {
    shared::wire::url::decoded_pairs(&query_string(req)).map(Query).map_err(|e| Failure::field(&e))
}

/// A request's decoded query parameters, in order.
pub struct Query(pub Vec<(String, String)>);

impl Query {
    /// The first value given for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Why a body was not read whole.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Over the limit (declared or counted): reading stopped there.
    TooLarge { limit: usize },
    Unreadable,
}

impl From<BodyError> for Failure {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge { limit } => Failure::new(413, ErrorCode::TooLarge, format!("请求体过大 (body over {limit} bytes)")),
            BodyError::Unreadable => Failure::new(400, ErrorCode::BadRequest, "无法读取请求体 (unreadable body)"),
        }
    }
}

/// How much of an over-long body is read and dropped (never kept) after the
/// limit, so the client reads its 413 instead of a connection broken
/// mid-upload; past this the stream is cancelled.
const DRAIN_AFTER_LIMIT: usize = 4 * 1024 * 1024;

/// Reads a body of at most `limit` bytes. A declared `Content-Length` over
/// the limit is refused before reading; a body without one (chunked) is
/// read piece by piece and nothing is kept once the count passes the limit,
/// so no more than `limit` plus one piece is ever held.
pub async fn read_bounded(req: &mut Request, limit: usize) -> std::result::Result<Vec<u8>, BodyError> {
    use futures_util::StreamExt;
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|d| d > limit as u64) {
        return Err(BodyError::TooLarge { limit });
    }
    let Ok(mut stream) = req.stream() else {
        // No body at all.
        return Ok(vec![]);
    };
    let mut body = Vec::with_capacity(declared.map_or(0, |d| d as usize));
    while let Some(piece) = stream.next().await {
        let piece = piece.map_err(|_| BodyError::Unreadable)?;
        if body.len() + piece.len() > limit {
            let mut dropped = body.len() + piece.len() - limit;
            drop(body);
            while dropped < DRAIN_AFTER_LIMIT {
                match stream.next().await {
                    Some(Ok(p)) => dropped += p.len(),
                    _ => break,
                }
            }
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&piece);
    }
    Ok(body)
}

/// Reads a JSON body of at most `limit` bytes, naming what was wrong.
pub async fn read_json<T: serde::de::DeserializeOwned>(req: &mut Request, limit: usize) -> std::result::Result<T, Failure> {
    let bytes = read_bounded(req, limit).await?;
    serde_json::from_slice(&bytes).map_err(|e| Failure::field(&FieldError::new("body", format!("invalid JSON: {e}"))))
}

/// The portal origins allowed to embed the board and call the API from the
/// browser (`EMBED_ORIGINS`, comma-separated).
pub fn embed_origins(env: &worker::Env) -> Vec<String> {
    env.var("EMBED_ORIGINS")
        .map(|v| v.to_string())
        .unwrap_or_default()
        .split(',')
        .map(|o| o.trim().trim_end_matches('/').to_owned())
        .filter(|o| !o.is_empty())
        .collect()
}

/// Adds CORS headers when the request's `Origin` is an allowed portal. The
/// answer depends on `Origin` either way, so every answer says so (`Vary`),
/// lest a cache hand one origin's answer to another.
pub fn cors(response: &Response, origin: Option<&str>, allowed: &[String]) {
    let h = response.headers();
    if !h.get("Vary").ok().flatten().is_some_and(|v| v.split(',').any(|p| p.trim().eq_ignore_ascii_case("origin"))) {
        let _ = h.append("Vary", "Origin");
    }
    let Some(origin) = origin.filter(|o| allowed.iter().any(|a| a == o)) else { return };
    let _ = h.set("Access-Control-Allow-Origin", origin);
    let _ = h.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Bulk-Run");
    let _ = h.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    let _ = h.set("Access-Control-Max-Age", "600");
}

/// Headers every API response carries.
pub fn api_headers(response: &Response) {
    let h: &Headers = response.headers();
    let _ = h.set("X-Content-Type-Options", "nosniff");
    let _ = h.set("Referrer-Policy", "no-referrer");
    if !h.has("Content-Security-Policy").unwrap_or(false) {
        let _ = h.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    }
}

/// The CSP of the board's pages: only its own scripts (plus the hashes of
/// Trunk's inline loader), wasm, and framing by the allowed portals only.
pub fn page_csp(inline_script_hashes: &[String], frame_ancestors: &[String]) -> String {
    let hashes: String = inline_script_hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    let ancestors = if frame_ancestors.is_empty() { String::new() } else { format!(" {}", frame_ancestors.join(" ")) };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; media-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'self'{ancestors}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_csp_allows_only_its_own_scripts_and_portals() {
        let csp = page_csp(&["abc".into()], &["https://portal.example.cn".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'self' https://portal.example.cn"), "{csp}");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
        assert!(page_csp(&[], &[]).ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn a_setting_error_names_the_setting_never_its_value() {
        let f = Failure::setting(&FieldError::new("BOARD_SESSION_SECRET", "is not set"));
        assert_eq!((f.status, f.body.error.code.as_str()), (500, "misconfigured"));
        assert!(f.body.error.message.contains("BOARD_SESSION_SECRET"));
    }

    #[test]
    fn bodies_over_the_limit_are_413() {
        let f = Failure::from(BodyError::TooLarge { limit: 16 });
        assert_eq!((f.status, f.body.error.code.as_str()), (413, "too_large"));
        assert_eq!(Failure::from(BodyError::Unreadable).status, 400);
    }
}
