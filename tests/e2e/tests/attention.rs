//! The attention queue over HTTP: note results that meet a rule become
//! entries with their evidence (once, however often they are delivered);
//! a mediator sees only the cases assigned to or taken over by them; a
//! supervisor assigns, a mediator acknowledges (once), both audited; rules are
//! data an admin edits, checked by field; a call refused at the daily limit
//! is an entry too.

use e2e::*;
use reqwest::Method;
use shared::wire::session::Role;
use serde_json::{json, Value};

async fn push(body: &Value) {
    let res = client().post(format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge())).json(body).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

fn record(call_id: &str, kind: &str, result: Value, job: &str) -> Value {
    json!({
        "call_id": call_id, "biz_id": "70001", "out_id": job, "cell_number": "13922111489",
        "success": true, "error_code": "success", "error_msg": "success", "content_length": 120, "duration": 60,
        "start_time": "2026-11-22 09:59:00", "report_time": "2026-11-22 10:00:00", "type": kind, "result": result.to_string()
    })
}

/// A call placed through the edge (so the edge knows its case): (caseId, jobId, personId).
async fn placed_call() -> (String, String, String) {
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (case_id, mediation_id, people) = open_case().await;
    let (status, placed) = place(&case_id, mediation_id, &people[0]).await;
    assert_eq!(status, 201, "{placed}");
    let job = placed["results"][0]["jobId"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();
    (case_id, job, people[0].clone())
}

async fn place(case_id: &str, mediation_id: i64, person: &str) -> (u16, Value) {
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": person });
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("attention-")).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// The entries of one call (the queue may be long: it shows 200).
async fn entries(token: &str, state: &str, job: &str) -> Vec<Value> {
    let (status, body) = get(&format!("/api/attention?state={state}&jobId={job}"), token).await;
    assert_eq!(status, 200, "{body}");
    body["entries"].as_array().unwrap().clone()
}

/// The entries of one call, of the shipped rules or of `own` (the API fuzzer
/// may have added rules of its own to a long-lived local D1).
fn of_job<'a>(list: &'a [Value], job: &str) -> Vec<&'a Value> {
    of_job_by(list, job, "")
}

fn of_job_by<'a>(list: &'a [Value], job: &str, own: &str) -> Vec<&'a Value> {
    const SHIPPED: [&str; 8] = ["qa-total-low", "qa-item-low", "agreement-refused", "agreement-unconfirmed", "not-paid", "distress", "asks-for-person", "call-limit"];
    list.iter().filter(|e| e["jobId"] == job && (SHIPPED.contains(&e["ruleId"].as_str().unwrap_or_default()) || e["ruleId"] == own)).collect()
}

