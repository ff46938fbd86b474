//! Edge benchmarks against the running stack (scripts/bench.sh starts it):
//! webhook ingest (10-record batches, new then duplicate) and relay overhead
//! (the same board request, back to back and one a second, and a Clink
//! search, through the edge and straight to the sandbox; with E2E_REFERENCE
//! the board through a bare JavaScript relay too), and JWT verification's
//! share of a request.
//! Prints figures; asserts nothing (targets are compared in docs/benchmarks.md).

use std::time::{Duration, Instant};

use e2e::*;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn batch(run: &str, n: usize) -> Value {
    let records: Vec<Value> = (0..10)
        .map(|i| {
            let kind = if i % 2 == 0 { "通话质检" } else { "通话摘要" };
            let result = if i % 2 == 0 {
                json!([{ "item": "开场规范", "full_score": 10, "score": 9, "problem": "无", "suggestion": "继续保持" }, { "item": "协议内容准确性", "full_score": 25, "score": 22, "problem": "金额复述不完整", "suggestion": "完整复述金额与期限" }]).to_string()
            } else {
                json!({ "通话结果": ["同意协议"], "通话摘要": "当事人同意协议内容,约定月底前付款。" }).to_string()
            };
            json!({
                "call_id": format!("bench-{run}-{n}-{}", i / 2), "biz_id": "70001", "out_id": format!("bench-job-{run}-{n}-{}", i / 2),
                "cell_number": "13922111489", "success": true, "error_code": "success", "error_msg": "success",
                "content_length": 300, "duration": 90, "start_time": "2026-11-22 10:00:00", "report_time": "2026-11-22 10:01:00",
                "type": kind, "result": result
            })
        })
        .collect();
    Value::Array(records)
}

/// The webhook's Server-Timing parts: all of it, then its steps in order.
const PARTS: [&str; 3] = ["store", "records", "derived"];

async fn ingest(label: &str, bodies: &[String], concurrency: usize) {
    let url = format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge());
    let http = client();
    let started = Instant::now();
    let mut part_ms = PARTS.map(|_| Vec::<f64>::new());
    let mut latencies: Vec<Duration> = stream::iter(bodies.iter().cloned())
        .map(|body| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let t = Instant::now();
                let res = http.post(&url).header("content-type", "application/json").body(body).send().await.expect("edge");
                let parts = PARTS.map(|p| e2e::figures::server_timing(res.headers(), p));
                assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
                (t.elapsed(), parts)
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|(elapsed, parts)| {
            for (i, p) in parts.into_iter().enumerate() {
                if let Some(p) = p {
                    part_ms[i].push(p);
                }
            }
            elapsed
        })
        .collect();
    let total = started.elapsed();
    latencies.sort();
    println!(
        "webhook ingest, {label:<9} {} batches x 10 records, concurrency {concurrency}: {:>6.0} batches/s   p50 {:>6.1} ms   p99 {:>6.1} ms",
        bodies.len(),
        bodies.len() as f64 / total.as_secs_f64(),
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99))
    );
    // Where the time goes inside the Worker (its Server-Timing, in order).
    let said: Vec<String> = PARTS
        .iter()
        .zip(part_ms.iter_mut())
        .filter(|(_, v)| !v.is_empty())
        .map(|(name, v)| {
            v.sort_by(f64::total_cmp);
            format!("{name} p50 {:.0} ms, p99 {:.0} ms", e2e::figures::percentile(v, 0.5), e2e::figures::percentile(v, 0.99))
        })
        .collect();
    if !said.is_empty() {
        println!("  in the Worker ({label}): {}", said.join("; "));
    }
}

/// One GET read to its end: how long it took.
async fn timed_get(http: &reqwest::Client, url: &str, bearer: &str) -> Duration {
    let t = Instant::now();
    let res = http.get(url).bearer_auth(bearer).send().await.expect("reachable");
    assert!(res.status().is_success(), "{url}: {}", res.status());
    let _ = res.bytes().await;
    t.elapsed()
}

async fn timed_gets(url: &str, bearer: &str, n: usize) -> Vec<Duration> {
    let http = client();
    let mut out = Vec::with_capacity(n);
    for i in 0..n + 20 {
        let took = timed_get(&http, url, bearer).await;
        if i >= 20 {
            out.push(took);
        }
    }
    out.sort();
    out
}

