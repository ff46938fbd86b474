//! The signed Clink relay: signatures the sandbox's own verifier accepts
//! (GET with Chinese, spaces and symbols; POST), recovery from TooManyRequests
//! and SignaturesExpired, pass-through of other errors, pacing, and who may
//! call management paths.

use e2e::*;
use reqwest::Method;
use serde_json::json;
use shared::wire::session::Role;

#[tokio::test]
async fn get_with_chinese_spaces_and_symbols_is_signed_correctly() {
    reset().await;
    for keyword in ["工资", "劳动 合同", "a*b~c+d/e", "50%=&?#[]", "押金 ~*"] {
        let url = format!("/api/clink/kb/list_articles?kbType=0&offset=0&limit=5&keyword={}", e2e_encode(keyword));
        let (status, body) = get(&url, &mediator()).await;
        assert_eq!(status, 200, "{keyword}: {body}");
        assert!(body["articles"].is_array());
    }
    let (status, body) = get("/api/clink/aikb/list_public_repositories", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let text = body.to_string();
    assert!(!text.contains("sandbox-access-key-id") && !text.contains("Signature"), "no credentials reach the browser");
    let served = control_get("/control/state").await;
    assert_eq!(served["clinkRejected"].as_object().map(|m| m.len()).unwrap_or(0), 0, "{served}");
}

fn e2e_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test]
async fn post_search_and_chat() {
    reset().await;
    let (status, body) = post("/api/clink/aikb/search_knowledge_on_open", &mediator(), json!({ "keyword": "拖欠工资", "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"].to_string().contains("<em>"));
    let (status, body) = post("/api/clink/aikb/chat_conversation_on_open", &mediator(), json!({ "userId": 1, "content": "单位拖欠工资怎么办" })).await;
    assert_eq!(status, 200, "{body}");
    // The user id is the session's, not the body's: another user does not see this conversation.
    let (_, mine) = get("/api/clink/aikb/list_conversations?offset=0&limit=10", &mediator()).await;
    assert_eq!(mine["totalCount"], 1, "{mine}");
    let (_, theirs) = get("/api/clink/aikb/list_conversations?offset=0&limit=10&userId=1", &token("lihua", Role::Mediator)).await;
    assert_eq!(theirs["totalCount"], 0, "{theirs}");
}

#[tokio::test]
async fn too_many_requests_and_expired_signatures_are_recovered() {
    reset().await;
    control("/control/faults/clink", json!({ "burst429": 2 })).await;
    let (status, body) = get("/api/clink/aikb/list_public_repositories", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    control("/control/faults/clink", json!({ "expireNext": 1 })).await;
    let (status, body) = get("/api/clink/aikb/list_public_repositories", &mediator()).await;
    assert_eq!(status, 200, "{body}");
    let state = control_get("/control/state").await;
    assert_eq!(state["clinkRejected"]["TooManyRequests"], 2);
    assert_eq!(state["clinkRejected"]["SignaturesExpired"], 1);
    // A persistent limit gives up after bounded retries, with Clink's error.
    control("/control/faults/clink", json!({ "burst429": 10 })).await;
    let (status, body) = get("/api/clink/aikb/list_private_repositories", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (429, json!("TooManyRequests")));
    assert!(body["error"]["requestId"].is_string());
    control("/control/faults/clink", json!({ "burst429": 0 })).await;
}

/// The answer's `Server-Timing`: the entries of one relayed request, by name.
async fn timing_of(path: &str) -> (u16, Vec<String>) {
    let res = api(Method::GET, path, &mediator()).send().await.expect("edge reachable");
    let header = res.headers().get("server-timing").map(|h| h.to_str().expect("ASCII").to_owned()).unwrap_or_default();
    (res.status().as_u16(), header.split(", ").map(str::to_owned).collect())
}

#[tokio::test]
async fn a_relayed_answer_says_where_its_time_went() {
    reset().await;
    // Alone on its path (any earlier request's slot long gone): Clink's answer only.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (status, parts) = timing_of("/api/clink/aikb/list_public_repositories").await;
    assert_eq!(status, 200);
    assert_eq!(parts.len(), 1, "{parts:?}");
    let upstream: u64 = parts[0].strip_prefix("upstream;dur=").and_then(|d| d.parse().ok()).unwrap_or_else(|| panic!("{parts:?}"));
    assert!(upstream < 10_000, "{parts:?}");
    // Two at once on another path: the one served second waited for its slot (340 ms after the first's).
    let path = "/api/clink/aikb/list_private_repositories";
    let ((s1, p1), (s2, p2)) = tokio::join!(timing_of(path), timing_of(path));
    assert_eq!((s1, s2), (200, 200));
    let paced: Vec<u64> = [&p1, &p2].iter().filter_map(|parts| parts.iter().find_map(|p| p.strip_prefix("pace;dur=")?.parse().ok())).collect();
    assert_eq!(paced.len(), 1, "{p1:?} {p2:?}");
    assert!((1..=340).contains(&paced[0]), "{p1:?} {p2:?}");
    // Two refusals for the rate before the answer: said as two retries.
    control("/control/faults/clink", json!({ "burst429": 2 })).await;
    let (status, parts) = timing_of("/api/clink/aikb/list_public_repositories").await;
    assert_eq!(status, 200);
    assert!(parts.contains(&"retries;desc=2".to_owned()), "{parts:?}");
    control("/control/faults/clink", json!({ "burst429": 0 })).await;
    // An answer the edge reads for the conversations it names keeps its timing too.
    let (status, parts) = timing_of("/api/clink/aikb/list_conversations?offset=0&limit=10").await;
    assert_eq!(status, 200);
    assert!(parts[0].strip_prefix("upstream;dur=").is_some_and(|d| d.parse::<u64>().is_ok()), "{parts:?}");
}

#[tokio::test]
async fn other_errors_pass_through_with_code_message_and_request_id() {
    reset().await;
    control("/control/faults/clink", json!({ "fail500": 1 })).await;
    let (status, body) = get("/api/clink/aikb/list_public_repositories", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (500, json!("InternalError")));
    assert!(body["error"]["requestId"].as_str().unwrap().len() > 10);
    let (status, body) = get("/api/clink/kb/describe_article?id=0", &mediator()).await;
    assert_eq!((status, body["error"]["code"].clone()), (404, json!("ResourceNotFound")));
}

#[tokio::test]
async fn documented_rules_are_checked_before_anything_is_sent() {
    reset().await;
    let served = || async { control_get("/control/state").await["clinkRequestsServed"].as_u64().unwrap() };
    let before = served().await;
    let refused: [(&str, serde_json::Value, &str); 5] = [
        ("/api/clink/aikb/search_knowledge_on_open", json!({ "keyword": "", "offset": 0, "limit": 5 }), "keyword"),
        ("/api/clink/aikb/search_knowledge_on_open", json!({ "keyword": "工资", "offset": 0, "limit": 101 }), "limit"),
        ("/api/clink/aikb/search_knowledge_on_open", json!({ "keyword": "工资", "offset": 10001, "limit": 5 }), "offset"),
        ("/api/clink/aikb/search_knowledge_on_open", json!({ "keyword": "工资", "limit": 5 }), "offset"),
        ("/api/clink/aikb/chat_conversation_on_open", json!({ "content": "" }), "content"),
    ];
    for (path, body, field) in refused {
        let (status, answer) = post(path, &mediator(), body.clone()).await;
        assert_eq!((status, answer["error"]["code"].clone(), answer["error"]["field"].clone()), (400, json!("bad_request"), json!(field)), "{body}");
    }
    let (status, answer) = get("/api/clink/kb/list_articles?kbType=0&limit=500", &mediator()).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("limit")), "{answer}");
    let long_title = json!({ "kbId": 102301, "kbType": 0, "directoryId": 155201, "title": "长".repeat(51), "agentEnabled": 1, "answers": [{ "answer": "答" }] });
    let (status, answer) = post("/api/clink/kb/create_article", &admin(), long_title).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("title")), "{answer}");
    let four_answers = json!({ "kbId": 102301, "kbType": 0, "directoryId": 155201, "title": "四个答案", "agentEnabled": 1,
        "answers": [{ "answer": "1" }, { "answer": "2" }, { "answer": "3" }, { "answer": "4" }] });
    let (status, answer) = post("/api/clink/kb/create_article", &admin(), four_answers).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("answers")), "{answer}");
    assert_eq!(served().await, before, "no refused request reached Clink");
}

