//! The session: the token the edge issued (through the host portal, or the
//! demo sign-in on local runs), what it says about the user, and the sign-in
//! screen. The token lives in memory; standalone pages also keep it in
//! sessionStorage so a reload does not sign the user out.

use leptos::prelude::*;
use shared::wire::api::SessionInfo;
use shared::wire::session::Role;

use crate::i18n::*;

const STORAGE_KEY: &str = "mediation-board.token";

#[derive(Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    pub info: RwSignal<Option<SessionInfo>>,
    /// Why the user was signed out, to show on the sign-in screen.
    pub notice: RwSignal<Option<String>>,
    /// Embedded in a portal: the host owns the token; nothing is stored.
    pub embedded: bool,
}

impl Session {
    pub fn new(embedded: bool) -> Self {
        let s = Self { token: RwSignal::new(None), info: RwSignal::new(None), notice: RwSignal::new(None), embedded };
        if !embedded {
            if let Some(token) = storage().and_then(|st| st.get_item(STORAGE_KEY).ok().flatten()) {
                if let Some(info) = decode_claims(&token).filter(|i| i.expires_at * 1000 > js_sys::Date::now() as i64) {
                    s.token.set(Some(token));
                    s.info.set(Some(info));
                }
            }
        }
        s
    }

    pub fn token(&self) -> Option<String> {
        self.token.get()
    }

    pub fn token_untracked(&self) -> Option<String> {
        self.token.get_untracked()
    }

    pub fn signed_in(&self) -> bool {
        self.info.get().is_some()
    }

    /// The user name (`sub`), for "mine" filters.
    pub fn user(&self) -> String {
        self.info.with(|i| i.as_ref().map(|i| i.user.clone()).unwrap_or_default())
    }

    pub fn user_untracked(&self) -> String {
        self.info.with_untracked(|i| i.as_ref().map(|i| i.user.clone()).unwrap_or_default())
    }

    /// Uses a token (from sign-in or the host portal).
    pub fn sign_in(&self, token: String, info: SessionInfo) {
        if !self.embedded {
            if let Some(st) = storage() {
                let _ = st.set_item(STORAGE_KEY, &token);
            }
        }
        self.notice.set(None);
        self.token.set(Some(token));
        self.info.set(Some(info));
    }

    /// Replaces the token with a fresh one for the same user (portal refresh).
    pub fn refresh(&self, token: String) -> bool {
        match decode_claims(&token) {
            Some(info) => {
                self.sign_in(token, info);
                true
            }
            None => false,
        }
    }

    /// Ends the session (expired or rejected token).
    pub fn expire(&self, why: &str) {
        if let Some(st) = storage() {
            let _ = st.remove_item(STORAGE_KEY);
        }
        self.token.set(None);
        self.info.set(None);
        self.notice.set(Some(why.to_owned()));
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Reads a token's claims without checking the signature (the edge checks
/// it on every call); used to show who is signed in and when it expires.
pub fn decode_claims(token: &str) -> Option<SessionInfo> {
    let payload = token.split('.').nth(1)?;
    // base64url to base64, decoded by the browser (`atob` gives one char per byte).
    let mut b64: String = payload.trim_end_matches('=').chars().map(|c| match c { '-' => '+', '_' => '/', c => c }).collect();
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    let binary = web_sys::window()?.atob(&b64).ok()?;
    let bytes: Vec<u8> = binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect::<Option<_>>()?;
    // From a `str`, like every other answer: one JSON reader in the wasm.
    let claims: shared::wire::session::Claims = serde_json::from_str(&String::from_utf8(bytes).ok()?).ok()?;
    Some(SessionInfo::from(&claims))
}

/// Where the edge's API is: the page's own origin.
pub fn api_base() -> String {
    String::new()
}

pub fn offline_message() -> &'static str {
    "网络连接失败,请检查网络后重试 / network error, check the connection and retry"
}

pub fn role_label(i18n: I18nContext, role: &Role) -> String {
    match role {
        Role::Mediator => t_string!(i18n, role_mediator).to_string(),
        Role::Supervisor => t_string!(i18n, role_supervisor).to_string(),
        Role::Admin => t_string!(i18n, role_admin).to_string(),
        Role::Other(r) => r.clone(),
    }
}
