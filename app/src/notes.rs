//! The note agent's results for a call: quality inspection as a total and a
//! per-item bar (score of full score) with problems and suggestions; summary
//! tags as chips and text fields; failed inferences shown as failed.

use leptos::prelude::*;
use shared::api::NoteView;
use shared::note::{quality_total, NoteOutcome, TagValue};

use crate::i18n::*;

#[component]
pub fn NoteResults(notes: Vec<NoteView>) -> impl IntoView {
    let i18n = use_i18n();
    if notes.is_empty() {
        return view! { <p class="muted" id="notes-none">{tr!(i18n, notes.none)}</p> }.into_any();
    }
    notes.into_iter().map(|n| view! { <NoteCard note=n/> }).collect_view().into_any()
}

#[component]
fn NoteCard(note: NoteView) -> impl IntoView {
    let i18n = use_i18n();
    let when = note.report_time.clone().unwrap_or_default();
    match note.outcome {
        NoteOutcome::QualityInspection { items } => {
            let (score, full) = quality_total(&items);
            view! {
                <section class="note quality" aria-label=tr!(i18n, notes.quality)>
                    <header>
                        <h3>{tr!(i18n, notes.quality)}</h3>
                        <p class="total"><span>{tr!(i18n, notes.total)}</span>" "<b class="score">{score}</b>" / "{full}</p>
                        <small>{when}</small>
                    </header>
                    <ul class="qi-items">
                        {items.into_iter().map(|item| {
                            let pct = if item.full_score > 0 { item.score * 100 / item.full_score } else { 0 };
                            let label = format!("{} {}/{}", item.item, item.score, item.full_score);
                            view! {
                                <li>
                                    <div class="qi-row">
                                        <span class="qi-name">{item.item.clone()}</span>
                                        <span class="qi-bar" role="meter" aria-valuemin="0" aria-valuemax=item.full_score aria-valuenow=item.score aria-label=label>
                                            <span class="qi-fill" style:width=format!("{pct}%") class:low=pct < 60></span>
                                        </span>
                                        <span class="qi-score">{item.score}" / "{item.full_score}</span>
                                    </div>
                                    <p class="qi-problem"><b>{tr!(i18n, notes.problem)}": "</b>{item.problem.clone()}</p>
                                    <p class="qi-suggestion"><b>{tr!(i18n, notes.suggestion)}": "</b>{item.suggestion.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
        NoteOutcome::Summary { tags } => view! {
            <section class="note summary" aria-label=tr!(i18n, notes.summary)>
                <header><h3>{tr!(i18n, notes.summary)}</h3><small>{when}</small></header>
                <dl>
                    {tags.0.into_iter().map(|(tag, value)| view! {
                        <dt>{tag}</dt>
                        <dd>{match value {
                            TagValue::Choices(choices) => choices.into_iter().map(|c| view! { <span class="tag">{c}</span> }).collect_view().into_any(),
                            TagValue::Text(text) => view! { <span class="tag-text">{text}</span> }.into_any(),
                        }}</dd>
                    }).collect_view()}
                </dl>
            </section>
        }
        .into_any(),
        NoteOutcome::Failed { error_code, error_msg } => view! {
            <section class="note failed" role="note">
                <header><h3>{note.note_type.clone()}" · "{tr!(i18n, notes.failed)}</h3><small>{when}</small></header>
                <p>{error_msg.unwrap_or_default()}" ("{error_code}")"</p>
            </section>
        }
        .into_any(),
    }
}
