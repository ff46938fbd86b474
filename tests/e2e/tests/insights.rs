//! QA insights over HTTP: two calls placed through the board by one
//! mediator, their pushed results aggregated exactly (averages, bins, day
//! and week series, the lowest calls with their problems, tag counts), a
//! newer version of a record replacing its facts, the filters, and who may ask.

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::session::Role;

async fn push(body: &Value) {
    let res = client().post(format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge())).json(body).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

fn record(call_id: &str, kind: &str, report: &str, result: Value, job: &str) -> Value {
    json!({
        "call_id": call_id, "biz_id": "80001", "out_id": job, "cell_number": "13922111489",
        "success": true, "error_code": "success", "error_msg": "success", "content_length": 120, "duration": 60,
        "start_time": report, "report_time": report, "type": kind, "result": result.to_string()
    })
}

fn qa(opening: i64, identity: i64) -> Value {
    json!([
        { "item": "开场规范", "full_score": 10, "score": opening, "problem": "未报机构名称", "suggestion": "先说明身份" },
        { "item": "身份核实", "full_score": 15, "score": identity, "problem": "未核对姓名", "suggestion": "核对姓名和案号" }
    ])
}

/// Places a call through the edge as `token`'s user; (jobId, taskName).
async fn place(token: &str) -> (String, String) {
    let (job, task, _) = place_in(token).await;
    (job, task)
}

/// Places a call through the edge as `token`'s user; (jobId, taskName, caseId).
async fn place_in(token: &str) -> (String, String, String) {
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let res = api(Method::POST, "/api/calls", token).header("Idempotency-Key", unique("insights-")).json(&body).send().await.unwrap();
    let placed: Value = res.json().await.unwrap();
    let r = &placed["results"][0];
    let job = r["jobId"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();
    (job, r["taskName"].as_str().unwrap().to_owned(), case_id)
}

fn item<'a>(body: &'a Value, name: &str) -> &'a Value {
    body["items"].as_array().unwrap().iter().find(|i| i["item"] == name).unwrap_or_else(|| panic!("{name} in {body}"))
}

