//! The control API tests and demos use to steer the sandbox (documented in
//! the README): reset to the seed data, move time, switch faults.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::state::{MediationFaults, Shared};

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/control/health", get(|| async { Json(json!({ "ok": true })) }))
        .route("/control/reset", post(reset))
        .route("/control/time", get(time).post(set_time))
        .route("/control/faults/mediation", post(mediation_faults))
        .with_state(state)
}

async fn reset(State(state): State<Shared>) -> Response {
    state.lock().reset();
    Json(json!({ "reset": true })).into_response()
}

async fn time(State(state): State<Shared>) -> Response {
    let s = state.lock();
    Json(json!({ "nowMs": s.world.now(), "scale": s.world.clock.scale() })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimeChange {
    advance_ms: Option<i64>,
    set_ms: Option<i64>,
    scale: Option<f64>,
}

async fn set_time(State(state): State<Shared>, Json(change): Json<TimeChange>) -> Response {
    let mut s = state.lock();
    if let Some(scale) = change.scale {
        if !(0.0..=10_000.0).contains(&scale) {
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": "scale must be between 0 and 10000" }))).into_response();
        }
        s.world.clock.set_scale(scale);
    }
    if let Some(at) = change.set_ms {
        s.world.clock.set(at);
    }
    if let Some(ms) = change.advance_ms {
        s.world.clock.advance(ms);
    }
    s.world.advance();
    Json(json!({ "nowMs": s.world.now(), "scale": s.world.clock.scale() })).into_response()
}

async fn mediation_faults(State(state): State<Shared>, Json(faults): Json<MediationFaults>) -> Response {
    state.lock().mediation_faults = faults.clone();
    Json(faults).into_response()
}
