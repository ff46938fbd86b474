//! TI-Net Clink AICC open API, `../shared/specs/clink-aicc-api.txt`:
//! the response envelope and errors, the documented endpoints, the
//! knowledge-base types, and the request signer.

pub mod kb;
pub mod rules;
pub mod sign;

use serde::{Deserialize, Serialize};

use crate::open_enum::open_enum;
pub use sign::Method;

open_enum! {
    /// Clink's documented error codes (section 2.4).
    pub enum ErrorCode {
        AuthFailure = "AuthFailure",
        InvalidParameter = "InvalidParameter",
        MissingParameter = "MissingParameter",
        ResourceNotFound = "ResourceNotFound",
        MissingRequestBody = "MissingRequestBody",
        MissingAuthenticationToken = "MissingAuthenticationToken",
        HttpMediaTypeNotSupported = "HttpMediaTypeNotSupported",
        HttpRequestMethodNotSupported = "HttpRequestMethodNotSupported",
        UnauthorizedOperation = "UnauthorizedOperation",
        UnknownParameter = "UnknownParameter",
        SignaturesExpired = "SignaturesExpired",
        TooManyRequests = "TooManyRequests",
        InternalError = "InternalError",
    }
}

impl ErrorCode {
    /// The HTTP status the doc gives for the code (500 for codes it does not list).
    pub fn http_status(&self) -> u16 {
        use ErrorCode::*;
        match self {
            AuthFailure => 401,
            InvalidParameter | MissingParameter | MissingRequestBody | MissingAuthenticationToken
            | HttpMediaTypeNotSupported | UnknownParameter => 400,
            ResourceNotFound => 404,
            HttpRequestMethodNotSupported => 405,
            UnauthorizedOperation | SignaturesExpired => 403,
            TooManyRequests => 429,
            InternalError | Other(_) => 500,
        }
    }

    /// The doc's message for the code.
    pub fn default_message(&self) -> &'static str {
        use ErrorCode::*;
        match self {
            AuthFailure => "身份验证失败。",
            InvalidParameter => "请求中指定的参数无效,不受支持或无法使用。",
            MissingParameter => "请求缺少必需参数。",
            ResourceNotFound => "请求资源不存在。",
            MissingRequestBody => "缺少请求body。",
            MissingAuthenticationToken => "请求必须包含有效的访问密钥ID。",
            HttpMediaTypeNotSupported => "HttpMediaType不支持,只支持application/json",
            HttpRequestMethodNotSupported => "HTTP方法不支持。",
            UnauthorizedOperation => "您无权执行此操作。请确认您的密钥ID有此权限",
            UnknownParameter => "提供了未知或未识别的参数。",
            SignaturesExpired => "签名过期",
            TooManyRequests => "请求超限",
            InternalError | Other(_) => "发生内部错误。 重试您的请求,但如果问题仍然存在,请联系技术支持。",
        }
    }

    /// Whether a retry of the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, ErrorCode::TooManyRequests | ErrorCode::InternalError | ErrorCode::SignaturesExpired)
    }
}

/// `error` of a failed call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}

/// A failed call's body: `{"requestId": "…", "error": {"code": "…", "message": "…"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    pub request_id: Option<String>,
    pub error: ErrorDetail,
}

impl ErrorResponse {
    pub fn new(request_id: impl Into<String>, code: ErrorCode) -> Self {
        let message = code.default_message().to_owned();
        Self { request_id: Some(request_id.into()), error: ErrorDetail { code, message } }
    }

    /// Reads an error body; `None` when the body is not Clink's error shape.
    pub fn parse(body: &str) -> Option<Self> {
        serde_json::from_str(body).ok()
    }
}

/// The smallest successful body: `{"requestId": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ack {
    pub request_id: Option<String>,
}

/// The doc's generic paging example (`objects`); most endpoints name the list
/// differently, see [`kb`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub request_id: Option<String>,
    pub page_number: i64,
    pub page_size: i64,
    pub total_count: i64,
    pub objects: Vec<T>,
}

/// The body of the doc's POST signing example (`POST /cc/online`, 2.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnlineRequest {
    pub qno: String,
    pub cnos: Vec<String>,
    pub bind_tel: String,
    pub bind_type: i64,
    pub status: i64,
}

/// One documented endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    /// Changes the knowledge base or the bot (only `admin` may call it through the edge).
    pub management: bool,
}

