//! A bulk run from the board: one call per case, each with its own
//! idempotency key and the run's id (`X-Bulk-Run`), each answered with its
//! own outcome (started / must wait / limit reached / refused), and the whole
//! run readable from the audit trail.

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};

/// Free cases under mediation: (caseId, mediationId, first party).
async fn free_cases(n: usize) -> Vec<(String, i64, String)> {
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    board["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["takeoverUser"].is_null() && c["stage"] != "accepted" && !c["parties"].as_array().unwrap().is_empty())
        .take(n)
        .map(|c| (c["caseId"].as_str().unwrap().to_owned(), c["mediationId"].as_i64().unwrap(), c["parties"][0]["personId"].as_str().unwrap().to_owned()))
        .collect()
}

async fn run_call(case: &(String, i64, String), run: &str) -> (u16, Value) {
    let body = json!({ "caseId": case.0, "mediationId": case.1.to_string(), "callAuto": 0, "callPersonId": case.2 });
    let res = api(Method::POST, "/api/calls", &mediator()).header("Idempotency-Key", unique("bulk-")).header("X-Bulk-Run", run).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn a_bulk_run_answers_each_case_with_its_own_outcome_and_is_audited() {
    reset().await;
    // A fresh day at 10:00 in Shanghai, so that the day's call counts start at zero.
    let now = control_get("/control/time").await["nowMs"].as_i64().unwrap();
    let day = 86_400_000;
    let next_ten = ((now + 8 * 3_600_000) / day + 1) * day + 2 * 3_600_000;
    control("/control/time", json!({ "setMs": next_ten })).await;
    let cases = free_cases(5).await;
    assert_eq!(cases.len(), 5);
    let (must_wait, limited, taken, fresh) = (&cases[0], &cases[1], &cases[2], &cases[3..]);
    // The party of `limited` was called three times today (two minutes apart, the last over two
    // minutes ago), `must_wait`'s just now.
    for i in 0..3 {
        if i > 0 {
            control("/control/time", json!({ "advanceMs": 121_000 })).await;
        }
        assert_eq!(call_directly(&limited.0, limited.1, &limited.2).await.status(), 201);
    }
    control("/control/time", json!({ "advanceMs": 121_000 })).await;
    assert_eq!(call_directly(&must_wait.0, must_wait.1, &must_wait.2).await.status(), 201);
    let (status, _) = post(&format!("/api/cases/{}/takeover", taken.0), &mediator(), json!({})).await;
    assert_eq!(status, 200);

    let run = unique("run-");
    let before = calls_placed().await;
    let mut outcomes = vec![];
    for case in &cases {
        outcomes.push(run_call(case, &run).await);
    }
    let code = |o: &(u16, Value)| o.1["results"][0]["errorCode"].as_i64();
    assert_eq!((outcomes[0].0, code(&outcomes[0])), (201, Some(1001)), "must wait: {:?}", outcomes[0]);
    assert_eq!((outcomes[1].0, code(&outcomes[1])), (201, Some(1002)), "limit reached: {:?}", outcomes[1]);
    assert_eq!((outcomes[2].0, outcomes[2].1["error"]["code"].clone()), (400, json!("upstream_rejected")), "taken over: {:?}", outcomes[2]);
    for o in &outcomes[3..] {
        assert_eq!((o.0, code(o)), (201, Some(0)), "started: {o:?}");
    }
    assert_eq!(calls_placed().await, before + fresh.len() as u64, "only the two free parties were called");

    // Every case's trail names the run.
    for case in &cases {
        let (_, audit) = get(&format!("/api/cases/{}/audit", case.0), &mediator()).await;
        let call = audit["entries"].as_array().unwrap().iter().find(|e| e["action"] == "call").unwrap_or_else(|| panic!("{audit}"));
        assert_eq!(call["target"], json!(format!("{} · bulk run {run}", case.2)), "{audit}");
    }
}

#[tokio::test]
async fn a_bad_run_id_is_refused_by_field_and_calls_nobody() {
    reset().await;
    let case = free_cases(1).await.remove(0);
    let before = calls_placed().await;
    let (status, body) = run_call(&case, "run 1").await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("X-Bulk-Run")), "{body}");
    assert_eq!(calls_placed().await, before);
}
