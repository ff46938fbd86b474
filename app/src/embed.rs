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
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use shared::route::Page;

use crate::i18n::*;
use crate::session::{decode_claims, Session};

pub const PROTOCOL_VERSION: u32 = 1;

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

fn envelope(kind: &str, payload: Value) -> Option<wasm_bindgen::JsValue> {
    let board = BOARD_ID.with(|b| b.borrow().clone());
    let message = json!({ "source": "mediation-board", "version": PROTOCOL_VERSION, "board": board, "type": kind, "payload": payload });
    js_sys::JSON::parse(&message.to_string()).ok()
}

/// Sends a message to the host portal, if there is one.
pub fn post(kind: &str, payload: Value) {
    let Some(origin) = host() else { return };
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    if let Some(value) = envelope(kind, payload) {
        let _ = parent.post_message(&value, &origin);
    }
}

/// Before the host has spoken: announce readiness to every allowed origin
/// (the browser delivers it only to the real parent's).
fn announce_ready() {
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    if let Some(value) = envelope("ready", json!({ "version": PROTOCOL_VERSION })) {
        for origin in allowed_origins() {
            let _ = parent.post_message(&value, &origin);
        }
    }
}

/// An action finished (takeover, call placed, agreement generated, OCR started).
pub fn notify_action(action: &str, case_id: &str, ok: bool, detail: Value) {
    post("action_completed", json!({ "action": action, "caseId": case_id, "ok": ok, "detail": detail }));
}

/// The session token is about to expire: the host should send a new one.
pub fn notify_token_expiring() {
    post("token_expiring", json!({}));
}

#[derive(Deserialize)]
struct HostMessage {
    target: String,
    #[serde(default)]
    version: u32,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: Value,
}

/// Where an embedded board starts: the path it was opened at, in embed form.
pub fn embed_path(view: &str, case_id: Option<&str>, job_id: Option<&str>) -> Option<String> {
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (view, case_id, job_id) {
        ("board", _, _) => Some("/embed".into()),
        ("case", Some(c), _) if ok(c) => Some(format!("/embed/cases/{c}")),
        ("transcript", Some(c), Some(j)) if ok(c) && ok(j) => Some(format!("/embed/cases/{c}/calls/{j}")),
        _ => None,
    }
}

/// Applies theme variables (only CSS custom properties, values without
/// anything that could break out of a declaration).
fn apply_theme(vars: &serde_json::Map<String, Value>) {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
    let style = root.style();
    for (name, value) in vars {
        let Some(value) = value.as_str() else { continue };
        let safe_name = name.starts_with("--") && name[2..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let safe_value = value.len() <= 200 && !value.contains([';', '{', '}', '<', '>']) && !value.to_ascii_lowercase().contains("url(");
        if safe_name && safe_value {
            let _ = style.set_property(name, value);
        } else {
            web_sys::console::warn_1(&format!("mediation-board: ignored theme variable {name:?}").into());
        }
    }
}

/// Listens to the host (inside the router, so commands can navigate) and
/// tells it when the token is about to expire.
#[component]
pub fn HostBridge() -> impl IntoView {
    let session = expect_context::<Session>();
    let i18n = use_i18n();
    let nav = crate::nav::use_nav();
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
        let Some(text) = js_sys::JSON::stringify(&ev.data()).ok().and_then(|s| s.as_string()) else { return };
        let Ok(msg) = serde_json::from_str::<HostMessage>(&text) else { return };
        if msg.target != "mediation-board" {
            return;
        }
        if msg.version != PROTOCOL_VERSION {
            web_sys::console::warn_1(&format!("mediation-board: protocol version {} not supported (expected {PROTOCOL_VERSION})", msg.version).into());
            return;
        }
        if msg.kind == "init" {
            let board = msg.payload.get("board").and_then(Value::as_str).unwrap_or_default().to_owned();
            HOST.with(|h| *h.borrow_mut() = Some(origin.clone()));
            BOARD_ID.with(|b| *b.borrow_mut() = board);
        } else if host().as_deref() != Some(origin.as_str()) {
            web_sys::console::warn_1(&format!("mediation-board: {origin} sent {:?} before init; ignored", msg.kind).into());
            return;
        }
        let p = &msg.payload;
        let text_of = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
        let go = |path: String| nav.navigate(&path, false);
        match msg.kind.as_str() {
            "init" | "set_token" => {
                if let Some(locale) = text_of("locale") {
                    i18n.set_locale(if locale.starts_with("en") { Locale::en } else { Locale::zh_CN });
                }
                if let Some(vars) = p.get("theme").and_then(Value::as_object) {
                    apply_theme(vars);
                }
                match text_of("token").filter(|t| session.refresh(t.clone())) {
                    Some(_) => {
                        let user = session.user_untracked();
                        post("signed_in", json!({ "user": user }));
                    }
                    _ => post("error", json!({ "code": "bad_token", "message": "the token could not be read" })),
                }
                if msg.kind == "init" {
                    let view = text_of("view").unwrap_or_else(|| "board".into());
                    if let Some(path) = embed_path(&view, text_of("caseId").as_deref(), text_of("jobId").as_deref()) {
                        let filter = text_of("filter").filter(|f| !f.is_empty()).map(|f| format!("?{}", f.trim_start_matches('?'))).unwrap_or_default();
                        go(format!("{path}{filter}"));
                    }
                }
            }
            "open_case" => match text_of("caseId").and_then(|c| embed_path("case", Some(&c), None)) {
                Some(path) => go(path),
                None => post("error", json!({ "code": "bad_command", "message": "open_case needs a caseId" })),
            },
            "open_transcript" => match embed_path("transcript", text_of("caseId").as_deref(), text_of("jobId").as_deref()) {
                Some(path) => go(path),
                None => post("error", json!({ "code": "bad_command", "message": "open_transcript needs caseId and jobId" })),
            },
            "open_board" => go("/embed".into()),
            "set_filter" => {
                let f = shared::board::BoardFilter::from_query(&text_of("filter").unwrap_or_default());
                let q = f.to_query();
                go(if q.is_empty() { "/embed".into() } else { format!("/embed?{q}") });
            }
            "set_language" => {
                let locale = text_of("locale").unwrap_or_default();
                i18n.set_locale(if locale.starts_with("en") { Locale::en } else { Locale::zh_CN });
            }
            "set_theme" => {
                if let Some(vars) = p.get("vars").and_then(Value::as_object) {
                    apply_theme(vars);
                }
            }
            other => web_sys::console::warn_1(&format!("mediation-board: unknown message type {other:?}; ignored").into()),
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
                    post("token_expiring", json!({ "expiresAt": expires_at }));
                }
            },
            std::time::Duration::from_millis(left.max(0) as u64),
        );
    });
    // A 401 (expired token) is reported too.
    crate::effect(move || {
        if let Some(why) = session.notice.get() {
            post("error", json!({ "code": "unauthorized", "message": why }));
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

/// Decodes a token's claims for the session (re-exported for the bridge).
pub fn claims(token: &str) -> Option<shared::api::SessionInfo> {
    decode_claims(token)
}
