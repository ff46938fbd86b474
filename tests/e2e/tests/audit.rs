//! The whole audit trail over HTTP (`GET /api/audit`): filtered by user,
//! action, case and Asia/Shanghai day, read a page at a time, refused by
//! parameter when a filter is bad, and only for supervisors and admins.

use e2e::*;
use serde_json::{json, Value};
use shared::time::{day_number, day_text, format_shanghai};
use shared::wire::session::Role;

fn ids(body: &Value) -> Vec<i64> {
    body["entries"].as_array().unwrap_or_else(|| panic!("{body}")).iter().map(|e| e["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_trail_is_filtered_by_user_action_case_and_day_and_read_a_page_at_a_time() {
    let user = unique("auditor-");
    let me = token(&user, Role::Mediator);
    let (case_id, _, _) = open_case().await;
    for i in 0..3 {
        let (status, body) = post(&format!("/api/cases/{case_id}/notes"), &me, json!({ "text": format!("核实第 {i} 期") })).await;
        assert_eq!(status, 200, "{body}");
    }
    let boss = token("audit-boss", Role::Supervisor);
    let (status, all) = get(&format!("/api/audit?user={user}"), &boss).await;
    assert_eq!(status, 200, "{all}");
    let mine = ids(&all);
    assert_eq!(mine.len(), 3, "{all}");
    assert!(mine.windows(2).all(|w| w[0] > w[1]), "newest first: {mine:?}");
    for e in all["entries"].as_array().unwrap() {
        assert_eq!((e["user"].clone(), e["action"].clone(), e["caseId"].clone(), e["role"].clone()), (json!(user), json!("note"), json!(case_id), json!("mediator")));
    }
    assert!(all.get("nextBefore").is_none(), "the whole of it fits one page: {all}");

    // Two at a time: the first page names the next; the last does not.
    let (_, first) = get(&format!("/api/audit?user={user}&limit=2"), &boss).await;
    assert_eq!((ids(&first), first["nextBefore"].as_i64()), (mine[..2].to_vec(), Some(mine[1])));
    let (_, second) = get(&format!("/api/audit?user={user}&limit=2&before={}", mine[1]), &boss).await;
    assert_eq!(ids(&second), mine[2..].to_vec());
    assert!(second.get("nextBefore").is_none(), "{second}");

    // By action, by case, by day (Asia/Shanghai).
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&action=note"), &boss).await.1), mine);
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&action=takeover"), &boss).await.1), Vec::<i64>::new());
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&caseId={case_id}"), &boss).await.1), mine);
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&caseId=no-such-case"), &boss).await.1), Vec::<i64>::new());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let today = format_shanghai(now)[..10].to_owned();
    let yesterday = day_text(day_number(&today).unwrap() - 1);
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&from={today}&to={today}"), &boss).await.1), mine);
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&from={yesterday}"), &boss).await.1), mine);
    assert_eq!(ids(&get(&format!("/api/audit?user={user}&to={yesterday}"), &boss).await.1), Vec::<i64>::new());
    // Admins read it too.
    assert_eq!(ids(&get(&format!("/api/audit?user={user}"), &admin()).await.1), mine);
}

#[tokio::test]
async fn a_bad_filter_is_refused_by_name_and_mediators_may_not_read_the_whole_trail() {
    let boss = token("audit-boss", Role::Supervisor);
    for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("before=x", "before"), ("from=2026-13-01", "from"), ("from=2026-12-02&to=2026-12-01", "from"), ("action=Take-Over", "action"), ("caseId=a%20b", "caseId"), ("to=", "to"), ("limit=", "limit")] {
        let (status, body) = get(&format!("/api/audit?{query}"), &boss).await;
        assert_eq!((status, body["error"]["field"].clone()), (400, json!(field)), "{query}: {body}");
    }
    assert_eq!(get("/api/audit", &mediator()).await.0, 403);
}
