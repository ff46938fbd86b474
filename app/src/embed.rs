//! Talking to the host portal when the board is embedded (an iframe at
//! `/embed`): events from the board to the host. (Messages from the host are
//! handled where the board starts; see `shell::Embedded`.)

use serde_json::{json, Value};

thread_local! {
    /// The portal's origin once the host has introduced itself; `None` standalone.
    static HOST: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    /// The id the SDK gave this board, echoed in every message.
    static BOARD_ID: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

pub fn set_host(origin: String, board_id: String) {
    HOST.with(|h| *h.borrow_mut() = Some(origin));
    BOARD_ID.with(|b| *b.borrow_mut() = board_id);
}

pub fn host() -> Option<String> {
    HOST.with(|h| h.borrow().clone())
}

/// Sends a message to the host portal, if there is one.
pub fn post(kind: &str, payload: Value) {
    let Some(origin) = host() else { return };
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else { return };
    let board = BOARD_ID.with(|b| b.borrow().clone());
    let message = json!({ "source": "mediation-board", "version": 1, "board": board, "type": kind, "payload": payload });
    if let Ok(value) = serde_wasm_bindgen_compat(&message) {
        let _ = parent.post_message(&value, &origin);
    }
}

fn serde_wasm_bindgen_compat(v: &Value) -> Result<wasm_bindgen::JsValue, ()> {
    js_sys::JSON::parse(&v.to_string()).map_err(|_| ())
}

/// An action finished (takeover, call placed, agreement generated, OCR started).
pub fn notify_action(action: &str, case_id: &str, ok: bool, detail: Value) {
    post("action_completed", json!({ "action": action, "caseId": case_id, "ok": ok, "detail": detail }));
}

/// The session token is about to expire: the host should send a new one.
pub fn notify_token_expiring() {
    post("token_expiring", json!({}));
}
