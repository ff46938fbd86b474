//! The control API tests and demos use to steer the sandbox (documented in
//! README "Sandbox upstream"): reset to the seed data, move or scale time,
//! force a call's outcome, trigger a push, switch faults, and read what the
//! note agent delivered.

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shared::wire::mediation::CallStatus;

use crate::knowledge::FaqDoc;
use crate::script::{self, Effect};
use crate::state::Shared;

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/control/health", get(|| async { Json(json!({ "ok": true })) }))
        .route("/control/reset", post(reset))
        .route("/control/state", get(summary))
        .route("/control/time", get(time).post(set_time))
        .route("/control/faults", get(faults))
        .route("/control/faults/mediation", post(mediation_faults))
        .route("/control/faults/clink", post(clink_faults))
        .route("/control/faults/notes", post(note_settings))
        .route("/control/autopilot", post(autopilot))
        .route("/control/calls/{job_id}/outcome", post(outcome))
        .route("/control/calls/{job_id}/corrupt-log", post(corrupt_log))
        .route("/control/calls/{job_id}/record-url", post(record_url))
        .route("/control/profile", get(profile).post(set_profile))
        .route("/control/push", post(push))
        .route("/control/deliveries", get(deliveries))
        .route("/control/knowledge/faqs", post(add_faq))
        .route("/control/scale", post(scale))
        .route("/control/long-call", post(long_call))
        .with_state(state)
}

fn bad(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message.into() }))).into_response()
}

/// Applies the fields present in `change` to `current`, leaving the rest.
fn merge<T: Serialize + DeserializeOwned>(current: &T, change: Value) -> Result<T, String> {
    let mut value = serde_json::to_value(current).map_err(|e| e.to_string())?;
    let (Value::Object(target), Value::Object(fields)) = (&mut value, change) else {
        return Err("body must be a JSON object".into());
    };
    for (k, v) in fields {
        if !target.contains_key(&k) {
            return Err(format!("unknown setting {k:?}"));
        }
        target.insert(k, v);
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ResetOptions {
    /// Leave the autopilot running after the reset (off by default for tests).
    autopilot: Option<bool>,
}

async fn reset(State(state): State<Shared>, body: Option<Json<ResetOptions>>) -> Response {
    let mut s = state.lock();
    s.reset();
    if let Some(enabled) = body.and_then(|b| b.0.autopilot) {
        s.autopilot.enabled = enabled;
    }
    Json(json!({ "reset": true, "nowMs": s.world.now() })).into_response()
}

async fn summary(State(state): State<Shared>) -> Response {
    let mut s = state.lock();
    s.world.advance();
    let now = s.world.now();
    let active = s.world.calls.values().filter(|c| !c.is_over(now)).count();
    Json(json!({
        "nowMs": now,
        "cases": s.world.cases.len(),
        "calls": s.world.calls.len(),
        "activeCalls": active,
        "conversations": s.clink.conversations.len(),
        "clinkRequestsServed": s.clink.requests_served,
        "clinkRejected": s.clink.rejected,
        "clinkSignaturesReused": s.clink.signatures_reused,
        "deliveries": s.notes.deliveries.len(),
        "autopilot": s.autopilot,
    }))
    .into_response()
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
            return bad("scale must be between 0 and 10000");
        }
        s.world.clock.set_scale(scale);
    }
    if let Some(at) = change.set_ms {
        s.world.clock.set(at);
    }
    if let Some(ms) = change.advance_ms {
        if ms < 0 {
            return bad("advanceMs must not be negative");
        }
        s.world.clock.advance(ms);
    }
    s.world.advance();
    Json(json!({ "nowMs": s.world.now(), "scale": s.world.clock.scale() })).into_response()
}

async fn faults(State(state): State<Shared>) -> Response {
    let s = state.lock();
    Json(json!({ "mediation": s.mediation_faults, "clink": s.clink.faults, "notes": s.notes.settings })).into_response()
}

