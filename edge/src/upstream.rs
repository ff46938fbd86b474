//! Calls to the mediation backend: one place that adds the token, enforces a
//! timeout, and reads every answer by the one rule in
//! `shared::wire::mediation::answer` (HTTP 2xx and an envelope code of 200/201).
//! A failure keeps how far the request got ([`Attempt`]), which decides the
//! audit entry and whether a call placement's idempotency key may be reused.

use shared::wire::api::ErrorCode;
use std::time::Duration;

use futures_util::future::{select, Either};
use serde::de::DeserializeOwned;
use shared::wire::mediation::answer::{self, Answered, Attempt, Shape, UpstreamFault};
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response};

use crate::config::MediationConfig;
use crate::http::Failure;

/// How long the edge waits for an upstream before answering 504.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a request to an upstream got no answer.
#[derive(Debug)]
pub enum Transport {
    Unreachable(String),
    TimedOut(Duration),
}

/// Sends `request`, giving up after `timeout`.
pub async fn fetch_with_timeout(request: Request, timeout: Duration) -> Result<Response, Transport> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let call = async move { Fetch::Request(request).send_with_signal(&signal).await };
    match select(Box::pin(call), Box::pin(Delay::from(timeout))).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(e), _)) => Err(Transport::Unreachable(e.to_string())),
        Either::Right(_) => {
            controller.abort();
            Err(Transport::TimedOut(timeout))
        }
    }
}

/// `who` names the upstream in the message ("调解后台", "知识库服务", …). The
/// cause of an unreachable upstream is not the caller's to read (see [`log`]).
pub fn transport_failure(t: &Transport, who: &str) -> Failure {
    match t {
        Transport::Unreachable(_) => Failure::new(502, ErrorCode::UpstreamUnreachable, format!("{who}无法连接 (upstream unreachable)")),
        Transport::TimedOut(d) => Failure::new(504, ErrorCode::UpstreamTimeout, format!("{who}响应超时 (no answer within {} s)", d.as_secs())),
    }
}

/// A request to the backend that did not succeed, and how far it got.
#[derive(Debug)]
pub struct CallFailure {
    pub attempt: Attempt,
    /// What the caller is answered.
    pub failure: Failure,
}

impl From<CallFailure> for Failure {
    fn from(f: CallFailure) -> Self {
        f.failure
    }
}

impl CallFailure {
    fn not_sent(failure: Failure) -> Self {
        Self { attempt: Attempt::NotSent, failure }
    }

    /// The status the audit trail records: 0 when no answer came.
    pub fn audit_status(&self) -> u16 {
        match &self.attempt {
            Attempt::NotSent | Attempt::Unreachable | Attempt::TimedOut => 0,
            Attempt::Answered(fault) => fault.audit_status(),
        }
    }
}

impl From<worker::Error> for CallFailure {
    fn from(e: worker::Error) -> Self {
        CallFailure::not_sent(e.into())
    }
}

/// The board's answer to a backend fault: the backend's own message and a
/// status that says what happened (see the README's error table).
pub fn fault_failure(fault: &UpstreamFault) -> Failure {
    match fault {
        UpstreamFault::CredentialsRefused { .. } => Failure::new(
            502,
            ErrorCode::UpstreamAuthFailed,
            "调解后台拒绝了服务端凭证,请联系管理员检查 MEDIATION_API_TOKEN (the backend refused the edge's credentials)",
        ),
        UpstreamFault::Rejected { status, message } => Failure::new(*status, ErrorCode::UpstreamRejected, message.clone()),
        UpstreamFault::Failed { status, message, .. } => {
            let message = if message.is_empty() { "调解后台处理失败 (the backend failed)".to_owned() } else { message.clone() };
            Failure::new(*status, ErrorCode::UpstreamError, message)
        }
        UpstreamFault::Unreadable { status, .. } => unreadable("调解后台", *status),
    }
}

/// An upstream's answer the edge could not read: what happened, and what the
/// user can do (what it was goes to the Worker's log, never to the user).
pub fn unreadable(who: &str, status: u16) -> Failure {
    Failure::new(
        502,
        ErrorCode::UpstreamInvalid,
        format!("{who}返回了无法解析的数据 (HTTP {status}),请稍后重试;如果一再出现,请联系管理员查看边缘服务日志 (the answer could not be read; try again later, and if it keeps happening ask an admin to check the edge's log)"),
    )
}

/// What the caller is not told goes to the Worker's log.
fn log(attempt: &Attempt, transport: Option<&Transport>) {
    if let Some(Transport::Unreachable(cause)) = transport {
        worker::console_warn!("mediation backend unreachable: {cause}");
    }
    if let Attempt::Answered(UpstreamFault::Unreadable { status, problem }) = attempt {
        worker::console_warn!("mediation backend answered HTTP {status} unreadably: {problem}");
    }
}