fn rule_ids(list: &[&Value]) -> Vec<String> {
    let mut ids: Vec<String> = list.iter().map(|e| e["ruleId"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

fn supervisor() -> String {
    token("attention-supervisor", Role::Supervisor)
}

#[tokio::test]
async fn a_low_score_and_a_refusal_become_entries_with_their_evidence_once() {
    reset().await;
    let (case_id, job, _) = placed_call().await;
    let call = unique("call-");
    let qa = json!([
        { "item": "开场规范", "full_score": 10, "score": 2, "problem": "未说明身份", "suggestion": "先报机构名称" },
        { "item": "协议内容准确性", "full_score": 25, "score": 25, "problem": "无", "suggestion": "无" }
    ]);
    let summary = json!({ "通话结果": ["拒绝协议"], "履约情况": ["已全额支付"], "当事人情绪": ["平稳"] });
    let body = json!([record(&call, "通话质检", qa, &job), record(&call, "通话摘要", summary, &job)]);
    push(&body).await;
    push(&body).await;

    let all = entries(&supervisor(), "open", &job).await;
    let mine = of_job(&all, &job);
    assert_eq!(rule_ids(&mine), ["agreement-refused", "qa-item-low"], "27/35 = 77% is not a low total; a redelivery adds nothing: {mine:?}");
    let item = mine.iter().find(|e| e["ruleId"] == "qa-item-low").unwrap();
    assert_eq!(item["caseId"], case_id.as_str());
    assert_eq!(item["severity"], "medium");
    assert_eq!(item["evidence"], json!({ "kind": "qa_item_at_most", "item": "开场规范", "score": "2", "fullScore": "10", "percent": 20, "threshold": 40 }));
    let refusal = mine.iter().find(|e| e["ruleId"] == "agreement-refused").unwrap();
    assert_eq!((refusal["severity"].clone(), refusal["evidence"].clone()), (json!("high"), json!({ "kind": "tag", "tag": "通话结果", "value": "拒绝协议" })));
    assert_eq!(refusal["ackedBy"], Value::Null);
    // Most urgent first: no medium entry comes before a high one (the whole queue too).
    let (_, whole) = get("/api/attention", &supervisor()).await;
    let whole: Vec<Value> = whole["entries"].as_array().unwrap().clone();
    assert!(!whole.is_empty());
    let ranks: Vec<i64> = whole.iter().map(|e| match e["severity"].as_str().unwrap() { "high" => 0, "medium" => 1, _ => 2 }).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

#[tokio::test]
async fn a_mediator_sees_only_their_cases_and_acknowledges_once_all_audited() {
    reset().await;
    let (case_id, job, _) = placed_call().await;
    let call = unique("call-");
    push(&json!([record(&call, "通话摘要", json!({ "履约情况": ["未支付"] }), &job)])).await;
    let a = unique("med-a-");
    let b = unique("med-b-");
    let ta = token(&a, Role::Mediator);
    let tb = token(&b, Role::Mediator);
    assert!(of_job(&entries(&ta, "open", &job).await, &job).is_empty(), "not A's case yet");

    let entry = of_job(&entries(&supervisor(), "open", &job).await, &job)[0].clone();
    assert_eq!(entry["ruleId"], "not-paid");
    let id = entry["id"].as_i64().unwrap();
    // A mediator may not assign.
    let (status, body) = post(&format!("/api/attention/{id}/assign"), &ta, json!({ "assignee": a })).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
    let (status, body) = post(&format!("/api/attention/{id}/assign"), &supervisor(), json!({ "assignee": " " })).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("assignee")));
    let (status, assigned) = post(&format!("/api/attention/{id}/assign"), &supervisor(), json!({ "assignee": a })).await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!((assigned["assignee"].as_str(), assigned["assignedBy"].as_str()), (Some(a.as_str()), Some("attention-supervisor")));

    let (_, queue) = get("/api/attention", &ta).await;
    let seen_by_a: Vec<Value> = queue["entries"].as_array().unwrap().clone();
    assert_eq!(of_job(&seen_by_a, &job).len(), 1, "assigned to A: {seen_by_a:?}");
    assert_eq!(queue["open"], seen_by_a.len(), "A's whole queue is this case's");
    assert!(seen_by_a.iter().all(|e| e["assignee"] == a.as_str()), "A sees nothing of other cases: {seen_by_a:?}");
    assert!(of_job(&entries(&tb, "open", &job).await, &job).is_empty(), "B does not see A's case");
    // B cannot act on it either.
    let (status, _) = post(&format!("/api/attention/{id}/ack"), &tb, json!({ "note": "不是我的" })).await;
    assert_eq!(status, 404);
    let (status, body) = post(&format!("/api/attention/{id}/ack"), &ta, json!({ "note": "" })).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("note")));

    let (status, acked) = post(&format!("/api/attention/{id}/ack"), &ta, json!({ "note": "已电话联系,约定周一付款" })).await;
    assert_eq!(status, 200, "{acked}");
    assert_eq!((acked["ackedBy"].as_str(), acked["ackNote"].as_str()), (Some(a.as_str()), Some("已电话联系,约定周一付款")));
    let (status, again) = post(&format!("/api/attention/{id}/ack"), &ta, json!({ "note": "再处理一次" })).await;
    assert_eq!((status, again["error"]["code"].clone()), (409, json!("already_done")));
    assert!(of_job(&entries(&ta, "open", &job).await, &job).is_empty(), "no longer open");
    assert_eq!(of_job(&entries(&ta, "acked", &job).await, &job).len(), 1);

    let (_, trail) = get(&format!("/api/cases/{case_id}/audit"), &supervisor()).await;
    let actions: Vec<(String, String)> = trail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "assign" || e["action"] == "attention_ack")
        // This entry's (the case may have had others).
        .filter(|e| [&e["target"], &e["outcome"]].iter().any(|v| v.as_str().unwrap_or_default().starts_with(&format!("{id} · "))))
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["user"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(actions, [("attention_ack".to_owned(), a.clone()), ("assign".to_owned(), "attention-supervisor".to_owned())], "{trail}");
}

