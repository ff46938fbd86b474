//! Every mediation endpoint: its happy path and its documented errors.

mod common;

use reqwest::Method;
use serde_json::json;
use shared::wire::mediation::{BoardRecord, CallResult, ConversationLog, Envelope};

#[tokio::test]
async fn board_lists_the_seed_in_the_envelope() {
    let h = common::start().await;
    let (status, body) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!(status, 200);
    assert_eq!(body["code"], 200);
    let env: Envelope<Vec<BoardRecord>> = serde_json::from_value(body).unwrap();
    assert!(env.data.len() >= 30);
    let kinds: std::collections::HashSet<_> = env.data.iter().map(|c| c.dispute_type.as_str().to_owned()).collect();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(env.data.iter().any(|c| c.takeover_user.is_some()));
    assert!(env.data.iter().all(|c| c.parties.len() >= 2));
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused() {
    let h = common::start().await;
    let res = h.http.get(h.mediation("/api/v1/mediation-timeline/v2/board")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = h.http.get(h.mediation("/api/v1/mediation-timeline/v2/board")).bearer_auth("nope").send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], 401);
    assert!(body["data"].is_null());
}

#[tokio::test]
async fn takeover_once_then_conflict() {
    let h = common::start().await;
    let (case_id, _, _) = h.first_case().await;
    let path = format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover");
    let (status, body) = h.med_send(Method::PUT, &path, json!({ "userName": "tony" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["userName"], "tony");
    let (status, body) = h.med_send(Method::PUT, &path, json!({ "userName": "amy" })).await;
    assert_eq!(status, 400);
    assert_eq!(body, json!({ "code": 400, "message": "案件已被接管,不允许重复接管", "data": null }));
    let (status, _) = h.med_send(Method::PUT, "/api/v1/mediation-timeline/v2/case/404/takeover", json!({ "userName": "a" })).await;
    assert_eq!(status, 404);
    let (status, _) = h.med_send(Method::PUT, &path, json!({ "userName": " " })).await;
    assert_eq!(status, 400);
    // The board shows who holds the case.
    let (_, board) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    let row = board["data"].as_array().unwrap().iter().find(|c| c["caseId"] == case_id.as_str()).unwrap();
    assert_eq!(row["takeoverUser"], "tony");
}

#[tokio::test]
async fn agreement_generation() {
    let h = common::start().await;
    let (case_id, _, _) = h.first_case().await;
    let (status, body) = h.med_send(Method::POST, "/api/v1/mediation-agreement/generate", json!({ "caseId": case_id })).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["agreeId"].as_str().unwrap().starts_with("AGR"));
    assert!(body["data"]["agreeContent"].as_str().unwrap().len() > 20);
    let (status, _) = h.med_send(Method::POST, "/api/v1/mediation-agreement/generate", json!({ "caseId": "1" })).await;
    assert_eq!(status, 404);
    let (status, body) = h.med_send(Method::POST, "/api/v1/mediation-agreement/generate", json!({ "case": 1 })).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn call_v2_lifecycle_limits_and_logs() {
    let h = common::start().await;
    let (case_id, mediation_id, parties) = h.first_case().await;
    let call = |person: &str| json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": person });

    // Both parties at once: one result per party.
    let both = format!("{},{}", parties[0], parties[1]);
    let (status, body) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", call(&both)).await;
    assert_eq!(status, 201, "{body}");
    let env: Envelope<Vec<CallResult>> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(env.code, 201);
    assert_eq!(env.message, "外呼请求处理完成");
    assert_eq!(env.data.len(), 2);
    assert!(env.data.iter().all(|r| r.error_code.code() == 0 && r.call_status.as_ref().unwrap().as_str() == "Scheduling"));
    let job = env.data[0].job_id.clone().unwrap();

    // Same party again at once: must wait (1001).
    let (_, body) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", call(&parties[0])).await;
    assert_eq!(body["data"][0]["errorCode"], 1001, "{body}");

    // Scheduling → Executing → final, as time passes.
    let status_of = |job: String| {
        let h = &h;
        async move { h.med_get(&format!("/api/v1/outbound-bot/status?jobId={job}")).await.1["data"]["callStatus"].as_str().unwrap().to_owned() }
    };
    assert_eq!(status_of(job.clone()).await, "Scheduling");
    h.control("/control/time", json!({ "advanceMs": 2000 })).await;
    let s = status_of(job.clone()).await;
    assert_eq!(s, "Executing");
    h.control("/control/time", json!({ "advanceMs": 600_000 })).await;
    let final_status = status_of(job.clone()).await;
    assert!(!["Scheduling", "Executing"].contains(&final_status.as_str()), "{final_status}");

    // Its conversation log appears, and the recording is a WAV as long as the transcript.
    let (_, body) = h.med_get(&format!("/api/v1/outbound-bot/conversation-log?jobId={job}")).await;
    let logs: Envelope<Vec<ConversationLog>> = serde_json::from_value(body).unwrap();
    assert_eq!(logs.data.len(), 1);
    let turns = logs.data[0].turns().unwrap();
    if !turns.is_empty() {
        let wav = h.http.get(&logs.data[0].record_url).send().await.unwrap();
        assert_eq!(wav.headers()["content-type"], "audio/wav");
        let bytes = wav.bytes().await.unwrap();
        let secs = sandbox::audio::wav_secs(&bytes).unwrap();
        let span = (turns.last().unwrap().timestamp - turns[0].timestamp) as f64 / 1000.0;
        assert!((secs - span.max(1.0)).abs() < 0.01, "{secs} vs {span}");
    }

    // After three calls in a day the limit is reached (1002).
    for _ in 0..3 {
        h.control("/control/time", json!({ "advanceMs": 130_000 })).await;
        h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", call(&parties[0])).await;
    }
    h.control("/control/time", json!({ "advanceMs": 130_000 })).await;
    let (_, body) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", call(&parties[0])).await;
    assert_eq!(body["data"][0]["errorCode"], 1002, "{body}");

    // Bad input.
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": case_id, "mediationId": "x", "callAuto": 0, "callPersonId": parties[0] })).await;
    assert_eq!(status, 400);
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 7, "callPersonId": parties[0] })).await;
    assert_eq!(status, 400);
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", call("9999")).await;
    assert_eq!(status, 400);
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": "1", "mediationId": "1", "callAuto": 0, "callPersonId": "1" })).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_taken_over_case_is_not_called_by_the_ai() {
    let h = common::start().await;
    let (case_id, mediation_id, parties) = h.first_case().await;
    h.med_send(Method::PUT, &format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover"), json!({ "userName": "tony" })).await;
    let (status, body) = h
        .med_send(Method::POST, "/api/v1/outbound-bot/call-v2", json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 1, "callPersonId": parties[0] }))
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["message"], "案件已被人工接管,不允许AI外呼");
}

