//! The note-agent webhook: store before acknowledging, duplicates and
//! reordering, mixed batches, oversize, wrong token, malformed JSON, a storage
//! failure followed by a successful retry, and dead-letter replay.

use e2e::*;
use serde_json::{json, Value};

fn hook(token: &str) -> String {
    format!("{}/webhooks/note-agent/{token}", edge())
}

fn record(call_id: &str, kind: &str, report_time: &str, result: Value, out_id: &str) -> Value {
    json!({
        "call_id": call_id, "biz_id": "90001", "out_id": out_id, "cell_number": "13922111489",
        "success": true, "error_code": "success", "error_msg": "success", "content_length": 120, "duration": 60,
        "start_time": "2026-11-22 09:59:00", "report_time": report_time, "type": kind, "result": result.to_string()
    })
}

fn qi(score: i64) -> Value {
    json!([{ "item": "开场规范", "full_score": 10, "score": score, "problem": "无", "suggestion": "继续保持" }])
}

async fn push(body: &Value) -> (u16, Value) {
    let res = client().post(hook(WEBHOOK_TOKEN)).json(body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn notes(job: &str) -> Vec<Value> {
    let (status, body) = get(&format!("/api/notes?jobId={job}"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    body["notes"].as_array().unwrap().clone()
}

#[tokio::test]
async fn stores_then_acknowledges_and_ignores_redelivery() {
    let job = unique("job-");
    let call = unique("call-");
    let body = json!([record(&call, "通话质检", "2026-11-22 10:00:00", qi(9), &job), record(&call, "通话摘要", "2026-11-22 10:00:00", json!({ "通话结果": ["同意协议"], "通话摘要": "已同意" }), &job)]);
    assert_eq!(push(&body).await, (200, json!({ "code": 0, "msg": "接收成功" })));
    assert_eq!(push(&body).await.0, 200, "a redelivery is acknowledged");
    let stored = notes(&job).await;
    assert_eq!(stored.len(), 2, "and stores nothing twice");
    assert_eq!(stored[0]["cellNumber"], "139****1489");
}

#[tokio::test]
async fn an_older_record_arriving_late_does_not_overwrite_a_newer_one() {
    let job = unique("job-");
    let call = unique("call-");
    push(&json!([record(&call, "通话质检", "2026-11-22 10:05:00", qi(10), &job)])).await;
    push(&json!([record(&call, "通话质检", "2026-11-22 10:00:00", qi(3), &job)])).await;
    let stored = notes(&job).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["outcome"]["items"][0]["score"], 10);
    // A newer one does replace it.
    push(&json!([record(&call, "通话质检", "2026-11-22 10:09:00", qi(6), &job)])).await;
    assert_eq!(notes(&job).await[0]["outcome"]["items"][0]["score"], 6);
}

#[tokio::test]
async fn a_mixed_batch_keeps_the_good_and_dead_letters_the_bad() {
    let job = unique("job-");
    let bad_call = unique("bad-");
    let body = json!([
        record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job),
        { "call_id": bad_call, "biz_id": "1", "success": true, "error_code": "success", "type": "通话质检", "result": "[{\"item\":" },
        record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", json!([{ "item": "x", "full_score": 5, "score": 9, "problem": "", "suggestion": "" }]), &job),
    ]);
    let (status, reply) = push(&body).await;
    assert_eq!(status, 200);
    assert_eq!(reply["code"], 0);
    assert!(reply["msg"].as_str().unwrap().contains("2 条记录"), "{reply}");
    assert_eq!(notes(&job).await.len(), 1);
    let (status, letters) = get("/api/admin/dead-letters", &admin()).await;
    assert_eq!(status, 200);
    let mine: Vec<&Value> = letters["deadLetters"].as_array().unwrap().iter().filter(|l| l["raw"].as_str().unwrap().contains(&bad_call)).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["field"], "[1].result");
    // Mediators may not read or replay dead letters.
    assert_eq!(get("/api/admin/dead-letters", &mediator()).await.0, 403);

    // Replaying it unchanged fails again; corrected, it is stored once.
    let id = mine[0]["id"].as_i64().unwrap();
    let (status, _) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({})).await;
    assert_eq!(status, 422);
    let fixed = record(&bad_call, "通话质检", "2026-11-22 10:00:00", qi(7), &job);
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({ "record": fixed })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(notes(&job).await.len(), 2);
    let (status, _) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({ "record": fixed })).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn wrong_token_malformed_and_oversize_are_refused_without_storing() {
    let job = unique("job-");
    let body = json!([record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job)]);
    let res = client().post(hook("wrong-token")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(notes(&job).await.is_empty());
    let res = client().post(hook(WEBHOOK_TOKEN)).body("[{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let reply: Value = res.json().await.unwrap();
    assert!(reply["msg"].as_str().unwrap().contains("JSON"), "{reply}");
    let res = client().post(hook(WEBHOOK_TOKEN)).body("{\"not\":\"an array\"}").send().await.unwrap();
    assert_eq!(res.status(), 400);
    let huge = format!("[{}]", " ".repeat(1024 * 1024 + 10));
    let res = client().post(hook(WEBHOOK_TOKEN)).body(huge).send().await.unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn a_storage_failure_answers_500_and_the_retry_loses_nothing() {
    let job = unique("job-");
    let body = json!([record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job), record(&unique("call-"), "通话摘要", "2026-11-22 10:00:00", json!({ "通话摘要": "x" }), &job)]);
    let res = client().post(hook(WEBHOOK_TOKEN)).header("X-Sandbox-Fault", "storage").json(&body).send().await.unwrap();
    assert_eq!(res.status(), 500);
    assert!(notes(&job).await.is_empty(), "a failed batch stores nothing");
    assert_eq!(push(&body).await.0, 200);
    assert_eq!(notes(&job).await.len(), 2);
}

#[tokio::test]
async fn the_sandbox_note_agent_delivers_through_the_edge_with_faults() {
    reset().await;
    let job = connected_job().await;
    control("/control/faults/notes", json!({ "duplicate": true, "outOfOrder": true, "mixed": true })).await;
    control("/control/push", json!({ "jobId": job })).await;
    for _ in 0..50 {
        let d = control_get("/control/deliveries").await;
        let all = d["deliveries"].as_array().unwrap();
        if all.len() == 2 && all.iter().all(|x| x["state"] == "delivered") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let d = control_get("/control/deliveries").await;
    assert!(d["deliveries"].as_array().unwrap().iter().all(|x| x["state"] == "delivered"), "{d}");
    let stored = notes(&job).await;
    let summaries: Vec<&Value> = stored.iter().filter(|n| n["type"] == "通话摘要").collect();
    assert!(!summaries.is_empty());
    for s in summaries {
        assert!(!s["outcome"].to_string().contains("旧版本"), "the late older summary did not win: {s}");
    }
}
