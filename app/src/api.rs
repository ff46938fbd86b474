//! One fetch helper for the edge's JSON API. A request is aborted when the
//! component that started it is cleaned up.

use serde::de::DeserializeOwned;
use shared::api::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a call failed, in words a mediator can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiFailure {
    pub status: u16,
    pub message: String,
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.status == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{} ({})", self.message, self.status)
        }
    }
}

impl std::error::Error for ApiFailure {}

fn network(message: impl Into<String>) -> ApiFailure {
    ApiFailure { status: 0, message: message.into() }
}

/// `GET` a JSON document from the edge.
pub async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    let window = web_sys::window().ok_or_else(|| network("no window"))?;
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let abort_on_cleanup = send_wrapper::SendWrapper::new(controller);
    leptos::prelude::on_cleanup(move || {
        if let Some(c) = abort_on_cleanup.take() {
            c.abort();
        }
    });

    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    if let Some(signal) = &signal {
        init.set_signal(Some(signal));
    }
    let headers = web_sys::Headers::new().map_err(|_| network("headers"))?;
    let _ = headers.set("Accept", "application/json");
    init.set_headers(&headers);

    let response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| network("网络连接失败 (network error)"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| network("not a response"))?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(|_| network("unreadable body"))?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| ApiFailure { status, message: format!("无法解析服务器数据 ({e})") })
    } else {
        let message = serde_json::from_str::<ApiError>(&text)
            .map(|e| e.error.message)
            .unwrap_or_else(|_| format!("服务器错误 (HTTP {status})"));
        Err(ApiFailure { status, message })
    }
}