/// Sends one request to the backend (`path_and_query` relative to its base)
/// and returns the HTTP status and body.
async fn send(env: &Env, method: Method, path_and_query: &str, json_body: Option<String>) -> Result<(u16, String), CallFailure> {
    let (status, response) = open(env, method, path_and_query, json_body).await?;
    let body = crate::bodies::whole_text(&response).await.map_err(|_| unreadable_body(status))?;
    Ok((status, body))
}

/// The failure of a body that could not be read to its end.
pub fn unreadable_body(status: u16) -> CallFailure {
    answered(UpstreamFault::Unreadable { status, problem: "the body could not be read to its end".into() })
}

/// Sends one request to the backend and returns its answer with the body
/// not yet read (the board reads a large one as it arrives).
pub async fn open(env: &Env, method: Method, path_and_query: &str, json_body: Option<String>) -> Result<(u16, Response), CallFailure> {
    let config = MediationConfig::from_env(env).map_err(|e| CallFailure::not_sent(Failure::setting(&e)))?;
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
    let response = fetch_with_timeout(request, TIMEOUT).await.map_err(|t| {
        let attempt = match t {
            Transport::Unreachable(_) => Attempt::Unreachable,
            Transport::TimedOut(_) => Attempt::TimedOut,
        };
        log(&attempt, Some(&t));
        CallFailure { attempt, failure: transport_failure(&t, "调解后台") }
    })?;
    Ok((response.status_code(), response))
}

/// Sends a request and reads the answer by the one rule.
pub async fn call<T: DeserializeOwned>(env: &Env, method: Method, path_and_query: &str, json_body: Option<String>, shape: Shape) -> Result<Answered<T>, CallFailure> {
    let (status, body) = send(env, method, path_and_query, json_body).await?;
    read(status, &body, shape)
}

/// Reads an answer by the one rule (what [`call`] does after sending).
pub fn read<T: DeserializeOwned>(status: u16, body: &str, shape: Shape) -> Result<Answered<T>, CallFailure> {
    answer::read::<T>(status, body, shape).map_err(answered)
}

/// The failure of an answer read by the one rule (logged when unreadable).
pub fn answered(fault: UpstreamFault) -> CallFailure {
    let failure = fault_failure(&fault);
    let attempt = Attempt::Answered(fault);
    log(&attempt, None);
    CallFailure { failure, attempt }
}

/// Percent-encodes a query value (the one encoder, `shared::wire::url`).
pub use shared::wire::url::encode_component as q;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_fault_is_answered_with_a_status_that_says_what_happened() {
        let answer = |f: UpstreamFault| {
            let failure = fault_failure(&f);
            (failure.status, failure.body.error.code, failure.body.error.message)
        };
        // The backend's own refusal passes through with its words.
        assert_eq!(answer(UpstreamFault::Rejected { status: 400, message: "案件已被接管,不允许重复接管".into() }), (400, "upstream_rejected".into(), "案件已被接管,不允许重复接管".into()));
        let (status, code, _) = answer(UpstreamFault::Failed { status: 502, code: Some(500), message: "系统繁忙".into() });
        assert_eq!((status, code.as_str()), (502, "upstream_error"));
        // A refused edge token is never a 401 (the board would sign the user out).
        let (status, code, message) = answer(UpstreamFault::CredentialsRefused { status: 401 });
        assert_eq!((status, code.as_str()), (502, "upstream_auth_failed"));
        assert!(message.contains("MEDIATION_API_TOKEN"));
        // An unreadable answer says so without echoing it.
        let (status, code, message) = answer(UpstreamFault::Unreadable { status: 200, problem: "<html>secret</html>".into() });
        assert_eq!((status, code.as_str()), (502, "upstream_invalid"));
        assert!(!message.contains("secret"), "{message}");
        assert!(message.starts_with("调解后台返回了无法解析的数据 (HTTP 200),请稍后重试;如果一再出现,请联系管理员"), "it says what to do: {message}");
        // A failure without a message still reads.
        assert!(!answer(UpstreamFault::Failed { status: 500, code: None, message: String::new() }).2.is_empty());
    }

    #[test]
    fn no_answer_is_recorded_as_status_zero() {
        let f = CallFailure { attempt: Attempt::TimedOut, failure: Failure::new(504, ErrorCode::UpstreamTimeout, "x") };
        assert_eq!(f.audit_status(), 0);
        let f = CallFailure { attempt: Attempt::Answered(UpstreamFault::Failed { status: 502, code: Some(500), message: String::new() }), failure: Failure::new(502, ErrorCode::UpstreamError, "x") };
        assert_eq!(f.audit_status(), 500, "the envelope's code, not the edge's 502");
    }

    #[test]
    fn transport_failures_name_the_upstream_not_the_cause() {
        let f = transport_failure(&Transport::TimedOut(TIMEOUT), "调解后台");
        assert_eq!((f.status, f.body.error.code.as_str()), (504, "upstream_timeout"));
        assert!(f.body.error.message.starts_with("调解后台"));
        assert!(f.body.error.message.contains("10 s"));
    }
}
