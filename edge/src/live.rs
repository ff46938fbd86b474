//! The Worker's side of live updates: asking the hub (`hub::BoardHub`, one
//! Durable Object) to publish events after an answer has gone, and handing
//! `/api/live` WebSocket upgrades to it.

use shared::wire::api::ErrorCode;
use serde::{Deserialize, Serialize};
use shared::wire::api::{EventData, EventKind};
use worker::{Context, Env, Method, Request, RequestInit, Response, Result, RouteContext};

/// What the Worker asks the hub to publish.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewEvent {
    pub kind: EventKind,
    pub case_id: Option<String>,
    pub job_id: Option<String>,
    pub data: EventData,
}

/// Tells every open board, after the response has gone (`waitUntil`).
/// Failures are logged, never raised: live updates are a convenience, the
/// action itself already happened and was answered.
pub fn announce(ctx: &RouteContext<Context>, kind: EventKind, case_id: Option<&str>, job_id: Option<&str>, data: EventData) {
    announce_all(ctx, vec![NewEvent { kind, case_id: case_id.map(str::to_owned), job_id: job_id.map(str::to_owned), data }]);
}

pub fn announce_all(ctx: &RouteContext<Context>, events: Vec<NewEvent>) {
    let env = ctx.env.clone();
    ctx.data.wait_until(async move { publish_all(&env, events).await });
}

/// Publishes several events with one call to the hub.
async fn publish_all(env: &Env, events: Vec<NewEvent>) {
    if events.is_empty() {
        return;
    }
    if let Err(e) = send_to_hub(env, &events).await {
        worker::console_warn!("live: could not publish {} events: {e}", events.len());
    }
}

async fn send_to_hub(env: &Env, events: &[NewEvent]) -> Result<()> {
    let stub = env.durable_object("HUB")?.id_from_name("board")?.get_stub()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(serde_json::to_string(events)?.into()));
    let req = Request::new_with_init("https://hub/publish", &init)?;
    stub.fetch_with_request(req).await?;
    Ok(())
}

/// `GET /api/live`: hands the WebSocket upgrade to the hub. Without the
/// session secret nobody could say hello, so nothing is accepted.
pub async fn connect(req: Request, env: &Env) -> Result<Response> {
    match req.headers().get("Upgrade")?.map(|u| u.to_ascii_lowercase()) {
        None => return crate::http::json(426, &shared::wire::api::ApiError::new(ErrorCode::UpgradeRequired, "需要 WebSocket 连接 (expected a WebSocket upgrade)")),
        Some(u) if u != "websocket" => {
            let mut f = crate::http::Failure::field(&shared::FieldError::new("Upgrade", "must be websocket"));
            f.body.error.message = "Upgrade 只能是 websocket (Upgrade: must be websocket)".into();
            return crate::http::json(400, &f.body);
        }
        Some(_) => {}
    }
    if let Err(f) = crate::auth::session_secret(env) {
        return crate::http::json(f.status, &f.body);
    }
    env.durable_object("HUB")?.id_from_name("board")?.get_stub()?.fetch_with_request(req).await
}
