//! The documented rules on a request's parameters, checked by the edge before
//! it signs and sends anything: a request Clink would refuse is answered
//! `400` naming the field, and never leaves. Each path with rules decodes its
//! body into its type (so a missing or mistyped field is named too) and runs
//! that type's `validate`; GET paths check their paging parameters.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::kb;
use crate::FieldError;

/// Checks one request to `path` (its query as name/value pairs, its JSON body
/// for a POST) against the documented rules.
pub fn check(path: &str, query: &[(String, String)], body: Option<&Value>) -> Result<(), FieldError> {
    match path {
        "/kb/create_article" | "/kb/update_article" => {
            let input: kb::ArticleInput = decode(body)?;
            if path == "/kb/update_article" && input.id.is_none() {
                return Err(FieldError::new("id", "is required"));
            }
            if path == "/kb/create_article" {
                if input.title.is_none() {
                    return Err(FieldError::new("title", "is required"));
                }
                if input.agent_enabled.is_none() {
                    return Err(FieldError::new("agentEnabled", "is required"));
                }
                match input.kb_type {
                    0 if input.answers.as_ref().is_none_or(|a| a.is_empty()) => {
                        return Err(FieldError::new("answers", "a Q&A article needs 1 to 3 answers"));
                    }
                    1 if input.content.as_deref().is_none_or(|c| c.trim().is_empty()) => {
                        return Err(FieldError::new("content", "a document needs its content"));
                    }
                    0 | 1 => {}
                    _ => return Err(FieldError::new("kbType", "must be 0 (Q&A) or 1 (document)")),
                }
            }
            input.validate()
        }
        "/kb/delete_article" => match body.and_then(|b| b.get("id")).and_then(Value::as_i64) {
            Some(id) if id > 0 => Ok(()),
            _ => Err(FieldError::new("id", "is required: the article's id")),
        },
        "/aikb/list_faqs" => decode::<kb::FaqQuery>(body)?.validate(),
        "/aikb/chat_conversation_on_open" => decode::<kb::ChatRequest>(body)?.validate(),
        "/aikb/update_conversation" => decode::<kb::UpdateConversationRequest>(body)?.validate(),
        "/aikb/search_knowledge_on_open" => decode::<kb::SearchRequest>(body)?.validate(),
        "/kb/list_articles" => {
            number(query, "kbType")?.ok_or_else(|| FieldError::new("kbType", "is required"))?;
            if value(query, "order").is_some_and(|o| !ARTICLE_ORDERS.contains(&o)) {
                return Err(FieldError::new("order", format!("must be one of {}", ARTICLE_ORDERS.join(", "))));
            }
            paging(query)
        }
        // 10. The bot's knowledge (the doc gives no lengths here: what is
        // required, typed and not blank).
        "/kb/page_standard_question" => {
            required_text(query, "botId")?;
            paging(query)
        }
        "/kb/list_standard_question" => required_text(query, "botId").map(drop),
        "/kb/list_answer" => {
            required_text(query, "botId")?;
            required_id(query, "sqId")
        }
        // No largest `limit` is documented (its own example asks for 1000).
        "/kb/list_corpus" => {
            required_text(query, "botId")?;
            required_id(query, "sqId")?;
            open_paging(query)
        }
        // Offset and limit are required, with no largest limit (the example asks for 1000).
        "/aikb/describe_conversation" => {
            required_text(query, "conversationId")?;
            number(query, "offset")?.ok_or_else(|| FieldError::new("offset", "is required"))?;
            number(query, "limit")?.ok_or_else(|| FieldError::new("limit", "is required"))?;
            open_paging(query)
        }
        "/kb/create_standard_question" | "/kb/update_standard_question" => {
            let input: kb::StandardQuestionInput = decode(body)?;
            if path == "/kb/update_standard_question" {
                positive("id", input.id)?;
            }
            not_blank("botId", &input.bot_id)?;
            not_blank("title", &input.title)
        }
        "/kb/delete_standard_question" | "/kb/delete_answer" => {
            let input: kb::BotIdsRequest = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            ids("ids", &input.ids)
        }
        "/kb/create_answer" | "/kb/update_answer" => {
            let input: kb::BotAnswerInput = decode(body)?;
            if path == "/kb/update_answer" {
                positive("id", input.id)?;
            }
            not_blank("botId", &input.bot_id)?;
            positive("sqId", Some(input.sq_id))?;
            not_blank("answer", &input.answer)?;
            if input.period_type.is_some_and(|p| p != 0 && p != 1) {
                return Err(FieldError::new("periodType", "must be 0 (none) or 1 (every day)"));
            }
            let time = |name: &str, t: &Option<String>| match t.as_deref() {
                Some(t) => crate::time::parse_shanghai(t).map(Some).ok_or_else(|| FieldError::new(name, "must be a time yyyy-MM-dd HH:mm:ss")),
                None => Ok(None),
            };
            if let (Some(start), Some(end)) = (time("startTime", &input.start_time)?, time("endTime", &input.end_time)?) {
                if start > end {
                    return Err(FieldError::new("startTime", "must not be after endTime"));
                }
            }
            for (i, id) in input.related_sq_id_list.iter().flatten().enumerate() {
                loose_id(&format!("relatedSqIdList[{i}]"), id)?;
            }
            Ok(())
        }
        "/kb/create_corpus" => {
            let input: kb::CreateCorpusRequest = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            if input.records.is_empty() {
                return Err(FieldError::new("records", "needs at least one record"));
            }
            for (i, r) in input.records.iter().enumerate() {
                positive(&format!("records[{i}].sqId"), Some(r.sq_id))?;
                if r.corpus_list.is_empty() {
                    return Err(FieldError::new(format!("records[{i}].corpusList"), "needs at least one phrase"));
                }
                for (j, c) in r.corpus_list.iter().enumerate() {
                    not_blank(&format!("records[{i}].corpusList[{j}].corpusName"), &c.corpus_name)?;
                }
            }
            Ok(())
        }
        "/kb/update_corpus" => {
            let input: kb::UpdateCorpusRequest = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            loose_id("sqId", &input.sq_id)?;
            not_blank("sourceCorpusName", &input.source_corpus_name)?;
            not_blank("targetCorpusName", &input.target_corpus_name)
        }
        "/kb/delete_corpus" => {
            let input: kb::DeleteCorpusRequest = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            loose_id("sqId", &input.sq_id)?;
            if input.corpus_names.is_empty() {
                return Err(FieldError::new("corpusNames", "needs at least one name"));
            }
            input.corpus_names.iter().enumerate().try_for_each(|(i, n)| not_blank(&format!("corpusNames[{i}]"), n))
        }
        "/kb/create_category" | "/kb/update_category" => {
            let input: kb::CategoryInput = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            if path == "/kb/create_category" {
                match input.parent_id {
                    Some(p) if p >= 0 => {}
                    Some(_) => return Err(FieldError::new("parentId", "must be 0 (top level) or a category's id")),
                    None => return Err(FieldError::new("parentId", "is required (0 for a top-level category)")),
                }
            } else {
                positive("id", input.id)?;
            }
            not_blank("name", &input.name)
        }
        "/kb/delete_category" => {
            let input: kb::BotIdRequest = decode(body)?;
            not_blank("botId", &input.bot_id)?;
            positive("id", Some(input.id))
        }
        // 11. The file library (the uploads are `check_upload`).
        "/kb/files_list" => {
            let input: kb::FilesListRequest = decode(body)?;
            positive("kbId", Some(input.kb_id))?;
            kb::validate_paging(input.offset.unwrap_or(0), input.limit.unwrap_or(10))
        }
        "/kb/files_delete" => {
            let input: kb::FilesDeleteRequest = decode(body)?;
            if input.ids.is_empty() {
                return Err(FieldError::new("ids", "needs at least one file"));
            }
            if input.file_paths.len() != input.ids.len() {
                return Err(FieldError::new("filePaths", "needs one path for each id"));
            }
            input.ids.iter().enumerate().try_for_each(|(i, id)| not_blank(&format!("ids[{i}]"), id))?;
            input.file_paths.iter().enumerate().try_for_each(|(i, p)| not_blank(&format!("filePaths[{i}]"), p))
        }
        "/kb/files_attachment" => {
            let input: kb::FileAttachmentRequest = decode(body)?;
            not_blank("filePath", &input.file_path)?;
            not_blank("fileName", &input.file_name)
        }
        "/aikb/list_directories" => required_id(query, "repositoryId"),
        "/aikb/describe_file_media_url" => required_id(query, "fileId"),
        "/aikb/describe_faq_media_url" | "/kb/media_url" => required_text(query, "fileKey").map(drop),
        _ if query.iter().any(|(n, _)| n == "offset" || n == "limit") => paging(query),
        _ => Ok(()),
    }
}

