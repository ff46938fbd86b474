//! Attention and QA-insights benchmark against the running stack
//! (scripts/bench.sh starts it): stores BENCH_RESULTS note results (default
//! 100,000: half quality inspections, half summaries, in day order over 2026, a
//! fifth of them low-scoring or refusing) through the webhook, as the note
//! agent would, then times `GET /api/attention` (a supervisor's whole queue)
//! and `GET /api/insights/qa` for one month and for the whole year. Prints
//! the D1 queries' own time (Server-Timing `d1`) and the whole request's;
//! asserts nothing (docs/benchmarks.md compares the targets).

use std::time::Instant;

use e2e::figures::{note_records, percentile, timed_d1_series, Lcg};
use e2e::*;
use serde_json::Value;
use shared::wire::session::Role;

const BATCH: usize = 100;

#[tokio::main]
async fn main() {
    // BENCH_RESULTS=0 times the queries over what is already stored.
    let total: usize = std::env::var("BENCH_RESULTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let run = unique("bench");
    let mut rng = Lcg(7);
    let seeded = Instant::now();
    let hook = format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge());
    let mut from = 0;
    let mut restarts = 0;
    while from < total {
        let n = BATCH.min(total - from);
        let body = Value::Array(note_records(&run, from, n, total, &mut rng));
        // `wrangler dev` sometimes restarts its runtime under this load and
        // answers 503; the note agent would send the batch again (a batch
        // stored before the restart is then a duplicate, which changes nothing).
        let mut tries = 0;
        loop {
            let res = client().post(&hook).json(&body).send().await.expect("webhook reachable");
            let status = res.status().as_u16();
            let text = res.text().await.unwrap_or_default();
            if status == 503 && tries < 5 {
                tries += 1;
                restarts += 1;
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                continue;
            }
            assert_eq!(status, 200, "{text}");
            break;
        }
        from += n;
    }
    let secs = seeded.elapsed().as_secs_f64();
    if total > 0 {
        println!("stored {total} note results in {secs:.1} s ({:.0} results/s, batches of {BATCH}, judged and their insight facts written; {restarts} batches sent again after a 503)", total as f64 / secs);
    }

    let boss = token("bench-supervisor", Role::Supervisor);
    let queries = [
        ("attention queue, a supervisor's open entries (200 shown, all counted)", "/api/attention".to_owned()),
        ("QA insights, one month (2026-11)", "/api/insights/qa?from=2026-11-01&to=2026-11-30".to_owned()),
        ("QA insights, the whole year by week", "/api/insights/qa?from=2026-01-01&to=2026-12-31&bucket=week".to_owned()),
    ];
    let n = 50;
    for (label, path) in queries {
        let (d1, whole, last) = timed_d1_series(&path, &boss, n).await;
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
