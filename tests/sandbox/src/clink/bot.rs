//! Section 10 of the Clink doc: the bot's knowledge (standard questions,
//! their answers and training phrases, and categories), kept in memory with
//! the documented shapes. The bot is the repository marked `bot` in
//! `data/knowledge.json`; its `botId` is that repository's id as text.

use std::collections::HashMap;

use serde_json::{json, Value};
use shared::wire::clink::kb;

use super::verify::Refusal;
use super::{body_as, q_i64, refusal, to_value};

struct Question {
    id: i64,
    title: String,
    category_id: i64,
    created: String,
    updated: String,
    deleted: bool,
}

struct Answer {
    id: i64,
    sq_id: i64,
    answer: String,
    start_time: Option<String>,
    end_time: Option<String>,
    period_type: i64,
    related: Vec<i64>,
}

/// The paths this module answers.
pub const PATHS: [&str; 16] = [
    "/kb/page_standard_question",
    "/kb/list_standard_question",
    "/kb/create_standard_question",
    "/kb/update_standard_question",
    "/kb/delete_standard_question",
    "/kb/list_answer",
    "/kb/create_answer",
    "/kb/update_answer",
    "/kb/delete_answer",
    "/kb/list_corpus",
    "/kb/create_corpus",
    "/kb/update_corpus",
    "/kb/delete_corpus",
    "/kb/create_category",
    "/kb/update_category",
    "/kb/delete_category",
];

#[derive(Default)]
pub struct Bot {
    pub bot_id: String,
    questions: Vec<Question>,
    answers: Vec<Answer>,
    corpora: Vec<kb::Corpus>,
    categories: Vec<kb::Category>,
    next_id: i64,
}

fn not_found(what: &str) -> Refusal {
    refusal("ResourceNotFound", 404, format!("{what}不存在"))
}

fn invalid(message: impl Into<String>) -> Refusal {
    refusal("InvalidParameter", 400, message.into())
}

fn ok() -> Value {
    json!({ "result": "OK" })
}

/// `yyyy-MM-dd HH:mm:ss` (section 10's times) from the `yyyy/MM/dd HH:mm:ss` the sandbox keeps.
fn dashed(t: &str) -> String {
    t.replace('/', "-")
}

impl Bot {
    pub fn new(bot_id: String) -> Self {
        Self { bot_id, next_id: 11_000, ..Default::default() }
    }

    fn id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    fn check_bot(&self, bot_id: &str) -> Result<(), Refusal> {
        if bot_id.trim() != self.bot_id {
            return Err(not_found("机器人"));
        }
        Ok(())
    }

    fn question(&mut self, id: i64) -> Result<&mut Question, Refusal> {
        self.questions.iter_mut().find(|q| q.id == id && !q.deleted).ok_or_else(|| not_found("标准问"))
    }

    fn sq_id(v: &kb::Loose) -> Result<i64, Refusal> {
        match v {
            kb::Loose::Number(n) => Ok(*n),
            kb::Loose::Text(t) => t.trim().parse().map_err(|_| invalid("参数 sqId 应为整数")),
        }
    }

    fn corpus_count(&self, sq_id: i64) -> usize {
        self.corpora.iter().filter(|c| c.sq_id == sq_id).count()
    }

    /// 0 trained (it has training phrases), 1 not trained.
    fn status(&self, sq_id: i64) -> i64 {
        if self.corpus_count(sq_id) > 0 { 0 } else { 1 }
    }

    fn question_json(&self, q: &Question) -> Value {
        json!({
            "id": q.id, "title": q.title, "createTime": dashed(&q.created), "updateTime": dashed(&q.updated),
            "status": self.status(q.id), "corpusCount": self.corpus_count(q.id), "categoryId": q.category_id,
        })
    }