/// Largest file the edge relays to the file library (the doc states none; a
/// Worker's request may carry 100 MB, a mediation centre's documents far less).
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

/// The kinds of file the library takes through the edge: documents and
/// images, by extension, with the type a browser declares for each.
pub const UPLOAD_TYPES: [(&str, &str); 13] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// The file part of an upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFile {
    pub name: String,
    /// As declared by the sender (may be empty).
    pub content_type: String,
    pub size: u64,
}

/// Checks a multipart upload (`/kb/files`, `/kb/files_update`): its text
/// fields by name, and its `file` part's name, type and size.
pub fn check_upload(path: &str, fields: &[(String, String)], file: Option<&UploadFile>) -> Result<(), FieldError> {
    let allowed: &[&str] = match path {
        "/kb/files" => &["kbId", "enterpriseId", "directoryId"],
        "/kb/files_update" => &["id", "filePath", "description"],
        _ => return Err(FieldError::new("path", "takes a JSON body, not a file")),
    };
    if let Some((name, _)) = fields.iter().find(|(n, _)| !allowed.contains(&n.as_str())) {
        return Err(FieldError::new(name.clone(), "is not a field of this upload"));
    }
    if path == "/kb/files" {
        required_id(fields, "kbId")?;
        if !required_text(fields, "enterpriseId")?.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new("enterpriseId", "must be the enterprise's number"));
        }
        required_id(fields, "directoryId")?;
    } else {
        // An id as the file list gives it (the doc types it Integer, its list answers text).
        required_text(fields, "id")?;
        required_text(fields, "filePath")?;
    }
    let file = file.ok_or_else(|| FieldError::new("file", "is required: the file to upload"))?;
    if file.size == 0 {
        return Err(FieldError::new("file", "is empty"));
    }
    if file.size > MAX_UPLOAD_BYTES {
        return Err(FieldError::new("file", format!("is larger than {} MB", MAX_UPLOAD_BYTES / 1024 / 1024)));
    }
    let extension = file.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some((_, mime)) = UPLOAD_TYPES.iter().find(|(e, _)| *e == extension) else {
        return Err(FieldError::new("file", "must be a document or an image: pdf, doc(x), xls(x), ppt(x), txt, md, csv, png, jpg"));
    };
    let declared = file.content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !declared.is_empty() && declared != "application/octet-stream" && declared != *mime {
        return Err(FieldError::new("file", format!("is declared as {declared}, but a .{extension} file is {mime}")));
    }
    Ok(())
}

