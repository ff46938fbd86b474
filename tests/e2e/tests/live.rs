//! Live updates over the WebSocket hub: authentication by first message,
//! events within a second, catching up after a reconnect.

use std::time::Duration;

use e2e::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn open(token: &str, since: Option<i64>) -> (Socket, i64) {
    let url = format!("{}/api/live", edge().replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket");
    ws.send(Message::text(json!({ "type": "hello", "token": token, "since": since }).to_string())).await.unwrap();
    let welcome = next(&mut ws, Duration::from_secs(5)).await.expect("welcome");
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    let last = welcome["lastSeq"].as_i64().unwrap();
    (ws, last)
}

async fn next(ws: &mut Socket, within: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(within, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return serde_json::from_str(&t).ok(),
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Err(_) => return None,
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(_))) => return None,
        }
    }
}

async fn event_of(ws: &mut Socket, kind: &str, within: Duration) -> Value {
    event_where(ws, kind, within, |_| true).await
}

/// The first event of `kind` that also satisfies `wanted`.
async fn event_where(ws: &mut Socket, kind: &str, within: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let msg = next(ws, left).await.unwrap_or_else(|| panic!("no matching {kind} event within {within:?}"));
        if msg["type"] == "event" && msg["event"]["kind"] == kind && wanted(&msg["event"]) {
            return msg["event"].clone();
        }
    }
}

#[tokio::test]
async fn actions_and_note_results_reach_open_boards_within_a_second() {
    reset().await;
    let (mut ws, _) = open(&mediator(), None).await;
    let (case_id, _, _) = open_case().await;
    let t = std::time::Instant::now();
    let (status, _) = post(&format!("/api/cases/{case_id}/takeover"), &token("lihua", shared::wire::session::Role::Mediator), json!({})).await;
    assert_eq!(status, 200);
    let event = event_of(&mut ws, "takeover", Duration::from_secs(1)).await;
    assert_eq!(event["caseId"], case_id.as_str());
    assert_eq!(event["data"]["takeoverUser"], "lihua");
    assert!(t.elapsed() < Duration::from_millis(1500));

    // A fresh call (the clock moved by a unique amount, so its results are new to D1).
    let job = fresh_finished_call().await;
    let event = event_of(&mut ws, "note_stored", Duration::from_secs(3)).await;
    assert_eq!(event["jobId"], job.as_str());
    // Every party's full number, as the backend holds it: none may travel in an event.
    // (Digits alone would be no test: the event's times and ids are digits too.)
    let direct = backend("/api/v1/mediation-timeline/v2/board").await;
    let phones: Vec<String> = direct["data"].as_array().unwrap().iter()
        .flat_map(|c| c["parties"].as_array().unwrap().iter().map(|p| p["phoneNumber"].as_str().unwrap().to_owned()))
        .collect();
    assert!(phones.len() >= 30, "the backend's parties and their numbers: {}", phones.len());
    let text = event.to_string();
    for phone in &phones {
        assert!(!text.contains(phone.as_str()), "{phone} travels in a note_stored event: {text}");
    }
}

#[tokio::test]
async fn a_client_that_reconnects_catches_up() {
    reset().await;
    let (ws, last) = open(&mediator(), None).await;
    drop(ws);
    let (case_id, _, _) = open_case().await;
    post(&format!("/api/cases/{case_id}/agreement"), &mediator(), json!({})).await;
    let (mut ws, _) = open(&mediator(), Some(last)).await;
    let event = event_of(&mut ws, "agreement_generated", Duration::from_secs(2)).await;
    assert_eq!(event["caseId"], case_id.as_str());
    assert!(event["seq"].as_i64().unwrap() > last);
}

#[tokio::test]
async fn upstream_changes_become_events() {
    reset().await;
    let (mut ws, _) = open(&mediator(), None).await;
    // Let the hub take its first look at the board.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let (case_id, mediation_id, people) = open_case().await;
    let res = call_directly(&case_id, mediation_id, &people[0]).await;
    assert_eq!(res.status(), 201);
    // (Earlier tests' changes may be reported first; look for this call.)
    let event = event_where(&mut ws, "call_status_changed", Duration::from_secs(8), |e| {
        e["caseId"] == case_id.as_str() && e["data"]["callStatus"] == "Scheduling"
    })
    .await;
    assert!(event["jobId"].is_string(), "{event}");
}

