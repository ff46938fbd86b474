//! Every one of Clink's 40 documented knowledge-base operations, called
//! through the edge (signed there) against the sandbox: the repositories and
//! directories, articles, FAQs, Q&A conversations, search, media URLs, the
//! bot's knowledge (section 10) and the file library (section 11, with
//! multipart uploads). Then each documented rule's refusal, which reaches
//! nothing upstream.

use std::collections::BTreeSet;

use e2e::*;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::{json, Value};
use shared::wire::clink::ENDPOINTS;

/// Calls one operation (GET with a query, POST with JSON) and notes its path.
struct Walk {
    called: BTreeSet<String>,
}

impl Walk {
    async fn get(&mut self, path: &str, query: &str, token: &str) -> Value {
        let (status, body) = get(&format!("/api/clink{path}?{query}"), token).await;
        assert_eq!(status, 200, "GET {path}?{query}: {body}");
        self.called.insert(path.to_owned());
        body
    }

    async fn post(&mut self, path: &str, body: Value, token: &str) -> Value {
        let (status, answer) = post(&format!("/api/clink{path}"), token, body.clone()).await;
        assert_eq!(status, 200, "POST {path} {body}: {answer}");
        self.called.insert(path.to_owned());
        answer
    }

    async fn upload(&mut self, path: &str, form: Form) -> Value {
        let res = api(Method::POST, &format!("/api/clink{path}"), &admin()).multipart(form).send().await.expect("edge reachable");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "upload {path}: {body}");
        self.called.insert(path.to_owned());
        body
    }
}

fn file_part(name: &str, mime: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_owned()).mime_str(mime).unwrap()
}

fn new_file_form(name: &str, mime: &str, bytes: &[u8]) -> Form {
    Form::new().text("kbId", "102303").text("enterpriseId", "8000376").text("directoryId", "155222").part("file", file_part(name, mime, bytes))
}

async fn served() -> u64 {
    control_get("/control/state").await["clinkRequestsServed"].as_u64().unwrap()
}

