//! The one rule that decides what the mediation backend answered.
//!
//! The spec (`../shared/specs/mediation-api.md`) shows every answer as an
//! envelope `{code, message, data}` whose `code` repeats an HTTP-like status
//! (200, 201, 400 …), except OCR, which shows a bare `{}`. Success is HTTP 2xx
//! **and** an envelope `code` of 200 or 201 (or no envelope where the spec
//! shows none). Any other `code` on a 2xx is the backend saying no (4xx) or
//! failing (anything else), exactly as if the HTTP status had said so.
//!
//! [`fate_of_key`] decides, from how a call placement ended, whether its
//! idempotency key may be used again: only when the request certainly never
//! reached the backend.

use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

/// How an endpoint's successful answer is shaped in the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `{code, message, data}`.
    Envelope,
    /// The spec shows a bare object (OCR's `{}`); an envelope is read as one
    /// when the backend sends it.
    BareOrEnvelope,
}

/// A successful answer: the envelope's message (empty for a bare body) and its data.
#[derive(Clone, Debug, PartialEq)]
pub struct Answered<T> {
    /// HTTP status.
    pub status: u16,
    /// The envelope `code` (`None` for a bare body).
    pub code: Option<i64>,
    pub message: String,
    pub data: T,
}

/// Why an answer is not a success. Each keeps what the user should read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpstreamFault {
    /// 401/403 (HTTP or envelope code): the backend refused the edge's own
    /// credentials. Not the user's session, so never answered as 401.
    CredentialsRefused { status: u16 },
    /// The backend said no (a 4xx HTTP status or envelope code): `status` is
    /// that 4xx, `message` its own words (e.g. the takeover conflict).
    Rejected { status: u16, message: String },
    /// The backend failed: a 5xx, or a 2xx whose envelope code is neither a
    /// success nor a 4xx. `status` is what the edge answers (the HTTP 5xx, or
    /// 502 for a failure inside a 2xx).
    Failed { status: u16, code: Option<i64>, message: String },
    /// The body is not the documented shape.
    Unreadable { status: u16, problem: String },
}

impl UpstreamFault {
    /// The status to put in the audit trail: what the backend said (HTTP
    /// status, or the envelope code when a 2xx carried a failure).
    pub fn audit_status(&self) -> u16 {
        match self {
            UpstreamFault::CredentialsRefused { status } | UpstreamFault::Rejected { status, .. } => *status,
            UpstreamFault::Failed { status, code, .. } => code.and_then(|c| u16::try_from(c).ok()).unwrap_or(*status),
            UpstreamFault::Unreadable { status, .. } => *status,
        }
    }
}

