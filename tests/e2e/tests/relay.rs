//! Every mediation relay route: happy paths, the backend's own errors passed
//! through, idempotent call placing, the audit trail, and upstream failures.

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::session::Role;

async fn audit_for(case_id: &str) -> Vec<Value> {
    let (status, body) = get(&format!("/api/cases/{case_id}/audit"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().clone()
}

#[tokio::test]
async fn takeover_uses_the_token_user_and_passes_the_conflict_through() {
    reset().await;
    let (case_id, _, _) = open_case().await;
    let res = api(Method::POST, &format!("/api/cases/{case_id}/takeover"), &token("lihua", Role::Mediator))
        .json(&json!({ "userName": "someone-else" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["userName"], "lihua", "the user comes from the token, never the body");
    let (status, body) = post(&format!("/api/cases/{case_id}/takeover"), &mediator(), json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["message"], "案件已被接管,不允许重复接管");
    let entries = audit_for(&case_id).await;
    let takeovers: Vec<&Value> = entries.iter().filter(|e| e["action"] == "takeover").collect();
    assert!(takeovers.len() >= 2);
    assert_eq!(takeovers[0]["user"], "zhangmin");
    assert_eq!(takeovers[0]["status"], 400);
    assert_eq!(takeovers[1]["user"], "lihua");
    assert_eq!(takeovers[1]["status"], 200);
    let (status, body) = post("/api/cases/../x/takeover", &mediator(), json!({})).await;
    assert!(status == 400 || status == 404, "{status} {body}");
}

#[tokio::test]
async fn agreement_and_ocr() {
    reset().await;
    let (case_id, _, _) = open_case().await;
    let (status, body) = post(&format!("/api/cases/{case_id}/agreement"), &mediator(), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["agreeContent"].as_str().unwrap().len() > 20);
    let (status, body) = post(&format!("/api/cases/{case_id}/ocr"), &mediator(), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["caseId"], case_id.as_str());
    if spec_literal().await {
        // The spec's answer is a bare `{}`: requested, no progress reported.
        assert_eq!((body.get("status"), body["files"].clone()), (None, json!([])), "{body}");
    } else {
        assert_eq!(body["status"], "processing");
    }
    control("/control/time", json!({ "advanceMs": 60_000 })).await;
    let (status, body) = get(&format!("/api/cases/{case_id}/ocr"), &mediator()).await;
    assert_eq!((status, body["status"].clone()), (200, json!("done")));
    let actions: Vec<String> = audit_for(&case_id).await.iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
    assert!(actions.contains(&"agreement".to_owned()) && actions.contains(&"ocr".to_owned()), "{actions:?}");
    let (status, _) = post("/api/cases/0000/agreement", &mediator(), json!({})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn placing_a_call_is_idempotent() {
    reset().await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let before = control_get("/control/state").await["calls"].as_u64().unwrap();
    let key = unique("submit-");
    let send = || api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&body).send();
    let (first, second) = tokio::join!(send(), send());
    let (first, second) = (first.unwrap(), second.unwrap());
    let statuses = [first.status().as_u16(), second.status().as_u16()];
    assert!(statuses.contains(&201), "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 201 || *s == 409), "{statuses:?}");
    let third = send().await.unwrap();
    assert_eq!(third.status(), 201);
    assert_eq!(third.headers()["idempotent-replayed"], "true");
    let third: Value = third.json().await.unwrap();
    assert_eq!(third["results"][0]["errorCode"], 0);
    let after = control_get("/control/state").await["calls"].as_u64().unwrap();
    assert_eq!(after, before + 1, "a double submit places one call");

    // A new submit for the same party is the backend's "must wait".
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("k")).json(&body).send().await.unwrap();
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["results"][0]["errorCode"], 1001);

    // Bad input names the field; no key is refused.
    let res = api(Method::POST, "/api/calls", &mediator()).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "Idempotency-Key");
    let mut bad = body.clone();
    bad["callPersonId"] = json!("");
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("k")).json(&bad).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "callPersonId");
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("k")).body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(audit_for(&case_id).await.iter().any(|e| e["action"] == "call"));
}