#[tokio::test]
async fn only_documented_paths_and_admins_for_management() {
    reset().await;
    let (status, _) = get("/api/clink/cc/list_clients", &mediator()).await;
    assert_eq!(status, 404);
    let (status, _) = get("/api/clink/aikb/search_knowledge_on_open", &mediator()).await;
    assert_eq!(status, 405);
    let (status, body) = post("/api/clink/kb/create_article", &mediator(), json!({ "kbId": 1, "kbType": 0, "directoryId": 1 })).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
    // An admin's call reaches Clink: the article is created, and the
    // mediator's knowledge search then finds it.
    let article = json!({
        "kbId": 102301, "kbType": 0, "directoryId": 155201, "title": "分期付款逾期怎么办", "agentEnabled": 1,
        "similars": ["分期没按时付"], "answers": [{ "answer": "先电话提醒,再按协议约定申请司法确认后强制执行。" }]
    });
    let (status, body) = post("/api/clink/kb/create_article", &admin(), article.clone()).await;
    assert_eq!(status, 200, "{body}");
    let id = body["article"]["id"].as_i64().unwrap();
    assert_eq!((body["article"]["title"].clone(), body["article"]["kbId"].clone()), (json!("分期付款逾期怎么办"), json!(102301)));
    let (status, found) = post("/api/clink/aikb/search_knowledge_on_open", &mediator(), json!({ "keyword": "分期付款逾期", "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["result"][0]["id"], json!(id.to_string()), "{found}");
    // What only Clink can know passes through as Clink said it: a duplicate title.
    let (status, body) = post("/api/clink/kb/create_article", &admin(), article.clone()).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!("InvalidParameter")), "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("标题不能重复"), "{body}");
    // Renamed, the mediator finds it by its new title; deleted, not at all.
    let mut renamed = article.clone();
    renamed["id"] = json!(id);
    renamed["title"] = json!("分期逾期的催告步骤");
    let (status, body) = post("/api/clink/kb/update_article", &admin(), renamed).await;
    assert_eq!((status, body["article"]["title"].clone()), (200, json!("分期逾期的催告步骤")), "{body}");
    let search = |keyword: &'static str| async move {
        let (_, found) = post("/api/clink/aikb/search_knowledge_on_open", &mediator(), json!({ "keyword": keyword, "offset": 0, "limit": 5 })).await;
        found["result"].as_array().unwrap().iter().any(|h| h["id"] == json!(id.to_string()))
    };
    assert!(search("催告步骤").await);
    let (status, body) = post("/api/clink/kb/delete_article", &admin(), json!({ "id": id })).await;
    assert_eq!((status, body["article"]["id"].clone()), (200, json!(id)), "{body}");
    assert!(!search("催告步骤").await);
    let (status, body) = post("/api/clink/kb/delete_article", &admin(), json!({ "id": id })).await;
    assert_eq!((status, body["error"]["code"].clone()), (404, json!("ResourceNotFound")), "{body}");
    let (status, body) = post("/api/clink/kb/delete_article", &mediator(), json!({ "id": id })).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")), "{body}");
    let (status, body) = get("/api/clink/aikb/list_public_repositories?Signature=x", &mediator()).await;
    assert_eq!((status, body["error"]["field"].clone()), (400, json!("Signature")));
}

#[tokio::test]
async fn bursts_are_paced_under_the_rate_limit() {
    reset().await;
    let t = mediator();
    let requests = (0..7).map(|_| api(Method::GET, "/api/clink/aikb/describe_bot_repository", &t).send());
    let responses = futures_util::future::join_all(requests).await;
    let statuses: Vec<u16> = responses.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

#[tokio::test]
async fn a_conversation_belongs_to_the_user_who_started_it() {
    reset().await;
    let (_, body) = post("/api/clink/aikb/chat_conversation_on_open", &mediator(), json!({ "content": "押金不退怎么办" })).await;
    let id = body["result"]["conversationId"].as_str().unwrap().to_owned();
    let (status, _) = get(&format!("/api/clink/aikb/describe_conversation?conversationId={id}&offset=0&limit=10"), &mediator()).await;
    assert_eq!(status, 200);
    let other = token("lihua", Role::Mediator);
    let (status, _) = get(&format!("/api/clink/aikb/describe_conversation?conversationId={id}&offset=0&limit=10"), &other).await;
    assert_eq!(status, 404);
    let (status, _) = post("/api/clink/aikb/delete_conversation", &other, json!({ "conversationId": id })).await;
    assert_eq!(status, 404);
    let (status, _) = post("/api/clink/aikb/delete_conversation", &mediator(), json!({ "conversationId": id })).await;
    assert_eq!(status, 200);
}
