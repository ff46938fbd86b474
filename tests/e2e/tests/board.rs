//! `GET /api/board` through the edge relays the sandbox's board list.

use e2e::*;
use shared::api::BoardResponse;
use shared::mediation::{BoardRecord, Envelope};

#[tokio::test]
async fn board_through_the_edge_matches_the_backend() {
    reset().await;
    let direct: Envelope<Vec<BoardRecord>> = client()
        .get(format!("{}/api/v1/mediation-timeline/v2/board", mediation()))
        .bearer_auth(MEDIATION_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = client().get(format!("{}/api/board", edge())).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let relayed: BoardResponse = res.json().await.unwrap();
    assert!(relayed.cases.len() >= 30, "{} cases", relayed.cases.len());
    let ids = |cases: &[BoardRecord]| cases.iter().map(|c| c.case_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&relayed.cases), ids(&direct.data));
}
