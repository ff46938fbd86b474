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
async fn the_answer_says_how_long_storing_took_and_where_the_time_went() {
    let job = unique("job-");
    let call = unique("call-");
    let body = json!([record(&call, "通话质检", "2026-11-22 10:00:00", qi(2), &job)]);
    let res = client().post(hook(WEBHOOK_TOKEN)).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let part = |name: &str| figures::server_timing(res.headers(), name).unwrap_or_else(|| panic!("Server-Timing has no {name}: {:?}", res.headers().get("server-timing")));
    let (store, records, derived) = (part("store"), part("records"), part("derived"));
    for (name, ms) in [("store", store), ("records", records), ("derived", derived)] {
        assert!(ms >= 0.0, "{name} is {ms}");
    }
    assert!(records + derived <= store, "the parts ({records} + {derived}) lie within storing ({store})");
    // What the answer timed was done before it.
    assert_eq!(notes(&job).await.len(), 1);
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

async fn dead_letters_with(needle: &str) -> Vec<Value> {
    let (status, letters) = get("/api/admin/dead-letters", &admin()).await;
    assert_eq!(status, 200, "{letters}");
    letters["deadLetters"].as_array().unwrap().iter().filter(|l| l["raw"].as_str().unwrap().contains(needle)).cloned().collect()
}

#[tokio::test]
async fn a_mixed_batch_keeps_every_record_with_a_key_and_dead_letters_only_the_rest() {
    let job = unique("job-");
    let keyless = unique("keyless-");
    let body = json!([
        record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job),
        // No biz_id: no key, so a dead letter.
        { "call_id": keyless, "success": true, "error_code": "success", "type": "通话质检", "result": "[]" },
        // A result that is not JSON, an over-full score, a null problem, a fractional score, an unknown type: all kept.
        { "call_id": unique("call-"), "biz_id": "1", "out_id": job, "success": true, "error_code": "success", "type": "通话质检", "result": "[{\"item\":" },
        record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", json!([{ "item": "x", "full_score": 5, "score": 9, "problem": "", "suggestion": "" }]), &job),
        record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", json!([{ "item": "x", "full_score": 10, "score": 7.5, "problem": null, "suggestion": "s" }]), &job),
        record(&unique("call-"), "通话情绪", "2026-11-22 10:00:00", json!({ "情绪": "平稳" }), &job),
    ]);
    let (status, reply) = push(&body).await;
    assert_eq!(status, 200);
    assert_eq!(reply["code"], 0);
    assert!(reply["msg"].as_str().unwrap().contains("1 条记录"), "{reply}");
    let stored = notes(&job).await;
    assert_eq!(stored.len(), 5);
    let kinds: Vec<&str> = stored.iter().map(|n| n["outcome"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "unreadable").count(), 2, "{kinds:?}");
    let fractional = stored.iter().find(|n| n["outcome"]["items"][0]["score"] == 7.5).expect("the fractional score is on the board");
    let fields: Vec<&str> = fractional["outcome"]["issues"].as_array().unwrap().iter().map(|i| i["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["result[0].score", "result[0].problem"]);
    let overfull = stored.iter().find(|n| n["outcome"]["items"][0]["score"] == 9).expect("the over-full score is on the board");
    assert_eq!(overfull["outcome"]["issues"][0]["field"], "result[0].score");
    let mine = dead_letters_with(&keyless).await;
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0]["field"].clone(), mine[0]["encoding"].clone()), (json!("[1].biz_id"), json!("utf8")));
    // Mediators may not read or replay dead letters.
    assert_eq!(get("/api/admin/dead-letters", &mediator()).await.0, 403);

    // Replaying it unchanged fails again; corrected, it is stored once.
    let id = mine[0]["id"].as_i64().unwrap();
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({})).await;
    assert_eq!((status, body["error"]["field"].clone()), (422, json!("biz_id")), "{body}");
    let fixed = record(&keyless, "通话质检", "2026-11-22 10:00:00", qi(7), &job);
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({ "record": fixed })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(notes(&job).await.len(), 6);
    let (status, _) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({ "record": fixed })).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn bodies_that_cannot_be_read_are_kept_whole_and_acknowledged() {
    let marker = unique("unreadable-");
    // Not JSON at all, not an array, not UTF-8: each kept whole, answered 200.
    let bodies: Vec<Vec<u8>> = vec![
        format!("[{{not json {marker}").into_bytes(),
        format!("{{\"not\":\"an array {marker}\"}}").into_bytes(),
        [format!("[\"{marker}").as_bytes(), b"\xff\xfe\"]"].concat(),
    ];
    for body in &bodies {
        let res = client().post(hook(WEBHOOK_TOKEN)).body(body.clone()).send().await.unwrap();
        assert_eq!(res.status(), 200, "{:?}", String::from_utf8_lossy(body));
        assert_eq!(res.json::<Value>().await.unwrap()["code"], 0);
    }
    let kept = dead_letters_with(&marker).await;
    assert_eq!(kept.len(), 2, "the two UTF-8 bodies, as text: {kept:?}");
    let (_, letters) = get("/api/admin/dead-letters", &admin()).await;
    let binary: Vec<&Value> = letters["deadLetters"].as_array().unwrap().iter().filter(|l| l["encoding"] == "base64").collect();
    let wanted = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&bodies[2][1..bodies[2].len() - 1])
    };
    assert!(binary.iter().any(|l| l["raw"] == wanted.as_str()), "the element that is not UTF-8 is kept byte for byte");
}

