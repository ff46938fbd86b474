//! Helpers for tests that drive the running stack over real HTTP. The stack's
//! addresses come from the environment scripts/test.sh sets; a test run
//! without them fails with a message saying how to run it.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use shared::wire::session::{mint, Claims, Role};

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run these tests through scripts/test.sh, which starts the stack"))
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

/// The local session secret (`edge/.dev.vars.example`), for minting tokens
/// the way a portal would; the sandbox's mediation token.
pub const SESSION_SECRET: &str = "sandbox-session-secret-change-me";
pub const MEDIATION_TOKEN: &str = "sandbox-mediation-token";
pub const WEBHOOK_TOKEN: &str = "sandbox-webhook-token";

/// A token for `user` with `role`, valid for `ttl` seconds (negative: expired).
pub fn token_with(user: &str, role: Role, ttl: i64, secret: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    mint(&Claims { sub: user.into(), name: Some(user.into()), role, exp: now + ttl, iat: Some(now), ..Claims::default() }, secret.as_bytes())
}

pub fn token(user: &str, role: Role) -> String {
    token_with(user, role, 3600, SESSION_SECRET)
}

pub fn mediator() -> String {
    token("zhangmin", Role::Mediator)
}

pub fn admin() -> String {
    token("admin", Role::Admin)
}

/// A request to the edge with a bearer token.
pub fn api(method: Method, path: &str, token: &str) -> RequestBuilder {
    client().request(method, format!("{}{path}", edge())).bearer_auth(token)
}

