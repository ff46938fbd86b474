//! Follow-ups: a case's notes and reminders (`/api/cases/{caseId}/notes`)
//! with a form to add one and a button to mark a reminder done, and the
//! board's "due today" (`/api/reminders`). The markup is
//! `shared::view::render::followups`; here are the requests and listeners.

use leptos::prelude::*;
use shared::view::render::followups::{due_html, form_html, notes_html};
use shared::view::render::NOTE_DONE;
use shared::wire::api::NoBody;
use shared::wire::followup::{CaseNote, CaseNotes, NewCaseNote, Reminders};
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::services::board_data::BoardState;
use crate::widgets::markup::{by_id, ctx, value_of};

/// Today in Asia/Shanghai, `yyyy-MM-dd` (the day reminders are due on).
pub fn today() -> String {
    let mut day = shared::time::format_shanghai(js_sys::Date::now() as i64);
    day.truncate(10);
    day
}

/// Bumped when a note is added elsewhere on the case page (a suggested
/// reminder from the agreement), so the follow-ups list reads them again.
#[derive(Clone, Copy)]
pub struct NotesChanged(pub RwSignal<u32>);

#[component]
pub fn FollowUps(case_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let notes = RwSignal::new(None::<Result<Vec<CaseNote>, String>>);
    // What the last save said (a status line).
    let said = RwSignal::new(String::new());
    let path = StoredValue::new(format!("/api/cases/{case_id}/notes"));
    let changed = use_context::<NotesChanged>();
    crate::effect(move || {
        if let Some(c) = changed {
            c.0.track();
        }
        leptos::task::spawn_local(async move {
            notes.set(Some(api.get::<CaseNotes>(&path.get_value()).await.map(|n| n.notes).map_err(|e| e.to_string())));
        });
    });
    // A note saved or marked done replaces its old self, or leads the list.
    let keep = move |note: CaseNote| {
        notes.update(|n| {
            if let Some(Ok(list)) = n {
                match list.iter_mut().find(|x| x.id == note.id) {
                    Some(old) => *old = note,
                    None => list.insert(0, note),
                }
            }
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let due = value_of("note-due");
        let note = NewCaseNote { text: value_of("note-text"), due_date: (!due.is_empty()).then_some(due) };
        said.set(t_string!(i18n, followup.saving).to_owned());
        leptos::task::spawn_local(async move {
            match api.post::<CaseNote, _>(&path.get_value(), &note).await {
                Ok(saved) => {
                    keep(saved);
                    if let Some(f) = by_id("note-form").and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok()) {
                        f.reset();
                    }
                    said.set(t_string!(i18n, followup.saved).to_owned());
                }
                Err(e) => said.set(format!("{}{e}", t_string!(i18n, followup.failed))),
            }
        });
    };
    let done = move |ev: leptos::ev::MouseEvent| {
        let Some(id) = crate::widgets::markup::clicked(&ev, NOTE_DONE.selector).and_then(|b| b.get_attribute(NOTE_DONE.attr)) else { return };
        leptos::task::spawn_local(async move {
            match api.post::<CaseNote, _>(&format!("{}/{id}/done", path.get_value()), &NoBody).await {
                Ok(note) => keep(note),
                Err(e) => said.set(format!("{}{e}", t_string!(i18n, followup.failed))),
            }
        });
    };
    view! {
        <section aria-labelledby="followups-title" class="followups">
            <h3 id="followups-title">{tr!(i18n, followup.heading)}</h3>
            <div on:submit=save inner_html=move || form_html(i18n.strings())></div>
            <p role="status" id="note-status">{move || said.get()}</p>
            <div id="case-notes" on:click=done aria-busy=move || notes.with(|n| n.is_none()).to_string() inner_html=move || notes.with(|n| match n {
                None => shared::view::html::Html::empty(i18n.strings().loading),
                Some(Ok(list)) => notes_html(i18n.strings(), list, &today()),
                Some(Err(e)) => shared::view::html::Html::empty(e),
            })></div>
        </section>
    }
}

/// The reminders due today or before, across cases, on the board.
#[component]
pub fn DueToday() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let due = RwSignal::new(None::<Result<Reminders, String>>);
    leptos::task::spawn_local(async move {
        due.set(Some(api.get::<Reminders>("/api/reminders").await.map_err(|e| e.to_string())));
    });
    view! {
        <section id="due-today" class="due-today" aria-labelledby="due-title" inner_html=move || due.with(|d| match d {
            None => String::new(),
            Some(Ok(r)) => due_html(ctx(i18n), &r.reminders, &r.due, |id| board.case(id).map(|c| c.case_name)),
            Some(Err(e)) => shared::view::html::Html::empty(e),
        })></section>
    }
}