fn not_blank(name: &str, value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(name, "must not be blank"));
    }
    Ok(())
}

fn positive(name: &str, value: Option<i64>) -> Result<(), FieldError> {
    match value {
        Some(v) if v > 0 => Ok(()),
        Some(_) => Err(FieldError::new(name, "must be a positive id")),
        None => Err(FieldError::new(name, "is required")),
    }
}

fn ids(name: &str, values: &[i64]) -> Result<(), FieldError> {
    if values.is_empty() {
        return Err(FieldError::new(name, "needs at least one id"));
    }
    values.iter().enumerate().try_for_each(|(i, v)| positive(&format!("{name}[{i}]"), Some(*v)))
}

/// An id the doc types as text in one place and a number in another.
fn loose_id(name: &str, value: &kb::Loose) -> Result<(), FieldError> {
    let n = match value {
        kb::Loose::Number(n) => Some(*n),
        kb::Loose::Text(t) => t.trim().parse::<i64>().ok(),
    };
    positive(name, Some(n.ok_or_else(|| FieldError::new(name, "must be a positive id"))?))
}

/// The value of `name` among a query's (or a form's) pairs.
fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// A value that must be there and not blank, trimmed.
fn required_text<'a>(pairs: &'a [(String, String)], name: &str) -> Result<&'a str, FieldError> {
    let v = value(pairs, name).ok_or_else(|| FieldError::new(name, "is required"))?;
    not_blank(name, v)?;
    Ok(v.trim())
}

fn required_id(query: &[(String, String)], name: &str) -> Result<(), FieldError> {
    positive(name, Some(number(query, name)?.ok_or_else(|| FieldError::new(name, "is required"))?))
}