/// The hub reads a board over what the edge reads whole a case at a time.
#[tokio::test]
async fn upstream_changes_on_a_board_too_large_to_read_whole_become_events() {
    reset().await;
    let scaled = control("/control/scale", json!({ "cases": 12_000 })).await;
    assert_eq!(scaled["cases"].as_u64(), Some(12_000), "{scaled}");
    let (mut ws, _) = open(&mediator(), None).await;
    // The first look at 12,000 cases, and the wait after it (four times as long as it took).
    tokio::time::sleep(Duration::from_secs(8)).await;
    let (case_id, mediation_id, people) = open_case().await;
    let res = call_directly(&case_id, mediation_id, &people[0]).await;
    assert_eq!(res.status(), 201);
    let event = event_where(&mut ws, "call_status_changed", Duration::from_secs(30), |e| {
        e["caseId"] == case_id.as_str() && e["data"]["callStatus"] == "Scheduling"
    })
    .await;
    assert!(event["jobId"].is_string(), "{event}");
    reset().await;
}

#[tokio::test]
async fn a_bad_token_is_refused() {
    let url = format!("{}/api/live", edge().replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    ws.send(Message::text(json!({ "type": "hello", "token": "forged.token.x" }).to_string())).await.unwrap();
    let msg = next(&mut ws, Duration::from_secs(5)).await.unwrap();
    assert_eq!(msg["type"], "error");
    assert!(next(&mut ws, Duration::from_secs(5)).await.is_none(), "closed after the error");
    let res = api(reqwest::Method::GET, "/api/live", &mediator()).send().await.unwrap();
    assert_eq!(res.status(), 426, "plain HTTP is told to upgrade");
}

#[tokio::test]
async fn a_push_naming_more_than_128_calls_reaches_open_boards_whole() {
    let (mut ws, _) = open(&mediator(), None).await;
    let prefix = unique("fan-");
    let records: Vec<Value> = (0..150)
        .map(|i| {
            json!({
                "call_id": format!("{prefix}-c{i}"), "biz_id": "1", "out_id": format!("{prefix}-j{i}"), "success": true,
                "error_code": "success", "report_time": "2026-11-22 10:00:00", "type": "通话摘要", "result": "{\"通话摘要\":\"好\"}"
            })
        })
        .collect();
    let res = client().post(format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge())).json(&records).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mut heard = std::collections::BTreeSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while heard.len() < 150 {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Some(msg) = next(&mut ws, left).await else { break };
        if msg["type"] == "event" && msg["event"]["kind"] == "note_stored" {
            if let Some(job) = msg["event"]["jobId"].as_str().filter(|j| j.starts_with(&prefix)) {
                heard.insert(job.to_owned());
            }
        }
    }
    assert_eq!(heard.len(), 150, "every call's event reached the open board");
}

