//! The board embedded in a host portal (an iframe at `/embed…`, created by
//! `/embed.js`). The host sends the session token and commands by
//! postMessage; the board answers with events. Messages are accepted only
//! from the portal origins the edge allows (`EMBED_ORIGINS`, which the edge
//! writes into the page as `<meta name="embed-origins">`); anything else, and
//! any message this version does not know, is ignored and logged.
//!
//! Host → board: `{ "target": "mediation-board", "version": 1, "type": …, "payload": … }`
//! with types `init`, `set_token`, `open_case`, `open_transcript`, `open_board`,
//! `set_filter`, `set_language`, `set_theme`.
//! Board → host: `{ "source": "mediation-board", "version": 1, "board": id, "type": …, "payload": … }`
//! with types `ready`, `signed_in`, `case_opened`, `transcript_opened`,
//! `action_completed`, `token_expiring`, `error`.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use shared::wire::embed::{ActionDetail, BoardEvent, BoardMessage, HostCommand, HostMessage, Refused, PROTOCOL_VERSION};
use shared::view::route::Page;

use crate::i18n::*;
use crate::services::session::Session;

thread_local! {
    /// The portal's origin once the host has introduced itself; `None` standalone.
    static HOST: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The id the SDK gave this board, echoed in every message.
    static BOARD_ID: RefCell<String> = const { RefCell::new(String::new()) };
}

thread_local! {
    static EMBEDDED: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Whether the page was opened as an embedded board (decided once, at start).
pub fn is_embed_path() -> bool {
    EMBEDDED.with(|e| {
        *e.get().get_or_insert_with(|| {
            let embedded = web_sys::window().and_then(|w| w.location().pathname().ok()).is_some_and(|p| p == "/embed" || p.starts_with("/embed/"));
            e.set(Some(embedded));
            embedded
        })
    })
}

/// The board's own links: embedded boards stay under `/embed`.
pub fn board_href() -> &'static str {
    if is_embed_path() {
        "/embed"
    } else {
        "/"
    }
}

pub fn case_href(case_id: &str) -> String {
    Page::Case { case_id: case_id.to_owned() }.href(is_embed_path())
}

pub fn call_href(case_id: &str, job_id: &str) -> String {
    Page::Call { case_id: case_id.to_owned(), job_id: job_id.to_owned() }.href(is_embed_path())
}

/// The origins the edge allows to embed the board.
pub fn allowed_origins() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name='embed-origins']").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|c| c.split(',').map(|o| o.trim().trim_end_matches('/').to_owned()).filter(|o| !o.is_empty()).collect())
        .unwrap_or_default()
}

pub fn host() -> Option<String> {
    HOST.with(|h| h.borrow().clone())
}

/// The message as a plain object (structured clone), JSON's shapes: absent
/// optional fields as `null`, never `undefined` or a `Map`.
fn envelope(event: &BoardEvent) -> Option<wasm_bindgen::JsValue> {
    let board = BOARD_ID.with(|b| b.borrow().clone());
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&BoardMessage::new(&board, event), &serializer).ok()
}

/// Sends an event to the host portal, if there is one.
pub fn post(event: BoardEvent) {
    let Some(origin) = host() else { return };
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    if let Some(value) = envelope(&event) {
        let _ = parent.post_message(&value, &origin);
    }
}

/// Before the host has spoken: announce readiness to every allowed origin
/// (the browser delivers it only to the real parent's).
fn announce_ready() {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    if let Some(value) = envelope(&BoardEvent::Ready { version: PROTOCOL_VERSION }) {
        for origin in allowed_origins() {
            let _ = parent.post_message(&value, &origin);
        }
    }
}

/// An action finished (takeover, call placed, agreement generated, OCR started).
pub fn notify_action(action: &str, case_id: &str, ok: bool, detail: ActionDetail) {
    post(BoardEvent::ActionCompleted { action: action.to_owned(), case_id: case_id.to_owned(), ok, detail });
}

/// The session token is about to expire: the host should send a new one.
pub fn notify_token_expiring() {
    post(BoardEvent::TokenExpiring { expires_at: None });
}

fn bad(code: &str, message: &str) -> BoardEvent {
    BoardEvent::Error { code: code.to_owned(), message: message.to_owned() }
}

/// Sets theme variables (already checked by `shared::wire::embed::safe_theme`).
fn apply_theme(vars: &[(String, String)]) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
    let style = root.style();
    for (name, value) in vars {
        let _ = style.set_property(name, value);
    }
}

fn set_locale(i18n: I18nContext, locale: &shared::wire::embed::Locale) {
    i18n.set_locale(match locale {
        shared::wire::embed::Locale::English => Locale::en,
        shared::wire::embed::Locale::Chinese => Locale::zh_CN,
    });
}

