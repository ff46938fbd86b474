//! Search benchmark against the running stack (scripts/bench.sh starts it):
//! stores BENCH_SEARCH_TURNS turns (default 100,000) in the edge's search
//! index the way the edge indexes them (finished calls read through
//! `GET /api/conversations?caseId=`), then times `GET /api/search` for a
//! word half the turns hold, a phrase a hundred hold, and one none holds.
//! Prints the index query's own time (Server-Timing `d1`) and the whole
//! request's; asserts nothing (docs/benchmarks.md compares the targets).

use std::time::{Duration, Instant};

use e2e::figures::percentile;
use e2e::*;
use serde_json::{json, Value};

/// Turns per seeded call: 1,000 indexed, plus its begin and end markers.
const TURNS_PER_CALL: usize = 1002;

fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn search(q: &str, case_id: Option<&str>) -> (Value, f64, f64) {
    let mut url = format!("{}/api/search?q={}", edge(), encode(q));
    if let Some(c) = case_id {
        url.push_str(&format!("&caseId={c}"));
    }
    let t = Instant::now();
    let res = client().get(url).bearer_auth(mediator()).send().await.expect("reachable");
    assert!(res.status().is_success(), "search answered {}", res.status());
    let d1: f64 = res
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("d1;dur="))
        .and_then(|v| v.parse().ok())
        .expect("Server-Timing d1");
    let body: Value = res.json().await.expect("json");
    (body, d1, t.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let turns: usize = std::env::var("BENCH_SEARCH_TURNS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let calls = turns.div_ceil(TURNS_PER_CALL - 2);
    let seeded = Instant::now();
    control("/control/scale", json!({ "cases": calls.max(100) })).await;
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    let cases: Vec<String> = board["data"].as_array().unwrap().iter().map(|c| c["caseId"].as_str().unwrap().to_owned()).collect();
    for case_id in cases.iter().take(calls) {
        control("/control/long-call", json!({ "caseId": case_id, "turns": TURNS_PER_CALL })).await;
        let (status, body) = get(&format!("/api/conversations?caseId={case_id}"), &mediator()).await;
        assert_eq!(status, 200, "{body}");
        // Indexing runs after the answer: wait for this call's turns.
        let started = Instant::now();
        while search("下周给你们答复", Some(case_id)).await.0["hits"].as_array().unwrap().is_empty() {
            assert!(started.elapsed() < Duration::from_secs(60), "case {case_id} was not indexed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    println!("search index: {} calls of {} turns stored in {:.1} s", calls, TURNS_PER_CALL - 2, seeded.elapsed().as_secs_f64());

    let n = 200;
    for (label, q) in [("a word half the turns hold", "分期"), ("a phrase one turn per call holds", "第777轮"), ("a phrase no turn holds", "强制拆迁")] {
        let (mut d1, mut total) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut hits = 0;
        for i in 0..n + 10 {
            let (body, d, t) = search(q, None).await;
            hits = body["hits"].as_array().unwrap().len();
            if i >= 10 {
                d1.push(d);
                total.push(t);
            }
        }
        d1.sort_by(f64::total_cmp);
        total.sort_by(f64::total_cmp);
        println!(
            "search over {} turns, {label} ({q}, {hits} hits shown; {n} sequential): D1 query p50 {:.1} ms, p99 {:.1} ms | whole request p50 {:.1} ms, p99 {:.1} ms",
            calls * (TURNS_PER_CALL - 2),
            percentile(&d1, 0.5),
            percentile(&d1, 0.99),
            percentile(&total, 0.5),
            percentile(&total, 0.99)
        );
    }
}
