//! Attacks on the edge's promises (README "Security model"), one test each:
//! masked numbers stay masked, a user's Clink conversations are theirs, the
//! live feed needs a valid session, size limits hold before memory is spent,
//! the edge fetches only where it should, tokens mean what they say, roles
//! gate what the table says, every Clink request is signed once, and the
//! smaller ones (Vary, concurrent replays, idempotency scopes).
//!
//! Two extra edges started by the test command serve the configurations the
//! main stack lacks: `E2E_EDGE_NO_SECRET` (no `BOARD_SESSION_SECRET`) and
//! `E2E_EDGE_STRICT` (`SESSION_ISSUER`, `SESSION_AUDIENCE`, `SESSION_MAX_TTL=600`).

use std::collections::HashMap;
use std::time::Duration;

use e2e::*;
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::access::{Access, Op};
use shared::wire::session::{mint, Audience, Claims, Role};
use tokio_tungstenite::tungstenite::Message;

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn claims(user: &str, role: Role, exp: i64) -> Claims {
    Claims { sub: user.into(), name: Some(user.into()), role, exp, iat: Some(now()), ..Claims::default() }
}

fn extra_edge(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run these tests through scripts/test.sh"))
}

// ---- 1. masked numbers stay masked ------------------------------------------

#[tokio::test]
async fn a_mediator_cannot_test_guesses_of_a_phone_number() {
    reset().await;
    let job = connected_job().await;
    let real = backend(&format!("/api/v1/outbound-bot/status?jobId={job}")).await["data"]["phoneNumber"].as_str().unwrap().to_owned();
    let mut wrong = real.clone();
    wrong.replace_range(5..6, if &real[5..6] == "0" { "1" } else { "0" });
    let (right_status, right_body) = get(&format!("/api/calls/status?phoneNumber={real}"), &mediator()).await;
    let (wrong_status, wrong_body) = get(&format!("/api/calls/status?phoneNumber={wrong}"), &mediator()).await;
    assert_eq!((right_status, wrong_status), (403, 403), "{right_body} {wrong_body}");
    assert_eq!(right_body, wrong_body, "the answer says nothing about the guess");
    // Combined with another parameter, still refused.
    let (status, _) = get(&format!("/api/calls/status?jobId={job}&phoneNumber={real}"), &mediator()).await;
    assert_eq!(status, 403);
    // Nor with the name percent-encoded, nor with a query that cannot be
    // read (refused as the stricter question before its 400).
    let (status, _) = get(&format!("/api/calls/status?phone%4Eumber={real}"), &mediator()).await;
    assert_eq!(status, 403);
    let (status, _) = get(&format!("/api/calls/status?jobId={job}&x=%zz"), &mediator()).await;
    assert_eq!(status, 403);
    let (status, body) = get(&format!("/api/calls/status?jobId={job}&x=%zz"), &token("wanglei", Role::Supervisor)).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("x")), "{body}");
    // Those who see numbers may ask by number.
    let (status, body) = get(&format!("/api/calls/status?phoneNumber={real}"), &token("wanglei", Role::Supervisor)).await;
    assert_eq!((status, body["phoneNumber"].clone()), (200, json!(real)));
}

#[tokio::test]
async fn no_full_phone_number_reaches_a_mediator() {
    reset().await;
    let board = backend("/api/v1/mediation-timeline/v2/board").await;
    let numbers: Vec<String> = board["data"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["parties"].as_array().unwrap().iter().map(|p| p["phoneNumber"].as_str().unwrap().to_owned()))
        .collect();
    assert!(numbers.len() > 40);
    let job = connected_job().await;
    let case_id = backend(&format!("/api/v1/outbound-bot/status?jobId={job}")).await["data"]["caseRef"].as_str().unwrap().to_owned();
    let mut seen = String::new();
    for path in [
        "/api/board".to_owned(),
        format!("/api/conversations?caseId={case_id}"),
        format!("/api/calls/status?jobId={job}"),
        format!("/api/calls/status?caseRef={case_id}"),
        format!("/api/notes?jobId={job}"),
        format!("/api/cases/{case_id}/audit"),
    ] {
        let (status, body) = get(&path, &mediator()).await;
        assert_eq!(status, 200, "{path}: {body}");
        seen.push_str(&body.to_string());
    }
    let leaked: Vec<&String> = numbers.iter().filter(|n| seen.contains(n.as_str())).collect();
    assert!(leaked.is_empty(), "full numbers a mediator received: {leaked:?}");
}

