//! Clink's open API as the board uses it: the knowledge-base endpoints, every
//! request's signature checked, Expires/Timestamp enforced, Clink's error codes
//! and statuses, a per-path rate limit, and switchable faults.

pub mod bot;
pub mod files;
pub mod verify;

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shared::wire::clink::kb;

use crate::knowledge::Knowledge;
use crate::log::Verdict;
use crate::rng::Rng;
use crate::state::Shared;
use verify::Refusal;

/// Fault switches (control API `POST /control/faults/clink`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ClinkFaults {
    /// Answer the next N requests with 429 TooManyRequests.
    pub burst_429: u32,
    /// Answer the next N requests with 500 InternalError.
    pub fail_500: u32,
    /// Answer the next N requests with 403 SignaturesExpired, whatever their timestamp.
    pub expire_next: u32,
    /// Delay every answer by this many milliseconds.
    pub slow_ms: u64,
    /// Requests per second allowed per path (Clink's documented ~3); 0 turns the limit off.
    pub rate_limit_per_sec: u32,
}

pub struct Conversation {
    pub id: String,
    pub user_id: i64,
    pub title: String,
    pub created: String,
    pub updated: String,
    pub messages: Vec<kb::ChatMessage>,
}

pub struct ClinkState {
    pub knowledge: Knowledge,
    /// Section 10: the bot's questions, answers, phrases and categories.
    pub bot: bot::Bot,
    pub conversations: Vec<Conversation>,
    pub faults: ClinkFaults,
    /// (AccessKeyId, AccessKeySecret) pairs the sandbox accepts.
    pub keys: Vec<(String, String)>,
    /// Recent request instants per path, for the rate limit.
    windows: HashMap<String, VecDeque<Instant>>,
    pub requests_served: u64,
    pub rejected: HashMap<String, u64>,
    /// Signatures already used: "每个请求必须具有唯一的签名" (each request must
    /// carry a unique signature), so a repeat is refused and counted.
    pub seen_signatures: std::collections::HashSet<String>,
    pub signatures_reused: u64,
}

impl ClinkState {
    pub fn new(keys: Vec<(String, String)>) -> Self {
        let knowledge = Knowledge::load();
        let bot_id = knowledge.repositories.iter().find(|r| r.bot).map(|r| r.id.to_string()).unwrap_or_default();
        Self {
            bot: bot::Bot::new(bot_id),
            knowledge,
            conversations: vec![],
            faults: ClinkFaults { rate_limit_per_sec: 3, ..Default::default() },
            keys,
            windows: HashMap::new(),
            requests_served: 0,
            rejected: HashMap::new(),
            seen_signatures: Default::default(),
            signatures_reused: 0,
        }
    }

    fn over_limit(&mut self, path: &str) -> bool {
        let limit = self.faults.rate_limit_per_sec as usize;
        if limit == 0 {
            return false;
        }
        let now = Instant::now();
        let window = self.windows.entry(path.to_owned()).or_default();
        while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            window.pop_front();
        }
        if window.len() >= limit {
            return true;
        }
        window.push_back(now);
        false
    }
}

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/media/{*key}", get(media))
        .fallback(handle)
        .with_state(state)
}

/// A request's body: JSON, or an upload's form parts.
enum Body {
    Json(Value),
    Form(Vec<files::Part>),
}

fn request_id(rng: &mut Rng) -> String {
    rng.uuid()
}

fn error(request_id: String, r: &Refusal) -> Response {
    let mut response = (
        StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        Json(json!({ "requestId": request_id, "error": { "code": r.code, "message": r.message } })),
    )
        .into_response();
    response.extensions_mut().insert(Verdict(r.code.to_owned()));
    response
}

pub(crate) fn refusal(code: &'static str, status: u16, message: impl Into<String>) -> Refusal {
    Refusal { code, status, message: message.into() }
}