#[tokio::test]
async fn one_broken_record_keeps_the_good_ones() {
    let job = unique("job-");
    let good = |n: i64| record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(n), &job).to_string();
    let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
    let body = format!("[{}, {{\"call_id\": \"{job}\", \"biz_id\": }}, {deep}, {}]", good(5), good(6));
    let res = client().post(hook(WEBHOOK_TOKEN)).body(body).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(notes(&job).await.len(), 2);
    let broken = dead_letters_with(&format!("\"call_id\": \"{job}\"")).await;
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0]["field"], "[1]");
}

#[tokio::test]
async fn oversize_and_wrong_tokens_are_refused_without_storing() {
    let job = unique("job-");
    let body = json!([record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job)]);
    let res = client().post(hook("wrong-token")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(notes(&job).await.is_empty());
    let huge = format!("[{}]", " ".repeat(1024 * 1024 + 10));
    let res = client().post(hook(WEBHOOK_TOKEN)).body(huge.clone()).send().await.unwrap();
    assert_eq!(res.status(), 413);
    // Without a Content-Length (chunked), the limit holds as the body is read.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = huge.into_bytes().chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let res = client()
        .post(hook(WEBHOOK_TOKEN))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn a_large_record_among_small_ones_is_stored_whole() {
    let job = unique("job-");
    let long_text = "调解员详细记录了双方的陈述。".repeat(20_000); // about 400 KB of UTF-8
    let big = record(&unique("call-"), "通话摘要", "2026-11-22 10:00:00", json!({ "通话摘要": long_text }), &job);
    let body = json!([record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(8), &job), big, record(&unique("call-"), "通话质检", "2026-11-22 10:00:00", qi(9), &job)]);
    assert!(body.to_string().len() > 400_000 && body.to_string().len() < 1024 * 1024);
    assert_eq!(push(&body).await.0, 200);
    let stored = notes(&job).await;
    assert_eq!(stored.len(), 3);
    let summary = stored.iter().find(|n| n["type"] == "通话摘要").unwrap();
    assert_eq!(summary["outcome"]["tags"]["通话摘要"].as_str().unwrap(), long_text);
}

#[tokio::test]
async fn a_report_time_that_is_not_a_time_never_blocks_a_later_delivery() {
    let job = unique("job-");
    let call = unique("call-");
    push(&json!([record(&call, "通话质检", "x", qi(2), &job)])).await;
    let first = notes(&job).await;
    assert_eq!(first[0]["outcome"]["issues"][0]["field"], "report_time");
    push(&json!([record(&call, "通话质检", "2026-11-22 10:00:00", qi(9), &job)])).await;
    assert_eq!(notes(&job).await[0]["outcome"]["items"][0]["score"], 9);
}

#[tokio::test]
async fn new_content_with_the_same_report_time_is_shown_and_the_old_kept_in_history() {
    let job = unique("job-");
    let call = unique("call-");
    let at = "2026-11-22 10:00:00";
    push(&json!([record(&call, "通话质检", at, qi(4), &job)])).await;
    push(&json!([record(&call, "通话质检", at, qi(8), &job)])).await;
    // A redelivery of the first changes nothing.
    push(&json!([record(&call, "通话质检", at, qi(4), &job)])).await;
    let stored = notes(&job).await;
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0]["outcome"]["items"][0]["score"].clone(), stored[0]["versions"].clone()), (json!(8), json!(2)));
    let path = format!("/api/notes/history?callId={call}&bizId=90001&type=%E9%80%9A%E8%AF%9D%E8%B4%A8%E6%A3%80");
    let (status, history) = get(&path, &token("wanglei", shared::wire::session::Role::Supervisor)).await;
    assert_eq!(status, 200, "{history}");
    let versions = history["versions"].as_array().unwrap();
    let scores: Vec<(Value, Value)> = versions.iter().map(|v| (v["outcome"]["items"][0]["score"].clone(), v["current"].clone())).collect();
    assert_eq!(scores, [(json!(8), json!(true)), (json!(4), json!(false))]);
    assert_eq!(get(&path, &mediator()).await.0, 403, "mediators do not open raw history");
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

