//! The page frame: header (title, user, language, live state, knowledge
//! panel), the offline banner, the routes, and the sign-in screen when there
//! is no session.

use leptos::prelude::*;
use shared::view::route::{Page, Screen};

use crate::screens::board::Board;
use crate::screens::on_demand;
use crate::i18n::*;
use crate::widgets::knowledge::PanelOpen;
use crate::services::live::{self, LiveState};
use crate::services::nav;
use crate::screens::sign_in::SignIn;
use crate::services::session::{role_label, Session};

const LOCALE_KEY: &str = "mediation-board.locale";

#[component]
pub fn Shell() -> impl IntoView {
    if crate::services::embed::is_embed_path() {
        view! { <I18nContextProvider><Embedded/></I18nContextProvider> }.into_any()
    } else {
        view! { <I18nContextProvider><Standalone/></I18nContextProvider> }.into_any()
    }
}

#[component]
fn Standalone() -> impl IntoView {
    let session = Session::new(false);
    provide_context(session);
    nav::provide();
    view! { <Frame/> }
}

/// Inside a portal's iframe: no header or sign-in; the host sends the token.
#[component]
fn Embedded() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::new(true);
    provide_context(session);
    nav::provide();
    // Chinese until the host says otherwise.
    crate::effect_once(move || i18n.set_locale(Locale::zh_CN));
    let live = live::start(session);
    provide_context(live);
    crate::services::board_data::provide(session, live);
    crate::services::attention::provide(session, live);
    crate::services::dead_letters::provide(session);
    view! {
        <div class="embedded">
            <crate::services::embed::HostBridge/>
            <div class="embed-bar">
                <LiveBadge/>
                <Show when=move || session.signed_in()><PageLinks/></Show>
                {move || session.info.get().map(|info| view! { <span class="user" id="current-user">{info.name.clone()}</span> })}
            </div>
            <main id="main" tabindex="-1">
                <Show when=move || session.signed_in() fallback=|| view! { <crate::services::embed::WaitingForHost/> }>
                    <crate::widgets::notices::Notices/>
                    <AppRoutes/>
                </Show>
            </main>
        </div>
    }
}

/// The board's screens (standalone and embedded share them). A screen is
/// built again only when the screen changes, not when its parameters do.
#[component]
fn AppRoutes() -> impl IntoView {
    let i18n = use_i18n();
    let screen = nav::screen(nav::use_nav());
    move || match screen.get() {
        Screen::Board => view! { <Board/> }.into_any(),
        Screen::Attention => on_demand::screen(on_demand::attention_screen),
        Screen::Insights => on_demand::screen(on_demand::insights_screen),
        Screen::DeadLetters => on_demand::screen(on_demand::dead_letters_screen),
        Screen::Audit => on_demand::screen(on_demand::audit_screen),
        Screen::KnowledgeAdmin => on_demand::screen(on_demand::kb_admin_screen),
        Screen::Case => on_demand::screen(on_demand::case_screen),
        Screen::Call => on_demand::screen(on_demand::transcript_screen),
        Screen::NotFound => view! { <p>{tr!(i18n, not_found)}</p> }.into_any(),
    }
}

/// Everything below the session: live connection, board state, routes.
#[component]
pub fn Frame() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    remember_locale(i18n);
    let live = live::start(session);
    provide_context(live);
    crate::services::board_data::provide(session, live);
    crate::services::attention::provide(session, live);
    crate::services::dead_letters::provide(session);
    let kb_open = RwSignal::new(false);
    provide_context(PanelOpen(kb_open));
    let online = online_signal();

    view! {
        <a class="skip" href="#main">{tr!(i18n, skip_to_content)}</a>
        <header class="top">
            <h1>{tr!(i18n, title)}</h1>
            <Show when=move || session.signed_in()><PageLinks/></Show>
            <div class="top-right">
                <LiveBadge/>
                <label class="lang">
                    <span class="sr-only">{tr!(i18n, language)}</span>
                    <select id="language" prop:value=move || if i18n.get_locale() == Locale::en { "en" } else { "zh-CN" }
                        on:change=move |ev| i18n.set_locale(if event_target_value(&ev) == "en" { Locale::en } else { Locale::zh_CN })>
                        <option value="zh-CN">{tr!(i18n, lang_zh)}</option>
                        <option value="en">{tr!(i18n, lang_en)}</option>
                    </select>
                </label>
                {move || session.info.get().map(|info| view! {
                    <span class="user" id="current-user">{info.name.clone()}" · "{crate::string_signal(move || role_label(i18n, &info.role))}</span>
                })}
                <Show when=move || session.signed_in()>
                    <button type="button" class="btn" id="kb-toggle" aria-expanded=move || kb_open.get().to_string()
                        aria-controls="knowledge" on:click=move |_| kb_open.update(|o| *o = !*o)>{tr!(i18n, knowledge_toggle)}</button>
                    {(!session.embedded).then(|| view! {
                        <button type="button" class="btn ghost" on:click=move |_| session.expire("")>{tr!(i18n, sign_out)}</button>
                    })}
                </Show>
            </div>
        </header>
        {move || (!online.get()).then(|| view! { <div class="offline" role="alert">{tr!(i18n, offline)}</div> })}
        <Show when=move || session.signed_in() fallback=move || view! { <SignIn/> }>
            <crate::widgets::notices::Notices/>
            <div class="layout" class:with-kb=move || kb_open.get()>
                <main id="main" tabindex="-1">
                    <AppRoutes/>
                </main>
                <Show when=move || kb_open.get()>
                    {move || on_demand::screen(on_demand::knowledge_panel)}
                </Show>
            </div>
        </Show>
    }
}