async fn handle(State(state): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_owned();
    let raw_query = uri.query().unwrap_or("").to_owned();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_owned();

    let slow = state.lock().clink.faults.slow_ms;
    if slow > 0 {
        tokio::time::sleep(Duration::from_millis(slow)).await;
    }

    let mut s = state.lock();
    let rid = request_id(&mut s.world.rng);
    let clink = &mut s.clink;
    let outcome = (|| {
        let Some(endpoint) = shared::wire::clink::ENDPOINTS.iter().find(|e| e.path == path) else {
            return Err(refusal("ResourceNotFound", 404, "请求资源不存在。"));
        };
        if endpoint.method.as_str() != method.as_str() {
            return Err(refusal("HttpRequestMethodNotSupported", 405, "HTTP方法不支持。"));
        }
        let verified = verify::verify(method.as_str(), &host, &path, &raw_query, &clink.keys, chrono::Utc::now())?;
        let signature = raw_query.split('&').find_map(|p| p.strip_prefix("Signature=")).unwrap_or_default().to_owned();
        if clink.seen_signatures.len() > 200_000 {
            clink.seen_signatures.clear();
        }
        if !clink.seen_signatures.insert(signature) {
            clink.signatures_reused += 1;
            return Err(refusal("AuthFailure", 401, "身份验证失败。签名已被使用过,每个请求必须具有唯一的签名"));
        }
        if clink.faults.expire_next > 0 {
            clink.faults.expire_next -= 1;
            return Err(refusal("SignaturesExpired", 403, "签名过期"));
        }
        if clink.faults.burst_429 > 0 {
            clink.faults.burst_429 -= 1;
            return Err(refusal("TooManyRequests", 429, "请求超限"));
        }
        if clink.over_limit(&path) {
            return Err(refusal("TooManyRequests", 429, "请求超限"));
        }
        if clink.faults.fail_500 > 0 {
            clink.faults.fail_500 -= 1;
            return Err(refusal("InternalError", 500, "发生内部错误。 重试您的请求,但如果问题仍然存在,请联系技术支持。"));
        }
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if files::UPLOADS.contains(&path.as_str()) {
            if !content_type.to_ascii_lowercase().starts_with("multipart/form-data") {
                return Err(refusal("HttpMediaTypeNotSupported", 400, "上传文件请使用 multipart/form-data"));
            }
            let parts = files::parse_form(content_type, &body).map_err(|e| refusal("InvalidParameter", 400, e))?;
            return Ok((Body::Form(parts), HashMap::new()));
        }
        let json_body = if method == Method::POST {
            if !content_type.to_ascii_lowercase().starts_with("application/json") {
                return Err(refusal("HttpMediaTypeNotSupported", 400, "HttpMediaType不支持,只支持application/json"));
            }
            if body.is_empty() {
                return Err(refusal("MissingRequestBody", 400, "缺少请求body。"));
            }
            serde_json::from_slice::<Value>(&body).map_err(|e| refusal("InvalidParameter", 400, format!("请求body不是有效的JSON: {e}")))?
        } else {
            Value::Null
        };
        let query: HashMap<String, String> = verify::decode_query(&raw_query)?.into_iter().collect();
        let _ = verified;
        Ok((Body::Json(json_body), query))
    })();
    let (body, query) = match outcome {
        Ok(v) => v,
        Err(r) => {
            *clink.rejected.entry(r.code.to_owned()).or_default() += 1;
            return error(rid, &r);
        }
    };
    clink.requests_served += 1;
    let now = shared::time::format_shanghai(crate::clock::wall_ms());
    let media_base = format!("http://{host}");
    let now_s = crate::clock::wall_ms() / 1000;
    let answer = match body {
        Body::Form(parts) => files::upload(&mut s.clink.knowledge, &path, &parts, now_s),
        Body::Json(json_body) if path == "/kb/files_attachment" => {
            // The doc's answer is the file itself (a byte stream).
            return match files::attachment(&s.clink.knowledge, json_body) {
                Ok((name, bytes)) => {
                    let disposition = format!("attachment; filename*=UTF-8''{}", shared::wire::url::encode_component(&name));
                    let mut response = ([(header::CONTENT_TYPE, "application/octet-stream".to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response();
                    response.extensions_mut().insert(Verdict("verified".into()));
                    response
                }
                Err(r) => error(rid, &r),
            };
        }
        Body::Json(json_body) if bot::PATHS.contains(&path.as_str()) => s.clink.bot.dispatch(&path, &query, json_body, &now),
        Body::Json(json_body) if files::PATHS.contains(&path.as_str()) => files::dispatch(&mut s.clink.knowledge, &path, json_body),
        Body::Json(json_body) => dispatch(&mut s, &path, &query, json_body, &now, &media_base),
    };
    match answer {
        Ok(mut body) => {
            if let Value::Object(map) = &mut body {
                map.entry("requestId").or_insert(Value::String(rid));
            }
            let mut response = Json(body).into_response();
            response.extensions_mut().insert(Verdict("verified".into()));
            response
        }
        Err(r) => error(rid, &r),
    }
}

pub(crate) fn q_i64(query: &HashMap<String, String>, name: &str, default: Option<i64>) -> Result<i64, Refusal> {
    match query.get(name) {
        Some(v) => v.parse().map_err(|_| refusal("InvalidParameter", 400, format!("参数 {name} 应为整数"))),
        None => default.ok_or_else(|| refusal("MissingParameter", 400, format!("请求缺少必需参数: {name}"))),
    }
}

pub(crate) fn paging(offset: i64, limit: i64) -> Result<(), Refusal> {
    kb::validate_paging(offset, limit).map_err(|e| refusal("InvalidParameter", 400, e.to_string()))
}

pub(crate) fn body_as<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, Refusal> {
    serde_json::from_value(body).map_err(|e| refusal("InvalidParameter", 400, format!("请求参数无效: {e}")))
}

pub(crate) fn to_value<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("serialisable")
}

fn page<T: Clone>(items: &[T], offset: i64, limit: i64) -> (Vec<T>, i64, i64) {
    let total = items.len() as i64;
    let slice = items.iter().skip(offset as usize).take(limit as usize).cloned().collect();
    (slice, offset / limit.max(1) + 1, total)
}

fn dispatch(s: &mut crate::state::Sandbox, path: &str, query: &HashMap<String, String>, body: Value, now: &str, media_base: &str) -> Result<Value, Refusal> {
    let clink = &mut s.clink;
    let k = &clink.knowledge;
    match path {
        "/aikb/list_public_repositories" | "/aikb/list_private_repositories" => {
            let public = path.ends_with("public_repositories");
            let result: Vec<kb::Repository> =
                k.repositories.iter().filter(|r| !r.bot && r.public == public).map(|r| k.repository(r)).collect();
            Ok(json!({ "result": result }))
        }
        "/aikb/describe_bot_repository" => {
            let repo = k.repositories.iter().find(|r| r.bot).ok_or_else(|| refusal("ResourceNotFound", 404, "机器人知识库不存在"))?;
            Ok(json!({ "result": k.repository(repo) }))
        }
        "/aikb/list_directories" => {
            let repository_id = q_i64(query, "repositoryId", None)?;
            if !k.repositories.iter().any(|r| r.id == repository_id) {
                return Err(refusal("ResourceNotFound", 404, "知识库不存在"));
            }
            Ok(json!({ "result": k.directory_tree(repository_id, None) }))
        }
        "/kb/list_articles" => {
            let kb_type = q_i64(query, "kbType", None)?;
            let (offset, limit) = (q_i64(query, "offset", Some(0))?, q_i64(query, "limit", Some(10))?);
            paging(offset, limit)?;
            let kb_id = query.get("kbId").and_then(|v| v.parse::<i64>().ok());
            let directory_id = query.get("directoryId").and_then(|v| v.parse::<i64>().ok());
            let keyword = query.get("keyword").cloned().unwrap_or_default();
            let all: Vec<kb::Article> = k
                .articles()
                .into_iter()
                .filter(|a| a.kb_type == Some(kb_type))
                .filter(|a| kb_id.is_none_or(|id| a.kb_id == Some(id)))
                .filter(|a| directory_id.is_none_or(|id| a.directory_id == Some(id)))
                .filter(|a| keyword.is_empty() || a.title.contains(&keyword))
                .collect();
            let mut all = all;
            // Most first; the doc does not define heat, here likes and dislikes together.
            let count = |n: Option<i64>| std::cmp::Reverse(n.unwrap_or(0));
            match query.get("order").map(String::as_str).unwrap_or("NONE") {
                "NONE" => {}
                "HEAT" => all.sort_by_key(|a| count(Some(a.like_count.unwrap_or(0) + a.dislike_count.unwrap_or(0)))),
                "LIKE" => all.sort_by_key(|a| count(a.like_count)),
                "DISLIKE" => all.sort_by_key(|a| count(a.dislike_count)),
                _ => return Err(refusal("InvalidParameter", 400, format!("参数 order 的值无效 ({})", shared::wire::clink::rules::ARTICLE_ORDERS.join(", ")))),
            }
            let (articles, page_number, total) = page(&all, offset, limit);
            Ok(to_value(kb::ArticlePage { request_id: None, page_number, page_size: limit, total_count: total, articles }))
        }
        "/kb/describe_article" => {
            let id = query.get("id").cloned().ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: id"))?;
            let article = k.articles().into_iter().find(|a| a.id.to_string() == id).ok_or_else(|| refusal("ResourceNotFound", 404, "文章不存在"))?;
            Ok(to_value(kb::ArticleDetail { request_id: None, article }))
        }
        "/aikb/list_faqs" => {
            let q: kb::FaqQuery = body_as(body)?;
            q.validate().map_err(|e| refusal("InvalidParameter", 400, e.to_string()))?;
            let all: Vec<kb::Faq> = k.faqs.iter().filter(|f| f.repository_id == q.repository_id).map(|f| k.faq(f)).collect();
            let (result, page_number, total) = page(&all, q.offset, q.limit);
            Ok(to_value(kb::FaqPage { request_id: None, result, page_number, page_size: q.limit, total_count: total }))
        }
        "/aikb/search_knowledge_on_open" => {
            let q: kb::SearchRequest = body_as(body)?;
            q.validate().map_err(|e| refusal("InvalidParameter", 400, e.to_string()))?;
            let hits = k.search(&q.keyword, q.knowledge_type.as_deref(), q.repository_ids.as_deref());
            let (result, page_number, total) = page(&hits, q.offset, q.limit);
            Ok(to_value(kb::SearchPage { result, page_number, request_id: None, page_size: q.limit, total_count: total }))
        }
        "/aikb/chat_conversation_on_open" => chat(s, body, now),
        "/aikb/list_conversations" => {
            let user_id = q_i64(query, "userId", None)?;
            let (offset, limit) = (q_i64(query, "offset", Some(0))?, q_i64(query, "limit", Some(100))?);
            let all: Vec<kb::Conversation> = clink
                .conversations
                .iter()
                .rev()
                .filter(|c| c.user_id == user_id)
                .map(|c| kb::Conversation {
                    conversation_id: kb::Loose::Text(c.id.clone()),
                    title: Some(c.title.clone()),
                    create_time: Some(c.created.clone()),
                    update_time: Some(c.updated.clone()),
                })
                .collect();
            let (result, page_number, total) = page(&all, offset, limit.max(1));
            Ok(to_value(kb::ConversationPage { result, page_number, request_id: None, page_size: limit, total_count: total }))
        }
        "/aikb/describe_conversation" => {
            let id = query.get("conversationId").cloned().ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: conversationId"))?;
            let (offset, limit) = (q_i64(query, "offset", None)?, q_i64(query, "limit", None)?);
            let conv = clink.conversations.iter().find(|c| c.id == id).ok_or_else(|| refusal("ResourceNotFound", 404, "会话不存在"))?;
            let (result, page_number, total) = page(&conv.messages, offset, limit.max(1));
            Ok(to_value(kb::MessagePage { result, page_number, request_id: None, page_size: limit, total_count: total }))
        }
        "/aikb/update_conversation" => {
            let req: kb::UpdateConversationRequest = body_as(body)?;
            req.validate().map_err(|e| refusal("InvalidParameter", 400, e.to_string()))?;
            let conv = clink.conversations.iter_mut().find(|c| c.id == req.conversation_id).ok_or_else(|| refusal("ResourceNotFound", 404, "会话不存在"))?;
            conv.title = req.title;
            conv.updated = now.to_owned();
            Ok(json!({}))
        }
        "/aikb/delete_conversation" => {
            let req: kb::DeleteConversationRequest = body_as(body)?;
            let before = clink.conversations.len();
            clink.conversations.retain(|c| c.id != req.conversation_id);
            if clink.conversations.len() == before {
                return Err(refusal("ResourceNotFound", 404, "会话不存在"));
            }
            Ok(json!({}))
        }
        "/kb/create_article" => {
            let input: kb::ArticleInput = body_as(body)?;
            let status = |code: &str| if code == "ResourceNotFound" { 404 } else { 400 };
            let article = clink.knowledge.create_article(input).map_err(|(code, message)| refusal(code, status(code), message))?;
            Ok(to_value(kb::ArticleSaved { request_id: None, article }))
        }
        "/kb/update_article" => {
            let input: kb::ArticleInput = body_as(body)?;
            let status = |code: &str| if code == "ResourceNotFound" { 404 } else { 400 };
            let article = clink.knowledge.update_article(input).map_err(|(code, message)| refusal(code, status(code), message))?;
            Ok(to_value(kb::ArticleSaved { request_id: None, article }))
        }
        "/kb/delete_article" => {
            let id = body.get("id").and_then(Value::as_i64).ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: id"))?;
            let article = clink.knowledge.delete_article(id).map_err(|(code, message)| refusal(code, 404, message))?;
            Ok(to_value(kb::ArticleSaved { request_id: None, article }))
        }
        "/aikb/describe_file_media_url" => {
            let id = q_i64(query, "fileId", None)?;
            let file = k.files.iter().find(|f| f.id == id).ok_or_else(|| refusal("ResourceNotFound", 404, "文件不存在"))?;
            Ok(json!({ "url": media_url(media_base, &file.object_key, query.get("inline").map(String::as_str) == Some("true")) }))
        }
        "/aikb/describe_faq_media_url" => {
            let key = query.get("fileKey").cloned().ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: fileKey"))?;
            if !k.files.iter().any(|f| f.object_key == key) {
                return Err(refusal("ResourceNotFound", 404, "文件不存在"));
            }
            Ok(json!({ "url": media_url(media_base, &key, query.get("inline").map(String::as_str) == Some("true")) }))
        }
        "/kb/media_url" => {
            let key = query.get("fileKey").cloned().ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: fileKey"))?;
            if !k.files.iter().any(|f| f.object_key == key) {
                return Err(refusal("ResourceNotFound", 404, "文件不存在"));
            }
            Ok(json!({ "mediaUrl": media_url(media_base, &key, query.get("isDownload").map(String::as_str) != Some("true")) }))
        }
        _ => Err(refusal("UnauthorizedOperation", 403, "您无权执行此操作。请确认您的密钥ID有此权限")),
    }
}

fn media_url(base: &str, key: &str, inline: bool) -> String {
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{base}/media/{key}?Expires=1893456000&OSSAccessKeyId=SANDBOX&Signature=c2FuZGJveA%3D%3D&response-content-disposition={disposition}")
}

fn chat(s: &mut crate::state::Sandbox, body: Value, now: &str) -> Result<Value, Refusal> {
    let req: kb::ChatRequest = body_as(body)?;
    req.validate().map_err(|e| refusal("InvalidParameter", 400, e.to_string()))?;
    // Unique for the life of the process, across resets, like Clink's own ids
    // (the edge keeps who owns which id after the sandbox has forgotten it).
    static NEXT_CONVERSATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT_CONVERSATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let new_id = format!("{:016x}{:08x}{}", crate::clock::wall_ms(), n, s.world.rng.hex(8));
    let clink = &mut s.clink;
    let (content, faqs, files) = match clink.knowledge.best_faq(&req.content) {
        Some(f) => (
            f.answers.first().cloned().unwrap_or_default(),
            vec![kb::SourceFaq { id: f.id, name: f.question.clone() }],
            clink
                .knowledge
                .files
                .iter()
                .filter(|d| d.repository_id == f.repository_id)
                .take(1)
                .map(|d| kb::SourceFile { id: d.id, name: d.name.clone(), file_key: Some(d.object_key.clone()) })
                .collect::<Vec<_>>(),
        ),
        None => ("抱歉,我暂时没有找到合适的答案,您可以尝试换种方式提问".to_owned(), vec![], vec![]),
    };
    let conv_id = match &req.conversation_id {
        Some(id) => {
            if !clink.conversations.iter().any(|c| &c.id == id) {
                return Err(refusal("ResourceNotFound", 404, "会话不存在"));
            }
            id.clone()
        }
        None => {
            clink.conversations.push(Conversation {
                id: new_id.clone(),
                user_id: req.user_id,
                title: req.content.chars().take(10).collect(),
                created: now.to_owned(),
                updated: now.to_owned(),
                messages: vec![],
            });
            new_id
        }
    };
    let conv = clink.conversations.iter_mut().find(|c| c.id == conv_id).expect("exists");
    conv.updated = now.to_owned();
    conv.messages.push(kb::ChatMessage { content: req.content.clone(), create_time: Some(now.to_owned()), role: kb::ChatRole::User, files: None, faqs: None });
    let reply = kb::ChatReply {
        conversation_id: kb::Loose::Text(conv_id),
        content: content.clone(),
        create_time: Some(now.to_owned()),
        files: Some(files.clone()),
        faqs: Some(faqs.clone()),
    };
    conv.messages.push(kb::ChatMessage { content, create_time: Some(now.to_owned()), role: kb::ChatRole::Bot, files: Some(files), faqs: Some(faqs) });
    Ok(json!({ "result": reply }))
}

/// Serves a knowledge file's text, as OSS would serve the file.
async fn media(State(state): State<Shared>, axum::extract::Path(key): axum::extract::Path<String>) -> Response {
    let s = state.lock();
    match s.clink.knowledge.files.iter().find(|f| f.object_key == key) {
        // An uploaded file is served as it came; the seed's as their text.
        Some(f) => match &f.bytes {
            Some(bytes) => {
                let mime = shared::wire::clink::rules::UPLOAD_TYPES.iter().find(|(e, _)| *e == f.kind).map_or("application/octet-stream", |(_, m)| m);
                // A text file that is UTF-8 says so, as an object stored with its charset is served.
                let mime = if mime.starts_with("text/") && std::str::from_utf8(bytes).is_ok() { format!("{mime}; charset=utf-8") } else { mime.to_owned() };
                ([(header::CONTENT_TYPE, mime)], bytes.clone()).into_response()
            }
            None => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], format!("{}\n\n{}", f.name, f.content)).into_response(),
        },
        None => (StatusCode::NOT_FOUND, "NoSuchKey").into_response(),
    }
}