#[tokio::test]
async fn rules_are_data_an_admin_edits_checked_by_field() {
    let word = unique("暗号");
    let id = unique("rule-").replace(|c: char| !c.is_ascii_alphanumeric(), "-").to_ascii_lowercase();
    let rule = json!({ "id": id, "name": "摘要提到暗号", "severity": "low", "enabled": true, "condition": { "kind": "tag", "tag": "通话摘要", "values": [word] } });
    let path = format!("/api/attention/rules/{id}");
    let send = |token: String, body: Value| {
        let path = path.clone();
        async move {
            let res = api(Method::PUT, &path, &token).json(&body).send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let (status, _) = send(token("a-supervisor", Role::Supervisor), rule.clone()).await;
    assert_eq!(status, 403, "only admins edit rules");
    let mut bad = rule.clone();
    bad["condition"] = json!({ "kind": "qa_total_below", "percent": 120 });
    assert_eq!(send(admin(), bad).await.1["error"]["field"], "condition.percent");
    let mut bad = rule.clone();
    bad["condition"]["values"] = json!([]);
    assert_eq!(send(admin(), bad).await.1["error"]["field"], "condition.values");
    let (_, before) = get("/api/attention/rules", &mediator()).await;
    assert!(!before["rules"].as_array().unwrap().iter().any(|r| r["id"] == id.as_str()), "a refused rule is not saved");

    let (status, saved) = send(admin(), rule.clone()).await;
    assert_eq!((status, saved.clone()), (200, rule.clone()));
    let (_, rules) = get("/api/attention/rules", &mediator()).await;
    assert_eq!(rules["rules"].as_array().unwrap().last().unwrap(), &rule, "a new rule comes last");

    let job = unique("job-");
    push(&json!([record(&unique("call-"), "通话摘要", json!({ "通话摘要": format!("当事人说出了{word},要求回电") }), &job)])).await;
    let found = entries(&supervisor(), "open", &job).await;
    let hits = of_job_by(&found, &job, &id);
    assert_eq!(rule_ids(&hits), [id.clone()]);
    assert_eq!((hits[0]["evidence"]["value"].as_str(), hits[0]["caseId"].clone()), (Some(word.as_str()), Value::Null), "the edge does not know this call's case");
    // Its case unknown, it cannot be assigned yet.
    let (status, body) = post(&format!("/api/attention/{}/assign", hits[0]["id"]), &supervisor(), json!({ "assignee": "zhangmin" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (409, json!("case_unknown")));

    // Switched off, it judges nothing new.
    let mut off = rule.clone();
    off["enabled"] = json!(false);
    assert_eq!(send(admin(), off).await.0, 200);
    let job2 = unique("job-");
    push(&json!([record(&unique("call-"), "通话摘要", json!({ "通话摘要": format!("又提到{word}") }), &job2)])).await;
    assert!(of_job_by(&entries(&supervisor(), "all", &job2).await, &job2, &id).is_empty());
    let (_, trail) = get("/api/audit", &supervisor()).await;
    let edits = trail["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "rule_update" && e["target"] == id.as_str()).count();
    assert_eq!(edits, 2, "both saves audited");
}

#[tokio::test]
async fn a_party_at_the_daily_call_limit_is_an_entry_for_their_case() {
    reset().await;
    let (case_id, _, person) = placed_call().await;
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    let mediation_id = board["data"].as_array().unwrap().iter().find(|c| c["caseId"] == case_id.as_str()).unwrap()["mediationId"].as_i64().unwrap();
    let mut refused = None;
    for _ in 0..3 {
        control("/control/time", json!({ "advanceMs": 121_000 })).await;
        let (status, placed) = place(&case_id, mediation_id, &person).await;
        assert_eq!(status, 201, "{placed}");
        if placed["results"][0]["errorCode"] == 1002 {
            refused = Some(placed);
            break;
        }
    }
    assert!(refused.is_some(), "the fourth call of the day is refused with 1002");
    let (_, found) = get(&format!("/api/attention?caseId={case_id}"), &supervisor()).await;
    let found: Vec<Value> = found["entries"].as_array().unwrap().clone();
    let limit: Vec<&Value> = found.iter().filter(|e| e["ruleId"] == "call-limit" && e["caseId"] == case_id.as_str()).collect();
    assert_eq!(limit.len(), 1, "{found:?}");
    assert_eq!((limit[0]["jobId"].clone(), limit[0]["severity"].clone()), (Value::Null, json!("low")));
}
