//! The knowledge panel, available from every screen: Clink knowledge search
//! (`<em>` highlights shown as highlights, everything else as plain text —
//! hits can carry hostile HTML) narrowed by kind and repository and paged;
//! Q&A chat whose answers' sources open; and my saved conversations, to
//! reopen, rename or delete. Documents and FAQ attachments open through
//! their media URLs.

mod chat;
mod conversations;
mod search;

use leptos::prelude::*;
use shared::wire::clink::kb::MediaUrl;

use crate::i18n::*;
use crate::services::api::{Api, ApiFailure};

/// Renders text with `<em>` highlights as `<mark>`; nothing else is markup.
#[component]
pub fn Highlighted(#[prop(into)] text: String) -> impl IntoView {
    let mut h = shared::view::html::Html::new();
    shared::view::render::knowledge::highlighted(&mut h, &text);
    view! { <span inner_html=h.finish()></span> }
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Search,
    Chat,
    Conversations,
}

/// What the panel's parts share.
#[derive(Clone, Copy)]
struct Panel {
    tab: RwSignal<Tab>,
    /// An FAQ to look up in the search tab (an answer's FAQ source).
    lookup: RwSignal<Option<String>>,
    /// A saved conversation to continue in the chat tab.
    reopen: RwSignal<Option<(String, String)>>,
}

/// Whether the panel is open (the page frame's toggle; the panel's × closes it).
#[derive(Clone, Copy)]
pub struct PanelOpen(pub RwSignal<bool>);

/// The panel, loaded on demand the first time it opens (`screens::on_demand`).
#[component]
pub fn KnowledgePanel() -> impl IntoView {
    let i18n = use_i18n();
    let open = expect_context::<PanelOpen>();
    let on_close = Callback::new(move |_| open.0.set(false));
    let panel = Panel { tab: RwSignal::new(Tab::Search), lookup: RwSignal::new(None), reopen: RwSignal::new(None) };
    provide_context(panel);
    let tab = panel.tab;
    let tab_button = move |which: Tab, id: &'static str, label: fn(I18nContext) -> &'static str| {
        view! {
            <button type="button" role="tab" id=id aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)>{move || label(i18n)}</button>
        }
    };
    view! {
        <aside class="kb-panel" id="knowledge" aria-labelledby="kb-title">
            <header class="kb-head">
                <h2 id="kb-title">{tr!(i18n, kb.heading)}</h2>
                <button type="button" class="icon" aria-label=tr!(i18n, close) on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <div class="tabs" role="tablist">
                {tab_button(Tab::Search, "kb-tab-search", |i| t_string!(i, kb.search_tab))}
                {tab_button(Tab::Chat, "kb-tab-chat", |i| t_string!(i, kb.chat_tab))}
                {tab_button(Tab::Conversations, "kb-tab-conversations", |i| t_string!(i, kb.conversations_tab))}
            </div>
            // All stay mounted so the chat keeps its conversation while searching.
            <div role="tabpanel" aria-labelledby="kb-tab-search" hidden=move || tab.get() != Tab::Search><search::KbSearch/></div>
            <div role="tabpanel" aria-labelledby="kb-tab-chat" hidden=move || tab.get() != Tab::Chat><chat::KbChat/></div>
            <div role="tabpanel" aria-labelledby="kb-tab-conversations" hidden=move || tab.get() != Tab::Conversations>
                {move || (tab.get() == Tab::Conversations).then(|| view! { <conversations::Conversations/> })}
            </div>
        </aside>
    }
}

/// Opens what `path` (an edge media-URL call) names in a new tab. The tab is
/// opened at once, in the user's click (pop-up blockers allow that), then
/// pointed at the URL; where it is blocked, `say` gets the URL, and on a
/// failure the reason.
pub fn open_media(api: Api, path: String, say: impl Fn(String) + 'static) {
    let tab = web_sys::window().and_then(|w| w.open_with_url_and_target("about:blank", "_blank").ok().flatten());
    leptos::task::spawn_local(async move {
        let url: Result<MediaUrl, ApiFailure> = api.get(&path).await;
        match (url, tab) {
            (Ok(m), Some(t)) => {
                let _ = t.location().set_href(&m.url);
            }
            (Ok(m), None) => say(m.url),
            (Err(e), tab) => {
                if let Some(t) = tab {
                    let _ = t.close();
                }
                say(e.to_string());
            }
        }
    });
}

/// The media path for a clicked source or hit button, if the click was on one.
fn media_path(ev: &leptos::ev::MouseEvent) -> Option<String> {
    use crate::widgets::markup::clicked;
    use shared::view::render::{FAQ_MEDIA, FILE_BUTTON};
    use shared::wire::url::encode_component;
    if let Some(id) = clicked(ev, FILE_BUTTON.selector).and_then(|b| b.get_attribute(FILE_BUTTON.attr)) {
        return Some(format!("/api/clink/aikb/describe_file_media_url?fileId={}&inline=true", encode_component(&id)));
    }
    clicked(ev, FAQ_MEDIA.selector)
        .and_then(|b| b.get_attribute(FAQ_MEDIA.attr))
        .map(|key| format!("/api/clink/aikb/describe_faq_media_url?fileKey={}&inline=true", encode_component(&key)))
}