    /// Answers one request to a path of [`PATHS`].
    pub fn dispatch(&mut self, path: &str, query: &HashMap<String, String>, body: Value, now: &str) -> Result<Value, Refusal> {
        let bot_in_query = || query.get("botId").cloned().ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: botId"));
        match path {
            "/kb/page_standard_question" => {
                self.check_bot(&bot_in_query()?)?;
                let (offset, limit) = (q_i64(query, "offset", Some(0))?, q_i64(query, "limit", Some(10))?);
                super::paging(offset, limit)?;
                // Changed after `updateTime` (exclusive), deleted ones included.
                let after = query.get("updateTime").cloned();
                let changed: Vec<&Question> = self.questions.iter().filter(|q| after.as_ref().is_none_or(|a| q.updated.as_str() > a.as_str())).collect();
                let items: Vec<Value> =
                    changed.iter().skip(offset as usize).take(limit as usize).map(|q| json!({ "id": q.id, "title": q.title, "sqIsDelete": q.deleted })).collect();
                Ok(json!({ "pageNumber": offset / limit + 1, "pageSize": limit, "totalCount": changed.len(), "standardQuestions": items }))
            }
            "/kb/list_standard_question" => {
                self.check_bot(&bot_in_query()?)?;
                let items: Vec<Value> = self.questions.iter().filter(|q| !q.deleted).map(|q| self.question_json(q)).collect();
                Ok(json!({ "standardQuestions": items }))
            }
            "/kb/create_standard_question" | "/kb/update_standard_question" => {
                let input: kb::StandardQuestionInput = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                let category_id = input.category_id.unwrap_or(-1);
                if category_id != -1 && !self.categories.iter().any(|c| c.id == category_id) {
                    return Err(not_found("分类"));
                }
                let title = input.title.trim().to_owned();
                if self.questions.iter().any(|q| !q.deleted && q.title == title && Some(q.id) != input.id) {
                    return Err(invalid(format!("标准问「{title}」已存在")));
                }
                let id = match input.id {
                    Some(id) => {
                        let q = self.question(id)?;
                        q.title = title.clone();
                        q.category_id = category_id;
                        q.updated = now.to_owned();
                        id
                    }
                    None => {
                        let id = self.id();
                        self.questions.push(Question { id, title: title.clone(), category_id, created: now.to_owned(), updated: now.to_owned(), deleted: false });
                        id
                    }
                };
                Ok(json!({ "standardQuestion": { "id": id, "title": title, "status": self.status(id) } }))
            }
            "/kb/delete_standard_question" => {
                let input: kb::BotIdsRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                for id in &input.ids {
                    self.question(*id)?;
                }
                for id in &input.ids {
                    let q = self.question(*id)?;
                    q.deleted = true;
                    q.updated = now.to_owned();
                    self.answers.retain(|a| a.sq_id != *id);
                    self.corpora.retain(|c| c.sq_id != *id);
                }
                Ok(ok())
            }
            "/kb/list_answer" => {
                self.check_bot(&bot_in_query()?)?;
                let sq_id = q_i64(query, "sqId", None)?;
                self.question(sq_id)?;
                let title = |id: i64| self.questions.iter().find(|q| q.id == id).map(|q| q.title.clone()).unwrap_or_default();
                let items: Vec<kb::BotAnswer> = self
                    .answers
                    .iter()
                    .filter(|a| a.sq_id == sq_id)
                    .map(|a| kb::BotAnswer {
                        id: a.id,
                        sq_id: Some(a.sq_id),
                        answer: a.answer.clone(),
                        start_time: a.start_time.clone(),
                        end_time: a.end_time.clone(),
                        period_type: Some(a.period_type),
                        related_question_list: Some(a.related.iter().map(|&id| kb::RelatedQuestionRef { related_question_id: id, related_question_title: title(id) }).collect()),
                    })
                    .collect();
                Ok(to_value(kb::BotAnswerList { request_id: None, answers: items }))
            }
            "/kb/create_answer" | "/kb/update_answer" => {
                let input: kb::BotAnswerInput = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                self.question(input.sq_id)?;
                let mut related = vec![];
                for id in input.related_sq_id_list.iter().flatten() {
                    let id = Self::sq_id(id)?;
                    self.question(id)?;
                    related.push(id);
                }
                let answer = Answer {
                    id: 0,
                    sq_id: input.sq_id,
                    answer: input.answer.clone(),
                    start_time: input.start_time.clone(),
                    end_time: input.end_time.clone(),
                    period_type: input.period_type.unwrap_or(0),
                    related,
                };
                match input.id {
                    Some(id) => {
                        let a = self.answers.iter_mut().find(|a| a.id == id && a.sq_id == input.sq_id).ok_or_else(|| not_found("答案"))?;
                        *a = Answer { id, ..answer };
                        Ok(ok())
                    }
                    None => {
                        let id = self.id();
                        self.answers.push(Answer { id, ..answer });
                        Ok(json!({ "answer": { "id": id, "answer": input.answer } }))
                    }
                }
            }
            "/kb/delete_answer" => {
                let input: kb::BotIdsRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                if let Some(id) = input.ids.iter().find(|id| !self.answers.iter().any(|a| a.id == **id)) {
                    return Err(not_found(&format!("答案 {id} ")));
                }
                self.answers.retain(|a| !input.ids.contains(&a.id));
                Ok(ok())
            }
            "/kb/list_corpus" => {
                self.check_bot(&bot_in_query()?)?;
                let sq_id = q_i64(query, "sqId", None)?;
                self.question(sq_id)?;
                let (offset, limit) = (q_i64(query, "offset", Some(0))?, q_i64(query, "limit", Some(10))?);
                let keyword = query.get("keyword").cloned().unwrap_or_default();
                let items: Vec<&kb::Corpus> =
                    self.corpora.iter().filter(|c| c.sq_id == sq_id && c.corpus_name.contains(keyword.as_str())).skip(offset.max(0) as usize).take(limit.max(0) as usize).collect();
                Ok(json!({ "corpora": items }))
            }
            "/kb/create_corpus" => {
                let input: kb::CreateCorpusRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                for r in &input.records {
                    self.question(r.sq_id)?;
                    for c in &r.corpus_list {
                        if self.corpora.iter().any(|x| x.sq_id == r.sq_id && x.corpus_name == c.corpus_name) {
                            return Err(invalid(format!("语料「{}」已存在", c.corpus_name)));
                        }
                    }
                }
                for r in input.records {
                    for c in r.corpus_list {
                        let id = self.id();
                        self.corpora.push(kb::Corpus { id, sq_id: r.sq_id, corpus_name: c.corpus_name, create_time: Some(dashed(now)), update_time: Some(dashed(now)), status: Some(0) });
                    }
                    self.question(r.sq_id)?.updated = now.to_owned();
                }
                Ok(ok())
            }
            "/kb/update_corpus" => {
                let input: kb::UpdateCorpusRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                let sq_id = Self::sq_id(&input.sq_id)?;
                self.question(sq_id)?;
                if self.corpora.iter().any(|c| c.sq_id == sq_id && c.corpus_name == input.target_corpus_name) {
                    return Err(invalid(format!("语料「{}」已存在", input.target_corpus_name)));
                }
                let c = self.corpora.iter_mut().find(|c| c.sq_id == sq_id && c.corpus_name == input.source_corpus_name).ok_or_else(|| not_found("语料"))?;
                c.corpus_name = input.target_corpus_name;
                c.update_time = Some(dashed(now));
                Ok(ok())
            }
            "/kb/delete_corpus" => {
                let input: kb::DeleteCorpusRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                let sq_id = Self::sq_id(&input.sq_id)?;
                self.question(sq_id)?;
                if let Some(name) = input.corpus_names.iter().find(|n| !self.corpora.iter().any(|c| c.sq_id == sq_id && &c.corpus_name == *n)) {
                    return Err(not_found(&format!("语料「{name}」")));
                }
                self.corpora.retain(|c| !(c.sq_id == sq_id && input.corpus_names.contains(&c.corpus_name)));
                Ok(ok())
            }
            "/kb/create_category" | "/kb/update_category" => {
                let input: kb::CategoryInput = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                let category = match input.id {
                    Some(id) => {
                        let c = self.categories.iter_mut().find(|c| c.id == id).ok_or_else(|| not_found("分类"))?;
                        c.name = input.name;
                        c.clone()
                    }
                    None => {
                        let parent_id = input.parent_id.ok_or_else(|| refusal("MissingParameter", 400, "请求缺少必需参数: parentId"))?;
                        let (level, mut path) = match parent_id {
                            0 => (1, vec![]),
                            p => self.categories.iter().find(|c| c.id == p).map(|c| (c.level + 1, c.path.clone())).ok_or_else(|| not_found("上级分类"))?,
                        };
                        let id = self.id();
                        path.push(id);
                        let c = kb::Category { id, level, name: input.name, parent_id, path };
                        self.categories.push(c.clone());
                        c
                    }
                };
                Ok(json!({ "category": category }))
            }
            "/kb/delete_category" => {
                let input: kb::BotIdRequest = body_as(body)?;
                self.check_bot(&input.bot_id)?;
                if !self.categories.iter().any(|c| c.id == input.id) {
                    return Err(not_found("分类"));
                }
                if self.categories.iter().any(|c| c.parent_id == input.id) {
                    return Err(invalid("分类下还有子分类,不能删除"));
                }
                self.categories.retain(|c| c.id != input.id);
                for q in self.questions.iter_mut().filter(|q| q.category_id == input.id) {
                    q.category_id = -1;
                }
                Ok(ok())
            }
            _ => Err(refusal("ResourceNotFound", 404, "请求资源不存在。")),
        }
    }
}
