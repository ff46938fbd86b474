//! What the knowledge screens compute before they render: pages of a list
//! (Clink pages by `offset`/`limit` and answers a `totalCount`), a
//! repository's directory tree as choices, an admin's article form as the
//! body Clink is sent, and file sizes in words.

use crate::wire::clink::kb::{ArticleAnswer, ArticleInput, Directory};
use crate::FieldError;

/// Where a paged list stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pager {
    pub offset: i64,
    pub limit: i64,
    pub total: i64,
}

impl Pager {
    pub fn first(limit: i64) -> Self {
        Self { offset: 0, limit: limit.max(1), total: 0 }
    }

    /// 1-based page number.
    pub fn page(&self) -> i64 {
        self.offset / self.limit.max(1) + 1
    }

    /// At least one page, so an empty list reads "page 1 of 1".
    pub fn pages(&self) -> i64 {
        ((self.total + self.limit.max(1) - 1) / self.limit.max(1)).max(1)
    }

    pub fn has_prev(&self) -> bool {
        self.offset > 0
    }

    pub fn has_next(&self) -> bool {
        self.offset + self.limit < self.total
    }

    pub fn prev(&self) -> Self {
        Self { offset: (self.offset - self.limit).max(0), ..*self }
    }

    pub fn next(&self) -> Self {
        Self { offset: self.offset + self.limit, ..*self }
    }

    /// The same place with the total an answer gave.
    pub fn with_total(&self, total: i64) -> Self {
        Self { total: total.max(0), ..*self }
    }
}

/// One directory as a choice: its id, its path ("工资报酬 / 农民工工资") and
/// its knowledge type as Clink wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryChoice {
    pub id: i64,
    pub path: String,
    pub kind: String,
}

/// The tree, depth first, each with its whole path.
pub fn directory_choices(tree: &[Directory]) -> Vec<DirectoryChoice> {
    fn walk(dirs: &[Directory], prefix: &str, out: &mut Vec<DirectoryChoice>) {
        for d in dirs {
            let path = if prefix.is_empty() { d.name.clone() } else { format!("{prefix} / {}", d.name) };
            out.push(DirectoryChoice { id: d.id, path: path.clone(), kind: d.kind.as_ref().map(|k| k.to_string()).unwrap_or_default() });
            walk(d.sub_directories.as_deref().unwrap_or_default(), &path, out);
        }
    }
    let mut out = vec![];
    walk(tree, "", &mut out);
    out
}

/// What an admin typed into the article form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleForm {
    /// Set when editing.
    pub id: Option<i64>,
    pub kb_id: i64,
    /// 0 Q&A library, 1 document library.
    pub kb_type: i64,
    pub directory_id: Option<i64>,
    pub title: String,
    /// Q&A: up to three answers; blank ones are left out.
    pub answers: Vec<String>,
    /// Q&A: one similar question per line.
    pub similars: String,
    /// Documents: the text.
    pub content: String,
    pub agent_enabled: bool,
}

impl ArticleForm {
    /// The body for `/kb/create_article` (or `/kb/update_article` with an
    /// id), checked by the same rules the edge applies, plus what a Q&A or a
    /// document cannot do without.
    pub fn to_input(&self) -> Result<ArticleInput, FieldError> {
        let directory_id = self.directory_id.ok_or_else(|| FieldError::new("directoryId", "is required: choose a directory"))?;
        let title = self.title.trim().to_owned();
        let qa = self.kb_type == 0;
        let answers: Vec<ArticleAnswer> = self
            .answers
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
            .map(|a| ArticleAnswer { answer: a.to_owned(), recommend_question: None, start_time: None, end_time: None, transfer: None, related_questions: None })
            .collect();
        if qa && answers.is_empty() {
            return Err(FieldError::new("answers", "a Q&A article needs at least one answer"));
        }
        let content = self.content.trim();
        if !qa && content.is_empty() {
            return Err(FieldError::new("content", "a document needs its text"));
        }
        let similars: Vec<String> = self.similars.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let input = ArticleInput {
            id: self.id,
            kb_id: self.kb_id,
            kb_type: self.kb_type,
            directory_id,
            title: Some(title),
            // None when none are typed: Clink may answer an article's
            // similars as null, and an edit must not erase them for that.
            similars: Some(similars).filter(|s| qa && !s.is_empty()),
            content: (!qa).then(|| content.to_owned()),
            agent_enabled: Some(i64::from(self.agent_enabled)),
            top_status: None,
            bot_id: None,
            related_questions: None,
            answers: qa.then_some(answers),
        };
        input.validate()?;
        Ok(input)
    }
}

