//! Who may call: bearer JWTs (HS256), the demo sign-in, and the headers every
//! answer carries (CORS for EMBED_ORIGINS only, strict CSP).

use e2e::*;
use reqwest::Method;
use serde_json::json;
use shared::wire::session::Role;

#[tokio::test]
async fn missing_forged_and_expired_tokens_are_refused() {
    for (what, header) in [
        ("none", None),
        ("forged", Some(token_with("zhangmin", Role::Admin, 3600, "not-the-secret"))),
        ("expired", Some(token_with("zhangmin", Role::Mediator, -10, SESSION_SECRET))),
        ("garbage", Some("abc.def".to_owned())),
    ] {
        let mut req = client().get(format!("{}/api/board", edge()));
        if let Some(t) = &header {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{what}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{what}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn every_api_route_needs_a_token() {
    for (method, path) in [
        (Method::GET, "/api/session"),
        (Method::GET, "/api/board"),
        (Method::POST, "/api/cases/202601301030001111/takeover"),
        (Method::POST, "/api/calls"),
        (Method::GET, "/api/conversations"),
        (Method::GET, "/api/notes?jobId=x"),
        (Method::GET, "/api/recordings/x"),
        (Method::GET, "/api/recordings/x/link"),
        (Method::GET, "/api/clink/aikb/list_public_repositories"),
        (Method::GET, "/api/audit"),
        (Method::GET, "/api/admin/dead-letters"),
    ] {
        let res = client().request(method.clone(), format!("{}{path}", edge())).send().await.unwrap();
        assert_eq!(res.status(), 401, "{method} {path}");
    }
}

#[tokio::test]
async fn demo_sign_in_mints_a_working_token() {
    let res = client().post(format!("{}/api/demo/session", edge())).json(&json!({ "user": "wanglei", "role": "supervisor" })).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let demo: shared::wire::api::DemoSession = res.json().await.unwrap();
    assert_eq!(demo.session.name, "王磊");
    let (status, me) = get("/api/session", &demo.token).await;
    assert_eq!(status, 200);
    assert_eq!(me["user"], "wanglei");
    assert_eq!(me["role"], "supervisor");
    let res = client().post(format!("{}/api/demo/session", edge())).json(&json!({ "user": "bad user!" })).send().await.unwrap();
    assert_eq!(res.status(), 400);
}

/// No body at all is the default demo user; a body of only whitespace is not
/// JSON and is refused naming the body (Schemathesis sent "\n").
#[tokio::test]
async fn a_demo_sign_in_without_a_body_is_the_default_user_and_one_of_only_whitespace_is_refused() {
    let url = format!("{}/api/demo/session", edge());
    let res = client().post(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let demo: serde_json::Value = res.json().await.unwrap();
    assert_eq!((demo["session"]["user"].as_str(), demo["session"]["role"].as_str()), (Some("zhangmin"), Some("mediator")));
    for body in ["\n", " \t\r\n "] {
        let res = client().post(&url).header("Content-Type", "application/json").body(body).send().await.unwrap();
        assert_eq!(res.status(), 400, "{body:?}");
        let answer: serde_json::Value = res.json().await.unwrap();
        assert_eq!(answer["error"]["field"], "body", "{body:?}: {answer}");
    }
}

#[tokio::test]
async fn cors_follows_embed_origins() {
    let allowed = control_base();
    let res = client()
        .request(Method::OPTIONS, format!("{}/api/board", edge()))
        .header("Origin", &allowed)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["access-control-allow-origin"], allowed.as_str());
    assert!(res.headers()["access-control-allow-headers"].to_str().unwrap().contains("Authorization"));

    let res = api(Method::GET, "/api/board", &mediator()).header("Origin", "http://evil.example").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = api(Method::GET, "/api/board", &mediator()).header("Origin", &allowed).send().await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], allowed.as_str());
}

#[tokio::test]
async fn responses_carry_a_strict_csp() {
    let res = api(Method::GET, "/api/session", &mediator()).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    let page = client().get(format!("{}/", edge())).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let directive = |name: &str| csp.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name)).unwrap_or_else(|| panic!("no {name} in {csp}")).to_owned();
    // Scripts: the board's own files, wasm, and the hashes of Trunk's inline loader, nothing inline besides.
    let script = directive("script-src");
    let sources: Vec<&str> = script.split_whitespace().skip(1).collect();
    assert_eq!(&sources[..2], ["'self'", "'wasm-unsafe-eval'"], "{script}");
    assert!(sources.len() > 2 && sources[2..].iter().all(|s| s.starts_with("'sha256-") && s.ends_with('\'')), "{script}");
    // Styles: the board sets style attributes (bar widths, spacer heights), which need 'unsafe-inline' for styles only.
    assert_eq!(directive("style-src"), "style-src 'self' 'unsafe-inline'");
    assert_eq!(directive("default-src"), "default-src 'self'");
    assert_eq!(directive("object-src"), "object-src 'none'");
    assert_eq!(directive("frame-ancestors"), format!("frame-ancestors 'self' {}", control_base()));
}

#[tokio::test]
async fn the_boards_hashed_files_are_kept_for_good_and_the_page_is_asked_for_each_time() {
    let page = client().get(format!("{}/", edge())).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let html = page.text().await.unwrap();
    let start = html.find("/pkg-").expect("the page loads the board's package") + 1;
    let dir = &html[start..start + "pkg-".len() + 16];
    for (file, kind) in [("app.js", "text/javascript"), ("app_bg.wasm", "application/wasm"), ("split_case_screen.wasm", "application/wasm")] {
        let res = client().get(format!("{}/{dir}/{file}", edge())).send().await.unwrap();
        assert_eq!(res.status(), 200, "{file}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable", "{file}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with(kind), "{file}: {:?}", res.headers()["content-type"]);
    }
    // The embed script keeps its address across releases: a short cache only.
    let res = client().get(format!("{}/embed.js", edge())).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=300");
}

#[tokio::test]
async fn unknown_api_routes_are_404_json() {
    let (status, body) = get("/api/nope", &mediator()).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}
