//! `GET /api/board` relays the backend's board list, masked by role.

use e2e::*;
use shared::wire::api::BoardResponse;
use shared::wire::session::Role;

#[tokio::test]
async fn board_through_the_edge_matches_the_backend() {
    reset().await;
    let direct = backend("/api/v1/mediation-timeline/v2/board").await;
    let (status, body) = get("/api/board", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let relayed: BoardResponse = serde_json::from_value(body).unwrap();
    assert!(relayed.cases.len() >= 30);
    let ids: Vec<&str> = relayed.cases.iter().map(|c| c.case_id.as_str()).collect();
    let direct_ids: Vec<&str> = direct["data"].as_array().unwrap().iter().map(|c| c["caseId"].as_str().unwrap()).collect();
    assert_eq!(ids, direct_ids);
    assert!(relayed.fetched_at > 0);
}

#[tokio::test]
async fn phone_numbers_are_masked_for_mediators_only() {
    reset().await;
    let direct = backend("/api/v1/mediation-timeline/v2/board").await;
    let full = direct["data"][0]["parties"][0]["phoneNumber"].as_str().unwrap().to_owned();
    let (_, masked) = get("/api/board", &mediator()).await;
    let shown = masked["cases"][0]["parties"][0]["phoneNumber"].as_str().unwrap();
    assert_eq!(shown, shared::wire::api::mask_phone(&full));
    assert!(shown.contains("****"));
    let body = masked.to_string();
    assert!(!body.contains(&full), "the full number leaks somewhere in the mediator's board");
    let (_, open) = get("/api/board", &token("wanglei", Role::Supervisor)).await;
    assert_eq!(open["cases"][0]["parties"][0]["phoneNumber"], full.as_str());
}