#[derive(Deserialize)]
struct Head {
    code: Option<serde_json::Value>,
    message: Option<serde_json::Value>,
    data: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

fn text_of(v: Option<serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn refusal(status: u16, code: Option<i64>, message: String, http_failure_status: u16) -> UpstreamFault {
    match status {
        401 | 403 => UpstreamFault::CredentialsRefused { status },
        400..=499 => UpstreamFault::Rejected { status, message },
        _ => UpstreamFault::Failed { status: http_failure_status, code, message },
    }
}

/// The envelope's `code` and `message`, when the top-level fields make one:
/// an integer `code` beside a `message` or a `data` (`null` counts as
/// absent). Both the whole read ([`read`]) and the board read as it arrives
/// ([`crate::wire::board_stream`]) decide by this and [`success`].
pub(crate) fn envelope(code: Option<&serde_json::Value>, message: Option<serde_json::Value>, has_data: bool) -> Option<(i64, String)> {
    let message = message.filter(|m| !m.is_null());
    let code = code.and_then(serde_json::Value::as_i64)?;
    (message.is_some() || has_data).then(|| (code, text_of(message)))
}

/// An envelope on a 2xx answer: a success when its `code` is 200 or 201,
/// else the refusal or failure its `code` says.
pub(crate) fn success(code: i64, message: String) -> Result<(i64, String), UpstreamFault> {
    if code == 200 || code == 201 {
        Ok((code, message))
    } else {
        Err(refusal(u16::try_from(code).unwrap_or(0), Some(code), message, 502))
    }
}

/// Reads the backend's answer to one request by the rule above.
pub fn read<T: DeserializeOwned>(status: u16, body: &str, shape: Shape) -> Result<Answered<T>, UpstreamFault> {
    let found = match serde_json::from_str::<Head>(body) {
        Err(_) => Found::NotAnObject,
        Ok(h) => envelope(h.code.as_ref(), h.message, h.data.is_some()).map_or(Found::Bare, |(code, message)| Found::Envelope(code, message)),
    };
    if status == 401 || status == 403 {
        return Err(UpstreamFault::CredentialsRefused { status });
    }
    if !(200..300).contains(&status) {
        // The HTTP status decides; the envelope lends its words.
        return Err(match found {
            Found::Envelope(code, message) => {
                let failure_status = if (500..600).contains(&status) { status } else { 502 };
                refusal(status, Some(code), message, failure_status)
            }
            _ => UpstreamFault::Unreadable { status, problem: format!("HTTP {status} without the backend's error envelope") },
        });
    }
    match found {
        Found::NotAnObject => Err(UpstreamFault::Unreadable { status, problem: "the body is not a JSON object".into() }),
        Found::Bare => match shape {
            Shape::BareOrEnvelope => serde_json::from_str::<T>(body)
                .map(|data| Answered { status, code: None, message: String::new(), data })
                .map_err(|e| UpstreamFault::Unreadable { status, problem: e.to_string() }),
            Shape::Envelope => Err(UpstreamFault::Unreadable { status, problem: "no envelope (code, message, data)".into() }),
        },
        Found::Envelope(code, message) => {
            let (code, message) = success(code, message)?;
            serde_json::from_str::<Data<T>>(body)
                .map(|d| Answered { status, code: Some(code), message, data: d.data })
                .map_err(|e| UpstreamFault::Unreadable { status, problem: format!("data: {e}") })
        }
    }
}

/// What a body holds, before its status is weighed.
enum Found {
    /// Not a JSON object.
    NotAnObject,
    /// A JSON object without the envelope.
    Bare,
    /// The envelope's code and message.
    Envelope(i64, String),
}

/// How one attempt to reach the backend ended, for [`fate_of_key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Refused before sending (bad settings): nothing left the edge.
    NotSent,
    /// No connection could be made: the backend never saw the request.
    Unreachable,
    /// Sent, but no answer in time: the backend may have acted.
    TimedOut,
    /// An answer came, but not a success.
    Answered(UpstreamFault),
}

/// What becomes of a call placement's idempotency key after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFate {
    /// The request certainly did not place a call: a retry may run.
    Release,
    /// The backend answered definitively (e.g. a 400): a retry gets the same answer.
    Keep,
    /// The backend may have placed the call: a retry must not call again.
    OutcomeUnknown,
}

