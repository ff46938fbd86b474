//! Acting on many cases: the board's selected cases called one after another
//! (`POST /api/calls`, one idempotency key per case, the run's id in
//! `X-Bulk-Run` so the audit trail holds the run), a second apart to stay
//! under the backend's limits, each case's outcome listed as it arrives,
//! stoppable. Markup: `shared::view::render::bulk`.

use leptos::prelude::*;
use shared::view::render::bulk::{bulk_html, BulkItem, BulkOutcome, RunState};
use shared::view::render::BULK_BUTTON;
use shared::wire::api::PlacedCalls;
use shared::wire::mediation::{CallMode, CallRequest};

use crate::i18n::*;
use crate::services::api::{new_key, use_api};
use crate::services::board_data::BoardState;

/// The pause between two calls of a run.
const PACE_MS: i32 = 1_000;

async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
pub fn BulkBar(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let board = expect_context::<BoardState>();
    let state = RwSignal::new(RunState::Idle);
    let items = RwSignal::new(Vec::<BulkItem>::new());
    let stop = StoredValue::new(false);

    let run = move || {
        let ids = selected.get_untracked();
        let total = ids.len();
        let run_id = format!("run-{}", js_sys::Date::now() as u64);
        stop.set_value(false);
        items.set(vec![]);
        state.set(RunState::Running { done: 0, total });
        leptos::task::spawn_local(async move {
            for (done, id) in ids.into_iter().enumerate() {
                if done > 0 {
                    pause(PACE_MS).await;
                }
                if stop.get_value() {
                    state.set(RunState::Stopped { done, total });
                    board.reload();
                    return;
                }
                let Some(r) = board.case(&id) else { continue };
                let party = r.call_person_id.clone().or_else(|| r.parties.first().map(|p| p.person_id.clone())).unwrap_or_default();
                let request = CallRequest { case_id: r.case_id.clone(), mediation_id: r.mediation_id.to_string(), call_auto: CallMode::Automatic, call_person_id: party };
                let outcome = match api.post_once::<PlacedCalls, _>("/api/calls", &request, &new_key(), Some(&run_id)).await {
                    Ok(answer) => BulkOutcome::of(&answer),
                    Err(e) => BulkOutcome::Failed(e.message),
                };
                items.update(|i| i.push(BulkItem { case_id: r.case_id, case_name: r.case_name, outcome }));
                state.set(RunState::Running { done: done + 1, total });
            }
            state.set(RunState::Finished { total });
            board.reload();
        });
    };
    let act = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::widgets::markup::clicked(&ev, BULK_BUTTON.selector) else { return };
        match b.get_attribute(BULK_BUTTON.attr).as_deref() {
            Some("call") => run(),
            Some("stop") => stop.set_value(true),
            Some("clear") => {
                selected.set(vec![]);
                items.set(vec![]);
                state.set(RunState::Idle);
            }
            _ => {}
        }
    };
    view! {
        <section class="bulk" id="bulk" aria-label=tr!(i18n, bulk.region) aria-live="polite" on:click=act
            inner_html=move || items.with(|i| bulk_html(i18n.strings(), selected.with(|s| s.len()), state.get(), i))></section>
    }
}
