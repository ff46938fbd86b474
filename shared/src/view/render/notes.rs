//! The note agent's results for a call: quality inspection as a total and a
//! bar per item (score of full score) with problems and suggestions; summary
//! tags as chips and text fields; failed inferences shown as failed; records
//! that did not fit the documented shape kept and shown as they came.

use crate::view::html::Html;
use crate::wire::api::{NoteVersion, NoteView};
use crate::wire::note::{quality_total, score_text, NoteOutcome, TagValue};
use crate::FieldError;

use super::format::datetime;
use super::{Strings, NOTE_HISTORY};

/// The results. With `history`, a record kept in several versions offers a
/// button ([`NOTE_HISTORY`]) to open them.
pub fn notes_html(t: &Strings, notes: &[NoteView], history: bool) -> String {
    let mut h = Html::new();
    if notes.is_empty() {
        h.tag("p").class("muted").attr("id", "notes-none").text(t.notes.none);
    }
    for note in notes {
        note_card(&mut h, t, note, history);
    }
    h.finish()
}

/// The kept versions of one record, newest first, the shown one marked.
pub fn versions_html(t: &Strings, note_type: &str, versions: &[NoteVersion]) -> String {
    let mut h = Html::new();
    h.el("h3", "", t.notes.history);
    h.tag("ol").class("note-versions-list").body(|h| {
        for v in versions {
            h.tag("li").class(if v.current { "version current" } else { "version" }).body(|h| {
                let label = if v.current { t.notes.version_current } else { t.notes.version_earlier };
                h.tag("p").class("muted").body(|h| {
                    h.el("b", "", label).text(" · ").text(&datetime(v.received_at));
                });
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
                note_card(h, t, &view, false);
            });
        }
    });
    h.finish()
}

fn note_card(h: &mut Html, t: &Strings, note: &NoteView, history: bool) {
    let when = note.report_time.as_deref().unwrap_or_default();
    let header = |h: &mut Html, title: &str| {
        h.tag("header").body(|h| {
            h.el("h3", "", title).el("small", "", when);
        });
    };
    match &note.outcome {
        NoteOutcome::QualityInspection { items, issues } => {
            let (score, full) = quality_total(items);
            let title = t.notes.quality;
            h.tag("section").class("note quality").attr("aria-label", title).body(|h| {
                h.tag("header").body(|h| {
                    h.el("h3", "", title);
                    h.tag("p").class("total").body(|h| {
                        h.el("span", "", t.notes.total).text(" ");
                        h.el("b", "score", &score_text(score)).text(" / ").text(&score_text(full));
                    });
                    h.el("small", "", when);
                });
                issues_html(h, t, issues);
                h.tag("ul").class("qi-items").body(|h| {
                    for item in items {
                        let pct = item.percent().clamp(0, 100);
                        let (score, full) = (score_text(item.score), score_text(item.full_score));
                        h.tag("li").body(|h| {
                            h.tag("div").class("qi-row").body(|h| {
                                h.el("span", "qi-name", &item.item);
                                h.tag("span")
                                    .class("qi-bar")
                                    .attr("role", "meter")
                                    .attr("aria-valuemin", "0")
                                    .attr("aria-valuemax", &full)
                                    .attr("aria-valuenow", &score)
                                    .attr("aria-label", &format!("{} {score}/{full}", item.item))
                                    .body(|h| {
                                        h.tag("span").class(if pct < 60 { "qi-fill low" } else { "qi-fill" }).attr("style", &format!("width: {pct}%")).empty();
                                    });
                                h.el("span", "qi-score", &format!("{score} / {full}"));
                            });
                            labelled(h, "qi-problem", t.notes.problem, item.problem.as_deref().unwrap_or("—"));
                            labelled(h, "qi-suggestion", t.notes.suggestion, item.suggestion.as_deref().unwrap_or("—"));
                        });
                    }
                });
            });
        }
        NoteOutcome::Summary { tags, issues } => {
            let title = t.notes.summary;
            h.tag("section").class("note summary").attr("aria-label", title).body(|h| {
                header(h, title);
                issues_html(h, t, issues);
                h.tag("dl").body(|h| {
                    for (tag, value) in &tags.0 {
                        h.el("dt", "", tag);
                        h.tag("dd").body(|h| match value {
                            TagValue::Choices(choices) => {
                                for c in choices {
                                    h.el("span", "tag", c);
                                }
                            }
                            TagValue::Text(text) => {
                                h.el("span", "tag-text", text);
                            }
                        });
                    }
                });
            });
        }
        NoteOutcome::Failed { error_code, error_msg, issues } => {
            h.tag("section").class("note failed").attr("role", "note").body(|h| {
                header(h, &format!("{} · {}", note.note_type, t.notes.failed));
                issues_html(h, t, issues);
                h.el("p", "", &format!("{} ({error_code})", error_msg.as_deref().unwrap_or_default()));
            });
        }
        NoteOutcome::Unreadable { field, problem, result } => {
            h.tag("section").class("note unreadable").attr("role", "note").body(|h| {
                header(h, &format!("{} · {}", note.note_type, t.notes.unreadable));
                h.el("p", "", &format!("{field}: {problem}"));
                if let Some(text) = result {
                    h.el("pre", "raw", text);
                }
            });
        }
    }
    if note.versions > 1 && history {
        h.tag("button")
            .attr("type", "button")
            .class("btn small note-history")
            .attr(NOTE_HISTORY.attr, &note.call_id)
            .attr("data-biz", &note.biz_id)
            .attr("data-type", &note.note_type)
            .text(&format!("{} {}", note.versions, t.notes.versions));
    } else if note.versions > 1 {
        h.tag("p").class("muted note-versions").text(&format!("{} {}", note.versions, t.notes.versions_kept));
    }
}