const fn ep(method: Method, path: &'static str, management: bool) -> Endpoint {
    Endpoint { method, path, management }
}

/// Every endpoint in the doc, in its order.
pub const ENDPOINTS: &[Endpoint] = &[
    ep(Method::Get, "/aikb/list_public_repositories", false),
    ep(Method::Get, "/aikb/list_private_repositories", false),
    ep(Method::Get, "/aikb/describe_bot_repository", false),
    ep(Method::Get, "/aikb/list_directories", false),
    ep(Method::Post, "/kb/create_article", true),
    ep(Method::Post, "/kb/update_article", true),
    ep(Method::Post, "/kb/delete_article", true),
    ep(Method::Get, "/kb/list_articles", false),
    ep(Method::Get, "/kb/describe_article", false),
    ep(Method::Post, "/aikb/list_faqs", false),
    ep(Method::Post, "/aikb/chat_conversation_on_open", false),
    ep(Method::Get, "/aikb/list_conversations", false),
    ep(Method::Get, "/aikb/describe_conversation", false),
    ep(Method::Post, "/aikb/update_conversation", false),
    ep(Method::Post, "/aikb/delete_conversation", false),
    ep(Method::Post, "/aikb/search_knowledge_on_open", false),
    ep(Method::Get, "/aikb/describe_file_media_url", false),
    ep(Method::Get, "/aikb/describe_faq_media_url", false),
    ep(Method::Get, "/kb/page_standard_question", true),
    ep(Method::Get, "/kb/list_standard_question", true),
    ep(Method::Post, "/kb/create_standard_question", true),
    ep(Method::Post, "/kb/update_standard_question", true),
    ep(Method::Post, "/kb/delete_standard_question", true),
    ep(Method::Get, "/kb/list_answer", true),
    ep(Method::Post, "/kb/create_answer", true),
    ep(Method::Post, "/kb/update_answer", true),
    ep(Method::Post, "/kb/delete_answer", true),
    ep(Method::Get, "/kb/list_corpus", true),
    ep(Method::Post, "/kb/create_corpus", true),
    ep(Method::Post, "/kb/update_corpus", true),
    ep(Method::Post, "/kb/delete_corpus", true),
    ep(Method::Post, "/kb/create_category", true),
    ep(Method::Post, "/kb/update_category", true),
    ep(Method::Post, "/kb/delete_category", true),
    ep(Method::Get, "/kb/media_url", false),
    ep(Method::Post, "/kb/files_list", true),
    ep(Method::Post, "/kb/files", true),
    ep(Method::Post, "/kb/files_update", true),
    ep(Method::Post, "/kb/files_delete", true),
    ep(Method::Post, "/kb/files_attachment", true),
];

/// Looks up a documented endpoint by method and path.
pub fn find_endpoint(method: Method, path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.method == method && e.path == path)
}

/// Whether any method is documented for the path (to tell 405 from 404).
pub fn path_is_documented(path: &str) -> bool {
    ENDPOINTS.iter().any(|e| e.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_statuses_follow_the_doc() {
        assert_eq!(ErrorCode::AuthFailure.http_status(), 401);
        assert_eq!(ErrorCode::SignaturesExpired.http_status(), 403);
        assert_eq!(ErrorCode::TooManyRequests.http_status(), 429);
        assert_eq!(ErrorCode::MissingAuthenticationToken.http_status(), 400);
        assert_eq!(ErrorCode::HttpRequestMethodNotSupported.http_status(), 405);
        assert_eq!(ErrorCode::parse("SomethingNew").http_status(), 500);
        assert_eq!(ErrorCode::KNOWN.len(), 13);
    }

    #[test]
    fn endpoint_catalogue() {
        assert_eq!(ENDPOINTS.len(), 40);
        assert!(find_endpoint(Method::Post, "/aikb/search_knowledge_on_open").is_some());
        assert!(find_endpoint(Method::Get, "/aikb/search_knowledge_on_open").is_none());
        assert!(path_is_documented("/aikb/search_knowledge_on_open"));
        assert!(find_endpoint(Method::Post, "/kb/create_article").unwrap().management);
        let mut paths: Vec<_> = ENDPOINTS.iter().map(|e| e.path).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), ENDPOINTS.len(), "a path is listed twice");
    }
}