fn decode<T: DeserializeOwned>(body: Option<&Value>) -> Result<T, FieldError> {
    let body = body.ok_or_else(|| FieldError::new("body", "is required"))?;
    T::deserialize(body).map_err(|e| {
        let text = e.to_string();
        // serde names a missing field as "missing field `name`".
        match text.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
            Some(field) => FieldError::new(field, "is required"),
            None => FieldError::new("body", text),
        }
    })
}

/// `order` of `GET /kb/list_articles`: default, heat, likes, dislikes.
pub const ARTICLE_ORDERS: [&str; 4] = ["NONE", "HEAT", "LIKE", "DISLIKE"];

fn number(query: &[(String, String)], name: &str) -> Result<Option<i64>, FieldError> {
    value(query, name).map(|v| v.trim().parse().map_err(|_| FieldError::new(name, "must be a whole number"))).transpose()
}

/// Paging where the doc states no largest limit.
fn open_paging(query: &[(String, String)]) -> Result<(), FieldError> {
    if number(query, "offset")?.is_some_and(|o| o < 0) {
        return Err(FieldError::new("offset", "must not be negative"));
    }
    if number(query, "limit")?.is_some_and(|l| l < 1) {
        return Err(FieldError::new("limit", "must be at least 1"));
    }
    Ok(())
}

