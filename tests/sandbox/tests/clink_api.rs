//! Clink: signature verification (own verifier vs. the shared signer),
//! documented errors, the knowledge-base endpoints, and the fault switches.

mod common;

use serde_json::{json, Value};
use shared::wire::clink::sign::{format_timestamp, Method, QueryValue};

#[tokio::test]
async fn signed_requests_are_accepted() {
    let h = common::start().await;
    let (status, body) = h.clink_get("/aikb/list_public_repositories", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["requestId"].is_string());
    let repos: shared::wire::clink::kb::RepositoryList = serde_json::from_value(body).unwrap();
    assert!(!repos.result.is_empty());
    // Chinese, spaces and symbols in GET parameters.
    let (status, body) = h.clink_get("/kb/list_articles", &[("kbType", "0"), ("offset", "0"), ("limit", "5"), ("keyword", "工资 a*b~c+d/e")]).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn wrong_secret_tampering_expiry_and_missing_key_are_refused() {
    let h = common::start().await;
    let base = format!("http://{}", h.sandbox.clink);
    let q = |v: &str| vec![("repositoryId".to_owned(), QueryValue::from(v))];

    // Wrong secret.
    let wrong = shared::wire::clink::sign::Signer::new(
        shared::wire::clink::sign::Credentials::new(common::AK, "not-the-secret").unwrap(),
        shared::wire::clink::sign::Expires::new(600).unwrap(),
        shared::wire::clink::sign::BaseUrl::parse(&base).unwrap(),
    );
    let url = wrong.sign(Method::Get, "/aikb/list_directories", &q("102301"), common::now()).unwrap().url;
    let res = h.http.get(url).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "AuthFailure");
    assert!(body["requestId"].is_string());

    // A parameter changed after signing.
    let url = h.signer().sign(Method::Get, "/aikb/list_directories", &q("102301"), common::now()).unwrap().url;
    let res = h.http.get(url.replace("repositoryId=102301", "repositoryId=102302")).send().await.unwrap();
    assert_eq!(res.status(), 401);

    // Expired: signed 700 s ago with Expires 600.
    let url = h.signer().sign(Method::Get, "/aikb/list_directories", &q("102301"), common::now() - 700).unwrap().url;
    let res = h.http.get(url).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "SignaturesExpired");

    // No AccessKeyId at all.
    let res = h.http.get(format!("{base}/aikb/list_directories?repositoryId=1")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "MissingAuthenticationToken");

    // A POST whose extra query parameter was left out of the signature.
    let signed = h.signer().sign(Method::Post, "/aikb/search_knowledge_on_open", &[], common::now()).unwrap();
    let res = h
        .http
        .post(format!("{}&userId=1", signed.url))
        .header("content-type", "application/json")
        .body(json!({ "keyword": "工资", "offset": 0, "limit": 5 }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "AuthFailure");
}

#[tokio::test]
async fn post_needs_json_and_a_body() {
    let h = common::start().await;
    let signed = h.signer().sign(Method::Post, "/aikb/search_knowledge_on_open", &[], common::now()).unwrap();
    let res = h.http.post(&signed.url).header("content-type", "text/plain").body("keyword=x").send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "HttpMediaTypeNotSupported");
    let signed = h.signer().sign(Method::Post, "/aikb/search_knowledge_on_open", &[], common::now()).unwrap();
    let res = h.http.post(&signed.url).header("content-type", "application/json").send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "MissingRequestBody");
    // The same signature again is refused, however good the request.
    let res = h.http.post(&signed.url).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("唯一"));
    assert_eq!(h.control_get("/control/state").await["clinkSignaturesReused"], 1);
    let signed = h.signer().sign(Method::Get, "/aikb/search_knowledge_on_open", &[], common::now()).unwrap();
    let res = h.http.get(&signed.url).send().await.unwrap();
    assert_eq!(res.status(), 405);
    let signed = h.signer().sign(Method::Get, "/nope", &[], common::now()).unwrap();
    let res = h.http.get(&signed.url).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "ResourceNotFound");
}

