//! Clink knowledge-base types (sections 3 to 11 of the doc).
//!
//! The doc's field tables and its examples disagree in places (a directory's
//! `type` is "Integer" in the table and `"FAQ"` in the example; ids are
//! Integer in one place and strings in another). Those fields are [`Loose`]:
//! they accept either and send back what came.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::wire::error::FieldError;
use crate::open_enum::open_enum;

/// A number or a string, kept as it came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Loose {
    Number(i64),
    Text(String),
}

// Read as `#[serde(untagged)]` would (an integer, else a string), by the
// value's type instead of by buffering it (smaller in the board's wasm).
impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumberOrText;
        impl serde::de::Visitor<'_> for NumberOrText {
            type Value = Loose;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose::Number(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Loose, E> {
                i64::try_from(v).map(Loose::Number).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::Text(v.to_owned()))
            }
        }
        d.deserialize_any(NumberOrText)
    }
}

impl std::fmt::Display for Loose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Loose::Number(n) => write!(f, "{n}"),
            Loose::Text(s) => f.write_str(s),
        }
    }
}

impl From<i64> for Loose {
    fn from(n: i64) -> Self {
        Loose::Number(n)
    }
}

impl From<&str> for Loose {
    fn from(s: &str) -> Self {
        Loose::Text(s.to_owned())
    }
}

// ---- 3. repositories -------------------------------------------------------

/// A knowledge repository (知识库).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Repository {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub owner: Option<String>,
    /// `yyyy/MM/dd HH:mm:ss`
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub create_user: Option<String>,
    #[serde(default)]
    pub update_user: Option<String>,
}

/// `GET /aikb/list_public_repositories`, `GET /aikb/list_private_repositories`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepositoryList {
    #[serde(default)]
    pub request_id: Option<String>,
    pub result: Vec<Repository>,
}

/// `GET /aikb/describe_bot_repository`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotRepository {
    #[serde(default)]
    pub request_id: Option<String>,
    pub result: Repository,
}

// ---- 4. directories --------------------------------------------------------

/// A directory, with its sub-directories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Directory {
    pub id: i64,
    pub name: String,
    pub repository_id: i64,
    /// Knowledge type: `FAQ`, `FILE` (the table also names QA/DOCUMENT/GRAPH).
    #[serde(rename = "type", default)]
    pub kind: Option<Loose>,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub create_user: Option<String>,
    #[serde(default)]
    pub update_user: Option<String>,
    #[serde(default)]
    pub sub_directories: Option<Vec<Directory>>,
}

/// `GET /aikb/list_directories`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryList {
    #[serde(default)]
    pub request_id: Option<String>,
    pub result: Vec<Directory>,
}

// ---- 5. articles -----------------------------------------------------------

/// A linked question (关联知识点).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedQuestion {
    #[serde(default)]
    pub related_question: Option<String>,
    #[serde(default)]
    pub related_question_id: Option<Loose>,
}

/// One of a Q&A article's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleAnswer {
    pub answer: String,
    #[serde(default)]
    pub recommend_question: Option<Vec<String>>,
    /// 10-digit seconds timestamp.
    #[serde(default)]
    pub start_time: Option<Loose>,
    #[serde(default)]
    pub end_time: Option<Loose>,
    /// 转人工: 0 no, 1 yes.
    #[serde(default)]
    pub transfer: Option<i64>,
    #[serde(default)]
    pub related_questions: Option<Vec<RelatedQuestion>>,
}

/// Body of `POST /kb/create_article` and `/kb/update_article` (with `id`), and
/// the `article` they and `/kb/delete_article` answer with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub kb_id: i64,
    /// 0 Q&A library, 1 document library.
    pub kb_type: i64,
    pub directory_id: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub similars: Option<Vec<String>>,
    #[serde(default)]
    pub content: Option<String>,
    /// 座席可用状态: 0 offline, 1 online.
    #[serde(default)]
    pub agent_enabled: Option<i64>,
    #[serde(default)]
    pub top_status: Option<i64>,
    #[serde(default)]
    pub bot_id: Option<String>,
    #[serde(default)]
    pub related_questions: Option<Vec<RelatedQuestion>>,
    #[serde(default)]
    pub answers: Option<Vec<ArticleAnswer>>,
}