/// Listens to the host (inside the router, so commands can navigate) and
/// tells it when the token is about to expire.
#[component]
pub fn HostBridge() -> impl IntoView {
    let session = expect_context::<Session>();
    let i18n = use_i18n();
    let nav = crate::services::nav::use_nav();
    let allowed = allowed_origins();

    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let origin = ev.origin();
        // Only the page that frames the board commands it: a sibling frame or
        // a popup on an allowed origin is not the host.
        let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
        let from_parent = match (ev.source(), parent) {
            (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        if !from_parent {
            return;
        }
        if !allowed.iter().any(|a| a == &origin) {
            // Not an allowed portal: ignored (logged only if it looks like ours).
            if ev.data().is_object() && js_sys::Reflect::get(&ev.data(), &"target".into()).ok().and_then(|t| t.as_string()).as_deref() == Some("mediation-board") {
                web_sys::console::warn_1(&format!("mediation-board: ignored a message from {origin}, which is not in EMBED_ORIGINS").into());
            }
            return;
        }
        let Ok(msg) = serde_wasm_bindgen::from_value::<HostMessage>(ev.data()) else { return };
        let command = match HostCommand::decode(msg) {
            Ok(c) => c,
            Err(Refused::NotForUs) => return,
            Err(Refused::Version(v)) => {
                web_sys::console::warn_1(&format!("mediation-board: protocol version {v} not supported (expected {PROTOCOL_VERSION})").into());
                return;
            }
            Err(Refused::Unknown(kind)) => {
                web_sys::console::warn_1(&format!("mediation-board: unknown message type \"{kind}\"; ignored").into());
                return;
            }
            Err(Refused::Bad(why)) => {
                if host().as_deref() == Some(origin.as_str()) {
                    post(bad("bad_command", why));
                }
                return;
            }
        };
        if let HostCommand::Init { board, .. } = &command {
            HOST.with(|h| *h.borrow_mut() = Some(origin.clone()));
            BOARD_ID.with(|b| *b.borrow_mut() = board.clone());
        } else if host().as_deref() != Some(origin.as_str()) {
            web_sys::console::warn_1(&format!("mediation-board: {origin} sent a command before init; ignored").into());
            return;
        }
        let go = |path: String| nav.navigate(&path, false);
        let sign_in = |token: Option<String>| match token.filter(|t| session.refresh(t.clone())) {
            Some(_) => post(BoardEvent::SignedIn { user: session.user_untracked() }),
            None => post(bad("bad_token", "the token could not be read")),
        };
        match command {
            HostCommand::Init { token, view, filter, locale, theme, .. } => {
                if let Some(locale) = &locale {
                    set_locale(i18n, locale);
                }
                apply_theme(&theme);
                sign_in(token);
                if let Some(view) = view {
                    let filter = filter.map(|f| format!("?{f}")).unwrap_or_default();
                    go(format!("{}{filter}", view.path()));
                }
            }
            HostCommand::SetToken { token, locale, theme } => {
                if let Some(locale) = &locale {
                    set_locale(i18n, locale);
                }
                apply_theme(&theme);
                sign_in(token);
            }
            HostCommand::OpenCase(view) | HostCommand::OpenTranscript(view) => go(view.path()),
            HostCommand::OpenBoard => go("/embed".into()),
            HostCommand::SetFilter { filter } => {
                let q = shared::view::board::BoardFilter::from_query(&filter).to_query();
                go(if q.is_empty() { "/embed".into() } else { format!("/embed?{q}") });
            }
            HostCommand::SetLanguage(locale) => set_locale(i18n, &locale),
            HostCommand::SetTheme(vars) => apply_theme(&vars),
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    }
    let handler = send_wrapper::SendWrapper::new(handler);
    on_cleanup(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
        }
    });

    // Tell the host shortly before the token expires: a minute before, or a
    // third of its life for short-lived tokens.
    crate::effect(move || {
        let Some(info) = session.info.get() else { return };
        let remaining = info.expires_at * 1000 - js_sys::Date::now() as i64;
        let left = remaining - (remaining / 3).min(60_000);
        let expires_at = info.expires_at;
        set_timeout(
            move || {
                if session.info.with_untracked(|i| i.as_ref().map(|i| i.expires_at)) == Some(expires_at) {
                    post(BoardEvent::TokenExpiring { expires_at: Some(expires_at) });
                }
            },
            std::time::Duration::from_millis(left.max(0) as u64),
        );
    });
    // A 401 (expired token) is reported too.
    crate::effect(move || {
        if let Some(why) = session.notice.get() {
            post(bad("unauthorized", &why));
        }
    });
    announce_ready();
}

/// Shown in an embedded board until the host has sent the token.
#[component]
pub fn WaitingForHost() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="waiting" role="status" id="embed-waiting">{tr!(i18n, embed.waiting)}</p> }
}

