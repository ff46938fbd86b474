//! Saved board filters: each user's own, a name saved again replaces its
//! query, the query kept as the board writes it; bad input refused by field.

use e2e::*;
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::session::Role;

fn names(list: &Value) -> Vec<(String, String)> {
    list["presets"].as_array().unwrap().iter().map(|p| (p["name"].as_str().unwrap().to_owned(), p["query"].as_str().unwrap().to_owned())).collect()
}

#[tokio::test]
async fn presets_are_each_user_s_own_and_a_name_saved_again_replaces_its_query() {
    let me = token(&unique("u"), Role::Mediator);
    let other = token(&unique("v"), Role::Mediator);
    let (status, saved) = post("/api/presets", &me, json!({ "name": " 今天未接通 ", "query": "status=NoAnswer&from=2026-12-01&to=2026-12-01&bogus=1" })).await;
    assert_eq!(status, 200, "{saved}");
    // Trimmed; the query as the board writes it (the unknown parameter dropped).
    assert_eq!((saved["name"].clone(), saved["query"].clone()), (json!("今天未接通"), json!("status=NoAnswer&from=2026-12-01&to=2026-12-01")));
    let (_, second) = post("/api/presets", &me, json!({ "name": "待回访", "query": "stage=follow_up" })).await;
    let (status, list) = get("/api/presets", &me).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(names(&list), vec![("今天未接通".into(), "status=NoAnswer&from=2026-12-01&to=2026-12-01".into()), ("待回访".into(), "stage=follow_up".into())]);
    // Saved again under the same name: replaced, not added.
    let (_, again) = post("/api/presets", &me, json!({ "name": "待回访", "query": "stage=follow_up&mine=1" })).await;
    assert_eq!(again["id"], second["id"]);
    assert_eq!(names(&get("/api/presets", &me).await.1)[1], ("待回访".into(), "stage=follow_up&mine=1".into()));
    // Another user sees none of them and cannot delete them.
    assert_eq!(names(&get("/api/presets", &other).await.1), vec![]);
    let id = saved["id"].as_i64().unwrap();
    let res = api(Method::DELETE, &format!("/api/presets/{id}"), &other).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = api(Method::DELETE, &format!("/api/presets/{id}"), &me).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(names(&get("/api/presets", &me).await.1), vec![("待回访".to_owned(), "stage=follow_up&mine=1".to_owned())]);
    let res = api(Method::DELETE, &format!("/api/presets/{id}"), &me).send().await.unwrap();
    assert_eq!(res.status(), 404, "deleted once");
}

#[tokio::test]
async fn bad_presets_are_refused_by_field_and_nothing_is_stored() {
    let me = token(&unique("u"), Role::Supervisor);
    for (body, field) in [
        (json!({ "name": "  ", "query": "" }), "name"),
        (json!({ "name": "名".repeat(31), "query": "" }), "name"),
        (json!({ "name": "x", "query": "q".repeat(1001) }), "query"),
        (json!({ "query": "stage=follow_up" }), "body"),
    ] {
        let (status, answer) = post("/api/presets", &me, body.clone()).await;
        assert_eq!((status, answer["error"]["field"].clone()), (400, json!(field)), "{body}: {answer}");
    }
    assert_eq!(names(&get("/api/presets", &me).await.1), vec![]);
    let res = api(Method::DELETE, "/api/presets/abc", &me).send().await.unwrap();
    assert_eq!(res.status(), 400);
}