#[tokio::test]
async fn two_calls_are_aggregated_exactly_and_a_newer_record_replaces_its_facts() {
    reset().await;
    let user = unique("qa-");
    let me = token(&user, Role::Mediator);
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (a, task) = place(&me).await;
    control("/control/time", json!({ "advanceMs": 121_000 })).await;
    let (b, _) = place(&me).await;
    let (ca, cb) = (unique("call-a-"), unique("call-b-"));
    // A: 2/10 and 15/15, 17/25 = 68% on the 20th; B: 8/10 and 6/15, 14/25 = 56% on the 21st.
    push(&json!([
        record(&ca, "通话质检", "2026-11-20 10:00:00", qa(2, 15), &a),
        record(&ca, "通话摘要", "2026-11-20 10:00:00", json!({ "履约情况": ["未支付"], "通话摘要": "未付款" }), &a),
        record(&cb, "通话质检", "2026-11-21 09:00:00", qa(8, 6), &b),
        record(&cb, "通话摘要", "2026-11-21 09:00:00", json!({ "履约情况": ["未支付"], "当事人情绪": ["激动"] }), &b),
    ]))
    .await;
    let boss = token("qa-supervisor", Role::Supervisor);
    let path = format!("/api/insights/qa?from=2026-11-20&to=2026-11-21&mediator={user}");
    let (status, body) = get(&path, &boss).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], json!({ "item": "", "avg": 62, "count": 2, "distribution": [0, 0, 1, 1, 0], "series": [
        { "bucket": "2026-11-20", "avg": 68, "count": 1 }, { "bucket": "2026-11-21", "avg": 56, "count": 1 }
    ] }));
    assert_eq!(item(&body, "开场规范"), &json!({ "item": "开场规范", "avg": 50, "count": 2, "distribution": [0, 1, 0, 0, 1], "series": [
        { "bucket": "2026-11-20", "avg": 20, "count": 1 }, { "bucket": "2026-11-21", "avg": 80, "count": 1 }
    ] }));
    assert_eq!(item(&body, "身份核实")["distribution"], json!([0, 0, 1, 0, 1]));
    assert_eq!(item(&body, "身份核实")["avg"], 70);
    let lowest = body["lowest"].as_array().unwrap();
    assert_eq!(lowest.iter().map(|l| (l["jobId"].as_str().unwrap(), l["percent"].as_i64().unwrap())).collect::<Vec<_>>(), [(b.as_str(), 56), (a.as_str(), 68)]);
    assert_eq!(lowest[0]["problems"], json!([
        { "item": "开场规范", "score": "8", "fullScore": "10", "problem": "未报机构名称", "suggestion": "先说明身份" },
        { "item": "身份核实", "score": "6", "fullScore": "15", "problem": "未核对姓名", "suggestion": "核对姓名和案号" }
    ]));
    assert!(lowest[0]["caseId"].is_string(), "{}", lowest[0]);
    assert_eq!(body["tags"], json!([{ "tag": "履约情况", "value": "未支付", "count": 2 }, { "tag": "当事人情绪", "value": "激动", "count": 1 }]));
    assert!(body["tasks"].as_array().unwrap().contains(&json!(task)), "{}", body["tasks"]);

    // By week: the 20th and 21st are in the week of Monday the 16th.
    let (_, weekly) = get(&format!("{path}&bucket=week"), &boss).await;
    assert_eq!(weekly["total"]["series"], json!([{ "bucket": "2026-11-16", "avg": 62, "count": 2 }]));
    // By task: the calls' own task keeps them, another keeps nothing.
    let (_, same) = get(&format!("{path}&task={}", urlencoding(&task)), &boss).await;
    assert_eq!(same["total"]["count"], 2);
    let (_, other) = get(&format!("{path}&task=%E6%97%A0"), &boss).await;
    assert_eq!((other["total"]["count"].clone(), other["items"].clone(), other["tags"].clone()), (json!(0), json!([]), json!([])));

    // A newer version of A's inspection (10/10, 15/15) replaces its facts.
    push(&json!([record(&ca, "通话质检", "2026-11-20 11:00:00", qa(10, 15), &a)])).await;
    let (_, after) = get(&path, &boss).await;
    assert_eq!((after["total"]["avg"].clone(), after["total"]["distribution"].clone()), (json!(78), json!([0, 0, 1, 0, 1])), "(100 + 56) / 2");
    assert_eq!(item(&after, "开场规范")["series"][0]["avg"], 100);
    assert_eq!(after["lowest"][1]["problems"], json!([]), "A lost no points now");
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn only_overseers_ask_and_bad_parameters_are_named() {
    let (status, body) = get("/api/insights/qa", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
    let boss = token("qa-supervisor", Role::Supervisor);
    for (query, field) in [("from=2026-02-30", "from"), ("to=x", "to"), ("from=2026-11-02&to=2026-11-01", "from"), ("bucket=month", "bucket"), ("from=2024-01-01&to=2026-01-01", "from")] {
        let (status, body) = get(&format!("/api/insights/qa?{query}"), &boss).await;
        assert_eq!((status, body["error"]["field"].clone()), (400, json!(field)), "{query}: {body}");
    }
    let (status, body) = get("/api/insights/qa", &admin()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"]["distribution"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn the_board_carries_each_case_s_latest_qa_total() {
    reset().await;
    let user = unique("qa-board-");
    let me = token(&user, Role::Mediator);
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (case_id, _, _) = open_case().await;
    let (job, _) = place(&me).await;
    // Later than anything else stored for the case: this call is its latest inspected one.
    let call = unique("call-board-");
    push(&json!([record(&call, "通话质检", "2031-01-01 08:00:00", qa(3, 6), &job)])).await;
    let (status, board) = get("/api/board", &me).await;
    assert_eq!(status, 200, "{board}");
    let totals: Vec<&Value> = board["qa"].as_array().unwrap().iter().filter(|q| q["caseId"] == case_id.as_str()).collect();
    assert_eq!(totals, [&json!({ "caseId": case_id, "percent": 36 })], "9/25 = 36%");
    // An older result for the case does not replace it.
    push(&json!([record(&unique("call-old-"), "通话质检", "2030-12-31 08:00:00", qa(10, 15), &job)])).await;
    let (_, board) = get("/api/board", &me).await;
    assert!(board["qa"].as_array().unwrap().contains(&json!({ "caseId": case_id, "percent": 36 })), "{}", board["qa"]);
}

/// Opens a board's live socket, so the hub reads the board (and with it
/// each case's dispute kind).
async fn open_live(token: &str) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use futures_util::{SinkExt, StreamExt};
    let url = format!("{}/api/live", edge().replace("http://", "ws://"));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket");
    ws.send(tokio_tungstenite::tungstenite::Message::text(json!({ "type": "hello", "token": token }).to_string())).await.unwrap();
    let welcome = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await.expect("welcome in time").expect("welcome").unwrap();
    assert!(welcome.to_text().unwrap().contains("\"welcome\""), "{welcome}");
    ws
}

#[tokio::test]
async fn insights_are_narrowed_to_a_dispute_kind_as_the_board_shows_it() {
    reset().await;
    let user = unique("qa-dispute-");
    let me = token(&user, Role::Mediator);
    let _live = open_live(&me).await;
    // A job id of its own (the sandbox's ids follow its clock, which a reset rewinds).
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (job, _, case_id) = place_in(&me).await;
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    let kind = board["data"].as_array().unwrap().iter().find(|c| c["caseId"] == case_id.as_str()).unwrap()["disputeType"].as_str().unwrap().to_owned();
    let other = ["wage_arrears", "neighbour", "consumer", "tenancy"].into_iter().find(|k| *k != kind).unwrap();
    let call = unique("call-d-");
    // 9/10 and 6/15: 15/25 = 60%.
    push(&json!([
        record(&call, "通话质检", "2026-11-25 10:00:00", qa(9, 6), &job),
        record(&call, "通话摘要", "2026-11-25 10:00:00", json!({ "履约情况": ["已支付"] }), &job),
    ]))
    .await;
    let boss = token("qa-supervisor", Role::Supervisor);
    let path = format!("/api/insights/qa?from=2026-11-25&to=2026-11-25&mediator={user}");
    let (_, all) = get(&path, &boss).await;
    assert_eq!((all["total"]["count"].clone(), all["total"]["avg"].clone()), (json!(1), json!(60)), "{all}");
    // The hub reads the board about once a second while a board is open.
    let mut tries = 0;
    let same = loop {
        let (status, body) = get(&format!("{path}&dispute={kind}"), &boss).await;
        assert_eq!(status, 200, "{body}");
        if body["total"]["count"] == 1 {
            break body;
        }
        tries += 1;
        assert!(tries < 40, "the call's case was filed under {kind} within 20 s: {body}");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert_eq!(same["query"]["dispute"], kind.as_str());
    assert_eq!(same["total"]["avg"], 60);
    assert_eq!(same["lowest"][0]["jobId"], job.as_str());
    assert_eq!(same["tags"], json!([{ "tag": "履约情况", "value": "已支付", "count": 1 }]));
    let (_, none) = get(&format!("{path}&dispute={other}"), &boss).await;
    assert_eq!(
        (none["total"]["count"].clone(), none["items"].clone(), none["lowest"].clone(), none["tags"].clone()),
        (json!(0), json!([]), json!([]), json!([])),
        "{none}"
    );
    let (status, body) = get(&format!("{path}&dispute={}", "x".repeat(65)), &boss).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("dispute")), "{body}");
}