#[tokio::test]
async fn call_status_query_and_update() {
    reset().await;
    let job = connected_job().await;
    let (status, body) = get(&format!("/api/calls/status?jobId={job}"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["phoneNumber"].as_str().unwrap().contains("****"));
    let (status, body) = post(&format!("/api/calls/{job}/status"), &mediator(), json!({ "callStatus": "Cancelled" })).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = get(&format!("/api/calls/status?jobId={job}"), &token("wanglei", Role::Supervisor)).await;
    assert_eq!(body["callStatus"], "Cancelled");
    assert!(!body["phoneNumber"].as_str().unwrap().contains('*'));
    let (status, body) = post(&format!("/api/calls/{job}/status"), &mediator(), json!({ "callStatus": "" })).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("callStatus")));
    let (status, _) = post("/api/calls/nope/status", &mediator(), json!({ "callStatus": "Cancelled" })).await;
    assert_eq!(status, 404);
    let (status, _) = get("/api/calls/status", &mediator()).await;
    assert_eq!(status, 400);
    // The whole team's trail is for supervisors and admins (README "Security model").
    let (_, audit) = get("/api/audit", &token("wanglei", Role::Supervisor)).await;
    assert!(audit["entries"].as_array().unwrap().iter().any(|e| e["action"] == "update_status"));
    assert_eq!(get("/api/audit", &mediator()).await.0, 403);
}

#[tokio::test]
async fn conversations_come_parsed_and_recordings_play() {
    reset().await;
    let (status, body) = get("/api/conversations?caseId=202601301030001111", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let convs: shared::wire::api::ConversationsResponse = serde_json::from_value(body).unwrap();
    assert!(!convs.calls.is_empty());
    let call = convs.calls.iter().find(|c| c.recording.is_some()).unwrap();
    assert!(call.turns.len() >= 3);
    assert_eq!(call.turns[0].action.as_str(), "BeginDialogue");
    let res = api(Method::GET, call.recording.as_ref().unwrap(), &mediator()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "audio/wav");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    let (status, _) = get("/api/recordings/nope", &mediator()).await;
    assert_eq!(status, 404);
    let (status, body) = get("/api/conversations?caseId=../../x", &mediator()).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("caseId")));
}

#[tokio::test]
async fn a_signed_link_streams_the_recording_with_ranges() {
    reset().await;
    let (_, body) = get("/api/conversations?caseId=202601301030001111", &mediator()).await;
    let convs: shared::wire::api::ConversationsResponse = serde_json::from_value(body).unwrap();
    let path = convs.calls.iter().find_map(|c| c.recording.clone()).unwrap();
    let (status, body) = get(&format!("{path}/link"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let link: shared::wire::api::RecordingLink = serde_json::from_value(body).unwrap();
    assert!(link.url.starts_with(&format!("{path}?exp=")), "{}", link.url);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!(link.expires_at > now && link.expires_at <= now + shared::wire::media::LINK_TTL_SECS + 5);

    // No session token: the link itself is the permission.
    let whole = client().get(format!("{}{}", edge(), link.url)).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    let whole = whole.bytes().await.unwrap();
    assert_eq!(&whole[..4], b"RIFF");
    let part = client().get(format!("{}{}", edge(), link.url)).header("Range", "bytes=4-11").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], format!("bytes 4-11/{}", whole.len()));
    assert_eq!(part.bytes().await.unwrap(), whole[4..12]);

    // A link for another call, a later expiry or a broken signature is refused.
    let tampered = [
        link.url.replacen(&path, "/api/recordings/1795312800000-0000-0000-000000000000", 1),
        link.url.replacen(&format!("exp={}", link.expires_at), &format!("exp={}", link.expires_at + 3600), 1),
        format!("{}x", link.url),
    ];
    for url in tampered {
        let res = client().get(format!("{}{url}", edge())).send().await.unwrap();
        assert_eq!(res.status(), 403, "{url}");
        let body: Value = res.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("录音链接"), "{body}");
    }
    let res = client().get(format!("{}{path}?exp=soon&sig=abc", edge())).send().await.unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["error"]["field"].clone(), body["error"]["code"].clone()), (json!("exp"), json!("forbidden")));
    // Asking for a link needs the session token.
    let res = client().get(format!("{}{path}/link", edge())).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn upstream_errors_keep_their_message_and_failures_are_readable() {
    reset().await;
    control("/control/faults/mediation", json!({ "failNext": 1 })).await;
    let (status, body) = get("/api/board", &mediator()).await;
    assert_eq!(status, 500);
    assert_eq!(body["error"]["message"], "系统繁忙,请稍后重试");
    control("/control/faults/mediation", json!({ "garbageNext": 1 })).await;
    let (status, body) = get("/api/board", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (502, json!("upstream_invalid")));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("调解后台返回了无法解析的数据 (HTTP 200),请稍后重试"), "says what happened and what to do: {message}");
    control("/control/faults/mediation", json!({ "slowMs": 11_000 })).await;
    let (status, body) = get("/api/board", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (504, json!("upstream_timeout")), "{body}");
    control("/control/faults/mediation", json!({ "slowMs": 0 })).await;
}

