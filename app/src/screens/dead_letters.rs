//! 死信 / Dead letters (admins): the note agent's records the edge could not
//! read. Replay a corrected copy (once) or discard one with a reason; both
//! are audited at the edge. The markup is `shared::view::render::dead_letters`.

use leptos::prelude::*;
use shared::view::labels::fill;
use shared::view::render::dead_letters::{dead_letters_html, editable_copy};
use shared::view::render::{DEAD_LETTER_DISCARD, DEAD_LETTER_REPLAY};
use shared::wire::api::{DeadLetter, DeadLettersResponse, DiscardRequest, DiscardResponse, ReplayRequest, ReplayResponse};
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::services::dead_letters::DeadLetterCount;
use crate::widgets::markup::{by_id, checked, clicked, value_of};

#[component]
pub fn DeadLettersPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let count = use_context::<DeadLetterCount>();
    let letters = RwSignal::new(None::<Result<Vec<DeadLetter>, String>>);
    let all = RwSignal::new(false);
    let said = RwSignal::new(String::new());
    let load = move || {
        let path = if all.get_untracked() { "/api/admin/dead-letters?all=true" } else { "/api/admin/dead-letters" };
        leptos::task::spawn_local(async move {
            let got = api.get::<DeadLettersResponse>(path).await.map(|r| r.dead_letters).map_err(|e| e.to_string());
            if let (Ok(list), Some(count), false) = (&got, count, all.get_untracked()) {
                count.set(list.len());
            }
            letters.set(Some(got));
        });
    };
    load();
    let failed = move |id: &str, why: String| said.set(fill(t_string!(i18n, dead_letters.failed), &[("id", id), ("why", &why)]));
    let replay = move |id: String| {
        let Some(letter) = letters.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|x| x.id.to_string() == id).cloned())) else { return };
        let copy = value_of(&format!("dl-{id}-record"));
        // The copy as it was shown: retry the stored record as it is.
        let record = if copy == editable_copy(&letter) {
            None
        } else {
            match serde_json::from_str::<serde_json::Value>(&copy) {
                Ok(v) => Some(v),
                Err(e) => return said.set(fill(t_string!(i18n, dead_letters.not_json), &[("why", &e.to_string())])),
            }
        };
        said.set(fill(t_string!(i18n, dead_letters.replaying), &[("id", &id)]));
        leptos::task::spawn_local(async move {
            match api.post::<ReplayResponse, _>(&format!("/api/admin/dead-letters/{id}/replay"), &ReplayRequest { record }).await {
                Ok(r) => {
                    let label = if r.stored { t_string!(i18n, dead_letters.replayed_ok) } else { t_string!(i18n, dead_letters.replayed_older) };
                    said.set(fill(label, &[("id", &id)]));
                    load();
                }
                Err(e) => failed(&id, e.to_string()),
            }
        });
    };
    let discard = move |id: String| {
        let reason = value_of(&format!("dl-{id}-reason")).trim().to_owned();
        if reason.is_empty() {
            said.set(t_string!(i18n, dead_letters.need_reason).to_owned());
            if let Some(input) = by_id(&format!("dl-{id}-reason")).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = input.focus();
            }
            return;
        }
        said.set(fill(t_string!(i18n, dead_letters.discarding), &[("id", &id)]));
        leptos::task::spawn_local(async move {
            match api.post::<DiscardResponse, _>(&format!("/api/admin/dead-letters/{id}/discard"), &DiscardRequest { reason }).await {
                Ok(_) => {
                    said.set(fill(t_string!(i18n, dead_letters.discarded_ok), &[("id", &id)]));
                    load();
                }
                Err(e) => failed(&id, e.to_string()),
            }
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = clicked(&ev, DEAD_LETTER_REPLAY.selector).and_then(|b| b.get_attribute(DEAD_LETTER_REPLAY.attr)) {
            replay(id);
        } else if let Some(id) = clicked(&ev, DEAD_LETTER_DISCARD.selector).and_then(|b| b.get_attribute(DEAD_LETTER_DISCARD.attr)) {
            discard(id);
        }
    };
    view! {
        <section class="dead-letters-screen" aria-labelledby="dead-letters-title">
            <h2 id="dead-letters-title">{tr!(i18n, dead_letters.heading)}</h2>
            <p class="muted">{tr!(i18n, dead_letters.intro)}</p>
            <label class="check">
                <input type="checkbox" id="dead-letters-all" on:change=move |_| {
                    all.set(checked("dead-letters-all"));
                    load();
                }/>
                {tr!(i18n, dead_letters.show_all)}
            </label>
            <p role="status" id="dead-letters-status">{move || said.get()}</p>
            <div id="dead-letters-list" aria-busy=move || letters.with(|l| l.is_none()).to_string() on:click=on_click inner_html=move || letters.with(|l| match l {
                None => shared::view::html::Html::empty(i18n.strings().dead_letters.loading),
                Some(Ok(list)) => dead_letters_html(i18n.strings(), list),
                Some(Err(e)) => shared::view::html::Html::empty(&format!("{}{e}", i18n.strings().dead_letters.error)),
            })></div>
        </section>
    }
}