impl ArticleInput {
    /// The doc's limits on a new or changed article.
    pub fn validate(&self) -> Result<(), FieldError> {
        if let Some(title) = &self.title {
            let max = if self.kb_type == 0 { 50 } else { 250 };
            if title.trim().is_empty() {
                return Err(FieldError::new("title", "must not be empty"));
            }
            if title.chars().count() > max {
                return Err(FieldError::new("title", format!("must be at most {max} characters")));
            }
        }
        if let Some(similars) = &self.similars {
            if similars.len() > 1000 {
                return Err(FieldError::new("similars", "must have at most 1000 entries"));
            }
            if let Some(i) = similars.iter().position(|s| s.chars().count() > 100) {
                return Err(FieldError::new(format!("similars[{i}]"), "must be at most 100 characters"));
            }
        }
        if let Some(answers) = &self.answers {
            if answers.len() > 3 {
                return Err(FieldError::new("answers", "must have at most 3 answers"));
            }
            for (i, a) in answers.iter().enumerate() {
                if a.answer.trim().is_empty() || a.answer.chars().count() > 2000 {
                    return Err(FieldError::new(format!("answers[{i}].answer"), "must be 1 to 2000 characters"));
                }
            }
        }
        Ok(())
    }
}

/// Answer of create/update/delete article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleSaved {
    #[serde(default)]
    pub request_id: Option<String>,
    pub article: ArticleInput,
}

/// `POST /kb/delete_article` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdRequest {
    pub id: i64,
}

/// An article as listed or described.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    pub id: Loose,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub similars: Option<Value>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub phone_content: Option<String>,
    #[serde(default)]
    pub online_content: Option<String>,
    #[serde(default)]
    pub wechat_content: Option<String>,
    #[serde(default)]
    pub app_content: Option<String>,
    #[serde(default)]
    pub web_content: Option<String>,
    #[serde(default)]
    pub directory_id: Option<i64>,
    #[serde(default)]
    pub kb_type: Option<i64>,
    #[serde(default)]
    pub kb_id: Option<i64>,
    #[serde(default)]
    pub valid_date_from: Option<Loose>,
    #[serde(default)]
    pub valid_date_to: Option<Loose>,
    /// Milliseconds since the epoch.
    #[serde(default)]
    pub create_time: Option<i64>,
    #[serde(default)]
    pub update_time: Option<i64>,
    #[serde(default)]
    pub create_user: Option<String>,
    #[serde(default)]
    pub update_user: Option<String>,
    #[serde(default)]
    pub account_login_name: Option<String>,
    #[serde(default)]
    pub path: Option<Vec<String>>,
    #[serde(default)]
    pub like_count: Option<i64>,
    #[serde(default)]
    pub dislike_count: Option<i64>,
    /// 0 liked, 1 disliked, null neither.
    #[serde(default)]
    pub status: Option<Loose>,
    #[serde(default)]
    pub answers: Option<Vec<ArticleAnswer>>,
    #[serde(default)]
    pub bot_id: Option<String>,
    #[serde(default)]
    pub bot_tag: Option<Vec<String>>,
    #[serde(default)]
    pub bot_action: Option<Vec<String>>,
    #[serde(default)]
    pub related_questions: Option<Vec<RelatedQuestion>>,
}

/// `GET /kb/list_articles`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticlePage {
    #[serde(default)]
    pub request_id: Option<String>,
    pub page_number: i64,
    pub page_size: i64,
    pub total_count: i64,
    pub articles: Vec<Article>,
}

/// `GET /kb/describe_article`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleDetail {
    #[serde(default)]
    pub request_id: Option<String>,
    pub article: Article,
}

// ---- 6. FAQs ---------------------------------------------------------------

/// `POST /aikb/list_faqs` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqQuery {
    pub repository_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time_start: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_time_end: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

impl FaqQuery {
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_paging(self.offset, self.limit)?;
        if self.update_time_start.is_some() != self.update_time_end.is_some() {
            return Err(FieldError::new("updateTimeEnd", "updateTimeStart and updateTimeEnd must be given together"));
        }
        Ok(())
    }
}

