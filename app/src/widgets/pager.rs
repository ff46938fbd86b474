//! Previous and next through a list Clink pages by `offset`/`limit`.

use leptos::prelude::*;
use shared::view::knowledge::Pager;
use shared::view::labels::fill;

use crate::i18n::*;

/// "Page 2 of 5, 47 in all" with previous and next; `go` gets the new place.
#[component]
pub fn PagerNav(id: &'static str, pager: RwSignal<Pager>, #[prop(into)] go: Callback<Pager>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pager" id=id aria-label=move || t_string!(i18n, kb.paging)>
            <button type="button" class="btn small ghost" disabled=move || !pager.with(|p| p.has_prev()) on:click=move |_| go.run(pager.get_untracked().prev())>{tr!(i18n, kb.prev)}</button>
            <span class="page-of">{move || pager.with(|p| fill(t_string!(i18n, kb.page_of), &[("page", &p.page().to_string()), ("pages", &p.pages().to_string()), ("total", &p.total.to_string())]))}</span>
            <button type="button" class="btn small ghost" disabled=move || !pager.with(|p| p.has_next()) on:click=move |_| go.run(pager.get_untracked().next())>{tr!(i18n, kb.next)}</button>
        </nav>
    }
}
