//! `GET|POST /api/clink/<path>`: forwards any documented Clink path (the
//! allow-list is `shared::wire::clink::ENDPOINTS`; management paths for admins only),
//! signed with the shared signer, a fresh Timestamp and signature on every
//! attempt. TooManyRequests → bounded retries with backoff and jitter, and
//! outgoing pacing of about 3 requests/s per path; SignaturesExpired → one
//! re-signed retry; other errors pass through with Clink's code, message and
//! requestId. The browser never sees the AccessKeyId or the secret. A
//! relayed answer's `Server-Timing` says how long Clink took as the edge saw
//! it, how long the request waited for its slot, and how many attempts came
//! before it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use shared::wire::api::{ApiError, ErrorCode};
use shared::wire::clink::sign::{Method as SignMethod, QueryValue, COMMON_PARAMS};
use shared::wire::clink::{self, find_endpoint, path_is_documented, rules, ErrorResponse};
use shared::wire::session::Claims;
use wasm_bindgen::{JsCast, JsValue};
use worker::{Context, Delay, Headers, Method, Request, RequestInit, Response, ResponseBody, RouteContext};

use crate::auth::{self, now_ms};
use crate::config;
use crate::http::{Failure, Reply};
use crate::upstream::{fetch_with_timeout, transport_failure, TIMEOUT};

/// Spacing between requests to one path (about 3 per second).
const PACE_MS: f64 = 340.0;
/// Longest a request waits for its turn before the edge gives up.
const MAX_QUEUE_MS: f64 = 5_000.0;
/// Retries after TooManyRequests.
const MAX_RATE_RETRIES: u32 = 3;
/// Largest JSON body forwarded.
const MAX_BODY: usize = 64 * 1024;

thread_local! {
    /// Per path: when the next request may leave (ms since the epoch). Per
    /// isolate: each Worker instance paces its own traffic.
    static NEXT_SLOT: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
    /// Per path: the second and `Expires` of the last signature made.
    static LAST_SIGNED: RefCell<HashMap<String, (i64, u32)>> = RefCell::new(HashMap::new());
}

/// The `Expires` to sign with at `second`: the configured one, or, when this
/// isolate already signed for `path` in the same second (paced requests come
/// about three a second, and a POST's body is not signed), one less than
/// last time, so every signature differs as Clink requires.
fn expires_for(path: &str, second: i64, configured: u32) -> u32 {
    LAST_SIGNED.with(|last| {
        let mut last = last.borrow_mut();
        let expires = match last.get(path) {
            Some((s, e)) if *s == second => e.saturating_sub(1).max(1),
            _ => configured,
        };
        last.insert(path.to_owned(), (second, expires));
        expires
    })
}

/// Waits for this path's next slot; how long it waited (milliseconds).
async fn pace(path: &str) -> Result<i64, Failure> {
    let now = now_ms() as f64;
    let slot = NEXT_SLOT.with(|slots| {
        let mut slots = slots.borrow_mut();
        let next = slots.get(path).copied().unwrap_or(0.0).max(now);
        slots.insert(path.to_owned(), next + PACE_MS);
        next
    });
    let wait = slot - now;
    if wait > MAX_QUEUE_MS {
        return Err(Failure::new(429, ErrorCode::parse("TooManyRequests"), "知识库请求过于频繁,请稍后再试 (too many queued requests)"));
    }
    if wait > 0.0 {
        Delay::from(Duration::from_millis(wait as u64)).await;
    }
    Ok(wait.max(0.0) as i64)
}

/// Paths that carry the caller's Clink `userId` (set by the edge, from the
/// id allocated to the board user in D1: never derived from the name).
const USER_SCOPED: [&str; 3] = ["/aikb/chat_conversation_on_open", "/aikb/search_knowledge_on_open", "/aikb/list_conversations"];
/// Paths naming a conversation: only its owner may use them, and an id the
/// edge has never seen is refused like someone else's.
const CONVERSATION_SCOPED: [&str; 4] =
    ["/aikb/describe_conversation", "/aikb/update_conversation", "/aikb/delete_conversation", "/aikb/chat_conversation_on_open"];

