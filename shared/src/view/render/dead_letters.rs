//! 死信 / Dead letters (admins): each note-agent record the edge could not
//! read, with why and the raw record as it came; a copy to edit
//! (`#dl-{id}-record`) and replay ([`DEAD_LETTER_REPLAY`]), or a reason
//! (`#dl-{id}-reason`) to set it aside ([`DEAD_LETTER_DISCARD`]).

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::wire::api::{DeadLetter, MAX_DISCARD_REASON};

use super::format::datetime;
use super::{Strings, DEAD_LETTER_DISCARD, DEAD_LETTER_REPLAY};

/// The copy an admin edits: the stored text, indented when it is JSON.
pub fn editable_copy(letter: &DeadLetter) -> String {
    if letter.encoding != "utf8" {
        return String::new();
    }
    match serde_json::from_str::<serde_json::Value>(&letter.raw) {
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| letter.raw.clone()),
        Err(_) => letter.raw.clone(),
    }
}

pub fn dead_letters_html(t: &Strings, letters: &[DeadLetter]) -> String {
    let a = &t.dead_letters;
    if letters.is_empty() {
        return Html::empty(a.none);
    }
    let mut h = Html::new();
    h.tag("ol").class("dead-letters").body(|h| {
        for l in letters {
            let id = l.id.to_string();
            h.tag("li").class("dead-letter").attr("id", &format!("dl-{id}")).body(|h| {
                h.tag("h3").body(|h| {
                    h.text(&fill(a.title, &[("id", &id)])).text(" ").el("time", "muted", &datetime(l.received_at));
                });
                h.tag("p").class("reason").body(|h| {
                    h.el("b", "", a.reason).text(" ").text(&l.reason);
                    if let Some(field) = &l.field {
                        h.text(" ").el("code", "", field);
                    }
                });
                let state = match (&l.replayed_at, &l.discarded_at) {
                    (Some(at), _) => Some(fill(a.replayed, &[("at", &datetime(*at)), ("who", l.replayed_by.as_deref().unwrap_or("—"))])),
                    (None, Some(at)) => Some(fill(
                        a.discarded,
                        &[("at", &datetime(*at)), ("who", l.discarded_by.as_deref().unwrap_or("—")), ("why", l.discard_reason.as_deref().unwrap_or_default())],
                    )),
                    _ => None,
                };
                h.tag("details").body(|h| {
                    h.el("summary", "", if l.encoding == "utf8" { a.raw } else { a.raw_base64 });
                    h.tag("pre").class("raw").attr("id", &format!("dl-{id}-raw")).text(&l.raw);
                });
                if let Some(state) = state {
                    h.el("p", "muted", &state);
                    return;
                }
                h.tag("div").class("entry-form").body(|h| {
                    let field = format!("dl-{id}-record");
                    h.tag("label").attr("for", &field).text(a.copy);
                    h.tag("textarea").attr("id", &field).num("rows", 8).attr("spellcheck", "false").text(&editable_copy(l));
                    h.tag("button").attr("type", "button").class("btn small primary").attr(DEAD_LETTER_REPLAY.attr, &id).text(a.replay);
                });
                h.tag("div").class("entry-form").body(|h| {
                    let field = format!("dl-{id}-reason");
                    h.tag("label").attr("for", &field).text(a.discard_reason);
                    h.tag("input").attr("type", "text").attr("id", &field).num("maxlength", MAX_DISCARD_REASON as i64).void();
                    h.tag("button").attr("type", "button").class("btn small ghost").attr(DEAD_LETTER_DISCARD.attr, &id).text(a.discard);
                });
            });
        }
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    fn letter(id: i64, raw: &str) -> DeadLetter {
        DeadLetter {
            id,
            raw: raw.into(),
            encoding: "utf8".into(),
            field: Some("[1].biz_id".into()),
            reason: "missing biz_id".into(),
            received_at: 1_764_000_000_000,
            replayed_at: None,
            replayed_by: None,
            discarded_at: None,
            discarded_by: None,
            discard_reason: None,
        }
    }

    #[test]
    fn an_open_letter_has_its_reason_raw_record_an_editable_copy_and_both_actions() {
        let html = dead_letters_html(Locale::zh_CN.strings(), &[letter(7, "{\"call_id\":\"<c>\"}")]);
        assert!(html.contains("<li class=\"dead-letter\" id=\"dl-7\"><h3>死信 #7 "), "{html}");
        assert!(html.contains("<b>原因</b> missing biz_id <code>[1].biz_id</code>"), "{html}");
        assert!(html.contains("<pre class=\"raw\" id=\"dl-7-raw\">{&quot;call_id&quot;:&quot;&lt;c&gt;&quot;}</pre>"), "{html}");
        assert!(html.contains("<textarea id=\"dl-7-record\" rows=\"8\" spellcheck=\"false\">{\n  &quot;call_id&quot;: &quot;&lt;c&gt;&quot;\n}</textarea>"), "{html}");
        assert!(html.contains("data-dead-letter-replay=\"7\">修正后重放</button>"), "{html}");
        assert!(html.contains("<input type=\"text\" id=\"dl-7-reason\" maxlength=\"200\"><button type=\"button\" class=\"btn small ghost\" data-dead-letter-discard=\"7\">丢弃</button>"), "{html}");
    }

    #[test]
    fn a_handled_letter_says_how_and_offers_no_action() {
        let mut replayed = letter(8, "x");
        (replayed.replayed_at, replayed.replayed_by) = (Some(1_764_000_060_000), Some("root".into()));
        let mut discarded = letter(9, "not json");
        (discarded.discarded_at, discarded.discarded_by, discarded.discard_reason) = (Some(1_764_000_060_000), Some("root".into()), Some("测试数据".into()));
        let html = dead_letters_html(Locale::zh_CN.strings(), &[replayed, discarded]);
        assert!(!html.contains("textarea") && !html.contains("data-dead-letter"), "{html}");
        assert!(html.contains("由 root 重放"), "{html}");
        assert!(html.contains("由 root 丢弃:测试数据"), "{html}");
        assert_eq!(dead_letters_html(Locale::zh_CN.strings(), &[]), Html::empty("没有待处理的死信"));
    }

    #[test]
    fn only_json_text_is_indented_for_editing() {
        assert_eq!(editable_copy(&letter(1, "[{\"a\":1}]")), "[\n  {\n    \"a\": 1\n  }\n]");
        assert_eq!(editable_copy(&letter(1, "{\"a\":")), "{\"a\":");
        let mut binary = letter(1, "AAEC");
        binary.encoding = "base64".into();
        assert_eq!(editable_copy(&binary), "");
    }
}
