//! Starts a sandbox in-process on free ports (deterministic mode) and a
//! webhook receiver standing in for the edge, for the sandbox's own tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::routing::post;
use axum::Router;
use sandbox::{Ports, Running, Settings};
use serde_json::Value;
use shared::wire::clink::sign::{BaseUrl, Credentials, Expires, Method, QueryValue, Signer};

pub const TOKEN: &str = "test-mediation-token";
pub const AK: &str = "test-ak";
pub const SK: &str = "test-sk";

/// What the fake webhook received, and how it should answer.
#[derive(Default)]
pub struct Receiver {
    pub bodies: Vec<String>,
    /// Answer the next N pushes with 500.
    pub fail_next: u32,
}

pub struct Harness {
    pub sandbox: Running,
    pub receiver: Arc<Mutex<Receiver>>,
    pub http: reqwest::Client,
}

pub async fn start() -> Harness {
    let receiver = Arc::new(Mutex::new(Receiver::default()));
    let r = receiver.clone();
    let hook = Router::new().route(
        "/hook",
        post(move |body: String| {
            let r = r.clone();
            async move {
                let mut g = r.lock().unwrap();
                g.bodies.push(body);
                if g.fail_next > 0 {
                    g.fail_next -= 1;
                    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "{\"code\":1,\"msg\":\"store failed\"}".to_owned())
                } else {
                    (axum::http::StatusCode::OK, "{\"code\":0,\"msg\":\"接收成功\"}".to_owned())
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });

    let settings = Settings {
        mediation_token: TOKEN.into(),
        seed: 42,
        deterministic: true,
        record_base: String::new(),
        webhook_url: Some(format!("http://{hook_addr}/hook")),
        clink_access_key_id: AK.into(),
        clink_access_key_secret: SK.into(),
        portal_secret: "test-portal-secret".into(),
        edge_url: "http://127.0.0.1:1".into(),
        spec_literal: false,
    };
    let sandbox = sandbox::start(settings, Ports { host: "127.0.0.1".into(), mediation: 0, clink: 0, control: 0 }).await.unwrap();
    Harness { sandbox, receiver, http: reqwest::Client::builder().no_proxy().build().unwrap() }
}

impl Harness {
    pub fn mediation(&self, path: &str) -> String {
        format!("http://{}{path}", self.sandbox.mediation)
    }

    pub fn control_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.sandbox.control)
    }

    pub async fn med_get(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(self.mediation(path)).bearer_auth(TOKEN).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    pub async fn med_send(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let res = self.http.request(method, self.mediation(path)).bearer_auth(TOKEN).json(&body).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    pub async fn control(&self, path: &str, body: Value) -> Value {
        let res = self.http.post(self.control_url(path)).json(&body).send().await.unwrap();
        let status = res.status();
        let v: Value = res.json().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {v}");
        v
    }

    pub async fn control_get(&self, path: &str) -> Value {
        self.http.get(self.control_url(path)).send().await.unwrap().json().await.unwrap()
    }

    /// A signer whose every signature is new: Clink refuses a signature it
    /// has seen, and two POSTs to one path in one second would otherwise
    /// sign the same (the body is not signed), so `Expires` steps down.
    pub fn signer(&self) -> Signer {
        static SIGNED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = SIGNED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Signer::new(
            Credentials::new(AK, SK).unwrap(),
            Expires::new(600 - n % 500).unwrap(),
            BaseUrl::parse(&format!("http://{}", self.sandbox.clink)).unwrap(),
        )
    }

    /// A signed Clink GET.
    pub async fn clink_get(&self, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
        let q: Vec<(String, QueryValue)> = query.iter().map(|(k, v)| (k.to_string(), QueryValue::from(*v))).collect();
        let signed = self.signer().sign(Method::Get, path, &q, now()).unwrap();
        let res = self.http.get(signed.url).send().await.unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// A signed Clink POST with a JSON body.
    pub async fn clink_post(&self, path: &str, body: Value) -> (u16, Value) {
        let signed = self.signer().sign(Method::Post, path, &[], now()).unwrap();
        let res = self
            .http
            .post(signed.url)
            .header("content-type", "application/json; charset=UTF-8")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// The first seeded case, and its first party.
    pub async fn first_case(&self) -> (String, i64, Vec<String>) {
        let (_, board) = self.med_get("/api/v1/mediation-timeline/v2/board").await;
        let c = board["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["takeoverUser"].is_null() && c["stage"] != "accepted")
            .unwrap()
            .clone();
        let parties = c["parties"].as_array().unwrap().iter().map(|p| p["personId"].as_str().unwrap().to_owned()).collect();
        (c["caseId"].as_str().unwrap().to_owned(), c["mediationId"].as_i64().unwrap(), parties)
    }
}

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}
