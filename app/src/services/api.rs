//! One fetch helper for the edge's JSON API (gloo-net). Every call carries the session
//! token; a request is aborted when the component that started it is cleaned
//! up; a 401 ends the session (the sign-in screen, or the host portal, takes over).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::wire::api::{ApiError, ErrorCode};

use crate::services::session::Session;

/// Why a call failed, in words a mediator can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiFailure {
    /// HTTP status; 0 when the network failed.
    pub status: u16,
    pub message: String,
    pub field: Option<String>,
    /// The edge's error code; an empty `Other` without one.
    pub code: ErrorCode,
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

/// How long a read may take before it is asked once more: longer than the
/// edge's own wait for the backend, so only a stalled connection hits it.
pub const READ_TIMEOUT: Duration = Duration::from_secs(15);
/// The same for the whole board, whose answer grows with the centre's cases
/// (3 MB compressed at 100,000, which the backend takes seconds to write).
pub const LARGE_READ_TIMEOUT: Duration = Duration::from_secs(60);

fn network(message: impl Into<String>) -> ApiFailure {
    ApiFailure { status: 0, message: message.into(), field: None, code: ErrorCode::default() }
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
        let text = self.send(Method::GET, path, None, None, None, Some(READ_TIMEOUT)).await?;
        parse(&text)
    }

    /// [`Api::get`] for an answer that grows with the data (the whole board):
    /// asked once more only after [`LARGE_READ_TIMEOUT`].
    pub async fn get_large<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        let text = self.send(Method::GET, path, None, None, None, Some(LARGE_READ_TIMEOUT)).await?;
        parse(&text)
    }

    pub async fn post<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let text = self.send(Method::POST, path, Some(body), None, None, None).await?;
        parse(&text)
    }

    pub async fn put<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let text = self.send(Method::PUT, path, Some(body), None, None, None).await?;
        parse(&text)
    }

    /// DELETE; the answer's body is not read.
    pub async fn delete(&self, path: &str) -> Result<(), ApiFailure> {
        self.send(Method::DELETE, path, None, None, None, None).await.map(|_| ())
    }

    /// POST with an `Idempotency-Key` (placing a call), and the bulk run it is part of.
    pub async fn post_once<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B, key: &str, run: Option<&str>) -> Result<T, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let text = self.send(Method::POST, path, Some(body), Some(key), run, None).await?;
        parse(&text)
    }

    /// `read` (a read's timeout): reads are aborted when the view that asked
    /// goes away, and one that gets no whole answer within its timeout (a
    /// stalled connection) is asked once more; actions (`None`: POSTs)
    /// always run to the end, so their outcome is never lost.
    async fn send(&self, method: Method, path: &str, body: Option<String>, key: Option<&str>, run: Option<&str>, read: Option<Duration>) -> Result<String, ApiFailure> {
        let abortable = read.is_some();
        // The attempt under way, aborted when the view that asked is cleaned up.
        let current = Rc::new(RefCell::new(None::<web_sys::AbortController>));
        if abortable {
            let current = send_wrapper::SendWrapper::new(current.clone());
            leptos::prelude::on_cleanup(move || {
                if let Some(c) = current.borrow_mut().take() {
                    c.abort();
                }
            });
        }
        let url = format!("{}{}", crate::services::session::api_base(), path);
        let attempts = if abortable { 2 } else { 1 };
        let mut attempt = 0;
        let (status, text) = loop {
            attempt += 1;
            let controller = if abortable { web_sys::AbortController::new().ok() } else { None };
            let signal = controller.as_ref().map(|c| c.signal());
            *current.borrow_mut() = controller.clone();
            let timed_out = Rc::new(Cell::new(false));
            let timer = controller.clone().and_then(|c| {
                let timed_out = timed_out.clone();
                leptos::prelude::set_timeout_with_handle(
                    move || {
                        timed_out.set(true);
                        c.abort();
                    },
                    read.unwrap_or(READ_TIMEOUT),
                )
                .ok()
            });
            let mut request = RequestBuilder::new(&url).method(method.clone()).header("Accept", "application/json").abort_signal(signal.as_ref());
            if let Some(token) = self.session.token_untracked() {
                request = request.header("Authorization", &format!("Bearer {token}"));
            }
            if let Some(key) = key {
                request = request.header("Idempotency-Key", key);
            }
            if let Some(run) = run {
                request = request.header("X-Bulk-Run", run);
            }
            let request = match &body {
                Some(body) => request.header("Content-Type", "application/json").body(body.clone()),
                None => request.build(),
            }
            .map_err(|e| network(e.to_string()))?;
            let answer = match request.send().await {
                Ok(response) => response.text().await.map(|text| (response.status(), text)),
                Err(e) => Err(e),
            };
            if let Some(t) = timer {
                t.clear();
            }
            match answer {
                Ok(answer) => break answer,
                Err(_) if timed_out.get() && attempt < attempts => continue,
                Err(_) => return Err(network(crate::services::session::offline_message())),
            }
        };
        current.borrow_mut().take();
        self.answer(status, text)
    }

    /// A 2xx answer's text, or the edge's error in words (a 401 ends the session).
    fn answer(&self, status: u16, text: String) -> Result<String, ApiFailure> {
        if (200..300).contains(&status) {
            return Ok(text);
        }
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

    /// POSTs a multipart form (a file upload), calling `progress` with the
    /// share sent so far (0.0–1.0). An `XMLHttpRequest`, as fetch reports
    /// no upload progress; like every action it runs to the end.
    pub async fn upload<T: DeserializeOwned>(&self, path: &str, form: &web_sys::FormData, progress: impl Fn(f64) + 'static) -> Result<T, ApiFailure> {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let xhr = web_sys::XmlHttpRequest::new().map_err(|_| network("XMLHttpRequest"))?;
        let url = format!("{}{}", crate::services::session::api_base(), path);
        xhr.open("POST", &url).map_err(|_| network("XMLHttpRequest.open"))?;
        let _ = xhr.set_request_header("Accept", "application/json");
        if let Some(token) = self.session.token_untracked() {
            let _ = xhr.set_request_header("Authorization", &format!("Bearer {token}"));
        }
        let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress(ev.loaded() / ev.total());
            }
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        let (done, finished) = futures_channel::oneshot::channel::<bool>();
        let done = Rc::new(RefCell::new(Some(done)));
        let settle = |ok: bool| {
            let done = done.clone();
            Closure::<dyn Fn()>::new(move || {
                if let Some(tx) = done.borrow_mut().take() {
                    let _ = tx.send(ok);
                }
            })
        };
        let (on_load, on_error) = (settle(true), settle(false));
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(on_error.as_ref().unchecked_ref()));
        xhr.send_with_opt_form_data(Some(form)).map_err(|_| network(crate::services::session::offline_message()))?;
        let loaded = finished.await.unwrap_or(false);
        drop((on_progress, on_load, on_error));
        if !loaded {
            return Err(network(crate::services::session::offline_message()));
        }
        let text = self.answer(xhr.status().unwrap_or(0), xhr.response_text().ok().flatten().unwrap_or_default())?;
        parse(&text)
    }

    /// POST whose answer is a file (its bytes), e.g. a knowledge file's download.
    pub async fn post_for_bytes<B: Serialize>(&self, path: &str, body: &B) -> Result<Vec<u8>, ApiFailure> {
        let body = serde_json::to_string(body).map_err(|e| network(e.to_string()))?;
        let url = format!("{}{}", crate::services::session::api_base(), path);
        let mut request = RequestBuilder::new(&url).method(Method::POST).header("Content-Type", "application/json");
        if let Some(token) = self.session.token_untracked() {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let response = request.body(body).map_err(|e| network(e.to_string()))?.send().await.map_err(|_| network(crate::services::session::offline_message()))?;
        if (200..300).contains(&response.status()) {
            return response.binary().await.map_err(|e| network(e.to_string()));
        }
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        self.answer(status, text).map(String::into_bytes)
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiFailure> {
    serde_json::from_str(text).map_err(|e| ApiFailure { status: 200, message: format!("无法解析服务器数据 / unreadable answer ({e})"), field: None, code: ErrorCode::default() })
}

/// A fresh idempotency key for one submit.
pub fn new_key() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| format!("k{}", js_sys::Date::now() as u64))
}
