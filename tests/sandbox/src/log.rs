//! One line per request served: upstream, method, path, status and verdict.
//! Query strings are left out (they carry Clink's AccessKeyId and signature),
//! and no header or body is ever printed.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Why a request was answered the way it was, set by a handler.
#[derive(Clone, Debug)]
pub struct Verdict(pub String);

pub async fn line(upstream: &'static str, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(req).await;
    let verdict = response.extensions().get::<Verdict>().map(|v| v.0.as_str()).unwrap_or("-");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("[sandbox] {upstream} {method} {path} {} {verdict} {ms:.1}ms", response.status().as_u16());
    response
}
