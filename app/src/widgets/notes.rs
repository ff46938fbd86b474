//! The note agent's results for a call: quality inspection as a total and a
//! per-item bar (score of full score) with problems and suggestions; summary
//! tags as chips and text fields; failed inferences shown as failed.
//! Rendered as escaped HTML (`shared::view::html`): read-only, and far smaller in
//! the bundle than a view built node by node.

use leptos::prelude::*;
use shared::wire::api::NoteView;
use shared::view::html::Html;
use shared::wire::note::{quality_total, score_text, NoteOutcome, TagValue};
use shared::FieldError;

use crate::i18n::*;

#[component]
pub fn NoteResults(notes: Vec<NoteView>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <div class="note-results" inner_html=move || notes_html(i18n, &notes, false)></div> }
}

/// The results as HTML, in the current language (read inside a reactive
/// closure, it follows language changes). With `history`, a record kept in
/// several versions offers a button (`button[data-history]`) to open them.
pub fn notes_html(i18n: I18nContext, notes: &[NoteView], history: bool) -> String {
    let mut h = Html::new();
    if notes.is_empty() {
        h.open("p").attr("class", "muted").attr("id", "notes-none").end().text(t_string!(i18n, notes.none)).close("p");
    }
    for note in notes {
        note_card(&mut h, i18n, note, history);
    }
    h.finish()
}

/// The kept versions of one record, newest first, the shown one marked.
pub fn versions_html(i18n: I18nContext, note_type: &str, versions: &[shared::wire::api::NoteVersion]) -> String {
    let mut h = Html::new();
    h.el("h3", "", t_string!(i18n, notes.history));
    h.start("ol", "note-versions-list");
    for v in versions {
        h.open("li").attr("class", if v.current { "version current" } else { "version" }).end();
        let label = if v.current { t_string!(i18n, notes.version_current) } else { t_string!(i18n, notes.version_earlier) };
        h.start("p", "muted").el("b", "", label).text(" · ").text(&crate::widgets::format::datetime(v.received_at)).close("p");
        let view = NoteView {
            call_id: String::new(),
            biz_id: String::new(),
            note_type: note_type.to_owned(),
            out_id: None,
            cell_number: None,
            success: true,
            error_code: None,
            error_msg: None,
            start_time: None,
            report_time: v.report_time.clone(),
            outcome: v.outcome.clone(),
            received_at: v.received_at,
            versions: 1,
        };
        note_card(&mut h, i18n, &view, false);
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

fn note_card(h: &mut Html, i18n: I18nContext, note: &NoteView, history: bool) {
    let when = note.report_time.as_deref().unwrap_or_default();
    match &note.outcome {
        NoteOutcome::QualityInspection { items, issues } => {
            let (score, full) = quality_total(items);
            let title = t_string!(i18n, notes.quality);
            h.open("section").attr("class", "note quality").attr("aria-label", title).end();
            h.start("header", "").el("h3", "", title);
            h.start("p", "total").el("span", "", t_string!(i18n, notes.total)).text(" ");
            h.el("b", "score", &score_text(score)).text(" / ").text(&score_text(full)).close("p");
            h.el("small", "", when).close("header");
            issues_html(h, i18n, issues);
            h.start("ul", "qi-items");
            for item in items {
                let pct = item.percent().clamp(0, 100);
                let (score, full) = (score_text(item.score), score_text(item.full_score));
                h.start("li", "").start("div", "qi-row").el("span", "qi-name", &item.item);
                h.open("span").attr("class", "qi-bar").attr("role", "meter").attr("aria-valuemin", "0");
                h.attr("aria-valuemax", &full).attr("aria-valuenow", &score);
                h.attr("aria-label", &format!("{} {score}/{full}", item.item)).end();
                h.open("span").attr("class", if pct < 60 { "qi-fill low" } else { "qi-fill" });
                h.attr("style", &format!("width: {pct}%")).end().close("span").close("span");
                h.el("span", "qi-score", &format!("{score} / {full}")).close("div");
                labelled(h, "qi-problem", t_string!(i18n, notes.problem), item.problem.as_deref().unwrap_or("—"));
                labelled(h, "qi-suggestion", t_string!(i18n, notes.suggestion), item.suggestion.as_deref().unwrap_or("—"));
                h.close("li");
            }
            h.close("ul").close("section");
        }
        NoteOutcome::Summary { tags, issues } => {
            let title = t_string!(i18n, notes.summary);
            h.open("section").attr("class", "note summary").attr("aria-label", title).end();
            h.start("header", "").el("h3", "", title).el("small", "", when).close("header");
            issues_html(h, i18n, issues);
            h.start("dl", "");
            for (tag, value) in &tags.0 {
                h.el("dt", "", tag).start("dd", "");
                match value {
                    TagValue::Choices(choices) => {
                        for c in choices {
                            h.el("span", "tag", c);
                        }
                    }
                    TagValue::Text(text) => {
                        h.el("span", "tag-text", text);
                    }
                }
                h.close("dd");
            }
            h.close("dl").close("section");
        }
        NoteOutcome::Failed { error_code, error_msg, issues } => {
            h.open("section").attr("class", "note failed").attr("role", "note").end();
            let title = format!("{} · {}", note.note_type, t_string!(i18n, notes.failed));
            h.start("header", "").el("h3", "", &title).el("small", "", when).close("header");
            issues_html(h, i18n, issues);
            h.el("p", "", &format!("{} ({error_code})", error_msg.as_deref().unwrap_or_default())).close("section");
        }
        NoteOutcome::Unreadable { field, problem, result } => {
            h.open("section").attr("class", "note unreadable").attr("role", "note").end();
            let title = format!("{} · {}", note.note_type, t_string!(i18n, notes.unreadable));
            h.start("header", "").el("h3", "", &title).el("small", "", when).close("header");
            h.el("p", "", &format!("{field}: {problem}"));
            if let Some(text) = result {
                h.el("pre", "raw", text);
            }
            h.close("section");
        }
    }
    if note.versions > 1 && history {
        h.open("button").attr("type", "button").attr("class", "btn small note-history");
        h.attr("data-history", &note.call_id).attr("data-biz", &note.biz_id).attr("data-type", &note.note_type).end();
        h.text(&format!("{} {}", note.versions, t_string!(i18n, notes.versions))).close("button");
    } else if note.versions > 1 {
        h.open("p").attr("class", "muted note-versions").end().text(&format!("{} {}", note.versions, t_string!(i18n, notes.versions_kept))).close("p");
    }
}

/// What about a record did not fit the documented shape: kept, and said so.
fn issues_html(h: &mut Html, i18n: I18nContext, issues: &[FieldError]) {
    if issues.is_empty() {
        return;
    }
    h.open("details").attr("class", "note-issues").end();
    h.el("summary", "", &format!("{} ({})", t_string!(i18n, notes.issues), issues.len()));
    h.start("ul", "");
    for e in issues {
        h.el("li", "", &format!("{}: {}", e.field, e.problem));
    }
    h.close("ul").close("details");
}

/// `<p class="…"><b>Label: </b>text</p>`.
fn labelled(h: &mut Html, class: &str, label: &str, text: &str) {
    h.start("p", class).el("b", "", &format!("{label}: ")).text(text).close("p");
}