#[tokio::test]
async fn a_call_placed_outside_the_board_is_findable_once_the_note_agent_reports_on_it() {
    reset().await;
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (mut ws, _) = open(&mediator(), None).await;
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let (case_id, mediation_id, people) = open_case().await;
    let placed: Value = call_directly(&case_id, mediation_id, &people[0]).await.json().await.unwrap();
    let job = placed["data"][0]["jobId"].as_str().unwrap().to_owned();
    // The hub sees the case's new call on the board, and notes whose call it is.
    event_where(&mut ws, "call_status_changed", Duration::from_secs(8), |e| e["jobId"] == job.as_str()).await;
    control(&format!("/control/calls/{job}/outcome"), json!({ "status": "Succeeded" })).await;
    control("/control/push", json!({ "jobId": job })).await;
    // Nobody opens the case: the push alone gets the call indexed.
    let started = std::time::Instant::now();
    loop {
        let (status, body) = get(&format!("/api/search?q=%E4%BA%BA%E6%B0%91%E8%B0%83%E8%A7%A3&caseId={case_id}"), &mediator()).await;
        assert_eq!(status, 200, "{body}");
        if body["hits"].as_array().unwrap().iter().any(|h| h["jobId"] == job.as_str()) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "call {job} was not indexed: {body}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn a_party_whose_calls_end_not_connected_three_times_in_a_row_needs_attention() {
    reset().await;
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let supervisor = token("run-supervisor", shared::wire::session::Role::Supervisor);
    let (mut ws, _) = open(&supervisor, None).await;
    // Let the hub take its first look at the board.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let (case_id, mediation_id, people) = open_case().await;
    let jobs_now = std::cell::RefCell::new(Vec::<String>::new());
    // This test's entries: of the rule, linking one of the calls placed here.
    let not_connected = |list: &Value| -> Vec<Value> {
        let jobs = jobs_now.borrow();
        list["entries"].as_array().unwrap().iter().filter(|e| e["ruleId"] == "not-connected" && jobs.iter().any(|j| e["jobId"] == j.as_str())).cloned().collect()
    };
    let mut jobs = vec![];
    // A connected call first ends any run an earlier test left for the party;
    // then, the next day, three calls nobody answers.
    for (i, status) in ["SucceededFinish", "NoAnswer", "Busy", "PoweredOff"].into_iter().enumerate() {
        let pause = if i == 1 { 86_400_000 } else { 121_000 }; // a new day; the backend's pause between two calls (1001)
        if i > 0 {
            control("/control/time", json!({ "advanceMs": pause })).await;
        }
        let placed: Value = call_directly(&case_id, mediation_id, &people[0]).await.json().await.unwrap();
        let job = placed["data"][0]["jobId"].as_str().unwrap_or_else(|| panic!("call {i} placed: {placed}")).to_owned();
        control(&format!("/control/calls/{job}/outcome"), json!({ "status": status })).await;
        event_where(&mut ws, "call_status_changed", Duration::from_secs(10), |e| e["jobId"] == job.as_str() && e["data"]["callStatus"] == status).await;
        jobs.push(job.clone());
        jobs_now.borrow_mut().push(job);
        if i < 3 {
            let (code, list) = get(&format!("/api/attention?caseId={case_id}&state=all"), &supervisor).await;
            assert_eq!(code, 200, "{list}");
            assert_eq!(not_connected(&list), Vec::<Value>::new(), "after {i} calls not connected");
        }
    }
    // The third in a row: an entry for the party's case, told live.
    event_where(&mut ws, "attention_changed", Duration::from_secs(10), |e| e["caseId"] == case_id.as_str()).await;
    let (code, list) = get(&format!("/api/attention?caseId={case_id}&state=all"), &supervisor).await;
    assert_eq!(code, 200, "{list}");
    let found = not_connected(&list);
    assert_eq!(found.len(), 1, "{list}");
    assert_eq!(found[0]["jobId"], jobs[3].as_str(), "the entry links the latest call");
    assert_eq!(found[0]["caseId"], case_id.as_str());
    assert_eq!(found[0]["severity"], "medium");
    assert_eq!(found[0]["evidence"], json!({ "kind": "not_connected_in_row", "count": 3, "threshold": 3 }));
}

#[tokio::test]
async fn a_new_qa_total_reaches_open_boards_with_its_case() {
    reset().await;
    let (mut ws, _) = open(&mediator(), None).await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let res = api(reqwest::Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("live-qa-")).json(&body).send().await.unwrap();
    let placed: Value = res.json().await.unwrap();
    let job = placed["results"][0]["jobId"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();
    // As late as any result the other tests push, so this call is the case's latest inspected one.
    let qa = json!([
        { "item": "开场规范", "full_score": 10, "score": 2, "problem": "无", "suggestion": "无" },
        { "item": "身份核实", "full_score": 15, "score": 6, "problem": "无", "suggestion": "无" }
    ]);
    let record = json!({
        "call_id": unique("call-live-qa-"), "biz_id": "80001", "out_id": job, "cell_number": "13922111489",
        "success": true, "error_code": "success", "error_msg": "success", "content_length": 120, "duration": 60,
        "start_time": "2031-01-01 08:00:00", "report_time": "2031-01-01 08:00:00", "type": "通话质检", "result": qa.to_string()
    });
    let res = client().post(format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge())).json(&json!([record])).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let event = event_where(&mut ws, "note_stored", Duration::from_secs(3), |e| e["jobId"] == job.as_str()).await;
    assert_eq!((event["caseId"].clone(), event["data"]["qaPercent"].clone()), (json!(case_id), json!(32)), "8/25 = 32%: {event}");
}