#[tokio::test]
async fn an_idempotency_key_belongs_to_one_request() {
    reset().await;
    let (case_id, mediation_id, people) = open_case().await;
    let key = unique("k-");
    let call = |person: &str| json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": person });
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&call(&people[0])).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&call(&people[1])).send().await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let res = api(Method::PUT, "/api/board", &mediator()).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn a_takeover_answered_with_data_null_succeeds_and_is_audited_as_such() {
    reset().await;
    let (case_id, _, _) = open_case().await;
    let (status, body) = post(&format!("/api/cases/{case_id}/takeover"), &token("lihua", Role::Mediator), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["caseId"].clone(), body["userName"].clone(), body["message"].clone()), (json!(case_id), json!("lihua"), json!("接管成功")));
    assert_eq!(body["takeoverTime"].as_str().unwrap().len(), 19);
    let entry = audit_for(&case_id).await.into_iter().find(|e| e["action"] == "takeover").unwrap();
    assert_eq!((entry["status"].clone(), entry["outcome"].clone()), (json!(200), json!("接管成功")));
}

#[tokio::test]
async fn a_refusal_inside_an_http_200_is_a_refusal() {
    reset().await;
    // In the spec-literal profile the backend answers this with HTTP 200 and code 404.
    let (status, body) = post("/api/calls/1795312800000-0000-0000-000000000000/status", &mediator(), json!({ "callStatus": "Cancelled" })).await;
    assert_eq!((status, body["error"]["code"].clone(), body["error"]["message"].clone()), (404, json!("upstream_rejected"), json!("未找到通话记录")));
    let (_, audit) = get("/api/audit", &admin()).await;
    let entry = audit["entries"].as_array().unwrap().iter().find(|e| e["action"] == "update_status").unwrap().clone();
    assert_eq!(entry["status"], 404, "audited as the failure it was: {entry}");
}