/// The doc's paging bounds: offset 0..=10000, limit 1..=100.
pub fn validate_paging(offset: i64, limit: i64) -> Result<(), FieldError> {
    if !(0..=10_000).contains(&offset) {
        return Err(FieldError::new("offset", "must be between 0 and 10000"));
    }
    if !(1..=100).contains(&limit) {
        return Err(FieldError::new("limit", "must be between 1 and 100"));
    }
    Ok(())
}

/// An answer of an FAQ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqAnswer {
    pub content: String,
    /// The table says 1 text / 2 rich text; the example sends `"text"`.
    #[serde(rename = "type", default)]
    pub kind: Option<Loose>,
    #[serde(default)]
    pub online_date_from: Option<String>,
    #[serde(default)]
    pub online_date_to: Option<String>,
}

/// A similar question of an FAQ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Similar {
    pub question: String,
}

/// An FAQ (问答).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Faq {
    pub repository_id: i64,
    #[serde(default)]
    pub directory_id: Option<i64>,
    pub id: i64,
    pub question: String,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub create_user: Option<String>,
    #[serde(default)]
    pub update_user: Option<String>,
    #[serde(default)]
    pub online_date_from: Option<String>,
    #[serde(default)]
    pub online_date_to: Option<String>,
    #[serde(default)]
    pub answers: Vec<FaqAnswer>,
    #[serde(default)]
    pub similars: Vec<Similar>,
}

/// `POST /aikb/list_faqs` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqPage {
    #[serde(default)]
    pub request_id: Option<String>,
    pub result: Vec<Faq>,
    pub page_number: i64,
    pub page_size: i64,
    pub total_count: i64,
}

// ---- 7. Q&A chat -----------------------------------------------------------

/// `POST /aikb/chat_conversation_on_open` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatRequest {
    pub user_id: i64,
    pub content: String,
    /// Absent for a new conversation's first message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

impl ChatRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.content.trim().is_empty() {
            return Err(FieldError::new("content", "must not be empty"));
        }
        if self.content.chars().count() > 2000 {
            return Err(FieldError::new("content", "must be at most 2000 characters"));
        }
        Ok(())
    }
}

/// A document an answer drew on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceFile {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub file_key: Option<String>,
}

/// An FAQ an answer drew on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFaq {
    pub id: i64,
    pub name: String,
}

/// The bot's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatReply {
    pub conversation_id: Loose,
    pub content: String,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub files: Option<Vec<SourceFile>>,
    #[serde(default)]
    pub faqs: Option<Vec<SourceFaq>>,
}

/// `POST /aikb/chat_conversation_on_open` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatResponse {
    pub result: ChatReply,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A conversation in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub conversation_id: Loose,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
}

/// `GET /aikb/list_conversations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationPage {
    pub result: Vec<Conversation>,
    pub page_number: i64,
    #[serde(default)]
    pub request_id: Option<String>,
    pub page_size: i64,
    pub total_count: i64,
}

open_enum! {
    /// Who wrote a message.
    pub enum ChatRole {
        User = "USER",
        Bot = "BOT",
    }
}

/// A message of a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    pub content: String,
    #[serde(default)]
    pub create_time: Option<String>,
    pub role: ChatRole,
    #[serde(default)]
    pub files: Option<Vec<SourceFile>>,
    #[serde(default)]
    pub faqs: Option<Vec<SourceFaq>>,
}

/// `GET /aikb/describe_conversation`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub result: Vec<ChatMessage>,
    pub page_number: i64,
    #[serde(default)]
    pub request_id: Option<String>,
    pub page_size: i64,
    pub total_count: i64,
}

/// `POST /aikb/update_conversation` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateConversationRequest {
    pub conversation_id: String,
    pub title: String,
}

impl UpdateConversationRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        let n = self.title.chars().count();
        if n == 0 || n > 10 {
            return Err(FieldError::new("title", "must be 1 to 10 characters"));
        }
        Ok(())
    }
}

/// `POST /aikb/delete_conversation` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteConversationRequest {
    pub conversation_id: String,
}

// ---- 8. search -------------------------------------------------------------

