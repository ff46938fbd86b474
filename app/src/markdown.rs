//! Renders robot scripts and agreements (markdown) with the one renderer in
//! `shared::view::markdown`: only the tags the reader produces, every piece of the
//! text escaped, so nothing in it is ever taken as HTML.

use leptos::prelude::*;

#[component]
pub fn Markdown(#[prop(into)] text: String) -> impl IntoView {
    let mut html = String::with_capacity(text.len() + 64);
    shared::view::markdown::to_html(&text, &mut html);
    view! { <div class="md" inner_html=html></div> }
}
