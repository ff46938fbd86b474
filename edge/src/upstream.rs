//! Calls to the mediation backend: one place that adds the token, enforces a
//! timeout and turns transport failures into readable 502/504 answers.

use std::time::Duration;

use futures_util::future::{select, Either};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::config::MediationConfig;

/// How long the edge waits for the backend before answering 504.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What came back from the backend.
pub struct Upstream {
    pub status: u16,
    pub body: String,
}

/// Why there is no answer.
pub enum UpstreamError {
    Unreachable(String),
    Timeout,
}

impl UpstreamError {
    pub fn status(&self) -> u16 {
        match self {
            UpstreamError::Unreachable(_) => 502,
            UpstreamError::Timeout => 504,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            UpstreamError::Unreachable(_) => "upstream_unreachable",
            UpstreamError::Timeout => "upstream_timeout",
        }
    }

    pub fn message(&self) -> String {
        match self {
            UpstreamError::Unreachable(why) => format!("调解后台无法连接 (mediation backend unreachable: {why})"),
            UpstreamError::Timeout => format!("调解后台响应超时 (no answer within {} s)", TIMEOUT.as_secs()),
        }
    }
}

/// Sends one request to the backend (`path_and_query` relative to its base).
pub async fn mediation(
    config: &MediationConfig,
    method: Method,
    path_and_query: &str,
    json_body: Option<String>,
) -> Result<Upstream, UpstreamError> {
    let unreachable = |e: worker::Error| UpstreamError::Unreachable(e.to_string());
    let headers = Headers::new();
    headers.set("Authorization", &format!("Bearer {}", config.token)).map_err(unreachable)?;
    headers.set("Accept", "application/json").map_err(unreachable)?;
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers);
    if let Some(body) = json_body {
        init.headers.set("Content-Type", "application/json; charset=UTF-8").map_err(unreachable)?;
        init.with_body(Some(body.into()));
    }
    let url = format!("{}{}", config.base, path_and_query);
    let request = Request::new_with_init(&url, &init).map_err(unreachable)?;

    let controller = AbortController::default();
    let signal = controller.signal();
    let call = async move {
        let mut response = Fetch::Request(request).send_with_signal(&signal).await?;
        let status = response.status_code();
        let body = response.text().await?;
        Ok::<_, worker::Error>(Upstream { status, body })
    };
    match select(Box::pin(call), Box::pin(Delay::from(TIMEOUT))).await {
        Either::Left((result, _)) => result.map_err(unreachable),
        Either::Right(_) => {
            controller.abort();
            Err(UpstreamError::Timeout)
        }
    }
}
