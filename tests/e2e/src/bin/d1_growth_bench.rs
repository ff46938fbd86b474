//! How the edge's D1 work grows with the note results it keeps, against a
//! running edge (scripts/bench.sh runs it at each size, the Worker in workerd
//! directly, after tests/bench/d1-fill.py grew the tables). BENCH_ROWS says
//! how many note results the table holds, for the printout only.
//!
//! At each size: webhook ingest of new 10-record batches (concurrency 8,
//! batches/s, p50, p99, and the store's own time from `Server-Timing:
//! store`), then the board's reads of what is stored, each with the edge's
//! time in D1 (`Server-Timing: d1`) and the whole request's: a call's notes
//! (`GET /api/notes?jobId`), a supervisor's attention queue, a mediator's
//! (the entries of the case given to them; ten more each run), and the QA
//! insights for a month and for the year. Asserts only that each answer is
//! what it should be; docs/benchmarks.md compares the sizes.

use std::time::Instant;

use e2e::figures::{note_records, percentile, timed_d1_series, Lcg};
use e2e::*;
use futures_util::stream::{self, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::session::Role;

const BATCHES: usize = 300;
const PER_BATCH: usize = 10;
const CONCURRENCY: usize = 8;
/// Batches counted apart as the warm-up after the Worker starts (three per concurrent sender).
const WARMUP: usize = 3 * CONCURRENCY;

/// Open entries given to the bench's mediator each run.
const GIVEN: usize = 10;

/// Gives `who` [`GIVEN`] more open entries, all of one case (the sandbox's
/// first open one): each a call placed through the edge (so it knows the
/// call's case) a day after the last (the party's daily call limit), a note
/// record about it that meets a rule, and the entry's case assigned to `who`
/// by the supervisor `boss`.
async fn give_cases(who: &str, boss: &str) {
    let url = format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge());
    for _ in 0..GIVEN {
        control("/control/time", json!({ "advanceMs": 86_400_000 })).await;
        let (case_id, mediation_id, people) = open_case().await;
        let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
        let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("growth-call-")).json(&body).send().await.expect("edge");
        let placed: Value = res.json().await.expect("JSON");
        let job = placed["results"][0]["jobId"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();
        let record = json!([{
            "call_id": unique("growth-given-"), "biz_id": "70001", "out_id": job, "cell_number": "13922111489",
            "success": true, "error_code": "success", "error_msg": "success", "content_length": 120, "duration": 60,
            "start_time": "2026-11-22 09:59:00", "report_time": "2026-11-22 10:00:00", "type": "通话摘要",
            "result": json!({ "履约情况": ["未支付"] }).to_string()
        }]);
        let res = client().post(&url).json(&record).send().await.expect("edge");
        assert_eq!(res.status(), 200);
        let (status, found) = get(&format!("/api/attention?jobId={job}"), boss).await;
        assert_eq!(status, 200, "{found}");
        let id = found["entries"][0]["id"].as_i64().unwrap_or_else(|| panic!("an entry for {job}: {found}"));
        let (status, assigned) = post(&format!("/api/attention/{id}/assign"), boss, json!({ "assignee": who })).await;
        assert_eq!(status, 200, "{assigned}");
    }
}

/// One batch: its place in the order sent, the whole request's time and the store's own (ms).
struct Timing {
    sent: usize,
    whole_ms: f64,
    store_ms: f64,
}

fn line(label: &str, rows: &str, d1: &[f64], whole: &[f64], n: usize) {
    println!(
        "  {label} at {rows} rows ({n} sequential): D1 p50 {:.1} ms, p99 {:.1} ms | whole request p50 {:.1} ms, p99 {:.1} ms",
        percentile(d1, 0.5),
        percentile(d1, 0.99),
        percentile(whole, 0.5),
        percentile(whole, 0.99)
    );
}

