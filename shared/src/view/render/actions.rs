//! What the case actions show as HTML: what an AI call request came to, per
//! party, the statuses a mediator may set, the agreement and the OCR run.

use crate::view::html::Html;
use crate::wire::api::{OcrOutcome, PlacedCalls};
use crate::wire::followup::AgreementView;
use crate::wire::mediation::{BoardRecord, CallErrorCode, CallStatus, OcrState};

use super::format::status_label;

use super::Strings;

/// Each party's outcome: started, must wait, the daily limit reached, or the backend's refusal.
pub fn call_outcomes_html(t: &Strings, record: &BoardRecord, results: &PlacedCalls) -> String {
    let mut h = Html::new();
    h.tag("ul").class("outcomes").attr("role", "status").body(|h| {
        for r in &results.results {
            let name = record.parties.iter().find(|p| p.person_id == r.person_id).map(|p| p.name.as_str()).unwrap_or(&r.person_id);
            let (class, label) = match r.error_code {
                CallErrorCode::Started => ("outcome ok", t.action.outcome_started),
                CallErrorCode::MustWait => ("outcome warn", t.action.outcome_wait),
                CallErrorCode::LimitReached => ("outcome warn", t.action.outcome_limit),
                CallErrorCode::Other(_) => ("outcome bad", t.action.outcome_other),
            };
            h.tag("li").class(class).attr("data-person", &r.person_id).body(|h| {
                h.el("b", "", name).text(&format!(": {label} — {}", r.message));
                if let Some(start) = &r.start_time {
                    h.el("small", "", &format!(" ({start})"));
                }
            });
        }
    });
    h.finish()
}

/// `statuses` as `<option>`s, the one whose value is `chosen` selected.
pub fn status_options_html(t: &Strings, statuses: &[CallStatus], chosen: &str) -> String {
    let mut h = Html::new();
    for s in statuses {
        let option = h.tag("option").attr("value", s.as_str());
        let option = if s.as_str() == chosen { option.flag("selected") } else { option };
        option.text(&status_label(t, Some(s)));
    }
    h.finish()
}

/// The agreement's id and its text (markdown, through the one reader).
pub fn agreement_html(agree_id: &str, agree_content: &str) -> String {
    let mut h = Html::new();
    h.el("p", "muted", agree_id);
    h.tag("article").class("agreement printable").body(|h| {
        h.tag("div").class("md").body(|h| {
            h.markdown(agree_content);
        });
    });
    h.finish()
}

/// The agreement with its actions: copy (its label says when it was copied)
/// and print; then the reminders its payment dates suggest, each with a
/// button that adds it to the case's follow-ups (`remind:{index}`), or
/// "added" once it is (`added` holds their indexes).
pub fn agreement_with_actions_html(t: &Strings, view: &AgreementView, copied: bool, added: &[usize]) -> String {
    let mut html = agreement_html(&view.agree_id, &view.agree_content);
    let mut h = Html::new();
    h.tag("div").class("dialog-actions").body(|h| {
        h.tag("button").attr("type", "button").class("btn").attr(super::DOC_BUTTON.attr, "copy").text(if copied { t.action.copied } else { t.action.copy });
        h.tag("button").attr("type", "button").class("btn").attr(super::DOC_BUTTON.attr, "print").text(t.action.print);
    });
    if !view.suggested_reminders.is_empty() {
        h.tag("section").class("suggested").attr("aria-labelledby", "suggested-title").body(|h| {
            h.tag("h3").attr("id", "suggested-title").text(t.followup.suggested);
            h.tag("ul").body(|h| {
                for (i, s) in view.suggested_reminders.iter().enumerate() {
                    h.tag("li").body(|h| {
                        h.text(&s.due_date).text(" · ").text(&s.text).text(" ");
                        if added.contains(&i) {
                            h.el("span", "badge done", t.followup.added);
                        } else {
                            h.tag("button").attr("type", "button").class("btn small").attr(super::DOC_BUTTON.attr, &format!("remind:{i}")).text(t.followup.add_reminder);
                        }
                    });
                }
            });
        });
    }
    html.push_str(&h.finish());
    html
}