/// `POST /aikb/search_knowledge_on_open` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<i64>,
    pub keyword: String,
    /// createTime, searchCount, likeCount or updateTime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_field: Option<String>,
    /// FAQ or FILE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knowledge_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_ids: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_ids: Option<Vec<i64>>,
    pub offset: i64,
    pub limit: i64,
}

impl SearchRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.keyword.trim().is_empty() {
            return Err(FieldError::new("keyword", "must not be empty"));
        }
        if self.keyword.chars().count() > 200 {
            return Err(FieldError::new("keyword", "must be at most 200 characters"));
        }
        if let Some(order) = &self.order_field {
            if !["createTime", "searchCount", "likeCount", "updateTime"].contains(&order.as_str()) {
                return Err(FieldError::new("orderField", "must be createTime, searchCount, likeCount or updateTime"));
            }
        }
        if let Some(kind) = &self.knowledge_type {
            if kind != "FAQ" && kind != "FILE" {
                return Err(FieldError::new("knowledgeType", "must be FAQ or FILE"));
            }
        }
        validate_paging(self.offset, self.limit)
    }
}

/// An answer inside a search hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HitAnswer {
    #[serde(default)]
    pub faq_id: Option<i64>,
    pub content: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// An attachment of a search hit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub file_key: String,
    pub file_name: String,
}

/// A search hit. Text fields can carry `<em>` highlights around matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub id: Loose,
    /// FAQ title (FAQ hits).
    #[serde(default)]
    pub question: Option<String>,
    /// Document name (FILE hits).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub repository_id: Option<i64>,
    #[serde(default)]
    pub directory_id: Option<i64>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub like_count: Option<i64>,
    #[serde(default)]
    pub dislike_count: Option<i64>,
    #[serde(default)]
    pub liked: Option<bool>,
    #[serde(default)]
    pub search_count: Option<i64>,
    #[serde(default)]
    pub answers: Option<Vec<HitAnswer>>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub introduction: Option<String>,
    #[serde(default)]
    pub directory_names: Option<Vec<String>>,
    #[serde(default)]
    pub object_key: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub similar_list: Option<Vec<String>>,
    /// FAQ or FILE.
    #[serde(default)]
    pub knowledge_type: Option<String>,
    #[serde(default)]
    pub attachments: Option<Vec<Attachment>>,
}

/// `POST /aikb/search_knowledge_on_open` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub result: Vec<SearchHit>,
    pub page_number: i64,
    #[serde(default)]
    pub request_id: Option<String>,
    pub page_size: i64,
    pub total_count: i64,
}

/// What the board reads of a search page: the hits' titles, first answer,
/// snippet and kind. Deserialize-only, and smaller in the browser's bundle
/// than [`SearchPage`] (every other field is skipped unread).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct HitList {
    pub result: Vec<HitSummary>,
    #[serde(default, rename = "totalCount")]
    pub total_count: i64,
}

/// One [`SearchHit`] as the board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HitSummary {
    pub id: Loose,
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub answers: Option<Vec<AnswerText>>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub knowledge_type: Option<String>,
    #[serde(default)]
    pub attachments: Option<Vec<Attachment>>,
}

/// The text of a [`HitAnswer`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AnswerText {
    pub content: String,
}

// ---- 9. media URLs ---------------------------------------------------------

/// `GET /aikb/describe_file_media_url`, `GET /aikb/describe_faq_media_url`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUrl {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    pub url: String,
}

/// `GET /kb/media_url`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KbMediaUrl {
    #[serde(default)]
    pub request_id: Option<String>,
    pub media_url: String,
}

// ---- 10. bot knowledge -----------------------------------------------------

/// A bot's standard question (标准问). List and page answers fill different fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardQuestion {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub sq_is_delete: Option<bool>,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    /// 0 trained, 1 not trained.
    #[serde(default)]
    pub status: Option<i64>,
    #[serde(default)]
    pub corpus_count: Option<i64>,
    /// -1: no category.
    #[serde(default)]
    pub category_id: Option<i64>,
}

/// `GET /kb/page_standard_question`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardQuestionPage {
    #[serde(default)]
    pub request_id: Option<String>,
    pub page_number: i64,
    pub page_size: i64,
    pub total_count: i64,
    pub standard_questions: Vec<StandardQuestion>,
}