#[tokio::main]
async fn main() {
    let rows = std::env::var("BENCH_ROWS").unwrap_or_else(|_| "?".into());
    let run = unique("growth");
    let mut rng = Lcg(11);
    let total = BATCHES * PER_BATCH;
    let bodies: Vec<String> = (0..BATCHES)
        .map(|b| {
            Value::Array(note_records(
                &run,
                b * PER_BATCH,
                PER_BATCH,
                total,
                &mut rng,
            ))
            .to_string()
        })
        .collect();

    let url = format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge());
    let http = client();
    let started = Instant::now();
    let timings: Vec<Timing> = stream::iter(bodies.into_iter().enumerate())
        .map(|(i, body)| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let t = Instant::now();
                let res = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .expect("edge");
                let store = e2e::figures::server_timing(res.headers(), "store").expect("Server-Timing store");
                assert_eq!(
                    res.status(),
                    200,
                    "{}",
                    res.text().await.unwrap_or_default()
                );
                Timing { sent: i, whole_ms: t.elapsed().as_secs_f64() * 1000.0, store_ms: store }
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let mut whole: Vec<f64> = timings.iter().map(|t| t.whole_ms).collect();
    let mut store: Vec<f64> = timings.iter().map(|t| t.store_ms).collect();
    whole.sort_by(f64::total_cmp);
    store.sort_by(f64::total_cmp);
    println!(
        "  webhook ingest at {rows} rows, {BATCHES} new batches x {PER_BATCH} records, concurrency {CONCURRENCY}: {:.0} batches/s ({:.0} results/s), p50 {:.1} ms, p99 {:.1} ms; the store's own time p50 {:.1} ms, p99 {:.1} ms",
        BATCHES as f64 / secs,
        total as f64 / secs,
        percentile(&whole, 0.5),
        percentile(&whole, 0.99),
        percentile(&store, 0.5),
        percentile(&store, 0.99)
    );
    // The Worker has just been started on the grown files: the first
    // batches find SQLite's page cache cold. Where the slow ones fall says
    // whether the tail is that warm-up or the table's size.
    let part = |from: usize, to: usize| {
        let mut v: Vec<f64> = timings.iter().filter(|t| (from..to).contains(&t.sent)).map(|t| t.store_ms).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let (first, rest) = (part(0, WARMUP), part(WARMUP, BATCHES));
    let mut slowest: Vec<&Timing> = timings.iter().collect();
    slowest.sort_by(|a, b| b.store_ms.total_cmp(&a.store_ms));
    println!(
        "    the store's own time, the first {WARMUP} batches sent: p50 {:.1} ms, max {:.1} ms; the other {}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; the five slowest were sent {}",
        percentile(&first, 0.5),
        first.last().copied().unwrap_or(0.0),
        rest.len(),
        percentile(&rest, 0.5),
        percentile(&rest, 0.99),
        rest.last().copied().unwrap_or(0.0),
        slowest.iter().take(5).map(|t| format!("#{} ({:.0} ms)", t.sent + 1, t.store_ms)).collect::<Vec<_>>().join(", ")
    );

    let boss = token("bench-supervisor", Role::Supervisor);
    let n = 50;
    // A call stored just now, and one of the first this run stored.
    for (label, job) in [
        (
            "a call's notes (GET /api/notes), a call just stored",
            format!("{run}-job-{}", total / 2 - 1),
        ),
        ("a call's notes, another", format!("{run}-job-0")),
    ] {
        let (d1, whole, body) = timed_d1_series(&format!("/api/notes?jobId={job}"), &boss, n).await;
        assert_eq!(
            body["notes"].as_array().map(Vec::len),
            Some(2),
            "{job}: {body}"
        );
        line(label, &rows, &d1, &whole, n);
    }
    let queries = [
        (
            "attention queue, a supervisor's open entries",
            "/api/attention",
        ),
        (
            "QA insights, one month (2026-11)",
            "/api/insights/qa?from=2026-11-01&to=2026-11-30",
        ),
        (
            "QA insights, the year by week",
            "/api/insights/qa?from=2026-01-01&to=2026-12-31&bucket=week",
        ),
    ];
    for (label, path) in queries {
        let (d1, whole, body) = timed_d1_series(path, &boss, n).await;
        let what = if path.starts_with("/api/attention") {
            format!("{} open", body["open"])
        } else {
            format!("{} calls", body["total"]["count"])
        };
        line(&format!("{label} ({what})"), &rows, &d1, &whole, n);
    }

    // A mediator's own queue: the entries of the case given to them, found
    // from that case whatever else is open.
    let who = "bench-mediator";
    give_cases(who, &boss).await;
    let (d1, whole, body) = timed_d1_series("/api/attention", &token(who, Role::Mediator), n).await;
    let open = body["open"].as_u64().expect("a count");
    assert!(open >= GIVEN as u64 && body["entries"].as_array().is_some_and(|e| e.len() as u64 == open.min(200)), "{body}");
    line(&format!("attention queue, a mediator's own ({open} open, of the one case given to them)"), &rows, &d1, &whole, n);
}