/// GET through the edge; status and JSON.
pub async fn get(path: &str, token: &str) -> (u16, Value) {
    let res = api(Method::GET, path, token).send().await.expect("edge reachable");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// POST JSON through the edge; status and JSON.
pub async fn post(path: &str, token: &str, body: Value) -> (u16, Value) {
    let res = api(Method::POST, path, token).json(&body).send().await.expect("edge reachable");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// POSTs to the sandbox's control API and returns its JSON answer.
pub async fn control(path: &str, body: Value) -> Value {
    let res = client().post(format!("{}{path}", control_base())).json(&body).send().await.expect("control API");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    assert!(status.is_success(), "control {path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

pub async fn control_get(path: &str) -> Value {
    client().get(format!("{}{path}", control_base())).send().await.expect("control API").json().await.unwrap()
}

/// Back to the seed data, faults off, Clink's rate limit at its default.
pub async fn reset() {
    control("/control/reset", json!({})).await;
}

/// GET on the sandbox's mediation API directly (not through the edge).
pub async fn backend(path: &str) -> Value {
    client().get(format!("{}{path}", mediation())).bearer_auth(MEDIATION_TOKEN).send().await.unwrap().json().await.unwrap()
}

/// The first case under mediation that nobody has taken over: (caseId, mediationId, personIds).
pub async fn open_case() -> (String, i64, Vec<String>) {
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    let c = board["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["takeoverUser"].is_null() && c["stage"] != "accepted")
        .expect("an open case")
        .clone();
    let people = c["parties"].as_array().unwrap().iter().map(|p| p["personId"].as_str().unwrap().to_owned()).collect();
    (c["caseId"].as_str().unwrap().to_owned(), c["mediationId"].as_i64().unwrap(), people)
}

/// A finished call with a conversation (from the seed).
pub async fn connected_job() -> String {
    let logs = backend("/api/v1/outbound-bot/conversation-log").await;
    logs["data"].as_array().unwrap().iter().find(|l| !l["recordUrl"].as_str().unwrap().is_empty()).unwrap()["jobId"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A unique suffix for records a test stores (D1 keeps them across tests).
pub fn unique(prefix: &str) -> String {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}{n}")
}

/// Places an AI call straight at the sandbox backend (not through the edge),
/// as a change the edge only learns about upstream.
pub async fn call_directly(case_id: &str, mediation_id: i64, person_id: &str) -> reqwest::Response {
    client()
        .post(format!("{}/api/v1/outbound-bot/call-v2", mediation()))
        .bearer_auth(MEDIATION_TOKEN)
        .json(&json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": person_id }))
        .send()
        .await
        .unwrap()
}

/// Places an AI call on an open case and ends it connected, after moving the
/// sandbox clock by a unique amount (so its job id and note results are new
/// even though D1 keeps earlier runs'). The sandbox then pushes its results.
pub async fn fresh_finished_call() -> String {
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (case_id, mediation_id, people) = open_case().await;
    let body: Value = call_directly(&case_id, mediation_id, &people[0]).await.json().await.unwrap();
    let job = body["data"][0]["jobId"].as_str().unwrap_or_else(|| panic!("call placed: {body}")).to_owned();
    control(&format!("/control/calls/{job}/outcome"), json!({ "status": "Succeeded" })).await;
    job
}

/// Whether the sandbox answers in the spec's literal shapes (`/control/profile`),
/// for the few assertions whose expected answer is the backend's own shape.
pub async fn spec_literal() -> bool {
    control_get("/control/profile").await["profile"] == "spec-literal"
}

/// The sandbox's count of calls placed so far.
pub async fn calls_placed() -> u64 {
    control_get("/control/state").await["calls"].as_u64().unwrap()
}

/// What the benchmark binaries (`src/bin/*_bench.rs`) share.
pub mod figures {
    use std::time::Instant;

    use serde_json::{json, Value};

    /// A small deterministic generator (the figures must not depend on luck).
    pub struct Lcg(pub u64);

    impl Lcg {
        pub fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// Calls arrive in day order, as they would: a push touches a day or two.
    fn day_of(call: u64, calls: u64) -> String {
        shared::time::day_text(shared::time::day_number("2026-01-01").unwrap() + (call * 365 / calls.max(1)) as i64)
    }

    /// `count` note-agent records from the `from`-th of `total`, as the agent
    /// pushes them: a quality inspection and a summary per call (`{run}-{call}`,
    /// job `{run}-job-{call}`), calls in day order over 2026, a fifth of them
    /// low-scoring or refusing.
    pub fn note_records(run: &str, from: usize, count: usize, total: usize, rng: &mut Lcg) -> Vec<Value> {
        let items = [("开场规范", 10), ("身份核实", 15), ("协议内容准确性", 25), ("违规敏感词", 15), ("情绪安抚", 15), ("结束语规范", 20)];
        let mut out = Vec::with_capacity(count);
        for i in from..from + count {
            let call = i / 2;
            let day = day_of(call as u64, total as u64 / 2);
            let low = rng.next(5) == 0;
            let report = format!("{day} {:02}:{:02}:00", 8 + rng.next(10), rng.next(60));
            let (kind, result) = if i % 2 == 0 {
                let scored: Vec<Value> = items
                    .iter()
                    .map(|(item, full)| {
                        let share = if low { 20 + rng.next(30) } else { 60 + rng.next(41) };
                        json!({ "item": item, "full_score": full, "score": (*full as u64 * share / 100), "problem": "无", "suggestion": "继续保持" })
                    })
                    .collect();
                ("通话质检", Value::Array(scored).to_string())
            } else {
                let result = if low { "拒绝协议" } else { "同意协议" };
                let paid = ["已全额支付", "部分支付", "未支付", "未知"][rng.next(4) as usize];
                ("通话摘要", json!({ "通话结果": [result], "履约情况": [paid], "当事人情绪": ["平稳"], "通话摘要": "调解助理宣读了协议草案。" }).to_string())
            };
            out.push(json!({
                "call_id": format!("{run}-{call}"), "biz_id": "1", "out_id": format!("{run}-job-{call}"), "cell_number": "13900000000",
                "success": true, "error_code": "success", "error_msg": "success", "content_length": 300, "duration": 90,
                "start_time": report, "report_time": report, "type": kind, "result": result
            }));
        }
        out
    }

    /// The `p` quantile (0–1) of figures sorted ascending (nearest rank).
    pub fn percentile(sorted: &[f64], p: f64) -> f64 {
        let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[i.min(sorted.len() - 1)]
    }

    /// One figure of a `Server-Timing` header (`name;dur=12, other;dur=3`).
    pub fn server_timing(headers: &reqwest::header::HeaderMap, name: &str) -> Option<f64> {
        let value = headers.get("server-timing")?.to_str().ok()?;
        value.split(',').find_map(|part| part.trim().strip_prefix(name)?.strip_prefix(";dur=")?.trim().parse().ok())
    }

    /// A GET through the edge that must succeed: the edge's own time in D1
    /// (`Server-Timing: d1;dur=`), the whole request's time in ms, the body.
    pub async fn timed_d1(path: &str, token: &str) -> (f64, f64, Value) {
        let t = Instant::now();
        let res = super::client().get(format!("{}{path}", super::edge())).bearer_auth(token).send().await.expect("reachable");
        assert!(res.status().is_success(), "{path} answered {}", res.status());
        let d1: f64 = res
            .headers()
            .get("server-timing")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("d1;dur="))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{path} answered without Server-Timing d1"));
        let body: Value = res.json().await.expect("json");
        (d1, t.elapsed().as_secs_f64() * 1000.0, body)
    }

    /// `n` sequential timed GETs after 5 unmeasured ones: D1's and the whole
    /// request's times (each sorted), and the last body.
    pub async fn timed_d1_series(path: &str, token: &str, n: usize) -> (Vec<f64>, Vec<f64>, Value) {
        let (mut d1, mut whole) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut last = Value::Null;
        for i in 0..n + 5 {
            let (d, w, body) = timed_d1(path, token).await;
            if i >= 5 {
                d1.push(d);
                whole.push(w);
            }
            last = body;
        }
        d1.sort_by(f64::total_cmp);
        whole.sort_by(f64::total_cmp);
        (d1, whole, last)
    }
}
