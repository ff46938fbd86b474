//! The note agent's results for a call: quality inspection as a total and a
//! per-item bar (score of full score) with problems and suggestions; summary
//! tags as chips and text fields; failed inferences shown as failed.
//! Rendered as escaped HTML (`shared::html`): read-only, and far smaller in
//! the bundle than a view built node by node.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use shared::api::NoteView;
use shared::html::Html;
use shared::note::{quality_total, score_text, NoteOutcome, TagValue};
use shared::FieldError;

use crate::i18n::*;

#[component]
pub fn NoteResults(notes: Vec<NoteView>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <div class="note-results" inner_html=move || notes_html(i18n, &notes)></div> }
}

/// The results as HTML, in the current language (read inside a reactive
/// closure, it follows language changes).
pub fn notes_html(i18n: I18nContext<Locale>, notes: &[NoteView]) -> String {
    let mut h = Html::new();
    if notes.is_empty() {
        h.open("p").attr("class", "muted").attr("id", "notes-none").end().text(t_string!(i18n, notes.none)).close("p");
    }
    for note in notes {
        note_card(&mut h, i18n, note);
    }
    h.finish()
}

fn note_card(h: &mut Html, i18n: I18nContext<Locale>, note: &NoteView) {
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
    if note.versions > 1 {
        h.open("p").attr("class", "muted note-versions").end().text(&format!("{} {}", note.versions, t_string!(i18n, notes.versions))).close("p");
    }
}

/// What about a record did not fit the documented shape: kept, and said so.
fn issues_html(h: &mut Html, i18n: I18nContext<Locale>, issues: &[FieldError]) {
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