fn paging(query: &[(String, String)]) -> Result<(), FieldError> {
    let offset = number(query, "offset")?.unwrap_or(0);
    let limit = number(query, "limit")?.unwrap_or(10);
    kb::validate_paging(offset, limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    /// (path, query, body, the field refused, or None when accepted). Each row one rule of the doc.
    fn cases() -> Vec<(&'static str, Vec<(String, String)>, Option<Value>, Option<&'static str>)> {
        let article = json!({ "kbId": 1, "kbType": 0, "directoryId": 2, "title": "标题", "agentEnabled": 1, "answers": [{ "answer": "答案" }] });
        let with = |k: &str, v: Value| {
            let mut a = article.clone();
            a[k] = v;
            a
        };
        let without = |k: &str| {
            let mut a = article.clone();
            a.as_object_mut().unwrap().remove(k);
            a
        };
        let search = json!({ "keyword": "工资", "offset": 0, "limit": 5 });
        let s = |k: &str, v: Value| {
            let mut b = search.clone();
            b[k] = v;
            b
        };
        vec![
            ("/kb/create_article", q(&[]), Some(article.clone()), None),
            ("/kb/create_article", q(&[]), Some(with("title", json!("长".repeat(51)))), Some("title")),
            ("/kb/create_article", q(&[]), Some(with("kbType", json!(1))), Some("content")),
            ("/kb/create_article", q(&[]), Some(json!({ "kbId": 1, "kbType": 1, "directoryId": 2, "title": "长".repeat(250), "agentEnabled": 1, "content": "正文" })), None),
            ("/kb/create_article", q(&[]), Some(json!({ "kbId": 1, "kbType": 1, "directoryId": 2, "title": "长".repeat(251), "agentEnabled": 1, "content": "正文" })), Some("title")),
            ("/kb/create_article", q(&[]), Some(with("answers", json!([{ "answer": "a" }, { "answer": "b" }, { "answer": "c" }, { "answer": "d" }]))), Some("answers")),
            ("/kb/create_article", q(&[]), Some(with("answers", json!([{ "answer": "长".repeat(2001) }]))), Some("answers[0].answer")),
            ("/kb/create_article", q(&[]), Some(with("answers", json!([]))), Some("answers")),
            ("/kb/create_article", q(&[]), Some(with("similars", json!(vec!["相似"; 1001]))), Some("similars")),
            ("/kb/create_article", q(&[]), Some(with("similars", json!(["长".repeat(101)]))), Some("similars[0]")),
            ("/kb/create_article", q(&[]), Some(without("kbId")), Some("kbId")),
            ("/kb/create_article", q(&[]), Some(without("agentEnabled")), Some("agentEnabled")),
            ("/kb/create_article", q(&[]), Some(with("kbType", json!(2))), Some("kbType")),
            ("/kb/create_article", q(&[]), None, Some("body")),
            ("/kb/update_article", q(&[]), Some(article.clone()), Some("id")),
            ("/kb/update_article", q(&[]), Some(with("id", json!(22))), None),
            ("/kb/delete_article", q(&[]), Some(json!({ "id": 22 })), None),
            ("/kb/delete_article", q(&[]), Some(json!({ "id": "22" })), Some("id")),
            ("/kb/delete_article", q(&[]), Some(json!({})), Some("id")),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(search.clone()), None),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(s("keyword", json!(" "))), Some("keyword")),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(s("offset", json!(10_001))), Some("offset")),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(s("limit", json!(101))), Some("limit")),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(s("limit", json!("ten"))), Some("body")),
            ("/aikb/search_knowledge_on_open", q(&[]), Some(s("knowledgeType", json!("PDF"))), Some("knowledgeType")),
            ("/aikb/list_faqs", q(&[]), Some(json!({ "repositoryId": 1, "offset": 0, "limit": 100 })), None),
            ("/aikb/list_faqs", q(&[]), Some(json!({ "repositoryId": 1, "offset": 0, "limit": 0 })), Some("limit")),
            ("/aikb/chat_conversation_on_open", q(&[]), Some(json!({ "userId": 7, "content": "" })), Some("content")),
            ("/aikb/update_conversation", q(&[]), Some(json!({ "conversationId": "c", "title": "十一个字的会话标题太长" })), Some("title")),
            ("/kb/list_articles", q(&[("kbType", "0"), ("offset", "0"), ("limit", "10")]), None, None),
            ("/kb/list_articles", q(&[("offset", "0")]), None, Some("kbType")),
            ("/kb/list_articles", q(&[("kbType", "0"), ("limit", "500")]), None, Some("limit")),
            ("/kb/list_articles", q(&[("kbType", "0"), ("order", "LIKE"), ("offset", "0"), ("limit", "10")]), None, None),
            ("/kb/list_articles", q(&[("kbType", "0"), ("order", "likes"), ("offset", "0"), ("limit", "10")]), None, Some("order")),
            ("/kb/page_standard_question", q(&[("botId", "1"), ("offset", "20000"), ("limit", "10")]), None, Some("offset")),
            ("/kb/page_standard_question", q(&[("botId", "1"), ("offset", "0"), ("limit", "101")]), None, Some("limit")),
            ("/kb/page_standard_question", q(&[("offset", "0"), ("limit", "10")]), None, Some("botId")),
            ("/kb/page_standard_question", q(&[("botId", "1"), ("updateTime", "1999/01/01 08:00:00"), ("offset", "0"), ("limit", "10")]), None, None),
            ("/kb/list_standard_question", q(&[("botId", " ")]), None, Some("botId")),
            ("/kb/list_answer", q(&[("botId", "1"), ("sqId", "654321")]), None, None),
            ("/kb/list_answer", q(&[("botId", "1")]), None, Some("sqId")),
            ("/kb/list_answer", q(&[("botId", "1"), ("sqId", "x")]), None, Some("sqId")),
            // The doc's own example asks for 1000: no largest limit here.
            ("/kb/list_corpus", q(&[("botId", "123456"), ("sqId", "654321"), ("keyword", "abc"), ("offset", "0"), ("limit", "1000")]), None, None),
            ("/kb/list_corpus", q(&[("botId", "1"), ("sqId", "2"), ("offset", "-1"), ("limit", "10")]), None, Some("offset")),
            ("/kb/list_corpus", q(&[("botId", "1"), ("sqId", "2"), ("offset", "0"), ("limit", "0")]), None, Some("limit")),
            // The doc's example: a whole conversation, 1000 messages at a time.
            ("/aikb/describe_conversation", q(&[("conversationId", "a1f3294570a64dc48d153186379cc9ef"), ("offset", "0"), ("limit", "1000")]), None, None),
            ("/aikb/describe_conversation", q(&[("conversationId", "a1f3"), ("offset", "0")]), None, Some("limit")),
            ("/aikb/describe_conversation", q(&[("conversationId", "a1f3"), ("offset", "-1"), ("limit", "10")]), None, Some("offset")),
            ("/kb/create_standard_question", q(&[]), Some(json!({ "botId": "1", "title": "标题", "categoryId": -1 })), None),
            ("/kb/create_standard_question", q(&[]), Some(json!({ "botId": "1", "title": " " })), Some("title")),
            ("/kb/create_standard_question", q(&[]), Some(json!({ "title": "标题" })), Some("botId")),
            ("/kb/update_standard_question", q(&[]), Some(json!({ "id": 123456, "botId": "1", "title": "标题", "categoryId": -1 })), None),
            ("/kb/update_standard_question", q(&[]), Some(json!({ "botId": "1", "title": "标题" })), Some("id")),
            ("/kb/delete_standard_question", q(&[]), Some(json!({ "ids": [12, 23], "botId": "1" })), None),
            ("/kb/delete_standard_question", q(&[]), Some(json!({ "ids": [], "botId": "1" })), Some("ids")),
            ("/kb/delete_answer", q(&[]), Some(json!({ "ids": [12, 0], "botId": "12" })), Some("ids[1]")),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "23826232", "answer": "哈哈哈哈哈1", "startTime": "2022-06-16 00:00:00", "endTime": "2022-06-16 23:59:59", "sqId": 166955, "relatedSqIdList": [], "periodType": 0 })), None),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "1", "answer": "", "sqId": 1 })), Some("answer")),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "1", "answer": "a", "sqId": 1, "periodType": 2 })), Some("periodType")),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "1", "answer": "a", "sqId": 1, "startTime": "2022/06/16" })), Some("startTime")),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "1", "answer": "a", "sqId": 1, "startTime": "2022-06-17 00:00:00", "endTime": "2022-06-16 00:00:00" })), Some("startTime")),
            ("/kb/create_answer", q(&[]), Some(json!({ "botId": "1", "answer": "a", "sqId": 1, "relatedSqIdList": ["7", "x"] })), Some("relatedSqIdList[1]")),
            ("/kb/update_answer", q(&[]), Some(json!({ "id": 12323, "botId": "23826232", "answer": "哈哈哈哈哈1", "sqId": 166955, "relatedSqIdList": [], "periodType": 1 })), None),
            ("/kb/update_answer", q(&[]), Some(json!({ "botId": "1", "answer": "a", "sqId": 1 })), Some("id")),
            ("/kb/create_corpus", q(&[]), Some(json!({ "botId": "23423", "records": [{ "sqId": 166956, "corpusList": [{ "corpusName": "werew" }] }] })), None),
            ("/kb/create_corpus", q(&[]), Some(json!({ "botId": "23423", "records": [] })), Some("records")),
            ("/kb/create_corpus", q(&[]), Some(json!({ "botId": "1", "records": [{ "sqId": 1, "corpusList": [{ "corpusName": " " }] }] })), Some("records[0].corpusList[0].corpusName")),
            ("/kb/update_corpus", q(&[]), Some(json!({ "botId": "23423", "sqId": 166956, "sourceCorpusName": "原始语料名", "targetCorpusName": "目标语料名" })), None),
            ("/kb/update_corpus", q(&[]), Some(json!({ "botId": "1", "sqId": 1, "sourceCorpusName": "a", "targetCorpusName": "" })), Some("targetCorpusName")),
            ("/kb/delete_corpus", q(&[]), Some(json!({ "botId": "23423", "sqId": 23423, "corpusNames": ["哈哈", "呵呵"] })), None),
            ("/kb/delete_corpus", q(&[]), Some(json!({ "botId": "1", "sqId": "23423", "corpusNames": [] })), Some("corpusNames")),
            ("/kb/delete_corpus", q(&[]), Some(json!({ "botId": "1", "sqId": "abc", "corpusNames": ["a"] })), Some("sqId")),
            ("/kb/create_category", q(&[]), Some(json!({ "botId": "23826232", "parentId": 0, "name": "分类目录名称" })), None),
            ("/kb/create_category", q(&[]), Some(json!({ "botId": "1", "name": "分类" })), Some("parentId")),
            ("/kb/update_category", q(&[]), Some(json!({ "id": 11017, "botId": "23826232", "name": "分类名称修改" })), None),
            ("/kb/update_category", q(&[]), Some(json!({ "botId": "1", "name": "分类" })), Some("id")),
            ("/kb/delete_category", q(&[]), Some(json!({ "id": 22, "botId": "12" })), None),
            ("/kb/delete_category", q(&[]), Some(json!({ "id": 22, "botId": "" })), Some("botId")),
            ("/kb/files_list", q(&[]), Some(json!({ "kbId": 1193, "offset": 0, "limit": 10 })), None),
            ("/kb/files_list", q(&[]), Some(json!({ "kbId": 1193, "limit": 101 })), Some("limit")),
            ("/kb/files_list", q(&[]), Some(json!({ "offset": 0 })), Some("kbId")),
            ("/kb/files_delete", q(&[]), Some(json!({ "ids": ["iVUmoYYBYmvWisIQ_Ugg"], "filePaths": ["file/22211221.zip"] })), None),
            ("/kb/files_delete", q(&[]), Some(json!({ "ids": ["a", "b"], "filePaths": ["file/a"] })), Some("filePaths")),
            ("/kb/files_attachment", q(&[]), Some(json!({ "filePath": "file/picture/10101001.png", "fileName": "测试图片.png" })), None),
            ("/kb/files_attachment", q(&[]), Some(json!({ "filePath": "file/picture/10101001.png" })), Some("fileName")),
            ("/aikb/list_directories", q(&[("repositoryId", "102169")]), None, None),
            ("/aikb/list_directories", q(&[]), None, Some("repositoryId")),
            ("/aikb/describe_file_media_url", q(&[("fileId", "0")]), None, Some("fileId")),
            ("/kb/media_url", q(&[("isDownload", "true")]), None, Some("fileKey")),
            ("/aikb/describe_faq_media_url", q(&[("fileKey", "rtf/20221116/a.png"), ("inline", "true")]), None, None),
            ("/aikb/list_public_repositories", q(&[]), None, None),
        ]
    }

    #[test]
    fn each_documented_rule_refuses_by_field_and_good_requests_pass() {
        for (path, query, body, refused) in cases() {
            let got = check(path, &query, body.as_ref()).err().map(|e| e.field);
            assert_eq!(got.as_deref(), refused, "{path} {query:?} {body:?}");
        }
    }

    #[test]
    fn uploads_are_checked_by_field_name_type_and_size() {
        let fields = |pairs: &[(&str, &str)]| q(pairs);
        let file = |name: &str, content_type: &str, size: u64| UploadFile { name: name.into(), content_type: content_type.into(), size };
        let new = fields(&[("kbId", "1"), ("enterpriseId", "8000001"), ("directoryId", "1")]);
        let pdf = file("调解规则.pdf", "application/pdf", 2048);
        let refused = |path: &str, f: &[(String, String)], up: Option<&UploadFile>| check_upload(path, f, up).err().map(|e| e.field);
        assert_eq!(refused("/kb/files", &new, Some(&pdf)), None);
        assert_eq!(refused("/kb/files", &new, Some(&file("notes.MD", "", 10))), None);
        assert_eq!(refused("/kb/files", &new, Some(&file("a.docx", "application/octet-stream", 10))), None);
        assert_eq!(refused("/kb/files", &new, None).as_deref(), Some("file"));
        assert_eq!(refused("/kb/files", &new, Some(&file("a.pdf", "application/pdf", 0))).as_deref(), Some("file"));
        assert_eq!(refused("/kb/files", &new, Some(&file("a.pdf", "application/pdf", MAX_UPLOAD_BYTES + 1))).as_deref(), Some("file"));
        assert_eq!(refused("/kb/files", &new, Some(&file("a.pdf", "application/pdf", MAX_UPLOAD_BYTES))), None);
        assert_eq!(refused("/kb/files", &new, Some(&file("run.exe", "application/octet-stream", 10))).as_deref(), Some("file"));
        assert_eq!(refused("/kb/files", &new, Some(&file("a.pdf", "text/html", 10))).as_deref(), Some("file"));
        assert_eq!(refused("/kb/files", &fields(&[("enterpriseId", "8000001"), ("directoryId", "1")]), Some(&pdf)).as_deref(), Some("kbId"));
        assert_eq!(refused("/kb/files", &fields(&[("kbId", "1"), ("enterpriseId", "ab"), ("directoryId", "1")]), Some(&pdf)).as_deref(), Some("enterpriseId"));
        assert_eq!(refused("/kb/files", &fields(&[("kbId", "1"), ("enterpriseId", "8000001"), ("directoryId", "0")]), Some(&pdf)).as_deref(), Some("directoryId"));
        assert_eq!(refused("/kb/files", &fields(&[("kbId", "1"), ("enterpriseId", "8000001"), ("directoryId", "1"), ("AccessKeyId", "x")]), Some(&pdf)).as_deref(), Some("AccessKeyId"));
        let update = fields(&[("id", "ilXbooYBYmvWisIQfUg-"), ("filePath", "file/picture/10101001.png"), ("description", "描述")]);
        assert_eq!(refused("/kb/files_update", &update, Some(&file("新.png", "image/png", 5))), None);
        assert_eq!(refused("/kb/files_update", &fields(&[("id", "1")]), Some(&pdf)).as_deref(), Some("filePath"));
        assert_eq!(refused("/kb/files_list", &new, Some(&pdf)).as_deref(), Some("path"));
    }
}
