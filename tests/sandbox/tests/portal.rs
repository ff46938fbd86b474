//! The demo portal: its page embeds the SDK from the edge, and its own token
//! minting produces JWTs the board's verifier accepts.

mod common;

use serde_json::Value;

#[tokio::test]
async fn the_portal_mints_tokens_the_board_accepts() {
    let h = common::start().await;
    let body: Value = h.http.get(h.control_url("/portal/token?user=lihua&ttl=30")).send().await.unwrap().json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    let now = common::now();
    let claims = shared::wire::session::verify(token, b"test-portal-secret", now).unwrap();
    assert_eq!(claims.sub, "lihua");
    assert_eq!(claims.display_name(), "李华");
    assert_eq!(claims.role, shared::wire::session::Role::Mediator);
    assert!((claims.exp - now - 30).abs() <= 2);
    assert!(shared::wire::session::verify(token, b"another-secret", now).is_err());
    let res = h.http.get(h.control_url("/portal/token?user=nobody")).send().await.unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn the_portal_page_loads_the_sdk_from_the_edge() {
    let h = common::start().await;
    let page = h.http.get(h.control_url("/portal")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<script src="http://127.0.0.1:1/embed.js"></script>"#));
    assert!(page.contains("MediationBoard.create"));
    let cases: Value = h.http.get(h.control_url("/portal/cases")).send().await.unwrap().json().await.unwrap();
    assert!(cases.as_array().unwrap().len() >= 30);
}
