//! Search over what was said: a finished call's turns become findable, in
//! Chinese, with their personal data masked in what is shown and found;
//! bad queries are refused by field.

use std::time::{Duration, Instant};

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::session::Role;

/// The seeded agreement call whose draft names the party's WeChat id.
const CASE: &str = "202601301030001111";
const JOB: &str = "1769760284652-4b3e-87db-ae561726fcd8";

fn search_path(q: &str, case_id: &str) -> String {
    format!("/api/search?q={}&caseId={case_id}", urlencoding(q))
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Searches until `found` holds of the answer (indexing happens after an
/// answer has gone), at most 20 s.
async fn search_until(q: &str, case_id: &str, token: &str, found: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let (status, body) = get(&search_path(q, case_id), token).await;
        assert_eq!(status, 200, "{body}");
        if found(&body) || started.elapsed() > Duration::from_secs(20) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn hits_of<'a>(body: &'a Value, job: &str) -> Vec<&'a Value> {
    body["hits"].as_array().unwrap().iter().filter(|h| h["jobId"] == json!(job)).collect()
}

fn marked(hit: &Value) -> Vec<String> {
    let chars: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    hit["marks"].as_array().unwrap().iter().map(|m| chars[m[0].as_u64().unwrap() as usize..m[1].as_u64().unwrap() as usize].iter().collect()).collect()
}

#[tokio::test]
async fn a_case_s_finished_calls_are_found_by_what_the_party_said_with_texts_masked() {
    reset().await;
    // Reading the case's calls indexes them.
    let (status, body) = get(&format!("/api/conversations?caseId={CASE}"), &mediator()).await;
    assert_eq!(status, 200, "{body}");

    let said = search_until("分三次", CASE, &mediator(), |b| !hits_of(b, JOB).is_empty()).await;
    let hits = hits_of(&said, JOB);
    assert_eq!(hits.len(), 1, "{said}");
    let hit = hits[0];
    assert_eq!((hit["caseId"].clone(), hit["turn"].clone(), hit["speaker"].clone()), (json!(CASE), json!(4), json!("Contact")), "{said}");
    assert_eq!(hit["snippet"], json!("分三次是我提的,没问题。第一次2月6号,行。"));
    assert_eq!(marked(hit), vec!["分三次"]);
    // The turn number is the turn's place in the call, as the conversation lists it.
    let (_, call) = get(&format!("/api/conversations?jobId={JOB}"), &mediator()).await;
    assert_eq!(call["calls"][0]["turns"][4]["script"], json!("分三次是我提的,没问题。第一次2月6号,行。"));

    // Two characters are enough, and every term must occur.
    let two = search_until("分期", CASE, &mediator(), |b| !hits_of(b, JOB).is_empty()).await;
    assert_eq!(hits_of(&two, JOB).iter().map(|h| h["turn"].clone()).collect::<Vec<_>>(), vec![json!(3)], "{two}");
    let (_, both) = get(&search_path("分期 微信转账", CASE), &mediator()).await;
    assert_eq!(hits_of(&both, JOB).len(), 1, "{both}");
    let (_, neither) = get(&search_path("分期 强制拆迁", CASE), &mediator()).await;
    assert_eq!(hits_of(&neither, JOB).len(), 0, "{neither}");

    // Personal data is masked in the snippet, for every role, and cannot be searched for.
    for t in [mediator(), token("wanglei", Role::Supervisor), admin()] {
        let (status, wechat) = get(&search_path("微信号", CASE), &t).await;
        assert_eq!(status, 200, "{wechat}");
        let hit = hits_of(&wechat, JOB)[0];
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(snippet.contains("微信号li********79"), "{snippet}");
        assert!(!snippet.contains("liusujie7879"), "{snippet}");
        let (status, by_id) = get(&search_path("liusujie7879", CASE), &t).await;
        assert_eq!((status, by_id["hits"].clone()), (200, json!([])), "{by_id}");
    }
}

#[tokio::test]
async fn a_call_placed_from_the_board_is_findable_once_the_note_agent_reports_on_it() {
    reset().await;
    let nudge = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() % 100_000_000) as i64;
    control("/control/time", json!({ "advanceMs": 86_400_000 + nudge })).await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("search-")).json(&body).send().await.unwrap();
    let placed: Value = res.json().await.unwrap();
    let job = placed["results"][0]["jobId"].as_str().unwrap_or_else(|| panic!("placed: {placed}")).to_owned();
    // Not findable while the call is under way.
    let (_, early) = get(&search_path("人民调解委员会", &case_id), &mediator()).await;
    assert_eq!(hits_of(&early, &job).len(), 0, "{early}");

    control(&format!("/control/calls/{job}/outcome"), json!({ "status": "Succeeded" })).await;
    control("/control/push", json!({ "jobId": job })).await;
    // Nobody opens the case: the note agent's push is what gets it indexed.
    let found = search_until("人民调解委员会", &case_id, &mediator(), |b| !hits_of(b, &job).is_empty()).await;
    let hits = hits_of(&found, &job);
    assert_eq!(hits.len(), 1, "{found}");
    assert_eq!((hits[0]["speaker"].clone(), hits[0]["turn"].clone()), (json!("Robot"), json!(1)), "{found}");
    assert_eq!(marked(hits[0]), vec!["人民调解委员会"]);
}

#[tokio::test]
async fn bad_queries_are_refused_by_field() {
    for (path, field) in [
        ("/api/search".to_owned(), "q"),
        ("/api/search?q=%E5%A5%BD".to_owned(), "q"),
        (format!("/api/search?q={}", urlencoding(&"长".repeat(51))), "q"),
        ("/api/search?q=%21%3F".to_owned(), "q"),
        // A broken escape is refused, not searched for as the text "%zz".
        ("/api/search?q=%E5%88%86%E6%9C%9F%zz".to_owned(), "q"),
        ("/api/search?q=%E5%88%86%E6%9C%9F&caseId=a%20b".to_owned(), "caseId"),
    ] {
        let (status, body) = get(&path, &mediator()).await;
        assert_eq!((status, body["error"]["field"].clone()), (400, json!(field)), "{path}: {body}");
    }
    let (status, _) = get("/api/search?q=%E5%88%86%E6%9C%9F", "").await;
    assert_eq!(status, 401);
}
