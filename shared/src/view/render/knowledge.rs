//! The knowledge panel's lists: Clink search hits (their `<em>` highlights
//! as `<mark>`, everything else escaped: a hit can carry hostile HTML) and the
//! Q&A conversation with each answer's sources.

use crate::view::html::Html;
use crate::wire::clink::kb::{highlight_runs, ChatRole, HitSummary, SourceFaq, SourceFile};

use super::{Strings, FAQ_MEDIA, FAQ_SOURCE, FILE_BUTTON};

/// One message of the Q&A conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatMessage {
    pub mine: bool,
    pub text: String,
    /// The documents an answer came from.
    pub files: Vec<SourceFile>,
    /// The FAQs an answer came from.
    pub faqs: Vec<SourceFaq>,
}

impl From<crate::wire::clink::kb::ChatMessage> for ChatMessage {
    /// A saved conversation's message, as the panel shows it.
    fn from(m: crate::wire::clink::kb::ChatMessage) -> Self {
        ChatMessage { mine: m.role == ChatRole::User, text: m.content, files: m.files.unwrap_or_default(), faqs: m.faqs.unwrap_or_default() }
    }
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

/// The hits; documents with a button ([`FILE_BUTTON`]) that opens them, FAQs
/// with one per attachment ([`FAQ_MEDIA`]).
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
                for a in hit.attachments.iter().flatten().filter(|_| !is_file) {
                    h.tag("button").attr("type", "button").class("btn small ghost").attr(FAQ_MEDIA.attr, &a.file_key).text(&format!("{}: {}", t.kb.open_media, a.file_name));
                }
            });
        }
    });
    h.finish()
}

/// The conversation: each question and answer, with the answer's sources as
/// buttons (a document opens, [`FILE_BUTTON`]; an FAQ is looked up, [`FAQ_SOURCE`]).
pub fn chat_html(t: &Strings, messages: &[ChatMessage]) -> String {
    let mut h = Html::new();
    for m in messages {
        h.tag("li").class(if m.mine { "msg mine" } else { "msg bot" }).body(|h| {
            h.el("span", "who", if m.mine { t.kb.you } else { t.kb.bot });
            h.el("p", "", &m.text);
            if !m.files.is_empty() || !m.faqs.is_empty() {
                h.tag("p").class("sources").body(|h| {
                    h.el("span", "muted", &format!("{}: ", t.kb.sources));
                    for f in &m.files {
                        h.tag("button").attr("type", "button").class("btn small ghost").attr(FILE_BUTTON.attr, &f.id.to_string()).text(&format!("{} · {}", t.kb.file, f.name));
                    }
                    for f in &m.faqs {
                        h.tag("button").attr("type", "button").class("btn small ghost").attr(FAQ_SOURCE.attr, &f.name).text(&format!("{} · {}", t.kb.faq, f.name));
                    }
                });
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
                ChatMessage { mine: true, text: "怎么分期?".into(), files: vec![], faqs: vec![] },
                ChatMessage { mine: false, text: "可以<分期>".into(), files: vec![file], faqs: vec![SourceFaq { id: 3, name: "分期\"付款".into() }] },
            ],
        );
        assert!(html.starts_with(&format!("<li class=\"msg mine\"><span class=\"who\">{}</span><p>怎么分期?</p></li>", t.kb.you)), "{html}");
        assert!(html.contains("<p>可以&lt;分期&gt;</p>"), "{html}");
        assert!(html.contains(&format!("<button type=\"button\" class=\"btn small ghost\" data-file-id=\"7\">{} · 调解规则.pdf</button>", t.kb.file)), "{html}");
        assert!(html.contains(&format!("<button type=\"button\" class=\"btn small ghost\" data-faq-source=\"分期&quot;付款\">{} · 分期&quot;付款</button>", t.kb.faq)), "{html}");
        assert_eq!(hits_html(t, &[]), format!("<p class=\"empty\">{}</p>", t.kb.no_hits));
    }

    #[test]
    fn an_faq_hit_opens_its_attachments_and_a_saved_message_keeps_its_sources() {
        let t = Locale::zh_CN.strings();
        let hit: HitSummary = serde_json::from_value(serde_json::json!({ "id": 1, "question": "押金", "knowledgeType": "FAQ",
            "attachments": [{ "fileKey": "rtf/a.png", "fileName": "收据.png" }] })).unwrap();
        let html = hits_html(t, &[hit]);
        assert!(html.contains(&format!("data-faq-media=\"rtf/a.png\">{}: 收据.png</button>", t.kb.open_media)), "{html}");
        let saved: crate::wire::clink::kb::ChatMessage = serde_json::from_value(serde_json::json!({ "content": "可以", "role": "BOT",
            "files": [{ "id": 7, "name": "a.pdf" }], "faqs": null })).unwrap();
        let m = ChatMessage::from(saved);
        assert_eq!((m.mine, m.files.len(), m.faqs.len()), (false, 1, 0));
    }
}
