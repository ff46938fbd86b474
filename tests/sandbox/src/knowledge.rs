//! The sandbox's small Chinese knowledge base (`data/knowledge.json`):
//! repositories, directories, FAQs and documents, with search that highlights
//! matches in `<em>` and a Q&A bot that answers from the best FAQ.

use serde::Deserialize;
use shared::wire::clink::kb;

pub const KNOWLEDGE_JSON: &str = include_str!("../data/knowledge.json");

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Repo {
    pub id: i64,
    pub name: String,
    pub owner: Option<String>,
    pub public: bool,
    #[serde(default)]
    pub bot: bool,
    pub create_user: String,
    pub create_time: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dir {
    pub id: i64,
    pub repository_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaqDoc {
    pub id: i64,
    pub repository_id: i64,
    pub directory_id: i64,
    pub question: String,
    #[serde(default)]
    pub similars: Vec<String>,
    pub answers: Vec<String>,
    /// Files the answer shows (images, forms), by their object key.
    #[serde(default)]
    pub attachments: Vec<kb::Attachment>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDoc {
    pub id: i64,
    pub repository_id: i64,
    pub directory_id: i64,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub object_key: String,
    pub content: String,
    /// An uploaded file's own bytes (the seed's files are their `content`).
    #[serde(skip)]
    pub bytes: Option<Vec<u8>>,
    #[serde(default)]
    pub description: Option<String>,
    /// Seconds since the epoch, as the file library lists them.
    #[serde(default)]
    pub created_s: Option<i64>,
    #[serde(default)]
    pub updated_s: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Knowledge {
    pub repositories: Vec<Repo>,
    pub directories: Vec<Dir>,
    pub faqs: Vec<FaqDoc>,
    pub files: Vec<FileDoc>,
}

impl Knowledge {
    pub fn load() -> Self {
        serde_json::from_str(KNOWLEDGE_JSON).expect("data/knowledge.json is valid (checked by the sandbox's tests)")
    }

    /// A new id for an FAQ or a file (they share one sequence, as articles).
    pub fn next_id(&self) -> i64 {
        self.faqs.iter().map(|f| f.id).chain(self.files.iter().map(|f| f.id)).max().unwrap_or(0) + 1
    }

    pub fn repository(&self, r: &Repo) -> kb::Repository {
        kb::Repository {
            id: r.id,
            name: r.name.clone(),
            owner: r.owner.clone(),
            create_time: Some(r.create_time.clone()),
            update_time: Some(r.create_time.clone()),
            create_user: Some(r.create_user.clone()),
            update_user: Some(r.create_user.clone()),
        }
    }

    /// The directory tree of a repository.
    pub fn directory_tree(&self, repository_id: i64, parent: Option<i64>) -> Vec<kb::Directory> {
        self.directories
            .iter()
            .filter(|d| d.repository_id == repository_id && d.parent_id == parent)
            .map(|d| {
                let children = self.directory_tree(repository_id, Some(d.id));
                kb::Directory {
                    id: d.id,
                    name: d.name.clone(),
                    repository_id: d.repository_id,
                    kind: Some(kb::Loose::Text(d.kind.clone())),
                    create_time: Some("2025/03/12 09:41:26".into()),
                    update_time: None,
                    create_user: Some("zhangmin".into()),
                    update_user: Some("zhangmin".into()),
                    sub_directories: if children.is_empty() { None } else { Some(children) },
                }
            })
            .collect()
    }

    pub fn faq(&self, f: &FaqDoc) -> kb::Faq {
        kb::Faq {
            repository_id: f.repository_id,
            directory_id: Some(f.directory_id),
            id: f.id,
            question: f.question.clone(),
            create_time: Some("2025/03/12 09:41:26".into()),
            update_time: Some("2025/10/08 16:20:05".into()),
            create_user: Some("zhangmin".into()),
            update_user: Some("zhangmin".into()),
            online_date_from: None,
            online_date_to: None,
            answers: f
                .answers
                .iter()
                .map(|a| kb::FaqAnswer { content: a.clone(), kind: Some(kb::Loose::Text("text".into())), online_date_from: None, online_date_to: None })
                .collect(),
            similars: f.similars.iter().map(|q| kb::Similar { question: q.clone() }).collect(),
        }
    }

    /// FAQs as Q&A articles (kbType 0) and documents as document articles (kbType 1).
    /// `/kb/create_article`: the doc's rules on the body (`ArticleInput::validate`,
    /// the required fields of section 5.1, a title unique in its library, a
    /// directory of that library), then the article joins the Q&A library
    /// (as an FAQ) or the document library (as a file), so that search finds it.
    pub fn create_article(&mut self, input: kb::ArticleInput) -> Result<kb::ArticleInput, (&'static str, String)> {
        input.validate().map_err(|e| ("InvalidParameter", e.to_string()))?;
        let title = input.title.clone().ok_or(("MissingParameter", "请求缺少必需参数: title".to_owned()))?;
        if input.agent_enabled.is_none() {
            return Err(("MissingParameter", "请求缺少必需参数: agentEnabled".into()));
        }
        if !self.directories.iter().any(|d| d.id == input.directory_id && d.repository_id == input.kb_id) {
            return Err(("ResourceNotFound", format!("知识库 {} 下没有目录 {}", input.kb_id, input.directory_id)));
        }
        let id = self.next_id();
        match input.kb_type {
            0 => {
                let answers: Vec<String> = input.answers.iter().flatten().map(|a| a.answer.clone()).collect();
                if answers.is_empty() {
                    return Err(("InvalidParameter", "answers: 问答库答案集合不能为空".into()));
                }
                if self.faqs.iter().any(|f| f.repository_id == input.kb_id && f.question == title) {
                    return Err(("InvalidParameter", "title: 标题不能重复".into()));
                }
                let similars = input.similars.clone().unwrap_or_default();
                self.faqs.push(FaqDoc { id, repository_id: input.kb_id, directory_id: input.directory_id, question: title, similars, answers, attachments: vec![] });
            }
            1 => {
                let content = input.content.clone().filter(|c| !c.trim().is_empty()).ok_or(("InvalidParameter", "content: 文档库答案不能为空".to_owned()))?;
                if self.files.iter().any(|f| f.repository_id == input.kb_id && f.name == title) {
                    return Err(("InvalidParameter", "title: 标题不能重复".into()));
                }
                let object_key = format!("kb/articles/{id}.txt");
                self.files.push(FileDoc { id, repository_id: input.kb_id, directory_id: input.directory_id, name: title, kind: "txt".into(), object_key, content, bytes: None, description: None, created_s: None, updated_s: None });
            }
            other => return Err(("InvalidParameter", format!("kbType: 应为 0 或 1,实际为 {other}"))),
        }
        Ok(kb::ArticleInput { id: Some(id), ..input })
    }

    /// `/kb/update_article`: the fields given replace the article's own.
    pub fn update_article(&mut self, input: kb::ArticleInput) -> Result<kb::ArticleInput, (&'static str, String)> {
        input.validate().map_err(|e| ("InvalidParameter", e.to_string()))?;
        let id = input.id.ok_or(("MissingParameter", "请求缺少必需参数: id".to_owned()))?;
        if input.kb_type == 0 {
            let faq = self.faqs.iter_mut().find(|f| f.id == id).ok_or(("ResourceNotFound", format!("文章 {id} 不存在")))?;
            if let Some(t) = &input.title {
                faq.question = t.clone();
            }
            if let Some(s) = &input.similars {
                faq.similars = s.clone();
            }
            if let Some(a) = &input.answers {
                faq.answers = a.iter().map(|a| a.answer.clone()).collect();
            }
            faq.directory_id = input.directory_id;
        } else {
            let file = self.files.iter_mut().find(|f| f.id == id).ok_or(("ResourceNotFound", format!("文章 {id} 不存在")))?;
            if let Some(t) = &input.title {
                file.name = t.clone();
            }
            if let Some(c) = &input.content {
                file.content = c.clone();
            }
            file.directory_id = input.directory_id;
        }
        Ok(input)
    }

    /// `/kb/delete_article`: answers the article as it was.
    pub fn delete_article(&mut self, id: i64) -> Result<kb::ArticleInput, (&'static str, String)> {
        let base = |kb_id, kb_type, directory_id, title: String| kb::ArticleInput {
            id: Some(id),
            kb_id,
            kb_type,
            directory_id,
            title: Some(title),
            similars: None,
            content: None,
            agent_enabled: Some(1),
            top_status: Some(0),
            bot_id: None,
            related_questions: None,
            answers: None,
        };
        if let Some(i) = self.faqs.iter().position(|f| f.id == id) {
            let f = self.faqs.remove(i);
            let answers = f.answers.iter().map(|a| kb::ArticleAnswer { answer: a.clone(), recommend_question: None, start_time: None, end_time: None, transfer: None, related_questions: None }).collect();
            return Ok(kb::ArticleInput { similars: Some(f.similars.clone()), answers: Some(answers), ..base(f.repository_id, 0, f.directory_id, f.question) });
        }
        if let Some(i) = self.files.iter().position(|f| f.id == id) {
            let f = self.files.remove(i);
            return Ok(kb::ArticleInput { content: Some(f.content.clone()), ..base(f.repository_id, 1, f.directory_id, f.name) });
        }
        Err(("ResourceNotFound", format!("文章 {id} 不存在")))
    }

    pub fn articles(&self) -> Vec<kb::Article> {
        let faqs = self.faqs.iter().map(|f| article(f.id.to_string(), &f.question, None, f.directory_id, 0, f.repository_id, Some(&f.answers)));
        let files = self.files.iter().map(|f| article(f.id.to_string(), &f.name, Some(&f.content), f.directory_id, 1, f.repository_id, None));
        faqs.chain(files).collect()
    }

    /// Search hits, best first, with matches wrapped in `<em>`.
    pub fn search(&self, keyword: &str, knowledge_type: Option<&str>, repository_ids: Option<&[i64]>) -> Vec<kb::SearchHit> {
        let terms = terms(keyword);
        if terms.is_empty() {
            return vec![];
        }
        let in_repo = |id: i64| repository_ids.is_none_or(|ids| ids.contains(&id));
        let mut hits: Vec<(usize, kb::SearchHit)> = vec![];
        if knowledge_type != Some("FILE") {
            for f in self.faqs.iter().filter(|f| in_repo(f.repository_id)) {
                let text = format!("{} {} {}", f.question, f.similars.join(" "), f.answers.join(" "));
                let score = score(&text, &terms) + 3 * score(&f.question, &terms);
                if score == 0 {
                    continue;
                }
                hits.push((score, kb::SearchHit {
                    id: kb::Loose::Text(f.id.to_string()),
                    question: Some(highlight(&f.question, &terms)),
                    name: None,
                    repository_id: Some(f.repository_id),
                    directory_id: Some(f.directory_id),
                    update_time: Some("2025/10/08 16:20:05".into()),
                    like_count: Some((f.id % 17) as i64),
                    dislike_count: Some(0),
                    liked: Some(false),
                    search_count: Some((f.id % 97) as i64 + 1),
                    answers: Some(
                        f.answers
                            .iter()
                            .map(|a| kb::HitAnswer { faq_id: Some(f.id), content: highlight(a, &terms), kind: Some("text".into()) })
                            .collect(),
                    ),
                    content: None,
                    introduction: Some(String::new()),
                    directory_names: Some(self.directory_path(f.directory_id)),
                    object_key: None,
                    kind: None,
                    similar_list: Some(f.similars.clone()),
                    knowledge_type: Some("FAQ".into()),
                    attachments: Some(f.attachments.clone()),
                }));
            }
        }
        if knowledge_type != Some("FAQ") {
            for f in self.files.iter().filter(|f| in_repo(f.repository_id)) {
                let score = score(&f.content, &terms).min(6) + 3 * score(&f.name, &terms);
                if score == 0 {
                    continue;
                }
                hits.push((score, kb::SearchHit {
                    id: kb::Loose::Text(f.id.to_string()),
                    question: None,
                    name: Some(highlight(&f.name, &terms)),
                    repository_id: Some(f.repository_id),
                    directory_id: Some(f.directory_id),
                    update_time: Some("2025/05/29 11:19:31".into()),
                    like_count: None,
                    dislike_count: None,
                    liked: None,
                    search_count: Some(1),
                    answers: None,
                    content: Some(highlight(&snippet(&f.content, &terms), &terms)),
                    introduction: Some(String::new()),
                    directory_names: None,
                    object_key: Some(f.object_key.clone()),
                    kind: Some(f.kind.clone()),
                    similar_list: Some(vec![]),
                    knowledge_type: Some("FILE".into()),
                    attachments: Some(vec![kb::Attachment { file_key: f.object_key.clone(), file_name: highlight(&f.name, &terms) }]),
                }));
            }
        }
        hits.sort_by(|a, b| b.0.cmp(&a.0));
        hits.into_iter().map(|(_, h)| h).collect()
    }

    fn directory_path(&self, id: i64) -> Vec<String> {
        let mut path = vec![];
        let mut current = self.directories.iter().find(|d| d.id == id);
        while let Some(d) = current {
            path.insert(0, d.name.clone());
            current = d.parent_id.and_then(|p| self.directories.iter().find(|x| x.id == p));
        }
        path
    }

    /// The FAQ that best answers a question, if any matches well enough.
    pub fn best_faq(&self, question: &str) -> Option<&FaqDoc> {
        let terms = terms(question);
        self.faqs
            .iter()
            .map(|f| (score(&format!("{} {}", f.question, f.similars.join(" ")), &terms), f))
            .filter(|(s, _)| *s >= 2)
            .max_by_key(|(s, f)| (*s, -f.id))
            .map(|(_, f)| f)
    }
}

fn article(id: String, title: &str, content: Option<&str>, directory_id: i64, kb_type: i64, kb_id: i64, answers: Option<&Vec<String>>) -> kb::Article {
    // Readers' likes and dislikes, made up from the id (as for FAQs).
    let n = id.parse::<i64>().unwrap_or(0);
    kb::Article {
        id: kb::Loose::Text(id),
        enterprise_id: Some("8000376".into()),
        title: title.to_owned(),
        similars: None,
        content: content.map(str::to_owned),
        phone_content: None,
        online_content: None,
        wechat_content: None,
        app_content: None,
        web_content: None,
        directory_id: Some(directory_id),
        kb_type: Some(kb_type),
        kb_id: Some(kb_id),
        valid_date_from: None,
        valid_date_to: None,
        create_time: Some(1_741_744_886_000),
        update_time: None,
        create_user: Some("zhangmin".into()),
        update_user: None,
        account_login_name: Some("zhangmin".into()),
        path: None,
        like_count: Some(n % 17),
        dislike_count: Some(n % 5),
        status: None,
        answers: answers.map(|a| {
            a.iter()
                .map(|text| kb::ArticleAnswer {
                    answer: text.clone(),
                    recommend_question: Some(vec![]),
                    start_time: None,
                    end_time: None,
                    transfer: Some(0),
                    related_questions: None,
                })
                .collect()
        }),
        bot_id: None,
        bot_tag: None,
        bot_action: None,
        related_questions: None,
    }
}

/// Search terms: words split on spaces and punctuation; runs of Chinese are
/// cut into two-character pieces ("呼叫中心" → 呼叫, 中心), as the doc's
/// example highlights them.
pub fn terms(keyword: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for word in keyword.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation()) || "，。？！、；：".contains(c)) {
        if word.is_empty() {
            continue;
        }
        if word.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(word.to_lowercase());
        } else {
            let chars: Vec<char> = word.chars().collect();
            if chars.len() <= 2 {
                out.push(word.to_owned());
            } else {
                for pair in chars.chunks(2) {
                    if pair.len() == 2 {
                        out.push(pair.iter().collect());
                    } else {
                        out.push(chars[chars.len() - 2..].iter().collect());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn score(text: &str, terms: &[String]) -> usize {
    let lower = text.to_lowercase();
    terms.iter().map(|t| lower.matches(t.as_str()).count()).sum()
}

/// Wraps every occurrence of any term in `<em>…</em>`.
pub fn highlight(text: &str, terms: &[String]) -> String {
    let lower = text.to_lowercase();
    let mut marks = vec![false; text.len()];
    for t in terms {
        for (i, _) in lower.match_indices(t.as_str()) {
            // to_lowercase keeps byte offsets for the ASCII and CJK text used here.
            if i + t.len() <= text.len() && text.is_char_boundary(i) && text.is_char_boundary(i + t.len()) {
                marks[i..i + t.len()].iter_mut().for_each(|m| *m = true);
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut inside = false;
    for (i, c) in text.char_indices() {
        if marks[i] && !inside {
            out.push_str("<em>");
            inside = true;
        } else if !marks[i] && inside {
            out.push_str("</em>");
            inside = false;
        }
        out.push(c);
    }
    if inside {
        out.push_str("</em>");
    }
    out
}

/// About 120 characters around the first match.
fn snippet(content: &str, terms: &[String]) -> String {
    let chars: Vec<char> = content.chars().collect();
    let first = terms.iter().filter_map(|t| content.find(t.as_str())).min().unwrap_or(0);
    let start_char = content[..first].chars().count().saturating_sub(30);
    chars[start_char..(start_char + 120).min(chars.len())].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_and_highlights() {
        assert_eq!(terms("呼叫中心"), vec!["中心", "呼叫"]);
        assert_eq!(highlight("呼叫中心 (2).docx", &terms("呼叫中心")), "<em>呼叫中心</em> (2).docx");
        assert_eq!(terms("拖欠 工资"), vec!["工资", "拖欠"]);
    }

    #[test]
    fn data_set_loads_and_searches() {
        let k = Knowledge::load();
        assert!(k.faqs.len() >= 25 && k.files.len() >= 8);
        let hits = k.search("拖欠工资", None, None);
        assert!(!hits.is_empty());
        let title = hits[0].question.clone().or(hits[0].name.clone()).unwrap_or_default();
        assert!(title.contains("<em>"), "{:?}", hits[0]);
        assert!(k.best_faq("公司拖欠工资怎么办").is_some());
        assert!(k.best_faq("今天天气").is_none());
    }
}