// ---- 2. a user's Clink conversations are theirs -----------------------------

/// The hash the edge used to derive Clink user ids from names.
fn old_user_number(sub: &str) -> i64 {
    let mut h: u32 = 0x811c_9dc5;
    for b in sub.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    (h & 0x7fff_ffff) as i64 + 1
}

/// Two user names that shared one Clink user id under the old hash.
fn colliding_names() -> (String, String) {
    let mut seen: HashMap<i64, String> = HashMap::new();
    for i in 0.. {
        let name = format!("u{i}");
        if let Some(other) = seen.insert(old_user_number(&name), name.clone()) {
            return (other, name);
        }
    }
    unreachable!()
}

#[tokio::test]
async fn users_whose_names_collided_do_not_share_conversations() {
    reset().await;
    let (a, b) = colliding_names();
    assert_eq!(old_user_number(&a), old_user_number(&b));
    let (ta, tb) = (token(&a, Role::Mediator), token(&b, Role::Mediator));
    let (status, chat) = post("/api/clink/aikb/chat_conversation_on_open", &ta, json!({ "content": "拖欠工资怎么办" })).await;
    assert_eq!(status, 200, "{chat}");
    let id = chat["result"]["conversationId"].to_string().trim_matches('"').to_owned();
    let (status, list) = get("/api/clink/aikb/list_conversations?pageNumber=1&pageSize=100", &tb).await;
    assert_eq!(status, 200, "{list}");
    assert!(!list.to_string().contains(&id), "b sees none of a's conversations: {list}");
    let (status, list) = get("/api/clink/aikb/list_conversations?pageNumber=1&pageSize=100", &ta).await;
    assert!(status == 200 && list.to_string().contains(&id), "{list}");
}

#[tokio::test]
async fn another_users_conversation_or_an_unknown_one_is_refused_everywhere() {
    reset().await;
    let (ta, tb) = (token(&unique("owner"), Role::Mediator), token(&unique("other"), Role::Mediator));
    let (_, chat) = post("/api/clink/aikb/chat_conversation_on_open", &ta, json!({ "content": "劳动仲裁时效" })).await;
    let id = chat["result"]["conversationId"].to_string().trim_matches('"').to_owned();
    let (status, body) = get(&format!("/api/clink/aikb/describe_conversation?conversationId={id}&offset=0&limit=10"), &ta).await;
    assert_eq!(status, 200, "the owner reads it: {body}");
    for (who, conversation) in [(&tb, id.as_str()), (&ta, "0123456789abcdef0123456789abcdef")] {
        let (status, _) = post("/api/clink/aikb/chat_conversation_on_open", who, json!({ "content": "还有吗", "conversationId": conversation })).await;
        assert_eq!(status, 404, "chat in {conversation}");
        let (status, _) = get(&format!("/api/clink/aikb/describe_conversation?conversationId={conversation}&offset=0&limit=10"), who).await;
        assert_eq!(status, 404, "describe {conversation}");
        let (status, _) = post("/api/clink/aikb/update_conversation", who, json!({ "conversationId": conversation, "title": "x" })).await;
        assert_eq!(status, 404, "rename {conversation}");
        let (status, _) = post("/api/clink/aikb/delete_conversation", who, json!({ "conversationId": conversation })).await;
        assert_eq!(status, 404, "delete {conversation}");
    }
    // The owner continues it.
    let (status, body) = post("/api/clink/aikb/chat_conversation_on_open", &ta, json!({ "content": "还有吗", "conversationId": id })).await;
    assert_eq!(status, 200, "{body}");
}

