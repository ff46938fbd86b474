//! A case's notes and reminders: stored at the edge, visible to the team,
//! audited; bad input refused by field; the reminders due across cases.

use e2e::*;
use serde_json::{json, Value};
use shared::wire::session::Role;

#[tokio::test]
async fn a_note_with_a_due_date_is_a_reminder_the_team_sees_until_it_is_done() {
    reset().await;
    let case = unique("C");
    let path = format!("/api/cases/{case}/notes");
    let (status, note) = post(&path, &mediator(), json!({ "text": " 核实是否收到第二期 14160 元 ", "dueDate": "2026-03-16" })).await;
    assert_eq!(status, 200, "{note}");
    assert_eq!((note["caseId"].clone(), note["author"].clone(), note["text"].clone(), note["dueDate"].clone()), (json!(case), json!("zhangmin"), json!("核实是否收到第二期 14160 元"), json!("2026-03-16")));
    let id = note["id"].as_i64().unwrap();
    let (status, plain) = post(&path, &token("lihua", Role::Mediator), json!({ "text": "当事人说下午方便接电话" })).await;
    assert_eq!(status, 200, "{plain}");
    assert_eq!(plain.get("dueDate"), None);

    // The team sees both, newest first; an admin too.
    for t in [token("lihua", Role::Mediator), token("wanglei", Role::Supervisor), admin()] {
        let (status, list) = get(&path, &t).await;
        assert_eq!(status, 200, "{list}");
        let ids: Vec<i64> = list["notes"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![plain["id"].as_i64().unwrap(), id]);
    }

    // Due on the day and after it, not before; only notes with a date.
    let due = |day: &str| {
        let day = day.to_owned();
        async move { get(&format!("/api/reminders?due={day}"), &mediator()).await }
    };
    let mine = |r: &Value| r["reminders"].as_array().unwrap().iter().filter(|n| n["caseId"] == json!(case.clone())).map(|n| n["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(mine(&due("2026-03-15").await.1), Vec::<i64>::new());
    let (status, on_the_day) = due("2026-03-16").await;
    assert_eq!((status, on_the_day["due"].clone()), (200, json!("2026-03-16")));
    assert_eq!(mine(&on_the_day), vec![id]);
    assert_eq!(mine(&due("2026-04-01").await.1), vec![id]);

    // Done: kept, with who and when, and no longer due.
    let (status, done) = post(&format!("{path}/{id}/done"), &token("wanglei", Role::Supervisor), json!({})).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["doneBy"], json!("wanglei"));
    assert!(done["doneAt"].as_i64().unwrap() > 0);
    assert_eq!(mine(&due("2026-04-01").await.1), Vec::<i64>::new());
    // Done twice keeps the first.
    let (_, again) = post(&format!("{path}/{id}/done"), &mediator(), json!({})).await;
    assert_eq!((again["doneBy"].clone(), again["doneAt"].clone()), (json!("wanglei"), done["doneAt"].clone()));

    // Each addition and completion is in the case's audit trail.
    let (_, audit) = get(&format!("/api/cases/{case}/audit"), &mediator()).await;
    let actions: Vec<&str> = audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["note_done", "note_done", "note", "note"], "{audit}");
}

#[tokio::test]
async fn bad_notes_are_refused_by_field_and_nothing_is_stored() {
    reset().await;
    let case = unique("C");
    let path = format!("/api/cases/{case}/notes");
    for (body, field) in [
        (json!({ "text": "   " }), "text"),
        (json!({ "text": "长".repeat(1001) }), "text"),
        (json!({ "text": "x", "dueDate": "2026-02-30" }), "dueDate"),
        (json!({ "text": "x", "dueDate": "3月16日" }), "dueDate"),
        (json!({ "dueDate": "2026-03-16" }), "body"),
    ] {
        let (status, answer) = post(&path, &mediator(), body.clone()).await;
        assert_eq!((status, answer["error"]["field"].clone()), (400, json!(field)), "{body}: {answer}");
    }
    let (status, list) = get(&path, &mediator()).await;
    assert_eq!((status, list["notes"].clone()), (200, json!([])));
    let (status, answer) = post(&format!("{path}/0/done"), &mediator(), json!({})).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("id")));
    let (status, _) = post(&format!("{path}/123456789/done"), &mediator(), json!({})).await;
    assert_eq!(status, 404);
    let (status, answer) = get("/api/reminders?due=tomorrow", &mediator()).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("due")));
    // An admin keeps the records but does not work cases.
    let (status, answer) = post(&path, &admin(), json!({ "text": "x" })).await;
    assert_eq!((status, answer["error"]["code"].clone()), (403, json!("forbidden")));
}

#[tokio::test]
async fn an_agreement_s_instalments_come_back_as_suggested_reminders() {
    reset().await;
    // The seeded case whose agreement pays in three instalments.
    let (status, body) = post("/api/cases/202601301030001111/agreement", &mediator(), json!({})).await;
    assert_eq!(status, 200, "{body}");
    let days: Vec<&str> = body["suggestedReminders"].as_array().unwrap().iter().map(|r| r["dueDate"].as_str().unwrap()).collect();
    assert_eq!(days, ["2026-02-06", "2026-03-06", "2026-04-06"], "{body}");
    assert_eq!(body["suggestedReminders"][2]["text"], json!("核实是否收到 742 元(4月6日前应付)"));
    // What the backend said is still all there.
    assert!(body["agreeId"].as_str().is_some_and(|id| !id.is_empty()) && body["agreeContent"].as_str().is_some(), "{body}");
}
