//! The page frame around the screens.

use leptos::prelude::*;

use crate::board::Board;
use crate::i18n::*;

#[component]
pub fn Shell() -> impl IntoView {
    view! { <I18nContextProvider><Frame/></I18nContextProvider> }
}

#[component]
fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="top">
            <h1>{t!(i18n, title)}</h1>
        </header>
        <main>
            <Board/>
        </main>
    }
}