#[tokio::test]
async fn search_highlights_and_pages() {
    let h = common::start().await;
    let (status, body) = h.clink_post("/aikb/search_knowledge_on_open", json!({ "userId": 1, "keyword": "拖欠工资", "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 200, "{body}");
    let page: shared::wire::clink::kb::SearchPage = serde_json::from_value(body).unwrap();
    assert!(page.total_count > 0 && page.result.len() <= 5);
    assert!(page.result.iter().any(|h| h.question.as_deref().or(h.name.as_deref()).unwrap_or("").contains("<em>")));
    let (status, body) = h.clink_post("/aikb/search_knowledge_on_open", json!({ "keyword": "", "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "InvalidParameter");
    let (_, body) = h.clink_post("/aikb/search_knowledge_on_open", json!({ "keyword": "押金", "knowledgeType": "FAQ", "offset": 0, "limit": 10 })).await;
    assert!(body["result"].as_array().unwrap().iter().all(|h| h["knowledgeType"] == "FAQ"));
}

#[tokio::test]
async fn chat_keeps_its_conversation() {
    let h = common::start().await;
    let (status, body) = h.clink_post("/aikb/chat_conversation_on_open", json!({ "userId": 7, "content": "单位拖欠工资怎么办?" })).await;
    assert_eq!(status, 200, "{body}");
    let reply: shared::wire::clink::kb::ChatResponse = serde_json::from_value(body).unwrap();
    assert!(!reply.result.faqs.clone().unwrap().is_empty(), "answered from an FAQ");
    let id = reply.result.conversation_id.to_string();
    let (_, body) = h.clink_post("/aikb/chat_conversation_on_open", json!({ "userId": 7, "content": "今天天气如何", "conversationId": id })).await;
    assert!(body["result"]["content"].as_str().unwrap().contains("没有找到合适的答案"));
    let (_, list) = h.clink_get("/aikb/list_conversations", &[("userId", "7")]).await;
    assert_eq!(list["totalCount"], 1);
    let (_, detail) = h.clink_get("/aikb/describe_conversation", &[("conversationId", &id), ("offset", "0"), ("limit", "100")]).await;
    let roles: Vec<&str> = detail["result"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["USER", "BOT", "USER", "BOT"]);
    let (status, _) = h.clink_post("/aikb/update_conversation", json!({ "conversationId": id, "title": "欠薪咨询" })).await;
    assert_eq!(status, 200);
    let (status, body) = h.clink_post("/aikb/update_conversation", json!({ "conversationId": id, "title": "这个标题超过了十个字符的长度" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!("InvalidParameter")));
    let (status, _) = h.clink_post("/aikb/delete_conversation", json!({ "conversationId": id })).await;
    assert_eq!(status, 200);
    let (status, _) = h.clink_post("/aikb/delete_conversation", json!({ "conversationId": id })).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn knowledge_browsing_endpoints() {
    let h = common::start().await;
    let (_, repos) = h.clink_get("/aikb/list_public_repositories", &[]).await;
    let repo = repos["result"][0]["id"].as_i64().unwrap().to_string();
    for (path, query) in [
        ("/aikb/list_private_repositories", vec![]),
        ("/aikb/describe_bot_repository", vec![]),
        ("/aikb/list_directories", vec![("repositoryId", repo.as_str())]),
        ("/kb/list_articles", vec![("kbType", "1"), ("offset", "0"), ("limit", "10")]),
    ] {
        let (status, body) = h.clink_get(path, &query).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (_, dirs) = h.clink_get("/aikb/list_directories", &[("repositoryId", repo.as_str())]).await;
    let _: shared::wire::clink::kb::DirectoryList = serde_json::from_value(dirs).unwrap();
    let (_, articles) = h.clink_get("/kb/list_articles", &[("kbType", "0"), ("offset", "0"), ("limit", "3")]).await;
    let page: shared::wire::clink::kb::ArticlePage = serde_json::from_value(articles).unwrap();
    let id = page.articles[0].id.to_string();
    let (status, detail) = h.clink_get("/kb/describe_article", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let _: shared::wire::clink::kb::ArticleDetail = serde_json::from_value(detail).unwrap();
    let (status, _) = h.clink_get("/kb/describe_article", &[("id", "0")]).await;
    assert_eq!(status, 404);
    let (status, body) = h.clink_get("/kb/list_articles", &[("kbType", "0"), ("offset", "0"), ("limit", "500")]).await;
    assert_eq!((status, body["error"]["code"].clone()), (400, json!("InvalidParameter")));
    let (status, faqs) = h.clink_post("/aikb/list_faqs", json!({ "repositoryId": repo.parse::<i64>().unwrap(), "offset": 0, "limit": 5 })).await;
    assert_eq!(status, 200);
    let faqs: shared::wire::clink::kb::FaqPage = serde_json::from_value(faqs).unwrap();
    assert_eq!(faqs.result.len(), 5);
    // Media URLs lead to the file.
    let (_, search) = h.clink_post("/aikb/search_knowledge_on_open", json!({ "keyword": "人民调解法", "knowledgeType": "FILE", "offset": 0, "limit": 1 })).await;
    let file_id = search["result"][0]["id"].as_str().unwrap().to_owned();
    let key = search["result"][0]["objectKey"].as_str().unwrap().to_owned();
    let (status, media) = h.clink_get("/aikb/describe_file_media_url", &[("fileId", &file_id), ("inline", "true")]).await;
    assert_eq!(status, 200);
    let text = h.http.get(media["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("人民调解"));
    let (status, media) = h.clink_get("/aikb/describe_faq_media_url", &[("fileKey", &key)]).await;
    assert_eq!(status, 200, "{media}");
    let (status, media) = h.clink_get("/kb/media_url", &[("fileKey", &key)]).await;
    assert_eq!(status, 200);
    assert!(media["mediaUrl"].as_str().unwrap().contains("/media/"));
    // The bot's knowledge is the bot repository's: another botId is not found.
    let (status, body) = h.clink_post("/kb/create_standard_question", json!({ "botId": "1", "title": "x" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (404, json!("ResourceNotFound")));
}

#[tokio::test]
async fn the_bots_questions_answers_phrases_and_categories_keep_their_state() {
    let h = common::start().await;
    h.control("/control/faults/clink", json!({ "rateLimitPerSec": 0 })).await;
    let (_, bot) = h.clink_get("/aikb/describe_bot_repository", &[]).await;
    let bot_id = bot["result"]["id"].as_i64().unwrap().to_string();
    let (status, category) = h.clink_post("/kb/create_category", json!({ "botId": bot_id, "parentId": 0, "name": "工资" })).await;
    assert_eq!(status, 200, "{category}");
    let top = category["category"]["id"].as_i64().unwrap();
    let (_, sub) = h.clink_post("/kb/create_category", json!({ "botId": bot_id, "parentId": top, "name": "分期" })).await;
    assert_eq!((sub["category"]["level"].as_i64(), sub["category"]["path"].clone()), (Some(2), json!([top, sub["category"]["id"]])));
    let (status, sq) = h.clink_post("/kb/create_standard_question", json!({ "botId": bot_id, "title": "工资什么时候到账", "categoryId": top })).await;
    assert_eq!(status, 200, "{sq}");
    let sq_id = sq["standardQuestion"]["id"].as_i64().unwrap();
    let (status, _) = h.clink_post("/kb/create_standard_question", json!({ "botId": bot_id, "title": "工资什么时候到账" })).await;
    assert_eq!(status, 400, "a title once");
    let (_, answer) = h.clink_post("/kb/create_answer", json!({ "botId": bot_id, "sqId": sq_id, "answer": "按协议分期到账" })).await;
    let answer_id = answer["answer"]["id"].as_i64().unwrap();
    let (_, ok) = h.clink_post("/kb/update_answer", json!({ "id": answer_id, "botId": bot_id, "sqId": sq_id, "answer": "按协议每月 15 日到账", "periodType": 1 })).await;
    assert_eq!(ok["result"], "OK");
    let (_, answers) = h.clink_get("/kb/list_answer", &[("botId", &bot_id), ("sqId", &sq_id.to_string())]).await;
    assert_eq!((answers["answers"][0]["answer"].as_str(), answers["answers"][0]["periodType"].as_i64()), (Some("按协议每月 15 日到账"), Some(1)));
    h.clink_post("/kb/create_corpus", json!({ "botId": bot_id, "records": [{ "sqId": sq_id, "corpusList": [{ "corpusName": "钱哪天到" }, { "corpusName": "几号发工资" }] }] })).await;
    h.clink_post("/kb/update_corpus", json!({ "botId": bot_id, "sqId": sq_id, "sourceCorpusName": "钱哪天到", "targetCorpusName": "钱哪天能到" })).await;
    let (_, corpora) = h.clink_get("/kb/list_corpus", &[("botId", &bot_id), ("sqId", &sq_id.to_string()), ("keyword", "钱"), ("offset", "0"), ("limit", "1000")]).await;
    assert_eq!(corpora["corpora"].as_array().unwrap().iter().map(|c| c["corpusName"].as_str().unwrap()).collect::<Vec<_>>(), ["钱哪天能到"]);
    let (_, list) = h.clink_get("/kb/list_standard_question", &[("botId", &bot_id)]).await;
    assert_eq!((list["standardQuestions"][0]["corpusCount"].as_i64(), list["standardQuestions"][0]["status"].as_i64()), (Some(2), Some(0)));
    let (status, _) = h.clink_post("/kb/delete_category", json!({ "id": top, "botId": bot_id })).await;
    assert_eq!(status, 400, "a category with a sub-category stays");
    h.clink_post("/kb/delete_standard_question", json!({ "ids": [sq_id], "botId": bot_id })).await;
    let (_, page) = h.clink_get("/kb/page_standard_question", &[("botId", &bot_id), ("offset", "0"), ("limit", "10")]).await;
    assert_eq!((page["totalCount"].as_i64(), page["standardQuestions"][0]["sqIsDelete"].as_bool()), (Some(1), Some(true)));
    let (status, _) = h.clink_get("/kb/list_answer", &[("botId", &bot_id), ("sqId", &sq_id.to_string())]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn fault_switches() {
    let h = common::start().await;
    h.control("/control/faults/clink", json!({ "burst429": 2, "rateLimitPerSec": 0 })).await;
    for _ in 0..2 {
        let (status, body) = h.clink_get("/aikb/list_public_repositories", &[]).await;
        assert_eq!((status, body["error"]["code"].clone()), (429, json!("TooManyRequests")));
    }
    assert_eq!(h.clink_get("/aikb/list_public_repositories", &[]).await.0, 200);

    h.control("/control/faults/clink", json!({ "fail500": 1 })).await;
    let (status, body) = h.clink_get("/aikb/list_public_repositories", &[]).await;
    assert_eq!((status, body["error"]["code"].clone()), (500, json!("InternalError")));

    h.control("/control/faults/clink", json!({ "expireNext": 1 })).await;
    let (status, body) = h.clink_get("/aikb/list_public_repositories", &[]).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("SignaturesExpired")));
    assert_eq!(h.clink_get("/aikb/list_public_repositories", &[]).await.0, 200);

    h.control("/control/faults/clink", json!({ "slowMs": 300 })).await;
    let t = std::time::Instant::now();
    h.clink_get("/aikb/list_public_repositories", &[]).await;
    assert!(t.elapsed().as_millis() >= 300);
    h.control("/control/faults/clink", json!({ "slowMs": 0, "rateLimitPerSec": 3 })).await;

    // About 3 requests per second per path.
    let mut statuses = vec![];
    for _ in 0..5 {
        statuses.push(h.clink_get("/aikb/describe_bot_repository", &[]).await.0);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2, "{statuses:?}");
    assert_eq!(h.clink_get("/aikb/list_public_repositories", &[]).await.0, 200, "other paths have their own budget");
}

#[tokio::test]
async fn timestamps_from_the_future_are_refused() {
    let h = common::start().await;
    let url = h.signer().sign(Method::Get, "/aikb/list_public_repositories", &[], common::now() + 3600).unwrap().url;
    assert_eq!(h.http.get(url).send().await.unwrap().status(), 403);
    assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
}