#[tokio::test]
async fn every_documented_operation_works_through_the_edge() {
    reset().await;
    control("/control/faults/clink", json!({ "rateLimitPerSec": 0 })).await;
    let (m, a) = (mediator(), admin());
    let mut w = Walk { called: BTreeSet::new() };

    // 3, 4: repositories and their directory trees.
    let public = w.get("/aikb/list_public_repositories", "", &m).await;
    assert!(public["result"].as_array().unwrap().iter().any(|r| r["id"] == 102301), "{public}");
    w.get("/aikb/list_private_repositories", "", &m).await;
    let bot = w.get("/aikb/describe_bot_repository", "", &m).await;
    let bot_id = bot["result"]["id"].as_i64().unwrap().to_string();
    let dirs = w.get("/aikb/list_directories", "repositoryId=102301", &m).await;
    assert!(dirs["result"].as_array().unwrap().iter().any(|d| d["id"] == 155201), "{dirs}");

    // 5: articles, created, read, changed and deleted by an admin.
    let article = json!({ "kbId": 102301, "kbType": 0, "directoryId": 155201, "title": "欠薪调解的第一步", "agentEnabled": 1, "answers": [{ "answer": "先核实欠薪金额与期间。" }] });
    let created = w.post("/kb/create_article", article, &a).await;
    let id = created["article"]["id"].as_i64().unwrap();
    w.post("/kb/update_article", json!({ "id": id, "kbId": 102301, "kbType": 0, "directoryId": 155201, "title": "欠薪调解第一步", "agentEnabled": 1, "answers": [{ "answer": "先核实金额。" }] }), &a).await;
    let listed = w.get("/kb/list_articles", "kbType=0&kbId=102301&keyword=%E6%AC%A0%E8%96%AA%E8%B0%83%E8%A7%A3&offset=0&limit=10", &m).await;
    assert!(listed.to_string().contains("欠薪调解第一步"), "{listed}");
    // Ordered by likes, most first, across the library's first page.
    let liked = w.get("/kb/list_articles", "kbType=0&order=LIKE&offset=0&limit=20", &m).await;
    let likes: Vec<i64> = liked["articles"].as_array().unwrap().iter().map(|a| a["likeCount"].as_i64().unwrap()).collect();
    assert_eq!(likes.len(), 20, "{liked}");
    assert!(likes.windows(2).all(|p| p[0] >= p[1]) && likes[0] > likes[19], "{likes:?}");
    let one = w.get("/kb/describe_article", &format!("id={id}"), &m).await;
    assert!(one.to_string().contains("欠薪调解第一步"), "{one}");
    w.post("/kb/delete_article", json!({ "id": id }), &a).await;

    // 6-9: FAQs, conversations, search, media URLs.
    let faqs = w.post("/aikb/list_faqs", json!({ "repositoryId": 102301, "offset": 0, "limit": 5 }), &m).await;
    assert_eq!(faqs["result"].as_array().unwrap().len(), 5);
    let chat = w.post("/aikb/chat_conversation_on_open", json!({ "content": "工资拖欠怎么办" }), &m).await;
    let conversation = chat["result"]["conversationId"].as_str().unwrap().to_owned();
    let mine = w.get("/aikb/list_conversations", "offset=0&limit=10", &m).await;
    assert!(mine.to_string().contains(&conversation), "{mine}");
    w.get("/aikb/describe_conversation", &format!("conversationId={conversation}&offset=0&limit=10"), &m).await;
    w.post("/aikb/update_conversation", json!({ "conversationId": conversation, "title": "欠薪咨询" }), &m).await;
    w.post("/aikb/delete_conversation", json!({ "conversationId": conversation }), &m).await;
    let found = w.post("/aikb/search_knowledge_on_open", json!({ "keyword": "人民调解法", "knowledgeType": "FILE", "offset": 0, "limit": 1 }), &m).await;
    let file_id = found["result"][0]["id"].as_str().unwrap().to_owned();
    let key = found["result"][0]["objectKey"].as_str().unwrap().to_owned();
    let media = w.get("/aikb/describe_file_media_url", &format!("fileId={file_id}&inline=true"), &m).await;
    assert!(media["url"].as_str().unwrap().contains("inline"), "{media}");
    let encoded_key = shared::wire::url::encode_component(&key);
    w.get("/aikb/describe_faq_media_url", &format!("fileKey={encoded_key}"), &m).await;
    let kb_media = w.get("/kb/media_url", &format!("fileKey={encoded_key}&isDownload=true"), &m).await;
    assert!(kb_media["mediaUrl"].as_str().unwrap().contains("attachment"), "{kb_media}");

    // 10: the bot's knowledge.
    let top = w.post("/kb/create_category", json!({ "botId": bot_id, "parentId": 0, "name": "欠薪" }), &a).await["category"]["id"].as_i64().unwrap();
    let renamed = w.post("/kb/update_category", json!({ "id": top, "botId": bot_id, "name": "欠薪与分期" }), &a).await;
    assert_eq!((renamed["category"]["name"].as_str(), renamed["category"]["level"].as_i64()), (Some("欠薪与分期"), Some(1)));
    let sq = w.post("/kb/create_standard_question", json!({ "botId": bot_id, "title": "第二期什么时候付", "categoryId": top }), &a).await;
    let sq_id = sq["standardQuestion"]["id"].as_i64().unwrap();
    let other = w.post("/kb/create_standard_question", json!({ "botId": bot_id, "title": "可以晚几天付吗" }), &a).await["standardQuestion"]["id"].as_i64().unwrap();
    w.post("/kb/update_standard_question", json!({ "id": sq_id, "botId": bot_id, "title": "第二期哪天付", "categoryId": top }), &a).await;
    let answer = w.post("/kb/create_answer", json!({ "botId": bot_id, "sqId": sq_id, "answer": "按协议 3 月 16 日前付清。", "relatedSqIdList": [other.to_string()], "periodType": 0 }), &a).await;
    let answer_id = answer["answer"]["id"].as_i64().unwrap();
    w.post("/kb/update_answer", json!({ "id": answer_id, "botId": bot_id, "sqId": sq_id, "answer": "按协议 3 月 16 日前付清第二期。", "relatedSqIdList": [other.to_string()], "startTime": "2026-01-01 00:00:00", "endTime": "2026-12-31 23:59:59" }), &a).await;
    let answers = w.get("/kb/list_answer", &format!("botId={bot_id}&sqId={sq_id}"), &a).await;
    assert_eq!(answers["answers"][0]["answer"], "按协议 3 月 16 日前付清第二期。");
    assert_eq!(answers["answers"][0]["relatedQuestionList"][0]["relatedQuestionTitle"], "可以晚几天付吗");
    w.post("/kb/create_corpus", json!({ "botId": bot_id, "records": [{ "sqId": sq_id, "corpusList": [{ "corpusName": "第二笔啥时候给" }, { "corpusName": "下一期哪天" }] }] }), &a).await;
    w.post("/kb/update_corpus", json!({ "botId": bot_id, "sqId": sq_id, "sourceCorpusName": "下一期哪天", "targetCorpusName": "下一期是哪天" }), &a).await;
    let corpora = w.get("/kb/list_corpus", &format!("botId={bot_id}&sqId={sq_id}&offset=0&limit=1000"), &a).await;
    let names: Vec<&str> = corpora["corpora"].as_array().unwrap().iter().map(|c| c["corpusName"].as_str().unwrap()).collect();
    assert_eq!(names, ["第二笔啥时候给", "下一期是哪天"]);
    w.post("/kb/delete_corpus", json!({ "botId": bot_id, "sqId": sq_id.to_string(), "corpusNames": ["第二笔啥时候给"] }), &a).await;
    let questions = w.get("/kb/list_standard_question", &format!("botId={bot_id}"), &a).await;
    let first = questions["standardQuestions"].as_array().unwrap().iter().find(|q| q["id"] == sq_id).unwrap().clone();
    assert_eq!((first["title"].as_str(), first["corpusCount"].as_i64(), first["categoryId"].as_i64()), (Some("第二期哪天付"), Some(1), Some(top)));
    w.post("/kb/delete_answer", json!({ "ids": [answer_id], "botId": bot_id }), &a).await;
    w.post("/kb/delete_standard_question", json!({ "ids": [other], "botId": bot_id }), &a).await;
    let page = w.get("/kb/page_standard_question", &format!("botId={bot_id}&offset=0&limit=10"), &a).await;
    let deleted: Vec<bool> = page["standardQuestions"].as_array().unwrap().iter().map(|q| q["sqIsDelete"].as_bool().unwrap()).collect();
    assert_eq!((page["totalCount"].as_i64(), deleted), (Some(2), vec![false, true]), "{page}");
    w.post("/kb/delete_category", json!({ "id": top, "botId": bot_id }), &a).await;

    // 11: the file library. A text file uploaded through the edge is listed,
    // found by a mediator's search, replaced, downloaded and deleted.
    let text = "分期付款协议范本:第二期于三月十六日前支付。".as_bytes();
    let receipt = w.upload("/kb/files", new_file_form("分期协议范本.txt", "text/plain", text)).await;
    assert_eq!(receipt["result"].as_str().map(str::len), Some(32), "{receipt}");
    let files = w.post("/kb/files_list", json!({ "kbId": 102303, "directoryId": 155222, "title": "分期协议", "offset": 0, "limit": 10 }), &a).await;
    assert_eq!(files["totalCount"], 1, "{files}");
    let file = files["data"][0].clone();
    assert_eq!((file["title"].as_str(), file["fileType"].as_str(), file["fileSize"].as_u64()), (Some("分期协议范本.txt"), Some("txt"), Some(text.len() as u64)));
    let (file_id, file_path) = (file["id"].as_str().unwrap().to_owned(), file["filePath"].as_str().unwrap().to_owned());
    let (_, found) = post("/api/clink/aikb/search_knowledge_on_open", &m, json!({ "keyword": "三月十六日", "knowledgeType": "FILE", "offset": 0, "limit": 5 })).await;
    assert!(found["result"].as_array().unwrap().iter().any(|h| h["id"] == json!(file_id)), "{found}");
    let replaced = "分期付款协议范本(修订):第二期于三月二十日前支付。".as_bytes();
    let form = Form::new().text("id", file_id.clone()).text("filePath", file_path.clone()).text("description", "修订版").part("file", file_part("分期协议范本.txt", "text/plain", replaced));
    w.upload("/kb/files_update", form).await;
    let res = api(Method::POST, "/api/clink/kb/files_attachment", &a).json(&json!({ "filePath": file_path, "fileName": "分期协议范本.txt" })).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    w.called.insert("/kb/files_attachment".into());
    assert_eq!(res.bytes().await.unwrap().as_ref(), replaced, "the replaced file's own bytes");
    let after = w.post("/kb/files_delete", json!({ "ids": [file_id], "filePaths": [file_path] }), &a).await;
    assert!(after.get("error").is_none(), "{after}");
    let files = w.post("/kb/files_list", json!({ "kbId": 102303, "title": "分期协议" }), &a).await;
    assert_eq!(files["totalCount"], 0, "{files}");

    let all: BTreeSet<String> = ENDPOINTS.iter().map(|e| e.path.to_owned()).collect();
    assert_eq!(all.len(), 40);
    assert_eq!(w.called, all, "every documented operation was called");
}

