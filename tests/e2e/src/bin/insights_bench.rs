//! Attention and QA-insights benchmark against the running stack
//! (scripts/bench.sh starts it): stores BENCH_RESULTS note results (default
//! 100,000: half quality inspections, half summaries, in day order over 2026, a
//! fifth of them low-scoring or refusing) through the webhook, as the note
//! agent would, then times `GET /api/attention` (a supervisor's whole queue)
//! and `GET /api/insights/qa` for one month and for the whole year. Prints
//! the D1 queries' own time (Server-Timing `d1`) and the whole request's;
//! asserts nothing (docs/benchmarks.md compares the targets).

use std::time::Instant;

use e2e::*;
use serde_json::{json, Value};
use shared::wire::session::Role;

const BATCH: usize = 100;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// A small deterministic generator (the figures must not depend on luck).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Calls arrive in day order, as they would: a push touches a day or two.
fn day_of(call: u64, calls: u64) -> String {
    shared::time::day_text(shared::time::day_number("2026-01-01").unwrap() + (call * 365 / calls.max(1)) as i64)
}

fn records(run: &str, from: usize, count: usize, total: usize, rng: &mut Lcg) -> Vec<Value> {
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

async fn timed(path: &str, token: &str) -> (f64, f64, Value) {
    let t = Instant::now();
    let res = client().get(format!("{}{path}", edge())).bearer_auth(token).send().await.expect("reachable");
    assert!(res.status().is_success(), "{path} answered {}", res.status());
    let d1: f64 = res.headers().get("server-timing").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("d1;dur=")).and_then(|v| v.parse().ok()).expect("Server-Timing d1");
    let body: Value = res.json().await.expect("json");
    (d1, t.elapsed().as_secs_f64() * 1000.0, body)
}

#[tokio::main]
async fn main() {
    // BENCH_RESULTS=0 times the queries over what is already stored.
    let total: usize = std::env::var("BENCH_RESULTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let run = unique("bench");
    let mut rng = Lcg(7);
    let seeded = Instant::now();
    let hook = format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge());
    let mut from = 0;
    while from < total {
        let n = BATCH.min(total - from);
        let body = Value::Array(records(&run, from, n, total, &mut rng));
        let res = client().post(&hook).json(&body).send().await.expect("webhook reachable");
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        from += n;
    }
    let secs = seeded.elapsed().as_secs_f64();
    if total > 0 {
        println!("stored {total} note results in {secs:.1} s ({:.0} results/s, batches of {BATCH}, judged and their insight facts written)", total as f64 / secs);
    }

    let boss = token("bench-supervisor", Role::Supervisor);
    let queries = [
        ("attention queue, a supervisor's open entries (200 shown, all counted)", "/api/attention".to_owned()),
        ("QA insights, one month (2026-11)", "/api/insights/qa?from=2026-11-01&to=2026-11-30".to_owned()),
        ("QA insights, the whole year by week", "/api/insights/qa?from=2026-01-01&to=2026-12-31&bucket=week".to_owned()),
    ];
    let n = 50;
    for (label, path) in queries {
        let (mut d1, mut whole) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut last = Value::Null;
        for i in 0..n + 5 {
            let (d, w, body) = timed(&path, &boss).await;
            if i >= 5 {
                d1.push(d);
                whole.push(w);
            }
            last = body;
        }
        d1.sort_by(f64::total_cmp);
        whole.sort_by(f64::total_cmp);
        let what = if path.starts_with("/api/attention") { format!("{} open", last["open"]) } else { format!("{} calls", last["total"]["count"]) };
        println!(
            "{label} over {total} stored results ({what}; {n} sequential): D1 queries p50 {:.1} ms, p99 {:.1} ms | whole request p50 {:.1} ms, p99 {:.1} ms",
            percentile(&d1, 0.5),
            percentile(&d1, 0.99),
            percentile(&whole, 0.5),
            percentile(&whole, 0.99)
        );
    }
}
