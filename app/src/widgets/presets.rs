//! Saved board filters (`/api/presets`): the common ones and the user's own,
//! applied by picking one, saved under a name, deleted. Markup:
//! `shared::view::render::board::presets_html`.

use leptos::prelude::*;
use shared::view::labels::fill;
use shared::view::render::board::presets_html;
use shared::view::render::PRESET_BUTTON;
use shared::wire::presets::{FilterPreset, NewPreset, Presets};
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::followups::today;
use crate::widgets::markup::value_of;

#[component]
pub fn SavedFilters() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let nav = crate::services::nav::use_nav();
    let mine = RwSignal::new(Vec::<FilterPreset>::new());
    let said = RwSignal::new(String::new());
    leptos::task::spawn_local(async move {
        if let Ok(p) = api.get::<Presets>("/api/presets").await {
            mine.set(p.presets);
        }
    });
    let apply = move |ev: leptos::ev::Event| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if target.id() != "preset" {
            return;
        }
        let Some((_, query)) = value_of("preset").split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())) else { return };
        let board = crate::services::embed::board_href();
        nav.navigate(&if query.is_empty() { board.to_owned() } else { format!("{board}?{query}") }, true);
    };
    let act = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::widgets::markup::clicked(&ev, PRESET_BUTTON.selector) else { return };
        match b.get_attribute(PRESET_BUTTON.attr).as_deref() {
            Some("save") => {
                let preset = NewPreset { name: value_of("preset-name"), query: nav.search().get_untracked().trim_start_matches('?').to_owned() };
                leptos::task::spawn_local(async move {
                    match api.post::<FilterPreset, _>("/api/presets", &preset).await {
                        Ok(p) => {
                            said.set(fill(t_string!(i18n, board.preset_saved), &[("name", &p.name)]));
                            mine.update(|m| {
                                m.retain(|x| x.id != p.id);
                                m.push(p);
                                m.sort_by(|a, b| a.name.cmp(&b.name));
                            });
                        }
                        Err(e) => said.set(format!("{}{e}", t_string!(i18n, board.preset_failed))),
                    }
                });
            }
            Some("delete") => {
                let Some(id) = value_of("preset").split_once(':').and_then(|(id, _)| id.parse::<i64>().ok()) else { return };
                leptos::task::spawn_local(async move {
                    match api.delete(&format!("/api/presets/{id}")).await {
                        Ok(()) => {
                            mine.update(|m| m.retain(|x| x.id != id));
                            said.set(t_string!(i18n, board.preset_deleted).to_owned());
                        }
                        Err(e) => said.set(e.to_string()),
                    }
                });
            }
            _ => {}
        }
    };
    view! {
        <div class="presets" on:change=apply on:click=act inner_html=move || mine.with(|m| presets_html(i18n.strings(), &today(), m))></div>
        <p role="status" id="preset-status" class="muted">{move || said.get()}</p>
    }
}
