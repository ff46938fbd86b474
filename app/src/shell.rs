//! The page frame around the screens.

use leptos::prelude::*;

use crate::board::Board;

#[component]
pub fn Shell() -> impl IntoView {
    view! {
        <header class="top">
            <h1>"AI云小调 · 调解看板"</h1>
        </header>
        <main>
            <Board/>
        </main>
    }
}
