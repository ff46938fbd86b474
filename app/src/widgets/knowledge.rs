//! The knowledge panel, available from every screen: Clink knowledge search
//! (`<em>` highlights shown as highlights, everything else as plain text —
//! hits can carry hostile HTML), Q&A chat that keeps its conversation, and
//! opening a document through its media URL.

use leptos::prelude::*;
use shared::wire::clink::kb::{highlight_runs, ChatResponse, HitList, HitSummary, MediaUrl, SearchRequest, SourceFile};
use shared::view::html::Html;

use crate::services::api::{use_api, ApiFailure};
use crate::i18n::*;

/// Renders text with `<em>` highlights as `<mark>`; nothing else is markup.
#[component]
pub fn Highlighted(#[prop(into)] text: String) -> impl IntoView {
    let mut h = Html::new();
    highlighted(&mut h, &text);
    view! { <span inner_html=h.finish()></span> }
}

/// Clink's `<em>` highlights as `<mark>`, every other piece of the text
/// escaped (a hit can carry hostile HTML).
fn highlighted(h: &mut Html, text: &str) {
    for (hit, run) in highlight_runs(text) {
        if hit {
            h.el("mark", "", run);
        } else {
            h.text(run);
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Search,
    Chat,
}

#[derive(Clone, Debug, PartialEq)]
struct Message {
    mine: bool,
    text: String,
    files: Vec<SourceFile>,
}

impl Message {
    fn class(&self) -> &'static str {
        if self.mine {
            "msg mine"
        } else {
            "msg bot"
        }
    }
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
        let Some(id) = crate::widgets::markup::clicked(&ev, "button[data-file-id]").and_then(|b| b.get_attribute("data-file-id")) else { return };
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
                Ok(page) => view! { <div on:click=open inner_html=move || hits_html(i18n, &page.result)></div> }.into_any(),
            })}
            {move || opening.get().map(|m| view! { <p class="muted" role="status">{m}</p> })}
        </div>
    }
}

/// The hits, each with its highlights; documents with a button that opens them.
fn hits_html(i18n: I18nContext, hits: &[HitSummary]) -> String {
    if hits.is_empty() {
        return Html::empty(t_string!(i18n, kb.no_hits));
    }
    let mut h = Html::new();
    h.start("ul", "kb-hits");
    for hit in hits {
        let is_file = hit.knowledge_type.as_deref() == Some("FILE");
        h.open("li").attr("class", "kb-hit").attr("data-kind", if is_file { "FILE" } else { "FAQ" }).end();
        h.start("h3", "").el("span", "badge", if is_file { t_string!(i18n, kb.file) } else { t_string!(i18n, kb.faq) }).text(" ");
        highlighted(&mut h, hit.question.as_deref().or(hit.name.as_deref()).unwrap_or_default());
        h.close("h3");
        if let Some(answer) = hit.answers.as_ref().and_then(|a| a.first()) {
            h.start("p", "kb-answer");
            highlighted(&mut h, &answer.content);
            h.close("p");
        }
        if let Some(content) = hit.content.as_deref().filter(|c| !c.is_empty()) {
            h.start("p", "kb-snippet");
            highlighted(&mut h, content);
            h.close("p");
        }
        if is_file {
            h.open("button").attr("type", "button").attr("class", "btn small").attr("data-file-id", &hit.id.to_string()).end();
            h.text(t_string!(i18n, kb.open)).close("button");
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}

/// The conversation: each question and answer, with the answer's sources.
fn chat_html(i18n: I18nContext, messages: &[Message]) -> String {
    let mut h = Html::new();
    for m in messages {
        h.start("li", m.class()).el("span", "who", if m.mine { t_string!(i18n, kb.you) } else { t_string!(i18n, kb.bot) });
        h.el("p", "", &m.text);
        if !m.files.is_empty() {
            let names: Vec<&str> = m.files.iter().map(|f| f.name.as_str()).collect();
            h.el("p", "muted", &format!("{}: {}", t_string!(i18n, kb.sources), names.join("、")));
        }
        h.close("li");
    }
    h.finish()
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
        <ol class="chat" aria-live="polite" inner_html=move || messages.with(|m| chat_html(i18n, m))></ol>
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