#[tokio::test]
async fn conversation_logs_are_shaped_like_the_spec() {
    let h = common::start().await;
    let (status, body) = h.med_get("/api/v1/outbound-bot/conversation-log").await;
    assert_eq!(status, 200);
    let logs: Envelope<Vec<ConversationLog>> = serde_json::from_value(body).unwrap();
    assert!(logs.data.len() >= 60);
    let kinds: std::collections::HashSet<_> = logs.data.iter().map(|l| l.call_type.as_str().to_owned()).collect();
    assert!(kinds.contains("agreement") && kinds.contains("follow_up"));
    let lengths: Vec<usize> = logs.data.iter().map(|l| l.turns().unwrap().len()).collect();
    assert!(lengths.iter().any(|&n| n == 3), "a call where the party hangs up at once");
    assert!(lengths.iter().any(|&n| n >= 15), "a long call");
    assert!(lengths.iter().any(|&n| n == 0), "a call that did not connect");
    // Filters.
    let case = logs.data[0].job_id.clone();
    let (_, one) = h.med_get(&format!("/api/v1/outbound-bot/conversation-log?jobId={case}")).await;
    assert_eq!(one["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn status_query_and_update() {
    let h = common::start().await;
    let (status, _) = h.med_get("/api/v1/outbound-bot/status").await;
    assert_eq!(status, 400);
    let (status, _) = h.med_get("/api/v1/outbound-bot/status?jobId=nope").await;
    assert_eq!(status, 404);
    let (_, logs) = h.med_get("/api/v1/outbound-bot/conversation-log").await;
    let job = logs["data"][0]["jobId"].as_str().unwrap().to_owned();
    let (status, body) = h.med_send(Method::POST, "/api/v1/outbound-bot/update-status", json!({ "jobId": job, "callStatus": "Cancelled" })).await;
    assert_eq!((status, body), (200, json!({ "code": 200, "message": "状态更新成功", "data": null })));
    let (_, body) = h.med_get(&format!("/api/v1/outbound-bot/status?jobId={job}")).await;
    assert_eq!(body["data"]["callStatus"], "Cancelled");
    assert_eq!(body["data"]["fetchTime"].as_str().unwrap().len(), 19);
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/update-status", json!({ "jobId": "nope", "callStatus": "Cancelled" })).await;
    assert_eq!(status, 404);
    let (status, _) = h.med_send(Method::POST, "/api/v1/outbound-bot/update-status", json!({ "jobId": job, "callStatus": "" })).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn ocr_runs_file_by_file() {
    let h = common::start().await;
    let (case_id, _, _) = h.first_case().await;
    let (status, body) = h.med_send(Method::POST, "/api/v1/case-files-ocr/process", json!({ "caseId": case_id })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "processing");
    h.control("/control/time", json!({ "advanceMs": 60_000 })).await;
    let (_, body) = h.med_get(&format!("/api/v1/case-files-ocr/status?caseId={case_id}")).await;
    assert_eq!(body["data"]["status"], "done");
    assert!(body["data"]["files"][0]["text"].as_str().unwrap().len() > 10);
    let (status, _) = h.med_send(Method::POST, "/api/v1/case-files-ocr/process", json!({ "caseId": "nope" })).await;
    assert_eq!(status, 404);
    let (status, _) = h.med_send(Method::POST, "/api/v1/case-files-ocr/process", json!({})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn mediation_faults_slow_and_fail() {
    let h = common::start().await;
    h.control("/control/faults/mediation", json!({ "failNext": 1 })).await;
    let (status, body) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!(status, 500);
    assert_eq!(body["code"], 500);
    let (status, _) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!(status, 200);
    h.control("/control/faults/mediation", json!({ "slowMs": 400 })).await;
    let t = std::time::Instant::now();
    h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert!(t.elapsed().as_millis() >= 400);
    h.control("/control/faults/mediation", json!({ "slowMs": 0, "garbageNext": 1 })).await;
    let res = h.http.get(h.mediation("/api/v1/mediation-timeline/v2/board")).bearer_auth(common::TOKEN).send().await.unwrap();
    assert!(res.text().await.unwrap().contains("502 Bad Gateway"));
    let bad = h.http.post(h.control_url("/control/faults/mediation")).json(&json!({ "nonsense": 1 })).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_fault_aimed_at_one_path_spares_the_others() {
    let h = common::start().await;
    let (case_id, _, _) = h.first_case().await;
    let agreement = "/api/v1/mediation-agreement/generate";
    h.control("/control/faults/mediation", json!({ "failNext": 1, "onlyPath": agreement })).await;
    // A board read in between (the edge's live hub reads it every second) is answered.
    let (status, _) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!(status, 200);
    let (status, body) = h.med_send(Method::POST, agreement, json!({ "caseId": case_id })).await;
    assert_eq!((status, body["message"].clone()), (500, json!("系统繁忙,请稍后重试")));
    let (status, _) = h.med_send(Method::POST, agreement, json!({ "caseId": case_id })).await;
    assert_eq!(status, 200);
    // A fault after the backend acted, likewise.
    h.control("/control/faults/mediation", json!({ "garbageAnswerNext": 1 })).await;
    let (status, _) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!(status, 200);
    let res = h.http.post(h.mediation(agreement)).bearer_auth(common::TOKEN).json(&json!({ "caseId": case_id })).send().await.unwrap();
    assert!(res.text().await.unwrap().ends_with("查询成"));
    let faults = h.control_get("/control/faults").await;
    assert_eq!((faults["mediation"]["failNext"].clone(), faults["mediation"]["garbageAnswerNext"].clone()), (json!(0), json!(0)));
}

#[tokio::test]
async fn reset_restores_the_seed() {
    let h = common::start().await;
    let (case_id, _, _) = h.first_case().await;
    h.med_send(Method::PUT, &format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover"), json!({ "userName": "tony" })).await;
    h.control("/control/reset", json!({})).await;
    let (status, _) = h.med_send(Method::PUT, &format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover"), json!({ "userName": "tony" })).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn autopilot_moves_the_board() {
    let h = common::start().await;
    let before = h.control_get("/control/state").await["calls"].as_u64().unwrap();
    h.control("/control/autopilot", json!({ "enabled": true, "intervalMs": 500 })).await;
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let after = h.control_get("/control/state").await["calls"].as_u64().unwrap();
    assert!(after > before, "{before} -> {after}");
}

#[tokio::test]
async fn the_spec_literal_profile_answers_in_the_documented_shapes() {
    let h = common::start().await;
    assert_eq!(h.control("/control/profile", json!({ "profile": "spec-literal" })).await["profile"], "spec-literal");
    // A reset keeps the profile.
    h.control("/control/reset", json!({})).await;
    assert_eq!(h.control_get("/control/profile").await["profile"], "spec-literal");
    let (case_id, _, _) = h.first_case().await;
    let (status, body) = h.med_send(Method::PUT, &format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover"), json!({ "userName": "tony" })).await;
    assert_eq!((status, body), (200, json!({ "code": 200, "message": "接管成功", "data": null })));
    let (status, body) = h.med_send(Method::POST, "/api/v1/case-files-ocr/process", json!({ "caseId": case_id })).await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = h.med_send(Method::POST, "/api/v1/outbound-bot/update-status", json!({ "jobId": "nope", "callStatus": "Cancelled" })).await;
    assert_eq!((status, body), (200, json!({ "code": 404, "message": "未找到通话记录", "data": null })));
    // Exactly one recorded call's conversations string does not parse.
    let (_, logs) = h.med_get("/api/v1/outbound-bot/conversation-log").await;
    let logs: Envelope<Vec<ConversationLog>> = serde_json::from_value(logs).unwrap();
    let unreadable = logs.data.iter().filter(|l| l.turns().is_err()).count();
    assert_eq!(unreadable, 1);
    assert!(logs.data.len() > 5);
    // And back.
    assert_eq!(h.control("/control/profile", json!({ "profile": "designed" })).await["profile"], "designed");
    let (_, logs) = h.med_get("/api/v1/outbound-bot/conversation-log").await;
    let logs: Envelope<Vec<ConversationLog>> = serde_json::from_value(logs).unwrap();
    assert!(logs.data.iter().all(|l| l.turns().is_ok()));
}

#[tokio::test]
async fn answer_faults_strike_after_the_backend_acted() {
    let h = common::start().await;
    let (case_id, mediation_id, people) = h.first_case().await;
    h.control("/control/faults/mediation", json!({ "garbageAnswerNext": 1 })).await;
    let before = h.control_get("/control/state").await["calls"].as_u64().unwrap();
    let res = h
        .http
        .post(h.mediation("/api/v1/outbound-bot/call-v2"))
        .bearer_auth(common::TOKEN)
        .json(&json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(serde_json::from_str::<serde_json::Value>(&res.text().await.unwrap()).is_err(), "the answer is unreadable");
    assert_eq!(h.control_get("/control/state").await["calls"].as_u64().unwrap(), before + 1, "the call was placed anyway");
    h.control("/control/faults/mediation", json!({ "envelopeFailNext": 1 })).await;
    let (status, body) = h.med_get("/api/v1/mediation-timeline/v2/board").await;
    assert_eq!((status, body["code"].clone()), (200, json!(500)));
}
