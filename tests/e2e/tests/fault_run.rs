//! The note agent with every fault switch on (duplicate deliveries,
//! reordering with a late older version, mixed batches with a record that
//! has no key, storage failures, answers slower than the agent's timeout),
//! over a few hundred records; then the sandbox's delivery ledger is compared
//! with what the edge kept: nothing lost, nothing doubled, the newest version
//! shown. Prints its figures (run with `--nocapture`).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use e2e::*;
use serde_json::{json, Value};
use shared::wire::session::Role;

/// (call_id, biz_id, type)
type Key = (String, String, String);

fn key_of(r: &Value) -> Option<Key> {
    let text = |name: &str| r[name].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    Some((text("call_id")?, text("biz_id")?, text("type")?))
}

/// A record's content as the edge digests it: its JSON with members sorted.
fn content(r: &Value) -> String {
    r.to_string()
}

#[tokio::test]
async fn the_note_agent_with_every_fault_on_loses_and_doubles_nothing() {
    reset().await;
    control(
        "/control/faults/notes",
        json!({ "pushDelayMs": 0, "retryScale": 600.0, "duplicate": true, "outOfOrder": true, "mixed": true, "storageFaults": 0.3, "slowAnswers": 0.04 }),
    )
    .await;
    let logs = backend("/api/v1/outbound-bot/conversation-log").await;
    let jobs: Vec<String> =
        logs["data"].as_array().unwrap().iter().filter(|l| !l["recordUrl"].as_str().unwrap().is_empty()).map(|l| l["jobId"].as_str().unwrap().to_owned()).collect();
    assert!(jobs.len() >= 20, "{} connected calls", jobs.len());
    const PUSHES: usize = 40;
    let started = Instant::now();
    for i in 0..PUSHES {
        control("/control/push", json!({ "jobId": jobs[i % jobs.len()] })).await;
    }
    // Wait until every delivery has been delivered or given up.
    let deliveries = loop {
        let d = control_get("/control/deliveries").await["deliveries"].as_array().unwrap().clone();
        if d.len() == 2 * PUSHES && d.iter().all(|x| x["state"] != "pending") {
            break d;
        }
        assert!(started.elapsed() < Duration::from_secs(240), "deliveries still pending after 4 minutes");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let took = started.elapsed();

    // What the agent handed over (a 200 answer) and what it gave up on.
    let mut expected: BTreeMap<Key, BTreeMap<String, Value>> = BTreeMap::new();
    let mut keyless: Vec<Value> = vec![];
    let (mut records_sent, mut attempts, mut given_up, mut storage_faults, mut slow) = (0, 0, 0, 0, 0);
    for d in &deliveries {
        let body: Vec<Value> = serde_json::from_str(d["body"].as_str().unwrap()).unwrap();
        let tries = d["attempts"].as_array().unwrap();
        attempts += tries.len();
        storage_faults += tries.iter().filter(|a| a["fault"] == "storage").count();
        slow += tries.iter().filter(|a| a["fault"] == "slow").count();
        records_sent += body.len() * tries.len();
        // A slow answer stored the records even though the agent timed out.
        let kept = d["state"] == "delivered" || tries.iter().any(|a| a["fault"] == "slow");
        if d["state"] == "given_up" {
            given_up += 1;
        }
        if !kept {
            continue;
        }
        for r in body {
            match key_of(&r) {
                Some(k) => {
                    expected.entry(k).or_default().insert(content(&r), r);
                }
                None => keyless.push(r),
            }
        }
    }

    // What the edge kept.
    let supervisor = token("wanglei", Role::Supervisor);
    let (mut lost, mut doubled, mut stale) = (0, 0, 0);
    let mut by_job: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, versions) in &expected {
        let job = versions.values().next().unwrap()["out_id"].as_str().unwrap().to_owned();
        if !by_job.contains_key(&job) {
            let (status, body) = get(&format!("/api/notes?jobId={job}"), &supervisor).await;
            assert_eq!(status, 200, "{body}");
            let notes = body["notes"].as_array().unwrap().clone();
            let keys: Vec<(String, String, String)> =
                notes.iter().map(|n| (n["callId"].as_str().unwrap().into(), n["bizId"].as_str().unwrap().into(), n["type"].as_str().unwrap().into())).collect();
            doubled += keys.len() - keys.iter().collect::<BTreeSet<_>>().len();
            by_job.insert(job.clone(), notes);
        }
        let path = format!(
            "/api/notes/history?callId={}&bizId={}&type={}",
            key.0.replace('^', "%5E"),
            key.1,
            if key.2 == "通话质检" { "%E9%80%9A%E8%AF%9D%E8%B4%A8%E6%A3%80" } else { "%E9%80%9A%E8%AF%9D%E6%91%98%E8%A6%81" }
        );
        let (status, history) = get(&path, &supervisor).await;
        assert_eq!(status, 200, "{history}");
        let kept: Vec<Value> = history["versions"].as_array().unwrap().iter().map(|v| serde_json::from_str(v["raw"].as_str().unwrap()).unwrap()).collect();
        let kept_contents: BTreeSet<String> = kept.iter().map(content).collect();
        lost += versions.keys().filter(|c| !kept_contents.contains(*c)).count();
        doubled += kept.len() - kept_contents.len();
        // The newest delivered version (by report time) is the one shown.
        let newest = versions.values().max_by_key(|r| r["report_time"].as_str().unwrap().to_owned()).unwrap();
        let shown = history["versions"].as_array().unwrap().iter().find(|v| v["current"] == true).map(|v| serde_json::from_str::<Value>(v["raw"].as_str().unwrap()).unwrap());
        if shown.as_ref().map(content) != Some(content(newest)) {
            stale += 1;
        }
    }
    let (_, letters) = get("/api/admin/dead-letters?all=true", &admin()).await;
    let letters = letters["deadLetters"].as_array().unwrap().clone();
    let keyless_lost = keyless.iter().filter(|r| !letters.iter().any(|l| l["raw"].as_str().unwrap().contains(r["biz_id"].as_str().unwrap()))).count();
    let versions: usize = expected.values().map(BTreeMap::len).sum();
    println!(
        "[fault run] {PUSHES} pushes -> {} deliveries, {attempts} attempts ({storage_faults} storage failures, {slow} slow answers), \
         {records_sent} records sent in {:.1} s; {} keys / {versions} versions handed over, {} without a key; \
         given up by the agent: {given_up}; lost: {}, doubled: {doubled}, not the newest shown: {stale}",
        deliveries.len(),
        took.as_secs_f64(),
        expected.len(),
        keyless.len(),
        lost + keyless_lost,
    );
    control("/control/faults/notes", json!({ "duplicate": false, "outOfOrder": false, "mixed": false, "storageFaults": 0.0, "slowAnswers": 0.0 })).await;
    assert!(records_sent >= 300, "a few hundred records: {records_sent}");
    assert!(storage_faults > 0 && slow > 0, "both faults struck: {storage_faults} storage, {slow} slow");
    assert!(expected.values().any(|v| v.len() > 1), "some records came in two versions");
    assert_eq!(lost + keyless_lost, 0, "lost");
    assert_eq!(doubled, 0, "doubled");
    assert_eq!(stale, 0, "not the newest shown");
}
