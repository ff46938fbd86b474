//! Q&A chat: one conversation at a time, new or reopened from my saved ones;
//! an answer's sources are buttons (a document opens, an FAQ is looked up).

use leptos::prelude::*;
use shared::view::labels::fill;
use shared::view::render::knowledge::{chat_html, ChatMessage as Message};
use shared::view::render::FAQ_SOURCE;
use shared::wire::clink::kb::{ChatResponse, MessagePage};
use shared::wire::url::encode_component;

use super::{media_path, open_media, Panel, Tab};
use crate::i18n::*;
use crate::services::api::use_api;
use crate::widgets::markup::clicked;

#[component]
pub fn KbChat() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let panel = expect_context::<Panel>();
    let input = RwSignal::new(String::new());
    let messages = RwSignal::new(Vec::<Message>::new());
    let conversation = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let send = move || {
        let text = input.get_untracked().trim().to_owned();
        if text.is_empty() || busy.get_untracked() {
            return;
        }
        input.set(String::new());
        error.set(None);
        messages.update(|m| m.push(Message { mine: true, text: text.clone(), files: vec![], faqs: vec![] }));
        busy.set(true);
        let body = shared::wire::api::ChatAsk { content: text, conversation_id: conversation.get_untracked() };
        leptos::task::spawn_local(async move {
            match api.post::<ChatResponse, _>("/api/clink/aikb/chat_conversation_on_open", &body).await {
                Ok(r) => {
                    conversation.set(Some(r.result.conversation_id.to_string()));
                    messages.update(|m| m.push(Message { mine: false, text: r.result.content, files: r.result.files.unwrap_or_default(), faqs: r.result.faqs.unwrap_or_default() }));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    // A saved conversation, reopened from the list: its messages, then new
    // questions continue it.
    crate::effect(move || {
        let Some((id, title)) = panel.reopen.get() else { return };
        panel.reopen.set(None);
        panel.tab.set(Tab::Chat);
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/api/clink/aikb/describe_conversation?conversationId={}&offset=0&limit=1000", encode_component(&id));
            match api.get::<MessagePage>(&path).await {
                Ok(page) => {
                    messages.set(page.result.into_iter().map(Message::from).collect());
                    conversation.set(Some(id));
                    said.set(Some(fill(t_string!(i18n, kb.reopened), &[("title", &title)])));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    });
    let on_source = move |ev: leptos::ev::MouseEvent| {
        if let Some(question) = clicked(&ev, FAQ_SOURCE.selector).and_then(|b| b.get_attribute(FAQ_SOURCE.attr)) {
            panel.lookup.set(Some(question));
            panel.tab.set(Tab::Search);
        } else if let Some(path) = media_path(&ev) {
            open_media(api, path, move |m| said.set(Some(m)));
        }
    };
    view! {
        {move || said.get().map(|s| view! { <p class="muted" role="status" id="kb-chat-said">{s}</p> })}
        <ol class="chat" aria-live="polite" on:click=on_source inner_html=move || messages.with(|m| chat_html(i18n.strings(), m))></ol>
        {move || busy.get().then(|| view! { <p role="status">{tr!(i18n, loading)}</p> })}
        {move || error.get().map(|e| view! { <div class="error" role="alert"><p>{e}</p></div> })}
        <form class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
            <label for="kb-question" class="sr-only">{tr!(i18n, kb.chat_label)}</label>
            <input id="kb-question" type="text" autocomplete="off"
                placeholder=tr!(i18n, kb.chat_placeholder)
                prop:value=move || input.get() on:input=move |ev| input.set(event_target_value(&ev))/>
            <button type="submit" class="btn" disabled=move || busy.get()>{tr!(i18n, kb.chat_send)}</button>
            <button type="button" class="btn ghost" on:click=move |_| { messages.set(vec![]); conversation.set(None); said.set(None); }>{tr!(i18n, kb.chat_new)}</button>
        </form>
    }
}