#[tokio::test]
async fn management_of_the_bot_and_the_file_library_is_for_admins_only() {
    reset().await;
    let m = mediator();
    let (status, body) = post("/api/clink/kb/create_standard_question", &m, json!({ "botId": "102303", "title": "标题" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (403, json!("forbidden")));
    let (status, _) = get("/api/clink/kb/list_standard_question?botId=102303", &m).await;
    assert_eq!(status, 403);
    let res = api(Method::POST, "/api/clink/kb/files", &m).multipart(new_file_form("a.txt", "text/plain", b"x")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 403);
}

#[tokio::test]
async fn each_rule_refuses_by_field_and_nothing_reaches_clink() {
    reset().await;
    let a = admin();
    let before = served().await;
    let bot = || json!("102303");
    let refused: Vec<(&str, Value, &str)> = vec![
        ("/kb/create_standard_question", json!({ "botId": bot(), "title": "  " }), "title"),
        ("/kb/create_standard_question", json!({ "title": "标题" }), "botId"),
        ("/kb/update_standard_question", json!({ "botId": bot(), "title": "标题" }), "id"),
        ("/kb/delete_standard_question", json!({ "ids": [], "botId": bot() }), "ids"),
        ("/kb/create_answer", json!({ "botId": bot(), "sqId": 1, "answer": "" }), "answer"),
        ("/kb/create_answer", json!({ "botId": bot(), "sqId": 1, "answer": "a", "periodType": 3 }), "periodType"),
        ("/kb/create_answer", json!({ "botId": bot(), "sqId": 1, "answer": "a", "startTime": "2026-02-01 00:00:00", "endTime": "2026-01-01 00:00:00" }), "startTime"),
        ("/kb/update_answer", json!({ "botId": bot(), "sqId": 1, "answer": "a" }), "id"),
        ("/kb/delete_answer", json!({ "ids": [-4], "botId": bot() }), "ids[0]"),
        ("/kb/create_corpus", json!({ "botId": bot(), "records": [] }), "records"),
        ("/kb/update_corpus", json!({ "botId": bot(), "sqId": 1, "sourceCorpusName": "", "targetCorpusName": "b" }), "sourceCorpusName"),
        ("/kb/delete_corpus", json!({ "botId": bot(), "sqId": "one", "corpusNames": ["a"] }), "sqId"),
        ("/kb/create_category", json!({ "botId": bot(), "name": "分类" }), "parentId"),
        ("/kb/update_category", json!({ "botId": bot(), "name": "分类" }), "id"),
        ("/kb/delete_category", json!({ "id": 0, "botId": bot() }), "id"),
        ("/kb/files_list", json!({ "kbId": 102303, "limit": 101 }), "limit"),
        ("/kb/files_list", json!({ "kbId": 102303, "offset": 10001 }), "offset"),
        ("/kb/files_delete", json!({ "ids": ["a", "b"], "filePaths": ["file/a"] }), "filePaths"),
        ("/kb/files_attachment", json!({ "filePath": "file/a.txt" }), "fileName"),
    ];
    for (path, body, field) in refused {
        let (status, answer) = post(&format!("/api/clink{path}"), &a, body.clone()).await;
        assert_eq!((status, answer["error"]["field"].clone()), (400, json!(field)), "{path} {body}: {answer}");
    }
    let refused_gets: [(&str, &str); 8] = [
        ("/kb/list_articles?kbType=0&order=likes&offset=0&limit=10", "order"),
        ("/kb/page_standard_question?botId=102303&offset=0&limit=101", "limit"),
        ("/kb/page_standard_question?offset=0&limit=10", "botId"),
        ("/kb/list_answer?botId=102303", "sqId"),
        ("/kb/list_corpus?botId=102303&sqId=1&offset=0&limit=0", "limit"),
        ("/aikb/list_directories", "repositoryId"),
        ("/aikb/describe_file_media_url?fileId=abc", "fileId"),
        ("/kb/media_url?isDownload=true", "fileKey"),
    ];
    for (path, field) in refused_gets {
        let (status, answer) = get(&format!("/api/clink{path}"), &a).await;
        assert_eq!((status, answer["error"]["field"].clone()), (400, json!(field)), "{path}: {answer}");
    }
    // Uploads: the form's fields, the file's kind, size and presence.
    let send = |form: Form| async move {
        let res = api(Method::POST, "/api/clink/kb/files", &admin()).multipart(form).send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json::<Value>().await.unwrap_or(Value::Null))
    };
    let base = || Form::new().text("kbId", "102303").text("enterpriseId", "8000376").text("directoryId", "155222");
    let uploads: Vec<(Form, u16, &str)> = vec![
        (base(), 400, "file"),
        (base().part("file", file_part("setup.exe", "application/octet-stream", b"MZ")), 400, "file"),
        (base().part("file", file_part("a.pdf", "text/html", b"<html>")), 400, "file"),
        (base().part("file", file_part("empty.txt", "text/plain", b"")), 400, "file"),
        (base().part("file", file_part("big.pdf", "application/pdf", &vec![b'%'; 10 * 1024 * 1024 + 1])), 400, "file"),
        (Form::new().text("kbId", "102303").text("directoryId", "155222").part("file", file_part("a.txt", "text/plain", b"x")), 400, "enterpriseId"),
        (base().text("Signature", "x").part("file", file_part("a.txt", "text/plain", b"x")), 400, "Signature"),
        (base().part("file", file_part("a.txt", "text/plain", b"x")).part("other", file_part("b.txt", "text/plain", b"y")), 400, "other"),
    ];
    for (form, status, field) in uploads {
        let (got, answer) = send(form).await;
        assert_eq!((got, answer["error"]["field"].clone()), (status, json!(field)), "{answer}");
    }
    // Larger than the limit by what the sender declares: refused before it is read.
    let res = api(Method::POST, "/api/clink/kb/files", &a)
        .header("content-type", "multipart/form-data; boundary=x")
        .header("content-length", (11 * 1024 * 1024).to_string())
        .body(vec![b'x'; 11 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    // JSON where a form belongs.
    let (status, answer) = post("/api/clink/kb/files", &a, json!({ "kbId": 102303, "enterpriseId": "8000376", "directoryId": 155222, "file": "PK" })).await;
    assert_eq!((status, answer["error"]["field"].clone()), (400, json!("body")), "{answer}");
    assert_eq!(served().await, before, "no refused request reached Clink");
}
