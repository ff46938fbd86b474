//! Helpers for tests that drive the running stack over real HTTP. The stack's
//! addresses come from the environment scripts/test.sh sets; a test run
//! without them fails with a message saying how to run it.

use serde_json::Value;

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests through scripts/test.sh, which starts the stack")
    })
}

/// The edge, e.g. `http://127.0.0.1:18787`.
pub fn edge() -> String {
    required("E2E_EDGE")
}

/// The sandbox's mediation backend.
pub fn mediation() -> String {
    required("E2E_MEDIATION")
}

/// The sandbox's control API.
pub fn control_base() -> String {
    required("E2E_CONTROL")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("http client")
}

/// POSTs to the sandbox's control API and returns its JSON answer.
pub async fn control(path: &str, body: Value) -> Value {
    let res = client().post(format!("{}{path}", control_base())).json(&body).send().await.expect("control API");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    assert!(status.is_success(), "control {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Back to the seed data, with the sandbox's test token for the mediation API.
pub async fn reset() {
    control("/control/reset", serde_json::json!({})).await;
}

pub const MEDIATION_TOKEN: &str = "sandbox-mediation-token";
