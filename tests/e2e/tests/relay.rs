//! Every mediation relay route: happy paths, the backend's own errors passed
//! through, idempotent call placing, the audit trail, and upstream failures.

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};
use shared::session::Role;

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
    assert_eq!(body["status"], "processing");
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
    let (_, audit) = get("/api/audit", &mediator()).await;
    assert!(audit["entries"].as_array().unwrap().iter().any(|e| e["action"] == "update_status"));
}

#[tokio::test]
async fn conversations_come_parsed_and_recordings_play() {
    reset().await;
    let (status, body) = get("/api/conversations?caseId=202601301030001111", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let convs: shared::api::ConversationsResponse = serde_json::from_value(body).unwrap();
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
    let convs: shared::api::ConversationsResponse = serde_json::from_value(body).unwrap();
    let path = convs.calls.iter().find_map(|c| c.recording.clone()).unwrap();
    let (status, body) = get(&format!("{path}/link"), &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let link: shared::api::RecordingLink = serde_json::from_value(body).unwrap();
    assert!(link.url.starts_with(&format!("{path}?exp=")), "{}", link.url);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    assert!(link.expires_at > now && link.expires_at <= now + shared::media::LINK_TTL_SECS + 5);

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