/// The OCR run's state and each file's: text, AI summary or error. With no
/// state (the spec's bare `{}`), the request was taken and nothing more is known.
pub fn ocr_html(t: &Strings, result: &OcrOutcome) -> String {
    let state = |s: &OcrState| match s {
        OcrState::Processing => t.action.ocr_processing.to_owned(),
        OcrState::Done => t.action.ocr_done.to_owned(),
        OcrState::Failed => t.action.ocr_failed.to_owned(),
        OcrState::Pending => t.action.ocr_pending.to_owned(),
        OcrState::Other(s) => s.clone(),
    };
    let mut h = Html::new();
    let (data_state, overall) = match &result.status {
        Some(s) => (s.as_str().to_owned(), state(s)),
        None => ("requested".to_owned(), t.action.ocr_requested.to_owned()),
    };
    h.tag("p").attr("role", "status").class("ocr-overall").attr("data-state", &data_state).text(&overall);
    if !result.message.is_empty() {
        h.el("p", "muted", &result.message);
    }
    h.tag("ul").class("ocr-files").body(|h| {
        for f in &result.files {
            h.tag("li").attr("data-state", f.status.as_str()).body(|h| {
                h.el("h3", "", &format!("{} · {}", f.file_name, state(&f.status)));
                if let Some(s) = &f.summary {
                    h.tag("p").body(|h| {
                        h.el("b", "", &format!("{}: ", t.action.ocr_summary)).text(s);
                    });
                }
                if let Some(text) = &f.text {
                    h.el("pre", "ocr-text", text);
                }
                if let Some(e) = &f.error {
                    h.el("p", "error", e);
                }
            });
        }
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::api::CallOutcome;
    use crate::wire::mediation::Party;

    #[test]
    fn each_party_gets_its_outcome_by_name() {
        let t = Locale::zh_CN.strings();
        let record = BoardRecord {
            parties: vec![Party { person_id: "p1".into(), name: "刘某".into(), person_type: 1, phone_number: String::new() }],
            ..Default::default()
        };
        let outcome = |code: i64, person: &str| CallOutcome {
            error_code: CallErrorCode::from_code(code),
            message: "m".into(),
            person_id: person.into(),
            start_time: None,
        };
        let placed = PlacedCalls { results: vec![outcome(0, "p1"), outcome(1002, "p9")] };
        let html = call_outcomes_html(t, &record, &placed);
        assert!(html.contains(&format!("<li class=\"outcome ok\" data-person=\"p1\"><b>刘某</b>: {} — m</li>", t.action.outcome_started)), "{html}");
        assert!(html.contains(&format!("<li class=\"outcome warn\" data-person=\"p9\"><b>p9</b>: {} — m</li>", t.action.outcome_limit)), "{html}");
    }

    #[test]
    fn an_ocr_run_without_a_state_says_it_was_requested_and_files_carry_theirs() {
        let t = Locale::en.strings();
        let bare: OcrOutcome = serde_json::from_str(r#"{"caseId":"C-1"}"#).unwrap();
        assert_eq!(ocr_html(t, &bare), format!("<p role=\"status\" class=\"ocr-overall\" data-state=\"requested\">{}</p><ul class=\"ocr-files\"></ul>", t.action.ocr_requested));
        let done: OcrOutcome = serde_json::from_value(serde_json::json!({
            "caseId": "C-1", "status": "done",
            "files": [{ "fileId": "f", "fileName": "欠条.jpg", "status": "done", "text": "<欠>", "summary": null, "error": null }]
        }))
        .unwrap();
        let html = ocr_html(t, &done);
        assert!(html.contains(&format!("<li data-state=\"done\"><h3>欠条.jpg · {}</h3><pre class=\"ocr-text\">&lt;欠&gt;</pre></li>", t.action.ocr_done)), "{html}");
    }

    #[test]
    fn an_agreement_is_its_id_and_its_markdown_in_a_printable_article() {
        let html = agreement_html("A1", "# 协议\n**甲方** <x>");
        assert!(html.starts_with("<p class=\"muted\">A1</p><article class=\"agreement printable\"><div class=\"md\">"), "{html}");
        assert!(html.ends_with("</div></article>") && html.contains("<strong>甲方</strong> &lt;x&gt;"), "{html}");
    }

    #[test]
    fn the_agreement_s_copy_button_says_when_it_was_copied() {
        let t = Locale::zh_CN.strings();
        let a = AgreementView { agree_id: "A1".into(), agree_content: "协议".into(), suggested_reminders: vec![] };
        let buttons = |copied| agreement_with_actions_html(t, &a, copied, &[]).split("</article>").nth(1).unwrap().to_owned();
        assert_eq!(
            buttons(false),
            format!("<div class=\"dialog-actions\"><button type=\"button\" class=\"btn\" data-act=\"copy\">{}</button><button type=\"button\" class=\"btn\" data-act=\"print\">{}</button></div>", t.action.copy, t.action.print)
        );
        assert!(buttons(true).contains(&format!("data-act=\"copy\">{}</button>", t.action.copied)));
    }

    #[test]
    fn the_agreement_s_payment_dates_are_offered_as_reminders_until_added() {
        use crate::wire::followup::SuggestedReminder;
        let t = Locale::zh_CN.strings();
        let s = |d: &str, x: &str| SuggestedReminder { due_date: d.into(), text: x.into() };
        let a = AgreementView {
            agree_id: "A1".into(),
            agree_content: "协议".into(),
            suggested_reminders: vec![s("2026-02-06", "核实是否收到 1500元 <x>"), s("2026-03-06", "核实是否收到 1500元")],
        };
        let html = agreement_with_actions_html(t, &a, false, &[1]);
        let items: Vec<&str> = html.split("<li>").skip(1).collect();
        assert_eq!(items[0], format!("2026-02-06 · 核实是否收到 1500元 &lt;x&gt; <button type=\"button\" class=\"btn small\" data-act=\"remind:0\">{}</button></li>", t.followup.add_reminder));
        assert!(items[1].starts_with(&format!("2026-03-06 · 核实是否收到 1500元 <span class=\"badge done\">{}</span>", t.followup.added)), "{}", items[1]);
    }

    #[test]
    fn the_chosen_status_is_selected() {
        let t = Locale::zh_CN.strings();
        let html = status_options_html(t, &[CallStatus::Busy, CallStatus::Terminated], "Terminated");
        assert_eq!(
            html,
            format!("<option value=\"Busy\">{}</option><option value=\"Terminated\" selected>{}</option>", t.status.Busy, t.status.Terminated)
        );
    }
}
