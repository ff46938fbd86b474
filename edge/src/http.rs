//! Response helpers: JSON bodies, the one error shape, and security headers.

use serde::Serialize;
use shared::api::ApiError;
use shared::FieldError;
use worker::{Headers, Response, Result};

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// An error response in the board's error shape.
pub fn error(status: u16, code: &str, message: &str) -> Result<Response> {
    json(status, &ApiError::new(code, message))
}

/// 400 for bad input, naming the field.
pub fn bad_field(err: &FieldError) -> Result<Response> {
    json(400, &ApiError::bad_field(err))
}

/// Every response leaves with a strict CSP and no-sniff.
pub fn with_security_headers(response: Response) -> Response {
    let headers: &Headers = response.headers();
    // Errors here mean an immutable header list, which our responses never have.
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    let _ = headers.set("Referrer-Policy", "no-referrer");
    if !headers.has("Content-Security-Policy").unwrap_or(false) {
        let _ = headers.set(
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        );
    }
    response
}
