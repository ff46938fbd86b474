//! The board's own pages and their paths: `/` (the board), `/attention`,
//! `/insights`, `/dead-letters`, `/audit`, `/knowledge`, `/cases/{caseId}` and
//! `/cases/{caseId}/calls/{jobId}`, each also under `/embed` when the
//! board runs inside a portal's iframe. The app navigates with these; the
//! edge serves the app for any of them.

use crate::wire::url::{decode_component, encode_component};

/// One of the board's pages, with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Board,
    /// The attention queue (待处理) and its rules.
    Attention,
    /// QA insights (质检分析).
    Insights,
    /// Dead letters (死信, admins): the note agent's records the edge could not read.
    DeadLetters,
    /// The whole audit trail (操作记录, supervisors and admins).
    Audit,
    /// Knowledge-base administration (知识库管理, admins).
    KnowledgeAdmin,
    Case { case_id: String },
    Call { case_id: String, job_id: String },
    NotFound,
}

/// Which page, without its parameters: what decides the screen to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Board,
    Attention,
    Insights,
    DeadLetters,
    Audit,
    KnowledgeAdmin,
    Case,
    Call,
    NotFound,
}

impl Page {
    /// Reads a path (`location.pathname`); a trailing slash is ignored and
    /// segments are percent-decoded.
    pub fn parse(path: &str) -> Page {
        let path = path
            .strip_prefix("/embed")
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .unwrap_or(path);
        let mut parts = path.split('/').filter(|s| !s.is_empty());
        let decoded = |s: &str| decode_component(s).filter(|d| !d.is_empty());
        match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (None, ..) => Page::Board,
            (Some("attention"), None, ..) => Page::Attention,
            (Some("insights"), None, ..) => Page::Insights,
            (Some("dead-letters"), None, ..) => Page::DeadLetters,
            (Some("audit"), None, ..) => Page::Audit,
            (Some("knowledge"), None, ..) => Page::KnowledgeAdmin,
            (Some("cases"), Some(case), None, ..) => match decoded(case) {
                Some(case_id) => Page::Case { case_id },
                None => Page::NotFound,
            },
            (Some("cases"), Some(case), Some("calls"), Some(job), None) => {
                match (decoded(case), decoded(job)) {
                    (Some(case_id), Some(job_id)) => Page::Call { case_id, job_id },
                    _ => Page::NotFound,
                }
            }
            _ => Page::NotFound,
        }
    }

    pub fn screen(&self) -> Screen {
        match self {
            Page::Board => Screen::Board,
            Page::Attention => Screen::Attention,
            Page::Insights => Screen::Insights,
            Page::DeadLetters => Screen::DeadLetters,
            Page::Audit => Screen::Audit,
            Page::KnowledgeAdmin => Screen::KnowledgeAdmin,
            Page::Case { .. } => Screen::Case,
            Page::Call { .. } => Screen::Call,
            Page::NotFound => Screen::NotFound,
        }
    }

    /// The case the page is about, if any.
    pub fn case_id(&self) -> Option<&str> {
        match self {
            Page::Case { case_id } | Page::Call { case_id, .. } => Some(case_id),
            _ => None,
        }
    }

    pub fn job_id(&self) -> Option<&str> {
        match self {
            Page::Call { job_id, .. } => Some(job_id),
            _ => None,
        }
    }

    /// The page's path; `embedded` keeps it under `/embed`. (The not-found
    /// page has no path of its own: it links to the board.)
    pub fn href(&self, embedded: bool) -> String {
        let prefix = if embedded { "/embed" } else { "" };
        match self {
            Page::Board | Page::NotFound => {
                if embedded {
                    "/embed".into()
                } else {
                    "/".into()
                }
            }
            Page::Attention => format!("{prefix}/attention"),
            Page::Insights => format!("{prefix}/insights"),
            Page::DeadLetters => format!("{prefix}/dead-letters"),
            Page::Audit => format!("{prefix}/audit"),
            Page::KnowledgeAdmin => format!("{prefix}/knowledge"),
            Page::Case { case_id } => format!("{prefix}/cases/{}", encode_component(case_id)),
            Page::Call { case_id, job_id } => format!(
                "{prefix}/cases/{}/calls/{}",
                encode_component(case_id),
                encode_component(job_id)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str) -> Page {
        Page::Case { case_id: id.into() }
    }

    #[test]
    fn reads_every_page_standalone_and_embedded() {
        assert_eq!(Page::parse("/"), Page::Board);
        assert_eq!(Page::parse(""), Page::Board);
        assert_eq!(Page::parse("/embed"), Page::Board);
        assert_eq!(Page::parse("/embed/"), Page::Board);
        assert_eq!(Page::parse("/cases/C-1"), case("C-1"));
        assert_eq!(Page::parse("/cases/C-1/"), case("C-1"));
        assert_eq!(Page::parse("/embed/cases/C-1"), case("C-1"));
        assert_eq!(Page::parse("/attention"), Page::Attention);
        assert_eq!(Page::parse("/embed/attention/"), Page::Attention);
        assert_eq!(Page::parse("/insights"), Page::Insights);
        assert_eq!(Page::parse("/embed/dead-letters"), Page::DeadLetters);
        assert_eq!((Page::DeadLetters.href(false), Page::DeadLetters.screen()), ("/dead-letters".into(), Screen::DeadLetters));
        assert_eq!((Page::parse("/audit/"), Page::Audit.href(true)), (Page::Audit, "/embed/audit".into()));
        assert_eq!((Page::parse("/knowledge"), Page::KnowledgeAdmin.href(true)), (Page::KnowledgeAdmin, "/embed/knowledge".into()));
        assert_eq!(Page::KnowledgeAdmin.screen(), Screen::KnowledgeAdmin);
        assert_eq!((Page::Attention.href(true), Page::Insights.href(false)), ("/embed/attention".into(), "/insights".into()));
        let call = Page::Call {
            case_id: "C-1".into(),
            job_id: "J_9".into(),
        };
        assert_eq!(Page::parse("/cases/C-1/calls/J_9"), call);
        assert_eq!(Page::parse("/embed/cases/C-1/calls/J_9"), call);
    }

    #[test]
    fn anything_else_is_not_found() {
        for path in [
            "/cases",
            "/cases/",
            "/cases/C-1/calls",
            "/cases/C-1/notes/J",
            "/cases/C-1/calls/J/x",
            "/embedded",
            "/api/board",
            "/cases/%zz",
            "/attention/x",
            "/dead-letters/1",
        ] {
            assert_eq!(Page::parse(path), Page::NotFound, "{path}");
        }
    }

    #[test]
    fn paths_round_trip_with_any_id() {
        for (c, j) in [("C-1", "J_9"), ("案件 1", "a/b?c#d"), ("x+y%", "~.")] {
            let page = Page::Call {
                case_id: c.into(),
                job_id: j.into(),
            };
            for embedded in [false, true] {
                let href = page.href(embedded);
                assert!(!href[1..].contains(['?', '#', ' ']), "{href}");
                assert_eq!(Page::parse(&href), page, "{href}");
            }
            let page = case(c);
            assert_eq!(Page::parse(&page.href(true)), page);
        }
    }

    #[test]
    fn hrefs_and_parameters() {
        assert_eq!(Page::Board.href(false), "/");
        assert_eq!(Page::Board.href(true), "/embed");
        assert_eq!(case("C-1").href(false), "/cases/C-1");
        assert_eq!(case("C-1").href(true), "/embed/cases/C-1");
        let call = Page::parse("/cases/C-1/calls/J_9");
        assert_eq!(
            (call.screen(), call.case_id(), call.job_id()),
            (Screen::Call, Some("C-1"), Some("J_9"))
        );
        assert_eq!(
            (Page::Board.screen(), Page::Board.case_id()),
            (Screen::Board, None)
        );
    }
}
