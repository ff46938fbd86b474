//! Personal data inside texts: masked by the edge for every role, shown to
//! those who oversee on request (one call, audited), never to mediators.

use e2e::*;
use serde_json::{json, Value};
use shared::wire::session::Role;

/// The seeded agreement call whose draft names the party's WeChat id (as the spec's example does).
const CASE: &str = "202601301030001111";
const JOB: &str = "1769760284652-4b3e-87db-ae561726fcd8";

fn scripts(body: &Value) -> Vec<String> {
    body["calls"][0]["turns"].as_array().unwrap().iter().filter_map(|t| t["script"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn texts_are_masked_for_every_role_and_revealed_to_overseers_with_an_audit_entry() {
    reset().await;
    let path = format!("/api/conversations?jobId={JOB}");
    let supervisor = token("wanglei", Role::Supervisor);
    for t in [mediator(), supervisor.clone(), admin()] {
        let (status, body) = get(&path, &t).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["calls"][0]["masked"], json!(true), "{body}");
        let all = scripts(&body).join("\n");
        assert!(all.contains("微信号li********79"), "{all}");
        assert!(!all.contains("liusujie7879"), "{all}");
        // Amounts and dates stay as they were said.
        assert!(all.contains("2026年2月6日前支付1500元"), "{all}");
    }

    // A mediator may not ask for the original.
    let (status, body) = get(&format!("{path}&reveal=1"), &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")), "{body}");
    // reveal names one call, and is 1 or 0.
    let (status, body) = get(&format!("/api/conversations?caseId={CASE}&reveal=1"), &supervisor).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("jobId")), "{body}");
    let (status, body) = get(&format!("{path}&reveal=yes"), &supervisor).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("reveal")), "{body}");

    // A supervisor sees it, and the case's audit trail says so (D1 keeps
    // the trail across sandbox resets: count the entries this adds).
    let reveals = |audit: &Value| audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "reveal").cloned().collect::<Vec<Value>>();
    let before = reveals(&get(&format!("/api/cases/{CASE}/audit"), &supervisor).await.1).len();
    let (status, body) = get(&format!("{path}&caseId={CASE}&reveal=1"), &supervisor).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["calls"][0].get("masked"), None, "{body}");
    assert!(scripts(&body).join("\n").contains("微信号liusujie7879"));
    let (status, audit) = get(&format!("/api/cases/{CASE}/audit"), &supervisor).await;
    assert_eq!(status, 200, "{audit}");
    let after = reveals(&audit);
    assert_eq!(after.len(), before + 1, "{audit}");
    // Newest first.
    assert_eq!((after[0]["user"].clone(), after[0]["target"].clone(), after[0]["status"].clone()), (json!("wanglei"), json!(JOB), json!(200)));
}

#[tokio::test]
async fn a_mediator_s_agreement_has_the_party_s_accounts_masked() {
    reset().await;
    // The case whose agreement names the WeChat id.
    let (status, body) = post(&format!("/api/cases/{CASE}/agreement"), &mediator(), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let text = body["agreeContent"].as_str().unwrap();
    assert!(text.contains("微信号li********79") && !text.contains("liusujie7879"), "{text}");
    let (status, body) = post(&format!("/api/cases/{CASE}/agreement"), &token("wanglei", Role::Supervisor), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["agreeContent"].as_str().unwrap().contains("微信号liusujie7879"));
}
