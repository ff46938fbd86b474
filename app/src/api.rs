//! One fetch helper for the edge's JSON API. Every call carries the session
//! token; a request is aborted when the component that started it is cleaned
//! up; a 401 ends the session (the sign-in screen, or the host portal, takes over).

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::session::Session;

/// Why a call failed, in words a mediator can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiFailure {
    /// HTTP status; 0 when the network failed.
    pub status: u16,
    pub message: String,
    pub field: Option<String>,
    /// The edge's error code (`outcome_unknown`, `upstream_rejected`, …); empty without one.
    pub code: String,
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.status == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} (HTTP {})", self.message, self.status)
        }
    }
}

impl std::error::Error for ApiFailure {}

fn network(message: impl Into<String>) -> ApiFailure {
    ApiFailure { status: 0, message: message.into(), field: None, code: String::new() }
}

/// Calls the edge as the signed-in user.
#[derive(Clone, Copy)]
pub struct Api {
    session: Session,
}

pub fn use_api() -> Api {
    Api { session: leptos::prelude::expect_context::<Session>() }
}

impl Api {
    pub fn new(session: Session) -> Self {
        Self { session }
    }

    /// GET for a view: aborted if the view that asked is cleaned up first.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        let text = self.send("GET", path, None, None, true).await?;
        parse(&text)
    }

    pub async fn post<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let text = self.send("POST", path, Some(body), None, false).await?;
        parse(&text)
    }

    /// POST with an `Idempotency-Key` (placing a call).
    pub async fn post_once<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B, key: &str) -> Result<T, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let text = self.send("POST", path, Some(body), Some(key), false).await?;
        parse(&text)
    }

    async fn send(&self, method: &str, path: &str, body: Option<String>, key: Option<&str>, abortable: bool) -> Result<String, ApiFailure> {
        let response = self.fetch(method, path, body, key, abortable).await?;
        let text = JsFuture::from(response.text().map_err(|_| network("unreadable body"))?)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        Ok(text)
    }

    /// `abortable`: reads are aborted when the view that asked goes away;
    /// actions (POSTs) always run to the end, so their outcome is never lost.
    async fn fetch(&self, method: &str, path: &str, body: Option<String>, key: Option<&str>, abortable: bool) -> Result<web_sys::Response, ApiFailure> {
        let window = web_sys::window().ok_or_else(|| network("no window"))?;
        let controller = if abortable { web_sys::AbortController::new().ok() } else { None };
        let signal = controller.as_ref().map(|c| c.signal());
        if controller.is_some() {
            let abort_on_cleanup = send_wrapper::SendWrapper::new(controller);
            leptos::prelude::on_cleanup(move || {
                if let Some(c) = abort_on_cleanup.take() {
                    c.abort();
                }
            });
        }

        let init = web_sys::RequestInit::new();
        init.set_method(method);
        if let Some(signal) = &signal {
            init.set_signal(Some(signal));
        }
        let headers = web_sys::Headers::new().map_err(|_| network("headers"))?;
        let _ = headers.set("Accept", "application/json");
        if let Some(token) = self.session.token_untracked() {
            let _ = headers.set("Authorization", &format!("Bearer {token}"));
        }
        if let Some(key) = key {
            let _ = headers.set("Idempotency-Key", key);
        }
        if let Some(body) = &body {
            let _ = headers.set("Content-Type", "application/json");
            init.set_body(&wasm_bindgen::JsValue::from_str(body));
        }
        init.set_headers(&headers);

        let url = format!("{}{}", crate::session::api_base(), path);
        let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .map_err(|_| network(crate::session::offline_message()))?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| network("not a response"))?;
        let status = response.status();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let text = JsFuture::from(response.text().map_err(|_| network("unreadable body"))?)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let error = serde_json::from_str::<ApiError>(&text).ok();
        let failure = ApiFailure {
            status,
            message: error.as_ref().map(|e| e.error.message.clone()).unwrap_or_else(|| format!("服务器错误 / server error (HTTP {status})")),
            code: error.as_ref().map(|e| e.error.code.clone()).unwrap_or_default(),
            field: error.and_then(|e| e.error.field),
        };
        if status == 401 {
            self.session.expire(&failure.message);
        }
        Err(failure)
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiFailure> {
    serde_json::from_str(text).map_err(|e| ApiFailure { status: 200, message: format!("无法解析服务器数据 / unreadable answer ({e})"), field: None, code: String::new() })
}

/// A fresh idempotency key for one submit.
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{}", js_sys::Date::now() as u64))
}
