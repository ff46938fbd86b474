//! Calls to the mediation backend: one place that adds the token, enforces a
//! timeout, keeps the backend's own error messages and statuses, and turns
//! transport failures into readable 502/504 answers.

use std::time::Duration;

use futures_util::future::{select, Either};
use serde::de::DeserializeOwned;
use shared::mediation::Envelope;
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response};

use crate::config::MediationConfig;
use crate::http::Failure;

/// How long the edge waits for an upstream before answering 504.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `request`, giving up after `timeout`.
pub async fn fetch_with_timeout(request: Request, timeout: Duration) -> Result<Response, Failure> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let call = async move { Fetch::Request(request).send_with_signal(&signal).await };
    match select(Box::pin(call), Box::pin(Delay::from(timeout))).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(e), _)) => Err(Failure::new(502, "upstream_unreachable", format!("上游服务无法连接 (upstream unreachable: {e})"))),
        Either::Right(_) => {
            controller.abort();
            Err(Failure::new(504, "upstream_timeout", format!("上游服务响应超时 (no answer within {} s)", timeout.as_secs())))
        }
    }
}

/// The backend's answer: HTTP status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// Sends one request to the backend (`path_and_query` relative to its base).
pub async fn send(env: &Env, method: Method, path_and_query: &str, json_body: Option<String>) -> Result<Answer, Failure> {
    let config = MediationConfig::from_env(env).map_err(|e| Failure::setting(&e))?;
    let headers = Headers::new();
    headers.set("Authorization", &format!("Bearer {}", config.token))?;
    headers.set("Accept", "application/json")?;
    let mut init = RequestInit::new();
    init.with_method(method);
    if let Some(body) = json_body {
        headers.set("Content-Type", "application/json; charset=UTF-8")?;
        init.with_body(Some(body.into()));
    }
    init.with_headers(headers);
    let request = Request::new_with_init(&format!("{}{}", config.base, path_and_query), &init)?;
    let mut response = fetch_with_timeout(request, TIMEOUT).await.map_err(|mut f| {
        f.body.error.message = f.body.error.message.replace("上游服务", "调解后台");
        f
    })?;
    let status = response.status_code();
    let body = response.text().await.map_err(|_| Failure::new(502, "upstream_invalid", "调解后台返回的数据无法读取"))?;
    Ok(Answer { status, body })
}

/// Sends a request and reads the envelope. A backend error keeps its own
/// status and message (e.g. the takeover conflict).
pub async fn call<T: DeserializeOwned>(env: &Env, method: Method, path_and_query: &str, json_body: Option<String>) -> Result<(u16, Envelope<T>), Failure> {
    let answer = send(env, method, path_and_query, json_body).await?;
    decode(&answer)
}

pub fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<(u16, Envelope<T>), Failure> {
    if (200..300).contains(&answer.status) {
        return serde_json::from_str::<Envelope<T>>(&answer.body)
            .map(|e| (answer.status, e))
            .map_err(|e| Failure::new(502, "upstream_invalid", format!("调解后台返回了无法解析的数据 ({e})")));
    }
    Err(upstream_error(answer))
}

/// The backend's error as the board's error, same status, same message —
/// except 401/403, which mean the edge's own credentials were refused: those
/// become 502, so the board does not mistake them for an expired session.
pub fn upstream_error(answer: &Answer) -> Failure {
    if answer.status == 401 || answer.status == 403 {
        return Failure::new(502, "upstream_auth_failed", "调解后台拒绝了服务端凭证,请联系管理员检查 MEDIATION_API_TOKEN (the backend refused the edge's credentials)");
    }
    let status = if (400..600).contains(&answer.status) { answer.status } else { 502 };
    match serde_json::from_str::<Envelope<serde_json::Value>>(&answer.body) {
        Ok(env) => Failure::new(status, if status >= 500 { "upstream_error" } else { "upstream_rejected" }, env.message),
        Err(_) => Failure::new(502, "upstream_invalid", format!("调解后台返回了无法解析的数据 (HTTP {})", answer.status)),
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn q(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