async fn mediation_faults(State(state): State<Shared>, Json(change): Json<Value>) -> Response {
    let mut s = state.lock();
    match merge(&s.mediation_faults, change) {
        Ok(f) => {
            s.mediation_faults = f;
            Json(&s.mediation_faults).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn clink_faults(State(state): State<Shared>, Json(change): Json<Value>) -> Response {
    let mut s = state.lock();
    match merge(&s.clink.faults, change) {
        Ok(f) => {
            s.clink.faults = f;
            Json(&s.clink.faults).into_response()
        }
        Err(e) => bad(e),
    }
}

async fn note_settings(State(state): State<Shared>, Json(change): Json<Value>) -> Response {
    let mut s = state.lock();
    match merge(&s.notes.settings, change) {
        Ok(n) if n.retry_scale > 0.0 => {
            s.notes.settings = n;
            Json(&s.notes.settings).into_response()
        }
        Ok(_) => bad("retryScale must be greater than 0"),
        Err(e) => bad(e),
    }
}

async fn autopilot(State(state): State<Shared>, Json(change): Json<Value>) -> Response {
    let mut s = state.lock();
    match merge(&s.autopilot, change) {
        Ok(a) => {
            s.autopilot = a;
            Json(&s.autopilot).into_response()
        }
        Err(e) => bad(e),
    }
}

fn profile_json(s: &crate::state::Sandbox) -> Value {
    json!({ "profile": if s.config.spec_literal { "spec-literal" } else { "designed" } })
}

async fn profile(State(state): State<Shared>) -> Response {
    Json(profile_json(&state.lock())).into_response()
}

#[derive(Deserialize)]
struct ProfileChange {
    profile: String,
}

/// Switches between the designed answers and the spec-literal ones, and
/// resets to the seed data (the profile then survives later resets).
async fn set_profile(State(state): State<Shared>, Json(change): Json<ProfileChange>) -> Response {
    let spec_literal = match change.profile.as_str() {
        "spec-literal" => true,
        "designed" => false,
        _ => return bad("profile must be \"designed\" or \"spec-literal\""),
    };
    let mut s = state.lock();
    s.config.spec_literal = spec_literal;
    s.reset();
    Json(profile_json(&s)).into_response()
}

/// Makes a call's `conversations` string unreadable (cut off mid-way).
async fn corrupt_log(State(state): State<Shared>, Path(job_id): Path<String>) -> Response {
    let mut s = state.lock();
    match s.world.calls.get_mut(&job_id) {
        Some(call) => {
            call.corrupt_log = true;
            Json(json!({ "jobId": job_id, "corrupt": true })).into_response()
        }
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": "no such job" }))).into_response(),
    }
}

#[derive(Deserialize)]
struct RecordUrl {
    url: Option<String>,
}

/// Makes the backend give this URL as the call's recording (`null`: its own again).
async fn record_url(State(state): State<Shared>, Path(job_id): Path<String>, Json(r): Json<RecordUrl>) -> Response {
    let mut s = state.lock();
    match s.world.calls.get_mut(&job_id) {
        Some(call) => {
            call.record_url_override = r.url.clone();
            Json(json!({ "jobId": job_id, "url": r.url })).into_response()
        }
        None => (StatusCode::NOT_FOUND, Json(json!({ "error": "no such job" }))).into_response(),
    }
}

#[derive(Deserialize)]
struct Outcome {
    status: String,
}

/// Ends a call now with the given status. A connected status on a call that
/// was going to fail gets a conversation, so there is something to show.
async fn outcome(State(state): State<Shared>, Path(job_id): Path<String>, Json(o): Json<Outcome>) -> Response {
    let mut guard = state.lock();
    let s = &mut *guard;
    let now = s.world.now();
    let status = CallStatus::parse(&o.status);
    let Some(call) = s.world.calls.get(&job_id) else {
        return (StatusCode::NOT_FOUND, Json(json!({ "error": "no such job" }))).into_response();
    };
    let connected = status.category() == shared::wire::mediation::StatusCategory::Connected;
    let (turns, effect) = if connected && call.turns.is_empty() {
        let case = s.world.case(&call.case_id).expect("calls belong to cases");
        let party = case.seed.parties.iter().find(|p| p.person_id == call.person_id).map(|p| p.name.clone()).unwrap_or_default();
        let other = case.seed.parties.iter().find(|p| p.person_id != call.person_id).map(|p| p.name.clone()).unwrap_or_default();
        let amount = case.seed.amount.clone();
        let call_type = call.call_type.clone();
        let mut plan;
        loop {
            let cx = script::Context { party_name: &party, other_name: &other, amount: amount.as_deref(), agreement: None };
            plan = script::plan(&mut s.world.rng, &call_type, &cx);
            if !plan.turns.is_empty() {
                break;
            }
        }
        (plan.turns, plan.effect)
    } else if !connected {
        (vec![], Effect::None)
    } else {
        (call.turns.clone(), call.effect)
    };
    let call = s.world.calls.get_mut(&job_id).expect("checked");
    let length = turns.last().map(|t| t.at * 1000).unwrap_or(crate::world::RING_MS);
    call.turns = turns;
    call.effect = effect;
    call.outcome = status;
    call.status_override = None;
    call.final_ms = now;
    call.executing_ms = call.executing_ms.min(now - length);
    call.created_ms = call.created_ms.min(call.executing_ms - crate::world::SCHEDULING_MS);
    call.settled = false;
    s.world.advance();
    Json(json!({ "jobId": job_id, "status": o.status })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PushRequest {
    job_id: String,
}

/// Pushes the note agent's records for a finished call right away.
async fn push(State(state): State<Shared>, Json(req): Json<PushRequest>) -> Response {
    let mut s = state.lock();
    match crate::notes::push_for(&mut s, &req.job_id, Duration::ZERO) {
        Some(id) => Json(json!({ "deliveryId": id })).into_response(),
        None => bad("no finished, connected call with that jobId"),
    }
}

async fn deliveries(State(state): State<Shared>) -> Response {
    let s = state.lock();
    Json(json!({ "deliveries": s.notes.deliveries })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewFaq {
    question: String,
    answer: String,
    repository_id: Option<i64>,
}

/// Adds an FAQ (e.g. one whose text carries hostile HTML, for the board's tests).
async fn add_faq(State(state): State<Shared>, Json(f): Json<NewFaq>) -> Response {
    let mut s = state.lock();
    let k = &mut s.clink.knowledge;
    let id = k.faqs.iter().map(|f| f.id).max().unwrap_or(0) + 1;
    let repository_id = f.repository_id.unwrap_or(k.repositories[0].id);
    let Some(directory_id) = k.directories.iter().find(|d| d.repository_id == repository_id).map(|d| d.id) else {
        return bad("unknown repositoryId");
    };
    k.faqs.push(FaqDoc { id, repository_id, directory_id, question: f.question, similars: vec![], answers: vec![f.answer], attachments: vec![] });
    Json(json!({ "id": id })).into_response()
}

#[derive(Deserialize)]
struct Scale {
    cases: usize,
}

/// Grows the board to `cases` cases (copies of the data set), for benchmarks.
async fn scale(State(state): State<Shared>, Json(req): Json<Scale>) -> Response {
    if req.cases > 100_000 {
        return bad("at most 100000 cases");
    }
    let mut s = state.lock();
    let n = s.world.scale_to(req.cases);
    Json(json!({ "cases": n })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LongCall {
    case_id: Option<String>,
    turns: usize,
}

/// Adds a finished call with many turns, for the transcript benchmark.
async fn long_call(State(state): State<Shared>, Json(req): Json<LongCall>) -> Response {
    if !(3..=20_000).contains(&req.turns) {
        return bad("turns must be between 3 and 20000");
    }
    let mut s = state.lock();
    let case_id = req.case_id.unwrap_or_else(|| s.world.cases[0].seed.case_id.clone());
    match s.world.long_call(&case_id, req.turns) {
        Some(job) => Json(json!({ "caseId": case_id, "jobId": job })).into_response(),
        None => bad("unknown caseId"),
    }
}