pub async fn relay(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::require(&req, &ctx.env)?;
    let rest = ctx.param("path").cloned().unwrap_or_default();
    let path = format!("/{}", rest.trim_start_matches('/'));
    let method = match req.method() {
        Method::Get => SignMethod::Get,
        Method::Post => SignMethod::Post,
        _ => return Err(Failure::new(405, ErrorCode::MethodNotAllowed, "只支持 GET 和 POST")),
    };
    let Some(endpoint) = find_endpoint(method, &path) else {
        return Err(if path_is_documented(&path) {
            Failure::new(405, ErrorCode::MethodNotAllowed, format!("{path} 不支持 {}", method.as_str()))
        } else {
            Failure::not_found(&format!("不是已知的知识库接口 (not a documented Clink path: {path})"))
        });
    };
    auth::allow(&claims, if endpoint.management { shared::wire::access::Op::ClinkManage } else { shared::wire::access::Op::ClinkRead })?;
    let signer = config::clink_signer(&ctx.env).map_err(|e| Failure::setting(&e))?;

    let mut query: Vec<(String, QueryValue)> = vec![];
    for (name, value) in crate::http::query(&req)?.0 {
        if COMMON_PARAMS.contains(&name.as_str()) {
            return Err(Failure::field(&shared::FieldError::new(name, "is set by the edge, not the caller")));
        }
        query.push((name, QueryValue::One(value)));
    }
    if UPLOADS.contains(&path.as_str()) {
        if !query.is_empty() {
            return Err(Failure::field(&shared::FieldError::new("query", "an upload carries its fields in the form")));
        }
        let form = read_upload(&req, &path).await?;
        return forward(&signer, method, &path, &[], Some(Body::Form(&form)), &claims).await;
    }
    let scoped = USER_SCOPED.contains(&path.as_str());
    let db = crate::store::db(&ctx.env)?;
    let user_id = if scoped { Some(crate::store::clink_user_id(&db, &claims.sub).await?) } else { None };
    let body = match method {
        SignMethod::Get => {
            if let Some(id) = user_id {
                query.retain(|(n, _)| n != "userId");
                query.push(("userId".into(), QueryValue::One(id.to_string())));
            }
            None
        }
        SignMethod::Post => {
            if !query.is_empty() {
                return Err(Failure::field(&shared::FieldError::new("query", "a POST carries its parameters in the JSON body")));
            }
            let mut body: Value = crate::http::read_json(&mut req, MAX_BODY).await?;
            if let Some(id) = user_id {
                let Value::Object(map) = &mut body else {
                    return Err(Failure::field(&shared::FieldError::new("body", "must be a JSON object")));
                };
                map.insert("userId".into(), Value::from(id));
            }
            Some(body)
        }
    };
    // A chat's first message names no conversation (Clink makes one).
    let names_conversation = path != "/aikb/chat_conversation_on_open" || body.as_ref().is_some_and(|b| !b["conversationId"].is_null());
    if CONVERSATION_SCOPED.contains(&path.as_str()) && names_conversation {
        let named = match &body {
            Some(b) => b.get("conversationId").and_then(Value::as_str).map(str::to_owned),
            None => query.iter().find(|(n, _)| n == "conversationId").and_then(|(_, v)| match v {
                QueryValue::One(v) => Some(v.clone()),
                QueryValue::Many(_) => None,
            }),
        };
        let Some(id) = named.filter(|id| !id.trim().is_empty()) else {
            return Err(Failure::field(&shared::FieldError::new("conversationId", "is required")));
        };
        // Someone else's, or one the edge never handed out: the same answer.
        if crate::store::conversation_owner(&db, &id).await?.as_deref() != Some(claims.sub.as_str()) {
            return Err(Failure::not_found("没有这个会话 (no such conversation)"));
        }
    }
    // The documented rules, before anything is signed or sent.
    let plain: Vec<(String, String)> = query
        .iter()
        .filter_map(|(n, v)| match v {
            QueryValue::One(v) => Some((n.clone(), v.clone())),
            QueryValue::Many(_) => None,
        })
        .collect();
    shared::wire::clink::rules::check(&path, &plain, body.as_ref()).map_err(|e| Failure::field(&e))?;
    let body_text = body.as_ref().map(Value::to_string);
    let response = forward(&signer, method, &path, &query, body_text.as_deref().map(Body::Json), &claims).await?;
    match path.as_str() {
        "/aikb/chat_conversation_on_open" | "/aikb/list_conversations" => remember_conversations(&db, response, &claims.sub).await,
        _ => Ok(response),
    }
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Notes who owns the conversations an answer names: a chat's, or those
/// Clink lists for the user's own `userId`. The answer goes on as
/// [`forward`] wrote it (its body, type and timing).
async fn remember_conversations(db: &worker::D1Database, response: Response, user: &str) -> Reply {
    let answer = match response.body() {
        ResponseBody::Body(bytes) => serde_json::from_slice::<Value>(bytes).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let ids: Vec<String> = match &answer["result"] {
        Value::Array(items) => items.iter().filter_map(|c| id_text(&c["conversationId"])).collect(),
        one => id_text(&one["conversationId"]).into_iter().collect(),
    };
    for id in ids {
        crate::store::own_conversation(db, &id, user).await?;
    }
    Ok(response)
}

/// The file library's uploads: a multipart form in, the same form out.
const UPLOADS: [&str; 2] = ["/kb/files", "/kb/files_update"];

/// What a request carries to Clink.
enum Body<'a> {
    Json(&'a str),
    /// The runtime writes the multipart body and its boundary.
    Form(&'a web_sys::FormData),
}

/// Reads an upload's form and checks it (`rules::check_upload`) before
/// anything leaves: its fields by name, the file's name, type and size. The
/// answer is a new form with the same fields and file.
async fn read_upload(req: &Request, path: &str) -> Result<web_sys::FormData, Failure> {
    let refuse = |field: &str, problem: &str| Failure::field(&shared::FieldError::new(field, problem));
    let unreadable = || refuse("body", "is not a readable multipart form");
    let content_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(refuse("body", "an upload is multipart/form-data with its fields and the file"));
    }
    // Refused before it is read, when the sender says how large it is.
    let declared = req.headers().get("Content-Length")?.and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    if declared > rules::MAX_UPLOAD_BYTES + 64 * 1024 {
        let mut too_large = Failure::new(413, ErrorCode::TooLarge, format!("文件过大,最大 {} MB (the file is too large)", rules::MAX_UPLOAD_BYTES / 1024 / 1024));
        too_large.body.error.field = Some("file".into());
        return Err(too_large);
    }
    let promise = req.inner().form_data().map_err(|_| unreadable())?;
    let form: web_sys::FormData = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| unreadable())?.unchecked_into();
    let mut fields = vec![];
    let mut file = None;
    for entry in js_sys::try_iter(&form).ok().flatten().ok_or_else(unreadable)? {
        let pair: js_sys::Array = entry.map_err(|_| unreadable())?.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        match value.as_string() {
            Some(text) => fields.push((name, text)),
            None if name == "file" && file.is_none() => file = Some(value.unchecked_into::<web_sys::File>()),
            None => return Err(refuse(&name, "is a file; only `file` may be one")),
        }
    }
    let upload = file.as_ref().map(|f| rules::UploadFile { name: f.name(), content_type: f.type_(), size: f.size() as u64 });
    rules::check_upload(path, &fields, upload.as_ref()).map_err(|e| Failure::field(&e))?;
    // The same fields (trimmed, as checked) and file, in a form of our own.
    let build = || -> Result<web_sys::FormData, JsValue> {
        let out = web_sys::FormData::new()?;
        for (name, value) in &fields {
            out.append_with_str(name, value.trim())?;
        }
        if let Some(f) = &file {
            out.append_with_blob_and_filename("file", f, &f.name())?;
        }
        Ok(out)
    };
    build().map_err(|_| Failure::new(500, ErrorCode::Internal, "服务内部错误:无法转发上传的文件 (internal error: the upload could not be forwarded)"))
}

async fn forward(signer: &shared::wire::clink::sign::Signer, method: SignMethod, path: &str, query: &[(String, QueryValue)], body: Option<Body<'_>>, _who: &Claims) -> Reply {
    let paced = pace(path).await?;
    let mut rate_retries = 0;
    let mut resigned = false;
    let mut last_second = None;
    loop {
        // Clink wants a unique signature per request, and the Timestamp has
        // whole seconds: a retry in the same second waits for the next one.
        let mut now = now_ms();
        if last_second == Some(now / 1000) {
            Delay::from(Duration::from_millis((1000 - now % 1000) as u64 + 1)).await;
            now = now_ms();
        }
        last_second = Some(now / 1000);
        let mut signer = signer.clone();
        signer.expires = shared::wire::clink::sign::Expires::new(expires_for(path, now / 1000, signer.expires.seconds())).map_err(|e| Failure::field(&e))?;
        let signed = signer.sign(method, path, query, now / 1000).map_err(|e| Failure::field(&e))?;
        let headers = Headers::new();
        headers.set("Accept", "application/json")?;
        let mut init = RequestInit::new();
        match &body {
            // The runtime sets a form's Content-Type, with its boundary.
            Some(Body::Form(form)) => {
                init.with_body(Some(JsValue::from(*form)));
            }
            json => {
                headers.set("Content-Type", "application/json; charset=UTF-8")?;
                if let Some(Body::Json(b)) = json {
                    init.with_body(Some((*b).into()));
                }
            }
        }
        init.with_method(if method == SignMethod::Get { Method::Get } else { Method::Post }).with_headers(headers);
        let sent = now_ms();
        let response = fetch_with_timeout(Request::new_with_init(&signed.url, &init)?, TIMEOUT)
            .await
            .map_err(|t| {
                worker::console_warn!("clink: {t:?}");
                transport_failure(&t, "知识库服务")
            })?;
        let status = response.status_code();
        if (200..300).contains(&status) {
            let content_type = response.headers().get("Content-Type")?.unwrap_or_default();
            let bytes = crate::bodies::whole(&response).await?;
            let timing = server_timing(now_ms() - sent, paced, rate_retries + u32::from(resigned));
            let out = Response::from_bytes(bytes)?;
            out.headers().set("Content-Type", if content_type.is_empty() { "application/json" } else { &content_type })?;
            out.headers().set("Cache-Control", "no-store")?;
            out.headers().set("Server-Timing", &timing)?;
            return Ok(out);
        }
        let text = crate::bodies::whole_text(&response).await.unwrap_or_default();
        let error = ErrorResponse::parse(&text);
        let code = error.as_ref().map(|e| e.error.code.clone());
        match code {
            Some(clink::ErrorCode::TooManyRequests) if rate_retries < MAX_RATE_RETRIES => {
                rate_retries += 1;
                let jitter = js_sys::Math::random() * 250.0;
                let backoff = 300.0 * 2f64.powi(rate_retries as i32 - 1) + jitter;
                Delay::from(Duration::from_millis(backoff as u64)).await;
            }
            Some(clink::ErrorCode::SignaturesExpired) if !resigned => resigned = true,
            _ => return Err(clink_failure(status, error)),
        }
    }
}

/// Where a relayed request's time went: Clink's answer as the edge saw it
/// (the last attempt, sent to read), the wait for the path's slot, and how
/// many attempts came before (rate-limited or re-signed).
fn server_timing(upstream_ms: i64, paced_ms: i64, retries: u32) -> String {
    let mut timing = format!("upstream;dur={upstream_ms}");
    if paced_ms > 0 {
        timing.push_str(&format!(", pace;dur={paced_ms}"));
    }
    if retries > 0 {
        timing.push_str(&format!(", retries;desc={retries}"));
    }
    timing
}

fn clink_failure(status: u16, error: Option<ErrorResponse>) -> Failure {
    match error {
        Some(e) => {
            // Clink refusing the edge's own key is a server problem, not the user's session.
            let status = match e.error.code {
                clink::ErrorCode::AuthFailure | clink::ErrorCode::MissingAuthenticationToken | clink::ErrorCode::SignaturesExpired => 502,
                _ => status,
            };
            let mut body = ApiError::new(ErrorCode::parse(e.error.code.as_str()), e.error.message);
            body.error.request_id = e.request_id;
            Failure { status, body }
        }
        None => crate::upstream::unreadable("知识库服务", status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_in_one_second_are_signed_with_different_expiries() {
        let seen: Vec<u32> = (0..4).map(|_| expires_for("/aikb/search_knowledge_on_open", 1_800_000_000, 600)).collect();
        assert_eq!(seen, [600, 599, 598, 597]);
        // Another path, or the next second, starts again at the setting.
        assert_eq!(expires_for("/aikb/list_faqs", 1_800_000_000, 600), 600);
        assert_eq!(expires_for("/aikb/search_knowledge_on_open", 1_800_000_001, 600), 600);
        // Never below one second.
        for _ in 0..5 {
            assert!(expires_for("/kb/x", 1_800_000_002, 2) >= 1);
        }
    }

    #[test]
    fn the_timing_names_the_wait_and_the_retries_only_when_there_were_some() {
        assert_eq!(server_timing(3, 0, 0), "upstream;dur=3");
        assert_eq!(server_timing(4, 340, 0), "upstream;dur=4, pace;dur=340");
        assert_eq!(server_timing(5, 0, 2), "upstream;dur=5, retries;desc=2");
    }

    #[test]
    fn an_unreadable_answer_says_what_happened_and_what_to_do() {
        let f = clink_failure(200, None);
        assert_eq!((f.status, f.body.error.code.as_str()), (502, "upstream_invalid"));
        assert!(f.body.error.message.starts_with("知识库服务返回了无法解析的数据 (HTTP 200),请稍后重试;如果一再出现,请联系管理员"), "{}", f.body.error.message);
    }

    #[test]
    fn only_the_documented_conversation_paths_are_owner_checked() {
        for p in CONVERSATION_SCOPED {
            assert!(shared::wire::clink::path_is_documented(p), "{p}");
        }
        for p in USER_SCOPED {
            assert!(shared::wire::clink::path_is_documented(p), "{p}");
        }
    }
}