/// `GET /kb/list_standard_question`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardQuestionList {
    #[serde(default)]
    pub request_id: Option<String>,
    pub standard_questions: Vec<StandardQuestion>,
}

/// Body of `POST /kb/create_standard_question` and `/kb/update_standard_question` (with `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardQuestionInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub bot_id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<i64>,
}

/// Answer of create/update standard question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardQuestionSaved {
    #[serde(default)]
    pub request_id: Option<String>,
    pub standard_question: StandardQuestion,
}

/// Body of the bot's batch deletes (`ids` + `botId`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotIdsRequest {
    pub ids: Vec<i64>,
    pub bot_id: String,
}

/// Body of `POST /kb/delete_category` (`id` + `botId`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotIdRequest {
    pub id: i64,
    pub bot_id: String,
}

/// `{"requestId": "…", "result": "OK"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultText {
    #[serde(default)]
    pub request_id: Option<String>,
    pub result: String,
}

/// A linked question of a bot answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedQuestionRef {
    pub related_question_id: i64,
    pub related_question_title: String,
}

/// A bot answer (答案).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotAnswer {
    pub id: i64,
    #[serde(default)]
    pub sq_id: Option<i64>,
    pub answer: String,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub end_time: Option<String>,
    #[serde(default)]
    pub period_type: Option<i64>,
    #[serde(default)]
    pub related_question_list: Option<Vec<RelatedQuestionRef>>,
}

/// `GET /kb/list_answer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotAnswerList {
    #[serde(default)]
    pub request_id: Option<String>,
    pub answers: Vec<BotAnswer>,
}

/// Body of `POST /kb/create_answer` and `/kb/update_answer` (with `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotAnswerInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub bot_id: String,
    pub answer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    pub sq_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_sq_id_list: Option<Vec<Loose>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_type: Option<i64>,
}

/// Answer of `POST /kb/create_answer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BotAnswerSaved {
    #[serde(default)]
    pub request_id: Option<String>,
    pub answer: BotAnswer,
}

/// A training phrase (语料).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Corpus {
    pub id: i64,
    pub sq_id: i64,
    pub corpus_name: String,
    #[serde(default)]
    pub create_time: Option<String>,
    #[serde(default)]
    pub update_time: Option<String>,
    #[serde(default)]
    pub status: Option<i64>,
}

/// `GET /kb/list_corpus`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CorpusList {
    #[serde(default)]
    pub request_id: Option<String>,
    pub corpora: Vec<Corpus>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CorpusName {
    pub corpus_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CorpusRecord {
    pub sq_id: i64,
    pub corpus_list: Vec<CorpusName>,
}

/// `POST /kb/create_corpus` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCorpusRequest {
    pub bot_id: String,
    pub records: Vec<CorpusRecord>,
}

/// `POST /kb/update_corpus` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCorpusRequest {
    pub bot_id: String,
    pub sq_id: Loose,
    pub source_corpus_name: String,
    pub target_corpus_name: String,
}

/// `POST /kb/delete_corpus` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCorpusRequest {
    pub bot_id: String,
    pub sq_id: Loose,
    pub corpus_names: Vec<String>,
}

/// Body of `POST /kb/create_category` (with `parentId`) and `/kb/update_category` (with `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub bot_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<i64>,
    pub name: String,
}

/// A bot knowledge category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub id: i64,
    pub level: i64,
    pub name: String,
    pub parent_id: i64,
    pub path: Vec<i64>,
}

/// Answer of create/update category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategorySaved {
    #[serde(default)]
    pub request_id: Option<String>,
    pub category: Category,
}

// ---- 11. file library ------------------------------------------------------