#[tokio::test]
async fn a_failure_code_inside_an_http_200_is_a_failure_everywhere() {
    reset().await;
    let job = connected_job().await;
    control("/control/faults/mediation", json!({ "envelopeFailNext": 1 })).await;
    let (status, body) = post(&format!("/api/calls/{job}/status"), &mediator(), json!({ "callStatus": "Cancelled" })).await;
    assert_eq!((status, body["error"]["code"].clone(), body["error"]["message"].clone()), (502, json!("upstream_error"), json!("系统繁忙,请稍后重试")));
    let (_, audit) = get("/api/audit", &admin()).await;
    let entry = audit["entries"].as_array().unwrap().iter().find(|e| e["action"] == "update_status").unwrap().clone();
    assert_eq!((entry["status"].clone(), entry["outcome"].clone()), (json!(500), json!("系统繁忙,请稍后重试")));
    let (_, status_now) = get(&format!("/api/calls/status?jobId={job}"), &admin()).await;
    assert_ne!(status_now["callStatus"], "Cancelled", "the status did not change");
    // The board list too.
    control("/control/faults/mediation", json!({ "envelopeFailNext": 1 })).await;
    let (status, body) = get("/api/board", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (502, json!("upstream_error")));
}

#[tokio::test]
async fn a_call_whose_turns_cannot_be_read_is_listed_with_the_others() {
    reset().await;
    let case_id = "202601301030001111";
    let (_, body) = get(&format!("/api/conversations?caseId={case_id}"), &mediator()).await;
    let readable = body["calls"].as_array().unwrap().iter().filter(|c| c.get("unreadable").is_none()).count();
    let job = body["calls"].as_array().unwrap().iter().find(|c| c.get("unreadable").is_none() && c["recording"].is_string()).unwrap()["jobId"]
        .as_str()
        .unwrap()
        .to_owned();
    control(&format!("/control/calls/{job}/corrupt-log"), json!({})).await;
    let (status, body) = get(&format!("/api/conversations?caseId={case_id}"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let calls = body["calls"].as_array().unwrap();
    let broken = calls.iter().find(|c| c["jobId"] == job.as_str()).unwrap();
    assert!(broken["unreadable"].as_str().unwrap().contains("conversations"), "{broken}");
    assert_eq!(broken["turns"], json!([]));
    assert!(broken["recording"].is_string() && broken["startedAt"].is_i64() && broken["callStatus"].is_string(), "{broken}");
    assert!(broken.get("rawConversations").is_none(), "mediators do not get the raw text");
    assert_eq!(calls.iter().filter(|c| c.get("unreadable").is_none()).count(), readable - 1, "every other call as before");
    let (_, body) = get(&format!("/api/conversations?jobId={job}"), &token("wanglei", Role::Supervisor)).await;
    assert!(body["calls"][0]["rawConversations"].as_str().unwrap().starts_with("[{"), "supervisors see what came");
}

#[tokio::test]
async fn a_call_whose_answer_timed_out_is_never_placed_twice() {
    reset().await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let key = unique("slow-");
    let before = calls_placed().await;
    // The backend places the call, then answers after the edge's 10 s timeout.
    control("/control/faults/mediation", json!({ "slowAnswerMs": 11_000 })).await;
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    control("/control/faults/mediation", json!({ "slowAnswerMs": 0 })).await;
    assert_eq!(res.status(), 504);
    let first: Value = res.json().await.unwrap();
    assert_eq!(first["error"]["code"], "outcome_unknown", "{first}");
    assert_eq!(calls_placed().await, before + 1, "the backend did place it");
    // The retry with the same key does not ring the citizen again.
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 409);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["error"]["code"], "outcome_unknown");
    assert!(again["error"]["message"].as_str().unwrap().contains("响应超时"), "{again}");
    assert_eq!(calls_placed().await, before + 1);
}

#[tokio::test]
async fn a_call_whose_answer_was_unreadable_is_never_placed_twice() {
    reset().await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let key = unique("garbled-");
    let before = calls_placed().await;
    control("/control/faults/mediation", json!({ "garbageAnswerNext": 1 })).await;
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 502);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "outcome_unknown");
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(calls_placed().await, before + 1);
    // A 5xx likewise.
    let key = unique("failed-");
    control("/control/faults/mediation", json!({ "failNext": 1 })).await;
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", &key).json(&json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[1] })).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.json::<Value>().await.unwrap()["error"]["code"].clone()), (500, json!("outcome_unknown")));
}
