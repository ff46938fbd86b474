//! Live fan-out (scripts/bench.sh starts the stack): 1,000 open boards (of
//! 1,000 users) on one hub (WebSockets on loopback), one change, and how long each board
//! waited from the event's publication (its `at`, stamped by the edge) to
//! receiving it: p50, p99, max. Prints figures; asserts nothing.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use e2e::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const BOARDS: usize = 1_000;

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    reset().await;
    let url = format!("{}/api/live", edge().replace("http://", "ws://"));
    let opened = std::time::Instant::now();
    let mut sockets = Vec::with_capacity(BOARDS);
    for i in 0..BOARDS {
        // One user per board: the hub keeps at most a few sockets per user.
        let token = token(&format!("bench{i:04}"), shared::wire::session::Role::Mediator);
        let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.expect("websocket");
        ws.send(Message::text(json!({ "type": "hello", "token": token, "since": null }).to_string())).await.unwrap();
        sockets.push(ws);
    }
    // Every board welcomed before the change.
    for ws in &mut sockets {
        loop {
            match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                Ok(Some(Ok(Message::Text(t)))) if serde_json::from_str::<Value>(&t).is_ok_and(|v| v["type"] == "welcome") => break,
                Ok(Some(Ok(_))) => continue,
                other => panic!("no welcome: {other:?}"),
            }
        }
    }
    println!("live fan-out: {BOARDS} boards open and welcomed in {:.1} s", opened.elapsed().as_secs_f64());
    let (case_id, _, _) = open_case().await;
    let waits = sockets.into_iter().map(|mut ws| {
        let case_id = case_id.clone();
        tokio::spawn(async move {
            loop {
                match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                    Ok(Some(Ok(Message::Text(t)))) => {
                        let received = now_ms();
                        let v: Value = serde_json::from_str(&t).unwrap_or_default();
                        if v["type"] == "event" && v["event"]["kind"] == "takeover" && v["event"]["caseId"] == case_id.as_str() {
                            return Some(received - v["event"]["at"].as_f64().unwrap_or(received));
                        }
                    }
                    Ok(Some(Ok(_))) => continue,
                    _ => return None,
                }
            }
        })
    });
    let waits: Vec<_> = waits.collect();
    let (status, body) = post(&format!("/api/cases/{case_id}/takeover"), &token_for_takeover(), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let mut got = vec![];
    let mut missed = 0;
    for w in waits {
        match w.await.unwrap() {
            Some(ms) => got.push(ms),
            None => missed += 1,
        }
    }
    got.sort_by(f64::total_cmp);
    let at = |p: f64| got[(((got.len() - 1) as f64) * p).round() as usize];
    println!(
        "live fan-out: one change to {} of {BOARDS} boards (missed {missed}): publish to receipt p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        got.len(),
        at(0.5),
        at(0.99),
        got.last().copied().unwrap_or(f64::NAN)
    );
}

fn token_for_takeover() -> String {
    token("lihua", shared::wire::session::Role::Mediator)
}
