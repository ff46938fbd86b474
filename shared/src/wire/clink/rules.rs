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
            paging(query)
        }
        _ if query.iter().any(|(n, _)| n == "offset" || n == "limit") => paging(query),
        _ => Ok(()),
    }
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

fn number(query: &[(String, String)], name: &str) -> Result<Option<i64>, FieldError> {
    match query.iter().find(|(n, _)| n == name) {
        None => Ok(None),
        Some((_, v)) => v.trim().parse().map(Some).map_err(|_| FieldError::new(name, "must be a whole number")),
    }
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
            ("/kb/page_standard_question", q(&[("offset", "20000"), ("limit", "10")]), None, Some("offset")),
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
}