/// What about a record did not fit the documented shape: kept, and said so.
fn issues_html(h: &mut Html, t: &Strings, issues: &[FieldError]) {
    if issues.is_empty() {
        return;
    }
    h.tag("details").class("note-issues").body(|h| {
        h.el("summary", "", &format!("{} ({})", t.notes.issues, issues.len()));
        h.tag("ul").body(|h| {
            for e in issues {
                h.el("li", "", &format!("{}: {}", e.field, e.problem));
            }
        });
    });
}

/// `<p class="…"><b>Label: </b>text</p>`.
fn labelled(h: &mut Html, class: &str, label: &str, text: &str) {
    h.tag("p").class(class).body(|h| {
        h.el("b", "", &format!("{label}: ")).text(text);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::note::QualityItem;

    fn view(outcome: NoteOutcome, versions: i64) -> NoteView {
        NoteView {
            call_id: "c\"1".into(),
            biz_id: "b".into(),
            note_type: "通话质检".into(),
            out_id: None,
            cell_number: None,
            success: true,
            error_code: None,
            error_msg: None,
            start_time: None,
            report_time: Some("2026-03-15 10:05:00".into()),
            outcome,
            received_at: 0,
            versions,
        }
    }

    #[test]
    fn a_quality_card_has_its_total_a_meter_per_item_and_the_history_hook() {
        let t = Locale::zh_CN.strings();
        let item = QualityItem { item: "礼貌<用语>".into(), score: 2.0, full_score: 10.0, problem: Some("未致谢".into()), suggestion: None };
        let html = notes_html(t, &[view(NoteOutcome::QualityInspection { items: vec![item], issues: vec![] }, 2)], true);
        assert!(html.starts_with(&format!("<section class=\"note quality\" aria-label=\"{}\">", t.notes.quality)), "{html}");
        assert!(html.contains("<b class=\"score\">2</b> / 10"), "{html}");
        assert!(html.contains("role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"10\" aria-valuenow=\"2\" aria-label=\"礼貌&lt;用语&gt; 2/10\"><span class=\"qi-fill low\" style=\"width: 20%\"></span></span>"), "{html}");
        assert!(html.contains(&format!("<p class=\"qi-suggestion\"><b>{}: </b>—</p>", t.notes.suggestion)), "{html}");
        assert!(html.contains("data-history=\"c&quot;1\" data-biz=\"b\" data-type=\"通话质检\">2 "), "{html}");
        assert_eq!(html.matches("<section").count(), html.matches("</section>").count());
        let without = notes_html(t, &[view(NoteOutcome::QualityInspection { items: vec![], issues: vec![] }, 2)], false);
        assert!(!without.contains("data-history") && without.contains("note-versions"), "{without}");
        assert_eq!(notes_html(t, &[], false), format!("<p class=\"muted\" id=\"notes-none\">{}</p>", t.notes.none));
    }
}