/// A dead letter of its own (a record without `biz_id`); its id.
async fn a_dead_letter() -> (i64, String) {
    let keyless = unique("keyless-");
    let (status, _) = push(&json!([{ "call_id": keyless, "success": true, "error_code": "success", "type": "通话质检", "result": "[]" }])).await;
    assert_eq!(status, 200);
    let mine = dead_letters_with(&keyless).await;
    assert_eq!(mine.len(), 1);
    (mine[0]["id"].as_i64().unwrap(), keyless)
}

async fn audit_of(id: i64) -> Vec<Value> {
    let (status, body) = get("/api/audit", &admin()).await;
    assert_eq!(status, 200, "{body}");
    let target = format!("dead-letter:{id}");
    body["entries"].as_array().unwrap().iter().filter(|e| e["target"] == target.as_str()).cloned().collect()
}

#[tokio::test]
async fn a_dead_letter_discarded_with_a_reason_leaves_the_open_list_is_audited_and_cannot_be_replayed() {
    let (id, keyless) = a_dead_letter().await;
    let path = format!("/api/admin/dead-letters/{id}/discard");
    // Only admins; a reason is required, at most 200 characters; nothing changes on a refusal.
    assert_eq!(post(&path, &mediator(), json!({ "reason": "x" })).await.0, 403);
    for bad in [json!({ "reason": "   " }), json!({ "reason": "因".repeat(201) }), json!({})] {
        let (status, body) = post(&path, &admin(), bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
        if bad.get("reason").is_some() {
            assert_eq!(body["error"]["field"], "reason", "{body}");
        }
    }
    assert_eq!(dead_letters_with(&keyless).await.len(), 1, "still open after the refusals");
    assert_eq!(audit_of(id).await.len(), 0);
    assert_eq!(post("/api/admin/dead-letters/999999999/discard", &admin(), json!({ "reason": "x" })).await.0, 404);

    let (status, body) = post(&path, &admin(), json!({ "reason": " 测试推送,无需保存 " })).await;
    assert_eq!((status, body), (200, json!({ "id": id, "discarded": true })));
    assert_eq!(dead_letters_with(&keyless).await.len(), 0, "no longer open");
    let (_, all) = get("/api/admin/dead-letters?all=true", &admin()).await;
    let kept = all["deadLetters"].as_array().unwrap().iter().find(|l| l["id"] == id).expect("kept").clone();
    assert_eq!((kept["discardedBy"].clone(), kept["discardReason"].clone(), kept["replayedAt"].clone()), (json!("admin"), json!("测试推送,无需保存"), Value::Null));
    assert!(kept["discardedAt"].as_i64().unwrap() > 0, "{kept}");
    let audit = audit_of(id).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!((audit[0]["action"].clone(), audit[0]["user"].clone(), audit[0]["outcome"].clone()), (json!("dead_letter_discard"), json!("admin"), json!("测试推送,无需保存")));

    // Once only; and a discarded letter is not replayed.
    let (status, body) = post(&path, &admin(), json!({ "reason": "again" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (409, json!("already_discarded")), "{body}");
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({})).await;
    assert_eq!((status, body["error"]["code"].clone()), (409, json!("already_discarded")), "{body}");
    assert_eq!(audit_of(id).await.len(), 1);
}

#[tokio::test]
async fn a_replayed_dead_letter_is_audited_and_can_no_longer_be_discarded() {
    let (id, keyless) = a_dead_letter().await;
    let job = unique("job-");
    let fixed = record(&keyless, "通话质检", "2026-11-22 10:00:00", qi(9), &job);
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/replay"), &admin(), json!({ "record": fixed })).await;
    assert_eq!((status, body), (200, json!({ "id": id, "replayed": true, "stored": true })));
    let audit = audit_of(id).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!((audit[0]["action"].clone(), audit[0]["outcome"].clone()), (json!("dead_letter_replay"), json!("stored")));
    let (_, all) = get("/api/admin/dead-letters?all=true", &admin()).await;
    let kept = all["deadLetters"].as_array().unwrap().iter().find(|l| l["id"] == id).expect("kept").clone();
    assert_eq!((kept["replayedBy"].clone(), kept["discardedAt"].clone()), (json!("admin"), Value::Null));
    let (status, body) = post(&format!("/api/admin/dead-letters/{id}/discard"), &admin(), json!({ "reason": "late" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (409, json!("already_replayed")), "{body}");
}
