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

/// The board answer's headers that say what it shows and where the time went.
async fn board_as(token: &str, if_none_match: Option<&str>) -> (u16, String, String, String) {
    let mut req = api(reqwest::Method::GET, "/api/board", token);
    if let Some(tag) = if_none_match {
        req = req.header("If-None-Match", tag);
    }
    let res = req.send().await.expect("edge reachable");
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (status, tag, timing) = (res.status().as_u16(), header("etag"), header("server-timing"));
    assert_eq!(header("cache-control"), "private, no-cache");
    (status, tag, timing, res.text().await.unwrap())
}

#[tokio::test]
async fn an_unchanged_board_is_304_and_is_not_written_again() {
    reset().await;
    let m = mediator();
    let (status, tag, timing, first) = board_as(&m, None).await;
    assert_eq!(status, 200);
    assert!(tag.starts_with("W/\"b") && tag.ends_with('"'), "{tag}");
    assert!(timing.starts_with("upstream;dur=") && timing.contains(", edge;dur=") && timing.contains(", d1;dur="), "{timing}");

    // The same backend answer: the cases as written before, the same tag; 304 to a board that has it.
    let (status, again, timing, second) = board_as(&m, None).await;
    assert_eq!((status, again.as_str()), (200, tag.as_str()));
    assert!(timing.contains("desc=kept"), "{timing}");
    let without_time = |body: &str| {
        let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
        v.as_object_mut().unwrap().remove("fetchedAt");
        v
    };
    assert_eq!(without_time(&first), without_time(&second));
    let (status, same, _, body) = board_as(&m, Some(&tag)).await;
    assert_eq!((status, same.as_str(), body.as_str()), (304, tag.as_str(), ""));

    // Who may see phone numbers gets another answer, and another tag.
    let (status, other, _, unmasked) = board_as(&token("wanglei", Role::Supervisor), Some(&tag)).await;
    assert_eq!(status, 200);
    assert_ne!(other, tag);
    assert!(!unmasked.contains("****"));

    // A change at the backend: the old tag no longer matches.
    let (case_id, _, _) = open_case().await;
    let (s, _) = post(&format!("/api/cases/{case_id}/takeover"), &token("lihua", Role::Mediator), serde_json::json!({})).await;
    assert_eq!(s, 200);
    let (status, changed, timing, body) = board_as(&m, Some(&tag)).await;
    assert_eq!(status, 200);
    assert_ne!(changed, tag);
    assert!(timing.contains("desc=written"), "{timing}");
    let board: BoardResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(board.cases.iter().find(|c| c.case_id == case_id).unwrap().takeover_user.as_deref(), Some("lihua"));
}

/// Over 8 MB the edge reads the backend's board as it arrives: told its
/// length (`Content-Length`) it streams from the first byte; not told (a
/// server streaming its JSON), it reads the first 8 MB, then streams.
#[tokio::test]
async fn a_board_too_large_to_read_whole_is_streamed_whole_and_masked() {
    reset().await;
    let scaled = control("/control/scale", serde_json::json!({ "cases": 12_000 })).await;
    assert_eq!(scaled["cases"].as_u64(), Some(12_000), "{scaled}");
    for chunked in [false, true] {
        control("/control/faults/mediation", serde_json::json!({ "boardChunked": chunked })).await;
        let direct = client().get(format!("{}/api/v1/mediation-timeline/v2/board", mediation())).bearer_auth(MEDIATION_TOKEN).send().await.unwrap();
        assert_eq!(direct.content_length().is_none(), chunked, "the sandbox sends its length unless told to stream");
        let direct = direct.bytes().await.unwrap();
        assert!(direct.len() > 8 << 20, "the backend's answer ({} bytes) must exceed what the edge reads whole", direct.len());
        let backend_cases = serde_json::from_slice::<serde_json::Value>(&direct).unwrap()["data"].take();
        let backend_cases: Vec<shared::wire::mediation::BoardRecord> = serde_json::from_value(backend_cases).unwrap();
        assert_eq!(backend_cases.len(), 12_000);

        for (role, user) in [(Role::Mediator, "lihua"), (Role::Supervisor, "wanglei")] {
            let res = api(reqwest::Method::GET, "/api/board", &token(user, role.clone())).send().await.expect("edge reachable");
            assert_eq!(res.status().as_u16(), 200);
            let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(header("etag"), None, "a streamed board has no tag: it would precede bytes not yet read");
            assert_eq!(header("cache-control").as_deref(), Some("private, no-cache"));
            assert_eq!(header("content-type").as_deref(), Some("application/json"));
            let timing = header("server-timing").unwrap();
            assert!(timing.contains("edge;dur=") && timing.contains("desc=streamed"), "{timing}");
            let backend = if chunked { "desc=\"first 8 MB\"" } else { "desc=headers" };
            assert!(timing.starts_with("upstream;dur=") && timing.contains(backend), "{timing}: the backend's time is to {backend}");
            let board: BoardResponse = serde_json::from_slice(&res.bytes().await.unwrap()).expect("the streamed answer is one whole board");
            let mut expected = backend_cases.clone();
            shared::wire::api::mask_board(&mut expected, &role);
            assert!(board.cases == expected, "{role:?} (chunked: {chunked}): the streamed cases differ from the backend's, masked for the role");
            assert!(board.fetched_at > 0);
        }
        let masked = &backend_cases[0].parties[0].phone_number;
        assert_ne!(shared::wire::api::mask_phone(masked), *masked, "the sample's phones are maskable");
    }
    reset().await;
}
