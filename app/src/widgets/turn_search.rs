//! Search over what was said in calls (`GET /api/search`): a form on the
//! board and the turns found, each a link to its transcript at that turn.
//! Both are HTML from `shared::view::render::search`, with one submit
//! listener (cheaper in the bundle than a view built node by node).

use leptos::prelude::*;
use shared::view::render::search::{form_html, state_html};
use shared::wire::search::SearchResults;
use shared::wire::url::encode_component;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::markup::ctx;

#[component]
pub fn TurnSearch() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // None: nothing asked yet; Some(Ok(None)): under way.
    let state = RwSignal::new(None::<Result<Option<SearchResults>, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let path = format!("/api/search?q={}", encode_component(crate::widgets::markup::value_of("turn-search-q").trim()));
        state.set(Some(Ok(None)));
        leptos::task::spawn_local(async move {
            state.set(Some(api.get::<SearchResults>(&path).await.map(Some).map_err(|e| e.to_string())));
        });
    };
    view! {
        <section class="turn-search">
            <div on:submit=submit inner_html=move || form_html(ctx(i18n))></div>
            <div id="turn-search-results" aria-live="polite"
                inner_html=move || state.with(|s| s.as_ref().map(|s| state_html(ctx(i18n), s)).unwrap_or_default())></div>
        </section>
    }
}