/// `POST /kb/files_list` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilesListRequest {
    pub kb_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// A file in the file library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRecord {
    pub id: Loose,
    /// Seconds since the epoch in the doc's example.
    #[serde(default)]
    pub create_time: Option<i64>,
    #[serde(default)]
    pub update_time: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub file_size: Option<Loose>,
    #[serde(default)]
    pub file_type: Option<String>,
    #[serde(default)]
    pub file_path: Option<String>,
    #[serde(default)]
    pub content: Option<Value>,
    #[serde(default)]
    pub content_list: Option<Value>,
    #[serde(default)]
    pub directory_id: Option<i64>,
    #[serde(default)]
    pub kb_id: Option<i64>,
    #[serde(default)]
    pub kb_type: Option<i64>,
    #[serde(default)]
    pub create_user: Option<String>,
    #[serde(default)]
    pub update_user: Option<String>,
    #[serde(default)]
    pub account_login_name: Option<String>,
    #[serde(default)]
    pub top_status: Option<i64>,
    #[serde(default)]
    pub like_count: Option<i64>,
    #[serde(default)]
    pub dislike_count: Option<i64>,
    #[serde(default)]
    pub status: Option<Loose>,
    #[serde(default)]
    pub heat: Option<i64>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /kb/files_list` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilePage {
    pub page_number: i64,
    pub page_size: i64,
    pub data: Vec<FileRecord>,
    pub total_count: i64,
    #[serde(default)]
    pub total_page_count: Option<i64>,
    #[serde(default)]
    pub request_id: Option<String>,
}

/// The form fields of `POST /kb/files` (a multipart upload; `file` is the file part).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileUploadFields {
    pub kb_id: i64,
    pub enterprise_id: String,
    pub directory_id: i64,
    pub file: String,
}

/// The form fields of `POST /kb/files_update` (a multipart upload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileUpdateFields {
    pub id: i64,
    pub file_path: String,
    #[serde(default)]
    pub description: Option<String>,
    pub file: String,
}

/// `POST /kb/files_delete` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilesDeleteRequest {
    pub ids: Vec<String>,
    pub file_paths: Vec<String>,
}

/// `POST /kb/files_attachment` body (the answer is the file itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileAttachmentRequest {
    pub file_path: String,
    pub file_name: String,
}

/// Splits highlighted text into plain and highlighted runs. Only `<em>` and
/// `</em>` are markup; everything else is text, to be escaped when shown.
pub fn highlight_runs(text: &str) -> Vec<(bool, &str)> {
    let mut runs = Vec::new();
    let mut rest = text;
    let mut inside = false;
    while !rest.is_empty() {
        let tag = if inside { "</em>" } else { "<em>" };
        match rest.find(tag) {
            Some(i) => {
                if i > 0 {
                    runs.push((inside, &rest[..i]));
                }
                rest = &rest[i + tag.len()..];
                inside = !inside;
            }
            None => {
                runs.push((inside, rest));
                break;
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    #[test]
    fn loose_values_read_as_untagged_did() {
        assert_eq!(serde_json::from_str::<Loose>("42").unwrap(), Loose::Number(42));
        assert_eq!(serde_json::from_str::<Loose>("-7").unwrap(), Loose::Number(-7));
        assert_eq!(serde_json::from_str::<Loose>(r#""F-1""#).unwrap(), Loose::Text("F-1".into()));
        for bad in ["1.5", "18446744073709551615", "null", "[]", "{}"] {
            assert!(serde_json::from_str::<Loose>(bad).is_err(), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn highlight_runs_split_only_on_em() {
        assert_eq!(
            highlight_runs("<em>呼叫</em><em>中心</em> (2).docx"),
            vec![(true, "呼叫"), (true, "中心"), (false, " (2).docx")]
        );
        assert_eq!(
            highlight_runs("<img src=x onerror=alert(1)><em>a"),
            vec![(false, "<img src=x onerror=alert(1)>"), (true, "a")]
        );
        assert!(highlight_runs("").is_empty());
    }

    #[test]
    fn validation_names_fields() {
        let mut s = SearchRequest {
            user_id: None,
            keyword: "工资".into(),
            order_field: None,
            knowledge_type: None,
            repository_ids: None,
            directory_ids: None,
            offset: 0,
            limit: 10,
        };
        assert!(s.validate().is_ok());
        s.limit = 0;
        assert_eq!(s.validate().unwrap_err().field, "limit");
        s.limit = 10;
        s.knowledge_type = Some("X".into());
        assert_eq!(s.validate().unwrap_err().field, "knowledgeType");
    }
}
