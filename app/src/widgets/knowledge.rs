//! The knowledge panel, available from every screen: Clink knowledge search
//! (`<em>` highlights shown as highlights, everything else as plain text —
//! hits can carry hostile HTML), Q&A chat that keeps its conversation, and
//! opening a document through its media URL.

use leptos::prelude::*;
use shared::view::html::Html;
use shared::view::render::knowledge::{chat_html, highlighted, hits_html, ChatMessage as Message};
use shared::view::render::FILE_BUTTON;
use shared::wire::clink::kb::{ChatResponse, HitList, MediaUrl, SearchRequest};

use crate::services::api::{use_api, ApiFailure};
use crate::i18n::*;

/// Renders text with `<em>` highlights as `<mark>`; nothing else is markup.
#[component]
pub fn Highlighted(#[prop(into)] text: String) -> impl IntoView {
    let mut h = Html::new();
    highlighted(&mut h, &text);
    view! { <span inner_html=h.finish()></span> }
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Search,
    Chat,
}

#[component]
pub fn KnowledgePanel(#[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new(Tab::Search);
    view! {
        <aside class="kb-panel" id="knowledge" aria-labelledby="kb-title">
            <header class="kb-head">
                <h2 id="kb-title">{tr!(i18n, kb.heading)}</h2>
                <button type="button" class="icon" aria-label=tr!(i18n, close) on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <div class="tabs" role="tablist">
                <button type="button" role="tab" id="kb-tab-search" aria-selected=move || (tab.get() == Tab::Search).to_string()
                    on:click=move |_| tab.set(Tab::Search)>{tr!(i18n, kb.search_tab)}</button>
                <button type="button" role="tab" id="kb-tab-chat" aria-selected=move || (tab.get() == Tab::Chat).to_string()
                    on:click=move |_| tab.set(Tab::Chat)>{tr!(i18n, kb.chat_tab)}</button>
            </div>
            // Both stay mounted so the chat keeps its conversation while searching.
            <div role="tabpanel" aria-labelledby="kb-tab-search" hidden=move || tab.get() != Tab::Search><KbSearch/></div>
            <div role="tabpanel" aria-labelledby="kb-tab-chat" hidden=move || tab.get() != Tab::Chat><KbChat/></div>
        </aside>
    }
}

#[component]
fn KbSearch() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let keyword = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<HitList, ApiFailure>>);
    let search = move || {
        let k = keyword.get_untracked();
        if k.trim().is_empty() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let ask = SearchRequest { user_id: None, keyword: k.trim().to_owned(), order_field: None, knowledge_type: None, repository_ids: None, directory_ids: None, offset: 0, limit: 10 };
            let r = api.post::<HitList, _>("/api/clink/aikb/search_knowledge_on_open", &ask).await;
            result.set(Some(r));
            busy.set(false);
        });
    };
    // A document opens in a new tab through its media URL (one listener for
    // every hit's button). The tab is opened at once, in the user's gesture,
    // then pointed at the URL; where that is blocked, the URL is shown.
    let opening = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::MouseEvent| {
        let Some(id) = crate::widgets::markup::clicked(&ev, FILE_BUTTON.selector).and_then(|b| b.get_attribute(FILE_BUTTON.attr)) else { return };
        opening.set(None);
        let tab = web_sys::window().and_then(|w| w.open_with_url_and_target("about:blank", "_blank").ok().flatten());
        leptos::task::spawn_local(async move {
            match api.get::<MediaUrl>(&format!("/api/clink/aikb/describe_file_media_url?fileId={id}&inline=true")).await {
                Ok(m) => match tab {
                    Some(t) => {
                        let _ = t.location().set_href(&m.url);
                    }
                    None => opening.set(Some(m.url)),
                },
                Err(e) => {
                    if let Some(t) = tab {
                        let _ = t.close();
                    }
                    opening.set(Some(e.to_string()));
                }
            }
        });
    };
    view! {
        <form class="kb-search" role="search" on:submit=move |ev| { ev.prevent_default(); search(); }>
            <label for="kb-keyword" class="sr-only">{tr!(i18n, kb.search_label)}</label>
            <input id="kb-keyword" type="search" autocomplete="off"
                placeholder=tr!(i18n, kb.search_placeholder)
                prop:value=move || keyword.get() on:input=move |ev| keyword.set(event_target_value(&ev))/>
            <button type="submit" class="btn" disabled=move || busy.get()>{tr!(i18n, kb.search_submit)}</button>
        </form>
        <div aria-live="polite" aria-busy=move || busy.get().to_string()>
            {move || busy.get().then(|| view! { <p role="status">{tr!(i18n, loading)}</p> })}
            {move || result.get().map(|r| match r {
                Err(e) => view! { <crate::widgets::load::LoadFailed message=e.to_string() retry=move |_| search()/> }.into_any(),
                Ok(page) => view! { <div on:click=open inner_html=move || hits_html(i18n.strings(), &page.result)></div> }.into_any(),
            })}
            {move || opening.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
        </div>
    }
}

#[component]
fn KbChat() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let input = RwSignal::new(String::new());
    let messages = RwSignal::new(Vec::<Message>::new());
    let conversation = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let send = move || {
        let text = input.get_untracked().trim().to_owned();
        if text.is_empty() || busy.get_untracked() {
            return;
        }
        input.set(String::new());
        error.set(None);
        messages.update(|m| m.push(Message { mine: true, text: text.clone(), files: vec![] }));
        busy.set(true);
        let body = shared::wire::api::ChatAsk { content: text, conversation_id: conversation.get_untracked() };
        leptos::task::spawn_local(async move {
            match api.post::<ChatResponse, _>("/api/clink/aikb/chat_conversation_on_open", &body).await {
                Ok(r) => {
                    conversation.set(Some(r.result.conversation_id.to_string()));
                    messages.update(|m| m.push(Message { mine: false, text: r.result.content, files: r.result.files.unwrap_or_default() }));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <ol class="chat" aria-live="polite" inner_html=move || messages.with(|m| chat_html(i18n.strings(), m))></ol>
        {move || busy.get().then(|| view! { <p role="status">{tr!(i18n, loading)}</p> })}
        {move || error.get().map(|e| view! { <div class="error" role="alert"><p>{e}</p></div> })}
        <form class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <label for="kb-question" class="sr-only">{tr!(i18n, kb.chat_label)}</label>
            <input id="kb-question" type="text" autocomplete="off"
                placeholder=tr!(i18n, kb.chat_placeholder)
                prop:value=move || input.get() on:input=move |ev| input.set(event_target_value(&ev))/>
            <button type="submit" class="btn" disabled=move || busy.get()>{tr!(i18n, kb.chat_send)}</button>
            <button type="button" class="btn ghost" on:click=move |_| { messages.set(vec![]); conversation.set(None); }>{tr!(i18n, kb.chat_new)}</button>
        </form>
    }
}