#[tokio::main]
async fn main() {
    let batches: usize = std::env::var("BENCH_BATCHES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let concurrency: usize = std::env::var("BENCH_CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let run = unique("r");
    let bodies: Vec<String> = (0..batches).map(|n| batch(&run, n).to_string()).collect();
    if std::env::var("BENCH_SKIP_INGEST").is_err() {
        ingest("new", &bodies, concurrency).await;
        // Only the new batches: the load scripts/bench.sh profiles the Worker under.
        if std::env::var("BENCH_ONLY_NEW_INGEST").is_ok() {
            return;
        }
        ingest("duplicate", &bodies, concurrency).await;
    }

    let n = 300;
    let floor = timed_gets(&format!("{}/api/health", edge()), "-", n).await;
    println!("edge floor, GET /api/health ({n} sequential): p50 {:.2} ms, p99 {:.2} ms", ms(percentile(&floor, 0.5)), ms(percentile(&floor, 0.99)));
    let session = timed_gets(&format!("{}/api/session", edge()), &mediator(), n).await;
    println!("edge with auth, GET /api/session ({n} sequential): p50 {:.2} ms, p99 {:.2} ms", ms(percentile(&session, 0.5)), ms(percentile(&session, 0.99)));
    let via_edge = timed_gets(&format!("{}/api/board", edge()), &mediator(), n).await;
    let direct = timed_gets(&format!("{}/api/v1/mediation-timeline/v2/board", mediation()), MEDIATION_TOKEN, n).await;
    let (e50, d50) = (percentile(&via_edge, 0.5), percentile(&direct, 0.5));
    println!(
        "relay overhead, GET board ({n} sequential): edge p50 {:.2} ms, p99 {:.2} ms | sandbox direct p50 {:.2} ms, p99 {:.2} ms | added at p50 {:.2} ms (ratio {:.2})",
        ms(e50),
        ms(percentile(&via_edge, 0.99)),
        ms(d50),
        ms(percentile(&direct, 0.99)),
        ms(e50) - ms(d50),
        ms(e50) / ms(d50)
    );
    println!(
        "JWT verification in the Worker (GET /api/session minus GET /api/health, p50): {:.2} ms",
        ms(percentile(&session, 0.5)) - ms(percentile(&floor, 0.5))
    );
    if let Ok(reference) = std::env::var("E2E_REFERENCE") {
        reference_relay(&reference, n, &floor).await;
    }
    sparse_board_relay(&mediator()).await;
    clink_search_relay().await;
}

/// The board through the edge and straight from the sandbox (and the bare
/// relay, with E2E_REFERENCE), one round a second as the Clink search must
/// be measured (see below): what requests that come one at a time cost over
/// requests back to back, so the two relay figures can be compared.
async fn sparse_board_relay(bearer: &str) {
    let http = client();
    let board = format!("{}/api/v1/mediation-timeline/v2/board", mediation());
    let reference = std::env::var("E2E_REFERENCE").ok();
    let (mut via_edge, mut direct, mut bare) = (vec![], vec![], vec![]);
    for i in 0..45 {
        let pair = Instant::now();
        let mut asked = vec![(format!("{}/api/board", edge()), bearer, &mut via_edge), (board.clone(), MEDIATION_TOKEN, &mut direct)];
        if let Some(reference) = &reference {
            asked.push((format!("{reference}/api/board/whole"), "-", &mut bare));
        }
        // Whichever goes first meets the machine just woken: each in turn.
        let first = i % asked.len();
        asked.rotate_left(first);
        for (url, token, out) in asked {
            let took = timed_get(&http, &url, token).await;
            if i >= 5 {
                out.push(took);
            }
        }
        tokio::time::sleep(Duration::from_secs(1).saturating_sub(pair.elapsed())).await;
    }
    via_edge.sort();
    direct.sort();
    let (e50, d50) = (ms(percentile(&via_edge, 0.5)), ms(percentile(&direct, 0.5)));
    println!(
        "relay overhead, GET board one round a second ({} rounds, each first in turn; as the Clink search is measured): edge p50 {e50:.2} ms, p99 {:.2} ms | sandbox direct p50 {d50:.2} ms, p99 {:.2} ms | added at p50 {:.2} ms (ratio {:.2})",
        via_edge.len(),
        ms(percentile(&via_edge, 0.99)),
        ms(percentile(&direct, 0.99)),
        e50 - d50,
        e50 / d50
    );
    if !bare.is_empty() {
        bare.sort();
        println!("  the bare JavaScript relay (read whole) in the same turns: p50 {:.2} ms, p99 {:.2} ms, added {:.2} ms", ms(percentile(&bare, 0.5)), ms(percentile(&bare, 0.99)), ms(percentile(&bare, 0.5)) - d50);
    }
}

/// The same board through a bare JavaScript relay in the same runtime
/// (tests/bench/workerd-reference.mjs), the sandbox directly and the edge,
/// one of each in turn so that the machine's drift falls on all alike: what
/// any Worker costs to relay it here, and what the edge adds to that.
async fn reference_relay(reference: &str, n: usize, edge_floor: &[Duration]) {
    let floor = timed_gets(&format!("{reference}/api/health"), "-", n).await;
    let mediator = mediator();
    let urls = [
        (format!("{reference}/api/board"), "-"),
        (format!("{reference}/api/board/whole"), "-"),
        (format!("{}/api/v1/mediation-timeline/v2/board", mediation()), MEDIATION_TOKEN),
        (format!("{}/api/board", edge()), mediator.as_str()),
    ];
    let http = client();
    let mut times: [Vec<Duration>; 4] = Default::default();
    for i in 0..n + 20 {
        for (k, (url, bearer)) in urls.iter().enumerate() {
            let took = timed_get(&http, url, bearer).await;
            if i >= 20 {
                times[k].push(took);
            }
        }
    }
    times.iter_mut().for_each(|t| t.sort());
    let p50 = |t: &[Duration]| ms(percentile(t, 0.5));
    let direct = p50(&times[2]);
    println!(
        "a bare JavaScript relay in the same runtime ({n} each, in turn with the sandbox directly and the edge): floor p50 {:.2} ms (the edge's {:.2}) | board passed on as it streams p50 {:.2} ms, p99 {:.2} ms, added {:.2} ms | read whole first p50 {:.2} ms, p99 {:.2} ms, added {:.2} ms | sandbox direct p50 {:.2} ms | the edge p50 {:.2} ms, p99 {:.2} ms, added {:.2} ms: {:.2} ms over the relay that reads whole",
        p50(&floor),
        p50(edge_floor),
        p50(&times[0]),
        ms(percentile(&times[0], 0.99)),
        p50(&times[0]) - direct,
        p50(&times[1]),
        ms(percentile(&times[1], 0.99)),
        p50(&times[1]) - direct,
        direct,
        p50(&times[3]),
        ms(percentile(&times[3], 0.99)),
        p50(&times[3]) - direct,
        p50(&times[3]) - p50(&times[1]),
    );
}

/// A Clink knowledge search through the edge and signed straight to the
/// sandbox's Clink, alternating, one pair a second: the sandbox allows 3
/// requests a second on a path, as Clink does, and the edge paces to that, so
/// closer requests would measure the pacing. Clink refuses a signature it has
/// seen; the edge and this client sign with the same key, so each direct
/// request gets its own `Expires` (part of what is signed).
async fn clink_search_relay() {
    use shared::wire::clink::sign::{BaseUrl, Credentials, Expires, Method, Signer};
    let clink = std::env::var("E2E_CLINK").unwrap_or_else(|_| "http://127.0.0.1:18789".into());
    let mut signer = Signer::new(Credentials::new("sandbox-access-key-id", "sandbox-clink-secret").unwrap(), Expires::default(), BaseUrl::parse(&clink).unwrap());
    let body = json!({ "keyword": "拖欠工资", "offset": 0, "limit": 10 });
    let http = client();
    let (mut via_edge, mut direct, mut seen) = (vec![], vec![], vec![]);
    for i in 0..50 {
        let pair = Instant::now();
        let t = Instant::now();
        let res = api(reqwest::Method::POST, "/api/clink/aikb/search_knowledge_on_open", &mediator()).json(&body).send().await.expect("edge");
        assert_eq!(res.status(), 200);
        // Clink's answer as the edge saw it (its Server-Timing: sent to read).
        let upstream = e2e::figures::server_timing(res.headers(), "upstream").expect("the relay's Server-Timing names upstream");
        let _ = res.bytes().await;
        if i >= 5 {
            via_edge.push(t.elapsed());
            seen.push(upstream);
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        signer.expires = Expires::new(100 + i).unwrap();
        let signed = signer.sign(Method::Post, "/aikb/search_knowledge_on_open", &[], now).unwrap();
        let mut direct_body = body.clone();
        direct_body["userId"] = json!(1);
        let mut t = Instant::now();
        let mut res = http.post(&signed.url).json(&direct_body).send().await.expect("sandbox clink");
        if res.status() == 429 {
            // Refused for the rate (seen once: that second's share of the
            // path was used up, the edge's request counted): once more in
            // the next second, with a signature of its own, so the run goes on.
            tokio::time::sleep(Duration::from_millis(1050)).await;
            signer.expires = Expires::new(200 + i).unwrap();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
            let signed = signer.sign(Method::Post, "/aikb/search_knowledge_on_open", &[], now).unwrap();
            t = Instant::now();
            res = http.post(&signed.url).json(&direct_body).send().await.expect("sandbox clink");
        }
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let _ = res.bytes().await;
        if i >= 5 {
            direct.push(t.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(1050).saturating_sub(pair.elapsed())).await;
    }
    via_edge.sort();
    direct.sort();
    let (e50, d50) = (percentile(&via_edge, 0.5), percentile(&direct, 0.5));
    println!(
        "relay overhead, Clink search ({} alternating pairs, one a second): edge p50 {:.2} ms, p99 {:.2} ms | Clink direct p50 {:.2} ms, p99 {:.2} ms | added at p50 {:.2} ms (ratio {:.2})",
        via_edge.len(),
        ms(e50),
        ms(percentile(&via_edge, 0.99)),
        ms(d50),
        ms(percentile(&direct, 0.99)),
        ms(e50) - ms(d50),
        ms(e50) / ms(d50)
    );
    seen.sort_by(f64::total_cmp);
    let s50 = e2e::figures::percentile(&seen, 0.5);
    println!(
        "  Clink as the edge saw it (Server-Timing upstream, whole ms): p50 {s50:.0} ms, p99 {:.0} ms, {:.1} ms over Clink directly; the rest of the request {:.1} ms",
        e2e::figures::percentile(&seen, 0.99),
        s50 - ms(d50),
        ms(e50) - s50
    );
}
