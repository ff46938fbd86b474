//! The knowledge panel's lists: Clink search hits (their `<em>` highlights
//! as `<mark>`, everything else escaped: a hit can carry hostile HTML) and the
//! Q&A conversation with each answer's sources.

use crate::view::html::Html;
use crate::wire::clink::kb::{highlight_runs, HitSummary, SourceFile};

use super::{Strings, FILE_BUTTON};

/// One message of the Q&A conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    pub mine: bool,
    pub text: String,
    /// The documents an answer came from.
    pub files: Vec<SourceFile>,
}

/// Clink's `<em>` highlights as `<mark>`, every other piece escaped.
pub fn highlighted(h: &mut Html, text: &str) {
    for (hit, run) in highlight_runs(text) {
        if hit {
            h.el("mark", "", run);
        } else {
            h.text(run);
        }
    }
}

/// The hits; documents with a button ([`FILE_BUTTON`]) that opens them.
pub fn hits_html(t: &Strings, hits: &[HitSummary]) -> String {
    if hits.is_empty() {
        return Html::empty(t.kb.no_hits);
    }
    let mut h = Html::new();
    h.tag("ul").class("kb-hits").body(|h| {
        for hit in hits {
            let is_file = hit.knowledge_type.as_deref() == Some("FILE");
            h.tag("li").class("kb-hit").attr("data-kind", if is_file { "FILE" } else { "FAQ" }).body(|h| {
                h.tag("h3").body(|h| {
                    h.el("span", "badge", if is_file { t.kb.file } else { t.kb.faq }).text(" ");
                    highlighted(h, hit.question.as_deref().or(hit.name.as_deref()).unwrap_or_default());
                });
                if let Some(answer) = hit.answers.as_ref().and_then(|a| a.first()) {
                    h.tag("p").class("kb-answer").body(|h| highlighted(h, &answer.content));
                }
                if let Some(content) = hit.content.as_deref().filter(|c| !c.is_empty()) {
                    h.tag("p").class("kb-snippet").body(|h| highlighted(h, content));
                }
                if is_file {
                    h.tag("button").attr("type", "button").class("btn small").attr(FILE_BUTTON.attr, &hit.id.to_string()).text(t.kb.open);
                }
            });
        }
    });
    h.finish()
}

/// The conversation: each question and answer, with the answer's sources.
pub fn chat_html(t: &Strings, messages: &[ChatMessage]) -> String {
    let mut h = Html::new();
    for m in messages {
        h.tag("li").class(if m.mine { "msg mine" } else { "msg bot" }).body(|h| {
            h.el("span", "who", if m.mine { t.kb.you } else { t.kb.bot });
            h.el("p", "", &m.text);
            if !m.files.is_empty() {
                let names: Vec<&str> = m.files.iter().map(|f| f.name.as_str()).collect();
                h.el("p", "muted", &format!("{}: {}", t.kb.sources, names.join("、")));
            }
        });
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    #[test]
    fn highlights_become_marks_and_hostile_markup_stays_text() {
        let mut h = Html::new();
        highlighted(&mut h, "拖欠<em>工资</em><img src=x onerror=alert(1)>");
        assert_eq!(h.finish(), "拖欠<mark>工资</mark>&lt;img src=x onerror=alert(1)&gt;");
    }

    #[test]
    fn a_conversation_names_the_sources_of_an_answer() {
        let t = Locale::zh_CN.strings();
        let file: SourceFile = serde_json::from_value(serde_json::json!({ "id": 7, "name": "调解规则.pdf" })).unwrap();
        let html = chat_html(
            t,
            &[
                ChatMessage { mine: true, text: "怎么分期?".into(), files: vec![] },
                ChatMessage { mine: false, text: "可以<分期>".into(), files: vec![file] },
            ],
        );
        assert!(html.starts_with(&format!("<li class=\"msg mine\"><span class=\"who\">{}</span><p>怎么分期?</p></li>", t.kb.you)), "{html}");
        assert!(html.contains("<p>可以&lt;分期&gt;</p>"), "{html}");
        assert!(html.contains(&format!("{}: 调解规则.pdf", t.kb.sources)), "{html}");
        assert_eq!(hits_html(t, &[]), format!("<p class=\"empty\">{}</p>", t.kb.no_hits));
    }
}
