//! The note agent's results for a call: quality inspection as a total and a
//! per-item bar (score of full score) with problems and suggestions; summary
//! tags as chips and text fields; failed inferences shown as failed.
//! Rendered as escaped HTML by `shared::view::render::notes`: read-only, and
//! far smaller in the bundle than a view built node by node.

use leptos::prelude::*;
use shared::view::render::notes::notes_html;
use shared::wire::api::NoteView;

use crate::i18n::*;

#[component]
pub fn NoteResults(notes: Vec<NoteView>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <div class="note-results" inner_html=move || notes_html(i18n.strings(), &notes, false)></div> }
}
