//! The note agent: pushes on call completion, the 1/5/10-minute retry rule
//! (time-scaled), every attempt recorded, and the fault switches.

mod common;

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::note::{self, NoteOutcome, NoteType};

/// A finished, connected seeded call.
async fn connected_job(h: &common::Harness) -> String {
    let (_, logs) = h.med_get("/api/v1/outbound-bot/conversation-log").await;
    logs["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["callStatus"].as_str().unwrap().starts_with("Succeeded") && l["conversations"].as_str().unwrap().len() > 300)
        .unwrap()["jobId"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn wait_for<F: Fn(&Value) -> bool>(h: &common::Harness, what: &str, done: F) -> Value {
    for _ in 0..100 {
        let d = h.control_get("/control/deliveries").await;
        if done(&d) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}: {}", h.control_get("/control/deliveries").await);
}

#[tokio::test]
async fn a_push_carries_both_records_for_the_call() {
    let h = common::start().await;
    let job = connected_job(&h).await;
    h.control("/control/faults/notes", json!({ "forceFailure": false })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    let d = wait_for(&h, "delivery", |d| d["deliveries"][0]["state"] == "delivered").await;
    assert_eq!(d["deliveries"][0]["attempts"].as_array().unwrap().len(), 1);
    let body = h.receiver.lock().unwrap().bodies[0].clone();
    let records = note::parse_push(&body).unwrap();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.out_id.as_deref() == Some(job.as_str())));
    assert!(records.iter().all(|r| r.cell_number.as_deref().is_some_and(|c| c.len() == 11)));
    let kinds: Vec<NoteType> = records.iter().map(|r| r.note_type.clone()).collect();
    assert_eq!(kinds, [NoteType::QualityInspection, NoteType::Summary]);
    for r in &records {
        match r.decode() {
            NoteOutcome::QualityInspection { items, issues } => {
                assert_eq!(note::quality_total(&items).1, 100.0);
                assert!(issues.is_empty(), "{issues:?}");
            }
            NoteOutcome::Summary { tags, issues } => {
                assert!(tags.get("通话摘要").is_some());
                assert!(issues.is_empty(), "{issues:?}");
            }
            NoteOutcome::Failed { .. } => {}
            other => panic!("the sandbox sends readable records: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_finished_call_is_pushed_without_being_asked() {
    let h = common::start().await;
    let (case_id, mediation_id, parties) = h.first_case().await;
    let (_, body) = h
        .med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": parties[0] }))
        .await;
    let job = body["data"][0]["jobId"].as_str().unwrap().to_owned();
    h.control(&format!("/control/calls/{job}/outcome"), json!({ "status": "Succeeded" })).await;
    let d = wait_for(&h, "automatic push", |d| d["deliveries"].as_array().unwrap().iter().any(|x| x["jobId"] == job.as_str() && x["state"] == "delivered")).await;
    assert_eq!(d["deliveries"].as_array().unwrap().len(), 1);
    // A call that did not connect has nothing to infer.
    let (_, body) = h
        .med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": parties[1] }))
        .await;
    let job2 = body["data"][0]["jobId"].as_str().unwrap().to_owned();
    h.control(&format!("/control/calls/{job2}/outcome"), json!({ "status": "NoAnswer" })).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let d = h.control_get("/control/deliveries").await;
    assert!(d["deliveries"].as_array().unwrap().iter().all(|x| x["jobId"] != job2.as_str()));
    let (_, status) = h.med_get(&format!("/api/v1/outbound-bot/status?jobId={job2}")).await;
    assert_eq!(status["data"]["callStatus"], "NoAnswer");
}

#[tokio::test]
async fn retries_follow_one_five_ten_minutes_then_stop() {
    let h = common::start().await;
    let job = connected_job(&h).await;
    // 300x: 1, 5 and 10 minutes become 0.2, 1 and 2 seconds.
    h.control("/control/faults/notes", json!({ "retryScale": 300.0 })).await;
    h.receiver.lock().unwrap().fail_next = 10;
    h.control("/control/push", json!({ "jobId": job })).await;
    let d = wait_for(&h, "giving up", |d| d["deliveries"][0]["state"] == "given_up").await;
    let attempts = d["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 4, "one push and three retries");
    assert!(attempts.iter().all(|a| a["status"] == 500));
    let at: Vec<f64> = attempts.iter().map(|a| a["afterMs"].as_f64().unwrap()).collect();
    let gaps = [at[1] - at[0], at[2] - at[1], at[3] - at[2]];
    for (gap, expected) in gaps.iter().zip([200.0, 1000.0, 2000.0]) {
        assert!(*gap >= expected && *gap < expected + 400.0, "gaps {gaps:?}");
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(h.receiver.lock().unwrap().bodies.len(), 4, "nothing after the third retry");
}

#[tokio::test]
async fn a_retry_that_succeeds_delivers() {
    let h = common::start().await;
    let job = connected_job(&h).await;
    h.control("/control/faults/notes", json!({ "retryScale": 600.0 })).await;
    h.receiver.lock().unwrap().fail_next = 1;
    h.control("/control/push", json!({ "jobId": job })).await;
    let d = wait_for(&h, "delivery", |d| d["deliveries"][0]["state"] == "delivered").await;
    let attempts = d["deliveries"][0]["attempts"].as_array().unwrap();
    assert_eq!((attempts[0]["status"].clone(), attempts[1]["status"].clone()), (json!(500), json!(200)));
    let bodies = h.receiver.lock().unwrap().bodies.clone();
    assert_eq!(bodies[0], bodies[1], "a retry sends the same records");
}

#[tokio::test]
async fn duplicate_out_of_order_mixed_and_failure_switches() {
    let h = common::start().await;
    let job = connected_job(&h).await;

    h.control("/control/faults/notes", json!({ "duplicate": true })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    wait_for(&h, "two deliveries", |d| d["deliveries"].as_array().unwrap().iter().filter(|x| x["state"] == "delivered").count() == 2).await;
    let bodies = h.receiver.lock().unwrap().bodies.clone();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);

    h.control("/control/faults/notes", json!({ "duplicate": false, "outOfOrder": true })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    wait_for(&h, "third delivery", |d| d["deliveries"].as_array().unwrap().len() == 3 && d["deliveries"][2]["state"] == "delivered").await;
    let records = note::parse_push(&h.receiver.lock().unwrap().bodies[2]).unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].note_type, NoteType::Summary, "reversed");
    assert_eq!(records[2].note_type, NoteType::Summary);
    assert_eq!(records[0].key(), records[2].key(), "the same record twice");
    assert!(records[2].report_time < records[0].report_time, "the older version comes last");

    h.control("/control/faults/notes", json!({ "outOfOrder": false, "mixed": true })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    wait_for(&h, "fourth delivery", |d| d["deliveries"].as_array().unwrap().len() == 4 && d["deliveries"][3]["state"] == "delivered").await;
    let (good, bad) = note::parse_push_lenient(&h.receiver.lock().unwrap().bodies[3]).unwrap();
    assert_eq!((good.len(), bad.len()), (2, 1));

    h.control("/control/faults/notes", json!({ "mixed": false, "forceFailure": true })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    wait_for(&h, "fifth delivery", |d| d["deliveries"].as_array().unwrap().len() == 5 && d["deliveries"][4]["state"] == "delivered").await;
    let records = note::parse_push(&h.receiver.lock().unwrap().bodies[4]).unwrap();
    assert!(records.iter().all(|r| !r.success && r.error_code == note::PROCESS_FAIL));

    h.control("/control/faults/notes", json!({ "forceFailure": false, "paused": true })).await;
    h.control("/control/push", json!({ "jobId": job })).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(h.receiver.lock().unwrap().bodies.len(), 5, "paused");
    h.control("/control/faults/notes", json!({ "paused": false })).await;
    wait_for(&h, "resumed delivery", |d| d["deliveries"][5]["state"] == "delivered").await;
}

#[tokio::test]
async fn push_of_an_unknown_job_is_refused() {
    let h = common::start().await;
    let res = h.http.post(h.control_url("/control/push")).json(&json!({ "jobId": "nope" })).send().await.unwrap();
    assert_eq!(res.status(), 400);
}
