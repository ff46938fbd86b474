//! How the board's cost grows with the work (scripts/bench.sh starts the
//! stack): `GET /api/board` at 1,000, 10,000 and 100,000 cases, the backend
//! answering directly beside it, and what the edge itself spent (its
//! `Server-Timing`: the backend, its own work written or kept, D1), the
//! bytes (raw and gzip -6, as Cloudflare compresses JSON on the way out), a
//! revalidation that answers 304, and the Worker runtime's resident memory
//! (workerd's peak and current RSS: the whole process), and, for a board
//! streamed because it is too large to read whole, the isolate's own
//! WebAssembly memory as the Worker logs it (`BENCH_EDGE_LOG`). Prints
//! figures; asserts nothing.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use e2e::*;
use serde_json::json;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip").args(["-6", "-c"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("gzip");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out.stdout.len()
}

/// `name;dur=…` of a Server-Timing header, and the `desc` of the edge's entry.
fn timing(header: &str, name: &str) -> f64 {
    header.split(',').map(str::trim).find(|e| e.starts_with(&format!("{name};"))).and_then(|e| e.split(';').find_map(|p| p.strip_prefix("dur="))).and_then(|d| d.parse().ok()).unwrap_or(f64::NAN)
}

/// workerd's (VmHWM, VmRSS) in MB: the runtime process holding the Worker.
/// The one listening on the edge's port when that is workerd itself (the
/// Worker run directly); otherwise (wrangler dev's proxy in front) the
/// largest workerd process, the only one while those figures are taken.
fn workerd_memory() -> Option<(f64, f64)> {
    let memory = |pid: &str| -> Option<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let kb = |key: &str| status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        Some((kb("VmHWM:") / 1024.0, kb("VmRSS:") / 1024.0))
    };
    let port = edge().rsplit(':').next().unwrap_or_default().trim_end_matches('/').to_owned();
    let listening = Command::new("ss").args(["-ltnpH", &format!("sport = :{port}")]).output().ok().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    if listening.contains("\"workerd\"") {
        if let Some(pid) = listening.split("pid=").nth(1).and_then(|r| r.split(',').next()) {
            return memory(pid);
        }
    }
    let out = Command::new("pgrep").args(["-x", "workerd"]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).split_whitespace().filter_map(memory).max_by(|a, b| a.0.total_cmp(&b.0))
}

/// The last line of the Worker's log (`BENCH_EDGE_LOG`, when the bench
/// started the Worker itself) that contains `what`: a streamed board logs
/// its cases, bytes and the isolate's WebAssembly memory there.
fn worker_log_line(what: &str) -> Option<String> {
    let log = std::fs::read_to_string(std::env::var("BENCH_EDGE_LOG").ok()?).ok()?;
    log.lines().rev().find(|l| l.contains(what)).map(str::to_owned)
}

#[tokio::main]
async fn main() {
    reset().await;
    let http = client();
    let m = mediator();
    // BENCH_CASES=1000,10000 leaves out the largest (wrangler dev's inspector cannot carry it).
    let sizes: Vec<usize> = std::env::var("BENCH_CASES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .map(|n| n.trim().parse().expect("BENCH_CASES: case counts, comma-separated"))
        .collect();
    for cases in sizes {
        let scaled = control("/control/scale", json!({ "cases": cases })).await;
        assert_eq!(scaled["cases"].as_u64(), Some(cases as u64), "{scaled}");
        // The backend alone.
        let mut direct = vec![];
        let mut direct_bytes = 0;
        for _ in 0..3 {
            let t = Instant::now();
            let body = http
                .get(format!("{}/api/v1/mediation-timeline/v2/board", mediation()))
                .header("authorization", "Bearer sandbox-mediation-token")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            direct.push(ms(t.elapsed()));
            direct_bytes = body.len();
        }
        direct.sort_by(f64::total_cmp);
        // Through the edge: the first answer writes the cases, the next ones keep them.
        let mut rows = vec![];
        let mut tag = String::new();
        let mut body_len = (0, 0);
        for i in 0..5 {
            let t = Instant::now();
            let res = api(reqwest::Method::GET, "/api/board", &m).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let header = res.headers().get("server-timing").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            tag = res.headers().get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let body = res.bytes().await.unwrap();
            let total = ms(t.elapsed());
            if i == 0 {
                body_len = (body.len(), gzip_len(&body));
            }
            let how = ["kept", "written", "streamed"].into_iter().find(|d| header.contains(&format!("desc={d}"))).unwrap_or("?");
            rows.push((total, timing(&header, "upstream"), timing(&header, "edge"), timing(&header, "d1"), how));
        }
        let t = Instant::now();
        let res = api(reqwest::Method::GET, "/api/board", &m).header("If-None-Match", &tag).send().await.unwrap();
        let revalidated = (res.status().as_u16(), ms(t.elapsed()), res.bytes().await.unwrap().len());
        let memory = workerd_memory();
        println!("board at {cases} cases: the backend directly p50 {:.0} ms ({direct_bytes} bytes)", direct[direct.len() / 2]);
        for (i, (total, upstream, edge, d1, how)) in rows.iter().enumerate() {
            if *how == "streamed" {
                println!(
                    "  edge #{}: total {total:.0} ms, streamed: the backend's first bytes {upstream:.0} ms (D1 {d1:.0} ms beside them), the first part written {edge:.0} ms, the rest read and written as it came {:.0} ms",
                    i + 1,
                    total - upstream - edge
                );
            } else {
                println!("  edge #{}: total {total:.0} ms = backend {upstream:.0} ms + the edge's own work {edge:.0} ms ({how}) + D1 {d1:.0} ms + the rest {:.0} ms", i + 1, total - upstream - edge - d1);
            }
        }
        println!("  bytes: {} raw, {} gzip -6; a revalidation (If-None-Match): HTTP {} in {:.0} ms, {} bytes", body_len.0, body_len.1, revalidated.0, revalidated.1, revalidated.2);
        if let Some(line) = worker_log_line("board: ") {
            println!("  the Worker's log: {line}");
        }
        match memory {
            Some((hwm, rss)) => println!("  workerd memory: peak {hwm:.0} MB, now {rss:.0} MB (the whole runtime process, not one isolate)"),
            None => println!("  workerd memory: not found"),
        }
    }
    reset().await;
}