// ---- 3. the live feed needs a valid session ----------------------------------

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn socket() -> Result<Socket, String> {
    let url = format!("{}/api/live", edge().replace("http://", "ws://"));
    tokio_tungstenite::connect_async(url).await.map(|(ws, _)| ws).map_err(|e| e.to_string())
}

async fn hello(ws: &mut Socket, token: &str) -> Value {
    ws.send(Message::text(json!({ "type": "hello", "token": token }).to_string())).await.unwrap();
    next_text(ws, Duration::from_secs(5)).await.expect("an answer to hello")
}

async fn next_text(ws: &mut Socket, within: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(within, ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => return serde_json::from_str(&t).ok(),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

/// The close code the socket ends with within `within`, if it ends.
async fn closed_with(ws: &mut Socket, within: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(_))) | Ok(None) => return Some(1006),
            Err(_) => return None,
        }
    }
}

#[tokio::test]
async fn sockets_that_never_say_hello_are_bounded_in_number_and_time() {
    let mut waiting = vec![];
    for _ in 0..64 {
        waiting.push(socket().await.expect("a socket may wait for its hello"));
    }
    let refused = socket().await;
    assert!(refused.is_err(), "the 65th waiting socket is refused");
    assert!(refused.unwrap_err().contains("503"));
    for mut ws in waiting {
        let _ = ws.close(None).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // One that stays silent is closed once its time is up.
    let mut silent = socket().await.expect("room again");
    assert_eq!(closed_with(&mut silent, Duration::from_secs(16)).await, Some(4001));
}

#[tokio::test]
async fn one_user_cannot_hold_unbounded_sockets() {
    let user = unique("tabs");
    let t = token(&user, Role::Mediator);
    let mut first = socket().await.unwrap();
    assert_eq!(hello(&mut first, &t).await["type"], "welcome");
    let mut others = vec![];
    for _ in 0..8 {
        let mut ws = socket().await.unwrap();
        assert_eq!(hello(&mut ws, &t).await["type"], "welcome");
        others.push(ws);
    }
    assert_eq!(closed_with(&mut first, Duration::from_secs(3)).await, Some(4008), "the ninth closes the oldest");
    // Another user is not affected.
    let mut else_ws = socket().await.unwrap();
    assert_eq!(hello(&mut else_ws, &mediator()).await["type"], "welcome");
}

#[tokio::test]
async fn without_a_session_secret_nothing_gets_in() {
    let base = extra_edge("E2E_EDGE_NO_SECRET");
    let forged = mint(&claims("zhangmin", Role::Admin, now() + 600), b"");
    for path in ["/api/board", "/api/session", "/api/audit", "/api/admin/dead-letters"] {
        let res = client().get(format!("{base}{path}")).bearer_auth(&forged).send().await.unwrap();
        assert_eq!(res.status(), 500, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "misconfigured", "{path}: {body}");
    }
    let url = format!("{}/api/live", base.replace("http://", "ws://"));
    let refused = tokio_tungstenite::connect_async(url).await;
    assert!(refused.is_err() && refused.unwrap_err().to_string().contains("500"), "no socket is even accepted");
}

// ---- 4. size limits hold before the memory is spent --------------------------

fn chunked(bytes: usize) -> reqwest::Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![b' '; bytes].chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn bodies_without_a_length_stop_at_the_limit() {
    let cases: Vec<(Method, String, String)> = vec![
        (Method::POST, "/api/calls".into(), mediator()),
        (Method::POST, "/api/clink/aikb/search_knowledge_on_open".into(), mediator()),
        (Method::POST, "/api/admin/dead-letters/1/replay".into(), admin()),
        (Method::POST, "/api/calls/1795312800000-0000-0000-000000000000/status".into(), mediator()),
        (Method::POST, "/api/demo/session".into(), mediator()),
    ];
    for (method, path, token) in cases {
        let res = api(method, &path, &token).header("Idempotency-Key", unique("k")).header("Content-Type", "application/json").body(chunked(2 * 1024 * 1024)).send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(status, 413, "{path}: {text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["error"]["code"], "too_large", "{path}");
    }
}

// ---- 5. the edge fetches only where it should --------------------------------

#[tokio::test]
async fn recordings_are_fetched_only_from_allowed_origins() {
    reset().await;
    let job = connected_job().await;
    let control_origin = control_base();
    let med = mediation();
    let off_list = [
        format!("{control_origin}/control/state"),
        "file:///etc/passwd".to_owned(),
        format!("{med}/redirect?to={control_origin}/control/state"),
        format!("{}/recordings/{job}.wav", med.replace("127.0.0.1", "localhost")),
    ];
    for url in &off_list {
        control(&format!("/control/calls/{job}/record-url"), json!({ "url": url })).await;
        let (status, body) = get(&format!("/api/recordings/{job}"), &mediator()).await;
        assert_eq!((status, body["error"]["code"].clone()), (502, json!("recording_unavailable")), "{url}: {body}");
        let text = body.to_string();
        assert!(!text.contains("127.0.0.1") && !text.contains("localhost") && !text.contains("control") && !text.contains("passwd"), "the answer names nothing: {text}");
    }
    // A redirect that stays on the allowed origin is followed.
    control(&format!("/control/calls/{job}/record-url"), json!({ "url": format!("{med}/redirect?to=/recordings/{job}.wav") })).await;
    let res = api(Method::GET, &format!("/api/recordings/{job}"), &mediator()).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(&res.bytes().await.unwrap()[..4], b"RIFF");
    control(&format!("/control/calls/{job}/record-url"), json!({ "url": null })).await;
}

// ---- 6. tokens mean what they say ------------------------------------------

#[tokio::test]
async fn tokens_not_yet_valid_issued_in_the_future_or_living_too_long_are_refused() {
    let secret = SESSION_SECRET.as_bytes();
    let t = now();
    let mut not_yet = claims("zhangmin", Role::Mediator, t + 600);
    not_yet.nbf = Some(t + 300);
    let mut future = claims("zhangmin", Role::Mediator, t + 900);
    future.iat = Some(t + 300);
    let decade = Claims { iat: None, ..claims("zhangmin", Role::Mediator, t + 10 * 365 * 86_400) };
    let mut long = claims("zhangmin", Role::Mediator, t + 13 * 3600);
    long.iat = Some(t);
    for (what, c) in [("nbf", not_yet), ("iat", future), ("ten years", decade), ("13 hours", long)] {
        let (status, body) = get("/api/session", &mint(&c, secret)).await;
        assert_eq!((status, body["error"]["field"].clone()), (401, json!("Authorization")), "{what}: {body}");
    }
    // Within the skew allowance and the cap: fine.
    let mut ok = claims("zhangmin", Role::Mediator, t + 11 * 3600);
    ok.nbf = Some(t + 30);
    assert_eq!(get("/api/session", &mint(&ok, secret)).await.0, 200);
}

#[tokio::test]
async fn a_configured_issuer_audience_and_lifetime_are_required() {
    let base = extra_edge("E2E_EDGE_STRICT");
    let session = |c: &Claims| {
        let t = mint(c, SESSION_SECRET.as_bytes());
        let url = format!("{base}/api/session");
        async move { client().get(url).bearer_auth(t).send().await.unwrap().status().as_u16() }
    };
    let mut c = claims("zhangmin", Role::Mediator, now() + 300);
    assert_eq!(session(&c).await, 401, "no iss");
    c.iss = Some("https://portal.test".into());
    assert_eq!(session(&c).await, 401, "no aud");
    c.aud = Some(Audience::One("mediation-board".into()));
    assert_eq!(session(&c).await, 200);
    c.iss = Some("https://evil.test".into());
    assert_eq!(session(&c).await, 401, "another issuer");
    c.iss = Some("https://portal.test".into());
    c.exp = now() + 3600;
    assert_eq!(session(&c).await, 401, "over this edge's 600 s cap");
}

// ---- 7. roles gate what the table says ---------------------------------------

/// A request for `op` with harmless inputs (ids that name nothing).
fn request_for(op: Op, token: Option<&str>) -> Option<reqwest::RequestBuilder> {
    let nothing = "0000";
    let job = "1795312800000-0000-0000-000000000000";
    let (method, path, body): (Method, String, Option<Value>) = match op {
        Op::Health | Op::OpenApi | Op::DemoSession | Op::Webhook | Op::Live => return None,
        Op::Session => (Method::GET, "/api/session".into(), None),
        Op::Board => (Method::GET, "/api/board".into(), None),
        Op::Takeover => (Method::POST, format!("/api/cases/{nothing}/takeover"), Some(json!({}))),
        Op::Agreement => (Method::POST, format!("/api/cases/{nothing}/agreement"), Some(json!({}))),
        Op::StartOcr => (Method::POST, format!("/api/cases/{nothing}/ocr"), Some(json!({}))),
        Op::OcrState => (Method::GET, format!("/api/cases/{nothing}/ocr"), None),
        Op::CaseAudit => (Method::GET, format!("/api/cases/{nothing}/audit"), None),
        Op::Audit => (Method::GET, "/api/audit".into(), None),
        Op::QaInsights => (Method::GET, "/api/insights/qa".into(), None),
        Op::Attention => (Method::GET, "/api/attention".into(), None),
        // An empty note / assignee: a 400 for roles that pass the gate, nothing changed.
        Op::AckAttention => (Method::POST, "/api/attention/999999999/ack".into(), Some(json!({ "note": "" }))),
        Op::AssignAttention => (Method::POST, "/api/attention/999999999/assign".into(), Some(json!({ "assignee": "" }))),
        Op::AttentionRules => (Method::GET, "/api/attention/rules".into(), None),
        // The path's id differs from the body's: a 400 for admins, no rule saved.
        Op::SaveAttentionRule => (Method::PUT, "/api/attention/rules/cell-rule".into(), Some(json!({ "id": "other", "name": "x", "severity": "low", "enabled": true, "condition": { "kind": "call_limit" } }))),
        Op::CaseNotes => (Method::GET, format!("/api/cases/{nothing}/notes"), None),
        // An empty text: a 400 for roles that pass the gate, nothing stored.
        Op::AddCaseNote => (Method::POST, format!("/api/cases/{nothing}/notes"), Some(json!({ "text": "" }))),
        Op::CompleteCaseNote => (Method::POST, format!("/api/cases/{nothing}/notes/999999999/done"), Some(json!({}))),
        Op::Reminders => (Method::GET, "/api/reminders?due=2026-01-01".into(), None),
        // No Idempotency-Key: a 400 for roles that pass the gate, nothing placed.
        Op::PlaceCall => (Method::POST, "/api/calls".into(), Some(json!({}))),
        Op::CallStatus => (Method::GET, format!("/api/calls/status?jobId={job}"), None),
        Op::CallStatusByNumber => (Method::GET, "/api/calls/status?phoneNumber=13900000000".into(), None),
        Op::UpdateCallStatus => (Method::POST, format!("/api/calls/{job}/status"), Some(json!({ "callStatus": "Cancelled" }))),
        Op::Conversations => (Method::GET, format!("/api/conversations?jobId={job}"), None),
        Op::RevealTexts => (Method::GET, format!("/api/conversations?jobId={job}&reveal=1"), None),
        Op::Notes => (Method::GET, format!("/api/notes?jobId={job}"), None),
        Op::SearchTurns => (Method::GET, "/api/search?q=%E5%88%86%E6%9C%9F".to_owned(), None),
        Op::Presets => (Method::GET, "/api/presets".into(), None),
        Op::SavePreset => (Method::POST, "/api/presets".into(), Some(json!({ "name": "", "query": "" }))),
        Op::DeletePreset => (Method::DELETE, "/api/presets/999999999".into(), None),
        Op::NoteHistory => (Method::GET, "/api/notes/history?callId=x&bizId=y&type=z".into(), None),
        Op::Recording => (Method::GET, format!("/api/recordings/{job}"), None),
        Op::RecordingLink => (Method::GET, format!("/api/recordings/{job}/link"), None),
        Op::ClinkRead => (Method::POST, "/api/clink/aikb/search_knowledge_on_open".into(), Some(json!({ "keyword": "工资", "offset": 0, "limit": 5 }))),
        Op::ClinkManage => (Method::GET, "/api/clink/kb/list_corpus".into(), None),
        Op::DeadLetters => (Method::GET, "/api/admin/dead-letters".into(), None),
        Op::ReplayDeadLetter => (Method::POST, "/api/admin/dead-letters/999999999/replay".into(), Some(json!({}))),
        Op::DiscardDeadLetter => (Method::POST, "/api/admin/dead-letters/999999999/discard".into(), Some(json!({ "reason": "x" }))),
    };
    let mut r = client().request(method, format!("{}{path}", edge()));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(b) = body {
        r = r.json(&b);
    }
    Some(r)
}

#[tokio::test]
async fn every_cell_of_the_role_table_holds() {
    reset().await;
    let roles = [Role::Mediator, Role::Supervisor, Role::Admin];
    let mut checked = 0;
    for op in Op::ALL {
        let Some(_) = request_for(op, None) else {
            // Public routes, and the two with their own gate, tested apart.
            assert!(matches!(op.access(), Access::Public) || op == Op::Live, "{op:?}");
            continue;
        };
        let res = request_for(op, None).unwrap().send().await.unwrap();
        assert_eq!(res.status(), 401, "{op:?} without a token");
        for role in &roles {
            let t = token(&format!("cell-{}", role.as_str()), role.clone());
            let res = request_for(op, Some(&t)).unwrap().send().await.unwrap();
            let status = res.status().as_u16();
            let code = res.json::<Value>().await.unwrap_or(Value::Null)["error"]["code"].clone();
            if op.allows(role) {
                assert!(status != 401 && code != "forbidden", "{op:?} as {role:?} should pass the gate: {status} {code}");
            } else {
                assert_eq!((status, code), (403, json!("forbidden")), "{op:?} as {role:?}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * 37, "every signed route, every role");
}

// ---- 8. every Clink request is signed once ------------------------------------

#[tokio::test]
async fn retries_after_too_many_requests_are_signed_anew() {
    reset().await;
    control("/control/faults/clink", json!({ "burst429": 2 })).await;
    let (status, body) = post("/api/clink/aikb/search_knowledge_on_open", &mediator(), json!({ "keyword": "工资", "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 200, "{body}");
    // Two searches at once: each signed differently too.
    let (ta, tb) = (mediator(), token("lihua", Role::Mediator));
    let (a, b) = tokio::join!(
        post("/api/clink/aikb/search_knowledge_on_open", &ta, json!({ "keyword": "工资", "offset": 0, "limit": 5 })),
        post("/api/clink/aikb/search_knowledge_on_open", &tb, json!({ "keyword": "仲裁", "offset": 0, "limit": 5 })),
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    assert_eq!(control_get("/control/state").await["clinkSignaturesReused"], 0, "the verifier saw no signature twice");
}

// ---- 9. the smaller ones ---------------------------------------------------

#[tokio::test]
async fn answers_to_other_origins_vary_by_origin() {
    for origin in ["https://evil.example", "http://127.0.0.1:18790"] {
        let res = client().get(format!("{}/api/health", edge())).header("Origin", origin).send().await.unwrap();
        let vary = res.headers().get("vary").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(vary.split(',').any(|v| v.trim().eq_ignore_ascii_case("origin")), "{origin}: Vary {vary:?}");
        let allowed = res.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(allowed.as_deref(), if origin.starts_with("https://evil") { None } else { Some(origin) });
    }
}

#[tokio::test]
async fn two_concurrent_replays_of_a_dead_letter_store_it_once() {
    let marker = unique("race-");
    let res = client()
        .post(format!("{}/webhooks/note-agent/{WEBHOOK_TOKEN}", edge()))
        .json(&json!([{ "call_id": marker, "type": "通话质检", "success": true, "result": "[]" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, letters) = get("/api/admin/dead-letters", &admin()).await;
    let id = letters["deadLetters"].as_array().unwrap().iter().find(|l| l["raw"].as_str().unwrap().contains(&marker)).unwrap()["id"].as_i64().unwrap();
    let fixed = |score: i64| {
        json!({ "record": { "call_id": marker, "biz_id": "1", "out_id": marker, "type": "通话质检", "success": true, "error_code": "success",
            "report_time": "2026-11-22 10:00:00", "result": format!("[{{\"item\":\"开场\",\"full_score\":10,\"score\":{score},\"problem\":\"无\",\"suggestion\":\"无\"}}]") } })
    };
    let path = format!("/api/admin/dead-letters/{id}/replay");
    let t = admin();
    let (a, b) = tokio::join!(post(&path, &t, fixed(3)), post(&path, &t, fixed(9)));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} {}", a.1, b.1);
    let (_, notes) = get(&format!("/api/notes?jobId={marker}"), &admin()).await;
    let notes = notes["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["versions"], 1, "only the winner's record was stored");
    let winner = if a.0 == 200 { 3 } else { 9 };
    assert_eq!(notes[0]["outcome"]["items"][0]["score"], winner);
}

#[tokio::test]
async fn idempotency_keys_of_different_users_never_meet() {
    reset().await;
    let (case_id, mediation_id, people) = open_case().await;
    let body = json!({ "caseId": case_id, "mediationId": mediation_id.to_string(), "callAuto": 0, "callPersonId": people[0] });
    let suffix = unique("");
    // "a:b" + "c" and "a" + "b:c" were both stored as "a:b:c".
    let (first_user, first_key) = (format!("a{suffix}:b"), "c".to_owned());
    let (second_user, second_key) = (format!("a{suffix}"), "b:c".to_owned());
    let res = api(Method::POST, "/api/calls", &token(&first_user, Role::Mediator)).header("Idempotency-Key", &first_key).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let res = api(Method::POST, "/api/calls", &token(&second_user, Role::Mediator)).header("Idempotency-Key", &second_key).json(&body).send().await.unwrap();
    assert!(res.headers().get("idempotent-replayed").is_none(), "another user's answer was replayed");
    assert_eq!(res.status(), 201, "the second user's request is a request of its own");
    // It reached the backend, which says the party was called just now.
    assert_eq!(res.json::<Value>().await.unwrap()["results"][0]["errorCode"], 1001);
}

#[tokio::test]
async fn methods_the_edge_does_not_know_are_refused_not_read_as_get() {
    for method in ["QUERY", "TRACE", "PROPFIND"] {
        let m = Method::from_bytes(method.as_bytes()).unwrap();
        let res = api(m, "/api/board", &mediator()).send().await.unwrap();
        assert_eq!(res.status(), 405, "{method} /api/board");
        assert_eq!(res.headers()["allow"], "GET, HEAD, OPTIONS");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed", "no board for {method}: {body}");
    }
}