pub fn fate_of_key(attempt: &Attempt) -> KeyFate {
    match attempt {
        Attempt::NotSent | Attempt::Unreachable => KeyFate::Release,
        // Refused credentials: the backend did nothing for this request.
        Attempt::Answered(UpstreamFault::CredentialsRefused { .. }) => KeyFate::Release,
        Attempt::Answered(UpstreamFault::Rejected { .. }) => KeyFate::Keep,
        Attempt::TimedOut | Attempt::Answered(UpstreamFault::Failed { .. } | UpstreamFault::Unreadable { .. }) => KeyFate::OutcomeUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::mediation::{OcrResult, TakeoverResult};

    #[test]
    fn success_needs_a_2xx_and_a_success_code() {
        let ok: Answered<Option<TakeoverResult>> = read(200, r#"{"code":200,"message":"接管成功","data":null}"#, Shape::Envelope).unwrap();
        assert_eq!((ok.code, ok.message.as_str(), ok.data), (Some(200), "接管成功", None));
        let created: Answered<Vec<IgnoredAny>> = read(201, r#"{"code":201,"message":"外呼请求处理完成","data":[{},{}]}"#, Shape::Envelope).unwrap();
        assert_eq!(created.data.len(), 2);
        // An HTTP 200 whose envelope says 500 is a failure, with its own message.
        let err = read::<Option<IgnoredAny>>(200, r#"{"code":500,"message":"状态更新失败","data":null}"#, Shape::Envelope).unwrap_err();
        assert_eq!(err, UpstreamFault::Failed { status: 502, code: Some(500), message: "状态更新失败".into() });
        assert_eq!(err.audit_status(), 500);
        // ... and one that says 400 is a rejection with that status.
        let err = read::<Option<IgnoredAny>>(200, r#"{"code":400,"message":"案件已被接管,不允许重复接管","data":null}"#, Shape::Envelope).unwrap_err();
        assert_eq!(err, UpstreamFault::Rejected { status: 400, message: "案件已被接管,不允许重复接管".into() });
        let err = read::<Option<IgnoredAny>>(200, r#"{"code":401,"message":"token过期","data":null}"#, Shape::Envelope).unwrap_err();
        assert_eq!(err, UpstreamFault::CredentialsRefused { status: 401 });
        let err = read::<Option<IgnoredAny>>(200, r#"{"code":"E1","message":"x","data":null}"#, Shape::Envelope).unwrap_err();
        assert!(matches!(err, UpstreamFault::Unreadable { .. }), "{err:?}");
    }

    #[test]
    fn http_errors_keep_status_and_message() {
        let err = read::<()>(400, r#"{"code":400,"message":"案件已被接管,不允许重复接管","data":null}"#, Shape::Envelope).unwrap_err();
        assert_eq!(err, UpstreamFault::Rejected { status: 400, message: "案件已被接管,不允许重复接管".into() });
        let err = read::<()>(500, r#"{"code":500,"message":"系统繁忙","data":null}"#, Shape::Envelope).unwrap_err();
        assert_eq!(err, UpstreamFault::Failed { status: 500, code: Some(500), message: "系统繁忙".into() });
        assert_eq!(read::<()>(403, "", Shape::Envelope).unwrap_err(), UpstreamFault::CredentialsRefused { status: 403 });
        assert!(matches!(read::<()>(502, "<html>", Shape::Envelope).unwrap_err(), UpstreamFault::Unreadable { status: 502, .. }));
        assert!(matches!(read::<()>(200, "<html>", Shape::Envelope).unwrap_err(), UpstreamFault::Unreadable { status: 200, .. }));
    }

    #[test]
    fn ocr_may_answer_a_bare_object() {
        let bare: Answered<OcrResult> = read(200, "{}", Shape::BareOrEnvelope).unwrap();
        assert_eq!((bare.code, bare.data.status, bare.data.files.len()), (None, None, 0));
        let wrapped: Answered<OcrResult> =
            read(200, r#"{"code":200,"message":"OCR处理已开始","data":{"caseId":"C1","status":"processing","files":[]}}"#, Shape::BareOrEnvelope).unwrap();
        assert_eq!((wrapped.message.as_str(), wrapped.data.case_id.as_deref()), ("OCR处理已开始", Some("C1")));
        let err = read::<OcrResult>(200, r#"{"code":500,"message":"OCR服务不可用","data":null}"#, Shape::BareOrEnvelope).unwrap_err();
        assert!(matches!(err, UpstreamFault::Failed { .. }));
        // Where the spec shows an envelope, a bare object is not one.
        assert!(matches!(read::<OcrResult>(200, "{}", Shape::Envelope).unwrap_err(), UpstreamFault::Unreadable { .. }));
    }

    #[test]
    fn a_key_is_released_only_when_the_backend_never_saw_the_request() {
        assert_eq!(fate_of_key(&Attempt::Unreachable), KeyFate::Release);
        assert_eq!(fate_of_key(&Attempt::NotSent), KeyFate::Release);
        assert_eq!(fate_of_key(&Attempt::TimedOut), KeyFate::OutcomeUnknown);
        assert_eq!(fate_of_key(&Attempt::Answered(UpstreamFault::Unreadable { status: 200, problem: String::new() })), KeyFate::OutcomeUnknown);
        assert_eq!(fate_of_key(&Attempt::Answered(UpstreamFault::Failed { status: 500, code: None, message: String::new() })), KeyFate::OutcomeUnknown);
        assert_eq!(fate_of_key(&Attempt::Answered(UpstreamFault::Rejected { status: 400, message: String::new() })), KeyFate::Keep);
    }
}