/// "2.4 MB", "812 B": a file's size for people.
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::clink::kb::Loose;

    #[test]
    fn pages_follow_offset_limit_and_total() {
        let p = Pager::first(10).with_total(25);
        assert_eq!((p.page(), p.pages(), p.has_prev(), p.has_next()), (1, 3, false, true));
        let last = p.next().next();
        assert_eq!((last.offset, last.page(), last.has_next()), (20, 3, false));
        assert_eq!(last.prev().offset, 10);
        assert_eq!(Pager::first(10).prev().offset, 0);
        assert_eq!(Pager::first(10).pages(), 1, "an empty list is one page");
        assert_eq!(Pager::first(10).with_total(20).pages(), 2);
    }

    fn dir(id: i64, name: &str, subs: Option<Vec<Directory>>) -> Directory {
        Directory { id, name: name.into(), repository_id: 1, kind: Some(Loose::Text("FAQ".into())), create_time: None, update_time: None, create_user: None, update_user: None, sub_directories: subs }
    }

    #[test]
    fn directories_become_paths_depth_first() {
        let tree = vec![dir(1, "工资报酬", Some(vec![dir(2, "农民工工资", None)])), dir(3, "仲裁", Some(vec![]))];
        let paths: Vec<(i64, String)> = directory_choices(&tree).into_iter().map(|c| (c.id, c.path)).collect();
        assert_eq!(paths, vec![(1, "工资报酬".into()), (2, "工资报酬 / 农民工工资".into()), (3, "仲裁".into())]);
        assert_eq!(directory_choices(&tree)[0].kind, "FAQ");
    }

    fn qa() -> ArticleForm {
        ArticleForm { kb_id: 102301, kb_type: 0, directory_id: Some(155201), title: " 工资怎么算 ".into(), answers: vec!["按月结算".into(), "  ".into()], similars: "工资如何计算\n\n 月薪怎么算 ".into(), agent_enabled: true, ..Default::default() }
    }

    #[test]
    fn a_qa_form_becomes_the_documented_body() {
        let input = qa().to_input().unwrap();
        assert_eq!(input.title.as_deref(), Some("工资怎么算"));
        assert_eq!(input.answers.as_ref().map(|a| a.iter().map(|a| a.answer.as_str()).collect::<Vec<_>>()), Some(vec!["按月结算"]));
        assert_eq!(input.similars, Some(vec!["工资如何计算".to_owned(), "月薪怎么算".to_owned()]));
        assert_eq!((input.content.as_deref(), input.agent_enabled, input.id), (None, Some(1), None));
        let json = serde_json::to_value(&input).unwrap();
        assert_eq!((json["kbId"].as_i64(), json["kbType"].as_i64(), json["directoryId"].as_i64()), (Some(102301), Some(0), Some(155201)));
    }

    #[test]
    fn a_form_breaking_a_rule_names_the_field() {
        let field = |f: ArticleForm| f.to_input().unwrap_err().field;
        assert_eq!(ArticleForm { similars: " \n".into(), ..qa() }.to_input().unwrap().similars, None, "no similars typed: none sent");
        assert_eq!(field(ArticleForm { directory_id: None, ..qa() }), "directoryId");
        assert_eq!(field(ArticleForm { answers: vec![" ".into()], ..qa() }), "answers");
        assert_eq!(field(ArticleForm { title: "题".repeat(51), ..qa() }), "title");
        assert_eq!(field(ArticleForm { answers: vec!["a".into(); 4], ..qa() }), "answers");
        assert_eq!(field(ArticleForm { similars: "长".repeat(101), ..qa() }), "similars[0]");
        let doc = ArticleForm { kb_type: 1, title: "题".repeat(250), content: "正文".into(), ..qa() };
        assert!(doc.to_input().is_ok(), "document titles may be 250 characters");
        assert_eq!(field(ArticleForm { content: " ".into(), ..doc }), "content");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(file_size(812), "812 B");
        assert_eq!(file_size(2048), "2.0 KB");
        assert_eq!(file_size(10 * 1024 * 1024), "10.0 MB");
    }
}