/// Links to the board's pages, the queue's with its open count.
#[component]
fn PageLinks() -> impl IntoView {
    let i18n = use_i18n();
    let attention = expect_context::<crate::services::attention::Attention>();
    let session = expect_context::<Session>();
    let embedded = crate::services::embed::is_embed_path();
    // Insights are for those who oversee; the edge refuses everyone else anyway.
    let overseer = move || session.info.with(|i| i.as_ref().is_some_and(|i| shared::wire::access::Op::QaInsights.allows(&i.role)));
    let admin = move || session.info.with(|i| i.as_ref().is_some_and(|i| shared::wire::access::Op::DeadLetters.allows(&i.role)));
    let kb_admin = move || session.info.with(|i| i.as_ref().is_some_and(|i| shared::wire::access::Op::ClinkManage.allows(&i.role)));
    let dead_letters = expect_context::<crate::services::dead_letters::DeadLetterCount>();
    view! {
        <nav class="pages" aria-label=move || t_string!(i18n, board.heading)>
            <a href=Page::Board.href(embedded) id="nav-board">{tr!(i18n, board.heading)}</a>
            <a href=Page::Attention.href(embedded) id="nav-attention">
                {tr!(i18n, attention.nav)}
                {move || attention.count().filter(|n| *n > 0).map(|n| view! { " " <span class="badge" id="nav-attention-count">{n}</span> })}
            </a>
            {move || overseer().then(|| view! {
                <a href=Page::Insights.href(embedded) id="nav-insights">{tr!(i18n, insights.nav)}</a>
                <a href=Page::Audit.href(embedded) id="nav-audit">{tr!(i18n, audit_log.nav)}</a>
            })}
            {move || admin().then(|| view! {
                <a href=Page::DeadLetters.href(embedded) id="nav-dead-letters">
                    {tr!(i18n, dead_letters.nav)}
                    {move || dead_letters.get().filter(|n| *n > 0).map(|n| view! { " " <span class="badge" id="nav-dead-letters-count">{n}</span> })}
                </a>
            })}
            {move || kb_admin().then(|| view! {
                <a href=Page::KnowledgeAdmin.href(embedded) id="nav-kb-admin">{tr!(i18n, kb_admin.nav)}</a>
            })}
        </nav>
    }
}

#[component]
fn LiveBadge() -> impl IntoView {
    let i18n = use_i18n();
    let live = expect_context::<live::Live>();
    view! {
        <span class="live" role="status" id="live-state"
            data-state=move || live.state.get().as_str()>
            {move || match live.state.get() {
                LiveState::Connecting => t_string!(i18n, live.connecting),
                LiveState::Open => t_string!(i18n, live.open),
                LiveState::Reconnecting => t_string!(i18n, live.reconnecting),
                LiveState::Polling => t_string!(i18n, live.polling),
            }}
        </span>
    }
}

/// Keeps the chosen language across reloads.
fn remember_locale(i18n: I18nContext) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    // Chinese first: English only when the user chose it. (Set from an effect
    // so it runs after the i18n provider's own, which follows the browser.)
    let saved = storage.as_ref().and_then(|s| s.get_item(LOCALE_KEY).ok().flatten());
    crate::effect_once(move || i18n.set_locale(if saved.as_deref() == Some("en") { Locale::en } else { Locale::zh_CN }));
    crate::effect(move || {
        let locale = i18n.get_locale();
        let value = if locale == Locale::en { "en" } else { "zh-CN" };
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(LOCALE_KEY, value);
        }
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", value);
        }
    });
}

/// `navigator.onLine`, following the online/offline events.
fn online_signal() -> ReadSignal<bool> {
    let initial = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    let (online, set_online) = signal(initial);
    let a = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let b = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        a.remove();
        b.remove();
    });
    online
}
